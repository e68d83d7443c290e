import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  AreaScore,
  CheckResultStatus,
  JsonObject,
} from '@prodready/plugin-readiness-common';
import { Knex } from 'knex';
import { gunzipSync, gzipSync } from 'zlib';
import {
  SCORE_SORT_FIELDS,
  ScoreSortField,
  decodeScoreCursor,
  encodeScoreCursor,
  scoreSortValue,
} from './scoreOrder';
import { averageScore, sortLevels } from './scoreSummary';
import {
  DailySnapshot,
  EntityEvaluation,
  EvaluatedCheck,
  FactsInput,
  ListScoresRequest,
  ListScoresResponse,
  PortfolioTrendPoint,
  ReadinessStore,
  ResultTransition,
  RetentionResult,
  SaveEvaluationResult,
  ScoreFilter,
  ScoreListItem,
  ScoreSummary,
  StoredCheckResult,
  StoredFacts,
  StoredScorecard,
  StoredScores,
} from './ReadinessStore';
import {
  DatabaseOverviewChanges,
  OverviewChanges,
  OVERVIEW_CHANGES_RETENTION_MS,
  recordOverviewChanges,
} from './overviewChanges';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const FACTS = 'readiness_facts';
const RESULTS = 'readiness_entity_results';
const HISTORY = 'readiness_result_history';
const SCORES = 'readiness_scores';
const SNAPSHOTS = 'readiness_score_snapshots';
const HORIZON = 'readiness_snapshot_horizon';
const HORIZON_ID = 'all';

const DAY_MS = 24 * 60 * 60 * 1000;
/** Values per `whereIn`. */
const IN_CHUNK = 500;
const DEFAULT_HISTORY_LIMIT = 100;

/** A Date on PostgreSQL; epoch milliseconds on SQLite. */
type DbTimestamp = Date | number | string;

type FactsRow = {
  entity_ref: string;
  collector_id: string;
  version: number;
  /** Gzip-compressed JSON. */
  facts: Buffer;
  hash: string;
  collected_at: DbTimestamp;
  /** A boolean on PostgreSQL; 0 or 1 on SQLite. */
  stale: boolean | number;
  error: string | null;
};

/** The current results of one entity (see the packed_results migration). */
type ResultSetRow = {
  entity_ref: string;
  /** Gzip-compressed JSON: {@link PackedResults}. */
  results: Buffer;
  check_count: number;
  updated_at: DbTimestamp;
};

/** One check's current result; `updatedAt` in epoch milliseconds. */
type CurrentResult = {
  checkId: string;
  status: string;
  message: string;
  updatedAt: number;
  details?: string;
};

/**
 * `[checkId, status, message, updatedAtMs, details?]`, sorted by check id.
 * `details` (the explanation in terms of the facts, when the message is in
 * words) is a fifth element, left out when absent: documents written before
 * it existed read as they are, without a migration.
 */
type PackedResults = {
  v: 1;
  r: Array<
    [string, string, string, number] | [string, string, string, number, string]
  >;
};

type HistoryRow = {
  id?: number | string;
  entity_ref: string;
  check_id: string;
  from_status: string | null;
  to_status: string;
  message: string;
  changed_at: DbTimestamp;
};

type ScoresRow = {
  entity_ref: string;
  kind: string;
  type: string | null;
  lifecycle: string | null;
  /** Empty when there is no owner. */
  owner: string;
  system: string | null;
  tier: string | null;
  level: string | null;
  level_rank: number;
  score: number;
  /** JSON: AreaScore[] */
  area_scores: string;
  /** JSON: area id to score */
  area_summary: string;
  passed: number;
  failed: number;
  facts_hash: string;
  evaluated_at: DbTimestamp;
  stale: boolean | number;
};

type SnapshotRow = {
  entity_ref: string;
  day: string;
  level: string | null;
  level_rank: number;
  score: number;
  area_scores: string;
};

/** The column of each sort field of the overview. */
const SORT_COLUMNS: Record<ScoreSortField, keyof ScoresRow> = {
  entityRef: 'entity_ref',
  score: 'score',
  levelRank: 'level_rank',
  owner: 'owner',
};

/** What the overview reads: everything but the full area scores. */
const LIST_COLUMNS: ReadonlyArray<keyof ScoresRow> = [
  'entity_ref',
  'kind',
  'type',
  'lifecycle',
  'owner',
  'system',
  'tier',
  'level',
  'level_rank',
  'score',
  'area_summary',
  'passed',
  'failed',
  'facts_hash',
  'evaluated_at',
  'stale',
];

const SCORE_COLUMNS: ReadonlyArray<keyof ScoresRow> = [
  'kind',
  'type',
  'lifecycle',
  'owner',
  'system',
  'tier',
  'level',
  'level_rank',
  'score',
  'area_scores',
  'area_summary',
  'passed',
  'failed',
  'facts_hash',
  'evaluated_at',
  'stale',
];

/** {@link ReadinessStore} on the plugin's database (PostgreSQL or SQLite). */
export class DatabaseReadinessStore implements ReadinessStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseReadinessStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseReadinessStore(client);
  }

  private readonly isSQLite: boolean;
  /**
   * Bind variables per statement. Older SQLite builds allow 999; PostgreSQL
   * allows 65535.
   */
  private readonly maxBindings: number;

  private readonly overviewChanges: DatabaseOverviewChanges;

  private constructor(private readonly db: Knex) {
    this.overviewChanges = new DatabaseOverviewChanges(db);
    this.isSQLite = String(db.client.config.client).includes('sqlite3');
    this.maxBindings = this.isSQLite ? 999 : 30_000;
  }

  // Facts

  async getFacts(entityRef: string): Promise<Map<string, StoredFacts>> {
    const rows = await this.db<FactsRow>(FACTS)
      .where('entity_ref', normalizeRef(entityRef))
      .orderBy('collector_id')
      .select();
    return new Map(rows.map(row => [row.collector_id, mapToFacts(row)]));
  }

  async getFactsOfEntities(
    entityRefs: string[],
  ): Promise<Map<string, Map<string, StoredFacts>>> {
    const facts = new Map<string, Map<string, StoredFacts>>();
    const refs = [...new Set(entityRefs.map(normalizeRef))];
    // One query per chunk of refs (one bind variable each), within the bind
    // limits of SQLite and PostgreSQL.
    for (const refChunk of chunk(refs, IN_CHUNK)) {
      const rows = await this.db<FactsRow>(FACTS)
        .whereIn('entity_ref', refChunk)
        .orderBy(['entity_ref', 'collector_id'])
        .select();
      for (const row of rows) {
        let byCollector = facts.get(row.entity_ref);
        if (!byCollector) {
          byCollector = new Map();
          facts.set(row.entity_ref, byCollector);
        }
        byCollector.set(row.collector_id, mapToFacts(row));
      }
    }
    return facts;
  }

  async saveFacts(
    entityRef: string,
    collectorId: string,
    input: FactsInput,
  ): Promise<void> {
    await this.saveManyFacts([{ ...input, entityRef, collectorId }]);
  }

  async saveManyFacts(
    items: Array<FactsInput & { entityRef: string; collectorId: string }>,
  ): Promise<void> {
    const byKey = new Map<string, FactsRow>();
    for (const item of items) {
      const row = mapFactsToRow(item);
      byKey.set(`${row.entity_ref}\u0000${row.collector_id}`, row);
    }
    const rows = [...byKey.values()].sort(
      (a, b) =>
        compare(a.entity_ref, b.entity_ref) ||
        compare(a.collector_id, b.collector_id),
    );
    if (rows.length === 0) {
      return;
    }
    await this.db.transaction(async trx => {
      for (const batch of this.chunkRows(rows)) {
        await trx<FactsRow>(FACTS)
          .insert(batch)
          .onConflict(['entity_ref', 'collector_id'])
          .merge([
            'version',
            'facts',
            'hash',
            'collected_at',
            'stale',
            'error',
          ]);
      }
    });
  }

  async markFactsStale(
    entityRef: string,
    collectorId: string,
    error: string,
  ): Promise<boolean> {
    const updated = await this.db<FactsRow>(FACTS)
      .where({ entity_ref: normalizeRef(entityRef), collector_id: collectorId })
      .update({ stale: true, error });
    return updated > 0;
  }

  // Evaluations

  async saveEvaluation(
    evaluation: EntityEvaluation,
  ): Promise<SaveEvaluationResult> {
    return this.saveEvaluations([evaluation]);
  }

  async saveEvaluations(
    evaluations: EntityEvaluation[],
  ): Promise<SaveEvaluationResult> {
    // One evaluation per entity: the latest. Sorted, so that concurrent
    // batches lock their rows in the same order.
    const byRef = new Map<string, EntityEvaluation>();
    for (const evaluation of evaluations) {
      if (Number.isNaN(evaluation.evaluatedAt.getTime())) {
        throw new InputError(
          `Invalid evaluation time of ${evaluation.entityRef}`,
        );
      }
      const entityRef = normalizeRef(evaluation.entityRef);
      const previous = byRef.get(entityRef);
      if (!previous || previous.evaluatedAt <= evaluation.evaluatedAt) {
        byRef.set(entityRef, { ...evaluation, entityRef });
      }
    }
    const batch = [...byRef.values()].sort((a, b) =>
      compare(a.entityRef, b.entityRef),
    );
    let skipped = evaluations.length - batch.length;
    if (batch.length === 0) {
      return { changed: 0, skipped };
    }

    return this.db.transaction(async trx => {
      // 1. The scores, first: the upsert locks each entity's row (on
      //    PostgreSQL), which serialises concurrent saves of one entity, and
      //    it leaves a later evaluation in place.
      const scoreRows = batch.map(mapScoresToRow);
      const scoreRowOf = new Map(scoreRows.map(row => [row.entity_ref, row]));
      for (const rows of this.chunkRows(scoreRows)) {
        await trx<ScoresRow>(SCORES)
          .insert(rows)
          .onConflict('entity_ref')
          .merge([...SCORE_COLUMNS])
          .whereRaw('?? <= excluded.evaluated_at', [`${SCORES}.evaluated_at`]);
      }

      // 2. Which evaluations won: those whose time is now stored.
      const storedAt = new Map<string, number>();
      for (const refs of chunk(
        batch.map(e => e.entityRef),
        IN_CHUNK,
      )) {
        const rows = await trx<ScoresRow>(SCORES)
          .whereIn('entity_ref', refs)
          .select('entity_ref', 'evaluated_at');
        for (const row of rows) {
          storedAt.set(row.entity_ref, toDate(row.evaluated_at).getTime());
        }
      }
      const accepted = batch.filter(
        e => storedAt.get(e.entityRef) === e.evaluatedAt.getTime(),
      );
      skipped += batch.length - accepted.length;
      if (accepted.length === 0) {
        return { changed: 0, skipped };
      }

      // 3. The current results, to compare with.
      const current = new Map<string, Map<string, CurrentResult>>();
      for (const refs of chunk(
        accepted.map(e => e.entityRef),
        IN_CHUNK,
      )) {
        const rows = await trx<ResultSetRow>(RESULTS)
          .whereIn('entity_ref', refs)
          .select('entity_ref', 'results');
        for (const row of rows) {
          current.set(row.entity_ref, unpackResults(row.results));
        }
      }

      // The latest snapshot of each entity, to compare with.
      const latestSnapshots = new Map<string, SnapshotRow>();
      for (const refs of chunk(
        accepted.map(e => e.entityRef),
        IN_CHUNK,
      )) {
        const rows: SnapshotRow[] = await trx<SnapshotRow>(`${SNAPSHOTS} as p`)
          .whereIn('p.entity_ref', refs)
          .where(
            'p.day',
            trx(`${SNAPSHOTS} as q`)
              .max('q.day')
              .whereRaw('q.entity_ref = p.entity_ref'),
          )
          .select('p.*');
        for (const row of rows) {
          latestSnapshots.set(row.entity_ref, row);
        }
      }

      const upserts: ResultSetRow[] = [];
      const transitions: HistoryRow[] = [];
      let statusChanges = 0;
      const snapshots: SnapshotRow[] = [];
      for (const evaluation of accepted) {
        const { entityRef, evaluatedAt } = evaluation;
        const previous = current.get(entityRef);
        const results = new Map<string, EvaluatedCheck>();
        for (const result of evaluation.results) {
          results.set(result.checkId, result);
        }
        const next: CurrentResult[] = [];
        let changed = !previous || previous.size !== results.size;
        for (const result of [...results.values()].sort((a, b) =>
          compare(a.checkId, b.checkId),
        )) {
          const before = previous?.get(result.checkId);
          if (
            before &&
            before.status === result.status &&
            before.message === result.message
          ) {
            if (before.details !== result.details) {
              // The explanation changed, not the result: updatedAt stays.
              changed = true;
              next.push(withDetails(before, result.details));
            } else {
              next.push(before);
            }
            continue;
          }
          changed = true;
          next.push(
            withDetails(
              {
                checkId: result.checkId,
                status: result.status,
                message: result.message,
                updatedAt: evaluatedAt.getTime(),
              },
              result.details,
            ),
          );
          if (before?.status !== result.status) {
            statusChanges += 1;
          }
          // History holds transitions only. The first result of a check is
          // not one: the current result has it (with the time it was first
          // evaluated, while it holds), and the check's first transition
          // says what it was before. Most checks never change, so this
          // keeps the history table small.
          if (before && before.status !== result.status) {
            transitions.push({
              entity_ref: entityRef,
              check_id: result.checkId,
              from_status: before.status,
              to_status: result.status,
              message: result.message,
              changed_at: evaluatedAt,
            });
          }
        }
        if (changed) {
          upserts.push(packResults(entityRef, next, evaluatedAt));
        }
        // A snapshot only when the score differs from the latest one; the
        // trends carry the latest snapshot forward over the days between.
        const snapshot = mapToSnapshotRow(
          scoreRowOf.get(entityRef) ?? mapScoresToRow(evaluation),
          dayOf(evaluatedAt),
        );
        const latest = latestSnapshots.get(entityRef);
        if (!latest || !sameSnapshot(latest, snapshot)) {
          snapshots.push(snapshot);
        }
      }

      // 4. Write the differences.
      for (const rows of this.chunkRows(upserts)) {
        await trx<ResultSetRow>(RESULTS)
          .insert(rows)
          .onConflict('entity_ref')
          .merge(['results', 'check_count', 'updated_at']);
      }
      for (const rows of this.chunkRows(transitions)) {
        await trx<HistoryRow>(HISTORY).insert(rows);
      }
      for (const rows of this.chunkRows(snapshots)) {
        await trx<SnapshotRow>(SNAPSHOTS)
          .insert(rows)
          .onConflict(['entity_ref', 'day'])
          .merge(['level', 'level_rank', 'score', 'area_scores']);
      }
      // 5. Last: the overview rows of the accepted evaluations changed.
      // Recorded at the time of the evaluations, the clock retention
      // counts by.
      await recordOverviewChanges(
        trx,
        accepted.map(e => e.entityRef),
        new Date(
          accepted.reduce(
            (latest, e) => Math.max(latest, e.evaluatedAt.getTime()),
            0,
          ),
        ),
      );
      return { changed: statusChanges, skipped };
    });
  }

  /**
   * Snapshots are written only when a score changes, and the trends carry
   * the latest snapshot forward over the days without one: to the day of the
   * entity's latest evaluation, or to the latest day recorded here, whichever
   * is later. Writes no snapshot, so it returns 0; `entityRefs` is accepted
   * for compatibility and records nothing, as every entity is carried
   * forward to its latest evaluation.
   */
  async carryForwardSnapshots(options: {
    at: Date;
    entityRefs?: string[];
  }): Promise<number> {
    if (options.entityRefs !== undefined) {
      return 0;
    }
    const day = dayOf(options.at);
    await this.db.transaction(async trx => {
      await trx(HORIZON)
        .insert({ id: HORIZON_ID, day })
        .onConflict('id')
        .merge(['day'])
        .where(`${HORIZON}.day`, '<', day);
    });
    return 0;
  }

  /** The day up to which the trends carry snapshots forward, if any. */
  private async horizon(): Promise<string> {
    const row = await this.db(HORIZON).where('id', HORIZON_ID).first('day');
    return row?.day ?? '';
  }

  // Reads

  async getScorecard(entityRef: string): Promise<StoredScorecard | undefined> {
    // One read by primary key: the scores row and the entity's results.
    const row:
      | (ScoresRow & { results: ResultSetRow['results'] | null })
      | undefined = await this.db(`${SCORES} as s`)
      .leftJoin(`${RESULTS} as r`, 'r.entity_ref', 's.entity_ref')
      .where('s.entity_ref', normalizeRef(entityRef))
      .first('s.*', 'r.results');
    if (!row) {
      return undefined;
    }
    const scores = mapToScores(row);
    const results: StoredCheckResult[] = [];
    if (row.results !== null) {
      for (const result of unpackResults(row.results).values()) {
        results.push({
          checkId: result.checkId,
          status: result.status as CheckResultStatus,
          message: result.message,
          ...(result.details !== undefined && { details: result.details }),
          evaluatedAt: scores.evaluatedAt,
          updatedAt: new Date(result.updatedAt),
        });
      }
    }
    return { results, scores };
  }

  async getResultsOfEntities(
    entityRefs: ReadonlyArray<string>,
  ): Promise<
    Map<
      string,
      Array<Pick<StoredCheckResult, 'checkId' | 'status' | 'message'>>
    >
  > {
    const byNormalized = new Map<string, string[]>();
    for (const ref of entityRefs) {
      const normalized = normalizeRef(ref);
      byNormalized.set(normalized, [
        ...(byNormalized.get(normalized) ?? []),
        ref,
      ]);
    }
    const found = new Map<string, ResultSetRow['results']>();
    for (const refs of chunk([...byNormalized.keys()], IN_CHUNK)) {
      const rows = await this.db<ResultSetRow>(RESULTS)
        .whereIn('entity_ref', refs)
        .select('entity_ref', 'results');
      for (const row of rows) {
        found.set(row.entity_ref, row.results);
      }
    }
    const results = new Map<
      string,
      Array<Pick<StoredCheckResult, 'checkId' | 'status' | 'message'>>
    >();
    for (const [normalized, refs] of byNormalized) {
      const packed = found.get(normalized);
      const list = packed
        ? [...unpackResults(packed).values()].map(r => ({
            checkId: r.checkId,
            status: r.status as CheckResultStatus,
            message: r.message,
          }))
        : [];
      for (const ref of refs) {
        results.set(ref, list);
      }
    }
    return results;
  }

  async getFactsHash(entityRef: string): Promise<string | undefined> {
    const row = await this.db<ScoresRow>(SCORES)
      .where('entity_ref', normalizeRef(entityRef))
      .first('facts_hash');
    return row?.facts_hash;
  }

  async getFactsHashes(entityRefs: string[]): Promise<Map<string, string>> {
    const hashes = new Map<string, string>();
    const refs = [...new Set(entityRefs.map(normalizeRef))];
    for (const refChunk of chunk(refs, IN_CHUNK)) {
      const rows = await this.db<ScoresRow>(SCORES)
        .whereIn('entity_ref', refChunk)
        .select('entity_ref', 'facts_hash');
      for (const row of rows) {
        hashes.set(row.entity_ref, row.facts_hash);
      }
    }
    return hashes;
  }

  async getHistory(
    entityRef: string,
    options: { since?: Date; limit?: number; checkId?: string } = {},
  ): Promise<ResultTransition[]> {
    const query = this.db<HistoryRow>(HISTORY)
      .where('entity_ref', normalizeRef(entityRef))
      .orderBy([
        { column: 'changed_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(Math.max(0, Math.floor(options.limit ?? DEFAULT_HISTORY_LIMIT)));
    if (options.since) {
      query.where('changed_at', '>=', options.since);
    }
    if (options.checkId !== undefined) {
      query.where('check_id', options.checkId);
    }
    const rows = await query.select();
    return rows.map(mapToTransition);
  }

  async getTrend(
    entityRef: string,
    options: { days: number; now?: Date },
  ): Promise<DailySnapshot[]> {
    const first = firstDay(options.days, options.now);
    const query = this.db<SnapshotRow>(`${SNAPSHOTS} as p`)
      .where('p.entity_ref', normalizeRef(entityRef))
      .orderBy('p.day', 'asc')
      .select('p.*');
    this.withinWindow(query, first);
    const rows: SnapshotRow[] = await query;
    if (rows.length === 0) {
      return [];
    }
    const [latest, horizon] = await Promise.all([
      this.db<ScoresRow>(SCORES)
        .where('entity_ref', normalizeRef(entityRef))
        .first('evaluated_at'),
      this.horizon(),
    ]);
    const last = minDay(
      maxDay(horizon, latest ? dayOf(toDate(latest.evaluated_at)) : ''),
      dayOf(options.now ?? new Date()),
    );
    const trend: DailySnapshot[] = [];
    carryForward(rows, first, last, (day, row) =>
      trend.push({ ...mapToSnapshot(row), day }),
    );
    return trend;
  }

  async getPortfolioTrend(options: {
    days: number;
    filter?: ScoreFilter;
    now?: Date;
  }): Promise<PortfolioTrendPoint[]> {
    const first = firstDay(options.days, options.now);
    const query = this.db(`${SNAPSHOTS} as p`)
      .orderBy([
        { column: 'p.entity_ref', order: 'asc' },
        { column: 'p.day', order: 'asc' },
      ])
      .select('p.entity_ref', 'p.day', 'p.level', 'p.level_rank', 'p.score', {
        evaluated_at: 's.evaluated_at',
      });
    this.withinWindow(query, first);
    const filter = options.filter;
    if (filter && hasFilter(filter)) {
      // The current catalog data of the entities, not as it was that day.
      query.join(`${SCORES} as s`, 's.entity_ref', 'p.entity_ref');
      applyFilter(query, filter, 's');
    } else {
      query.leftJoin(`${SCORES} as s`, 's.entity_ref', 'p.entity_ref');
    }
    const [rows, horizon]: [
      Array<
        Pick<
          SnapshotRow,
          'entity_ref' | 'day' | 'level' | 'level_rank' | 'score'
        > & { evaluated_at: DbTimestamp | null }
      >,
      string,
    ] = await Promise.all([query, this.horizon()]);
    const today = dayOf(options.now ?? new Date());

    const points = new Map<
      string,
      { count: number; total: number; levels: Map<string | null, LevelGroup> }
    >();
    const add = (day: string, row: (typeof rows)[number]) => {
      let point = points.get(day);
      if (!point) {
        point = { count: 0, total: 0, levels: new Map() };
        points.set(day, point);
      }
      point.count += 1;
      point.total += Number(row.score);
      const rank = Number(row.level_rank);
      const level = point.levels.get(row.level);
      if (level) {
        level.count += 1;
        level.rank = Math.max(level.rank, rank);
      } else {
        point.levels.set(row.level, { level: row.level, rank, count: 1 });
      }
    };
    let start = 0;
    for (let i = 1; i <= rows.length; i++) {
      if (i === rows.length || rows[i].entity_ref !== rows[start].entity_ref) {
        const evaluatedAt = rows[start].evaluated_at;
        const last = minDay(
          maxDay(
            horizon,
            evaluatedAt === null ? '' : dayOf(toDate(evaluatedAt)),
          ),
          today,
        );
        carryForward(rows.slice(start, i), first, last, add);
        start = i;
      }
    }
    return [...points.entries()]
      .sort(([a], [b]) => compare(a, b))
      .map(([day, point]) => ({
        day,
        count: point.count,
        averageScore: averageScore(point.total, point.count) ?? 0,
        levels: sortLevels([...point.levels.values()]),
      }));
  }

  /**
   * Narrows a query on the snapshots (aliased `p`) to the window from
   * `first`, and the latest snapshot before it, which holds on its first
   * days.
   */
  private withinWindow(query: Knex.QueryBuilder, first: string) {
    query.where(builder =>
      builder
        .where('p.day', '>=', first)
        .orWhere(
          'p.day',
          this.db(`${SNAPSHOTS} as q`)
            .max('q.day')
            .whereRaw('q.entity_ref = p.entity_ref')
            .andWhere('q.day', '<', first),
        ),
    );
  }

  async listScores(request: ListScoresRequest): Promise<ListScoresResponse> {
    const orderBy = request.orderBy ?? 'entityRef';
    const order = request.order ?? 'asc';
    const fields = SCORE_SORT_FIELDS[orderBy];
    if (!fields || (order !== 'asc' && order !== 'desc')) {
      throw new InputError(`Invalid order ${orderBy} ${order}`);
    }
    const limit = Math.max(0, Math.floor(request.limit));
    const keys = fields.map(field => SORT_COLUMNS[field]);

    const base = this.db<ScoresRow>(SCORES);
    if (request.filter) {
      applyFilter(base, request.filter);
    }
    const countQuery = base.clone().count({ n: '*' });

    const page = base.clone();
    if (request.cursor !== undefined) {
      const cursor = decodeScoreCursor(request.cursor, orderBy, order);
      const columns = keys.map(() => '??').join(', ');
      const values = keys.map(() => '?').join(', ');
      page.whereRaw(`(${columns}) ${order === 'asc' ? '>' : '<'} (${values})`, [
        ...keys,
        ...cursor.k,
      ]);
    } else if (request.offset) {
      page.offset(Math.max(0, Math.floor(request.offset)));
    }
    page
      .orderBy(keys.map(column => ({ column, order })))
      .limit(limit + 1)
      .select([...LIST_COLUMNS]);

    const [rows, [{ n }]] = await Promise.all([page, countQuery]);
    const items = rows.slice(0, limit).map(mapToListItem);
    const response: ListScoresResponse = {
      items,
      totalCount: Number(n),
    };
    if (rows.length > limit && limit > 0) {
      const last = items[limit - 1];
      response.nextCursor = encodeScoreCursor({
        o: orderBy,
        d: order,
        k: fields.map(field => scoreSortValue(last, field)),
      });
    }
    return response;
  }

  async summariseScores(filter?: ScoreFilter): Promise<ScoreSummary> {
    const query = this.db<ScoresRow>(SCORES)
      .groupBy('owner', 'level')
      .orderBy('owner', 'asc')
      .select('owner', 'level', {
        level_rank: this.db.raw('max(level_rank)'),
        n: this.db.raw('count(*)'),
        total: this.db.raw('sum(score)'),
      });
    if (filter) {
      applyFilter(query, filter);
    }
    const rows: Array<{
      owner: string;
      level: string | null;
      level_rank: number | string;
      n: number | string;
      total: number | string;
    }> = await query;

    const owners = new Map<
      string,
      { count: number; total: number; levels: LevelGroup[] }
    >();
    const levels = new Map<string | null, LevelGroup>();
    let count = 0;
    let total = 0;
    for (const row of rows) {
      const n = Number(row.n);
      const sum = Number(row.total);
      const rank = Number(row.level_rank);
      count += n;
      total += sum;
      let owner = owners.get(row.owner);
      if (!owner) {
        owner = { count: 0, total: 0, levels: [] };
        owners.set(row.owner, owner);
      }
      owner.count += n;
      owner.total += sum;
      owner.levels.push({ level: row.level, rank, count: n });
      const level = levels.get(row.level);
      if (level) {
        level.count += n;
      } else {
        levels.set(row.level, { level: row.level, rank, count: n });
      }
    }
    return {
      total: count,
      averageScore: averageScore(total, count),
      levels: sortLevels([...levels.values()]),
      owners: [...owners.entries()]
        .sort(([a], [b]) => compare(a, b))
        .map(([owner, group]) => ({
          owner: owner === '' ? null : owner,
          count: group.count,
          averageScore: averageScore(group.total, group.count) ?? 0,
          levels: sortLevels(group.levels),
        })),
    };
  }

  async getOverviewGeneration(): Promise<number> {
    return this.overviewChanges.getGeneration();
  }

  async getOverviewChangesSince(since: number): Promise<OverviewChanges> {
    return this.overviewChanges.getChangesSince(since);
  }

  async listEntityRefs(): Promise<string[]> {
    const rows: Array<{ entity_ref: string }> = await this.db
      .select('entity_ref')
      .from(SCORES)
      .union(builder => builder.select('entity_ref').from(FACTS));
    return rows.map(row => row.entity_ref).sort(compare);
  }

  // Deletion

  async deleteEntity(entityRef: string): Promise<void> {
    const ref = normalizeRef(entityRef);
    await this.db.transaction(async trx => {
      for (const table of [FACTS, RESULTS, HISTORY, SNAPSHOTS, SCORES]) {
        await trx(table).where('entity_ref', ref).delete();
      }
      // Last: the entity leaves the overview.
      await recordOverviewChanges(trx, [ref], new Date());
    });
  }

  async applyRetention(options: {
    historyDays: number;
    snapshotDays: number;
    now?: Date;
  }): Promise<RetentionResult> {
    const { historyDays, snapshotDays } = options;
    if (!(historyDays >= 0) || !(snapshotDays >= 0)) {
      throw new InputError(
        `Retention must be a number of days, got history ${historyDays} and snapshots ${snapshotDays}`,
      );
    }
    const now = options.now ?? new Date();
    const historyBefore = new Date(now.getTime() - historyDays * DAY_MS);
    const snapshotsBefore = dayOf(
      new Date(now.getTime() - snapshotDays * DAY_MS),
    );
    const deleted = await this.db.transaction(async trx => {
      const history = await trx(HISTORY)
        .where('changed_at', '<', historyBefore)
        .delete();
      // Snapshots are written only when a score changes: the latest one
      // before the cutoff still holds on the cutoff day, so it moves there
      // unless that day has its own.
      await trx(SNAPSHOTS)
        .where('day', '<', snapshotsBefore)
        .where(
          'day',
          trx(`${SNAPSHOTS} as q`)
            .max('q.day')
            .whereRaw('q.entity_ref = ??', [`${SNAPSHOTS}.entity_ref`])
            .andWhere('q.day', '<', snapshotsBefore),
        )
        .whereNotExists(builder =>
          builder
            .select(trx.raw('1'))
            .from(`${SNAPSHOTS} as r`)
            .whereRaw('r.entity_ref = ??', [`${SNAPSHOTS}.entity_ref`])
            .andWhere('r.day', snapshotsBefore),
        )
        .update({ day: snapshotsBefore });
      const snapshots = await trx(SNAPSHOTS)
        .where('day', '<', snapshotsBefore)
        .delete();
      return { history, snapshots };
    });
    // In a transaction of its own: it locks the generation row, which every
    // writer of the overview waits for, so it is kept short.
    const overviewChanges = await this.overviewChanges.prune(
      new Date(now.getTime() - OVERVIEW_CHANGES_RETENTION_MS),
    );
    return { ...deleted, overviewChanges };
  }

  /** Splits rows for multi-row inserts within the bind variable limit. */
  private chunkRows<T extends object>(rows: T[]): T[][] {
    if (rows.length === 0) {
      return [];
    }
    const columns = Object.keys(rows[0]).length;
    return chunk(rows, Math.max(1, Math.floor(this.maxBindings / columns)));
  }
}

type LevelGroup = { level: string | null; rank: number; count: number };

function hasFilter(filter: ScoreFilter): boolean {
  return (
    filter.entityRefs !== undefined ||
    (Object.values(filter) as unknown[]).some(value =>
      Array.isArray(value) ? value.length > 0 : !!value,
    )
  );
}

/**
 * Narrows a query on readiness_scores (aliased `alias`) to the entities that
 * match the filter. An empty list does not filter.
 */
function applyFilter(
  query: Knex.QueryBuilder,
  filter: ScoreFilter,
  alias?: string,
): void {
  const col = (name: string) => (alias ? `${alias}.${name}` : name);
  const oneOf = (
    column: string,
    values: Array<string | null> | undefined,
    nullAs?: string,
  ) => {
    if (!values || values.length === 0) {
      return;
    }
    const present = values.filter((v): v is string => v !== null);
    const withNull = values.some(v => v === null);
    if (nullAs !== undefined) {
      if (withNull) present.push(nullAs);
      query.whereIn(col(column), present);
      return;
    }
    query.where(builder => {
      if (present.length > 0) {
        builder.whereIn(col(column), present);
      }
      if (withNull) {
        builder.orWhereNull(col(column));
      }
    });
  };
  oneOf('owner', filter.owners, '');
  oneOf('system', filter.systems);
  oneOf('lifecycle', filter.lifecycles);
  oneOf('tier', filter.tiers);
  oneOf('level', filter.levels);
  if (filter.kinds && filter.kinds.length > 0) {
    const kinds = [
      ...new Set(filter.kinds.map(kind => kind.toLocaleLowerCase('en-US'))),
    ];
    query.whereRaw(`lower(??) in (${kinds.map(() => '?').join(', ')})`, [
      col('kind'),
      ...kinds,
    ]);
  }
  oneOf('type', filter.types);
  if (filter.entityRefs) {
    // One bind variable however many refs: a JSON array, unpacked by the
    // database, stays within SQLite's and PostgreSQL's bind limits.
    const refs = JSON.stringify([
      ...new Set(filter.entityRefs.map(normalizeRef)),
    ]);
    const isSQLite = String(query.client.config.client).includes('sqlite3');
    query.whereRaw(
      isSQLite
        ? '?? in (select value from json_each(?))'
        : '?? in (select jsonb_array_elements_text(cast(? as jsonb)))',
      [col('entity_ref'), refs],
    );
  }
  const search = filter.search?.trim();
  if (search) {
    // Entity refs are stored in lower case.
    const pattern = `%${search
      .toLocaleLowerCase('en-US')
      .replace(/[\\%_]/g, c => `\\${c}`)}%`;
    query.whereRaw(`?? like ? escape '\\'`, [col('entity_ref'), pattern]);
  }
}

function normalizeRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

function compare(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

function toDate(value: DbTimestamp): Date {
  if (value instanceof Date) {
    return value;
  }
  // SQLite returns epoch milliseconds, as a number (or a numeric string).
  return new Date(
    typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value,
  );
}

/** The UTC day of a time, `YYYY-MM-DD`. */
function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The first day of a window of `days` days that ends today. */
function firstDay(days: number, now: Date = new Date()): string {
  const span = Math.max(1, Math.floor(days));
  return dayOf(new Date(now.getTime() - (span - 1) * DAY_MS));
}

function parseJson<T>(json: string, fallback: T): T {
  try {
    return JSON.parse(json) as T;
  } catch {
    return fallback;
  }
}

function parseAreaScores(json: string): AreaScore[] {
  const parsed = parseJson<unknown>(json, []);
  return Array.isArray(parsed) ? (parsed as AreaScore[]) : [];
}

function mapFactsToRow(
  item: FactsInput & { entityRef: string; collectorId: string },
): FactsRow {
  return {
    entity_ref: normalizeRef(item.entityRef),
    collector_id: item.collectorId,
    version: item.version,
    facts: encodeFacts(item.facts),
    hash: item.hash,
    collected_at: item.collectedAt,
    stale: false,
    error: null,
  };
}

/**
 * Fact documents up to this size (bytes of JSON) are stored as JSON text,
 * larger ones gzip-compressed. Inflating a small document costs about four
 * times as much as reading it (`zlib` sets up a stream per call), and the
 * engine reads every entity's facts on each cycle; compression pays only on
 * the larger documents (deployment facts of real manifests), where it keeps
 * the facts table small.
 */
export const FACTS_COMPRESSION_THRESHOLD_BYTES = 2048;

function encodeFacts(facts: JsonObject): Buffer {
  const json = Buffer.from(JSON.stringify(facts), 'utf8');
  return json.length > FACTS_COMPRESSION_THRESHOLD_BYTES
    ? gzipSync(json)
    : json;
}

/** JSON stored as a Buffer on PostgreSQL and SQLite alike: gzip-compressed (by its magic bytes) or plain. */
function decompressJson(facts: Buffer | Uint8Array | string): string {
  if (typeof facts === 'string') {
    return facts;
  }
  const buffer = Buffer.isBuffer(facts)
    ? facts
    : Buffer.from(facts.buffer, facts.byteOffset, facts.byteLength);
  if (buffer[0] !== 0x1f || buffer[1] !== 0x8b) {
    return buffer.toString('utf8');
  }
  try {
    return gunzipSync(buffer).toString('utf8');
  } catch {
    return '';
  }
}

/** The result with `details`, or without the key when there are none. */
function withDetails(
  result: CurrentResult,
  details: string | undefined,
): CurrentResult {
  const { details: _, ...rest } = result;
  return typeof details === 'string' ? { ...rest, details } : rest;
}

function packResults(
  entityRef: string,
  results: CurrentResult[],
  at: Date,
): ResultSetRow {
  const packed: PackedResults = {
    v: 1,
    r: results.map(r =>
      r.details === undefined
        ? [r.checkId, r.status, r.message, r.updatedAt]
        : [r.checkId, r.status, r.message, r.updatedAt, r.details],
    ),
  };
  return {
    entity_ref: entityRef,
    results: gzipSync(JSON.stringify(packed)),
    check_count: results.length,
    updated_at: at,
  };
}

/** The current results of an entity by check id; empty if unreadable. */
function unpackResults(
  results: Buffer | Uint8Array | string,
): Map<string, CurrentResult> {
  const packed = parseJson<Partial<PackedResults>>(decompressJson(results), {});
  const map = new Map<string, CurrentResult>();
  for (const entry of Array.isArray(packed.r) ? packed.r : []) {
    const [checkId, status, message, updatedAt, details] = entry;
    map.set(
      checkId,
      withDetails({ checkId, status, message, updatedAt }, details),
    );
  }
  return map;
}

function mapToFacts(row: FactsRow): StoredFacts {
  return {
    version: Number(row.version),
    facts: parseJson<JsonObject>(decompressJson(row.facts), {}),
    hash: row.hash,
    collectedAt: toDate(row.collected_at),
    stale: Boolean(row.stale),
    ...(row.error !== null && { error: row.error }),
  };
}

function mapScoresToRow(evaluation: EntityEvaluation): ScoresRow {
  const { scores } = evaluation;
  return {
    entity_ref: evaluation.entityRef,
    kind: scores.kind,
    type: scores.type ?? null,
    lifecycle: scores.lifecycle ?? null,
    owner: scores.owner ?? '',
    system: scores.system ?? null,
    tier: scores.tier ?? null,
    level: scores.level ?? null,
    level_rank: scores.levelRank,
    score: scores.score,
    area_scores: JSON.stringify(scores.areaScores),
    area_summary: JSON.stringify(summariseAreas(scores.areaScores)),
    passed: scores.passed,
    failed: scores.failed,
    facts_hash: scores.factsHash,
    evaluated_at: evaluation.evaluatedAt,
    stale: scores.stale,
  };
}

/** The columns that the scorecard and the overview list map alike. */
function mapScoreColumns(row: ScoresRow): Omit<StoredScores, 'areaScores'> {
  return {
    entityRef: row.entity_ref,
    kind: row.kind,
    type: row.type,
    lifecycle: row.lifecycle,
    owner: row.owner === '' ? null : row.owner,
    system: row.system,
    tier: row.tier,
    level: row.level,
    levelRank: Number(row.level_rank),
    score: Number(row.score),
    passed: Number(row.passed),
    failed: Number(row.failed),
    factsHash: row.facts_hash,
    stale: Boolean(row.stale),
    evaluatedAt: toDate(row.evaluated_at),
  };
}

function mapToScores(row: ScoresRow): StoredScores {
  return {
    ...mapScoreColumns(row),
    areaScores: parseAreaScores(row.area_scores),
  };
}

/** Area id to score: what the overview and the trends need. */
function summariseAreas(
  areaScores: ReadonlyArray<AreaScore>,
): Record<string, number | null> {
  const areas: Record<string, number | null> = {};
  for (const area of areaScores) {
    areas[area.area] = area.score;
  }
  return areas;
}

function parseAreaSummary(json: string): Record<string, number | null> {
  const areas = parseJson<unknown>(json, {});
  return areas && typeof areas === 'object' && !Array.isArray(areas)
    ? (areas as Record<string, number | null>)
    : {};
}

function mapToListItem(row: ScoresRow): ScoreListItem {
  return {
    ...mapScoreColumns(row),
    areaScores: parseAreaSummary(row.area_summary),
  };
}

/** Snapshots keep only the score of each area, to stay small. */
function mapToSnapshotRow(
  row: Pick<
    ScoresRow,
    'entity_ref' | 'level' | 'level_rank' | 'score' | 'area_summary'
  >,
  day: string,
): SnapshotRow {
  return {
    entity_ref: row.entity_ref,
    day,
    level: row.level,
    level_rank: Number(row.level_rank),
    score: Number(row.score),
    area_scores: row.area_summary,
  };
}

function sameSnapshot(a: SnapshotRow, b: SnapshotRow): boolean {
  return (
    a.level === b.level &&
    Number(a.level_rank) === Number(b.level_rank) &&
    Number(a.score) === Number(b.score) &&
    a.area_scores === b.area_scores
  );
}

function maxDay(a: string, b: string): string {
  return a > b ? a : b;
}

function minDay(a: string, b: string): string {
  return a < b ? a : b;
}

/**
 * Calls `fn` for each day from the first snapshot (or `first`, when the
 * earliest one is older) to `today` (or the last snapshot, when later), with
 * the latest snapshot on or before that day. `rows` are one entity's, oldest
 * first.
 */
function carryForward<T extends { day: string }>(
  rows: T[],
  first: string,
  today: string,
  fn: (day: string, row: T) => void,
) {
  if (rows.length === 0) {
    return;
  }
  const lastRow = rows[rows.length - 1].day;
  const last = lastRow > today ? lastRow : today;
  let day = rows[0].day < first ? first : rows[0].day;
  let i = 0;
  while (day <= last) {
    while (i + 1 < rows.length && rows[i + 1].day <= day) {
      i++;
    }
    fn(day, rows[i]);
    day = nextDay(day);
  }
}

function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + DAY_MS)
    .toISOString()
    .slice(0, 10);
}

function mapToSnapshot(row: SnapshotRow): DailySnapshot {
  return {
    day: row.day,
    level: row.level,
    levelRank: Number(row.level_rank),
    score: Number(row.score),
    areaScores: parseAreaSummary(row.area_scores),
  };
}

function mapToTransition(row: HistoryRow): ResultTransition {
  return {
    entityRef: row.entity_ref,
    checkId: row.check_id,
    fromStatus: row.from_status as CheckResultStatus | null,
    toStatus: row.to_status as CheckResultStatus,
    message: row.message,
    changedAt: toDate(row.changed_at),
  };
}
