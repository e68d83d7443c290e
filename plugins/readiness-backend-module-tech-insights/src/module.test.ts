import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import techInsightsBackend from '@backstage-community/plugin-tech-insights-backend';
import techInsightsJsonfc from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  FactRetriever,
  techInsightsFactRetrieversExtensionPoint,
} from '@backstage-community/plugin-tech-insights-node';
// The real readiness backend, in a test only: the module is tested in it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import readinessBackend from '@prodready/plugin-readiness-backend';
import {
  BUILT_IN_CHECKS,
  fromTechInsightsCheck,
} from '@prodready/plugin-readiness-engine';
import { DateTime } from 'luxon';
import request from 'supertest';
import readinessModuleTechInsights from './index';

/** Two services: one with a runbook, one without. */
const entities: Entity[] = ['good-api', 'bad-api'].map(name => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: (name === 'good-api'
      ? { 'prodready.dev/runbook-url': 'https://runbooks.example.com/good' }
      : {}) as Record<string, string>,
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
}));

/**
 * A fact retriever as a Tech Insights user writes one: it reads the catalog
 * and stores two facts per service.
 */
function serviceBasicsRetriever(catalog: CatalogService): FactRetriever {
  return {
    id: 'serviceBasics',
    version: '1.0.0',
    title: 'Service basics',
    description: 'Whether a service has an owner and a runbook',
    entityFilter: [{ kind: 'component' }],
    schema: {
      hasOwner: { type: 'boolean', description: 'spec.owner is set' },
      hasRunbook: { type: 'boolean', description: 'A runbook is linked' },
    },
    async handler({ auth }) {
      const { items } = await catalog.getEntities(
        { filter: { kind: 'Component' } },
        { credentials: await auth.getOwnServiceCredentials() },
      );
      return items.map(entity => ({
        entity: {
          kind: entity.kind,
          namespace: entity.metadata.namespace ?? 'default',
          name: entity.metadata.name,
        },
        timestamp: DateTime.now(),
        facts: {
          hasOwner: Boolean(entity.spec?.owner),
          hasRunbook: Boolean(
            entity.metadata.annotations?.['prodready.dev/runbook-url'],
          ),
        },
      }));
    },
  };
}

/** The jsonfc check, exactly as it is in a Tech Insights app-config. */
const jsonfcCheck = {
  type: 'json-rules-engine',
  name: 'Owned and has a runbook',
  description: 'The service has an owner and links a runbook',
  factIds: ['serviceBasics'],
  rule: {
    conditions: {
      all: [
        { fact: 'hasOwner', operator: 'equal', value: true },
        { fact: 'hasRunbook', operator: 'equal', value: true },
      ],
    },
  },
};

/** A converted check as app-config holds it: plain JSON. */
function asConfig(value: unknown): JsonObject {
  return JSON.parse(JSON.stringify(value));
}

describe('readinessModuleTechInsights', () => {
  async function startBackend(config: JsonObject) {
    const schedulers: Record<string, SchedulerService> = {};
    const capture = (pluginId: string) =>
      createBackendModule({
        pluginId,
        moduleId: 'capture-scheduler',
        register(env) {
          env.registerInit({
            deps: { scheduler: coreServices.scheduler },
            async init({ scheduler }) {
              schedulers[pluginId] = scheduler;
            },
          });
        },
      });
    const retrievers = createBackendModule({
      pluginId: 'tech-insights',
      moduleId: 'service-basics',
      register(env) {
        env.registerInit({
          deps: {
            retrievers: techInsightsFactRetrieversExtensionPoint,
            catalog: catalogServiceRef,
          },
          async init({ retrievers: extension, catalog }) {
            extension.addFactRetrievers({
              serviceBasics: serviceBasicsRetriever(catalog),
            });
          },
        });
      },
    });
    const backend = await startTestBackend({
      features: [
        techInsightsBackend,
        techInsightsJsonfc,
        retrievers,
        capture('tech-insights'),
        readinessBackend,
        readinessModuleTechInsights,
        capture('readiness'),
        catalogServiceMock.factory({ entities }),
        mockServices.rootConfig.factory({ data: config }),
      ],
    });
    return { server: backend.server, schedulers };
  }

  it("runs a Tech Insights user's jsonfc check on Tech Insights' own facts, with the same verdicts", async () => {
    const check = fromTechInsightsCheck(
      { id: 'owned-with-runbook', ...jsonfcCheck },
      { area: 'disaster-recovery', level: 'bronze' },
    );
    const { server, schedulers } = await startBackend({
      techInsights: {
        factRetrievers: { serviceBasics: { cadence: '0 * * * *' } },
        factChecker: { checks: { 'owned-with-runbook': jsonfcCheck } },
      },
      readiness: {
        techInsights: { factRetrieverIds: ['serviceBasics'] },
        disabledChecks: BUILT_IN_CHECKS.map(c => c.id),
        checks: [asConfig(check)],
      },
    });

    // Tech Insights collects its facts, then the readiness engine evaluates.
    await schedulers['tech-insights'].triggerTask('serviceBasics');
    await schedulers.readiness.triggerTask('readiness-evaluation');

    const verdicts: Record<string, { readiness: string; techInsights: any }> =
      {};
    for (const entity of entities) {
      const { name } = entity.metadata;
      const scorecard = await request(server)
        .get(`/api/readiness/scorecards/component/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      expect(scorecard.status).toBe(200);
      const techInsights = await request(server)
        .post(`/api/tech-insights/checks/run/default/component/${name}`)
        .send({ checks: ['owned-with-runbook'] })
        .set('Authorization', mockCredentials.user.header());
      expect(techInsights.status).toBe(200);
      verdicts[name] = {
        readiness: scorecard.body.results.find(
          (r: { checkId: string }) => r.checkId === 'owned-with-runbook',
        )?.status,
        techInsights: techInsights.body[0]?.result,
      };
    }
    expect(verdicts).toEqual({
      'good-api': { readiness: 'pass', techInsights: true },
      'bad-api': { readiness: 'fail', techInsights: false },
    });

    // The facts document: the retriever's facts and their timestamp.
    const facts = await request(server)
      .get('/api/readiness/facts/component/default/bad-api')
      .set('Authorization', mockCredentials.user.header());
    expect(facts.status).toBe(200);
    expect(facts.body.facts.techInsights).toEqual(
      expect.objectContaining({
        stale: false,
        facts: {
          serviceBasics: {
            hasOwner: true,
            hasRunbook: false,
            timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/),
          },
        },
      }),
    );
  });

  it('does not start without readiness.techInsights.factRetrieverIds', async () => {
    await expect(startBackend({})).rejects.toThrow(
      /readiness\.techInsights\.factRetrieverIds is required/,
    );
  });

  it('reads nothing for an entity that Tech Insights has no facts for', async () => {
    const { schedulers, server } = await startBackend({
      techInsights: {
        factRetrievers: { serviceBasics: { cadence: '0 * * * *' } },
      },
      readiness: {
        techInsights: { factRetrieverIds: ['serviceBasics'] },
        disabledChecks: BUILT_IN_CHECKS.map(c => c.id),
        checks: [
          asConfig(
            fromTechInsightsCheck(
              { id: 'owned-with-runbook', ...jsonfcCheck },
              { area: 'disaster-recovery', level: 'bronze' },
            ),
          ),
        ],
      },
    });
    // The retriever has not run: Tech Insights has no facts yet.
    await schedulers.readiness.triggerTask('readiness-evaluation');

    const scorecard = await request(server)
      .get('/api/readiness/scorecards/component/default/good-api')
      .set('Authorization', mockCredentials.user.header());
    expect(scorecard.status).toBe(200);
    expect(scorecard.body.results).toEqual([
      expect.objectContaining({ checkId: 'owned-with-runbook' }),
    ]);
    expect(scorecard.body.results[0]).toEqual(
      expect.objectContaining({
        status: 'fail',
        message: expect.stringContaining(
          'techInsights.serviceBasics.hasOwner is missing',
        ),
      }),
    );
  });
});
