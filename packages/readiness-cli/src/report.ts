import type { CheckResult } from '@prodready/plugin-readiness-common';
import type { GateOutcome } from './gate';

/** The report formats of `readiness check`. */
export const FORMATS = ['table', 'json', 'sarif'] as const;
export type Format = (typeof FORMATS)[number];

const STATUS_ORDER: Record<CheckResult['status'], number> = {
  error: 0,
  fail: 1,
  warn: 2,
  pass: 3,
  'not-applicable': 4,
};

function levelTitle(outcome: GateOutcome, id: string | null): string {
  return id === null
    ? 'no level'
    : outcome.levels.find(l => l.id === id)?.title ?? id;
}

function sortedResults(outcome: GateOutcome): CheckResult[] {
  return [...outcome.scorecard.results].sort(
    (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
  );
}

/** A plain-text table for a terminal or a pipeline log, failing checks first. */
export function formatTable(outcome: GateOutcome): string {
  const { scorecard } = outcome;
  const rows = sortedResults(outcome).map(result => {
    const check = outcome.checks.find(c => c.id === result.checkId);
    return [
      result.waiver ? `${result.status} (waived)` : result.status,
      result.checkId,
      check?.level ?? '',
      result.message,
    ];
  });
  const widths = [0, 1, 2].map(i =>
    Math.max(
      ['status', 'check', 'level'][i].length,
      ...rows.map(r => r[i].length),
    ),
  );
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => (i < 3 ? cell.padEnd(widths[i]) : cell))
      .join('  ')
      .trimEnd();
  const counts = scorecard.results.reduce<Record<string, number>>(
    (acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }),
    {},
  );
  const areas = scorecard.areas
    .filter(a => a.score !== null)
    .map(a => `${a.area} ${a.score}%`)
    .join(', ');
  return [
    `${outcome.entityRef}: ${levelTitle(outcome, scorecard.level)} (${
      counts.pass ?? 0
    } pass, ${counts.fail ?? 0} fail, ${counts.warn ?? 0} warn, ${
      counts.error ?? 0
    } error, ${counts['not-applicable'] ?? 0} not applicable)`,
    `areas: ${areas}`,
    ...outcome.notes.map(note => `note: ${note}`),
    '',
    line(['status', 'check', 'level', 'message']),
    ...rows.map(line),
    '',
    outcome.failures.length === 0
      ? 'gate: passed'
      : `gate: FAILED\n${outcome.failures.map(f => `  - ${f}`).join('\n')}`,
    '',
  ].join('\n');
}

/** The scorecard, the gate and the facts, as JSON. */
export function formatJson(outcome: GateOutcome): string {
  return `${JSON.stringify(
    {
      entityRef: outcome.entityRef,
      level: outcome.scorecard.level,
      gate: {
        passed: outcome.failures.length === 0,
        failures: outcome.failures,
      },
      scorecard: outcome.scorecard,
      facts: outcome.facts,
    },
    null,
    2,
  )}\n`;
}

const SARIF_LEVEL: Partial<Record<CheckResult['status'], string>> = {
  fail: 'error',
  error: 'error',
  warn: 'warning',
};

/**
 * SARIF 2.1.0, for code-scanning UIs: one rule per check (title,
 * description, remediation, guide), one result per failing or warning check,
 * located at the service's catalog file.
 */
export function formatSarif(outcome: GateOutcome): string {
  const uri = outcome.catalogFile.split('\\').join('/');
  const sarif = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'readiness',
            informationUri:
              'https://www.npmjs.com/package/@prodready/readiness-cli',
            rules: outcome.checks.map(check => ({
              id: check.id,
              name: check.title,
              shortDescription: { text: check.title },
              ...(check.description
                ? { fullDescription: { text: check.description } }
                : {}),
              ...(check.docsUrl ? { helpUri: check.docsUrl } : {}),
              help: { text: check.remediation },
              properties: { area: check.area, level: check.level },
            })),
          },
        },
        results: sortedResults(outcome)
          .filter(result => SARIF_LEVEL[result.status] && !result.waiver)
          .map(result => ({
            ruleId: result.checkId,
            level: SARIF_LEVEL[result.status],
            message: { text: `${outcome.entityRef}: ${result.message}` },
            locations: [
              {
                physicalLocation: { artifactLocation: { uri } },
                logicalLocations: [
                  { fullyQualifiedName: outcome.entityRef, kind: 'module' },
                ],
              },
            ],
          })),
        properties: {
          entityRef: outcome.entityRef,
          level: outcome.scorecard.level,
          gate: {
            passed: outcome.failures.length === 0,
            failures: outcome.failures,
          },
        },
      },
    ],
  };
  return `${JSON.stringify(sarif, null, 2)}\n`;
}

export function formatReport(outcome: GateOutcome, format: Format): string {
  switch (format) {
    case 'json':
      return formatJson(outcome);
    case 'sarif':
      return formatSarif(outcome);
    default:
      return formatTable(outcome);
  }
}
