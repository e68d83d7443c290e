import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEFAULT_LEVELS,
  GroupRollup,
} from '@prodready/plugin-readiness-common';
import express from 'express';
import request from 'supertest';
import { DatabaseReadinessStore } from '../../database/DatabaseReadinessStore';
import { CatalogGroupHierarchy } from '../../groups/GroupHierarchy';
import { RollupService, storeRollupSource } from '../../groups/RollupService';
import { CatalogProblemsService } from '../catalogProblems';
import { ReadinessEngine, ScorecardDefinition } from '../engine/types';
import { createRouter } from '../router';

jest.setTimeout(120_000);

const ACME = 'group:default/acme';
const PLATFORM = 'group:default/platform';
const SRE = 'group:default/sre';
const PAYMENTS = 'group:default/payments';
const MARKETING = 'group:default/marketing';

function group(name: string, spec: { parent?: string; children?: string[] }) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name },
    spec: { type: 'team', children: spec.children ?? [], ...spec },
  } as Entity;
}

/** acme → platform → sre, and acme → payments; marketing stands alone. */
const GROUPS = [
  group('acme', { children: ['platform', 'payments'] }),
  group('platform', { parent: 'acme', children: ['sre'] }),
  group('sre', { parent: 'platform' }),
  group('payments', { parent: 'acme' }),
  group('marketing', {}),
];

/** Services: owner, score and level. */
const SERVICES: Array<[string, string, number, string | null]> = [
  ['component:default/acme-portal', ACME, 90, 'gold'],
  ['component:default/platform-api', PLATFORM, 60, 'silver'],
  ['component:default/sre-pager', SRE, 30, 'bronze'],
  ['component:default/sre-metrics', SRE, 10, null],
  ['component:default/payments-api', PAYMENTS, 80, 'gold'],
  ['component:default/marketing-site', MARKETING, 5, null],
];

const RANKS: Record<string, number> = { bronze: 1, silver: 2, gold: 3 };

const DEFINITION: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  levels: [...DEFAULT_LEVELS],
  checks: [],
};

const NOBODY = 'user:default/nobody'; // may not read the overview
const SRE_ONLY = 'user:default/sam'; // may read the sre services only

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'roll-ups over the group hierarchy (%s)',
  (databaseId: TestDatabaseId) => {
    let store: DatabaseReadinessStore;
    let app: express.Express;
    let groups: CatalogGroupHierarchy;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      store = await DatabaseReadinessStore.create({ database });
      await store.saveEvaluations(
        SERVICES.map(([entityRef, owner, score, level]) => ({
          entityRef,
          results: [],
          scores: {
            kind: 'Component',
            type: 'service',
            lifecycle: 'production',
            owner,
            system: null,
            tier: null,
            level,
            levelRank: level ? RANKS[level] : 0,
            score,
            areaScores: [],
            passed: 0,
            failed: 0,
            factsHash: 'hash',
            stale: false,
          },
          evaluatedAt: new Date(),
        })),
      );
      groups = new CatalogGroupHierarchy({
        catalog: catalogServiceMock({ entities: GROUPS }),
        auth: mockServices.auth(),
        logger: mockServices.logger.mock(),
      });
      const engine: ReadinessEngine = {
        getDefinition: () => DEFINITION,
        refresh: jest.fn(),
        runCycle: jest.fn(),
        getStatus: jest.fn(),
        addListener: jest.fn(),
      };
      const permissions = mockServices.permissions.mock({
        authorize: async (requests, { credentials }) =>
          requests.map(() => ({
            result:
              (credentials.principal as { userEntityRef?: string })
                .userEntityRef === NOBODY
                ? AuthorizeResult.DENY
                : AuthorizeResult.ALLOW,
          })) as any,
      });
      const router = await createRouter({
        logger: mockServices.logger.mock(),
        httpAuth: mockServices.httpAuth(),
        permissions,
        catalogProblems: {} as unknown as CatalogProblemsService,
        engine,
        store,
        catalog: catalogServiceMock({ entities: GROUPS }),
        visibility: {
          readableEntityRefs: async credentials =>
            (credentials.principal as { userEntityRef?: string })
              .userEntityRef === SRE_ONLY
              ? ['component:default/sre-pager', 'component:default/sre-metrics']
              : undefined,
        },
        groups,
      });
      app = express().use(router).use(mockErrorHandler());
    });

    const get = (path: string, as = 'user:default/ada') =>
      request(app)
        .get(path)
        .set('Authorization', mockCredentials.user.header(as));

    it('rolls a group up over its sub-groups at every depth, with its children to drill down', async () => {
      const response = await get('/rollups/group/default/ACME');
      expect(response.status).toBe(200);
      const body = response.body as GroupRollup;
      expect(body).toEqual({
        group: ACME,
        direct: {
          services: 1,
          averageScore: 90,
          levels: [{ level: 'gold', count: 1 }],
        },
        total: {
          services: 5,
          averageScore: 54,
          levels: [
            { level: 'gold', count: 2 },
            { level: 'silver', count: 1 },
            { level: 'bronze', count: 1 },
            { level: null, count: 1 },
          ],
        },
        descendants: 3,
        children: [
          {
            group: PAYMENTS,
            direct: {
              services: 1,
              averageScore: 80,
              levels: [{ level: 'gold', count: 1 }],
            },
            total: {
              services: 1,
              averageScore: 80,
              levels: [{ level: 'gold', count: 1 }],
            },
            descendants: 0,
          },
          {
            group: PLATFORM,
            direct: {
              services: 1,
              averageScore: 60,
              levels: [{ level: 'silver', count: 1 }],
            },
            total: {
              services: 3,
              averageScore: 33.3,
              levels: [
                { level: 'silver', count: 1 },
                { level: 'bronze', count: 1 },
                { level: null, count: 1 },
              ],
            },
            descendants: 1,
          },
        ],
        initiativesDue: [],
        worstServices: [
          {
            entityRef: 'component:default/sre-metrics',
            owner: SRE,
            level: null,
            score: 10,
          },
          {
            entityRef: 'component:default/sre-pager',
            owner: SRE,
            level: 'bronze',
            score: 30,
          },
          {
            entityRef: 'component:default/platform-api',
            owner: PLATFORM,
            level: 'silver',
            score: 60,
          },
          {
            entityRef: 'component:default/payments-api',
            owner: PAYMENTS,
            level: 'gold',
            score: 80,
          },
          {
            entityRef: 'component:default/acme-portal',
            owner: ACME,
            level: 'gold',
            score: 90,
          },
        ],
      });

      // Drilling down: platform, then sre (a leaf).
      const platform = (await get('/rollups/group/default/platform'))
        .body as GroupRollup;
      expect(platform.total.services).toBe(3);
      expect(platform.children.map(c => [c.group, c.total.services])).toEqual([
        [SRE, 2],
      ]);
      const sre = (await get('/rollups/group/default/sre')).body as GroupRollup;
      expect(sre).toMatchObject({
        direct: { services: 2, averageScore: 20 },
        total: { services: 2, averageScore: 20 },
        descendants: 0,
        children: [],
      });
    });

    it('counts only what the caller may see, and needs the overview permission', async () => {
      const restricted = (await get('/rollups/group/default/acme', SRE_ONLY))
        .body as GroupRollup;
      expect(restricted.direct.services).toBe(0);
      expect(restricted.total).toEqual({
        services: 2,
        averageScore: 20,
        levels: [
          { level: 'bronze', count: 1 },
          { level: null, count: 1 },
        ],
      });
      expect(restricted.worstServices.map(s => s.entityRef)).toEqual([
        'component:default/sre-metrics',
        'component:default/sre-pager',
      ]);
      expect((await get('/rollups/group/default/acme', NOBODY)).status).toBe(
        403,
      );
    });

    it('answers 404 for an unknown group and 400 for another kind', async () => {
      const unknown = await get('/rollups/group/default/nobody');
      expect(unknown.status).toBe(404);
      expect(unknown.body.error.message).toBe(
        'The catalog has no group group:default/nobody',
      );
      const user = await get('/rollups/user/default/ada');
      expect(user.status).toBe(400);
      expect(user.body.error.message).toMatch(/roll-ups are of groups/);
    });

    it('filters the overview by the whole tree of an owner, or its direct services', async () => {
      const tree = await get('/overview/summary?owner=group:default/platform');
      expect(tree.status).toBe(200);
      expect(tree.body.total).toBe(3);
      expect(
        tree.body.owners.map((o: { owner: string; count: number }) => [
          o.owner,
          o.count,
        ]),
      ).toEqual([
        [PLATFORM, 1],
        [SRE, 2],
      ]);
      const direct = await get(
        '/overview/summary?owner=platform&ownerScope=direct',
      );
      expect(direct.body.total).toBe(1);
      const page = await get('/overview?owner=acme&orderBy=score');
      expect(page.body.totalCount).toBe(5);
      const csv = await get('/overview.csv?owner=acme');
      expect(csv.status).toBe(200);
      expect(csv.text.trim().split('\n')).toHaveLength(6);
      const trend = await get('/overview/trend?owner=acme&days=1');
      expect(trend.status).toBe(200);
      expect(trend.body.items[0]?.count).toBe(5);
      const bad = await get('/overview/summary?owner=acme&ownerScope=all');
      expect(bad.status).toBe(400);
    });

    it('names the initiatives due in the subtree, from the initiatives service', async () => {
      const listEntities = jest.fn(
        async (
          id: string,
          options: { owners: string[]; states?: string[] },
        ) => {
          const inScope = SERVICES.filter(([, owner]) =>
            options.owners.includes(owner),
          );
          const notMet = inScope.filter(([, , score]) => score < 50);
          if (id === 'done-already') return { totalCount: inScope.length };
          return {
            totalCount: options.states ? notMet.length : inScope.length,
          };
        },
      );
      const rollups = new RollupService({
        groups,
        scores: storeRollupSource(store),
        initiatives: {
          list: async () => [
            {
              id: 'later',
              title: 'Later',
              deadline: '2027-06-30',
              daysLeft: 200,
              phase: 'active',
            },
            {
              id: 'soon',
              title: 'Soon',
              deadline: '2027-01-31',
              daysLeft: 50,
              phase: 'active',
            },
            {
              id: 'scheduled',
              title: 'Not started',
              deadline: '2027-12-31',
              daysLeft: 380,
              phase: 'scheduled',
            },
          ],
          listEntities,
        },
      });
      const rollup = await rollups.getRollup(PLATFORM);
      expect(rollup.initiativesDue).toEqual([
        {
          id: 'soon',
          title: 'Soon',
          deadline: '2027-01-31',
          daysLeft: 50,
          inScope: 3,
          notMet: 2,
        },
        {
          id: 'later',
          title: 'Later',
          deadline: '2027-06-30',
          daysLeft: 200,
          inScope: 3,
          notMet: 2,
        },
      ]);
      expect(listEntities).toHaveBeenCalledWith('soon', {
        owners: [PLATFORM, SRE],
        states: ['not-met'],
        limit: 1,
      });
      // The store's own queries give the same figures as the overview's.
      expect(rollup.total).toEqual({
        services: 3,
        averageScore: 33.3,
        levels: [
          { level: 'silver', count: 1 },
          { level: 'bronze', count: 1 },
          { level: null, count: 1 },
        ],
      });
    });
  },
);
