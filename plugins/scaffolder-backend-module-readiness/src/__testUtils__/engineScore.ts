// Scores an entity with the readiness engine's own collectors and built-in
// checks, through the engine library's public exports.
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CheckResult,
  DEFAULT_LEVELS,
  JsonObject,
  Scorecard,
} from '@prodready/plugin-readiness-common';
import {
  BUILT_IN_CHECKS,
  buildScorecard,
  compileChecks,
  collectFacts,
  createOfflineFactCollectors,
  evaluateChecks,
} from '@prodready/plugin-readiness-engine';

/** The built-in checks that read the deployment facts (the manifests). */
export const DEPLOYMENT_CHECK_IDS = BUILT_IN_CHECKS.filter(check =>
  JSON.stringify(check.rule).includes('"fact":"deployment"'),
).map(check => check.id);

export async function scoreWithEngine(
  entity: Entity,
  now: Date,
): Promise<{
  scorecard: Scorecard;
  results: Record<string, CheckResult>;
  facts: Record<string, JsonObject>;
}> {
  const facts = await collectFacts(
    entity,
    createOfflineFactCollectors({ entities: [entity], now: () => now }),
  );
  const checks = compileChecks(BUILT_IN_CHECKS, {
    levels: DEFAULT_LEVELS,
    knownFacts: ['entity', 'serviceLevels', 'deployment'],
  });
  const entityRef = stringifyEntityRef(entity);
  const list = evaluateChecks(checks, { entity, entityRef, facts, now });
  return {
    facts,
    results: Object.fromEntries(list.map(r => [r.checkId, r])),
    scorecard: buildScorecard({
      entityRef,
      checks: BUILT_IN_CHECKS,
      results: list,
      evaluatedAt: now,
    }),
  };
}
