import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ChecklistItemWrite } from '../checklists/ChecklistStore';
import { DatabaseChecklistStore } from './DatabaseChecklistStore';
import { DatabaseOverviewChanges } from './overviewChanges';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { knex, store: await DatabaseChecklistStore.create({ database }) };
}

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-api';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

const at = (minute: number) =>
  new Date(Date.UTC(2026, 10, 26, 12, minute, 0, 0));

function write(
  overrides: Partial<ChecklistItemWrite> = {},
): ChecklistItemWrite {
  return {
    entityRef: PAYMENTS,
    phaseId: 'phase-4',
    checklistId: 'phase-completion',
    itemId: 'backup-dr-tested',
    status: 'done',
    evidenceUrl: 'https://wiki.example.com/dr-test-2026',
    note: 'Restored from last night',
    expiresAt: '2027-11-26T12:00:00.000Z',
    actor: ALICE,
    at: at(0),
    expectedVersion: 0,
    ...overrides,
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseChecklistStore (%s)',
  databaseId => {
    it('stores the first change of an item as version 1, with its audit entry', async () => {
      const { store } = await createStore(databaseId);
      await expect(
        store.getItem(PAYMENTS, 'phase-4', 'backup-dr-tested'),
      ).resolves.toBeUndefined();

      const outcome = await store.updateItem(write());

      const state = {
        entityRef: PAYMENTS,
        phaseId: 'phase-4',
        checklistId: 'phase-completion',
        itemId: 'backup-dr-tested',
        status: 'done',
        attestedBy: ALICE,
        attestedAt: at(0).toISOString(),
        evidenceUrl: 'https://wiki.example.com/dr-test-2026',
        note: 'Restored from last night',
        expiresAt: '2027-11-26T12:00:00.000Z',
        version: 1,
      };
      expect(outcome).toEqual({
        ok: true,
        state,
        audit: {
          id: expect.any(String),
          entityRef: PAYMENTS,
          phaseId: 'phase-4',
          checklistId: 'phase-completion',
          itemId: 'backup-dr-tested',
          who: ALICE,
          when: at(0).toISOString(),
          before: null,
          after: {
            status: 'done',
            attestedBy: ALICE,
            attestedAt: at(0).toISOString(),
            evidenceUrl: 'https://wiki.example.com/dr-test-2026',
            note: 'Restored from last night',
            expiresAt: '2027-11-26T12:00:00.000Z',
            version: 1,
          },
          evidence: 'https://wiki.example.com/dr-test-2026',
        },
      });
      await expect(
        store.getItem(PAYMENTS, 'phase-4', 'backup-dr-tested'),
      ).resolves.toEqual(state);
      await expect(store.getItems(PAYMENTS)).resolves.toEqual([state]);
      const audit = await store.listAudit({ entityRef: PAYMENTS, limit: 10 });
      expect(audit.entries).toEqual([
        outcome.ok ? outcome.audit : 'not written',
      ]);
      expect(audit.nextCursor).toBeUndefined();
    });

    it('compares entity refs without regard to case', async () => {
      const { store } = await createStore(databaseId);
      await store.updateItem(
        write({ entityRef: 'Component:default/Payments-API' }),
      );
      await expect(
        store.getItem(PAYMENTS, 'phase-4', 'backup-dr-tested'),
      ).resolves.toMatchObject({ entityRef: PAYMENTS, version: 1 });
    });

    it('applies a change based on the current version and records before and after', async () => {
      const { store } = await createStore(databaseId);
      await store.updateItem(write());

      const outcome = await store.updateItem(
        write({
          status: 'not-applicable',
          evidenceUrl: undefined,
          note: undefined,
          justification: 'No data is stored',
          expiresAt: '2027-02-24T12:00:00.000Z',
          actor: BOB,
          at: at(5),
          expectedVersion: 1,
        }),
      );

      expect(outcome.ok).toBe(true);
      const after = {
        entityRef: PAYMENTS,
        phaseId: 'phase-4',
        checklistId: 'phase-completion',
        itemId: 'backup-dr-tested',
        status: 'not-applicable',
        attestedBy: BOB,
        attestedAt: at(5).toISOString(),
        justification: 'No data is stored',
        expiresAt: '2027-02-24T12:00:00.000Z',
        version: 2,
      };
      await expect(
        store.getItem(PAYMENTS, 'phase-4', 'backup-dr-tested'),
      ).resolves.toEqual(after);
      const { entries } = await store.listAudit({
        entityRef: PAYMENTS,
        limit: 10,
      });
      expect(
        entries.map(e => [e.who, e.before?.version ?? null, e.after.version]),
      ).toEqual([
        [BOB, 1, 2],
        [ALICE, null, 1],
      ]);
      expect(entries[0].before).toMatchObject({
        status: 'done',
        evidenceUrl: 'https://wiki.example.com/dr-test-2026',
      });
      expect(entries[0].after).toMatchObject({
        status: 'not-applicable',
        justification: 'No data is stored',
      });
      expect(entries[0].evidence).toBeUndefined();

      // Reopened: no attester, no evidence, no expiry.
      await store.updateItem(
        write({
          status: 'open',
          evidenceUrl: undefined,
          note: 'The restore failed after all',
          expiresAt: undefined,
          at: at(6),
          expectedVersion: 2,
        }),
      );
      await expect(
        store.getItem(PAYMENTS, 'phase-4', 'backup-dr-tested'),
      ).resolves.toEqual({
        entityRef: PAYMENTS,
        phaseId: 'phase-4',
        checklistId: 'phase-completion',
        itemId: 'backup-dr-tested',
        status: 'open',
        note: 'The restore failed after all',
        version: 3,
      });
    });

    it('writes nothing for a stale version and returns the current state', async () => {
      const { store } = await createStore(databaseId);
      await store.updateItem(write());
      await store.updateItem(write({ note: 'second', expectedVersion: 1 }));

      for (const expectedVersion of [0, 1, 3]) {
        const outcome = await store.updateItem(
          write({
            note: `stale ${expectedVersion}`,
            actor: BOB,
            expectedVersion,
          }),
        );
        expect(outcome).toEqual({
          ok: false,
          current: expect.objectContaining({ note: 'second', version: 2 }),
        });
      }
      // An item never changed, updated with a version other than 0.
      const fresh = await store.updateItem(
        write({ itemId: 'team-training', expectedVersion: 4 }),
      );
      expect(fresh).toEqual({
        ok: false,
        current: {
          entityRef: PAYMENTS,
          phaseId: 'phase-4',
          checklistId: 'phase-completion',
          itemId: 'team-training',
          status: 'open',
          version: 0,
        },
      });
      const { entries } = await store.listAudit({
        entityRef: PAYMENTS,
        limit: 10,
      });
      expect(entries.map(e => e.after.note)).toEqual([
        'second',
        'Restored from last night',
      ]);
      await expect(
        store.getItem(PAYMENTS, 'phase-4', 'team-training'),
      ).resolves.toBeUndefined();
    });

    it('reads the items of several entities at once', async () => {
      const { store } = await createStore(databaseId);
      await store.updateItem(write());
      await store.updateItem(write({ itemId: 'team-training' }));
      await store.updateItem(write({ entityRef: LEDGER }));

      const items = await store.getItemsOfEntities([
        PAYMENTS,
        LEDGER,
        'component:default/unknown',
      ]);
      expect(
        Object.fromEntries(
          [...items].map(([ref, states]) => [ref, states.map(s => s.itemId)]),
        ),
      ).toEqual({
        [PAYMENTS]: ['backup-dr-tested', 'team-training'],
        [LEDGER]: ['backup-dr-tested'],
        'component:default/unknown': [],
      });
    });

    it('lists the items of every entity that expire in a window, page by page', async () => {
      const { store } = await createStore(databaseId);
      const expiring = (itemId: string, entityRef: string, expiresAt: string) =>
        store.updateItem(write({ entityRef, itemId, expiresAt }));
      await expiring('backup-dr-tested', PAYMENTS, '2026-12-01T00:00:00.000Z');
      await expiring('team-training', PAYMENTS, '2026-12-10T00:00:00.000Z');
      await expiring('backup-dr-tested', LEDGER, '2026-12-05T00:00:00.000Z');
      // Outside the window, open, or without expiry: left out.
      await expiring('runbook', LEDGER, '2027-06-01T00:00:00.000Z');
      await expiring('old', LEDGER, '2026-10-01T00:00:00.000Z');
      await store.updateItem(
        write({ entityRef: LEDGER, itemId: 'reopened', status: 'open' }),
      );
      await store.updateItem(
        write({ itemId: 'forever', expiresAt: undefined }),
      );

      const query = {
        from: new Date('2026-11-20T00:00:00.000Z'),
        to: new Date('2026-12-20T00:00:00.000Z'),
        limit: 2,
      };
      const first = await store.listExpiringItems(query);
      expect(
        first.items.map(i => [i.entityRef, i.itemId, i.expiresAt]),
      ).toEqual([
        [LEDGER, 'backup-dr-tested', '2026-12-05T00:00:00.000Z'],
        [PAYMENTS, 'backup-dr-tested', '2026-12-01T00:00:00.000Z'],
      ]);
      expect(first.nextCursor).toBeDefined();
      const second = await store.listExpiringItems({
        ...query,
        cursor: first.nextCursor,
      });
      expect(second.items.map(i => [i.entityRef, i.itemId])).toEqual([
        [PAYMENTS, 'team-training'],
      ]);
      expect(second.nextCursor).toBeUndefined();
      await expect(
        store.listExpiringItems({ ...query, cursor: 'garbage' }),
      ).rejects.toThrow(/Invalid cursor/);
    });

    it('pages the audit trail newest first, per entity and per item', async () => {
      const { store } = await createStore(databaseId);
      for (let version = 0; version < 5; version++) {
        await store.updateItem(
          write({
            note: `change ${version + 1}`,
            at: at(version),
            expectedVersion: version,
          }),
        );
      }
      await store.updateItem(
        write({ itemId: 'team-training', note: 'other item', at: at(9) }),
      );
      await store.updateItem(
        write({ entityRef: LEDGER, note: 'other entity' }),
      );

      const first = await store.listAudit({ entityRef: PAYMENTS, limit: 4 });
      expect(first.entries.map(e => e.after.note)).toEqual([
        'other item',
        'change 5',
        'change 4',
        'change 3',
      ]);
      expect(first.nextCursor).toEqual(expect.any(String));
      const second = await store.listAudit({
        entityRef: PAYMENTS,
        limit: 4,
        cursor: first.nextCursor,
      });
      expect(second.entries.map(e => e.after.note)).toEqual([
        'change 2',
        'change 1',
      ]);
      expect(second.nextCursor).toBeUndefined();

      const item = await store.listAudit({
        entityRef: PAYMENTS,
        phaseId: 'phase-4',
        itemId: 'team-training',
        limit: 10,
      });
      expect(item.entries.map(e => e.after.note)).toEqual(['other item']);
      await expect(
        store.listAudit({ entityRef: PAYMENTS, limit: 10, cursor: 'garbage' }),
      ).rejects.toThrow("Invalid cursor 'garbage'");
    });

    it('logs the entity of a successful change for the overview, and nothing for a rejected one', async () => {
      const { store, knex } = await createStore(databaseId);
      const changes = new DatabaseOverviewChanges(knex);
      const start = await changes.getGeneration();

      const first = await store.updateItem(
        write({ entityRef: 'Component:default/Payments-API' }),
      );
      expect(first.ok).toBe(true);
      const g1 = await changes.getGeneration();
      expect(g1).toBe(start + 1);
      await expect(changes.getChangesSince(start)).resolves.toEqual({
        generation: g1,
        entityRefs: [PAYMENTS],
      });

      // A stale version: rejected, nothing logged.
      const stale = await store.updateItem(
        write({ status: 'open', expectedVersion: 0 }),
      );
      expect(stale.ok).toBe(false);
      await expect(changes.getGeneration()).resolves.toBe(g1);

      const second = await store.updateItem(
        write({ entityRef: LEDGER, actor: BOB }),
      );
      expect(second.ok).toBe(true);
      const g2 = await changes.getGeneration();
      expect(g2).toBe(g1 + 1);
      await expect(changes.getChangesSince(g1)).resolves.toEqual({
        generation: g2,
        entityRefs: [LEDGER],
      });
    });

    it('loses no update when many writers change one item at once', async () => {
      const { store } = await createStore(databaseId);
      const writers = 12;
      const attemptsPerWriter = 6;
      const accepted: Array<{
        expectedVersion: number;
        version: number;
        note: string;
      }> = [];
      const rejected: Array<{ expectedVersion: number; current: number }> = [];

      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let attempt = 0; attempt < attemptsPerWriter; attempt++) {
            const read = await store.getItem(
              PAYMENTS,
              'phase-4',
              'backup-dr-tested',
            );
            const expectedVersion = read?.version ?? 0;
            const note = `writer ${writer} attempt ${attempt}`;
            const outcome = await store.updateItem(
              write({
                note,
                actor: `user:default/writer-${writer}`,
                expectedVersion,
              }),
            );
            if (outcome.ok) {
              accepted.push({
                expectedVersion,
                version: outcome.state.version,
                note,
              });
            } else {
              rejected.push({
                expectedVersion,
                current: outcome.current.version,
              });
            }
          }
        }),
      );

      // Each accepted write was based on the version before it; each
      // rejected one only because someone else had got there first.
      expect(accepted.filter(a => a.version !== a.expectedVersion + 1)).toEqual(
        [],
      );
      expect(rejected.filter(r => r.current <= r.expectedVersion)).toEqual([]);
      expect(rejected.length).toBeGreaterThan(0);
      expect(accepted.length + rejected.length).toBe(
        writers * attemptsPerWriter,
      );
      accepted.sort((a, b) => a.version - b.version);
      // One accepted write per version, with no gaps.
      expect(accepted.map(a => a.version)).toEqual(
        accepted.map((_, i) => i + 1),
      );
      const final = await store.getItem(
        PAYMENTS,
        'phase-4',
        'backup-dr-tested',
      );
      const last = accepted[accepted.length - 1];
      expect(final).toMatchObject({ version: last.version, note: last.note });
      // The audit trail holds exactly the accepted writes, in order.
      const { entries } = await store.listAudit({
        entityRef: PAYMENTS,
        limit: 500,
      });
      expect(
        entries
          .map(e => ({ version: e.after.version, note: e.after.note }))
          .reverse(),
      ).toEqual(accepted.map(({ version, note }) => ({ version, note })));
      expect(
        entries.every(e => (e.before?.version ?? 0) === e.after.version - 1),
      ).toBe(true);
    });
  },
);
