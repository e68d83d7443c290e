import {
  CheckDefinition,
  CheckResult,
  DEFAULT_LEVELS,
  LevelDefinition,
  READINESS_AREAS,
  Scorecard,
  computeAchievedLevel,
  scoreArea,
} from '@prodready/plugin-readiness-common';

/**
 * Options of {@link buildScorecard}.
 *
 * @public
 */
export interface BuildScorecardOptions {
  /** Canonical ref of the entity. */
  entityRef: string;
  /** The checks of the scorecard, in display order. */
  checks: ReadonlyArray<Pick<CheckDefinition, 'id' | 'area' | 'level'>>;
  /** The entity's results (with the waivers in force attached). */
  results: ReadonlyArray<CheckResult>;
  /** The levels; default Bronze, Silver, Gold. */
  levels?: ReadonlyArray<LevelDefinition>;
  /** When the results were evaluated. */
  evaluatedAt: Date | string;
  /** The results are stale (facts could not be collected last time). */
  stale?: boolean;
  staleReason?: string;
  /**
   * Checks whose failures do not lower the level yet (scheduled checks of
   * an initiative, before its `enforcedFrom` day): they still show as
   * failing, and count in their area's score, but do not block a level.
   */
  deferredChecks?: ReadonlySet<string>;
}

/**
 * The message of a check that has no result yet.
 *
 * @public
 */
export const NOT_EVALUATED_MESSAGE =
  'Not evaluated yet: there is no result for this check.';

function isWaiverInForce(result: CheckResult, at: number): boolean {
  const expiresAt = result.waiver?.expiresAt;
  if (!result.waiver) {
    return false;
  }
  if (!expiresAt) {
    return true;
  }
  const expiry = Date.parse(expiresAt);
  return !Number.isFinite(expiry) || expiry > at;
}

/**
 * Builds the scorecard of one entity: its results in the order of the
 * checks, one score per area that has checks (in the order of the seed's
 * areas), and the level reached.
 *
 * @remarks
 *
 * Reuses `scoreArea` and `computeAchievedLevel` from -common, which fit as
 * they are: a level is reached when no applicable check of that level or
 * below fails or errors unwaived (warnings never block), and an area's score
 * is the share of applicable checks that pass or are waived.
 *
 * Two things are decided here. A check with no result counts as an `error`
 * ("not evaluated yet") instead of being skipped, so a missing result can
 * never raise the level. A waiver that has expired at `evaluatedAt` is
 * dropped. Results of checks that are not in `checks` (removed from the
 * configuration) are left out. A failure of a `deferredChecks` check is
 * shown, but does not lower the level.
 *
 * @public
 */
export function buildScorecard(options: BuildScorecardOptions): Scorecard {
  const {
    entityRef,
    checks,
    levels = DEFAULT_LEVELS,
    stale = false,
    staleReason,
  } = options;
  const evaluatedAt =
    typeof options.evaluatedAt === 'string'
      ? options.evaluatedAt
      : options.evaluatedAt.toISOString();
  const at = Date.parse(evaluatedAt);
  const byCheck = new Map<string, CheckResult>();
  for (const result of options.results) {
    byCheck.set(result.checkId, result);
  }
  const results: CheckResult[] = checks.map(check => {
    const result = byCheck.get(check.id);
    if (!result) {
      return {
        checkId: check.id,
        entityRef,
        status: 'error',
        message: NOT_EVALUATED_MESSAGE,
        evaluatedAt,
      };
    }
    if (result.waiver && !isWaiverInForce(result, at)) {
      const { waiver, ...rest } = result;
      return rest;
    }
    return result;
  });

  const resultsByArea = new Map<string, CheckResult[]>();
  checks.forEach((check, index) => {
    const list = resultsByArea.get(check.area) ?? [];
    list.push(results[index]);
    resultsByArea.set(check.area, list);
  });
  const areas = READINESS_AREAS.filter(area => resultsByArea.has(area.id)).map(
    area => scoreArea(area.id, resultsByArea.get(area.id)!),
  );

  const deferred = options.deferredChecks;
  const levelResults =
    deferred && deferred.size > 0
      ? results.map(result =>
          deferred.has(result.checkId) &&
          (result.status === 'fail' || result.status === 'error')
            ? { ...result, status: 'warn' as const }
            : result,
        )
      : results;

  return {
    entityRef,
    level: computeAchievedLevel(levels, checks, levelResults),
    areas,
    results,
    evaluatedAt,
    stale,
    ...(stale && staleReason ? { staleReason } : {}),
  };
}
