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
  PhaseDefinition,
  WaiverRequest,
} from '@prodready/plugin-readiness-common';
import express from 'express';
import { Knex } from 'knex';
import request from 'supertest';
// The portal's real policy: owners conditionally (IS_ENTITY_OWNER), admins
// (who alone may approve waivers), configurable waivers.
// eslint-disable-next-line @backstage/no-relative-monorepo-imports -- tests only
import { ReadinessPortalPolicy } from '../../../../../packages/backend/src/permissionPolicy';
import { policyPermissions } from '../../__testUtils__/policyPermissions';
import { ChecklistService } from '../../checklists/ChecklistService';
import { DatabaseChecklistStore } from '../../database/DatabaseChecklistStore';
import { DatabaseReadinessStore } from '../../database/DatabaseReadinessStore';
import { DatabaseWaiverStore } from '../../waivers/DatabaseWaiverStore';
import { WaiverNotifier, WaiverService } from '../../waivers/WaiverService';
import { CatalogProblemsService } from '../catalogProblems';
import { ReadinessEngine, ScorecardDefinition } from '../engine/types';
import { createRouter } from '../router';

jest.setTimeout(120_000);

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-api';

const ALICE = 'user:default/alice'; // in team-a, which owns payments-api
const BOB = 'user:default/bob'; // in team-b, which owns ledger-api
const CAROL = 'user:default/carol'; // in the platform team: an admin

const MEMBERSHIPS: Record<string, string[]> = {
  [ALICE]: [ALICE, 'group:default/team-a'],
  [BOB]: [BOB, 'group:default/team-b'],
  [CAROL]: [CAROL, 'group:default/platform'],
};

function entity(ref: string, owner: string): Entity {
  const [kind, rest] = ref.split(':');
  const [namespace, name] = rest.split('/');
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: kind === 'resource' ? 'Resource' : 'Component',
    metadata: { namespace, name },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

const ENTITIES = [
  entity(PAYMENTS, 'group:default/team-a'),
  entity(LEDGER, 'group:default/team-b'),
];

const PHASE: PhaseDefinition = {
  id: 'phase-3',
  title: 'DevOps & Infrastructure',
  order: 3,
  applicability: { kinds: ['Component'] },
  checklists: [
    {
      id: 'infrastructure',
      title: 'Infrastructure',
      items: [
        { id: 'iac', text: 'Infrastructure as code', kind: 'manual' },
        { id: 'runbook', text: 'Runbook written', kind: 'manual' },
      ],
    },
  ],
};

const DEFINITION: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  levels: [...DEFAULT_LEVELS],
  checks: [],
};

const DAY = 86_400_000;
const START = new Date('2026-12-07T12:00:00.000Z');

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

describe.each(databases.eachSupportedId())(
  'waiver routes (%s)',
  (databaseId: TestDatabaseId) => {
    let now: Date;
    let knex: Knex;
    let database: DatabaseService;
    let store: DatabaseReadinessStore;
    let checklistStore: DatabaseChecklistStore;
    let waiverStore: DatabaseWaiverStore;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      database = mockServices.database({ knex, migrations: { skip: false } });
      store = await DatabaseReadinessStore.create({ database });
      checklistStore = await DatabaseChecklistStore.create({ database });
      waiverStore = await DatabaseWaiverStore.create({ database });
    });

    beforeEach(async () => {
      now = START;
      await knex('readiness_waiver_requests').delete();
      await knex('readiness_checklist_audit').delete();
      await knex('readiness_checklist_items').delete();
    });

    async function createApp(
      options: {
        waiversRequireAdmin?: boolean;
        initiativesRequiringApproval?: string[];
      } = {},
    ) {
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
      const waiversRequireAdmin = options.waiversRequireAdmin ?? true;
      const policy = new ReadinessPortalPolicy(userInfo, {
        admins: ['group:default/platform'],
        waiversRequireAdmin,
      });
      const engine: ReadinessEngine = {
        getDefinition: () => DEFINITION,
        refresh: jest.fn(),
        runCycle: jest.fn(),
        getStatus: jest.fn(),
        addListener: jest.fn(),
      };
      const checklists = new ChecklistService({
        phases: [PHASE],
        settings: { waiverMaxAgeMs: 90 * DAY, expiringSoonMs: 30 * DAY },
        store: checklistStore,
        readinessStore: store,
        getDefinition: () => DEFINITION,
        now: () => now,
        waiverRequests: waiverStore,
      });
      const notifier: jest.Mocked<WaiverNotifier> = {
        waiverRequested: jest.fn(async (_request, _approvers) => {}),
        waiverDecided: jest.fn(async _request => {}),
      };
      const rules = {
        requiresWaiverApproval: jest.fn(
          async (_ref: string) => options.initiativesRequiringApproval ?? [],
        ),
      };
      const waivers = new WaiverService({
        store: waiverStore,
        checklists,
        logger: mockServices.logger.mock(),
        waiversRequireAdmin,
        approvers: ['group:default/platform'],
        rules,
        notifier,
        now: () => now,
      });
      const router = await createRouter({
        logger: mockServices.logger.mock(),
        httpAuth: mockServices.httpAuth(),
        permissions: policyPermissions(policy, userInfo, ENTITIES),
        catalogProblems: {} as unknown as CatalogProblemsService,
        engine,
        store,
        catalog: catalogServiceMock({ entities: ENTITIES }),
        checklists,
        waivers,
      });
      const app = express().use(router).use(mockErrorHandler());
      return { app, notifier, rules };
    }

    const asUser = (ref: string) => mockCredentials.user.header(ref);
    const requestPath = (itemId = 'iac', ref = PAYMENTS) => {
      const [kind, rest] = ref.split(':');
      return `/waivers/${kind}/${rest}/phase-3/items/${itemId}`;
    };
    const itemPath = (itemId = 'iac', ref = PAYMENTS) => {
      const [kind, rest] = ref.split(':');
      return `/checklists/${kind}/${rest}/phase-3/items/${itemId}`;
    };

    const ask = (
      app: express.Express,
      body: object,
      as = ALICE,
      path = requestPath(),
    ) => request(app).post(path).set('Authorization', asUser(as)).send(body);
    const decide = (
      app: express.Express,
      id: string,
      body: object,
      as = CAROL,
    ) =>
      request(app)
        .post(`/waivers/${id}/decision`)
        .set('Authorization', asUser(as))
        .send(body);

    async function getItem(
      app: express.Express,
      itemId = 'iac',
    ): Promise<EntityChecklistItem> {
      const response = await request(app)
        .get(`/checklists/component/default/payments-api`)
        .set('Authorization', asUser(BOB));
      expect(response.status).toBe(200);
      const body = response.body as EntityChecklists;
      return body.phases[0].checklists[0].items.find(
        i => i.definition.id === itemId,
      )!;
    }

    async function auditOf(app: express.Express) {
      const response = await request(app)
        .get(`/checklists/component/default/payments-api/audit`)
        .set('Authorization', asUser(BOB));
      expect(response.status).toBe(200);
      return (response.body as ChecklistAuditPage).entries;
    }

    async function counts() {
      const [requests] = await knex('readiness_waiver_requests').count({
        n: '*',
      });
      const [audit] = await knex('readiness_checklist_audit').count({ n: '*' });
      const [items] = await knex('readiness_checklist_items').count({
        n: '*',
      });
      return {
        requests: Number(requests.n),
        audit: Number(audit.n),
        items: Number(items.n),
      };
    }

    it('refuses a direct waiver to an owner with the way to request one, and lets an admin waive', async () => {
      const { app } = await createApp();
      const direct = await request(app)
        .put(itemPath())
        .set('Authorization', asUser(ALICE))
        .send({
          status: 'not-applicable',
          justification: 'Clicked in the console',
          expectedVersion: 0,
        });
      expect(direct.status).toBe(403);
      expect(direct.body.error.message).toBe(
        'You may not waive items of component:default/payments-api directly (waivers need an admin): request a waiver with POST /waivers/component/default/payments-api/phase-3/items/iac and a justification; an admin approves it',
      );
      // A non-owner gets the plain refusal: they may not request one either.
      const stranger = await request(app)
        .put(itemPath())
        .set('Authorization', asUser(BOB))
        .send({
          status: 'not-applicable',
          justification: 'x',
          expectedVersion: 0,
        });
      expect(stranger.status).toBe(403);
      expect(stranger.body.error.message).toBe(
        'You are not allowed to waive checklist items of component:default/payments-api',
      );
      expect(await counts()).toEqual({ requests: 0, audit: 0, items: 0 });
      const admin = await request(app)
        .put(itemPath())
        .set('Authorization', asUser(CAROL))
        .send({
          status: 'not-applicable',
          justification: 'Managed by the platform',
          expectedVersion: 0,
        });
      expect(admin.status).toBe(200);
    });

    it('requires approval when an initiative of the entity does, even if owners may waive', async () => {
      const { app, rules } = await createApp({
        waiversRequireAdmin: false,
        initiativesRequiringApproval: ['tier1-silver'],
      });
      const direct = await request(app)
        .put(itemPath())
        .set('Authorization', asUser(ALICE))
        .send({
          status: 'not-applicable',
          justification: 'Not needed',
          expectedVersion: 0,
        });
      expect(direct.status).toBe(403);
      expect(direct.body.error.message).toContain(
        '(initiative tier1-silver requires approval of waivers): request a waiver with POST /waivers/component/default/payments-api/phase-3/items/iac',
      );
      expect(rules.requiresWaiverApproval).toHaveBeenCalledWith(PAYMENTS);
      // Attesting is not a waiver: it needs no approval.
      const attest = await request(app)
        .put(itemPath())
        .set('Authorization', asUser(ALICE))
        .send({
          status: 'done',
          evidenceUrl: 'https://git.example.com/infra',
          expectedVersion: 0,
        });
      expect(attest.status).toBe(200);

      const asked = await ask(app, { justification: 'Not needed' });
      expect(asked.status).toBe(201);
      expect(asked.body.initiatives).toEqual(['tier1-silver']);
    });

    it('lets an owner request a waiver and an admin approve it, with the audit trail and the notifications', async () => {
      const { app, notifier } = await createApp();
      const asked = await ask(app, {
        justification: '  Infrastructure is managed by the platform  ',
        expiresAt: '2027-01-31T00:00:00Z',
      });
      expect(asked.status).toBe(201);
      const pending = asked.body as WaiverRequest;
      expect(pending).toEqual({
        id: expect.any(String),
        entityRef: PAYMENTS,
        phaseId: 'phase-3',
        checklistId: 'infrastructure',
        itemId: 'iac',
        justification: 'Infrastructure is managed by the platform',
        expiresAt: '2027-01-31T00:00:00.000Z',
        requestedBy: ALICE,
        requestedAt: START.toISOString(),
        status: 'pending',
      });
      expect(notifier.waiverRequested).toHaveBeenCalledWith(pending, [
        'group:default/platform',
      ]);
      // The item carries its pending request; it is still open.
      expect(await getItem(app)).toMatchObject({
        state: { status: 'open', version: 0 },
        waiverRequest: { id: pending.id, status: 'pending' },
      });

      // A second pending request for the item is a conflict.
      const again = await ask(app, { justification: 'Once more' });
      expect(again.status).toBe(409);
      expect(again.body.error.message).toContain(
        'already has a pending waiver request',
      );

      // Owners cannot decide; a reason is required.
      expect(
        (
          await decide(
            app,
            pending.id,
            { decision: 'approve', reason: 'ok' },
            ALICE,
          )
        ).status,
      ).toBe(403);
      const noReason = await decide(app, pending.id, {
        decision: 'approve',
        reason: '   ',
      });
      expect(noReason.status).toBe(400);
      expect(noReason.body.error.message).toBe(
        'Invalid reason: it is required',
      );

      now = new Date(START.getTime() + DAY);
      const approved = await decide(app, pending.id, {
        decision: 'approve',
        reason: 'Agreed with the platform team',
      });
      expect(approved.status).toBe(200);
      expect(approved.body).toMatchObject({
        id: pending.id,
        status: 'approved',
        decidedBy: CAROL,
        decidedAt: now.toISOString(),
        reason: 'Agreed with the platform team',
      });
      expect(notifier.waiverDecided).toHaveBeenCalledWith(approved.body);
      expect(await getItem(app)).toMatchObject({
        state: {
          status: 'not-applicable',
          justification: 'Infrastructure is managed by the platform',
          expiresAt: '2027-01-31T00:00:00.000Z',
          attestedBy: CAROL,
          version: 1,
        },
        effectiveStatus: 'not-applicable',
        waiverRequest: { id: pending.id, status: 'approved' },
      });

      // Deciding again: it is no longer pending.
      const twice = await decide(app, pending.id, {
        decision: 'deny',
        reason: 'Changed my mind',
      });
      expect(twice.status).toBe(409);
      expect(twice.body.error.message).toBe(
        `Cannot deny waiver request '${pending.id}': it is approved (by ${CAROL}), not pending`,
      );

      // Revoking reopens the item.
      now = new Date(START.getTime() + 2 * DAY);
      const revoked = await decide(app, pending.id, {
        decision: 'revoke',
        reason: 'The platform no longer manages it',
      });
      expect(revoked.status).toBe(200);
      expect(revoked.body.status).toBe('revoked');
      expect(await getItem(app)).toMatchObject({
        state: { status: 'open', version: 2 },
        waiverRequest: { id: pending.id, status: 'revoked' },
      });

      const audit = await auditOf(app);
      expect(
        audit.map(entry => [
          entry.event,
          entry.who,
          entry.before?.status ?? null,
          entry.after.status,
          entry.reason,
          entry.waiverRequestId,
        ]),
      ).toEqual([
        [
          'waiver-revoked',
          CAROL,
          'not-applicable',
          'open',
          'The platform no longer manages it',
          pending.id,
        ],
        [
          'waiver-approved',
          CAROL,
          null,
          'not-applicable',
          'Agreed with the platform team',
          pending.id,
        ],
        [
          'waiver-requested',
          ALICE,
          'open',
          'open',
          'Infrastructure is managed by the platform',
          pending.id,
        ],
      ]);
    });

    it('records denials and withdrawals without changing the item', async () => {
      const { app } = await createApp();
      const first = (await ask(app, { justification: 'Not needed' }))
        .body as WaiverRequest;
      const denied = await decide(app, first.id, {
        decision: 'deny',
        reason: 'It is needed',
      });
      expect(denied.status).toBe(200);
      expect(denied.body).toMatchObject({
        status: 'denied',
        reason: 'It is needed',
      });
      // Revoking is for approved waivers only.
      expect(
        (await decide(app, first.id, { decision: 'revoke', reason: 'x' }))
          .status,
      ).toBe(409);

      // A new request once the previous one is decided.
      now = new Date(START.getTime() + 1000);
      const second = (await ask(app, { justification: 'Really not needed' }))
        .body as WaiverRequest;
      expect(second.status).toBe('pending');
      // Only the requester may withdraw it.
      const byOther = await request(app)
        .delete(`/waivers/${second.id}`)
        .set('Authorization', asUser(CAROL));
      expect(byOther.status).toBe(403);
      const withdrawn = await request(app)
        .delete(`/waivers/${second.id}`)
        .set('Authorization', asUser(ALICE));
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body).toMatchObject({
        status: 'withdrawn',
        decidedBy: ALICE,
      });
      const again = await request(app)
        .delete(`/waivers/${second.id}`)
        .set('Authorization', asUser(ALICE));
      expect(again.status).toBe(409);
      expect(
        (await decide(app, second.id, { decision: 'approve', reason: 'ok' }))
          .status,
      ).toBe(409);

      expect(await getItem(app)).toMatchObject({
        state: { status: 'open', version: 0 },
        waiverRequest: { id: second.id, status: 'withdrawn' },
      });
      expect((await auditOf(app)).map(entry => entry.event)).toEqual([
        'waiver-withdrawn',
        'waiver-requested',
        'waiver-denied',
        'waiver-requested',
      ]);
      expect(
        (
          await request(app)
            .delete('/waivers/no-such-id')
            .set('Authorization', asUser(ALICE))
        ).status,
      ).toBe(404);
    });

    it('rejects bad requests and writes nothing', async () => {
      const { app } = await createApp();
      const tooLong = await ask(app, {
        justification: 'Not needed',
        expiresAt: new Date(START.getTime() + 91 * DAY).toISOString(),
      });
      expect(tooLong.status).toBe(400);
      expect(tooLong.body.error.message).toMatch(
        /^Invalid expiresAt .*the longest validity of a waiver/,
      );
      const past = await ask(app, {
        justification: 'Not needed',
        expiresAt: '2026-01-01T00:00:00Z',
      });
      expect(past.status).toBe(400);
      const noJustification = await ask(app, { justification: '  ' });
      expect(noJustification.status).toBe(400);
      expect(noJustification.body.error.message).toBe(
        'Invalid justification: it is required',
      );
      const unknownItem = await ask(
        app,
        { justification: 'x' },
        ALICE,
        requestPath('nope'),
      );
      expect(unknownItem.status).toBe(404);
      // Not an owner: no request.
      const notOwner = await ask(app, { justification: 'x' }, BOB);
      expect(notOwner.status).toBe(403);
      // Service principals do not ask.
      const service = await request(app)
        .post(requestPath())
        .set('Authorization', mockCredentials.service.header())
        .send({ justification: 'x' });
      expect([401, 403]).toContain(service.status);
      const badDecision = await decide(app, 'x', {
        decision: 'maybe',
        reason: 'x',
      });
      expect(badDecision.status).toBe(400);
      expect(await counts()).toEqual({ requests: 0, audit: 0, items: 0 });
    });

    it('keeps one pending request per item under concurrent requests', async () => {
      const { app } = await createApp();
      const statuses = await Promise.all(
        [1, 2, 3].map(i =>
          ask(app, { justification: `Attempt ${i}` }).then(r => r.status),
        ),
      );
      expect(statuses.sort()).toEqual([201, 409, 409]);
      expect(await counts()).toEqual({ requests: 1, audit: 1, items: 0 });
    });

    it('writes nothing when the item changed while a request was approved', async () => {
      const { app } = await createApp();
      const asked = (await ask(app, { justification: 'Not needed' }))
        .body as WaiverRequest;
      const outcome = await waiverStore.transition({
        id: asked.id,
        from: 'pending',
        to: 'approved',
        event: 'waiver-approved',
        actor: CAROL,
        at: START,
        reason: 'ok',
        itemWrite: {
          entityRef: PAYMENTS,
          phaseId: 'phase-3',
          checklistId: 'infrastructure',
          itemId: 'iac',
          status: 'not-applicable',
          justification: 'Not needed',
          actor: CAROL,
          at: START,
          // Someone else wrote version 1 meanwhile: this expects 3.
          expectedVersion: 3,
        },
      });
      expect(outcome).toEqual({ ok: false, reason: 'item-version' });
      expect((await waiverStore.get(asked.id))?.status).toBe('pending');
      expect(await counts()).toEqual({ requests: 1, audit: 1, items: 0 });
    });

    it('does not approve a request whose expiry has passed', async () => {
      const { app } = await createApp();
      const asked = (
        await ask(app, {
          justification: 'Short one',
          expiresAt: new Date(START.getTime() + DAY).toISOString(),
        })
      ).body as WaiverRequest;
      now = new Date(START.getTime() + 2 * DAY);
      const late = await decide(app, asked.id, {
        decision: 'approve',
        reason: 'ok',
      });
      expect(late.status).toBe(409);
      expect(late.body.error.message).toContain('which has passed');
      expect(await counts()).toEqual({ requests: 1, audit: 1, items: 0 });
    });

    it('lists requests: admins see all, others those they may read', async () => {
      const { app } = await createApp();
      const a = (await ask(app, { justification: 'one' }))
        .body as WaiverRequest;
      now = new Date(START.getTime() + 1000);
      const b = (
        await ask(app, { justification: 'two' }, ALICE, requestPath('runbook'))
      ).body as WaiverRequest;
      await decide(app, a.id, { decision: 'deny', reason: 'no' });

      const all = await request(app)
        .get('/waivers')
        .set('Authorization', asUser(CAROL));
      expect(all.status).toBe(200);
      expect(all.body.items.map((r: WaiverRequest) => r.id)).toEqual([
        b.id,
        a.id,
      ]);
      const pending = await request(app)
        .get('/waivers?status=pending&entityRef=component:default/Payments-API')
        .set('Authorization', asUser(BOB));
      expect(pending.status).toBe(200);
      expect(pending.body.items.map((r: WaiverRequest) => r.id)).toEqual([
        b.id,
      ]);
      const several = await request(app)
        .get('/waivers?status=pending&status=denied&limit=1')
        .set('Authorization', asUser(ALICE));
      expect(several.body.items.map((r: WaiverRequest) => r.id)).toEqual([
        b.id,
      ]);
      const bad = await request(app)
        .get('/waivers?status=maybe')
        .set('Authorization', asUser(CAROL));
      expect(bad.status).toBe(400);
    });
  },
);
