import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import { readinessPlugin } from '../../plugin';
import {
  captureReadinessScheduler,
  EXAMPLE_ENTITIES,
} from '../../__testUtils__/testBackend';

jest.setTimeout(120_000);

const URL = '/api/readiness/results/component/default/payments-api';

const LOAD_TEST = {
  id: 'load-test-passed',
  title: 'Load test passed at peak',
  area: 'performance',
  level: 'silver',
  severity: 'error',
  source: 'external',
  applicability: { kinds: ['Component'] },
  remediation: 'Run the load test in the pipeline and push its result.',
};

describe('POST /results (pushed results of external checks)', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  async function start() {
    const knex = await databases.init('SQLITE_3');
    const evaluation = captureReadinessScheduler();
    const backend = await startTestBackend({
      features: [
        readinessPlugin,
        evaluation.module,
        mockServices.database.factory({ knex, migrations: { skip: false } }),
        mockServices.rootConfig.factory({
          data: { readiness: { checks: [LOAD_TEST] } },
        }),
        catalogServiceMock.factory({ entities: EXAMPLE_ENTITIES }),
      ],
    });
    await evaluation.evaluate();
    const server = backend.server;
    const push = (body: unknown, header = mockCredentials.service.header()) =>
      request(server)
        .post(URL)
        .set('Authorization', header)
        .set('Content-Type', 'application/json')
        .send(body as object);
    const resultOf = async (checkId: string) => {
      const scorecard = await request(server)
        .get('/api/readiness/scorecards/component/default/payments-api')
        .set('Authorization', mockCredentials.user.header());
      return scorecard.body.results.find((r: any) => r.checkId === checkId);
    };
    const rows = () => knex('readiness_external_results').select();
    return { backend, evaluation, push, resultOf, rows, server };
  }

  it('stores a pushed result, evaluates it at once, keeps it in history, and makes it stale after its TTL', async () => {
    const { backend, evaluation, push, resultOf, server } = await start();
    try {
      // Before any push the check cannot pass.
      expect(await resultOf('load-test-passed')).toMatchObject({
        status: 'error',
        message: expect.stringMatching(/^No result has been pushed/),
      });

      const passed = await push({
        checkId: 'load-test-passed',
        status: 'pass',
        message: 'p95 180 ms at 1200 rps',
        value: 180,
        detailsUrl: 'https://ci.example.com/runs/41',
      });
      expect(passed.status).toBe(202);
      expect(passed.body).toMatchObject({
        entityRef: 'component:default/payments-api',
        checkId: 'load-test-passed',
        status: 'pass',
        message: 'p95 180 ms at 1200 rps',
      });
      expect(await resultOf('load-test-passed')).toMatchObject({
        status: 'pass',
        message: 'p95 180 ms at 1200 rps',
        details: expect.stringContaining('https://ci.example.com/runs/41'),
      });

      const failed = await push({
        checkId: 'load-test-passed',
        status: 'fail',
        message: 'p95 450 ms at 1200 rps',
        ttl: '2s',
      });
      expect(failed.body).toMatchObject({ status: 'fail' });
      const history = await request(server)
        .get(
          '/api/readiness/scorecards/component/default/payments-api/history?checkId=load-test-passed',
        )
        .set('Authorization', mockCredentials.user.header());
      expect(history.body.items[0]).toMatchObject({
        checkId: 'load-test-passed',
        fromStatus: 'pass',
        toStatus: 'fail',
      });

      // Past its TTL the next cycle marks it stale.
      await new Promise(resolve => setTimeout(resolve, 2100));
      await evaluation.evaluate();
      expect(await resultOf('load-test-passed')).toMatchObject({
        status: 'error',
        message: expect.stringMatching(
          /^Stale: the result pushed at .* expired at .*; push a new one \(it said: p95 450 ms at 1200 rps\)$/,
        ),
      });
    } finally {
      await backend.stop();
    }
  });

  it('refuses bad pushes with a 4xx and writes nothing', async () => {
    const { backend, push, rows } = await start();
    try {
      const good = {
        checkId: 'load-test-passed',
        status: 'pass',
        message: 'ok',
      };
      const cases: Array<[string, unknown, number, RegExp, string?]> = [
        ['unknown check', { ...good, checkId: 'nope' }, 404, /no check 'nope'/],
        [
          'a check evaluated from facts',
          { ...good, checkId: 'pdb-configured' },
          400,
          /only checks declared with source: external take pushed results/,
        ],
        [
          'an oversized message',
          { ...good, message: 'x'.repeat(2001) },
          400,
          /message/,
        ],
        ['a bad status', { ...good, status: 'green' }, 400, /status/],
        [
          'a link that is not http(s)',
          { ...good, detailsUrl: 'ftp://ci.example.com/41' },
          400,
          /detailsUrl: .*not an http\(s\) URL/,
        ],
        [
          'a bad TTL',
          { ...good, ttl: 'soon' },
          400,
          /ttl: 'soon' is not a duration/,
        ],
        [
          'a TTL over a year',
          { ...good, ttl: '400d' },
          400,
          /ttl must be at most/,
        ],
        [
          'an unknown field',
          { ...good, colour: 'red' },
          400,
          /colour|additional/,
        ],
        [
          'an oversized link',
          { ...good, detailsUrl: `https://x/${'y'.repeat(3_000)}` },
          400,
          /detailsUrl/,
        ],
        [
          'a body over the size limit',
          { ...good, message: 'x'.repeat(300_000) },
          400,
          /request entity too large/,
        ],
        [
          'a user instead of a service',
          good,
          403,
          /./,
          mockCredentials.user.header(),
        ],
      ];
      for (const [what, body, status, message, header] of cases) {
        const response = await push(body, header);
        expect({ what, status: response.status }).toEqual({ what, status });
        expect({ what, message: response.body.error?.message ?? '' }).toEqual({
          what,
          message: expect.stringMatching(message),
        });
      }
      const missing = await request(backend.server)
        .post('/api/readiness/results/component/default/no-such-service')
        .set('Authorization', mockCredentials.service.header())
        .send(good);
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(
        'The catalog has no entity component:default/no-such-service',
      );
      expect(await rows()).toEqual([]);
    } finally {
      await backend.stop();
    }
  });
});
