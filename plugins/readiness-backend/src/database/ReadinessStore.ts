import type { OverviewChanges } from './overviewChanges';
import type {
  AreaScore,
  CheckResultStatus,
  JsonObject,
} from '@prodready/plugin-readiness-common';

/*
 * Entity refs are keys of the store. The catalog compares them without
 * regard to case, so the store does too: it keeps them in lower case and
 * returns them that way.
 */

/** The facts one collector gathered for one entity. */
export interface StoredFacts {
  /** The collector's schema version of the facts. */
  version: number;
  facts: JsonObject;
  /** A hash of `facts`, to skip re-evaluation when nothing changed. */
  hash: string;
  collectedAt: Date;
  /** Whether the last collection failed, so that these are older facts. */
  stale: boolean;
  /** Why the last collection failed. */
  error?: string;
}

/** What a collector gathered, to be saved. */
export interface FactsInput {
  version: number;
  facts: JsonObject;
  hash: string;
  collectedAt: Date;
}

/** One check result of an evaluation, to be saved. */
export interface EvaluatedCheck {
  checkId: string;
  status: CheckResultStatus;
  message: string;
  /** Why, in terms of the facts, when `message` is the check's own words. */
  details?: string;
}

/** The scorecard summary of an entity, with the catalog data the overview filters on. */
export interface EntityScores {
  kind: string;
  type: string | null;
  lifecycle: string | null;
  /** The owner's entity ref. */
  owner: string | null;
  /** The system's entity ref. */
  system: string | null;
  tier: string | null;
  /** The id of the level reached, `null` if none. */
  level: string | null;
  /** The rank of the level reached, `0` if none. */
  levelRank: number;
  /** The overall score, 0-100. */
  score: number;
  areaScores: AreaScore[];
  passed: number;
  failed: number;
  /** A hash of all the facts the evaluation used. */
  factsHash: string;
  /** Whether some of those facts are stale. */
  stale: boolean;
}

/** A complete evaluation of one entity: every check that applies to it. */
export interface EntityEvaluation {
  entityRef: string;
  results: EvaluatedCheck[];
  scores: EntityScores;
  evaluatedAt: Date;
}

/** The outcome of saving evaluations. */
export interface SaveEvaluationResult {
  /**
   * How many check statuses changed, counting the first result of a check
   * (the history records only the transitions between two statuses).
   */
  changed: number;
  /**
   * How many evaluations were ignored because a later evaluation of the same
   * entity had already been saved.
   */
  skipped: number;
}

/** A current check result, as stored. */
export interface StoredCheckResult {
  checkId: string;
  status: CheckResultStatus;
  message: string;
  /** Why, in terms of the facts, when `message` is the check's own words. */
  details?: string;
  /** The latest evaluation of the entity, which confirmed this result. */
  evaluatedAt: Date;
  /** The evaluation that last changed the status or the message. */
  updatedAt: Date;
}

/** The current scores of an entity, as stored. */
export interface StoredScores extends EntityScores {
  entityRef: string;
  evaluatedAt: Date;
}

/** The stored scorecard of an entity. */
export interface StoredScorecard {
  /** Ordered by check id. */
  results: StoredCheckResult[];
  scores: StoredScores;
}

/**
 * A status transition of one check. The first result of a check is not a
 * transition: the current result holds it, and the check's first transition
 * names it as `fromStatus`.
 */
export interface ResultTransition {
  entityRef: string;
  checkId: string;
  /** The status before; `null` only in histories written before 2026-11-27. */
  fromStatus: CheckResultStatus | null;
  toStatus: CheckResultStatus;
  /** The message of the result that made the transition. */
  message: string;
  changedAt: Date;
}

/** The score of an entity on one day (the latest evaluation of that day). */
export interface DailySnapshot {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  level: string | null;
  levelRank: number;
  score: number;
  /** Area id to score; `null` when no check of the area applies. */
  areaScores: Record<string, number | null>;
}

/** How many entities reached a level (`null`: none). */
export interface LevelCount {
  level: string | null;
  count: number;
}

/** The portfolio on one day. */
export interface PortfolioTrendPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /**
   * How many entities have a snapshot on that day, the latest one carried
   * forward over the days on which their score did not change.
   */
  count: number;
  averageScore: number;
  /** Ordered by level rank, highest first. */
  levels: LevelCount[];
}

/**
 * Which entities the overview shows. Each list keeps entities whose value is
 * one of the listed values; the lists combine with AND.
 */
export interface ScoreFilter {
  /** Owner entity refs; `null` matches entities without an owner. */
  owners?: Array<string | null>;
  /** System entity refs; `null` matches entities without a system. */
  systems?: Array<string | null>;
  lifecycles?: Array<string | null>;
  tiers?: Array<string | null>;
  /** Level ids; `null` matches entities that reached no level. */
  levels?: Array<string | null>;
  /** Entity kinds, compared without regard to case. */
  kinds?: string[];
  types?: Array<string | null>;
  /** Matches entity refs that contain the text, ignoring case. */
  search?: string;
  /**
   * Only these entities (compared without regard to case), for example the
   * ones a caller may see. Unlike the other lists, an empty list matches
   * nothing; leave it out not to restrict.
   */
  entityRefs?: string[];
}

/** The orders of the overview. Ties are broken by entity ref. */
export type ScoreOrderBy = 'entityRef' | 'score' | 'level' | 'owner';

/** A page of the overview. */
export interface ListScoresRequest {
  filter?: ScoreFilter;
  /** Default `entityRef`. `level` orders by level rank, then score. */
  orderBy?: ScoreOrderBy;
  /** Default `asc`. */
  order?: 'asc' | 'desc';
  limit: number;
  /** The `nextCursor` of the previous page (keyset pagination). */
  cursor?: string;
  /** Skips this many entities; ignored when `cursor` is given. */
  offset?: number;
}

/**
 * An entity in the overview: its scores, with only the score of each area.
 */
export interface ScoreListItem extends Omit<StoredScores, 'areaScores'> {
  /** Area id to score; `null` when no check of the area applies. */
  areaScores: Record<string, number | null>;
}

/** A page of the overview. */
export interface ListScoresResponse {
  items: ScoreListItem[];
  /** How many entities match the filter, on all pages. */
  totalCount: number;
  /** Set when there are more entities after this page. */
  nextCursor?: string;
}

/** Counts for the owner-group summary. */
export interface ScoreSummary {
  total: number;
  averageScore: number | null;
  /** Ordered by level rank, highest first. */
  levels: LevelCount[];
  /** Ordered by owner; entities without an owner come first, as `null`. */
  owners: Array<{
    owner: string | null;
    count: number;
    averageScore: number;
    levels: LevelCount[];
  }>;
}

/** Rows deleted by retention. */
export interface RetentionResult {
  history: number;
  snapshots: number;
  /**
   * Rows of the overview change log, which keeps the changes of the last
   * 24 hours whatever the retention options.
   */
  overviewChanges: number;
}

/**
 * The persistence of the readiness engine: facts, current results,
 * change-only result history, current scores and daily score snapshots.
 */
export interface ReadinessStore {
  /** The facts of an entity, by collector id. */
  getFacts(entityRef: string): Promise<Map<string, StoredFacts>>;

  /**
   * The facts of many entities in a few queries (one per chunk of refs), by
   * lower-cased entity ref and then by collector id, as
   * {@link ReadinessStore.getFacts} returns them. An entity without facts
   * is absent.
   */
  getFactsOfEntities(
    entityRefs: string[],
  ): Promise<Map<string, Map<string, StoredFacts>>>;

  /** Saves what a collector gathered; clears the stale flag and error. */
  saveFacts(
    entityRef: string,
    collectorId: string,
    input: FactsInput,
  ): Promise<void>;

  /** Saves what several collectors gathered, in one transaction. */
  saveManyFacts(
    items: Array<FactsInput & { entityRef: string; collectorId: string }>,
  ): Promise<void>;

  /**
   * Marks the facts of a collector stale, keeping the previous facts.
   * Returns `false` when there are no previous facts to keep.
   */
  markFactsStale(
    entityRef: string,
    collectorId: string,
    error: string,
  ): Promise<boolean>;

  /**
   * Saves a complete evaluation of one entity in one transaction: replaces
   * the current results (dropping checks no longer present), appends the
   * status transitions to the history, and upserts the scores and the
   * snapshot of the UTC day. An evaluation older than the one stored is
   * ignored.
   */
  saveEvaluation(evaluation: EntityEvaluation): Promise<SaveEvaluationResult>;

  /** {@link ReadinessStore.saveEvaluation} for many entities, in one transaction. */
  saveEvaluations(
    evaluations: EntityEvaluation[],
  ): Promise<SaveEvaluationResult>;

  /**
   * Extends the trends of the entities that were not re-evaluated (their
   * facts did not change) to the UTC day of `at`, so that trends have no
   * gaps. Snapshots are stored only when a score changes and the trends carry
   * the latest one forward, so this writes no snapshot: it records the day
   * (only for a call without `entityRefs`, as after a complete cycle) and
   * returns 0, the number of snapshots written. Kept for compatibility.
   */
  carryForwardSnapshots(options: {
    at: Date;
    entityRefs?: string[];
  }): Promise<number>;

  /** The current results and scores of an entity. */
  getScorecard(entityRef: string): Promise<StoredScorecard | undefined>;

  /**
   * The current results of many entities (a page of the overview), by
   * entity ref as given; an entity never evaluated has none.
   */
  getResultsOfEntities(
    entityRefs: ReadonlyArray<string>,
  ): Promise<
    Map<
      string,
      Array<Pick<StoredCheckResult, 'checkId' | 'status' | 'message'>>
    >
  >;

  /** The facts hash of the latest evaluation of an entity. */
  getFactsHash(entityRef: string): Promise<string | undefined>;

  /** The facts hashes of the latest evaluations, by entity ref. */
  getFactsHashes(entityRefs: string[]): Promise<Map<string, string>>;

  /** The status transitions of an entity, newest first. */
  getHistory(
    entityRef: string,
    options?: { since?: Date; limit?: number; checkId?: string },
  ): Promise<ResultTransition[]>;

  /** The daily snapshots of an entity over the last `days` days, oldest first. */
  getTrend(
    entityRef: string,
    options: { days: number; now?: Date },
  ): Promise<DailySnapshot[]>;

  /** The portfolio per day over the last `days` days, oldest first. */
  getPortfolioTrend(options: {
    days: number;
    filter?: ScoreFilter;
    now?: Date;
  }): Promise<PortfolioTrendPoint[]>;

  /** A page of the overview. */
  listScores(request: ListScoresRequest): Promise<ListScoresResponse>;

  /** Counts per level and per owner of the entities that match the filter. */
  summariseScores(filter?: ScoreFilter): Promise<ScoreSummary>;

  /** The entities that have facts or scores. */
  listEntityRefs(): Promise<string[]>;

  /** The generation of the latest change to an overview row. */
  getOverviewGeneration(): Promise<number>;

  /**
   * The entities whose overview row changed after generation `since` (an
   * evaluation, a checklist update, a deletion), or `reload` when the change
   * log no longer covers `since`; see `overviewChanges.ts`.
   */
  getOverviewChangesSince(since: number): Promise<OverviewChanges>;

  /** Deletes everything stored about an entity that left the catalog. */
  deleteEntity(entityRef: string): Promise<void>;

  /**
   * Deletes history older than `historyDays` and snapshots of days older
   * than `snapshotDays`, counted back from `now`, and the overview change
   * log older than 24 hours.
   */
  applyRetention(options: {
    historyDays: number;
    snapshotDays: number;
    now?: Date;
  }): Promise<RetentionResult>;
}
