// Scores an entity with the readiness engine's own collectors and built-in
// checks, through the engine library's public exports.
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
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
  createDeploymentFactCollector,
  createEntityFactCollector,
  createFsDeploymentFilesReader,
  createServiceLevelsFactCollector,
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
  const collectors = [
    createEntityFactCollector(),
    createServiceLevelsFactCollector({
      catalog: catalogServiceMock({ entities: [entity] }),
      auth: mockServices.auth(),
      now: () => now,
    }),
    createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      readers: { file: createFsDeploymentFilesReader() },
    }),
  ];
  const facts: Record<string, JsonObject> = {};
  for (const collector of collectors) {
    if (!collector.appliesTo || collector.appliesTo(entity)) {
      facts[collector.id] = (await collector.collect({ entity })) as JsonObject;
    }
  }
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
