// Scores an entity with the readiness engine's own collectors and built-in
// checks, through the engine library's public exports.
import type { Entity } from '@backstage/catalog-model';
import type {
  CheckResult,
  JsonObject,
  Scorecard,
} from '@prodready/plugin-readiness-common';
import {
  BUILT_IN_CHECKS,
  collectFacts,
  createOfflineFactCollectors,
  scoreEntity,
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
  return { facts, ...scoreEntity({ entity, facts, now }) };
}
