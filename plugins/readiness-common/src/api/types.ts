/*
 * The JSON bodies of the readiness REST API, shared by the backend router and
 * the frontend client. They mirror the schemas of the backend's
 * src/schema/openapi.yaml.
 */

import type { ReadinessAreaId } from '../areas';
import type { OverviewPhaseProgress } from './checklists';
import type {
  AreaScore,
  CheckResultStatus,
  CheckSeverity,
  LevelDefinition,
  ReadinessApplicability,
} from '../types';

/**
 * The health of the readiness backend (`GET /health`).
 *
 * @public
 */
export interface ReadinessHealth {
  status: 'ok';
}

/**
 * An entity that the catalog could not process (for example because a
 * `prodready.dev/` annotation is malformed), and why. The catalog does not
 * serve such an entity at all, so this is the only place its owners see the
 * problem.
 *
 * @public
 */
export interface CatalogValidationProblem {
  /** The entity ref, e.g. `component:default/payouts-worker`. */
  entityRef: string;
  /** Where the entity is defined, e.g. `url:https://…/catalog-info.yaml`. */
  location?: string;
  /** The processing errors, one message each. */
  messages: string[];
  /** When the catalog first reported the problem (ISO 8601). */
  firstSeenAt: string;
  /** When the catalog last reported the problem (ISO 8601). */
  lastSeenAt: string;
}

/**
 * The entities that currently fail catalog processing
 * (`GET /catalog-errors`), the most recently seen first.
 *
 * @public
 */
export interface CatalogValidationProblems {
  items: CatalogValidationProblem[];
}

/**
 * A check of the scorecard definition, without its rule (`GET /checks`).
 *
 * @public
 */
export interface ReadinessCheckInfo {
  id: string;
  title: string;
  description?: string;
  area: ReadinessAreaId;
  /** The id of the level the check gates. */
  level: string;
  severity: CheckSeverity;
  remediation: string;
  docsUrl?: string;
  applicability?: ReadinessApplicability;
  /** `external` when pipelines push its results. */
  source?: 'rule' | 'external';
  /** The rule, with `GET /checks?includeRules=true` only. */
  rule?: { [key: string]: unknown };
  /** The texts of its results, with `GET /checks?includeRules=true` only. */
  messages?: { [key: string]: unknown };
}

/**
 * The scorecard definition in force: its levels and checks (`GET /checks`).
 *
 * @public
 */
export interface ReadinessChecks {
  scorecard: { id: string; title: string };
  /** Ordered by rank, lowest first. */
  levels: LevelDefinition[];
  checks: ReadinessCheckInfo[];
}

/**
 * The current result of one check for an entity, with what to do about it.
 *
 * @public
 */
export interface EntityScorecardResult {
  checkId: string;
  title: string;
  area: ReadinessAreaId;
  /** The id of the level the check gates. */
  level: string;
  severity: CheckSeverity;
  status: CheckResultStatus;
  /** Why the check has this status, in words (or in terms of the facts). */
  message: string;
  /** Why, in terms of the facts, when `message` is in words. */
  details?: string;
  remediation: string;
  docsUrl?: string;
  /** ISO-8601 timestamp of the evaluation that last changed the result. */
  updatedAt: string;
}

/**
 * The readiness scorecard of an entity
 * (`GET /scorecards/{kind}/{namespace}/{name}`, and what a refresh returns).
 *
 * @public
 */
export interface EntityScorecard {
  /** Entity ref, in lower case. */
  entityRef: string;
  /** The id of the level reached, or `null` if none. */
  level: string | null;
  /** The title of that level. */
  levelTitle?: string;
  /** The overall score, 0-100. */
  score: number;
  areas: AreaScore[];
  /**
   * Failing first: `error` and `fail`, then `warn`, then `pass`, then
   * `not-applicable`; within a status by level rank, then in the order of
   * the definition.
   */
  results: EntityScorecardResult[];
  /** ISO-8601 timestamp of the last evaluation. */
  evaluatedAt: string;
  /** Whether some facts could not be collected, so results rest on older facts. */
  stale: boolean;
  staleReason?: string;
}

/**
 * A status change of one check of an entity.
 *
 * @public
 */
export interface ScorecardTransition {
  checkId: string;
  /** The status before; `null` only in histories written before 2026-11-27 (a first result is not a transition). */
  fromStatus: CheckResultStatus | null;
  toStatus: CheckResultStatus;
  message: string;
  /** ISO-8601 timestamp. */
  changedAt: string;
}

/**
 * The status changes of an entity's checks, newest first
 * (`GET /scorecards/{kind}/{namespace}/{name}/history`).
 *
 * @public
 */
export interface ScorecardHistory {
  items: ScorecardTransition[];
}

/**
 * Options of the history request.
 *
 * @public
 */
export interface ScorecardHistoryOptions {
  /** At most this many changes (1-1000, default 100). */
  limit?: number;
  /** Only changes at or after this time. */
  since?: Date | string;
  /** Only the changes of this check. */
  checkId?: string;
}

/**
 * Area id to score; `null` when no check of the area applies.
 *
 * @public
 */
export type AreaScoreMap = Partial<Record<ReadinessAreaId, number | null>>;

/**
 * The score of an entity on one day: its last evaluation of that day.
 *
 * @public
 */
export interface ScorecardSnapshot {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  level: string | null;
  levelRank: number;
  score: number;
  areas: AreaScoreMap;
}

/**
 * The score of an entity per day, oldest first; days without an evaluation
 * are absent (`GET /scorecards/{kind}/{namespace}/{name}/trend`).
 *
 * @public
 */
export interface ScorecardTrend {
  items: ScorecardSnapshot[];
}

/**
 * One entity of the overview.
 *
 * @public
 */
export interface OverviewItem {
  /** Entity ref, in lower case. */
  entityRef: string;
  kind: string;
  type: string | null;
  lifecycle: string | null;
  /** The owner's entity ref. */
  owner: string | null;
  /** The system's entity ref. */
  system: string | null;
  tier: string | null;
  /** The id of the level reached, or `null` if none. */
  level: string | null;
  /** The overall score, 0-100. */
  score: number;
  areas: AreaScoreMap;
  passed: number;
  failed: number;
  /** ISO-8601 timestamp of the last evaluation. */
  evaluatedAt: string;
  stale: boolean;
  /** The entity's progress in each phase that applies to it. */
  phases: OverviewPhaseProgress[];
}

/**
 * A page of the overview (`GET /overview`).
 *
 * @public
 */
export interface OverviewPage {
  items: OverviewItem[];
  /** How many entities match the filters, on all pages. */
  totalCount: number;
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * How many entities reached a level (`null`: none).
 *
 * @public
 */
export interface OverviewLevelCount {
  level: string | null;
  count: number;
}

/**
 * The summary of the entities of one owner group.
 *
 * @public
 */
export interface OverviewOwnerSummary {
  /** The owner's entity ref; `null` for entities without an owner. */
  owner: string | null;
  count: number;
  averageScore: number;
  /** Ordered by level rank, highest first. */
  levels: OverviewLevelCount[];
}

/**
 * Counts per level and per owner group of the entities that match the
 * filters (`GET /overview/summary`).
 *
 * @public
 */
export interface OverviewSummary {
  total: number;
  /** `null` when no entity matches. */
  averageScore: number | null;
  /** Ordered by level rank, highest first. */
  levels: OverviewLevelCount[];
  /** Ordered by owner; entities without an owner first. */
  owners: OverviewOwnerSummary[];
}

/**
 * The portfolio on one day.
 *
 * @public
 */
export interface PortfolioTrendDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  /** How many entities have a snapshot on that day. */
  count: number;
  averageScore: number;
  /** Ordered by level rank, highest first. */
  levels: OverviewLevelCount[];
}

/**
 * The portfolio per day, oldest first (`GET /overview/trend`).
 *
 * @public
 */
export interface PortfolioTrend {
  items: PortfolioTrendDay[];
}

/**
 * The progress of the evaluation in the backend instance that answered
 * (`GET /status`).
 *
 * @public
 */
export interface ReadinessStatus {
  /** Whether an evaluation cycle is running. */
  running: boolean;
  /** Entities evaluated / to evaluate in the running (or last) cycle. */
  progress: { done: number; total: number; skipped: number; failed: number };
  lastCycleStartedAt?: string;
  lastCycleFinishedAt?: string;
  lastCycleError?: string;
}

/**
 * The value of an overview filter that matches entities without a value
 * (no owner, no level, …).
 *
 * @public
 */
export const OVERVIEW_FILTER_NONE = 'none';

/**
 * The orders of the overview.
 *
 * @public
 */
export const OVERVIEW_ORDER_BY = [
  'entityRef',
  'score',
  'level',
  'owner',
] as const;

/**
 * An order of the overview; ties are broken by entity ref, and `level`
 * orders by level rank, then score.
 *
 * @public
 */
export type OverviewOrderBy = (typeof OVERVIEW_ORDER_BY)[number];

/**
 * Which entities the overview, its summary, trend and CSV export show. Each
 * list keeps the entities whose value is one of its values (OR); the lists
 * combine with AND. {@link OVERVIEW_FILTER_NONE} (`none`) matches entities
 * without a value, except for `kind`.
 *
 * @public
 */
export interface OverviewFilter {
  /** Owner entity refs, or names of groups of the default namespace. */
  owner?: string[];
  /** System entity refs, or names of systems of the default namespace. */
  system?: string[];
  lifecycle?: string[];
  tier?: string[];
  /** Level ids. */
  level?: string[];
  kind?: string[];
  /** Values of `spec.type`. */
  type?: string[];
  /** Only entities whose ref contains this text, ignoring case. */
  q?: string;
  /** Only the entities in the scope of this initiative (its id). */
  initiative?: string;
}

/**
 * A request for a page of the overview.
 *
 * @public
 */
export interface OverviewQuery extends OverviewFilter {
  orderBy?: OverviewOrderBy;
  order?: 'asc' | 'desc';
  /** Page size, 1-500 (default 100). */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

const OVERVIEW_LIST_PARAMETERS = [
  'owner',
  'system',
  'lifecycle',
  'tier',
  'level',
  'kind',
  'type',
] as const;

/**
 * The query string of an overview request (without the leading `?`), in a
 * stable order: repeated parameters for lists (`owner=a&owner=b`), empty
 * values and lists left out. It also keeps overview views in page URLs.
 *
 * @public
 */
export function buildOverviewQueryString(query: OverviewQuery): string {
  const params = new URLSearchParams();
  for (const key of OVERVIEW_LIST_PARAMETERS) {
    for (const value of query[key] ?? []) {
      if (value !== '') {
        params.append(key, value);
      }
    }
  }
  if (query.q !== undefined && query.q.trim() !== '') {
    params.set('q', query.q.trim());
  }
  if (query.initiative !== undefined && query.initiative !== '') {
    params.set('initiative', query.initiative);
  }
  if (query.orderBy !== undefined) {
    params.set('orderBy', query.orderBy);
  }
  if (query.order !== undefined) {
    params.set('order', query.order);
  }
  if (query.limit !== undefined) {
    params.set('limit', String(query.limit));
  }
  if (query.cursor !== undefined && query.cursor !== '') {
    params.set('cursor', query.cursor);
  }
  return params.toString();
}

/**
 * Reads an overview request from a query string (such as a page URL's
 * `location.search`), the inverse of {@link buildOverviewQueryString}.
 * Lenient: unknown parameters and invalid `orderBy`, `order` and `limit`
 * values are left out, so that a hand-edited URL still shows a page.
 *
 * @public
 */
export function parseOverviewQueryString(
  search: string | URLSearchParams,
): OverviewQuery {
  const params =
    typeof search === 'string'
      ? new URLSearchParams(search.startsWith('?') ? search.slice(1) : search)
      : search;
  const query: OverviewQuery = {};
  for (const key of OVERVIEW_LIST_PARAMETERS) {
    const values = params.getAll(key).filter(value => value !== '');
    if (values.length > 0) {
      query[key] = values;
    }
  }
  const q = params.get('q')?.trim();
  if (q) {
    query.q = q;
  }
  const initiative = params.get('initiative');
  if (initiative) {
    query.initiative = initiative;
  }
  const orderBy = params.get('orderBy');
  if ((OVERVIEW_ORDER_BY as ReadonlyArray<string | null>).includes(orderBy)) {
    query.orderBy = orderBy as OverviewOrderBy;
  }
  const order = params.get('order');
  if (order === 'asc' || order === 'desc') {
    query.order = order;
  }
  const limit = Number(params.get('limit') ?? undefined);
  if (Number.isInteger(limit) && limit >= 1 && limit <= 500) {
    query.limit = limit;
  }
  const cursor = params.get('cursor');
  if (cursor) {
    query.cursor = cursor;
  }
  return query;
}
