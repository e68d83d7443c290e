import type { ReadinessAreaId } from '../areas';
import type { CheckWaiver } from './checks';

/**
 * The outcome of one check for one entity.
 *
 * @public
 */
export type CheckResultStatus =
  | 'pass'
  | 'fail'
  | 'warn'
  | 'not-applicable'
  | 'error';

/**
 * All check result statuses.
 *
 * @public
 */
export const CHECK_RESULT_STATUSES: ReadonlyArray<CheckResultStatus> = [
  'pass',
  'fail',
  'warn',
  'not-applicable',
  'error',
];

/**
 * The result of evaluating one check for one entity.
 *
 * @public
 */
export interface CheckResult {
  checkId: string;
  /** Canonical entity ref. */
  entityRef: string;
  status: CheckResultStatus;
  /** Why the check has this status, for example "maxReplicas (80) is above 50". */
  message: string;
  /**
   * Why, in terms of the facts, when `message` is the check's own words:
   * for example "deployment.hpa.maxReplicas is 80; expected ≤ 50."
   */
  details?: string;
  /** ISO-8601 timestamp. */
  evaluatedAt: string;
  /** A hash or version of the facts the check was evaluated on. */
  factsVersion?: string;
  /** The waiver in force, if the check is waived. */
  waiver?: CheckWaiver;
}

/**
 * The results of one area, counted.
 *
 * @public
 */
export interface AreaScore {
  area: ReadinessAreaId;
  /**
   * Percentage (0-100) of the applicable checks that pass, counting waived
   * checks as passing; `null` when no check applies.
   */
  score: number | null;
  passed: number;
  failed: number;
  warned: number;
  errored: number;
  notApplicable: number;
  waived: number;
  total: number;
}

/**
 * The scorecard of one entity: its level, per-area scores and all results.
 *
 * @public
 */
export interface Scorecard {
  /** Canonical entity ref. */
  entityRef: string;
  /** The id of the level reached, or `null` if none. */
  level: string | null;
  /** One score per area that has checks. */
  areas: AreaScore[];
  results: CheckResult[];
  /** ISO-8601 timestamp of the evaluation. */
  evaluatedAt: string;
  /**
   * Whether the results are stale, for example because the catalog or the
   * source repository could not be read at the last evaluation.
   */
  stale: boolean;
  /** Why the results are stale. */
  staleReason?: string;
}

/**
 * Counts the results of one area into an {@link AreaScore}.
 *
 * @public
 */
export function scoreArea(
  area: ReadinessAreaId,
  results: ReadonlyArray<Pick<CheckResult, 'status' | 'waiver'>>,
): AreaScore {
  const score: AreaScore = {
    area,
    score: null,
    passed: 0,
    failed: 0,
    warned: 0,
    errored: 0,
    notApplicable: 0,
    waived: 0,
    total: results.length,
  };
  for (const result of results) {
    if (result.status === 'not-applicable') {
      score.notApplicable += 1;
    } else if (result.waiver && result.status !== 'pass') {
      score.waived += 1;
    } else if (result.status === 'pass') {
      score.passed += 1;
    } else if (result.status === 'warn') {
      score.warned += 1;
    } else if (result.status === 'fail') {
      score.failed += 1;
    } else {
      score.errored += 1;
    }
  }
  const applicable = score.total - score.notApplicable;
  if (applicable > 0) {
    score.score =
      Math.round(((score.passed + score.waived) / applicable) * 1000) / 10;
  }
  return score;
}
