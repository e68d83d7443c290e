import {
  DatabaseService,
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
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  ChecklistAuditPage,
  DEFAULT_LEVELS,
  EntityChecklistItem,
  EntityChecklists,
  PHASE_4_DEPLOYMENT_AND_SCALING,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
// The portal's real policy: owners conditionally (IS_ENTITY_OWNER), admins,
// configurable waivers, no changes by service principals.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- tests only
import { ReadinessPortalPolicy } from '../../../../../packages/backend/src/permissionPolicy';
import { ChecklistService } from '../../checklists/ChecklistService';
import { policyPermissions } from '../../__testUtils__/policyPermissions';
import { DatabaseChecklistStore } from '../../database/DatabaseChecklistStore';
import { DatabaseReadinessStore } from '../../database/DatabaseReadinessStore';
import { CatalogProblemsService } from '../catalogProblems';
import { ReadinessEngine, ScorecardDefinition } from '../engine/types';
import { createRouter } from '../router';

jest.setTimeout(120_000);

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-api';
const ORDERS_DB = 'resource:default/orders-db';

const ALICE = 'user:default/alice'; // in team-a, which owns payments-api
const BOB = 'user:default/bob'; // in team-b, which owns ledger-api
const CAROL = 'user:default/carol'; // in the platform team: an admin

const MEMBERSHIPS: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-a'],
  [BOB]: [BOB, 'group:default/team-b'],
  [CAROL]: [CAROL, 'group:default/platform'],
};

function entity(
  ref: string,
  owner: string,
  spec: Record<string, string>,
): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'resource' ? 'Resource' : 'Component',
    metadata: { namespace, name },
    spec: { ...spec, owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const ENTITIES = [
  entity(PAYMENTS, 'group:default/team-a', {
    type: 'service',
    lifecycle: 'production',
  }),
  entity(LEDGER, 'group:default/team-b', {
    type: 'service',
    lifecycle: 'production',
  }),
  entity(ORDERS_DB, 'group:default/team-a', { type: 'database' }),
];

/** A second phase with an automatic item, as an organisation would add. */
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
        {
          id: 'infrastructure-as-code',
          text: 'Infrastructure as code',
          kind: 'manual',
        },
      ],
    },
  ],
};

const DEFINITION: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  levels: [...DEFAULT_LEVELS],
  checks: ['hpa-configured', 'dr-tested', 'backup-meets-rpo'].map(id => ({
    id,
    title: `Title of ${id}`,
    area: 'deployment',
    level: 'bronze',
    rule: { fact: 'entity', operator: 'equal', value: true },
    severity: 'error',
    remediation: `Fix ${id}`,
  })),
};

const DAY = 86_400_000;
const START = new Date('2026-11-26T12:00:00.000Z');
const EVIDENCE = 'https://wiki.example.com/dr-test-2026-11';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'checklist routes (%s)',
  (databaseId: TestDatabaseId) => {
    let now: Date;
    let knex: Knex;
    let database: DatabaseService;
    let store: DatabaseReadinessStore;
    let checklistStore: DatabaseChecklistStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      database = mockServices.database({ knex, migrations: { skip: false } });
      store = await DatabaseReadinessStore.create({ database });
      checklistStore = await DatabaseChecklistStore.create({ database });
      await store.saveEvaluation({
        entityRef: PAYMENTS,
        results: [
          { checkId: 'hpa-configured', status: 'pass', message: 'HPA 2-10' },
          { checkId: 'dr-tested', status: 'pass', message: 'Tested 10d ago' },
          { checkId: 'backup-meets-rpo', status: 'pass', message: 'RPO 1h' },
        ],
        scores: {
          kind: 'Component',
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-a',
          system: null,
          tier: null,
          level: 'bronze',
          levelRank: 1,
          score: 100,
          areaScores: [],
          passed: 3,
          failed: 0,
          factsHash: 'hash',
          stale: false,
        },
        evaluatedAt: START,
      });
    });

    beforeEach(async () => {
      now = START;
      await knex('readiness_checklist_audit').delete();
      await knex('readiness_checklist_items').delete();
    });

    async function createApp(options: { waiversRequireAdmin?: boolean } = {}) {
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
      const policy = new ReadinessPortalPolicy(userInfo, {
        admins: ['group:default/platform'],
        waiversRequireAdmin: options.waiversRequireAdmin ?? false,
      });
      const engine: ReadinessEngine = {
        getDefinition: () => DEFINITION,
        refresh: jest.fn(),
        runCycle: jest.fn(),
        getStatus: jest.fn(),
        addListener: jest.fn(),
      };
      const checklists = new ChecklistService({
        phases: [PHASE_3, PHASE_4_DEPLOYMENT_AND_SCALING],
        settings: { waiverMaxAgeMs: 90 * DAY, expiringSoonMs: 30 * DAY },
        store: checklistStore,
        readinessStore: store,
        getDefinition: () => DEFINITION,
        now: () => now,
      });
      const catalogProblems: CatalogProblemsService = {
        listProblems: jest.fn(),
        handleEvent: jest.fn(),
      } as unknown as CatalogProblemsService;
      const router = await createRouter({
        logger: mockServices.logger.mock(),
        httpAuth: mockServices.httpAuth(),
        permissions: policyPermissions(policy, userInfo, ENTITIES),
        catalogProblems,
        engine,
        store,
        catalog: catalogServiceMock({ entities: ENTITIES }),
        checklists,
      });
      const app = express().use(router).use(mockErrorHandler());
      const changed = new Array<string>();
      checklists.onItemChanged(ref => changed.push(ref));
      return { app, changed };
    }

    const asUser = (ref: string) => mockCredentials.user.header(ref);
    const asService = () => mockCredentials.service.header();

    const itemPath = (ref: string, phaseId: string, itemId: string) => {
      const [kind, rest] = ref.split(':');
      return `/checklists/${kind}/${rest}/${phaseId}/items/${itemId}`;
    };
    const entityPath = (ref: string) => {
      const [kind, rest] = ref.split(':');
      return `/checklists/${kind}/${rest}`;
    };

    async function getChecklists(app: express.Express, ref = PAYMENTS) {
      const response = await request(app)
        .get(entityPath(ref))
        .set('Authorization', asUser(BOB));
      expect(response.status).toBe(200);
      return response.body as EntityChecklists;
    }

    async function getItem(
      app: express.Express,
      phaseId: string,
      itemId: string,
      ref = PAYMENTS,
    ): Promise<EntityChecklistItem> {
      const body = await getChecklists(app, ref);
      const items = body.phases
        .find(p => p.id === phaseId)
        ?.checklists.flatMap(c => c.items);
      const item = items?.find(i => i.definition.id === itemId);
      if (!item) {
        throw new Error(`no item ${phaseId}/${itemId}`);
      }
      return item;
    }

    async function auditOf(app: express.Express, ref = PAYMENTS) {
      const response = await request(app)
        .get(`${entityPath(ref)}/audit`)
        .set('Authorization', asUser(BOB));
      expect(response.status).toBe(200);
      return response.body as ChecklistAuditPage;
    }

    const attest = (
      app: express.Express,
      body: object,
      options: { as?: string; ifMatch?: string; path?: string } = {},
    ) => {
      const req = request(app)
        .put(options.path ?? itemPath(PAYMENTS, 'phase-4', 'backup-dr-tested'))
        .set('Authorization', options.as ?? asUser(ALICE));
      if (options.ifMatch !== undefined) {
        req.set('If-Match', options.ifMatch);
      }
      return req.send(body);
    };

    it('lists the phases in force', async () => {
      const { app } = await createApp();
      const response = await request(app)
        .get('/phases')
        .set('Authorization', asService());
      expect(response.status).toBe(200);
      expect(response.body.phases).toEqual([
        {
          id: 'phase-3',
          title: 'DevOps & Infrastructure',
          order: 3,
          checklists: [
            { id: 'infrastructure', title: 'Infrastructure', itemCount: 2 },
          ],
        },
        {
          id: 'phase-4',
          title: 'Deployment & Scaling',
          order: 4,
          checklists: [
            {
              id: 'phase-completion',
              title: 'Phase Completion Checklist',
              itemCount: 12,
            },
            { id: 'pre-deployment', title: 'Pre-Deployment', itemCount: 6 },
            {
              id: 'deployment-process',
              title: 'Deployment Process',
              itemCount: 5,
            },
            { id: 'post-deployment', title: 'Post-Deployment', itemCount: 6 },
          ],
        },
      ]);
    });

    it('serves the checklists of the phases that apply, with automatic items done by their checks', async () => {
      const { app } = await createApp();
      const body = await getChecklists(app);
      expect(body.entityRef).toBe(PAYMENTS);
      expect(
        body.phases.map(p => [p.id, p.progress.done, p.progress.total]),
      ).toEqual([
        ['phase-3', 1, 2],
        ['phase-4', 0, 29],
      ]);
      const autoscaling = await getItem(app, 'phase-3', 'autoscaling');
      expect(autoscaling).toMatchObject({
        state: { status: 'open', version: 0 },
        effectiveStatus: 'done',
        checksPassing: true,
        checks: [
          {
            checkId: 'hpa-configured',
            title: 'Title of hpa-configured',
            status: 'pass',
            message: 'HPA 2-10',
          },
        ],
      });
      const phase4 = body.phases[1];
      expect(
        phase4.checklists.map(c => [c.id, c.ordered, c.items.length]),
      ).toEqual([
        ['phase-completion', false, 12],
        ['pre-deployment', false, 6],
        ['deployment-process', true, 5],
        ['post-deployment', false, 6],
      ]);
      expect(phase4.progress.blocking).toHaveLength(29);
      // Checks without results are "missing": the item is not passing.
      const ssl = phase4.checklists[0].items.find(
        i => i.definition.id === 'ssl-domain-configuration',
      );
      expect(ssl?.checks).toEqual([
        {
          checkId: 'ingress-tls',
          title: 'ingress-tls',
          status: 'missing',
          message: 'The check has not been evaluated yet',
        },
      ]);
      expect(ssl?.checksPassing).toBe(false);

      // A resource gets no phases: both apply to components only.
      await expect(getChecklists(app, ORDERS_DB)).resolves.toEqual({
        entityRef: ORDERS_DB,
        phases: [],
      });
    });

    it('attests an item with evidence, records it in the audit trail and counts it', async () => {
      const { app } = await createApp();
      const response = await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE, note: 'Restore took 40 min' },
        { ifMatch: '"0"' },
      );
      expect(response.status).toBe(200);
      expect(response.headers.etag).toBe('"1"');
      const expiresAt = new Date(START.getTime() + 365 * DAY).toISOString();
      expect(response.body).toMatchObject({
        state: {
          entityRef: PAYMENTS,
          phaseId: 'phase-4',
          checklistId: 'phase-completion',
          itemId: 'backup-dr-tested',
          status: 'done',
          attestedBy: ALICE,
          attestedAt: START.toISOString(),
          evidenceUrl: EVIDENCE,
          note: 'Restore took 40 min',
          expiresAt,
          version: 1,
        },
        effectiveStatus: 'done',
        expired: false,
        expiresSoon: false,
        checksPassing: true,
      });
      await expect(
        getItem(app, 'phase-4', 'backup-dr-tested'),
      ).resolves.toEqual(response.body);
      const body = await getChecklists(app);
      expect(body.phases[1].progress.done).toBe(1);
      expect(body.phases[1].checklists[0].progress).toMatchObject({
        done: 1,
        total: 12,
      });

      const audit = await auditOf(app);
      expect(audit.entries).toEqual([
        expect.objectContaining({
          entityRef: PAYMENTS,
          phaseId: 'phase-4',
          checklistId: 'phase-completion',
          itemId: 'backup-dr-tested',
          who: ALICE,
          when: START.toISOString(),
          before: null,
          after: expect.objectContaining({ status: 'done', version: 1 }),
          evidence: EVIDENCE,
        }),
      ]);
    });

    it('tells its listeners (initiative progress) of each change written, not of a conflict', async () => {
      const { app, changed } = await createApp();
      expect(
        (
          await attest(
            app,
            { status: 'done', evidenceUrl: EVIDENCE },
            { ifMatch: '"0"' },
          )
        ).status,
      ).toBe(200);
      expect(changed).toEqual([PAYMENTS]);
      expect(
        (await attest(app, { status: 'open' }, { ifMatch: '"0"' })).status,
      ).toBe(409);
      expect(changed).toEqual([PAYMENTS]);
    });

    it('takes the version from expectedVersion as well as If-Match', async () => {
      const { app } = await createApp();
      const first = await attest(app, {
        status: 'done',
        evidenceUrl: EVIDENCE,
        expectedVersion: 0,
      });
      expect(first.status).toBe(200);
      const second = await attest(
        app,
        { status: 'open', note: 'Reopened: restore failed' },
        { ifMatch: 'W/"1"' },
      );
      expect(second.status).toBe(200);
      expect(second.body.state).toEqual({
        entityRef: PAYMENTS,
        phaseId: 'phase-4',
        checklistId: 'phase-completion',
        itemId: 'backup-dr-tested',
        status: 'open',
        note: 'Reopened: restore failed',
        version: 2,
      });
      expect((await auditOf(app)).entries.map(e => e.after.status)).toEqual([
        'open',
        'done',
      ]);
    });

    it('answers a stale version with 409 and the current item, writing nothing', async () => {
      const { app } = await createApp();
      await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE },
        { ifMatch: '"0"' },
      );

      const stale = await attest(
        app,
        { status: 'done', evidenceUrl: 'https://wiki.example.com/other' },
        { ifMatch: '"0"', as: asUser(CAROL) },
      );
      expect(stale.status).toBe(409);
      expect(stale.body).toEqual({
        error: {
          name: 'ConflictError',
          message: expect.stringContaining('at version 1, not 0'),
        },
        current: await getItem(app, 'phase-4', 'backup-dr-tested'),
      });
      expect(stale.body.current.state).toMatchObject({
        evidenceUrl: EVIDENCE,
        attestedBy: ALICE,
        version: 1,
      });
      expect((await auditOf(app)).entries).toHaveLength(1);
    });

    it('needs the version read: 428 without one, 400 for a malformed or contradicting one', async () => {
      const { app } = await createApp();
      const missing = await attest(app, {
        status: 'done',
        evidenceUrl: EVIDENCE,
      });
      expect(missing.status).toBe(428);
      expect(missing.body.error.message).toContain('If-Match');
      const malformed = await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE },
        { ifMatch: 'abc' },
      );
      expect(malformed.status).toBe(400);
      expect(malformed.body.error.message).toContain("Invalid If-Match 'abc'");
      const contradicting = await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE, expectedVersion: 1 },
        { ifMatch: '"0"' },
      );
      expect(contradicting.status).toBe(400);
      expect((await auditOf(app)).entries).toEqual([]);
    });

    describe('bad input gets a 4xx and changes nothing', () => {
      const longNote = 'x'.repeat(2001);
      const past = new Date(START.getTime() - DAY).toISOString();
      const tooLate = new Date(START.getTime() + 400 * DAY).toISOString();
      it.each([
        [
          'an unknown phase',
          itemPath(PAYMENTS, 'phase-9', 'backup-dr-tested'),
          { status: 'done', evidenceUrl: EVIDENCE },
          404,
          "Unknown phase 'phase-9'",
        ],
        [
          'an unknown item',
          itemPath(PAYMENTS, 'phase-4', 'coffee-machine'),
          { status: 'done', evidenceUrl: EVIDENCE },
          404,
          "Unknown item 'coffee-machine'",
        ],
        [
          'an unknown entity',
          itemPath('component:default/nope', 'phase-4', 'backup-dr-tested'),
          { status: 'done', evidenceUrl: EVIDENCE },
          404,
          'no entity component:default/nope',
        ],
        [
          'a malformed entity ref',
          '/checklists/component/default/bad name!/phase-4/items/backup-dr-tested',
          { status: 'done', evidenceUrl: EVIDENCE },
          400,
          "Invalid name 'bad name!'",
        ],
        [
          'a phase that does not apply',
          itemPath(ORDERS_DB, 'phase-4', 'backup-dr-tested'),
          { status: 'done', evidenceUrl: EVIDENCE },
          400,
          "Phase 'phase-4' does not apply",
        ],
        [
          'a non-http evidence URL',
          undefined,
          {
            status: 'done',
            evidenceUrl: 'ftp://files.example.com/dr-report.pdf',
          },
          400,
          'evidenceUrl',
        ],
        [
          'a file evidence URL',
          undefined,
          { status: 'done', evidenceUrl: 'file:///etc/passwd' },
          400,
          'is not an http(s) URL',
        ],
        [
          'no evidence',
          undefined,
          { status: 'done' },
          400,
          'needs an http(s) link',
        ],
        [
          'an oversized note',
          undefined,
          { status: 'done', evidenceUrl: EVIDENCE, note: longNote },
          400,
          'note',
        ],
        [
          'an unknown status',
          undefined,
          { status: 'finished', evidenceUrl: EVIDENCE },
          400,
          'status',
        ],
        [
          'an expiry in the past',
          undefined,
          { status: 'done', evidenceUrl: EVIDENCE, expiresAt: past },
          400,
          'is not in the future',
        ],
        [
          'an expiry past the validity',
          undefined,
          { status: 'done', evidenceUrl: EVIDENCE, expiresAt: tooLate },
          400,
          'not extended',
        ],
        [
          'a malformed expiry',
          undefined,
          { status: 'done', evidenceUrl: EVIDENCE, expiresAt: 'next year' },
          400,
          'expiresAt',
        ],
        [
          'a waiver without justification',
          undefined,
          { status: 'not-applicable' },
          400,
          'needs a justification',
        ],
        [
          'an attested automatic item',
          itemPath(PAYMENTS, 'phase-3', 'autoscaling'),
          { status: 'done', evidenceUrl: EVIDENCE },
          400,
          'is automatic',
        ],
        [
          'an unknown field',
          undefined,
          { status: 'done', evidenceUrl: EVIDENCE, by: 'admin' },
          400,
          '',
        ],
      ])('%s', async (_name, path, body, status, message) => {
        const { app } = await createApp();
        const before = await getChecklists(app);
        const response = await attest(app, body, {
          ifMatch: '"0"',
          as: asUser(CAROL),
          ...(path && { path }),
        });
        expect(response.status).toBe(status);
        expect(response.body.error.message).toContain(message);
        await expect(getChecklists(app)).resolves.toEqual(before);
        expect((await auditOf(app)).entries).toEqual([]);
      });
    });

    describe('permissions', () => {
      const matrix: Array<
        [string, 'attest' | 'waive', boolean, number, () => string]
      > = [
        ['an owner', 'attest', false, 200, () => asUser(ALICE)],
        ['an owner', 'waive', false, 200, () => asUser(ALICE)],
        ['an owner', 'waive', true, 403, () => asUser(ALICE)],
        ['a non-owner', 'attest', false, 403, () => asUser(BOB)],
        ['a non-owner', 'waive', false, 403, () => asUser(BOB)],
        ['an admin', 'attest', false, 200, () => asUser(CAROL)],
        ['an admin', 'waive', true, 200, () => asUser(CAROL)],
        ['a service principal', 'attest', false, 403, asService],
        ['a service principal', 'waive', false, 403, asService],
      ];
      const bodyOf = (action: 'attest' | 'waive') =>
        action === 'attest'
          ? { status: 'done', evidenceUrl: EVIDENCE }
          : {
              status: 'not-applicable',
              justification: 'No backups: stateless',
            };

      /** Makes the change as `as`; returns the answer and what is stored. */
      async function change(
        action: 'attest' | 'waive',
        waiversRequireAdmin: boolean,
        as: () => string,
      ) {
        const { app } = await createApp({ waiversRequireAdmin });
        const response = await attest(app, bodyOf(action), {
          as: as(),
          ifMatch: '"0"',
        });
        return {
          response,
          item: await getItem(app, 'phase-4', 'backup-dr-tested'),
          audit: (await auditOf(app)).entries,
        };
      }

      it.each(matrix)(
        '%s: %s (waivers need an admin: %s) gets %d',
        async (_who, action, waiversRequireAdmin, status, as) => {
          const { response, item, audit } = await change(
            action,
            waiversRequireAdmin,
            as,
          );
          const allowed = status === 200;
          let effectiveStatus = 'open';
          if (allowed) {
            effectiveStatus = action === 'attest' ? 'done' : 'not-applicable';
          }
          expect({
            status: response.status,
            error: response.body.error?.name,
            version: item.state.version,
            effectiveStatus: item.effectiveStatus,
            audited: audit.length,
          }).toEqual({
            status,
            error: allowed ? undefined : 'NotAllowedError',
            version: allowed ? 1 : 0,
            effectiveStatus,
            audited: allowed ? 1 : 0,
          });
        },
      );

      it('lets an owner change only what they own', async () => {
        const { app } = await createApp();
        const own = await attest(
          app,
          { status: 'done', evidenceUrl: EVIDENCE },
          {
            as: asUser(BOB),
            ifMatch: '"0"',
            path: itemPath(LEDGER, 'phase-4', 'team-training'),
          },
        );
        expect(own.status).toBe(200);
        const other = await attest(
          app,
          { status: 'done', evidenceUrl: EVIDENCE },
          {
            as: asUser(BOB),
            ifMatch: '"0"',
            path: itemPath(PAYMENTS, 'phase-4', 'team-training'),
          },
        );
        expect(other.status).toBe(403);
      });

      it('lets anyone signed in, and services, read checklists and the audit trail', async () => {
        const { app } = await createApp();
        for (const as of [asUser(BOB), asService()]) {
          expect(
            (
              await request(app)
                .get(entityPath(PAYMENTS))
                .set('Authorization', as)
            ).status,
          ).toBe(200);
          expect(
            (
              await request(app)
                .get(`${entityPath(PAYMENTS)}/audit`)
                .set('Authorization', as)
            ).status,
          ).toBe(200);
        }
      });
    });

    it('expires attestations and waivers by themselves', async () => {
      const { app } = await createApp();
      await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE },
        { ifMatch: '"0"' },
      );
      const waiver = await attest(
        app,
        { status: 'not-applicable', justification: 'Not on the CDN' },
        {
          ifMatch: '"0"',
          path: itemPath(PAYMENTS, 'phase-4', 'cdn-static-assets'),
        },
      );
      expect(waiver.body.state.expiresAt).toBe(
        new Date(START.getTime() + 90 * DAY).toISOString(),
      );

      // 70 days on: the waiver expires within 30 days.
      now = new Date(START.getTime() + 70 * DAY);
      let phase = (await getChecklists(app)).phases[1];
      expect(phase.progress.done).toBe(2);
      expect(phase.progress.notApplicable).toBe(1);
      expect(phase.progress.expiringSoon).toEqual([
        {
          phaseId: 'phase-4',
          checklistId: 'phase-completion',
          itemId: 'cdn-static-assets',
          text: 'CDN configured for static assets',
          expiresAt: waiver.body.state.expiresAt,
        },
      ]);

      // 91 days on: the waiver is over, the attestation holds.
      now = new Date(START.getTime() + 91 * DAY);
      const cdn = await getItem(app, 'phase-4', 'cdn-static-assets');
      expect(cdn).toMatchObject({
        state: { status: 'not-applicable', version: 1 },
        effectiveStatus: 'open',
        expired: true,
        expiresSoon: false,
      });
      phase = (await getChecklists(app)).phases[1];
      expect(phase.progress.done).toBe(1);
      expect(phase.progress.blocking.map(i => i.itemId)).toContain(
        'cdn-static-assets',
      );

      // A year and a day on: the attestation is over too.
      now = new Date(START.getTime() + 366 * DAY);
      const dr = await getItem(app, 'phase-4', 'backup-dr-tested');
      expect(dr).toMatchObject({
        state: { status: 'done', version: 1 },
        effectiveStatus: 'open',
        expired: true,
      });
      expect((await getChecklists(app)).phases[1].progress.done).toBe(0);
    });

    it('accepts a shorter expiry', async () => {
      const { app } = await createApp();
      const expiresAt = '2027-01-01T00:00:00.000Z';
      const response = await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE, expiresAt },
        { ifMatch: '"0"' },
      );
      expect(response.status).toBe(200);
      expect(response.body.state.expiresAt).toBe(expiresAt);
      expect(response.body.expiresSoon).toBe(false);
    });

    it('loses no update when many people change one item at once', async () => {
      const { app } = await createApp();
      const rounds = 4;
      const writers = 8;
      const accepted: string[] = [];
      for (let round = 0; round < rounds; round++) {
        // Everyone read the same version; all but one write must be rejected.
        const responses = await Promise.all(
          Array.from({ length: writers }, (_, writer) =>
            attest(
              app,
              {
                status: 'done',
                evidenceUrl: EVIDENCE,
                note: `round ${round} writer ${writer}`,
              },
              { ifMatch: `"${round}"`, as: asUser(writer % 2 ? ALICE : CAROL) },
            ),
          ),
        );
        const ok = responses.filter(r => r.status === 200);
        const conflicts = responses.filter(r => r.status === 409);
        expect(ok).toHaveLength(1);
        expect(conflicts).toHaveLength(writers - 1);
        for (const conflict of conflicts) {
          expect(conflict.body.current.state.version).toBe(round + 1);
        }
        accepted.push(ok[0].body.state.note);
      }
      const final = await checklistStore.getItem(
        PAYMENTS,
        'phase-4',
        'backup-dr-tested',
      );
      expect(final).toMatchObject({
        version: rounds,
        note: accepted[rounds - 1],
      });
      const audit = await auditOf(app);
      expect(audit.entries.map(e => e.after.note).reverse()).toEqual(accepted);
    });

    it('pages the audit trail and filters it by item', async () => {
      const { app } = await createApp();
      for (let version = 0; version < 3; version++) {
        await attest(
          app,
          { status: 'done', evidenceUrl: EVIDENCE, note: `v${version + 1}` },
          { ifMatch: `"${version}"` },
        );
      }
      await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE, note: 'other' },
        {
          ifMatch: '"0"',
          path: itemPath(PAYMENTS, 'phase-4', 'team-training'),
        },
      );
      const first = await request(app)
        .get(
          `${entityPath(
            PAYMENTS,
          )}/audit?phaseId=phase-4&itemId=backup-dr-tested&limit=2`,
        )
        .set('Authorization', asUser(BOB));
      expect(first.status).toBe(200);
      expect(first.body.entries.map((e: any) => e.after.note)).toEqual([
        'v3',
        'v2',
      ]);
      const second = await request(app)
        .get(`${entityPath(PAYMENTS)}/audit`)
        .query({
          itemId: 'backup-dr-tested',
          limit: 2,
          cursor: first.body.nextCursor,
        })
        .set('Authorization', asUser(BOB));
      expect(second.body).toEqual({
        entries: [
          expect.objectContaining({
            after: expect.objectContaining({ note: 'v1' }),
          }),
        ],
      });
      expect((await auditOf(app)).entries).toHaveLength(4);
      const bad = await request(app)
        .get(`${entityPath(PAYMENTS)}/audit?limit=0`)
        .set('Authorization', asUser(BOB));
      expect(bad.status).toBe(400);
    });

    it('shows phase progress on the overview and in its CSV', async () => {
      const { app } = await createApp();
      await attest(
        app,
        { status: 'done', evidenceUrl: EVIDENCE },
        { ifMatch: '"0"' },
      );
      const overview = await request(app)
        .get('/overview')
        .set('Authorization', asUser(BOB));
      expect(overview.status).toBe(200);
      expect(overview.body.items).toEqual([
        expect.objectContaining({
          entityRef: PAYMENTS,
          phases: [
            { phaseId: 'phase-3', done: 1, total: 2 },
            { phaseId: 'phase-4', done: 1, total: 29 },
          ],
        }),
      ]);
      const csv = await request(app)
        .get('/overview.csv')
        .set('Authorization', asUser(BOB));
      expect(csv.status).toBe(200);
      const [header, row] = csv.text.split('\r\n');
      expect(header.split(',').slice(-2)).toEqual([
        'phase-3 done/total',
        'phase-4 done/total',
      ]);
      expect(row.split(',').slice(-2)).toEqual(['1/2', '1/29']);
    });
  },
);
