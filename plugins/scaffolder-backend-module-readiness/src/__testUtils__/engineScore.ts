// Scores an entity with the readiness engine's own collectors and built-in
// checks. The engine package exports only its plugin, so its modules are
// imported from source (a workspace devDependency, for this test only).
/* eslint-disable @backstage/no-forbidden-package-imports, @backstage/no-mixed-plugin-imports */
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
  createDeploymentFactCollector,
  createEntityFactCollector,
  createFsDeploymentFilesReader,
  createServiceLevelsFactCollector,
} from '@prodready/plugin-readiness-backend/src/facts/collectors';
import { BUILT_IN_CHECKS } from '@prodready/plugin-readiness-backend/src/engine/builtin';
import { compileChecks } from '@prodready/plugin-readiness-backend/src/engine/rules';
import {
  buildScorecard,
  evaluateChecks,
} from '@prodready/plugin-readiness-backend/src/engine/scoring';

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
