import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import { DatabaseChecklistStore } from './DatabaseChecklistStore';
import { DatabaseReadinessStore } from './DatabaseReadinessStore';
import {
  DatabaseOverviewChanges,
  OverviewChanges,
  recordOverviewChanges,
} from './overviewChanges';
import { EntityEvaluation } from './ReadinessStore';

jest.setTimeout(120_000);

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);
const MIGRATION = '20261128000000_overview_changes.js';

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

async function createDatabase(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  await knex.migrate.latest({ directory: migrationsDir });
  return { knex, changes: new DatabaseOverviewChanges(knex) };
}

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-api';
const PAYOUTS = 'component:default/payouts-worker';

/** A time on 26 November 2026, UTC. */
const at = (hour: number, minute = 0) =>
  new Date(Date.UTC(2026, 10, 26, hour, minute, 0, 0));

function record(knex: Knex, refs: string[], when: Date = at(12)) {
  return knex.transaction(trx => recordOverviewChanges(trx, refs, when));
}

function refsOf(changes: OverviewChanges): string[] {
  if ('reload' in changes) {
    throw new Error(`Expected changes, got a reload at ${changes.generation}`);
  }
  return changes.entityRefs;
}

function evaluation(entityRef: string, evaluatedAt: Date): EntityEvaluation {
  return {
    entityRef,
    evaluatedAt,
    results: [{ checkId: 'hpa', status: 'pass', message: 'ok' }],
    scores: {
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/payments',
      system: null,
      tier: null,
      level: null,
      levelRank: 0,
      score: 50,
      areaScores: [],
      passed: 1,
      failed: 0,
      factsHash: 'h',
      stale: false,
    },
  };
}

describe.each(databases.eachSupportedId())(
  'overview changes (%s)',
  databaseId => {
    it('migrates up with the generation row, and down', async () => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      await expect(
        knex('readiness_overview_generation').select(
          'id',
          'generation',
          'pruned_through',
        ),
      ).resolves.toEqual([
        expect.objectContaining({
          id: 1,
          generation: expect.anything(),
          pruned_through: expect.anything(),
        }),
      ]);
      const changes = new DatabaseOverviewChanges(knex);
      await expect(changes.getGeneration()).resolves.toBe(0);
      await record(knex, [PAYMENTS]);
      await expect(changes.getGeneration()).resolves.toBe(1);

      await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
      await expect(
        knex.schema.hasTable('readiness_overview_generation'),
      ).resolves.toBe(false);
      await expect(
        knex.schema.hasTable('readiness_overview_changes'),
      ).resolves.toBe(false);
      // The tables of the earlier migrations stay.
      await expect(knex.schema.hasTable('readiness_scores')).resolves.toBe(
        true,
      );

      await knex.migrate.up({ directory: migrationsDir, name: MIGRATION });
      await expect(changes.getGeneration()).resolves.toBe(0);
      await expect(changes.getChangesSince(0)).resolves.toEqual({
        generation: 0,
        entityRefs: [],
      });
    });

    it('raises the generation once per transaction, and logs distinct refs in lower case', async () => {
      const { knex, changes } = await createDatabase(databaseId);

      await expect(
        record(knex, ['Component:default/Payments-API', PAYMENTS, LEDGER]),
      ).resolves.toBe(1);
      await expect(record(knex, [PAYOUTS])).resolves.toBe(2);
      // Nothing changed: no new generation.
      await expect(record(knex, [])).resolves.toBe(2);
      await expect(changes.getGeneration()).resolves.toBe(2);

      const rows = await knex('readiness_overview_changes')
        .orderBy([{ column: 'generation' }, { column: 'entity_ref' }])
        .select('generation', 'entity_ref', 'changed_at');
      expect(
        rows.map(r => [
          Number(r.generation),
          r.entity_ref,
          new Date(r.changed_at).toISOString(),
        ]),
      ).toEqual([
        [1, LEDGER, at(12).toISOString()],
        [1, PAYMENTS, at(12).toISOString()],
        [2, PAYOUTS, at(12).toISOString()],
      ]);
    });

    it('returns exactly the refs changed after a generation', async () => {
      const { knex, changes } = await createDatabase(databaseId);
      await expect(changes.getChangesSince(0)).resolves.toEqual({
        generation: 0,
        entityRefs: [],
      });

      const g1 = await record(knex, [PAYMENTS, LEDGER]);
      const g2 = await record(knex, [PAYOUTS]);
      const g3 = await record(knex, [PAYMENTS]);
      expect([g1, g2, g3]).toEqual([1, 2, 3]);

      await expect(changes.getChangesSince(0)).resolves.toEqual({
        generation: 3,
        entityRefs: [LEDGER, PAYMENTS, PAYOUTS],
      });
      await expect(changes.getChangesSince(g1)).resolves.toEqual({
        generation: 3,
        entityRefs: [PAYMENTS, PAYOUTS],
      });
      await expect(changes.getChangesSince(g2)).resolves.toEqual({
        generation: 3,
        entityRefs: [PAYMENTS],
      });
      await expect(changes.getChangesSince(g3)).resolves.toEqual({
        generation: 3,
        entityRefs: [],
      });
      // Ahead of the database: it was replaced or reset.
      await expect(changes.getChangesSince(g3 + 1)).resolves.toEqual({
        generation: 3,
        reload: true,
      });
      await expect(changes.getChangesSince(-1)).rejects.toThrow(InputError);
      await expect(changes.getChangesSince(1.5)).rejects.toThrow(InputError);
    });

    it('logs many refs in one generation', async () => {
      const { knex, changes } = await createDatabase(databaseId);
      const refs = Array.from(
        { length: 1_234 },
        (_, i) => `component:default/svc-${String(i).padStart(4, '0')}`,
      );
      await expect(record(knex, refs)).resolves.toBe(1);
      await expect(changes.getChangesSince(0)).resolves.toEqual({
        generation: 1,
        entityRefs: refs,
      });
    });

    it('prunes old changes, after which a caller behind them must reload', async () => {
      const { knex, changes } = await createDatabase(databaseId);
      await record(knex, [PAYMENTS], at(1));
      await record(knex, [LEDGER], at(2));
      await record(knex, [PAYOUTS, PAYMENTS], at(10));
      const current = await changes.getGeneration();
      expect(current).toBe(3);

      // Nothing older than that.
      await expect(changes.prune(at(0))).resolves.toBe(0);
      await expect(changes.getChangesSince(0)).resolves.toEqual({
        generation: 3,
        entityRefs: [LEDGER, PAYMENTS, PAYOUTS],
      });

      // The changes before 05:00: generations 1 and 2.
      await expect(changes.prune(at(5))).resolves.toBe(2);
      await expect(changes.getChangesSince(0)).resolves.toEqual({
        generation: 3,
        reload: true,
      });
      await expect(changes.getChangesSince(1)).resolves.toEqual({
        generation: 3,
        reload: true,
      });
      // A caller that had seen generation 2 has missed nothing.
      await expect(changes.getChangesSince(2)).resolves.toEqual({
        generation: 3,
        entityRefs: [PAYMENTS, PAYOUTS],
      });
      await expect(changes.getChangesSince(current)).resolves.toEqual({
        generation: 3,
        entityRefs: [],
      });
      // Pruning again, or an earlier cut, does not lower the mark.
      await expect(changes.prune(at(5))).resolves.toBe(0);
      await expect(changes.prune(at(3))).resolves.toBe(0);
      const [row] = await knex('readiness_overview_generation').select();
      expect(Number(row.pruned_through)).toBe(2);
      expect(Number(row.generation)).toBe(3);

      // Everything: the log is empty, and a caller at the current generation
      // still goes on from there.
      await expect(changes.prune(at(23))).resolves.toBe(2);
      await expect(changes.getChangesSince(current)).resolves.toEqual({
        generation: 3,
        entityRefs: [],
      });
      await expect(changes.getChangesSince(2)).resolves.toEqual({
        generation: 3,
        reload: true,
      });
      await record(knex, [LEDGER], at(23, 30));
      await expect(changes.getChangesSince(current)).resolves.toEqual({
        generation: 4,
        entityRefs: [LEDGER],
      });
      await expect(changes.prune(new Date(Number.NaN))).rejects.toThrow(
        InputError,
      );
    });

    it('prunes a prefix of the generations, even when clocks disagree', async () => {
      const { knex, changes } = await createDatabase(databaseId);
      // Generation 2 was stamped by an instance whose clock is behind.
      await record(knex, [PAYMENTS], at(9));
      await record(knex, [LEDGER], at(1));
      await record(knex, [PAYOUTS], at(10));

      await expect(changes.prune(at(5))).resolves.toBe(2);
      await expect(changes.getChangesSince(1)).resolves.toEqual({
        generation: 3,
        reload: true,
      });
      await expect(changes.getChangesSince(2)).resolves.toEqual({
        generation: 3,
        entityRefs: [PAYOUTS],
      });
    });

    it('misses no change while many transactions write concurrently', async () => {
      const knex = await databases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const scores = await DatabaseReadinessStore.create({ database });
      const checklists = await DatabaseChecklistStore.create({ database });
      const changes = new DatabaseOverviewChanges(knex);

      const writers = 8;
      const operationsPerWriter = 12;
      // Entities every writer saves, so that writers wait for each other's
      // score rows as well as for the generation row.
      const hot = ['component:default/hot-a', 'component:default/hot-b'];
      // Written with a stale version only: rejected, so never logged.
      const rejectedRef = 'component:default/never-written';
      const written = new Set<string>(hot);
      /** Whether each checklist write was accepted, or rejected, as meant. */
      const outcomes: boolean[] = [];
      let clock = 0;

      let writing = true;
      const seen = new Set<string>();
      const generations: number[] = [];
      let polls = 0;
      const poller = (async () => {
        let generation = await changes.getGeneration();
        generations.push(generation);
        for (;;) {
          const done = !writing;
          const result = await changes.getChangesSince(generation);
          for (const ref of refsOf(result)) {
            seen.add(ref);
          }
          polls += refsOf(result).length > 0 ? 1 : 0;
          generation = result.generation;
          generations.push(generation);
          if (done) {
            return;
          }
          await new Promise(resolve => setImmediate(resolve));
        }
      })();

      await Promise.all(
        Array.from({ length: writers }, async (_, writer) => {
          for (let op = 0; op < operationsPerWriter; op++) {
            const own = `component:default/w${writer}-op${op}`;
            written.add(own);
            if (op % 3 === 2) {
              const outcome = await checklists.updateItem({
                entityRef: own,
                phaseId: 'phase-4',
                checklistId: 'phase-completion',
                itemId: 'backup-dr-tested',
                status: 'done',
                actor: 'user:default/alice',
                at: at(12),
                expectedVersion: 0,
              });
              outcomes.push(outcome.ok);
              const rejected = await checklists.updateItem({
                entityRef: rejectedRef,
                phaseId: 'phase-4',
                checklistId: 'phase-completion',
                itemId: 'backup-dr-tested',
                status: 'done',
                actor: 'user:default/alice',
                at: at(12),
                expectedVersion: 7,
              });
              outcomes.push(!rejected.ok);
            } else {
              // Later times win; the latest save of each entity always does.
              clock += 1;
              const time = new Date(at(12).getTime() + clock * 1000);
              await scores.saveEvaluations([
                evaluation(own, time),
                ...hot.map(ref => evaluation(ref, time)),
              ]);
            }
          }
        }),
      );
      writing = false;
      await poller;

      expect(outcomes).toHaveLength(writers * 4 * 2);
      expect(outcomes.every(Boolean)).toBe(true);
      // The poller advanced while the writers wrote, and saw every change.
      expect(polls).toBeGreaterThan(1);
      expect([...seen].sort()).toEqual([...written].sort());
      expect(seen.has(rejectedRef)).toBe(false);
      // Its generations never went backwards, and it reached the last one.
      expect(generations).toEqual([...generations].sort((a, b) => a - b));
      const last = await changes.getGeneration();
      expect(generations[generations.length - 1]).toBe(last);
      // One generation per successful transaction, without gaps.
      const logged = await knex('readiness_overview_changes')
        .distinct('generation')
        .orderBy('generation');
      expect(logged.map(r => Number(r.generation))).toEqual(
        Array.from({ length: last }, (_, i) => i + 1),
      );
      expect(last).toBe(writers * operationsPerWriter);
    });
  },
);
