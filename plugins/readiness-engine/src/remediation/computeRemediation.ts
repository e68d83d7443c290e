import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  CheckResult,
  CheckResultStatus,
  JsonObject,
  ReadinessAreaId,
  RemediationFix,
  RemediationPlan,
  RemediationUnfixable,
} from '@prodready/plugin-readiness-common';
import { parseAllDocuments } from 'yaml';
import { BUILT_IN_CHECKS } from '../builtin';
import {
  deploymentFactsOfFiles,
  workloadNameOf,
} from '../facts/collectors/deployment';
import type { DeploymentCollectorFacts } from '../facts/collectors/deployment';
import type { ServiceLevelsFacts } from '../facts/collectors/serviceLevels';
import type { DeploymentFileInput } from '../facts/deployment';
import {
  checkManifestSemantics,
  validateManifestSchema,
} from '../generate/validate';
import type { Manifest } from '../generate/manifests';
import { compileChecksOnce } from '../rules/compileChecksOnce';
import { evaluateChecks } from '../scoring';
import { unifiedDiff } from './diff';
import { FIXERS, FixOutcome, NO_FIX_REASONS } from './fixers';
import type { ComputeRemediationOptions } from './types';
import { PatchWorkspace } from './workspace';

/**
 * The areas whose failing checks the remediation fixes in the deployment
 * files (the other areas are about the catalog entry or the organisation).
 *
 * @public
 */
export const REMEDIABLE_AREAS: ReadonlyArray<ReadinessAreaId> = [
  'deployment',
  'load-balancing',
  'auto-scaling',
  'performance',
  'security',
  'disaster-recovery',
  'monitoring',
];

const FAILING: ReadonlySet<CheckResultStatus> = new Set(['fail', 'warn']);
const PASSING: ReadonlySet<CheckResultStatus> = new Set([
  'pass',
  'not-applicable',
]);

/** Rounds of fixing: a fix can need another first (a new HPA needs requests to validate). */
const MAX_ROUNDS = 3;

/**
 * The order fixes are tried in, where one builds on another: requests before
 * the HPA that targets their utilisation (and before the migration that makes
 * the semantic checks read the HPA), API versions before the edits of the
 * objects, the HPA before the budget computed against its minimum. Other checks follow in definition order.
 */
const FIX_ORDER: ReadonlyArray<string> = [
  'resource-requests',
  'utilization-targets-have-requests',
  'no-removed-api-versions',
  'zero-downtime-rollout',
  'probes-configured',
  'startup-probe',
  'hpa-configured',
  'hpa-utilization-targets',
  'hpa-scaling-behavior',
  'hpa-capacity',
  'pdb-configured',
];

function fixRank(checkId: string): number {
  const rank = FIX_ORDER.indexOf(checkId);
  return rank < 0 ? FIX_ORDER.length : rank;
}

interface State {
  deployment: DeploymentCollectorFacts;
  results: Map<string, CheckResult>;
}

/** The objects of one file, as manifests. */
function objectsOf(file: { path: string; content: string }): Manifest[] {
  const objects: Manifest[] = [];
  if (!/\.ya?ml$/i.test(file.path)) return objects;
  for (const document of parseAllDocuments(file.content)) {
    if (!('errors' in document) || document.errors.length > 0) continue;
    const object = document.toJS() as Manifest | null;
    if (object && typeof object.kind === 'string') {
      objects.push(object);
    }
  }
  return objects;
}

/**
 * Validation of sets of files, memoized for one computation (each fix
 * compares the files before it, which the previous fix validated, with the
 * files after it): the schema problems of each file's objects, and the
 * semantic problems of the whole set.
 */
function createValidator() {
  const objects = new Map<string, Manifest[]>();
  const schema = new Map<string, string[]>();
  const semantics = new Map<string, string[]>();
  const key = (file: { path: string; content: string }) =>
    `${file.path}\0${file.content}`;
  const objectsOfFile = (file: { path: string; content: string }) => {
    const k = key(file);
    let result = objects.get(k);
    if (!result) {
      result = objectsOf(file);
      objects.set(k, result);
    }
    return result;
  };
  return (
    files: ReadonlyArray<{ path: string; content: string }>,
    paths: ReadonlySet<string>,
  ): Set<string> => {
    const problems = new Set<string>();
    for (const file of files) {
      if (!paths.has(file.path)) continue;
      const k = key(file);
      let found = schema.get(k);
      if (!found) {
        found = objectsOfFile(file)
          .flatMap(validateManifestSchema)
          .filter(problem => !/: no schema for /.test(problem))
          .map(problem => `${file.path}: ${problem}`);
        schema.set(k, found);
      }
      found.forEach(problem => problems.add(problem));
    }
    const all = files.map(key).join('\0\0');
    let semantic = semantics.get(all);
    if (!semantic) {
      semantic = checkManifestSemantics(files.flatMap(objectsOfFile));
      semantics.set(all, semantic);
    }
    semantic.forEach(problem => problems.add(problem));
    return problems;
  };
}

/**
 * Computes the patch that makes a service's failing checks pass, from its own
 * files and facts: for each failing (or warning) check of the deployment,
 * scaling, load-balancing, performance, security, DR and monitoring areas, the
 * change that fixes it, built from the service's workload name, labels,
 * ports, probes, capacity and service levels. Existing files are edited with
 * the `yaml` document API, which keeps their comments and order; missing
 * objects get new files.
 *
 * Each fix is validated (schema, unknown fields and semantic checks: it may
 * not add a problem) and re-scored: the deployment facts are recomputed from
 * the patched files and every check is evaluated again. A fix whose check
 * does not pass afterwards, or that would not validate, is left out and
 * reported as unfixable with the reason; so is a check no fixer knows.
 *
 * @public
 */
export function computeRemediation(
  options: ComputeRemediationOptions,
): RemediationPlan {
  const { entity } = options;
  const now = options.now ?? new Date();
  const definitions = options.checks ?? BUILT_IN_CHECKS;
  const checks = compileChecksOnce(definitions, {
    ...(options.operators ? { operators: options.operators } : {}),
  });
  const entityRef = stringifyEntityRef(entity);
  const workloadName = workloadNameOf(entity);
  const serviceLevels = options.facts.serviceLevels as
    | ServiceLevelsFacts
    | undefined;
  const location = (options.facts.deployment as JsonObject | undefined)
    ?.location;

  const evaluate = (files: DeploymentFileInput[]): State => {
    const deployment = {
      ...deploymentFactsOfFiles(files, { workloadName }),
      ...(location ? { location } : {}),
    } as DeploymentCollectorFacts;
    const results = evaluateChecks(checks, {
      entity,
      entityRef,
      facts: { ...options.facts, deployment: deployment as JsonObject },
      now,
    });
    return {
      deployment,
      results: new Map(results.map(r => [r.checkId, r])),
    };
  };

  const remediable = definitions.filter(check =>
    (REMEDIABLE_AREAS as ReadonlyArray<string>).includes(check.area),
  );
  const titleOf = (checkId: string) =>
    definitions.find(d => d.id === checkId)?.title ?? checkId;
  const validationProblems = createValidator();
  const original = PatchWorkspace.fromFiles(options.files);
  const initial = evaluate(original.toFiles());

  const attempt = (excluded: ReadonlySet<string>) => {
    let workspace = original;
    let state = initial;
    const applied: Array<{
      checkId: string;
      summary: string;
      diff: string;
      paths: string[];
    }> = [];
    const unfixable = new Map<string, string>();
    // Checks not to try again: fixed, or with no fixer at all. A fix that
    // could not be made (yet) is tried again in the next round, once the
    // fixes it builds on are in.
    const attempted = new Set<string>(excluded);
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const current = state;
      const appliedBefore = applied.length;
      const failing = remediable
        .filter(
          check =>
            !attempted.has(check.id) &&
            FAILING.has(current.results.get(check.id)?.status ?? 'pass'),
        )
        .sort((a, b) => fixRank(a.id) - fixRank(b.id));
      if (failing.length === 0) break;
      for (const check of failing) {
        if (!FAILING.has(state.results.get(check.id)?.status ?? 'pass')) {
          continue; // an earlier fix of this round fixed it too
        }
        const fixer = FIXERS.get(check.id);
        const fix =
          state.deployment.source === 'helm' ? fixer?.helm : fixer?.manifests;
        if (state.deployment.source === 'none' && fixer) {
          unfixable.set(
            check.id,
            'no deployment files were found for the service, so there is nothing to patch',
          );
          continue;
        }
        if (!fix) {
          attempted.add(check.id);
          unfixable.set(
            check.id,
            NO_FIX_REASONS[check.id] ??
              'no automatic fix is known for this check: see the remediation advice',
          );
          continue;
        }
        const trial = workspace.clone();
        let outcome: FixOutcome;
        try {
          outcome = fix(
            {
              ws: trial,
              entity,
              deployment: state.deployment,
              serviceLevels,
            },
            check.id,
          );
        } catch (error) {
          outcome = {
            unfixable: `the fix failed: ${
              error instanceof Error ? error.message : String(error)
            }`,
          };
        }
        if ('unfixable' in outcome) {
          unfixable.set(check.id, outcome.unfixable);
          continue;
        }
        const before = workspace.toFiles();
        const after = trial.toFiles();
        const changedPaths = new Set(
          after
            .filter(
              file =>
                before.find(b => b.path === file.path)?.content !==
                file.content,
            )
            .map(file => file.path),
        );
        const known = validationProblems(before, changedPaths);
        const added = [...validationProblems(after, changedPaths)].filter(
          problem => !known.has(problem),
        );
        if (added.length > 0) {
          unfixable.set(
            check.id,
            `the computed fix would not validate, so it is not proposed: ${added.join(
              '; ',
            )}`,
          );
          continue;
        }
        attempted.add(check.id);
        unfixable.delete(check.id);
        applied.push({
          checkId: check.id,
          summary: outcome.summary,
          paths: [...changedPaths].sort(),
          diff: [...changedPaths]
            .sort()
            .map(path =>
              unifiedDiff(
                path,
                before.find(b => b.path === path)?.content ?? null,
                after.find(a => a.path === path)!.content,
              ),
            )
            .join(''),
        });
        workspace = trial;
        const previous = state;
        const next = evaluate(after);
        state = next;
        // Other checks this change fixed too (a minimum of two replicas
        // also gives the PodDisruptionBudget room to drain).
        for (const other of remediable) {
          if (
            other.id !== check.id &&
            !applied.some(done => done.checkId === other.id) &&
            FAILING.has(previous.results.get(other.id)?.status ?? 'pass') &&
            PASSING.has(next.results.get(other.id)?.status ?? 'pass')
          ) {
            attempted.add(other.id);
            unfixable.delete(other.id);
            const by = applied[applied.length - 1];
            applied.push({
              ...by,
              checkId: other.id,
              summary: `Passes with the change for ${titleOf(
                check.id,
              ).toLocaleLowerCase('en-US')} (${check.id}): ${by.summary}`,
            });
          }
        }
      }
      if (applied.length === appliedBefore) break; // nothing new to build on
    }
    return { workspace, state, applied, unfixable };
  };

  // Fixes whose check still fails on the patched files are left out, and
  // the patch is computed again without them.
  let excluded = new Set<string>();
  let outcome = attempt(excluded);
  for (let i = 0; i < MAX_ROUNDS; i++) {
    const { applied, state } = outcome;
    const notFixed = applied.filter(
      fix =>
        !PASSING.has(
          state.results.get(fix.checkId)?.status ?? 'not-applicable',
        ),
    );
    if (notFixed.length === 0) break;
    excluded = new Set([...excluded, ...notFixed.map(f => f.checkId)]);
    const reasons = new Map(
      notFixed.map(fix => [
        fix.checkId,
        `the computed fix (${fix.summary}) does not make the check pass: ${
          state.results.get(fix.checkId)?.message ?? ''
        }`,
      ]),
    );
    outcome = attempt(excluded);
    for (const [checkId, reason] of reasons) {
      outcome.unfixable.set(checkId, reason);
    }
  }

  const fixes: RemediationFix[] = outcome.applied.map(fix => ({
    checkId: fix.checkId,
    title: titleOf(fix.checkId),
    summary: fix.summary,
    message: initial.results.get(fix.checkId)?.message ?? '',
    before: initial.results.get(fix.checkId)?.status ?? 'pass',
    after: outcome.state.results.get(fix.checkId)?.status ?? 'pass',
    paths: fix.paths,
    diff: fix.diff,
  }));
  const unfixable: RemediationUnfixable[] = remediable
    .filter(check => outcome.unfixable.has(check.id))
    .filter(check =>
      FAILING.has(outcome.state.results.get(check.id)?.status ?? 'pass'),
    )
    .map(check => ({
      checkId: check.id,
      title: check.title,
      message: outcome.state.results.get(check.id)?.message ?? '',
      reason: outcome.unfixable.get(check.id)!,
    }));
  const files = outcome.workspace.changedFiles().map(file => ({
    path: file.path,
    change: file.before === null ? ('create' as const) : ('modify' as const),
    before: file.before,
    after: file.after,
    diff: unifiedDiff(file.path, file.before, file.after),
  }));
  return {
    entityRef,
    source: initial.deployment.source,
    deploymentTarget:
      options.deploymentTarget ??
      (typeof location === 'object' &&
      location !== null &&
      !Array.isArray(location) &&
      typeof location.target === 'string'
        ? location.target
        : null),
    fixes,
    unfixable,
    files,
    description: describePlan(entityRef, fixes, unfixable),
    computedAt: now.toISOString(),
  };
}

/** A pull-request description: what each fix fixes, with the message it fixed. */
function describePlan(
  entityRef: string,
  fixes: ReadonlyArray<RemediationFix>,
  unfixable: ReadonlyArray<RemediationUnfixable>,
): string {
  const lines = [
    `Production readiness fixes for ${entityRef}, computed from its own deployment files and facts and re-scored by the readiness engine before being proposed.`,
    '',
  ];
  if (fixes.length > 0) {
    lines.push('## Fixed checks', '');
    for (const fix of fixes) {
      lines.push(
        `- **${fix.title}** (\`${fix.checkId}\`): ${fix.summary}.`,
        `  - Was ${fix.before}: ${fix.message}`,
        `  - Now ${fix.after}; files: ${fix.paths.join(', ')}`,
      );
    }
    lines.push('');
  }
  if (unfixable.length > 0) {
    lines.push('## Still failing (no automatic fix)', '');
    for (const item of unfixable) {
      lines.push(`- **${item.title}** (\`${item.checkId}\`): ${item.reason}`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
