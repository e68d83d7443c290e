import { ResponseError } from '@backstage/errors';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import {
  CatalogValidationProblems,
  EntityScorecard,
  EntityStoredFacts,
  OverviewPage,
  RemediationPlan,
} from '@prodready/plugin-readiness-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { ChecklistConflictError } from './ReadinessApi';
import { ReadinessClient } from './ReadinessClient';

const BASE_URL = 'http://example.com/api/readiness';

const PROBLEMS: CatalogValidationProblems = {
  items: [
    {
      entityRef: 'component:default/payouts-worker',
      location: 'url:https://git.example.com/payouts/catalog-info.yaml',
      messages: ["prodready.dev/rto: '4 hours' is not a duration"],
      firstSeenAt: '2026-11-26T12:00:00.000Z',
      lastSeenAt: '2026-11-26T12:03:00.000Z',
    },
  ],
};

describe('ReadinessClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ReadinessClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  it('gets the health of the backend', async () => {
    server.use(
      rest.get(`${BASE_URL}/health`, (_req, res, ctx) =>
        res(ctx.json({ status: 'ok' })),
      ),
    );

    await expect(client.getHealth()).resolves.toEqual({ status: 'ok' });
  });

  describe('getCatalogProblems', () => {
    it('gets every problem', async () => {
      const urls: string[] = [];
      server.use(
        rest.get(`${BASE_URL}/catalog-errors`, (req, res, ctx) => {
          urls.push(req.url.toString());
          return res(ctx.json(PROBLEMS));
        }),
      );

      await expect(client.getCatalogProblems()).resolves.toEqual(PROBLEMS);
      expect(urls).toEqual([`${BASE_URL}/catalog-errors`]);
    });

    it('encodes the entity ref in the query', async () => {
      const requests: URL[] = [];
      server.use(
        rest.get(`${BASE_URL}/catalog-errors`, (req, res, ctx) => {
          requests.push(req.url);
          return res(ctx.json({ items: [] }));
        }),
      );

      await client.getCatalogProblems({
        entityRef: 'component:team a/payouts&worker#1',
      });

      expect(requests).toHaveLength(1);
      expect(requests[0].search).toBe(
        '?entityRef=component%3Ateam+a%2Fpayouts%26worker%231',
      );
      expect(requests[0].searchParams.get('entityRef')).toBe(
        'component:team a/payouts&worker#1',
      );
    });

    it('throws a ResponseError with the status and the backend message', async () => {
      server.use(
        rest.get(`${BASE_URL}/catalog-errors`, (_req, res, ctx) =>
          res(
            ctx.status(403),
            ctx.json({
              error: {
                name: 'NotAllowedError',
                message:
                  'You are not allowed to read the catalog validation problems',
              },
              request: { method: 'GET', url: '/api/readiness/catalog-errors' },
              response: { statusCode: 403 },
            }),
          ),
        ),
      );

      const error = await client.getCatalogProblems().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
        cause: {
          name: 'NotAllowedError',
          message:
            'You are not allowed to read the catalog validation problems',
        },
      });
    });
  });
  const SCORECARD: EntityScorecard = {
    entityRef: 'component:default/payments-api',
    level: 'silver',
    levelTitle: 'Silver',
    score: 80,
    areas: [],
    results: [
      {
        checkId: 'hpa-configured',
        title: 'HPA configured',
        area: 'auto-scaling',
        level: 'silver',
        severity: 'error',
        status: 'fail',
        message: 'HPA maxReplicas is 4; needs ≥ 6',
        remediation: 'Raise maxReplicas',
        updatedAt: '2026-11-26T12:00:00.000Z',
      },
    ],
    evaluatedAt: '2026-11-26T12:00:00.000Z',
    stale: false,
  };

  /** Records the requests to a path and answers them with `body`. */
  function serve(
    method: 'get' | 'post',
    path: string,
    body: unknown,
    init: { status?: number; contentType?: string } = {},
  ) {
    const requests: Array<{ url: URL; method: string }> = [];
    server.use(
      rest[method](`${BASE_URL}/${path}`, (req, res, ctx) => {
        requests.push({ url: req.url, method: req.method });
        return res(
          ctx.status(init.status ?? 200),
          init.contentType
            ? ctx.set('Content-Type', init.contentType)
            : ctx.set('Content-Type', 'application/json'),
          ctx.body(typeof body === 'string' ? body : JSON.stringify(body)),
        );
      }),
    );
    return requests;
  }

  it('gets the checks and the status', async () => {
    const checks = {
      scorecard: { id: 'production-readiness', title: 'Production readiness' },
      levels: [],
      checks: [],
    };
    const status = {
      running: false,
      progress: { done: 10, total: 10, skipped: 2, failed: 0 },
    };
    serve('get', 'checks', checks);
    serve('get', 'status', status);

    await expect(client.getChecks()).resolves.toEqual(checks);
    await expect(client.getStatus()).resolves.toEqual(status);
  });

  describe('scorecards', () => {
    it('gets the scorecard of an entity by ref or by parts, encoded', async () => {
      const requests = serve(
        'get',
        'scorecards/:kind/:namespace/:name',
        SCORECARD,
      );

      await expect(
        client.getScorecard('component:default/payments-api'),
      ).resolves.toEqual(SCORECARD);
      await client.getScorecard({
        kind: 'Component',
        namespace: 'team a',
        name: 'x#1',
      });
      // The namespace defaults to `default`.
      await client.getScorecard('component:payments-api');

      expect(requests.map(r => r.url.pathname)).toEqual([
        '/api/readiness/scorecards/component/default/payments-api',
        '/api/readiness/scorecards/Component/team%20a/x%231',
        '/api/readiness/scorecards/component/default/payments-api',
      ]);
    });

    it('rejects an entity ref without a kind', async () => {
      await expect(client.getScorecard('payments-api')).rejects.toThrow(/kind/);
    });

    it('gets the history with its options', async () => {
      const requests = serve(
        'get',
        'scorecards/component/default/payments-api/history',
        { items: [] },
      );

      await client.getHistory('component:default/payments-api');
      await client.getHistory('component:default/payments-api', {
        limit: 5,
        since: new Date('2026-11-01T00:00:00.000Z'),
        checkId: 'hpa-configured',
      });

      expect(requests.map(r => r.url.search)).toEqual([
        '',
        '?limit=5&since=2026-11-01T00%3A00%3A00.000Z&checkId=hpa-configured',
      ]);
    });

    it('gets the trend', async () => {
      const requests = serve(
        'get',
        'scorecards/component/default/payments-api/trend',
        {
          items: [
            {
              day: '2026-11-26',
              level: null,
              levelRank: 0,
              score: 0,
              areas: {},
            },
          ],
        },
      );

      const trend = await client.getTrend('component:default/payments-api', 7);

      expect(trend.items).toHaveLength(1);
      expect(requests[0].url.search).toBe('?days=7');
    });

    it('refreshes with a POST', async () => {
      const requests = serve(
        'post',
        'scorecards/component/default/payments-api/refresh',
        SCORECARD,
      );

      await expect(
        client.refresh('component:default/payments-api'),
      ).resolves.toEqual(SCORECARD);
      expect(requests).toHaveLength(1);
      expect(requests[0].method).toBe('POST');
    });

    it('throws a ResponseError for an entity never evaluated', async () => {
      serve(
        'get',
        'scorecards/component/default/new-one',
        {
          error: {
            name: 'NotFoundError',
            message: 'No readiness scorecard for component:default/new-one yet',
          },
          request: { method: 'GET', url: '/' },
          response: { statusCode: 404 },
        },
        { status: 404 },
      );

      await expect(
        client.getScorecard('component:default/new-one'),
      ).rejects.toMatchObject({
        name: 'ResponseError',
        statusCode: 404,
        cause: { name: 'NotFoundError' },
      });
    });
  });

  describe('remediation', () => {
    const PLAN: RemediationPlan = {
      entityRef: 'component:default/payments-api',
      source: 'manifests',
      deploymentTarget: 'url:https://git.example.com/payments/deploy',
      fixes: [
        {
          checkId: 'hpa-max-replicas',
          title: 'HPA max replicas covers the peak',
          summary: 'Raise maxReplicas of payments-api from 6 to 15',
          message: 'maxReplicas (6) is below the 15 the peak needs',
          before: 'fail',
          after: 'pass',
          paths: ['hpa.yaml'],
          diff: '--- a/hpa.yaml\n+++ b/hpa.yaml\n@@ -1 +1 @@\n-maxReplicas: 6\n+maxReplicas: 15\n',
        },
      ],
      unfixable: [],
      files: [],
      description: 'Fixes 1 failing readiness check',
      computedAt: '2026-11-26T12:00:00.000Z',
    };

    it('gets the plan of an entity by ref or by parts, encoded', async () => {
      const requests = serve('get', 'remediation/:kind/:namespace/:name', PLAN);

      await expect(
        client.getRemediation('component:default/payments-api'),
      ).resolves.toEqual(PLAN);
      await client.getRemediation({
        kind: 'Component',
        namespace: 'team a',
        name: 'x#1/y',
      });
      await client.getRemediation('component:payments-api');

      expect(requests.map(r => [r.method, r.url.pathname])).toEqual([
        ['GET', '/api/readiness/remediation/component/default/payments-api'],
        ['GET', '/api/readiness/remediation/Component/team%20a/x%231%2Fy'],
        ['GET', '/api/readiness/remediation/component/default/payments-api'],
      ]);
    });

    it('throws a ResponseError with the status and the backend message', async () => {
      serve(
        'get',
        'remediation/component/default/payments-api',
        {
          error: {
            name: 'NotAllowedError',
            message:
              'You are not allowed to read the remediation of component:default/payments-api',
          },
          request: { method: 'GET', url: '/' },
          response: { statusCode: 403 },
        },
        { status: 403 },
      );

      const error = await client
        .getRemediation('component:default/payments-api')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
        cause: {
          name: 'NotAllowedError',
          message:
            'You are not allowed to read the remediation of component:default/payments-api',
        },
      });
    });
  });

  describe('facts', () => {
    const FACTS: EntityStoredFacts = {
      entityRef: 'component:default/payments-api',
      facts: {
        observedServiceLevels: {
          version: 1,
          facts: { status: 'no-data', endpoint: 'http://prometheus:9090' },
          collectedAt: '2026-11-26T12:00:00.000Z',
          stale: true,
          error: 'connect ECONNREFUSED',
        },
      },
    };

    it('gets the stored facts of an entity by ref or by parts, encoded', async () => {
      const requests = serve('get', 'facts/:kind/:namespace/:name', FACTS);

      await expect(
        client.getFacts('component:default/payments-api'),
      ).resolves.toEqual(FACTS);
      await client.getFacts({
        kind: 'Component',
        namespace: 'team a',
        name: 'x#1/y',
      });

      expect(requests.map(r => [r.method, r.url.pathname])).toEqual([
        ['GET', '/api/readiness/facts/component/default/payments-api'],
        ['GET', '/api/readiness/facts/Component/team%20a/x%231%2Fy'],
      ]);
    });

    it('throws a ResponseError when no facts were collected yet', async () => {
      serve(
        'get',
        'facts/component/default/payments-api',
        {
          error: {
            name: 'NotFoundError',
            message:
              'No facts were collected for component:default/payments-api yet',
          },
          request: { method: 'GET', url: '/' },
          response: { statusCode: 404 },
        },
        { status: 404 },
      );

      const error = await client
        .getFacts('component:default/payments-api')
        .catch((e: unknown) => e);

      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({
        name: 'ResponseError',
        statusCode: 404,
        cause: { name: 'NotFoundError' },
      });
    });
  });

  describe('overview', () => {
    const PAGE: OverviewPage = {
      items: [],
      totalCount: 0,
      nextCursor: 'abc',
    };

    it('sends every filter, repeated parameters for lists', async () => {
      const requests = serve('get', 'overview', PAGE);

      await expect(client.getOverview()).resolves.toEqual(PAGE);
      await client.getOverview({
        owner: ['group:default/team-a', 'team-b'],
        level: ['none'],
        tier: ['tier-1'],
        q: ' pay ',
        orderBy: 'score',
        order: 'desc',
        limit: 50,
        cursor: 'abc',
      });

      expect(requests[0].url.search).toBe('');
      const params = requests[1].url.searchParams;
      expect(params.getAll('owner')).toEqual([
        'group:default/team-a',
        'team-b',
      ]);
      expect(params.get('level')).toBe('none');
      expect(params.get('tier')).toBe('tier-1');
      expect(params.get('q')).toBe('pay');
      expect(params.get('orderBy')).toBe('score');
      expect(params.get('order')).toBe('desc');
      expect(params.get('limit')).toBe('50');
      expect(params.get('cursor')).toBe('abc');
    });

    it('sends only the filters for the summary and the trend', async () => {
      const summary = serve('get', 'overview/summary', {
        total: 0,
        averageScore: null,
        levels: [],
        owners: [],
      });
      const trend = serve('get', 'overview/trend', { items: [] });
      const query = {
        owner: ['team-a'],
        orderBy: 'score' as const,
        limit: 10,
        cursor: 'abc',
      };

      await client.getOverviewSummary(query);
      await client.getPortfolioTrend({ ...query, days: 90 });

      expect(summary[0].url.search).toBe('?owner=team-a');
      expect(trend[0].url.search).toBe('?days=90&owner=team-a');
    });

    it('builds the CSV URL, and downloads the CSV', async () => {
      const csv = 'entityRef,kind\r\ncomponent:default/a,Component\r\n';
      const requests = serve('get', 'overview.csv', csv, {
        contentType: 'text/csv; charset=utf-8',
      });

      await expect(
        client.getOverviewCsvUrl({
          system: ['billing'],
          orderBy: 'level',
          limit: 5,
        } as Parameters<typeof client.getOverviewCsvUrl>[0]),
      ).resolves.toBe(`${BASE_URL}/overview.csv?system=billing&orderBy=level`);
      const blob = await client.downloadOverviewCsv({ level: ['gold'] });

      expect(blob.type).toMatch(/^text\/csv/);
      expect(await blob.text()).toBe(csv);
      expect(requests[0].url.search).toBe('?level=gold');
    });

    it('throws a ResponseError when the download is forbidden', async () => {
      serve(
        'get',
        'overview.csv',
        {
          error: {
            name: 'NotAllowedError',
            message: 'You are not allowed to read the readiness overview',
          },
        },
        { status: 403 },
      );

      await expect(client.downloadOverviewCsv()).rejects.toMatchObject({
        statusCode: 403,
      });
    });
  });

  describe('checklists', () => {
    const ITEM = {
      definition: {
        id: 'dr-tested',
        text: 'Backup and disaster recovery tested',
        kind: 'manual',
      },
      state: {
        entityRef: 'component:default/payments-api',
        phaseId: 'phase-4',
        checklistId: 'completion',
        itemId: 'dr-tested',
        status: 'done',
        attestedBy: 'user:default/alice',
        evidenceUrl: 'https://wiki.example.com/dr',
        version: 3,
      },
      effectiveStatus: 'done',
      expired: false,
      expiresSoon: false,
      checks: [],
      checksPassing: null,
    };

    it('gets the phases and the checklists of an entity, parts encoded', async () => {
      const phases = serve('get', 'phases', { phases: [] });
      const lists = serve('get', 'checklists/component/default/a%20b', {
        entityRef: 'component:default/a b',
        phases: [],
      });

      await expect(client.getPhases()).resolves.toEqual({ phases: [] });
      await expect(
        client.getChecklists({
          kind: 'component',
          namespace: 'default',
          name: 'a b',
        }),
      ).resolves.toEqual({ entityRef: 'component:default/a b', phases: [] });
      expect(phases).toHaveLength(1);
      expect(lists[0].url.pathname).toBe(
        '/api/readiness/checklists/component/default/a%20b',
      );
    });

    it('puts an update with its expected version and returns the saved item', async () => {
      const bodies: unknown[] = [];
      server.use(
        rest.put(
          `${BASE_URL}/checklists/component/default/payments-api/phase-4/items/dr-tested`,
          async (req, res, ctx) => {
            bodies.push(await req.json());
            return res(ctx.json(ITEM));
          },
        ),
      );

      await expect(
        client.updateChecklistItem(
          'component:default/payments-api',
          { phaseId: 'phase-4', itemId: 'dr-tested' },
          {
            status: 'done',
            evidenceUrl: 'https://wiki.example.com/dr',
            expectedVersion: 2,
          },
        ),
      ).resolves.toEqual(ITEM);
      expect(bodies).toEqual([
        {
          status: 'done',
          evidenceUrl: 'https://wiki.example.com/dr',
          expectedVersion: 2,
        },
      ]);
    });

    it('turns a 409 into a ChecklistConflictError carrying the current item', async () => {
      server.use(
        rest.put(
          `${BASE_URL}/checklists/component/default/payments-api/phase-4/items/dr-tested`,
          (_req, res, ctx) =>
            res(
              ctx.status(409),
              ctx.json({
                error: {
                  name: 'ConflictError',
                  message: 'The item is at version 3, not 2',
                },
                current: ITEM,
              }),
            ),
        ),
      );

      const error = await client
        .updateChecklistItem(
          'component:default/payments-api',
          { phaseId: 'phase-4', itemId: 'dr-tested' },
          { status: 'open', expectedVersion: 2 },
        )
        .catch(e => e);
      expect(error).toBeInstanceOf(ChecklistConflictError);
      expect(error.message).toBe('The item is at version 3, not 2');
      expect(error.current).toEqual(ITEM);
    });

    it('throws a ResponseError for a rejected update', async () => {
      server.use(
        rest.put(
          `${BASE_URL}/checklists/component/default/payments-api/phase-4/items/dr-tested`,
          (_req, res, ctx) =>
            res(
              ctx.status(400),
              ctx.json({
                error: {
                  name: 'InputError',
                  message: "evidenceUrl: 'ftp://x' is not an http(s) URL",
                },
              }),
            ),
        ),
      );

      await expect(
        client.updateChecklistItem(
          'component:default/payments-api',
          { phaseId: 'phase-4', itemId: 'dr-tested' },
          { status: 'done', evidenceUrl: 'ftp://x', expectedVersion: 0 },
        ),
      ).rejects.toMatchObject({ name: 'ResponseError', statusCode: 400 });
    });

    it('pages the audit trail with its filters', async () => {
      const requests = serve(
        'get',
        'checklists/component/default/payments-api/audit',
        { entries: [], nextCursor: 'next' },
      );

      await expect(
        client.getChecklistAudit('component:default/payments-api', {
          phaseId: 'phase-4',
          limit: 20,
          cursor: 'abc',
        }),
      ).resolves.toEqual({ entries: [], nextCursor: 'next' });
      expect(requests[0].url.search).toBe(
        '?phaseId=phase-4&limit=20&cursor=abc',
      );
    });
  });
});
