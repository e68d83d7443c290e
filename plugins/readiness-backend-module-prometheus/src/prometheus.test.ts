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
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@backstage/types';
// The real readiness backend, in a test only: the module is tested in it.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import readinessBackend from '@prodready/plugin-readiness-backend';
import type {
  CheckResult,
  ObservedServiceLevelsFacts,
} from '@prodready/plugin-readiness-common';
import request from 'supertest';
import {
  RecordedService,
  TestPrometheus,
  prometheusInstalled,
  recordedSamples,
  startPrometheus,
} from './__testUtils__/prometheus';
import { createObservedServiceLevelsCollector } from './collector';
import { readPrometheusSettings } from './config';
import readinessModulePrometheus from './index';

/*
 * Against a real Prometheus (Debian's package), loaded with three days of
 * recorded samples whose ratios and quantiles are known exactly: one service
 * that meets its SLA, one that misses availability, one with a slow p95, and
 * one Prometheus has no data for.
 */

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const FAST: RecordedService['buckets'] = [
  [0.05, 0.5],
  [0.1, 0.97],
  [0.2, 0.995],
  [0.5, 1],
];
const SERVICES: RecordedService[] = [
  { job: 'meets-sla', requestsPerStep: 2000, errorsPerStep: 1, buckets: FAST },
  {
    job: 'misses-availability',
    requestsPerStep: 2000,
    errorsPerStep: 10,
    buckets: FAST,
  },
  {
    job: 'slow-p95',
    requestsPerStep: 2000,
    errorsPerStep: 1,
    buckets: [
      [0.05, 0.1],
      [0.1, 0.3],
      [0.2, 0.5],
      [0.5, 0.96],
      [1, 1],
    ],
  },
];

/** histogram_quantile's linear interpolation within the bucket of rank q. */
function expectedQuantileMs(
  buckets: RecordedService['buckets'],
  q: number,
): number {
  let lower = 0;
  let below = 0;
  for (const [le, share] of buckets) {
    if (share >= q) {
      return (lower + ((le - lower) * (q - below)) / (share - below)) * 1000;
    }
    lower = le;
    below = share;
  }
  throw new Error('q above the last bucket');
}

function service(name: string, annotations: Record<string, string> = {}) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  } as Entity;
}

const entities: Entity[] = [
  service('meets-sla', { 'prodready.dev/availability': '99.9' }),
  service('misses-availability'),
  service('slow-p95', { 'prodready.dev/latency-p95': '200ms' }),
  service('no-data'),
  service('payments', {
    'prodready.dev/prometheus-selector': '{job="meets-sla"}',
  }),
];

const installed = prometheusInstalled();
const describeWithPrometheus = installed ? describe : describe.skip;
if (!installed) {
  // eslint-disable-next-line no-console
  console.warn(
    'Prometheus is not installed: the tests against a real Prometheus are skipped (apt-get install prometheus)',
  );
}

describeWithPrometheus('against a real Prometheus', () => {
  let prometheus: TestPrometheus;
  const end = Date.now() - 30_000;

  beforeAll(async () => {
    prometheus = await startPrometheus(
      recordedSamples({
        services: SERVICES,
        endMs: end,
        spanMs: 3 * DAY,
        stepMs: 5 * MINUTE,
      }),
    );
  }, 120_000);

  afterAll(async () => {
    await prometheus?.dispose();
  });

  function settings() {
    const result = readPrometheusSettings(
      new ConfigReader({
        readiness: {
          prometheus: {
            endpoints: [{ name: 'main', baseUrl: prometheus.baseUrl }],
            window: '2d',
          },
        },
      }),
    );
    if (!result) throw new Error('no settings');
    return result;
  }

  async function collectAll() {
    const collector = createObservedServiceLevelsCollector({
      settings: settings(),
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
    });
    const facts: Record<string, ObservedServiceLevelsFacts> = {};
    for (const entity of entities) {
      facts[entity.metadata.name] = (await collector.collect({
        entity,
      })) as unknown as ObservedServiceLevelsFacts;
    }
    return { facts, queries: collector.queriesSent() };
  }

  it('reads the known availability, 5xx rate, latency and budget of each service', async () => {
    const { facts, queries } = await collectAll();

    const meets = facts['meets-sla'];
    expect(meets).toMatchObject({
      status: 'ok',
      endpoint: 'main',
      selector: 'job="meets-sla"',
      selectorSource: 'default',
      window: '2d',
      windowText: '2 d',
      emittedLast24h: true,
      targets: {
        availabilityPercent: 99.9,
        latencyP95Ms: 200,
        errorRatePercent: 0.1,
      },
      availabilityPercent: 99.95,
      errorRatePercent: 0.05,
      errorBudget: {
        allowedMs: 172_800,
        usedMs: 86_400,
        consumedPercent: 50,
        remainingPercent: 50,
        exhausted: false,
        allowedText: '2m 53s',
        usedText: '1m 26s',
      },
      burnRate: { oneHour: 0.5, sixHours: 0.5 },
    });
    expect(meets.latencyP95Ms).toBeCloseTo(expectedQuantileMs(FAST, 0.95), 0);
    expect(meets.latencyP99Ms).toBeCloseTo(expectedQuantileMs(FAST, 0.99), 0);
    // 2,000 requests every 5 minutes over 2 days (increase() extrapolates).
    expect(meets.requests! / (2000 * 12 * 48)).toBeCloseTo(1, 2);
    expect(meets.daily).toHaveLength(2);
    expect(meets.daily!.every(d => d.availabilityPercent === 99.95)).toBe(true);
    expect(meets.queries.map(q => q.name)).toEqual([
      'requests',
      'recentSamples',
      'errorRatio',
      'errorRatio1h',
      'errorRatio6h',
      'latencyP95',
      'latencyP99',
      'dailyErrorRatio',
    ]);
    expect(meets.queries[2]).toMatchObject({
      query:
        '(sum(rate(http_requests_total{job="meets-sla",code=~"5.."}[2d])) or vector(0)) / sum(rate(http_requests_total{job="meets-sla"}[2d]))',
      value: expect.closeTo(0.0005, 12),
    });

    expect(facts['misses-availability']).toMatchObject({
      status: 'ok',
      availabilityPercent: 99.5,
      errorRatePercent: 0.5,
      errorBudget: {
        consumedPercent: 500,
        remainingPercent: 0,
        exhausted: true,
        usedText: '14m 24s',
        allowedText: '2m 53s',
      },
      burnRate: { oneHour: 5, sixHours: 5 },
    });

    const slow = facts['slow-p95'];
    expect(slow.latencyP95Ms).toBeCloseTo(
      expectedQuantileMs(SERVICES[2].buckets, 0.95),
      0,
    );
    expect(slow.latencyP95Ms).toBeGreaterThan(490);

    expect(facts['no-data']).toMatchObject({
      status: 'no-data',
      selector: 'job="no-data"',
      emittedLast24h: false,
    });
    expect(facts['no-data'].availabilityPercent).toBeUndefined();
    expect(facts['no-data'].queries).toHaveLength(2);

    // The annotation selects another job's metrics.
    expect(facts.payments).toMatchObject({
      selector: 'job="meets-sla"',
      selectorSource: 'annotation',
      availabilityPercent: 99.95,
    });

    // Eight queries per service with data, two without.
    expect(queries).toBe(4 * 8 + 2);
  });

  describe('in the readiness backend', () => {
    async function startBackend() {
      let scheduler: SchedulerService | undefined;
      const capture = createBackendModule({
        pluginId: 'readiness',
        moduleId: 'capture-scheduler',
        register(env) {
          env.registerInit({
            deps: { s: coreServices.scheduler },
            async init({ s }) {
              scheduler = s;
            },
          });
        },
      });
      const backend = await startTestBackend({
        features: [
          readinessBackend,
          readinessModulePrometheus,
          capture,
          catalogServiceMock.factory({ entities }),
          mockServices.rootConfig.factory({
            data: {
              readiness: {
                prometheus: {
                  endpoints: [{ name: 'main', baseUrl: prometheus.baseUrl }],
                  window: '2d',
                },
              },
            } as JsonObject,
          }),
        ],
      });
      return {
        server: backend.server,
        evaluate: () => scheduler!.triggerTask('readiness-evaluation'),
        stop: () => backend.stop(),
      };
    }

    async function scorecard(server: any, name: string) {
      const response = await request(server)
        .get(`/api/readiness/scorecards/component/default/${name}`)
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      const byId = Object.fromEntries(
        (response.body.results as CheckResult[]).map(r => [r.checkId, r]),
      );
      return { body: response.body, byId };
    }

    it('scores what each service delivers against what it declares, keeps the facts when Prometheus is down, and recovers', async () => {
      const backend = await startBackend();
      try {
        await backend.evaluate();

        const meets = await scorecard(backend.server, 'meets-sla');
        expect(meets.byId['observed-availability']).toMatchObject({
          status: 'pass',
          message:
            'Observed 99.95% over 2 d, target 99.9%: 1m 26s of downtime against a budget of 2m 53s.',
        });
        expect(meets.byId['observed-error-rate'].status).toBe('pass');
        expect(meets.byId['observed-latency-p95'].status).toBe('pass');
        expect(meets.byId['request-metrics-emitted'].status).toBe('pass');
        expect(meets.byId['error-budget-healthy']).toMatchObject({
          status: 'pass',
          message:
            '50% of the error budget of 2 d is left; burn rate 0.5× over 1 h and 0.5× over 6 h.',
        });

        const misses = await scorecard(backend.server, 'misses-availability');
        expect(misses.byId['observed-availability']).toMatchObject({
          status: 'fail',
          message:
            'Observed 99.5% over 2 d, target 99.9%: 14m 24s of downtime against a budget of 2m 53s.',
        });
        expect(misses.byId['observed-error-rate']).toMatchObject({
          status: 'fail',
          message: 'Observed 5xx rate 0.5% over 2 d, above the budget of 0.1%.',
        });
        expect(misses.byId['error-budget-healthy']).toMatchObject({
          status: 'warn',
          message:
            'The error budget of 2 d is exhausted: 500% used (14m 24s of downtime against 2m 53s).',
        });

        const slow = await scorecard(backend.server, 'slow-p95');
        expect(slow.byId['observed-latency-p95'].status).toBe('fail');
        expect(slow.byId['observed-latency-p95'].message).toMatch(
          /^Observed p95 49\d\.\d ms over 2 d \(p99 \d+(\.\d)? ms\), above the target of 200 ms\.$/,
        );
        expect(slow.byId['observed-availability'].status).toBe('pass');

        const none = await scorecard(backend.server, 'no-data');
        expect(none.byId['request-metrics-emitted']).toMatchObject({
          status: 'fail',
          message:
            'Prometheus (main) has no request metrics for job="no-data" from the last 24 h: is the service scraped, and does it export http_requests_total?',
        });
        for (const id of [
          'observed-availability',
          'observed-latency-p95',
          'observed-error-rate',
          'error-budget-healthy',
        ]) {
          expect(none.byId[id]).toMatchObject({
            status: 'not-applicable',
            message:
              'Prometheus (main) has no request metrics for job="no-data" over 2 d.',
          });
        }

        // Prometheus goes down: the previous facts and results are kept, marked stale.
        await prometheus.stop();
        await backend.evaluate();
        const stale = await scorecard(backend.server, 'misses-availability');
        expect(stale.body.stale).toBe(true);
        expect(stale.body.staleReason).toContain(
          `Prometheus (main) is unreachable at ${prometheus.baseUrl}`,
        );
        expect(stale.byId['observed-availability'].status).toBe('fail');

        // It comes back: the next cycle recovers by itself.
        await prometheus.start();
        await backend.evaluate();
        const recovered = await scorecard(
          backend.server,
          'misses-availability',
        );
        expect(recovered.body.stale).toBe(false);
        expect(recovered.byId['observed-availability'].status).toBe('fail');
      } finally {
        await backend.stop();
      }
    }, 120_000);

    it('stops the backend at start-up on PromQL that Prometheus refuses', async () => {
      await expect(
        startTestBackend({
          features: [
            readinessBackend,
            readinessModulePrometheus,
            catalogServiceMock.factory({ entities }),
            mockServices.rootConfig.factory({
              data: {
                readiness: {
                  prometheus: {
                    endpoints: [{ name: 'main', baseUrl: prometheus.baseUrl }],
                    queries: {
                      requests:
                        'sum(increase(http_requests_total{$selector}[$window])) by',
                    },
                  },
                },
              } as JsonObject,
            }),
          ],
        }),
      ).rejects.toThrow(
        /readiness\.prometheus\.queries\.requests is not valid PromQL; Prometheus \(main\) says: Prometheus \(main\) answered 400 for .*bad_data: .*parse error/,
      );
    }, 60_000);
  });
});
