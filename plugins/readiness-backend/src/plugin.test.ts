import path from 'path';
import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  readinessChecksExtensionPoint,
  readinessFactCollectorsExtensionPoint,
} from '@prodready/plugin-readiness-node';
import type { JsonObject } from '@backstage/types';
import request from 'supertest';
import { DatabaseReadinessStore } from './database';
import {
  BUILT_IN_CHECKS,
  readCatalogFile,
} from '@prodready/plugin-readiness-engine';
import { readinessPlugin } from './plugin';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');

/** The example catalog (`examples/`), as the catalog reads file locations. */
function loadExampleEntities() {
  return ['entities.yaml', 'service-levels.yaml', 'org.yaml'].flatMap(file =>
    readCatalogFile(path.join(EXAMPLES_DIR, file)),
  );
}

const RTO_ERROR =
  "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";

/** One events service for the whole test backend, that the test publishes on. */
function sharedEvents() {
  const events = mockServices.events();
  const factory = createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () => events,
  });
  return { events, factory };
}

describe('readinessPlugin', () => {
  it('serves /health without credentials', async () => {
    const { server } = await startTestBackend({ features: [readinessPlugin] });

    const response = await request(server).get('/api/readiness/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('rejects unauthenticated requests to other routes', async () => {
    const { server } = await startTestBackend({ features: [readinessPlugin] });

    const anonymous = await request(server)
      .get('/api/readiness/anything')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const signedIn = await request(server)
      .get('/api/readiness/anything')
      .set('Authorization', mockCredentials.user.header());
    expect(signedIn.status).toBe(404);
  });

  it('serves its OpenAPI spec', async () => {
    const { server } = await startTestBackend({ features: [readinessPlugin] });

    const response = await request(server)
      .get('/api/readiness/openapi.json')
      .set('Authorization', mockCredentials.user.header());

    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/readiness/health',
        '/api/readiness/catalog-errors',
      ]),
    );
  });

  describe('catalog validation problems', () => {
    it('shows the errors the catalog publishes', async () => {
      const { events, factory } = sharedEvents();
      const { server } = await startTestBackend({
        features: [readinessPlugin, factory],
      });

      await events.publish({
        topic: 'experimental.catalog.errors',
        eventPayload: {
          entity: 'component:default/payouts-worker',
          location: 'url:https://git.example.com/payouts/catalog-info.yaml',
          errors: [new Error(RTO_ERROR)],
        },
      });
      await events.publish({
        topic: 'experimental.catalog.errors',
        eventPayload: {
          entity: 'component:default/ledger-api',
          errors: [new Error('ledger is broken')],
        },
      });

      const response = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.user.header());

      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(2);
      expect(response.body.items).toContainEqual({
        entityRef: 'component:default/payouts-worker',
        location: 'url:https://git.example.com/payouts/catalog-info.yaml',
        messages: [RTO_ERROR],
        firstSeenAt: expect.any(String),
        lastSeenAt: expect.any(String),
      });

      const one = await request(server)
        .get('/api/readiness/catalog-errors')
        .query({ entityRef: 'component:payouts-worker' })
        .set('Authorization', mockCredentials.user.header());
      expect(one.status).toBe(200);
      expect(one.body.items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/payouts-worker',
          messages: [RTO_ERROR],
        }),
      ]);
    });

    it('ignores other topics and malformed events', async () => {
      const { events, factory } = sharedEvents();
      const { server } = await startTestBackend({
        features: [readinessPlugin, factory],
      });

      await events.publish({
        topic: 'experimental.catalog.conflict',
        eventPayload: { entity: 'component:default/x', errors: [] },
      });
      await events.publish({
        topic: 'experimental.catalog.errors',
        eventPayload: 'not an object',
      });

      const response = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [] });
    });

    it('needs credentials and the overview permission', async () => {
      const { server } = await startTestBackend({
        features: [
          readinessPlugin,
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });

      const anonymous = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);

      const denied = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.user.header());
      expect(denied.status).toBe(403);

      // Health stays open whatever the policy.
      const health = await request(server).get('/api/readiness/health');
      expect(health.status).toBe(200);
    });
  });

  describe('evaluation', () => {
    const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

    /** A test backend over a database the test can read too. */
    async function startWithDatabase(
      options: {
        config?: JsonObject;
        features?: Parameters<typeof startTestBackend>[0]['features'];
      } = {},
    ) {
      const knex = await databases.init('SQLITE_3');
      // The plugin's scheduler: startTestBackend's mock, which runs a task
      // to completion when it is triggered.
      let scheduler: SchedulerService | undefined;
      const captureScheduler = createBackendModule({
        pluginId: 'readiness',
        moduleId: 'capture-scheduler',
        register(env) {
          env.registerInit({
            deps: { service: coreServices.scheduler },
            async init({ service }) {
              scheduler = service;
            },
          });
        },
      });
      const backend = await startTestBackend({
        features: [
          readinessPlugin,
          captureScheduler,
          mockServices.database.factory({ knex, migrations: { skip: false } }),
          mockServices.rootConfig.factory({ data: options.config ?? {} }),
          catalogServiceMock.factory({ entities: loadExampleEntities() }),
          ...(options.features ?? []),
        ],
      });
      const store = await DatabaseReadinessStore.create({
        database: mockServices.database({ knex }),
        skipMigrations: true,
      });
      return { backend, scheduler: scheduler!, store };
    }

    it('schedules a global evaluation task that stores scorecards', async () => {
      const { scheduler, store } = await startWithDatabase();
      // And the hourly notifications task (expiries, initiative reminders).
      expect(await scheduler.getScheduledTasks()).toEqual([
        expect.objectContaining({
          id: 'readiness-notifications',
          scope: 'global',
        }),
        expect.objectContaining({
          id: 'readiness-evaluation',
          scope: 'global',
        }),
      ]);
      // The first run waits for its initial delay: nothing yet.
      expect(await store.listEntityRefs()).toEqual([]);

      await scheduler.triggerTask('readiness-evaluation');

      const scorecard = await store.getScorecard(
        'component:default/payments-api',
      );
      expect(scorecard?.results.map(r => r.checkId).sort()).toEqual(
        BUILT_IN_CHECKS.map(c => c.id).sort(),
      );
      expect(scorecard?.scores).toEqual(
        expect.objectContaining({
          kind: 'Component',
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/payments-team',
          system: 'system:default/payments',
          tier: 'tier-1',
          level: expect.any(String),
          stale: false,
        }),
      );
      // Every Component of the example catalog, and nothing else.
      const components = loadExampleEntities().filter(
        e => e.kind === 'Component',
      );
      expect(await store.listEntityRefs()).toHaveLength(components.length);
    });

    it('uses the collectors and operators of the extension points', async () => {
      const probeModule = createBackendModule({
        pluginId: 'readiness',
        moduleId: 'probe',
        register(env) {
          env.registerInit({
            deps: {
              collectors: readinessFactCollectorsExtensionPoint,
              checks: readinessChecksExtensionPoint,
            },
            async init({ collectors, checks }) {
              collectors.addFactCollector({
                id: 'probe',
                version: 1,
                async collect({ entity }) {
                  return { name: entity.metadata.name };
                },
              });
              checks.addOperator({
                name: 'endsWith',
                evaluate: (fact, value) =>
                  typeof fact === 'string' && fact.endsWith(String(value)),
              });
            },
          });
        },
      });
      const { scheduler, store } = await startWithDatabase({
        features: [probeModule],
        config: {
          readiness: {
            disabledChecks: BUILT_IN_CHECKS.map(c => c.id),
            checks: [
              {
                id: 'named-api',
                title: 'Named like an API',
                area: 'deployment',
                level: 'bronze',
                severity: 'error',
                remediation: 'Rename it.',
                rule: {
                  all: [
                    {
                      fact: 'probe',
                      path: '$.name',
                      operator: 'endsWith',
                      value: '-api',
                    },
                  ],
                },
              },
            ],
          },
        },
      });

      await scheduler.triggerTask('readiness-evaluation');

      const api = await store.getScorecard('component:default/payments-api');
      expect(api?.results).toEqual([
        expect.objectContaining({ checkId: 'named-api', status: 'pass' }),
      ]);
      const worker = await store.getScorecard(
        'component:default/payouts-worker',
      );
      expect(worker?.results).toEqual([
        expect.objectContaining({ checkId: 'named-api', status: 'fail' }),
      ]);
    });

    it('fails to start with an invalid check, naming the check and the field', async () => {
      await expect(
        startTestBackend({
          features: [
            readinessPlugin,
            mockServices.rootConfig.factory({
              data: {
                readiness: {
                  checks: [
                    {
                      id: 'hpa-max',
                      title: 'HPA max',
                      area: 'autoscaling',
                      level: 'silver',
                      severity: 'error',
                      remediation: 'Raise it.',
                      rule: {
                        all: [
                          {
                            fact: 'deployment',
                            path: '$.hpa',
                            operator: 'exists',
                          },
                        ],
                      },
                    },
                  ],
                },
              },
            }),
          ],
        }),
      ).rejects.toThrow(
        "Invalid readiness check 'hpa-max': area 'autoscaling' is not a known area (did you mean 'auto-scaling'?); expected one of deployment, load-balancing, auto-scaling, performance, cdn, security, compliance, disaster-recovery, sla, monitoring",
      );
    });
  });
});
