import {
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { isPermission } from '@backstage/plugin-permission-common';
import type { PermissionPolicy } from '@backstage/plugin-permission-node';
import {
  DEFAULT_LEVELS,
  EntityInitiatives,
  Initiative,
  InitiativeAuditPage,
  InitiativeDetail,
  InitiativeEntityPage,
  OverviewSummary,
  PhaseDefinition,
  readinessScorecardReadPermission,
} from '@prodready/plugin-readiness-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
// The portal's real policy: admins may do everything, owners change what
// they own, everyone reads.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- tests only
import { ReadinessPortalPolicy } from '../../../../../packages/backend/src/permissionPolicy';
import { policyPermissions } from '../../__testUtils__/policyPermissions';
import { DatabaseChecklistStore } from '../../database/DatabaseChecklistStore';
import { DatabaseReadinessStore } from '../../database/DatabaseReadinessStore';
import { EntityEvaluation } from '../../database/ReadinessStore';
import { DatabaseInitiativeStore } from '../../initiatives/DatabaseInitiativeStore';
import { InitiativeService } from '../../initiatives/InitiativeService';
import { loadInitiatives } from '../../initiatives/loadInitiatives';
import { CatalogProblemsService } from '../catalogProblems';
import { ReadinessEngine, ScorecardDefinition } from '../engine/types';
import { createRouter } from '../router';

jest.setTimeout(120_000);

const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';

const ALICE = 'user:default/alice'; // in team-a: an owner, not an admin
const CAROL = 'user:default/carol'; // in the platform team: an admin
const DAVE = 'user:default/dave'; // in team-b: reads only team-b's scorecards

const MEMBERSHIPS: Record<string, string[]> = {
  [ALICE]: [ALICE, TEAM_A],
  [CAROL]: [CAROL, 'group:default/platform'],
  [DAVE]: [DAVE, TEAM_B],
};

const ALPHA = 'component:default/alpha';
const BRAVO = 'component:default/bravo';
const CHARLIE = 'component:default/charlie';
const DELTA = 'component:default/delta';
const ECHO = 'component:default/echo';
const ORDERS_DB = 'resource:default/orders-db';

/**
 * The seeded entities: owner, tier, level, score, and whether
 * `hpa-configured` passes at first. Alpha's check passes from 2026-12-04,
 * Charlie's is waived from 2026-12-03; the database is no component.
 */
const SEED: Array<{
  ref: string;
  owner: string;
  tier: string | null;
  level: string | null;
  score: number;
  hpa?: 'pass' | 'fail';
}> = [
  {
    ref: ALPHA,
    owner: TEAM_A,
    tier: 'tier-1',
    level: 'silver',
    score: 80,
    hpa: 'fail',
  },
  {
    ref: BRAVO,
    owner: TEAM_A,
    tier: 'tier-2',
    level: 'bronze',
    score: 40,
    hpa: 'fail',
  },
  {
    ref: CHARLIE,
    owner: TEAM_B,
    tier: 'tier-1',
    level: 'bronze',
    score: 50,
    hpa: 'fail',
  },
  {
    ref: DELTA,
    owner: TEAM_B,
    tier: 'tier-1',
    level: null,
    score: 10,
    hpa: 'fail',
  },
  {
    ref: ECHO,
    owner: TEAM_B,
    tier: 'tier-2',
    level: 'gold',
    score: 95,
    hpa: 'pass',
  },
  { ref: ORDERS_DB, owner: TEAM_A, tier: null, level: null, score: 0 },
];

const RANKS: Record<string, number> = { bronze: 1, silver: 2, gold: 3 };

function entity(ref: string, owner: string): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'resource' ? 'Resource' : 'Component',
    metadata: { namespace, name },
    spec: { type: kind === 'resource' ? 'database' : 'service', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const ENTITIES = SEED.map(s => entity(s.ref, s.owner));

/** A phase whose automatic item is bound to `hpa-configured`: waiving it waives the check. */
const PHASE_3: PhaseDefinition = {
  id: 'phase-3',
  title: 'DevOps & Infrastructure',
  order: 3,
  applicability: { kinds: ['Component'] },
  checklists: [
    {
      id: 'infrastructure',
      title: 'Infrastructure',
      items: [
        {
          id: 'autoscaling',
          text: 'Auto-scaling configured',
          kind: 'automatic',
          checks: ['hpa-configured'],
        },
      ],
    },
  ],
};

const DEFINITION: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  levels: [...DEFAULT_LEVELS],
  checks: [
    ['hpa-configured', 'bronze'],
    ['dr-tested', 'silver'],
  ].map(([id, level]) => ({
    id,
    title: `Title of ${id}`,
    area: 'deployment',
    level,
    rule: { fact: 'entity', operator: 'equal', value: true },
    severity: 'error',
    remediation: `Fix ${id}`,
  })),
};

/** The initiatives of app-config. */
const CONFIG_INITIATIVES = [
  {
    id: 'autoscaling',
    title: 'Autoscaling everywhere',
    owner: 'group:default/platform',
    startDate: '2026-12-01',
    deadline: '2026-12-31',
    scope: { kinds: ['Component'] },
    goal: { type: 'checks', checks: ['hpa-configured'] },
  },
  {
    id: 'tier-1-silver',
    title: 'Tier-1 at Silver',
    owner: 'group:default/platform',
    startDate: '2026-12-01',
    deadline: '2027-01-31',
    scope: { tiers: ['tier-1'] },
    goal: { type: 'level', level: 'silver' },
  },
];

/** A valid initiative for the API. */
const NEW_INITIATIVE = {
  id: 'dr-tested',
  title: 'DR tested on tier-2',
  owner: 'group:default/platform',
  startDate: '2026-12-01',
  deadline: '2027-02-28',
  scope: { kinds: ['Component'], tiers: ['tier-2'] },
  goal: { type: 'checks', checks: ['dr-tested'] },
};

const DAY = 86_400_000;
const TODAY = new Date('2026-12-05T10:00:00.000Z');

/**
 * The permission framework around the portal's policy, with one change:
 * Dave may read only the scorecards of what his team owns (a conditional
 * decision, applied to the catalog entity as the catalog does).
 */
function portalPermissions(userInfo: UserInfoService): PermissionsService {
  const portal = new ReadinessPortalPolicy(userInfo, {
    admins: ['group:default/platform'],
    waiversRequireAdmin: false,
  });
  const policy: Pick<PermissionPolicy, 'handle'> = {
    async handle(query, user) {
      if (
        user?.info.userEntityRef === DAVE &&
        isPermission(query.permission, readinessScorecardReadPermission)
      ) {
        return createCatalogConditionalDecision(
          readinessScorecardReadPermission,
          catalogConditions.isEntityOwner({ claims: MEMBERSHIPS[DAVE] }),
        );
      }
      return portal.handle(query, user);
    },
  };
  return policyPermissions(policy, userInfo, ENTITIES);
}

function evaluation(
  seed: (typeof SEED)[number],
  hpa: 'pass' | 'fail' | undefined,
  evaluatedAt: Date,
): EntityEvaluation {
  const level = seed.level;
  return {
    entityRef: seed.ref,
    results: hpa
      ? [
          {
            checkId: 'hpa-configured',
            status: hpa,
            message: hpa === 'pass' ? 'HPA 2-10' : 'No HPA',
          },
        ]
      : [],
    scores: {
      kind: seed.ref.startsWith('resource:') ? 'Resource' : 'Component',
      type: seed.ref.startsWith('resource:') ? 'database' : 'service',
      lifecycle: 'production',
      owner: seed.owner,
      system: null,
      tier: seed.tier,
      level,
      levelRank: level ? RANKS[level] : 0,
      score: seed.score,
      areaScores: [],
      passed: hpa === 'pass' ? 1 : 0,
      failed: hpa === 'fail' ? 1 : 0,
      factsHash: `${seed.ref}-${hpa}`,
      stale: false,
    },
    evaluatedAt,
  };
}

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'initiative routes (%s)',
  (databaseId: TestDatabaseId) => {
    let now: Date;
    let knex: Knex;
    let initiatives: InitiativeService;
    let app: express.Express;

    beforeAll(async () => {
      now = TODAY;
      knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const store = await DatabaseReadinessStore.create({ database });
      const checklistStore = await DatabaseChecklistStore.create({ database });

      // Every entity evaluated before the start; Alpha's autoscaling from
      // 2026-12-04 on.
      await store.saveEvaluations(
        SEED.map(s =>
          evaluation(s, s.hpa, new Date('2026-11-25T08:00:00.000Z')),
        ),
      );
      await store.saveEvaluations([
        evaluation(SEED[0], 'pass', new Date('2026-12-04T08:00:00.000Z')),
      ]);
      // Charlie's autoscaling item waived on 2026-12-03.
      const waived = await checklistStore.updateItem({
        entityRef: CHARLIE,
        phaseId: 'phase-3',
        checklistId: 'infrastructure',
        itemId: 'autoscaling',
        status: 'not-applicable',
        justification: 'Fixed size by design',
        expiresAt: '2027-03-01T00:00:00.000Z',
        actor: DAVE,
        at: new Date('2026-12-03T09:00:00.000Z'),
        expectedVersion: 0,
      });
      if (!waived.ok) throw new Error('Could not seed the waiver');

      const engine: ReadinessEngine = {
        getDefinition: () => DEFINITION,
        refresh: jest.fn(),
        runCycle: jest.fn(),
        getStatus: jest.fn(),
        addListener: jest.fn(),
      };
      initiatives = new InitiativeService({
        store: await DatabaseInitiativeStore.create({ database }),
        readinessStore: store,
        checklistStore,
        configInitiatives: loadInitiatives({
          config: mockServices.rootConfig({
            data: { readiness: { initiatives: CONFIG_INITIATIVES } },
          }),
          definition: DEFINITION,
          phases: [PHASE_3],
        }),
        getDefinition: () => DEFINITION,
        phases: [PHASE_3],
        logger: mockServices.logger.mock(),
        now: () => now,
      });
      await initiatives.recompute();

      const userInfo: UserInfoService = {
        getUserInfo: async credentials => {
          const userEntityRef = (
            credentials.principal as { userEntityRef: string }
          ).userEntityRef;
          return {
            userEntityRef,
            ownershipEntityRefs: MEMBERSHIPS[userEntityRef] ?? [userEntityRef],
          };
        },
      };
      const router = await createRouter({
        logger: mockServices.logger.mock(),
        httpAuth: mockServices.httpAuth(),
        permissions: portalPermissions(userInfo),
        catalogProblems: {} as unknown as CatalogProblemsService,
        engine,
        store,
        catalog: catalogServiceMock({ entities: ENTITIES }),
        initiatives,
        // group:default/payments is the parent of team-a and team-b.
        groups: {
          async descendantsOf(ref: string) {
            const group = ref.toLocaleLowerCase('en-US');
            return group === 'group:default/payments'
              ? [group, TEAM_A, TEAM_B]
              : [group];
          },
          async childrenOf(ref: string) {
            return ref === 'group:default/payments' ? [TEAM_A, TEAM_B] : [];
          },
          async titleOf() {
            return undefined;
          },
          async has(ref: string) {
            return [TEAM_A, TEAM_B, 'group:default/payments'].includes(ref);
          },
        },
        permissionCacheTtlMs: 0,
      });
      app = express().use(router).use(mockErrorHandler());
    });

    beforeEach(() => {
      now = TODAY;
    });

    const asUser = (ref: string) => mockCredentials.user.header(ref);
    const get = (path: string, as = ALICE) =>
      request(app).get(path).set('Authorization', asUser(as));
    const post = (body: object, as = CAROL) =>
      request(app)
        .post('/initiatives')
        .set('Authorization', asUser(as))
        .send(body);
    const put = (id: string, body: object, as = CAROL) =>
      request(app)
        .put(`/initiatives/${id}`)
        .set('Authorization', asUser(as))
        .send(body);
    const del = (path: string, as = CAROL) =>
      request(app).delete(path).set('Authorization', asUser(as));

    async function listed(id: string): Promise<Initiative | undefined> {
      const response = await get('/initiatives');
      expect(response.status).toBe(200);
      return (response.body.items as Initiative[]).find(i => i.id === id);
    }

    const stored = async () => ({
      initiatives: (await knex('readiness_initiatives').select('id')).map(
        r => r.id,
      ),
      audit: Number(
        (await knex('readiness_initiative_audit').count('* as n'))[0].n,
      ),
    });

    describe('reads', () => {
      it('lists the initiatives with their progress: met, not met and exempt', async () => {
        const response = await get('/initiatives');
        expect(response.status).toBe(200);
        const items = response.body.items as Initiative[];
        expect(items.find(i => i.id === 'autoscaling')).toMatchObject({
          title: 'Autoscaling everywhere',
          source: 'config',
          version: 0,
          phase: 'active',
          daysLeft: 26,
          computedAt: TODAY.toISOString(),
          // Alpha and Echo pass, Charlie is waived, Bravo and Delta fail.
          progress: { total: 5, met: 2, exempt: 1, notMet: 2, percent: 60 },
        });
        expect(items.find(i => i.id === 'tier-1-silver')).toMatchObject({
          source: 'config',
          daysLeft: 57,
          // Alpha is Silver; Charlie lacks only its waived check; Delta
          // has no level.
          progress: { total: 3, met: 1, exempt: 1, notMet: 1, percent: 66.7 },
        });
      });

      it('serves an initiative with one burn-up point per day from its start to today, and the ideal line', async () => {
        const response = await get('/initiatives/autoscaling');
        expect(response.status).toBe(200);
        const body = response.body as InitiativeDetail;
        expect(body).toMatchObject({
          id: 'autoscaling',
          goal: { type: 'checks', checks: ['hpa-configured'] },
          progress: { met: 2, exempt: 1, total: 5 },
        });
        // Rebuilt from the history: Echo passes from the start, Charlie is
        // waived on the 3rd, Alpha passes on the 4th. The ideal line goes
        // from the first day's 1 to all 5 on the 31st (30 days later).
        expect(body.burnUp).toEqual([
          { day: '2026-12-01', met: 1, exempt: 0, total: 5, ideal: 1 },
          { day: '2026-12-02', met: 1, exempt: 0, total: 5, ideal: 1.1 },
          { day: '2026-12-03', met: 1, exempt: 1, total: 5, ideal: 1.3 },
          { day: '2026-12-04', met: 2, exempt: 1, total: 5, ideal: 1.4 },
          { day: '2026-12-05', met: 2, exempt: 1, total: 5, ideal: 1.5 },
        ]);
      });

      it('keeps one burn-up point per day as the clock moves on, with or without a computation on each day', async () => {
        // The progress is computed on the 8th, not on the 6th and 7th.
        now = new Date(TODAY.getTime() + 3 * DAY);
        await initiatives.recompute();
        now = new Date(TODAY.getTime() + 4 * DAY);
        const body = (await get('/initiatives/autoscaling'))
          .body as InitiativeDetail;
        expect(body.daysLeft).toBe(22);
        expect(
          body.burnUp.map(p => [p.day, p.met + p.exempt, p.ideal]),
        ).toEqual([
          ['2026-12-01', 1, 1],
          ['2026-12-02', 1, 1.1],
          ['2026-12-03', 2, 1.3],
          ['2026-12-04', 3, 1.4],
          ['2026-12-05', 3, 1.5],
          ['2026-12-06', 3, 1.7],
          ['2026-12-07', 3, 1.8],
          ['2026-12-08', 3, 1.9],
          ['2026-12-09', 3, 2.1],
        ]);

        // After the deadline: every day of the initiative, none after it.
        now = new Date('2027-01-03T09:00:00.000Z');
        const ended = (await get('/initiatives/autoscaling'))
          .body as InitiativeDetail;
        expect(ended).toMatchObject({ phase: 'ended', daysLeft: -3 });
        expect(ended.burnUp).toHaveLength(31);
        expect(ended.burnUp.at(-1)).toEqual({
          day: '2026-12-31',
          met: 2,
          exempt: 1,
          total: 5,
          ideal: 5,
        });
      });

      it('answers 404 for an unknown initiative', async () => {
        for (const path of [
          '/initiatives/nope',
          '/initiatives/nope/entities',
          '/initiatives/nope/entities.csv',
          '/initiatives/nope/audit',
        ]) {
          const response = await get(path);
          expect({ path, status: response.status }).toEqual({
            path,
            status: 404,
          });
          expect(response.body.error.message).toBe("No initiative 'nope'");
        }
      });

      it('pages the entities of an initiative by cursor, with what each lacks', async () => {
        const first = await get('/initiatives/autoscaling/entities?limit=2');
        expect(first.status).toBe(200);
        const page1 = first.body as InitiativeEntityPage;
        expect(page1.totalCount).toBe(5);
        expect(page1.items).toEqual([
          {
            entityRef: ALPHA,
            owner: TEAM_A,
            state: 'met',
            missing: [],
            waived: [],
            level: 'silver',
            score: 80,
          },
          {
            entityRef: BRAVO,
            owner: TEAM_A,
            state: 'not-met',
            missing: [
              {
                type: 'check',
                id: 'hpa-configured',
                title: 'Title of hpa-configured',
                message: 'No HPA',
              },
            ],
            waived: [],
            level: 'bronze',
            score: 40,
          },
        ]);
        expect(page1.nextCursor).toEqual(expect.any(String));

        const page2 = (
          await get(
            `/initiatives/autoscaling/entities?limit=2&cursor=${page1.nextCursor}`,
          )
        ).body as InitiativeEntityPage;
        expect(page2.items.map(i => [i.entityRef, i.state])).toEqual([
          [CHARLIE, 'exempt'],
          [DELTA, 'not-met'],
        ]);
        expect(page2.items[0].waived).toEqual([
          {
            type: 'check',
            id: 'hpa-configured',
            title: 'Title of hpa-configured',
            message:
              "Waived with checklist item 'Auto-scaling configured': Fixed size by design",
            phaseId: 'phase-3',
          },
        ]);
        const page3 = (
          await get(
            `/initiatives/autoscaling/entities?limit=2&cursor=${page2.nextCursor}`,
          )
        ).body as InitiativeEntityPage;
        expect(page3.items.map(i => i.entityRef)).toEqual([ECHO]);
        expect(page3.nextCursor).toBeUndefined();

        expect(
          (await get('/initiatives/autoscaling/entities?limit=0')).status,
        ).toBe(400);
        const badCursor = await get(
          '/initiatives/autoscaling/entities?cursor=bm9wZQ',
        );
        expect(badCursor.status).toBe(400);
        expect(badCursor.body.error.message).toMatch(/Invalid cursor/);
      });

      it('filters the entities by state and like the overview (owner, tier)', async () => {
        const refs = async (query: string) => {
          const response = await get(
            `/initiatives/autoscaling/entities?${query}`,
          );
          expect(response.status).toBe(200);
          const body = response.body as InitiativeEntityPage;
          expect(body.totalCount).toBe(body.items.length);
          return body.items.map(i => i.entityRef);
        };
        expect(await refs('state=not-met')).toEqual([BRAVO, DELTA]);
        expect(await refs('state=met&state=exempt')).toEqual([
          ALPHA,
          CHARLIE,
          ECHO,
        ]);
        expect(await refs('owner=team-b')).toEqual([CHARLIE, DELTA, ECHO]);
        expect(await refs('owner=group:default/team-a&state=not-met')).toEqual([
          BRAVO,
        ]);
        expect(await refs('tier=tier-2')).toEqual([BRAVO, ECHO]);
        expect(await refs('tier=tier-1&owner=team-b&state=not-met')).toEqual([
          DELTA,
        ]);
        expect(await refs('q=cha')).toEqual([CHARLIE]);
        // A parent group covers its sub-groups, unless ownerScope=direct.
        expect(await refs('owner=payments')).toEqual([
          ALPHA,
          BRAVO,
          CHARLIE,
          DELTA,
          ECHO,
        ]);
        expect(await refs('owner=payments&ownerScope=direct')).toEqual([]);
        expect(
          (await get('/initiatives/autoscaling/entities?state=done')).status,
        ).toBe(400);
      });

      it('leaves out the entities whose scorecards the caller may not read', async () => {
        const page = (await get('/initiatives/autoscaling/entities', DAVE))
          .body as InitiativeEntityPage;
        expect(page.totalCount).toBe(3);
        expect(page.items.map(i => i.entityRef)).toEqual([
          CHARLIE,
          DELTA,
          ECHO,
        ]);
        const filtered = (
          await get('/initiatives/autoscaling/entities?owner=team-a', DAVE)
        ).body as InitiativeEntityPage;
        expect(filtered).toEqual({ items: [], totalCount: 0 });

        const csv = await get('/initiatives/autoscaling/entities.csv', DAVE);
        expect(csv.text).not.toContain(ALPHA);
        expect(csv.text.trim().split('\r\n')).toHaveLength(4);
      });

      it('exports the entities as CSV, filtered', async () => {
        const response = await get(
          '/initiatives/autoscaling/entities.csv?state=not-met&state=exempt',
        );
        expect(response.status).toBe(200);
        expect(response.headers['content-type']).toBe(
          'text/csv; charset=utf-8',
        );
        expect(response.headers['content-disposition']).toBe(
          'attachment; filename="initiative-autoscaling.csv"',
        );
        expect(response.text.split('\r\n')).toEqual([
          'entity,owner,state,level,score,missing',
          `${BRAVO},${TEAM_A},not-met,bronze,40,Title of hpa-configured`,
          `${CHARLIE},${TEAM_B},exempt,bronze,50,`,
          `${DELTA},${TEAM_B},not-met,,10,Title of hpa-configured`,
          '',
        ]);
        const tier1 = await get('/initiatives/tier-1-silver/entities.csv');
        expect(tier1.text.split('\r\n')).toEqual([
          'entity,owner,state,level,score,missing',
          `${ALPHA},${TEAM_A},met,silver,80,`,
          `${CHARLIE},${TEAM_B},exempt,bronze,50,`,
          `${DELTA},${TEAM_B},not-met,,10,Reach Silver; Title of hpa-configured`,
          '',
        ]);
      });

      it("serves an entity's initiatives with what is missing for it", async () => {
        const response = await get(
          '/initiatives/by-entity/Component/default/Delta',
        );
        expect(response.status).toBe(200);
        const body = response.body as EntityInitiatives;
        expect(body.entityRef).toBe(DELTA);
        const byId = Object.fromEntries(
          body.items.map(item => [item.initiative.id, item]),
        );
        expect(Object.keys(byId).sort()).toEqual([
          'autoscaling',
          'tier-1-silver',
        ]);
        expect(byId.autoscaling).toEqual({
          initiative: {
            id: 'autoscaling',
            title: 'Autoscaling everywhere',
            owner: 'group:default/platform',
            startDate: '2026-12-01',
            deadline: '2026-12-31',
            phase: 'active',
            daysLeft: 26,
            goal: { type: 'checks', checks: ['hpa-configured'] },
          },
          state: 'not-met',
          missing: [
            {
              type: 'check',
              id: 'hpa-configured',
              title: 'Title of hpa-configured',
              message: 'No HPA',
            },
          ],
          waived: [],
        });
        expect(byId['tier-1-silver']).toMatchObject({
          state: 'not-met',
          missing: [
            {
              type: 'level',
              id: 'silver',
              title: 'Reach Silver',
              message: 'The entity has not reached a level yet',
            },
            { type: 'check', id: 'hpa-configured' },
          ],
        });

        // Echo is in one initiative and meets it; the database in none.
        const echo = (
          await get('/initiatives/by-entity/component/default/echo')
        ).body as EntityInitiatives;
        expect(echo.items.map(i => [i.initiative.id, i.state])).toEqual([
          ['autoscaling', 'met'],
        ]);
        const db = (
          await get('/initiatives/by-entity/resource/default/orders-db')
        ).body as EntityInitiatives;
        expect(db).toEqual({ entityRef: ORDERS_DB, items: [] });
      });

      it("refuses an entity's initiatives to a caller who may not read its scorecard, and answers 404 for an entity the catalog lacks", async () => {
        const denied = await get(
          '/initiatives/by-entity/component/default/alpha',
          DAVE,
        );
        expect(denied.status).toBe(403);
        expect(
          (await get('/initiatives/by-entity/component/default/charlie', DAVE))
            .status,
        ).toBe(200);
        expect(
          (await get('/initiatives/by-entity/component/default/nope')).status,
        ).toBe(404);
      });
    });

    describe('the overview filtered by initiative', () => {
      it('lists and counts only the entities of the initiative, as far as the caller may read them', async () => {
        const list = await get('/overview?initiative=tier-1-silver');
        expect(list.status).toBe(200);
        expect(
          list.body.items.map((i: { entityRef: string }) => i.entityRef).sort(),
        ).toEqual([ALPHA, CHARLIE, DELTA]);
        expect(list.body.totalCount).toBe(3);

        const all = (await get('/overview/summary')).body as OverviewSummary;
        expect(all.total).toBe(6);
        const summary = await get('/overview/summary?initiative=autoscaling');
        expect(summary.status).toBe(200);
        expect((summary.body as OverviewSummary).total).toBe(5);
        const narrowed = await get(
          '/overview/summary?initiative=autoscaling&tier=tier-2',
        );
        expect((narrowed.body as OverviewSummary).total).toBe(2);

        const dave = await get('/overview?initiative=tier-1-silver', DAVE);
        expect(
          dave.body.items.map((i: { entityRef: string }) => i.entityRef).sort(),
        ).toEqual([CHARLIE, DELTA]);
      });

      it('answers 400 for an unknown initiative', async () => {
        for (const path of [
          '/overview?initiative=nope',
          '/overview/summary?initiative=nope',
        ]) {
          const response = await get(path);
          expect(response.status).toBe(400);
          expect(response.body.error.message).toBe(
            "Invalid filter initiative 'nope': no such initiative",
          );
        }
      });
    });

    describe('writes', () => {
      it('creates an initiative as an admin: 201, then listed with its progress, and audited', async () => {
        const before = await stored();
        const response = await post(NEW_INITIATIVE);
        expect(response.status).toBe(201);
        expect(response.body).toMatchObject({
          ...NEW_INITIATIVE,
          source: 'api',
          version: 1,
          phase: 'active',
          // Bravo and Echo, neither with a result of dr-tested.
          progress: { total: 2, met: 0, exempt: 0, notMet: 2 },
        });
        expect(await listed('dr-tested')).toMatchObject({
          source: 'api',
          version: 1,
          progress: { total: 2, met: 0 },
        });
        const entities = (await get('/initiatives/dr-tested/entities'))
          .body as InitiativeEntityPage;
        expect(entities.items.map(i => [i.entityRef, i.missing[0]])).toEqual([
          [
            BRAVO,
            {
              type: 'check',
              id: 'dr-tested',
              title: 'Title of dr-tested',
              message: 'The check has no result for this entity yet',
            },
          ],
          [ECHO, expect.objectContaining({ id: 'dr-tested' })],
        ]);

        const after = await stored();
        expect(after.audit).toBe(before.audit + 1);
        const audit = (await get('/initiatives/dr-tested/audit'))
          .body as InitiativeAuditPage;
        expect(audit.entries).toEqual([
          expect.objectContaining({
            initiativeId: 'dr-tested',
            action: 'created',
            who: CAROL,
            when: TODAY.toISOString(),
            before: null,
            after: expect.objectContaining({ title: 'DR tested on tier-2' }),
          }),
        ]);

        // The id is taken.
        const again = await post({ ...NEW_INITIATIVE, title: 'Again' });
        expect(again.status).toBe(409);
        expect(again.body.error.message).toBe(
          "An initiative with the id 'dr-tested' already exists",
        );
        expect((await stored()).audit).toBe(after.audit);
        expect((await listed('dr-tested'))?.title).toBe('DR tested on tier-2');
      });

      it('refuses to create an initiative for a non-admin owner, and writes nothing', async () => {
        const before = await stored();
        const response = await post(
          { ...NEW_INITIATIVE, id: 'by-alice' },
          ALICE,
        );
        expect(response.status).toBe(403);
        expect(response.body.error.message).toBe(
          'You are not allowed to create initiatives',
        );
        expect(await stored()).toEqual(before);
        expect(await listed('by-alice')).toBeUndefined();
        expect((await get('/initiatives/by-alice')).status).toBe(404);
      });

      it.each([
        [
          'an unknown check',
          { goal: { type: 'checks', checks: ['hpa-configured', 'nope'] } },
          "goal.checks 'nope' is not a check in force",
        ],
        [
          'a deadline before the start',
          { startDate: '2026-12-10', deadline: '2026-12-09' },
          "deadline '2026-12-09' is before startDate '2026-12-10'",
        ],
        ['an empty scope', { scope: {} }, 'scope is empty'],
        [
          'an unknown level',
          { goal: { type: 'level', level: 'platinum' } },
          "goal.level 'platinum' is not a level; expected one of bronze, silver, gold",
        ],
        ['an unknown property', { colour: 'red' }, "unknown property 'colour'"],
      ])(
        'refuses %s with a 400 naming the field, and writes nothing',
        async (_, change, message) => {
          const before = await stored();
          const response = await post({
            ...NEW_INITIATIVE,
            id: 'invalid',
            ...change,
          });
          expect(response.status).toBe(400);
          expect(response.body.error.name).toBe('InputError');
          expect(response.body.error.message).toContain(
            `Invalid initiative: initiative 'invalid': ${message}`,
          );
          expect(await stored()).toEqual(before);
          expect(await listed('invalid')).toBeUndefined();
        },
      );

      it('refuses an id defined in app-config (409), and writes nothing', async () => {
        const before = await stored();
        const response = await post({ ...NEW_INITIATIVE, id: 'autoscaling' });
        expect(response.status).toBe(409);
        expect(response.body.error.message).toBe(
          "An initiative with the id 'autoscaling' is defined in app-config",
        );
        expect(await stored()).toEqual(before);
        expect((await listed('autoscaling'))?.source).toBe('config');
      });

      it('updates with the version read: a stale one is a 409 with the current initiative, the right one a 200 with the audit before and after', async () => {
        const id = 'to-update';
        expect((await post({ ...NEW_INITIATIVE, id })).status).toBe(201);

        now = new Date(TODAY.getTime() + DAY);
        const before = await stored();
        const stale = await put(id, {
          ...NEW_INITIATIVE,
          id,
          title: 'Stale',
          expectedVersion: 0,
        });
        expect(stale.status).toBe(409);
        expect(stale.body.error.message).toBe(
          "Initiative 'to-update' was changed since version 0; it is now at version 1",
        );
        expect(stale.body.current).toMatchObject({
          id,
          version: 1,
          title: 'DR tested on tier-2',
        });
        expect(await stored()).toEqual(before);

        const denied = await put(
          id,
          { ...NEW_INITIATIVE, id, title: 'By Alice', expectedVersion: 1 },
          ALICE,
        );
        expect(denied.status).toBe(403);
        const mismatch = await put(id, {
          ...NEW_INITIATIVE,
          expectedVersion: 1,
        });
        expect(mismatch.status).toBe(400);
        expect(await stored()).toEqual(before);

        const updated = await put(id, {
          ...NEW_INITIATIVE,
          id,
          title: 'DR tested everywhere',
          scope: { kinds: ['Component'] },
          expectedVersion: 1,
        });
        expect(updated.status).toBe(200);
        expect(updated.body).toMatchObject({
          id,
          title: 'DR tested everywhere',
          version: 2,
          progress: { total: 5, met: 0 },
        });
        expect((await listed(id))?.version).toBe(2);

        const audit = (await get(`/initiatives/${id}/audit`))
          .body as InitiativeAuditPage;
        expect(audit.entries.map(e => e.action)).toEqual([
          'updated',
          'created',
        ]);
        expect(audit.entries[0]).toMatchObject({
          who: CAROL,
          when: now.toISOString(),
          before: { title: 'DR tested on tier-2', scope: NEW_INITIATIVE.scope },
          after: {
            title: 'DR tested everywhere',
            scope: { kinds: ['Component'] },
          },
        });

        const configured = await put('autoscaling', {
          ...CONFIG_INITIATIVES[0],
          title: 'Changed',
          expectedVersion: 0,
        });
        expect(configured.status).toBe(409);
        expect(configured.body.error.message).toMatch(
          /defined in app-config, read-only/,
        );
        expect(
          (await put('nope', { ...NEW_INITIATIVE, id: 'nope' })).status,
        ).toBe(404);
      });

      it('deletes an API initiative, and refuses one of app-config', async () => {
        const id = 'to-delete';
        expect((await post({ ...NEW_INITIATIVE, id })).status).toBe(201);

        const configured = await del('/initiatives/autoscaling');
        expect(configured.status).toBe(409);
        expect(configured.body.error.message).toBe(
          "Initiative 'autoscaling' is defined in app-config, read-only; change it there",
        );
        expect(await listed('autoscaling')).toBeDefined();

        expect((await del(`/initiatives/${id}`, ALICE)).status).toBe(403);
        const stale = await del(`/initiatives/${id}?expectedVersion=3`);
        expect(stale.status).toBe(409);
        expect(stale.body.error.message).toMatch(/it is now at version 1/);
        expect(await listed(id)).toBeDefined();

        const deleted = await del(`/initiatives/${id}?expectedVersion=1`);
        expect(deleted.status).toBe(204);
        expect(await listed(id)).toBeUndefined();
        expect((await get(`/initiatives/${id}`)).status).toBe(404);
        expect((await get(`/initiatives/${id}/entities`)).status).toBe(404);
        const audit = (await get(`/initiatives/${id}/audit`))
          .body as InitiativeAuditPage;
        expect(audit.entries[0]).toMatchObject({
          action: 'deleted',
          who: CAROL,
          after: null,
        });
        expect((await del(`/initiatives/${id}`)).status).toBe(404);
      });
    });
  },
);
