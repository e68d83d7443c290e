import {
  OverviewPhaseProgress,
  READINESS_AREAS,
  ReadinessAreaId,
} from '@prodready/plugin-readiness-common';
import { ScoreListItem } from '../../database/ReadinessStore';
import { ScorecardDefinition } from '../engine/types';

/**
 * Characters that make a spreadsheet read a cell as a formula (CSV
 * injection, OWASP): `=`, `+`, `-`, `@`, and tab and carriage return.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote or a line
 * break, with quotes doubled. Text that a spreadsheet would take for a
 * formula is prefixed with a single quote, so that it stays text.
 */
export function csvCell(value: string | number | boolean | null): string {
  if (value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    return String(value);
  }
  const text = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One CSV line, ended with CRLF as RFC 4180 has it. */
export function csvRow(
  values: ReadonlyArray<string | number | boolean | null>,
): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

/** The columns of the overview CSV before the areas. */
export const OVERVIEW_CSV_COLUMNS = [
  'entityRef',
  'kind',
  'type',
  'lifecycle',
  'owner',
  'system',
  'tier',
  'level',
  'score',
  'passed',
  'failed',
  'evaluatedAt',
  'stale',
] as const;

/** The areas that the definition has checks in, in the seed's order. */
export function csvAreas(definition: ScorecardDefinition): ReadinessAreaId[] {
  const used = new Set(definition.checks.map(check => check.area));
  return READINESS_AREAS.map(area => area.id).filter(id => used.has(id));
}

/**
 * The header, with one column per area, then one `<phase id> done/total`
 * column per phase.
 */
export function overviewCsvHeader(
  areas: ReadonlyArray<string>,
  phaseIds: ReadonlyArray<string> = [],
): string {
  return csvRow([
    ...OVERVIEW_CSV_COLUMNS,
    ...areas,
    ...phaseIds.map(id => `${id} done/total`),
  ]);
}

/**
 * A row; a phase column holds `done/total`, or nothing when the phase does
 * not apply to the entity.
 */
export function overviewCsvRow(
  item: ScoreListItem,
  areas: ReadonlyArray<string>,
  phaseIds: ReadonlyArray<string> = [],
  phases: ReadonlyArray<OverviewPhaseProgress> = [],
): string {
  return csvRow([
    item.entityRef,
    item.kind,
    item.type,
    item.lifecycle,
    item.owner,
    item.system,
    item.tier,
    item.level,
    item.score,
    item.passed,
    item.failed,
    item.evaluatedAt.toISOString(),
    item.stale,
    ...areas.map(area => item.areaScores[area] ?? null),
    ...phaseIds.map(id => {
      const progress = phases.find(phase => phase.phaseId === id);
      return progress ? `${progress.done}/${progress.total}` : null;
    }),
  ]);
}
