import { InputError } from '@backstage/errors';
import { Knex } from 'knex';

/*
 * The overview change log (see the overview_changes migration).
 *
 * Every transaction that changes what the overview shows of some entities
 * ends with {@link recordOverviewChanges}: it raises the generation and logs
 * those entities under the new generation. A backend instance that keeps the
 * overview in memory remembers the generation it is at and asks
 * {@link DatabaseOverviewChanges.getChangesSince} which entities changed
 * after it, whichever instance wrote them.
 */

const GENERATION = 'readiness_overview_generation';
const CHANGES = 'readiness_overview_changes';
const GENERATION_ID = 1;
/** Change rows per insert: 3 bind variables each, within SQLite's 999. */
const INSERT_CHUNK = 300;

/**
 * How long change rows are kept: 24 hours. An instance that has not looked
 * for longer than that reloads the whole overview, which it would do after
 * such a gap anyway.
 */
export const OVERVIEW_CHANGES_RETENTION_MS = 24 * 60 * 60 * 1000;

type GenerationRow = {
  id: number;
  /** A string on PostgreSQL (bigint). */
  generation: number | string;
  pruned_through: number | string;
};

type ChangeRow = {
  generation: number | string;
  entity_ref: string;
  /** A Date on PostgreSQL; epoch milliseconds on SQLite. */
  changed_at: Date | number | string;
};

/** What changed after a generation. */
export type OverviewChanges =
  | {
      /** The generation the caller is at once it has applied the changes. */
      generation: number;
      /** The entities whose overview rows changed, distinct and sorted. */
      entityRefs: string[];
    }
  | {
      /** The generation to continue from after reloading. */
      generation: number;
      /**
       * The changes since the caller's generation are no longer known (they
       * were pruned, or the database was replaced): reload everything.
       */
      reload: true;
    };

/**
 * Records that the overview rows of `entityRefs` changed, in the transaction
 * that changed them, and returns the new generation. An empty list records
 * nothing and returns the current generation.
 *
 * It raises the generation with
 * `update ... set generation = generation + 1 where id = 1`, reads it back in
 * the same transaction, and logs each distinct ref (in lower case, as the
 * store keeps them) under it.
 *
 * It must be the LAST statement group of the transaction. The update locks
 * the generation row until the transaction ends, so the transactions that
 * record changes commit one after the other, in the order of their
 * generations: on PostgreSQL a transaction waits at the update until the one
 * holding the row commits, and then increments the committed value. Hence a
 * reader that sees generation G in that row sees every change of a
 * generation <= G, already committed, and no change of a later generation
 * can appear below G afterwards. (SQLite runs one write transaction at a
 * time, which gives the same order.) Being last keeps the lock for as short
 * as possible, since it serialises all writers of the overview, and means no
 * other lock is taken while it is held, so it cannot take part in a
 * deadlock.
 */
export async function recordOverviewChanges(
  trx: Knex.Transaction,
  entityRefs: string[],
  at: Date,
): Promise<number> {
  const refs = [...new Set(entityRefs.map(normalizeRef))].sort();
  if (refs.length === 0) {
    return (await readGeneration(trx)).generation;
  }
  const raise = () =>
    trx(GENERATION)
      .where('id', GENERATION_ID)
      .update({ generation: trx.raw('?? + 1', ['generation']) });
  if ((await raise()) === 0) {
    // The row is missing (it was deleted by hand): start it again. A reader
    // that was ahead of it is told to reload.
    await trx(GENERATION)
      .insert({ id: GENERATION_ID, generation: 0, pruned_through: 0 })
      .onConflict('id')
      .ignore();
    await raise();
  }
  const { generation } = await readGeneration(trx);
  for (let i = 0; i < refs.length; i += INSERT_CHUNK) {
    await trx<ChangeRow>(CHANGES).insert(
      refs.slice(i, i + INSERT_CHUNK).map(entity_ref => ({
        generation,
        entity_ref,
        changed_at: at,
      })),
    );
  }
  return generation;
}

/**
 * Reads the overview change log: the current generation, and which entities
 * changed after a generation.
 *
 * An instance that keeps the overview in memory reads the generation with
 * {@link DatabaseOverviewChanges.getGeneration} BEFORE it loads the
 * overview, then polls {@link DatabaseOverviewChanges.getChangesSince} with
 * the generation it is at and re-reads the rows of the refs it is given.
 * (Changes between the generation it read and its load are applied twice,
 * which is harmless.)
 */
export class DatabaseOverviewChanges {
  constructor(private readonly db: Knex) {}

  /** The current generation: one read of one row. */
  async getGeneration(): Promise<number> {
    return (await readGeneration(this.db)).generation;
  }

  /**
   * The entities whose overview rows changed after generation `since`, up to
   * the returned generation; or `reload: true` when those changes are not
   * all known: `since` is before the pruned changes, or after the current
   * generation (the database was replaced or reset).
   */
  async getChangesSince(since: number): Promise<OverviewChanges> {
    if (!Number.isSafeInteger(since) || since < 0) {
      throw new InputError(
        `Invalid overview generation ${since}, expected a non-negative integer`,
      );
    }
    // The generation first: every change up to it is committed (see
    // recordOverviewChanges), so the read below sees all of them.
    const { generation, prunedThrough } = await readGeneration(this.db);
    if (since > generation || since < prunedThrough) {
      return { generation, reload: true };
    }
    if (since === generation) {
      return { generation, entityRefs: [] };
    }
    const rows: Array<Pick<ChangeRow, 'entity_ref'>> = await this.db<ChangeRow>(
      CHANGES,
    )
      .where('generation', '>', since)
      .andWhere('generation', '<=', generation)
      .distinct('entity_ref')
      .orderBy('entity_ref');
    // A prune that committed before that read may have deleted some of the
    // rows; it raised `pruned_through` in the same transaction.
    const after = await readGeneration(this.db);
    if (since < after.prunedThrough) {
      return { generation: after.generation, reload: true };
    }
    return { generation, entityRefs: rows.map(row => row.entity_ref) };
  }

  /**
   * Deletes the change rows recorded before `olderThan`, with every row of an
   * earlier generation (so that the log always holds the generations after
   * `pruned_through`, without gaps), and raises `pruned_through` to the
   * highest generation deleted. Returns the number of rows deleted.
   */
  async prune(olderThan: Date): Promise<number> {
    if (Number.isNaN(olderThan.getTime())) {
      throw new InputError('Invalid time to prune the overview changes before');
    }
    return this.db.transaction(async trx => {
      // Lock the generation row, as writers do: no change is recorded
      // while the rows are deleted and the mark raised.
      await trx(GENERATION)
        .where('id', GENERATION_ID)
        .update({ pruned_through: trx.raw('??', ['pruned_through']) });
      const [{ max }] = await trx<ChangeRow>(CHANGES)
        .where('changed_at', '<', olderThan)
        .max({ max: 'generation' });
      if (max === null || max === undefined) {
        return 0;
      }
      const through = Number(max);
      const deleted = await trx(CHANGES)
        .where('generation', '<=', through)
        .delete();
      await trx(GENERATION)
        .where('id', GENERATION_ID)
        .andWhere('pruned_through', '<', through)
        .update({ pruned_through: through });
      return deleted;
    });
  }
}

async function readGeneration(
  db: Knex | Knex.Transaction,
): Promise<{ generation: number; prunedThrough: number }> {
  const row: GenerationRow | undefined = await db<GenerationRow>(GENERATION)
    .where('id', GENERATION_ID)
    .first('generation', 'pruned_through');
  return {
    generation: Number(row?.generation ?? 0),
    prunedThrough: Number(row?.pruned_through ?? 0),
  };
}

function normalizeRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}
