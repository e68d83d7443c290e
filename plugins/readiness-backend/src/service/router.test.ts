import { BackstageCredentials } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { NotFoundError } from '@backstage/errors';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  AuthorizePermissionRequest,
  AuthorizeResult,
  QueryPermissionRequest,
} from '@backstage/plugin-permission-common';
import {
  AreaScore,
  CheckDefinition,
  CheckResultStatus,
  DEFAULT_LEVELS,
  OverviewPage,
  ReadinessAreaId,
  Scorecard,
  buildOverviewQueryString,
  readinessOverviewReadPermission,
  readinessRefreshPermission,
  readinessScorecardReadPermission,
} from '@prodready/plugin-readiness-common';
import express from 'express';
import request from 'supertest';
import { DatabaseReadinessStore } from '../database/DatabaseReadinessStore';
import { EntityScores } from '../database/ReadinessStore';
import { CatalogProblemsService } from './catalogProblems';
import { ReadinessEngine, ScorecardDefinition } from './engine/types';
import { createRouter } from './router';

jest.setTimeout(60_000);

const PROBLEM = {
  entityRef: 'component:default/payouts-worker',
  location: 'url:https://git.example.com/payouts/catalog-info.yaml',
  messages: [
    "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
  ],
  firstSeenAt: '2026-11-26T12:00:00.000Z',
  lastSeenAt: '2026-11-26T12:03:00.000Z',
};

function check(
  id: string,
  area: ReadinessAreaId,
  level: string,
  extra: Partial<CheckDefinition> = {},
): CheckDefinition {
  return {
    id,
    title: `Title of ${id}`,
    area,
    level,
    rule: { fact: 'entity', operator: 'equal', value: true },
    severity: 'error',
    remediation: `Fix ${id}`,
    ...extra,
  };
}

const DEFINITION: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  // Not in rank order: the API sorts them.
  levels: [DEFAULT_LEVELS[2], DEFAULT_LEVELS[0], DEFAULT_LEVELS[1]],
  checks: [
    check('probes-configured', 'load-balancing', 'bronze', {
      description: 'Liveness and readiness probes',
      docsUrl: 'https://docs.example.com/probes',
      applicability: { kinds: ['Component'] },
    }),
    check('sla-defined', 'sla', 'bronze'),
    check('hpa-configured', 'auto-scaling', 'silver'),
    check('ingress-tls', 'security', 'silver', { severity: 'warning' }),
    check('dr-tested', 'disaster-recovery', 'gold'),
  ],
};

const LEVEL_RANK: Record<string, number> = { bronze: 1, silver: 2, gold: 3 };

/** A time on a day of November 2026, UTC. */
const at = (day: number, hour = 12) =>
  new Date(Date.UTC(2026, 10, day, hour, 0, 0, 0));

function areaScore(area: ReadinessAreaId, score: number | null): AreaScore {
  return {
    area,
    score,
    passed: score === null ? 0 : 1,
    failed: score === null || score === 100 ? 0 : 1,
    warned: 0,
    errored: 0,
    notApplicable: score === null ? 1 : 0,
    waived: 0,
    total: score === null ? 1 : 2,
  };
}

type Seed = {
  ref: string;
  results?: Record<string, CheckResultStatus>;
} & Partial<EntityScores>;

function evaluation(seed: Seed, evaluatedAt: Date) {
  const { ref, results = { 'sla-defined': 'pass' }, ...overrides } = seed;
  const level = overrides.level === undefined ? 'bronze' : overrides.level;
  return {
    entityRef: ref,
    results: Object.entries(results).map(([checkId, status]) => ({
      checkId,
      status,
      message: `${checkId} is ${status}`,
    })),
    scores: {
      kind: ref.startsWith('resource:') ? 'Resource' : 'Component',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
      system: 'system:default/billing',
      tier: 'tier-1',
      levelRank: level === null ? 0 : LEVEL_RANK[level],
      score: 50,
      areaScores: [areaScore('sla', 100), areaScore('security', null)],
      passed: 1,
      failed: 1,
      factsHash: `hash-${ref}`,
      stale: false,
      ...overrides,
      level,
    },
    evaluatedAt,
  };
}

const PAYMENTS = 'component:default/payments-api';

const SEEDS: Seed[] = [
  {
    ref: PAYMENTS,
    level: 'silver',
    score: 80,
    areaScores: [
      areaScore('load-balancing', 100),
      areaScore('sla', 100),
      areaScore('auto-scaling', 50),
      areaScore('security', null),
      areaScore('disaster-recovery', 0),
    ],
    results: {
      'dr-tested': 'fail',
      'hpa-configured': 'warn',
      'ingress-tls': 'not-applicable',
      'probes-configured': 'pass',
      'retired-check': 'fail',
      'sla-defined': 'error',
    },
  },
  {
    ref: 'component:default/ledger-api',
    owner: 'group:default/team-b',
    tier: 'tier-2',
    level: 'bronze',
    score: 60,
  },
  {
    ref: 'component:default/search',
    level: 'gold',
    score: 100,
    system: 'system:default/shop',
  },
  {
    ref: 'component:default/legacy',
    owner: null,
    system: null,
    tier: null,
    lifecycle: 'deprecated',
    level: null,
    score: 10,
  },
  {
    ref: 'resource:default/orders-db',
    owner: 'group:default/team-c',
    type: 'database',
    level: 'silver',
    score: 75,
  },
  {
    ref: 'component:default/weird',
    owner: 'group:default/team-c',
    type: 'a,"b"',
    lifecycle: '=HYPERLINK("http://evil.example.com")',
    system: '@system:default/sum',
    tier: 'tier-3',
    level: 'bronze',
    score: 40,
  },
];

const ALL_REFS = SEEDS.map(seed => seed.ref).sort();

/** The catalog as the permission framework sees it: who owns what. */
const OWNERS: Record<string, string> = {
  [PAYMENTS]: 'user:default/alice',
  'component:default/search': 'user:default/alice',
};

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** Fakes only the date, so that database and HTTP timers keep running. */
function fakeDate(now: Date) {
  jest.useFakeTimers({
    now,
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout',
    ],
  });
}

describe('createRouter', () => {
  let store: DatabaseReadinessStore;
  let catalogProblems: jest.Mocked<CatalogProblemsService>;
  let engine: jest.Mocked<ReadinessEngine>;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    store = await DatabaseReadinessStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    // A day earlier, for the history and the trends: two checks of
    // payments-api passed then, and fail/warn since day 20.
    await store.saveEvaluation(
      evaluation(
        {
          ...SEEDS[0],
          score: 70,
          results: {
            ...SEEDS[0].results,
            'dr-tested': 'pass',
            'hpa-configured': 'pass',
          },
        },
        at(19),
      ),
    );
    await store.saveEvaluations(SEEDS.map(seed => evaluation(seed, at(20))));
  });

  beforeEach(() => {
    catalogProblems = {
      listProblems: jest.fn().mockResolvedValue([PROBLEM]),
      handleEvent: jest.fn(),
    };
    engine = {
      getDefinition: jest.fn(() => DEFINITION),
      refresh: jest.fn(),
      runCycle: jest.fn(),
      getStatus: jest.fn(() => ({
        running: true,
        progress: { done: 3, total: 10, skipped: 1, failed: 0 },
        lastCycleStartedAt: '2026-11-20T12:00:00.000Z',
      })),
      addListener: jest.fn(),
    };
  });

  type Decide = (
    request: AuthorizePermissionRequest,
    credentials: BackstageCredentials,
  ) => AuthorizeResult.ALLOW | AuthorizeResult.DENY;

  async function createApp(
    options: {
      /** The decision for every authorize request (default ALLOW). */
      decide?: Decide;
      /** The decision without a resource for `authorizeConditional`. */
      conditional?: AuthorizeResult;
      csvExport?: { maxRows?: number; pageSize?: number };
    } = {},
  ) {
    const decide: Decide = options.decide ?? (() => AuthorizeResult.ALLOW);
    const permissions = mockServices.permissions.mock({
      authorize: async (requests, { credentials }) =>
        requests.map(r => ({
          result: decide(r as AuthorizePermissionRequest, credentials),
        })),
      // As the permission backend: a policy that decides per resource
      // (`decide`) is conditional without one.
      authorizeConditional: async (requests: QueryPermissionRequest[]) =>
        requests.map(r =>
          (options.conditional ??
            (options.decide
              ? AuthorizeResult.CONDITIONAL
              : AuthorizeResult.ALLOW)) === AuthorizeResult.CONDITIONAL
            ? {
                result: AuthorizeResult.CONDITIONAL,
                pluginId: 'catalog',
                resourceType: 'catalog-entity',
                conditions: {
                  rule: 'IS_ENTITY_OWNER',
                  resourceType: 'catalog-entity',
                  params: { claims: ['user:default/alice'] },
                },
              }
            : {
                result: (options.conditional ?? AuthorizeResult.ALLOW) as
                  | AuthorizeResult.ALLOW
                  | AuthorizeResult.DENY,
                ...(r && {}),
              },
        ),
    });
    const catalog = catalogServiceMock({
      entities: SEEDS.map(seed => {
        const [kind, rest] = seed.ref.split(':');
        const [namespace, name] = rest.split('/');
        return {
          apiVersion: 'backstage.io/v1alpha1',
          kind: kind === 'resource' ? 'Resource' : 'Component',
          metadata: { namespace, name },
          spec: {},
        };
      }),
    });
    jest.spyOn(catalog, 'getEntities');
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalogProblems,
      engine,
      store,
      catalog,
      csvExport: options.csvExport,
    });
    const app = express();
    app.use(router);
    app.use(mockErrorHandler());
    return { app, permissions, catalog };
  }

  /** A policy that lets owners (and only them) have the permission. */
  const ownersOnly =
    (permissionName: string): Decide =>
    (req, credentials) => {
      if (req.permission.name !== permissionName) {
        return AuthorizeResult.ALLOW;
      }
      const user = (credentials.principal as { userEntityRef?: string })
        .userEntityRef;
      return req.resourceRef && OWNERS[req.resourceRef] === user
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY;
    };

  it('serves /health', async () => {
    const { app } = await createApp();

    const response = await request(app).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('serves its OpenAPI spec', async () => {
    const { app } = await createApp();

    const response = await request(app).get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ info: { title: 'readiness' } });
    expect(Object.keys(response.body.paths).sort()).toEqual([
      '/catalog-errors',
      '/checklists/{kind}/{namespace}/{name}',
      '/checklists/{kind}/{namespace}/{name}/audit',
      '/checklists/{kind}/{namespace}/{name}/{phaseId}/items/{itemId}',
      '/checks',
      '/facts/{kind}/{namespace}/{name}',
      '/health',
      '/initiatives',
      '/initiatives/by-entity/{kind}/{namespace}/{name}',
      '/initiatives/{id}',
      '/initiatives/{id}/audit',
      '/initiatives/{id}/entities',
      '/initiatives/{id}/entities.csv',
      '/overview',
      '/overview.csv',
      '/overview/summary',
      '/overview/trend',
      '/phases',
      '/remediation/{kind}/{namespace}/{name}',
      '/results/{kind}/{namespace}/{name}',
      '/rollups/{kind}/{namespace}/{name}',
      '/scorecards/{kind}/{namespace}/{name}',
      '/scorecards/{kind}/{namespace}/{name}/history',
      '/scorecards/{kind}/{namespace}/{name}/refresh',
      '/scorecards/{kind}/{namespace}/{name}/trend',
      '/status',
      '/waivers',
      '/waivers/{id}',
      '/waivers/{id}/decision',
      '/waivers/{kind}/{namespace}/{name}/{phaseId}/items/{itemId}',
    ]);
  });

  describe('GET /catalog-errors', () => {
    it('returns the current problems', async () => {
      const { app, permissions } = await createApp();

      const response = await request(app).get('/catalog-errors');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [PROBLEM] });
      expect(catalogProblems.listProblems).toHaveBeenCalledWith({
        entityRef: undefined,
      });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission: readinessOverviewReadPermission }],
        { credentials: mockCredentials.user() },
      );
    });

    it('lets services read', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .set('Authorization', mockCredentials.service.header());

      expect(response.status).toBe(200);
    });

    it('filters by a normalized entity ref', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entityRef: 'Component:payouts-worker' });

      expect(response.status).toBe(200);
      expect(catalogProblems.listProblems).toHaveBeenCalledWith({
        entityRef: 'component:default/payouts-worker',
      });
    });

    it('rejects requests without credentials', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .set('Authorization', mockCredentials.none.header());

      expect(response.status).toBe(401);
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it('forbids users the policy denies', async () => {
      const { app, permissions } = await createApp({
        decide: () => AuthorizeResult.DENY,
      });

      const response = await request(app).get('/catalog-errors');

      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({ name: 'NotAllowedError' });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission: readinessOverviewReadPermission }],
        { credentials: mockCredentials.user() },
      );
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it.each([
      ['no kind', 'payouts-worker'],
      ['an empty name', 'component:default/'],
      ['an empty value', ''],
    ])('rejects an entity ref with %s', async (_case, entityRef) => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entityRef });

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ name: 'InputError' });
      expect(response.body.error.message).toMatch(/entityRef/);
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it('explains what is wrong with an entity ref', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entityRef: 'payouts-worker' });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid entityRef 'payouts-worker': .*kind/,
      );
    });

    it('rejects more than one entity ref', async () => {
      const { app } = await createApp();

      const response = await request(app).get(
        '/catalog-errors?entityRef=component:a&entityRef=component:b',
      );

      expect(response.status).toBe(400);
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it('rejects unknown query parameters', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entity: 'component:default/payouts-worker' });

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ name: 'InputError' });
    });
  });

  describe('GET /checks', () => {
    it('returns the levels in rank order and the checks without rules', async () => {
      const { app } = await createApp();

      const response = await request(app).get('/checks');

      expect(response.status).toBe(200);
      expect(response.body.scorecard).toEqual({
        id: 'production-readiness',
        title: 'Production readiness',
      });
      expect(response.body.levels.map((l: { id: string }) => l.id)).toEqual([
        'bronze',
        'silver',
        'gold',
      ]);
      expect(response.body.checks).toHaveLength(5);
      expect(response.body.checks[0]).toEqual({
        id: 'probes-configured',
        title: 'Title of probes-configured',
        description: 'Liveness and readiness probes',
        area: 'load-balancing',
        level: 'bronze',
        severity: 'error',
        remediation: 'Fix probes-configured',
        docsUrl: 'https://docs.example.com/probes',
        applicability: { kinds: ['Component'] },
      });
      expect(response.body.checks[1]).not.toHaveProperty('rule');
    });

    it('lets services read, and rejects requests without credentials', async () => {
      const { app } = await createApp();

      const service = await request(app)
        .get('/checks')
        .set('Authorization', mockCredentials.service.header());
      const none = await request(app)
        .get('/checks')
        .set('Authorization', mockCredentials.none.header());

      expect(service.status).toBe(200);
      expect(none.status).toBe(401);
    });
  });

  describe('GET /status', () => {
    it("returns the engine's progress", async () => {
      const { app } = await createApp();

      const response = await request(app).get('/status');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        running: true,
        progress: { done: 3, total: 10, skipped: 1, failed: 0 },
        lastCycleStartedAt: '2026-11-20T12:00:00.000Z',
      });
    });

    it('rejects requests without credentials', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/status')
        .set('Authorization', mockCredentials.none.header());

      expect(response.status).toBe(401);
      expect(engine.getStatus).not.toHaveBeenCalled();
    });
  });

  describe('GET /scorecards/:kind/:namespace/:name', () => {
    it('returns the scorecard with failing results first', async () => {
      const { app, permissions } = await createApp();

      const response = await request(app).get(
        '/scorecards/component/default/payments-api',
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        entityRef: PAYMENTS,
        level: 'silver',
        levelTitle: 'Silver',
        score: 80,
        evaluatedAt: at(20).toISOString(),
        stale: false,
      });
      expect(response.body).not.toHaveProperty('staleReason');
      expect(response.body.areas).toHaveLength(5);
      expect(response.body.areas[0]).toEqual(areaScore('load-balancing', 100));
      // error/fail by level rank, then warn, then pass, then not-applicable;
      // the result of a check the definition no longer has is left out.
      expect(
        response.body.results.map(
          (r: { checkId: string; status: string }) =>
            `${r.status} ${r.checkId}`,
        ),
      ).toEqual([
        'error sla-defined',
        'fail dr-tested',
        'warn hpa-configured',
        'pass probes-configured',
        'not-applicable ingress-tls',
      ]);
      expect(response.body.results[3]).toEqual({
        checkId: 'probes-configured',
        title: 'Title of probes-configured',
        area: 'load-balancing',
        level: 'bronze',
        severity: 'error',
        status: 'pass',
        message: 'probes-configured is pass',
        remediation: 'Fix probes-configured',
        docsUrl: 'https://docs.example.com/probes',
        updatedAt: at(19).toISOString(),
      });
      // The policy allows every entity: no call about this one.
      expect(permissions.authorizeConditional).toHaveBeenCalledWith(
        [{ permission: readinessScorecardReadPermission }],
        { credentials: mockCredentials.user() },
      );
      expect(permissions.authorize).not.toHaveBeenCalled();
    });

    it('asks about the entity when the policy is conditional', async () => {
      const { app, permissions } = await createApp({
        decide: ownersOnly(readinessScorecardReadPermission.name),
      });

      const response = await request(app)
        .get('/scorecards/component/default/payments-api')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );

      expect(response.status).toBe(200);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: readinessScorecardReadPermission,
            resourceRef: PAYMENTS,
          },
        ],
        { credentials: mockCredentials.user('user:default/alice') },
      );
    });

    it('compares entity refs without regard to case, and lets services read', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/scorecards/Component/Default/Payments-API')
        .set('Authorization', mockCredentials.service.header());

      expect(response.status).toBe(200);
      expect(response.body.entityRef).toBe(PAYMENTS);
    });

    it('says why a scorecard is stale', async () => {
      const ref = 'component:default/stale-one';
      await store.saveFacts(ref, 'deployment', {
        version: 1,
        facts: {},
        hash: 'h',
        collectedAt: at(18),
      });
      await store.markFactsStale(ref, 'deployment', 'repository unreachable');
      await store.saveEvaluation(evaluation({ ref, stale: true }, at(20)));
      const { app } = await createApp();

      const response = await request(app).get(
        '/scorecards/component/default/stale-one',
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        stale: true,
        staleReason: `The 'deployment' fact collector failed: repository unreachable; the facts collected at ${at(
          18,
        ).toISOString()} are used.`,
      });
      await store.deleteEntity(ref);
    });

    it('serves a message in words with its details in terms of the facts', async () => {
      const ref = 'component:default/worded';
      await store.saveEvaluation({
        ...evaluation({ ref }, at(20)),
        results: [
          {
            checkId: 'probes-configured',
            status: 'fail',
            message:
              'Not every container of Deployment `worded` has a readiness probe.',
            details: 'deployment.probes.readiness is false; expected true.',
          },
        ],
      });
      const { app } = await createApp();

      const response = await request(app).get(
        '/scorecards/component/default/worded',
      );

      expect(response.status).toBe(200);
      expect(response.body.results).toEqual([
        expect.objectContaining({
          checkId: 'probes-configured',
          status: 'fail',
          message:
            'Not every container of Deployment `worded` has a readiness probe.',
          details: 'deployment.probes.readiness is false; expected true.',
        }),
      ]);
      await store.deleteEntity(ref);
    });

    it('answers 404 for an entity never evaluated', async () => {
      const { app } = await createApp();

      const response = await request(app).get(
        '/scorecards/component/default/x',
      );

      expect(response.status).toBe(404);
      expect(response.body.error).toEqual({
        name: 'NotFoundError',
        message: 'No readiness scorecard for component:default/x yet',
      });
    });

    it('forbids users the policy denies', async () => {
      const { app } = await createApp({
        decide: ownersOnly(readinessScorecardReadPermission.name),
      });

      const denied = await request(app).get(
        '/scorecards/component/default/ledger-api',
      );
      const allowed = await request(app)
        .get('/scorecards/component/default/payments-api')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );

      expect(denied.status).toBe(403);
      expect(denied.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'You are not allowed to read the readiness scorecard of component:default/ledger-api',
      });
      expect(allowed.status).toBe(200);
    });

    it('rejects requests without credentials', async () => {
      const { app, permissions } = await createApp();

      const response = await request(app)
        .get('/scorecards/component/default/payments-api')
        .set('Authorization', mockCredentials.none.header());

      expect(response.status).toBe(401);
      expect(permissions.authorize).not.toHaveBeenCalled();
    });

    it.each([
      ['kind', '/scorecards/comp_onent/default/x'],
      ['kind', '/scorecards/1component/default/x'],
      ['namespace', '/scorecards/component/de%20fault/x'],
      ['namespace', `/scorecards/component/${'n'.repeat(64)}/x`],
      ['name', '/scorecards/component/default/-x'],
      ['name', '/scorecards/component/default/a%2Fb'],
      ['name', `/scorecards/component/default/${'x'.repeat(64)}`],
    ])('rejects an invalid %s (%s)', async (parameter, path) => {
      const { app, permissions } = await createApp();

      const response = await request(app).get(path);

      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toMatch(
        new RegExp(`^Invalid ${parameter} '`),
      );
      expect(permissions.authorize).not.toHaveBeenCalled();
    });
  });

  describe('GET /scorecards/:kind/:namespace/:name/history', () => {
    it('returns the status changes, newest first', async () => {
      const { app } = await createApp();

      const response = await request(app).get(
        '/scorecards/component/default/payments-api/history',
      );

      expect(response.status).toBe(200);
      // The evaluation of day 19 created every result (the first result of
      // a check is not a transition); day 20 changed two statuses.
      expect(response.body.items).toEqual([
        {
          checkId: 'hpa-configured',
          fromStatus: 'pass',
          toStatus: 'warn',
          message: 'hpa-configured is warn',
          changedAt: at(20).toISOString(),
        },
        {
          checkId: 'dr-tested',
          fromStatus: 'pass',
          toStatus: 'fail',
          message: 'dr-tested is fail',
          changedAt: at(20).toISOString(),
        },
      ]);
    });

    it('filters by check, time and count', async () => {
      const { app } = await createApp();

      const byCheck = await request(app)
        .get('/scorecards/component/default/payments-api/history')
        .query({ checkId: 'dr-tested' });
      const limited = await request(app)
        .get('/scorecards/component/default/payments-api/history')
        .query({ limit: 1 });
      const since = await request(app)
        .get('/scorecards/component/default/payments-api/history')
        .query({ since: new Date(at(20).getTime() + 1).toISOString() });

      expect(byCheck.body.items).toEqual([
        {
          checkId: 'dr-tested',
          fromStatus: 'pass',
          toStatus: 'fail',
          message: 'dr-tested is fail',
          changedAt: at(20).toISOString(),
        },
      ]);
      expect(limited.body.items).toHaveLength(1);
      expect(since.body.items).toEqual([]);
    });

    it.each([
      ['limit', { limit: 0 }],
      ['limit', { limit: 1001 }],
      ['since', { since: 'yesterday' }],
      ['unknown', { checks: 'x' }],
    ])('rejects a bad %s', async (_name, query) => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/scorecards/component/default/payments-api/history')
        .query(query);

      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
    });

    it('forbids users the policy denies', async () => {
      const { app } = await createApp({ decide: () => AuthorizeResult.DENY });

      const response = await request(app).get(
        '/scorecards/component/default/payments-api/history',
      );

      expect(response.status).toBe(403);
    });
  });

  describe('GET /scorecards/:kind/:namespace/:name/trend', () => {
    it('returns the daily snapshots, oldest first', async () => {
      fakeDate(at(21));
      try {
        const { app } = await createApp();

        const response = await request(app)
          .get('/scorecards/component/default/payments-api/trend')
          .query({ days: 3 });
        const short = await request(app)
          .get('/scorecards/component/default/payments-api/trend')
          .query({ days: 2 });

        expect(response.status).toBe(200);
        expect(response.body.items).toEqual([
          expect.objectContaining({ day: '2026-11-19', score: 70 }),
          {
            day: '2026-11-20',
            level: 'silver',
            levelRank: 2,
            score: 80,
            areas: {
              'load-balancing': 100,
              sla: 100,
              'auto-scaling': 50,
              security: null,
              'disaster-recovery': 0,
            },
          },
        ]);
        expect(short.body.items.map((i: { day: string }) => i.day)).toEqual([
          '2026-11-20',
        ]);
      } finally {
        jest.useRealTimers();
      }
    });

    it.each([0, 367, 'abc', 1.5])('rejects days=%s', async days => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/scorecards/component/default/payments-api/trend')
        .query({ days });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/days/);
    });
  });

  describe('POST /scorecards/:kind/:namespace/:name/refresh', () => {
    const REFRESHED = 'component:default/refreshed';

    function engineScorecard(entityRef: string, evaluatedAt: Date): Scorecard {
      return {
        entityRef,
        level: 'bronze',
        areas: [areaScore('sla', 100), areaScore('auto-scaling', 0)],
        results: [
          {
            checkId: 'sla-defined',
            entityRef,
            status: 'pass',
            message: 'SLA declared',
            evaluatedAt: evaluatedAt.toISOString(),
          },
          {
            checkId: 'hpa-configured',
            entityRef,
            status: 'fail',
            message: 'No HPA',
            evaluatedAt: evaluatedAt.toISOString(),
          },
        ],
        evaluatedAt: evaluatedAt.toISOString(),
        stale: false,
      };
    }

    it('evaluates the entity now and returns the fresh scorecard', async () => {
      const evaluatedAt = at(22);
      engine.refresh.mockImplementation(async entityRef => {
        await store.saveEvaluation(
          evaluation(
            {
              ref: entityRef,
              score: 50,
              results: { 'sla-defined': 'pass', 'hpa-configured': 'fail' },
            },
            evaluatedAt,
          ),
        );
        return engineScorecard(entityRef, evaluatedAt);
      });
      const { app, permissions } = await createApp();

      const response = await request(app).post(
        '/scorecards/Component/default/refreshed/refresh',
      );

      expect(response.status).toBe(200);
      expect(engine.refresh).toHaveBeenCalledWith(REFRESHED, {
        credentials: mockCredentials.user(),
      });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission: readinessRefreshPermission, resourceRef: REFRESHED }],
        { credentials: mockCredentials.user() },
      );
      expect(response.body).toMatchObject({
        entityRef: REFRESHED,
        level: 'bronze',
        levelTitle: 'Bronze',
        score: 50,
        evaluatedAt: evaluatedAt.toISOString(),
        stale: false,
      });
      expect(
        response.body.results.map((r: { checkId: string }) => r.checkId),
      ).toEqual(['hpa-configured', 'sla-defined']);
      await store.deleteEntity(REFRESHED);
    });

    it("serves the engine's scorecard when the store does not have it", async () => {
      engine.refresh.mockImplementation(async entityRef =>
        engineScorecard(entityRef, at(22)),
      );
      const { app } = await createApp();

      const response = await request(app).post(
        '/scorecards/component/default/unsaved/refresh',
      );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({
        entityRef: 'component:default/unsaved',
        level: 'bronze',
        score: 50,
        stale: false,
      });
      expect(response.body.results[0]).toMatchObject({
        checkId: 'hpa-configured',
        status: 'fail',
        message: 'No HPA',
        updatedAt: at(22).toISOString(),
      });
    });

    it('lets owners refresh, and forbids others (a conditional decision that denies)', async () => {
      engine.refresh.mockImplementation(async entityRef =>
        engineScorecard(entityRef, at(22)),
      );
      const { app } = await createApp({
        decide: ownersOnly(readinessRefreshPermission.name),
      });

      const owner = await request(app)
        .post('/scorecards/component/default/search/refresh')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );
      const other = await request(app)
        .post('/scorecards/component/default/search/refresh')
        .set('Authorization', mockCredentials.user.header('user:default/bob'));

      expect(owner.status).toBe(200);
      expect(other.status).toBe(403);
      expect(other.body.error).toEqual({
        name: 'NotAllowedError',
        message:
          'You are not allowed to refresh the readiness of component:default/search',
      });
      expect(engine.refresh).toHaveBeenCalledTimes(1);
    });

    it('answers 404 when the catalog has no such entity', async () => {
      engine.refresh.mockRejectedValue(
        new NotFoundError('No entity component:default/ghost in the catalog'),
      );
      const { app } = await createApp();

      const response = await request(app).post(
        '/scorecards/component/default/ghost/refresh',
      );

      expect(response.status).toBe(404);
      expect(response.body.error.name).toBe('NotFoundError');
    });

    it('is for people only', async () => {
      const { app } = await createApp();

      const service = await request(app)
        .post('/scorecards/component/default/search/refresh')
        .set('Authorization', mockCredentials.service.header());
      const none = await request(app)
        .post('/scorecards/component/default/search/refresh')
        .set('Authorization', mockCredentials.none.header());

      expect(service.status).toBe(403);
      expect(none.status).toBe(401);
      expect(engine.refresh).not.toHaveBeenCalled();
    });

    it('rejects an invalid entity', async () => {
      const { app } = await createApp();

      const response = await request(app).post(
        '/scorecards/component/default/bad%20name/refresh',
      );

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/^Invalid name/);
      expect(engine.refresh).not.toHaveBeenCalled();
    });
  });

  describe('GET /overview', () => {
    const refs = (body: OverviewPage) => body.items.map(item => item.entityRef);

    it('returns the first page with the total count', async () => {
      const { app, permissions } = await createApp();

      const response = await request(app).get('/overview');

      expect(response.status).toBe(200);
      expect(refs(response.body)).toEqual(ALL_REFS);
      expect(response.body.totalCount).toBe(SEEDS.length);
      expect(response.body).not.toHaveProperty('nextCursor');
      expect(response.body.items[0]).toEqual({
        entityRef: 'component:default/ledger-api',
        kind: 'Component',
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-b',
        system: 'system:default/billing',
        tier: 'tier-2',
        level: 'bronze',
        score: 60,
        areas: { sla: 100, security: null },
        passed: 1,
        failed: 1,
        evaluatedAt: at(20).toISOString(),
        stale: false,
        // No checklists service: no phases.
        phases: [],
      });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission: readinessOverviewReadPermission }],
        { credentials: mockCredentials.user() },
      );
      expect(permissions.authorizeConditional).toHaveBeenCalledWith(
        [{ permission: readinessScorecardReadPermission }],
        { credentials: mockCredentials.user() },
      );
    });

    it('pages through with cursors, without duplicates', async () => {
      const { app } = await createApp();

      const first = await request(app)
        .get('/overview')
        .query({ orderBy: 'score', order: 'desc', limit: 4 });
      const second = await request(app).get('/overview').query({
        orderBy: 'score',
        order: 'desc',
        limit: 4,
        cursor: first.body.nextCursor,
      });

      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(refs(first.body)).toEqual([
        'component:default/search',
        PAYMENTS,
        'resource:default/orders-db',
        'component:default/ledger-api',
      ]);
      expect(refs(second.body)).toEqual([
        'component:default/weird',
        'component:default/legacy',
      ]);
      expect(first.body.totalCount).toBe(6);
      expect(second.body.totalCount).toBe(6);
      expect(second.body).not.toHaveProperty('nextCursor');
      expect(new Set([...refs(first.body), ...refs(second.body)]).size).toBe(6);
    });

    it.each<[string, string, string[]]>([
      [
        'two owners (OR)',
        'owner=group:default/team-b&owner=team-c',
        [
          'component:default/ledger-api',
          'component:default/weird',
          'resource:default/orders-db',
        ],
      ],
      ['no owner', 'owner=none', ['component:default/legacy']],
      ['no level', 'level=none', ['component:default/legacy']],
      [
        'levels',
        'level=gold&level=silver',
        [PAYMENTS, 'component:default/search', 'resource:default/orders-db'],
      ],
      ['tier', 'tier=tier-3', ['component:default/weird']],
      ['lifecycle', 'lifecycle=deprecated', ['component:default/legacy']],
      ['system', 'system=shop', ['component:default/search']],
      ['kind, in any case', 'kind=resource', ['resource:default/orders-db']],
      ['type', 'type=database', ['resource:default/orders-db']],
      ['search', 'q=API', ['component:default/ledger-api', PAYMENTS]],
      [
        'owner and level (AND)',
        'owner=team-a&level=gold',
        ['component:default/search'],
      ],
    ])('filters by %s', async (_name, query, expected) => {
      const { app } = await createApp();

      const response = await request(app).get(`/overview?${query}`);

      expect(response.status).toBe(200);
      expect(refs(response.body)).toEqual(expected);
      expect(response.body.totalCount).toBe(expected.length);
    });

    it('takes the query string the shared helper builds', async () => {
      const { app } = await createApp();

      const response = await request(app).get(
        `/overview?${buildOverviewQueryString({
          owner: ['group:default/team-a', 'none'],
          level: ['silver', 'none'],
          orderBy: 'level',
          order: 'desc',
          limit: 10,
        })}`,
      );

      expect(response.status).toBe(200);
      expect(refs(response.body)).toEqual([
        PAYMENTS,
        'component:default/legacy',
      ]);
    });

    it.each<[string, string, RegExp]>([
      [
        'orderBy',
        'orderBy=name',
        /orderBy must be equal to one of the allowed values: entityRef, score, level, owner/,
      ],
      ['order', 'order=up', /order must be equal to one of the allowed values/],
      ['limit 0', 'limit=0', /limit must be >= 1/],
      ['limit 501', 'limit=501', /limit must be <= 500/],
      ['limit', 'limit=ten', /limit must be integer/],
      ['cursor', 'cursor=not-a-cursor', /^Invalid cursor/],
      [
        'level',
        'level=platinum',
        /^Invalid level 'platinum': expected one of bronze, silver, gold, none$/,
      ],
      [
        'tier',
        'tier=tier-9',
        /tier\/0 must be equal to one of the allowed values: tier-1, tier-2, tier-3, tier-4, none/,
      ],
      ['owner', 'owner=group:default/', /^Invalid owner 'group:default\/'/],
      ['kind', 'kind=com-ponent', /^Invalid kind 'com-ponent'/],
      ['an unknown parameter', 'sort=score', /Unknown query parameter 'sort'/],
      ['an empty value', 'q=', /Empty value found for query parameter 'q'/],
    ])('rejects a bad %s', async (_name, query, message) => {
      const { app } = await createApp();

      const response = await request(app).get(`/overview?${query}`);

      expect(response.status).toBe(400);
      expect(response.body.error.name).toBe('InputError');
      expect(response.body.error.message).toMatch(message);
    });

    it('rejects a cursor of another order', async () => {
      const { app } = await createApp();
      const first = await request(app).get('/overview').query({ limit: 2 });

      const response = await request(app)
        .get('/overview')
        .query({ orderBy: 'score', cursor: first.body.nextCursor });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/^Invalid cursor/);
    });

    it('forbids users without readiness.overview.read', async () => {
      const { app } = await createApp({
        decide: r =>
          r.permission.name === readinessOverviewReadPermission.name
            ? AuthorizeResult.DENY
            : AuthorizeResult.ALLOW,
      });

      const response = await request(app).get('/overview');

      expect(response.status).toBe(403);
      expect(response.body.error.message).toBe(
        'You are not allowed to read the readiness overview',
      );
    });

    it('rejects requests without credentials', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/overview')
        .set('Authorization', mockCredentials.none.header());

      expect(response.status).toBe(401);
    });

    it('shows nothing when scorecards may not be read at all', async () => {
      const { app, catalog } = await createApp({
        conditional: AuthorizeResult.DENY,
      });

      const response = await request(app).get('/overview');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [], totalCount: 0 });
      expect(catalog.getEntities).not.toHaveBeenCalled();
    });

    it('shows only the scorecards a conditional decision allows', async () => {
      const { app, catalog, permissions } = await createApp({
        conditional: AuthorizeResult.CONDITIONAL,
        decide: ownersOnly(readinessScorecardReadPermission.name),
      });
      const alice = mockCredentials.user.header('user:default/alice');

      const first = await request(app)
        .get('/overview')
        .query({ limit: 1 })
        .set('Authorization', alice);
      const second = await request(app)
        .get('/overview')
        .query({ limit: 1, cursor: first.body.nextCursor })
        .set('Authorization', alice);
      const filtered = await request(app)
        .get('/overview')
        .query({ level: 'gold' })
        .set('Authorization', alice);

      expect(first.status).toBe(200);
      expect(refs(first.body)).toEqual([PAYMENTS]);
      expect(first.body.totalCount).toBe(2);
      expect(refs(second.body)).toEqual(['component:default/search']);
      expect(second.body).not.toHaveProperty('nextCursor');
      expect(refs(filtered.body)).toEqual(['component:default/search']);
      // The catalog is read with the caller's credentials, and the result
      // kept for the next pages.
      expect(catalog.getEntities).toHaveBeenCalledTimes(1);
      expect(catalog.getEntities).toHaveBeenCalledWith(
        { fields: ['kind', 'metadata.namespace', 'metadata.name'] },
        { credentials: mockCredentials.user('user:default/alice') },
      );
      expect(permissions.authorize).toHaveBeenCalledWith(
        expect.arrayContaining([
          {
            permission: readinessScorecardReadPermission,
            resourceRef: 'component:default/legacy',
          },
        ]),
        { credentials: mockCredentials.user('user:default/alice') },
      );

      const bob = await request(app)
        .get('/overview')
        .set('Authorization', mockCredentials.user.header('user:default/bob'));
      expect(bob.body).toEqual({ items: [], totalCount: 0 });
    });
  });

  describe('GET /overview/summary', () => {
    it('counts per level and per owner group', async () => {
      const { app } = await createApp();

      const response = await request(app).get('/overview/summary');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({
        total: 6,
        averageScore: 60.8,
        levels: [
          { level: 'gold', count: 1 },
          { level: 'silver', count: 2 },
          { level: 'bronze', count: 2 },
          { level: null, count: 1 },
        ],
        owners: [
          {
            owner: null,
            count: 1,
            averageScore: 10,
            levels: [{ level: null, count: 1 }],
          },
          {
            owner: 'group:default/team-a',
            count: 2,
            averageScore: 90,
            levels: [
              { level: 'gold', count: 1 },
              { level: 'silver', count: 1 },
            ],
          },
          {
            owner: 'group:default/team-b',
            count: 1,
            averageScore: 60,
            levels: [{ level: 'bronze', count: 1 }],
          },
          {
            owner: 'group:default/team-c',
            count: 2,
            averageScore: 57.5,
            levels: [
              { level: 'silver', count: 1 },
              { level: 'bronze', count: 1 },
            ],
          },
        ],
      });
    });

    it('applies the filters and the conditional decision', async () => {
      const { app } = await createApp({
        conditional: AuthorizeResult.CONDITIONAL,
        decide: ownersOnly(readinessScorecardReadPermission.name),
      });

      const response = await request(app)
        .get('/overview/summary?level=gold&level=silver&level=bronze')
        .set(
          'Authorization',
          mockCredentials.user.header('user:default/alice'),
        );

      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ total: 2, averageScore: 90 });
    });

    it('rejects paging parameters and bad filters', async () => {
      const { app } = await createApp();

      const paged = await request(app).get('/overview/summary?limit=10');
      const level = await request(app).get('/overview/summary?level=x');

      expect(paged.status).toBe(400);
      expect(level.status).toBe(400);
    });
  });

  describe('GET /overview/trend', () => {
    it('returns the portfolio per day', async () => {
      fakeDate(at(21));
      try {
        const { app } = await createApp();

        const response = await request(app).get('/overview/trend?days=7');
        const filtered = await request(app).get('/overview/trend?owner=team-b');

        expect(response.status).toBe(200);
        expect(response.body.items).toEqual([
          {
            day: '2026-11-19',
            count: 1,
            averageScore: 70,
            levels: [{ level: 'silver', count: 1 }],
          },
          expect.objectContaining({ day: '2026-11-20', count: 6 }),
        ]);
        expect(filtered.body.items).toEqual([
          {
            day: '2026-11-20',
            count: 1,
            averageScore: 60,
            levels: [{ level: 'bronze', count: 1 }],
          },
        ]);
      } finally {
        jest.useRealTimers();
      }
    });

    it.each([0, 367])('rejects days=%s', async days => {
      const { app } = await createApp();

      const response = await request(app).get(`/overview/trend?days=${days}`);

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(/days/);
    });
  });

  describe('GET /overview.csv', () => {
    const parseLines = (text: string) => text.split('\r\n').slice(0, -1);

    it('exports every entity as CSV, escaped and safe from formula injection', async () => {
      const { app } = await createApp();

      const response = await request(app).get('/overview.csv');

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(response.headers['content-disposition']).toBe(
        'attachment; filename="readiness-overview.csv"',
      );
      expect(response.headers['x-total-count']).toBe('6');
      expect(response.headers).not.toHaveProperty('x-readiness-truncated');
      const lines = parseLines(response.text);
      expect(lines[0]).toBe(
        'entityRef,kind,type,lifecycle,owner,system,tier,level,score,passed,failed,evaluatedAt,stale,' +
          'load-balancing,auto-scaling,security,disaster-recovery,sla',
      );
      expect(lines).toHaveLength(7);
      expect(lines[1]).toBe(
        `component:default/ledger-api,Component,service,production,group:default/team-b,system:default/billing,tier-2,bronze,60,1,1,${at(
          20,
        ).toISOString()},false,,,,,100`,
      );
      expect(lines[3]).toBe(
        `component:default/payments-api,Component,service,production,group:default/team-a,system:default/billing,tier-1,silver,80,1,1,${at(
          20,
        ).toISOString()},false,100,50,,0,100`,
      );
      expect(lines[5]).toBe(
        `component:default/weird,Component,"a,""b""","'=HYPERLINK(""http://evil.example.com"")",group:default/team-c,'@system:default/sum,tier-3,bronze,40,1,1,${at(
          20,
        ).toISOString()},false,,,,,100`,
      );
      expect(lines[2]).toMatch(
        /^component:default\/legacy,Component,service,deprecated,,,,,10,/,
      );
    });

    it('streams every page in the requested order, up to the cap', async () => {
      const { app } = await createApp({
        csvExport: { pageSize: 2, maxRows: 5 },
      });

      const all = await request(app).get(
        '/overview.csv?orderBy=score&order=desc',
      );
      const filtered = await request(app).get('/overview.csv?owner=team-a');

      expect(all.status).toBe(200);
      expect(all.headers['x-total-count']).toBe('6');
      expect(all.headers['x-readiness-truncated']).toBe('true');
      expect(
        parseLines(all.text)
          .slice(1)
          .map(line => line.split(',')[0]),
      ).toEqual([
        'component:default/search',
        PAYMENTS,
        'resource:default/orders-db',
        'component:default/ledger-api',
        'component:default/weird',
      ]);
      expect(
        parseLines(filtered.text)
          .slice(1)
          .map(line => line.split(',')[0]),
      ).toEqual([PAYMENTS, 'component:default/search']);
    });

    it('checks permissions and parameters before sending anything', async () => {
      const denied = await createApp({ decide: () => AuthorizeResult.DENY });
      const { app } = await createApp();

      const forbidden = await request(denied.app).get('/overview.csv');
      const paged = await request(app).get('/overview.csv?limit=10');
      const none = await request(app)
        .get('/overview.csv')
        .set('Authorization', mockCredentials.none.header());

      expect(forbidden.status).toBe(403);
      expect(forbidden.headers['content-type']).toMatch(/application\/json/);
      expect(paged.status).toBe(400);
      expect(none.status).toBe(401);
    });
  });
});
