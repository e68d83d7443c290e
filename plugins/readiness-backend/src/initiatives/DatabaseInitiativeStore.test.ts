import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { InitiativeDefinition } from '@prodready/plugin-readiness-common';
import { DatabaseInitiativeStore } from './DatabaseInitiativeStore';
import type { InitiativeEntityRow } from './InitiativeStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { knex, store: await DatabaseInitiativeStore.create({ database }) };
}

const ALICE = 'user:default/alice';
const at = (day: number, hour = 12) =>
  new Date(Date.UTC(2026, 11, day, hour, 0, 0, 0));

const definition: InitiativeDefinition = {
  id: 'tier-1-silver',
  title: 'Tier-1 Silver',
  owner: 'group:default/platform-team',
  startDate: '2026-12-01',
  deadline: '2027-01-31',
  scope: { tiers: ['tier-1'] },
  goal: { type: 'level', level: 'silver' },
};

function row(name: string, state: InitiativeEntityRow['state']) {
  return {
    entityRef: `component:default/${name}`,
    state,
    missing:
      state === 'not-met'
        ? [{ type: 'level' as const, id: 'silver', title: 'Reach Silver' }]
        : [],
    waived: [],
    owner: 'group:default/team-a',
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    tier: 'tier-1',
    system: null,
    level: 'bronze',
    score: 42.5,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseInitiativeStore (%s)',
  databaseId => {
    it('creates, updates with a version, deletes, and keeps an audit trail', async () => {
      const { store } = await createStore(databaseId);
      const created = await store.createInitiative(definition, {
        actor: ALICE,
        at: at(1),
      });
      expect(created).toMatchObject({
        ok: true,
        initiative: { definition, version: 1, createdBy: ALICE },
      });
      // The same id again: a conflict with the current one.
      expect(
        await store.createInitiative(definition, { actor: ALICE, at: at(1) }),
      ).toMatchObject({ ok: false, current: { version: 1 } });

      const changed = { ...definition, title: 'Tier-1 Silver, now' };
      expect(
        await store.updateInitiative(changed, {
          actor: 'user:default/bob',
          at: at(2),
          expectedVersion: 1,
        }),
      ).toMatchObject({ ok: true, initiative: { version: 2 } });
      // A stale version: nothing written, the current one returned.
      expect(
        await store.updateInitiative(
          { ...definition, title: 'lost' },
          { actor: ALICE, at: at(3), expectedVersion: 1 },
        ),
      ).toMatchObject({
        ok: false,
        current: { version: 2, definition: changed },
      });
      expect((await store.getInitiative(definition.id))?.definition).toEqual(
        changed,
      );
      expect(await store.listInitiatives()).toHaveLength(1);

      expect(
        await store.deleteInitiative(definition.id, {
          actor: ALICE,
          at: at(4),
          expectedVersion: 1,
        }),
      ).toMatchObject({ ok: false });
      expect(
        await store.deleteInitiative(definition.id, {
          actor: ALICE,
          at: at(4),
        }),
      ).toMatchObject({ ok: true });
      expect(await store.getInitiative(definition.id)).toBeUndefined();

      const first = await store.listAudit({
        initiativeId: definition.id,
        limit: 2,
      });
      expect(first.entries.map(e => [e.action, e.who])).toEqual([
        ['deleted', ALICE],
        ['updated', 'user:default/bob'],
      ]);
      expect(first.entries[0]).toMatchObject({
        before: changed,
        after: null,
        when: at(4).toISOString(),
      });
      expect(first.entries[1]).toMatchObject({
        before: definition,
        after: changed,
      });
      const second = await store.listAudit({
        initiativeId: definition.id,
        limit: 2,
        cursor: first.nextCursor,
      });
      expect(second.entries.map(e => e.action)).toEqual(['created']);
      expect(second.nextCursor).toBeUndefined();
    });

    it('writes progress incrementally, with the burn-up and a generation', async () => {
      const { store } = await createStore(databaseId);
      const first = await store.writeProgress({
        initiativeId: 'a',
        definitionHash: 'h1',
        computedAt: at(2),
        upserts: [row('x', 'met'), row('y', 'not-met'), row('z', 'exempt')],
        deletes: [],
        burnUp: [
          { day: '2026-12-01', met: 0, exempt: 0, total: 3 },
          { day: '2026-12-02', met: 1, exempt: 1, total: 3 },
        ],
        replaceBurnUp: true,
      });
      expect(first.generation).toBe(1);
      const second = await store.writeProgress({
        initiativeId: 'a',
        definitionHash: 'h1',
        computedAt: at(3),
        upserts: [row('y', 'met')],
        deletes: ['component:default/z'],
        burnUp: [{ day: '2026-12-03', met: 2, exempt: 0, total: 2 }],
        replaceBurnUp: false,
      });
      expect(second.generation).toBe(2);
      const entities = await store.getEntities('a');
      expect(entities.map(e => [e.entityRef, e.state])).toEqual([
        ['component:default/x', 'met'],
        ['component:default/y', 'met'],
      ]);
      expect(entities[0]).toEqual(row('x', 'met'));
      expect((await store.getBurnUp('a')).map(p => p.day)).toEqual([
        '2026-12-01',
        '2026-12-02',
        '2026-12-03',
      ]);
      expect(await store.getLatestCounts()).toEqual(
        new Map([['a', { day: '2026-12-03', met: 2, exempt: 0, total: 2 }]]),
      );
      expect(
        (await store.getEntityInitiatives('Component:default/X')).map(
          e => e.initiativeId,
        ),
      ).toEqual(['a']);
      expect(await store.listProgressStates()).toEqual([
        {
          initiativeId: 'a',
          definitionHash: 'h1',
          generation: 2,
          computedAt: at(3),
        },
      ]);
      await store.deleteProgress(['a']);
      expect(await store.getEntities('a')).toEqual([]);
      expect(await store.listProgressStates()).toEqual([]);
    });

    it('reads the history the burn-up is rebuilt from', async () => {
      const { knex, store } = await createStore(databaseId);
      const ref = 'component:default/x';
      await knex('readiness_score_snapshots').insert(
        [
          ['2026-11-20', 'bronze', 1],
          ['2026-11-25', 'bronze', 1],
          ['2026-12-02', 'silver', 2],
        ].map(([day, level, rank]) => ({
          entity_ref: ref,
          day,
          level,
          level_rank: rank,
          score: 50,
          area_scores: '{}',
        })),
      );
      expect(await store.readSnapshots('2026-12-01')).toEqual(
        new Map([
          [
            ref,
            [
              { day: '2026-11-25', level: 'bronze', levelRank: 1 },
              { day: '2026-12-02', level: 'silver', levelRank: 2 },
            ],
          ],
        ]),
      );
      await knex('readiness_result_history').insert([
        {
          entity_ref: ref,
          check_id: 'hpa',
          from_status: 'fail',
          to_status: 'pass',
          message: 'ok',
          changed_at: at(1, 6),
        },
        {
          entity_ref: ref,
          check_id: 'hpa',
          from_status: 'pass',
          to_status: 'fail',
          message: 'no',
          changed_at: at(3),
        },
      ]);
      expect(await store.readTransitions(at(2, 0))).toEqual([
        {
          entityRef: ref,
          checkId: 'hpa',
          fromStatus: 'pass',
          toStatus: 'fail',
          changedAt: at(3),
        },
      ]);
      await knex('readiness_checklist_audit').insert({
        entity_ref: ref,
        phase_id: 'phase-4',
        checklist_id: 'pre',
        item_id: 'runbook',
        actor: ALICE,
        at: at(3),
        before: JSON.stringify({ status: 'open', version: 1 }),
        after: JSON.stringify({ status: 'done', version: 2 }),
      });
      expect(await store.readChecklistChanges(at(1))).toEqual([
        {
          entityRef: ref,
          phaseId: 'phase-4',
          checklistId: 'pre',
          itemId: 'runbook',
          at: at(3),
          before: { status: 'open', version: 1 },
        },
      ]);
    });
  },
);
