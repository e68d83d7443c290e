import { LoggerService } from '@backstage/backend-plugin-api';
import type { OverviewPhaseProgress } from '@prodready/plugin-readiness-common';
import type { OverviewProgress } from '../checklists/ChecklistService';
import type {
  ListScoresRequest,
  ReadinessStore,
  ScoreFilter,
  ScoreListItem,
  ScoreSummary,
} from '../database/ReadinessStore';
import { OverviewIndex } from './OverviewIndex';

/** An entity's row of the overview: its scores and its phase progress. */
export type OverviewRow = ScoreListItem & { phases: OverviewPhaseProgress[] };

/** A page of the overview. */
export interface OverviewRowPage {
  items: OverviewRow[];
  totalCount: number;
  nextCursor?: string;
}

/** Where the read model learns which entities changed in the database. */
export interface OverviewChangeFeed {
  /** The generation of the latest change written. */
  getGeneration(): Promise<number>;
  /**
   * The entities changed after generation `since`, up to `generation`; or
   * `reload` when those changes are no longer all known.
   */
  getChangesSince(
    since: number,
  ): Promise<
    | { generation: number; entityRefs: string[] }
    | { generation: number; reload: true }
  >;
}

/** Options of {@link OverviewReadModel}. */
export interface OverviewReadModelOptions {
  store: Pick<ReadinessStore, 'listScores'>;
  changes: OverviewChangeFeed;
  /** The phase progress of entities; without it, rows have no phases. */
  progress?: (
    subjects: ReadonlyArray<ScoreListItem>,
  ) => Promise<Map<string, OverviewProgress>>;
  logger: LoggerService;
  /** Rows read from the store at a time. Default 1,000. */
  pageSize?: number;
  /** The clock, in ms since the epoch; for tests. */
  now?: () => number;
}

/**
 * The overview of every entity, served from memory: each backend instance
 * keeps every entity's row (scores and phase progress, a few hundred bytes)
 * in an {@link OverviewIndex}, so that a page, a filter or a summary of
 * 10,000 services costs well under a millisecond instead of SQL, JSON
 * decoding and checklist evaluation on every request.
 *
 * It is never stale. Every write that changes a row (an evaluation, a
 * checklist update, a deletion) records the entity in the database's
 * overview change log in the same transaction, with a generation number
 * (see `overviewChanges.ts`). Before answering, a request waits for a sync
 * that started after it arrived: one cheap query of the generation and of
 * the entities changed since the last sync, whose rows are then read again.
 * Concurrent requests share one sync. So a request sees every write that
 * committed before it arrived, on any instance. Progress that changes by
 * time alone (an attestation expiring) is recomputed when it is due.
 */
export class OverviewReadModel {
  readonly #store: Pick<ReadinessStore, 'listScores'>;
  readonly #changes: OverviewChangeFeed;
  readonly #progress?: OverviewReadModelOptions['progress'];
  readonly #logger: LoggerService;
  readonly #pageSize: number;
  readonly #now: () => number;
  readonly #index = new OverviewIndex<OverviewRow>();
  /** When each row's phase progress changes by itself, by lower-case ref. */
  readonly #validUntil = new Map<string, number>();
  #nextExpiry = Infinity;
  /** The generation the index reflects; undefined before the first load. */
  #generation?: number;
  #running?: Promise<void>;
  #queued?: Promise<void>;

  constructor(options: OverviewReadModelOptions) {
    this.#store = options.store;
    this.#changes = options.changes;
    this.#progress = options.progress;
    this.#logger = options.logger;
    this.#pageSize = options.pageSize ?? 1000;
    this.#now = options.now ?? Date.now;
  }

  /** A page of the overview, as `ReadinessStore.listScores` pages. */
  async list(request: ListScoresRequest): Promise<OverviewRowPage> {
    await this.#fresh();
    return this.#index.list(request);
  }

  /** The owner-group summary, as `ReadinessStore.summariseScores`. */
  async summarise(filter?: ScoreFilter): Promise<ScoreSummary> {
    await this.#fresh();
    return this.#index.summarise(filter);
  }

  /**
   * Waits for a sync that starts after this call: the one running may have
   * started before a write this caller expects to see.
   */
  #fresh(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#sync().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    if (!this.#queued) {
      this.#queued = this.#running
        .catch(() => undefined)
        .then(() => {
          this.#queued = undefined;
          return this.#fresh();
        });
    }
    return this.#queued;
  }

  async #sync(): Promise<void> {
    if (this.#generation === undefined) {
      await this.#loadAll();
    } else {
      const changes = await this.#changes.getChangesSince(this.#generation);
      if ('reload' in changes) {
        this.#logger.info(
          'The overview change log no longer covers this instance; reloading the overview',
        );
        await this.#loadAll();
      } else if (changes.entityRefs.length > this.#index.size / 4) {
        // Most rows changed (a daily re-evaluation): one bulk load is
        // cheaper than as many updates.
        await this.#loadAll();
      } else {
        if (changes.entityRefs.length > 0) {
          await this.#reload(changes.entityRefs);
        }
        this.#generation = changes.generation;
      }
    }
    if (this.#now() >= this.#nextExpiry) {
      await this.#refreshExpired();
    }
  }

  /** Reads every row; the generation first, so no later write is missed. */
  async #loadAll(): Promise<void> {
    const started = this.#now();
    const generation = await this.#changes.getGeneration();
    const rows: OverviewRow[] = [];
    this.#validUntil.clear();
    let cursor: string | undefined;
    do {
      const page = await this.#store.listScores({
        limit: this.#pageSize,
        cursor,
      });
      rows.push(...(await this.#withProgress(page.items)));
      cursor = page.nextCursor;
    } while (cursor);
    this.#index.replaceAll(rows);
    this.#generation = generation;
    this.#updateNextExpiry();
    this.#logger.info('Loaded the readiness overview', {
      entities: rows.length,
      generation,
      durationMs: this.#now() - started,
    });
  }

  /** Reads the rows of changed entities again; a missing one was deleted. */
  async #reload(entityRefs: ReadonlyArray<string>): Promise<void> {
    for (let i = 0; i < entityRefs.length; i += this.#pageSize) {
      const refs = entityRefs
        .slice(i, i + this.#pageSize)
        .map(ref => ref.toLocaleLowerCase('en-US'));
      const page = await this.#store.listScores({
        filter: { entityRefs: refs },
        limit: refs.length,
      });
      const found = new Set<string>();
      for (const row of await this.#withProgress(page.items)) {
        const ref = row.entityRef.toLocaleLowerCase('en-US');
        found.add(ref);
        this.#index.upsert(row);
      }
      for (const ref of refs) {
        if (!found.has(ref)) {
          this.#index.remove(ref);
          this.#validUntil.delete(ref);
        }
      }
    }
    this.#updateNextExpiry();
  }

  /** Recomputes the progress of the rows whose progress expired. */
  async #refreshExpired(): Promise<void> {
    const now = this.#now();
    const due: ScoreListItem[] = [];
    for (const [ref, at] of this.#validUntil) {
      const row = at <= now ? this.#index.get(ref) : undefined;
      if (row) {
        due.push(row);
      } else if (at <= now) {
        this.#validUntil.delete(ref);
      }
    }
    for (let i = 0; i < due.length; i += this.#pageSize) {
      for (const row of await this.#withProgress(
        due.slice(i, i + this.#pageSize),
      )) {
        this.#index.upsert(row);
      }
    }
    this.#updateNextExpiry();
  }

  async #withProgress(
    items: ReadonlyArray<ScoreListItem>,
  ): Promise<OverviewRow[]> {
    const progress = this.#progress ? await this.#progress(items) : undefined;
    return items.map(item => {
      const ref = item.entityRef.toLocaleLowerCase('en-US');
      const entry = progress?.get(item.entityRef);
      if (entry?.validUntil !== undefined) {
        this.#validUntil.set(ref, entry.validUntil);
      } else {
        this.#validUntil.delete(ref);
      }
      // ScoreListItem may carry the phases of an earlier row: replace them.
      return { ...item, phases: entry?.phases ?? [] };
    });
  }

  #updateNextExpiry(): void {
    let next = Infinity;
    for (const at of this.#validUntil.values()) {
      if (at < next) next = at;
    }
    this.#nextExpiry = next;
  }
}
