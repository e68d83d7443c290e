import {
  CheckDefinition,
  CheckResultStatus,
  EntityScorecard,
  EntityScorecardResult,
  OverviewItem,
  OverviewPage,
  ReadinessCheckInfo,
  ReadinessChecks,
  Scorecard,
  ScorecardSnapshot,
  ScorecardTransition,
} from '@prodready/plugin-readiness-common';
import {
  DailySnapshot,
  ResultTransition,
  ScoreListItem,
  StoredScorecard,
} from '../../database/ReadinessStore';
import { ScorecardDefinition } from '../engine/types';

/** Failing first: error and fail, then warn, then pass, then not-applicable. */
const STATUS_ORDER: Record<CheckResultStatus, number> = {
  error: 0,
  fail: 0,
  warn: 1,
  pass: 2,
  'not-applicable': 3,
};

export function toChecks(
  definition: ScorecardDefinition,
  options: { includeRules?: boolean } = {},
): ReadinessChecks {
  return {
    scorecard: { id: definition.id, title: definition.title },
    levels: [...definition.levels].sort((a, b) => a.rank - b.rank),
    checks: definition.checks.map(check => ({
      ...toCheckInfo(check),
      ...(check.source === 'external' && { source: 'external' as const }),
      ...(options.includeRules && {
        rule: check.rule as unknown as Record<string, unknown>,
        ...(check.messages && {
          messages: check.messages as unknown as Record<string, unknown>,
        }),
      }),
    })),
  };
}

function toCheckInfo(check: CheckDefinition): ReadinessCheckInfo {
  return {
    id: check.id,
    title: check.title,
    ...(check.description !== undefined && { description: check.description }),
    area: check.area,
    level: check.level,
    severity: check.severity,
    remediation: check.remediation,
    ...(check.docsUrl !== undefined && { docsUrl: check.docsUrl }),
    ...(check.applicability !== undefined && {
      applicability: check.applicability,
    }),
  };
}

type ResultInput = {
  checkId: string;
  status: CheckResultStatus;
  message: string;
  details?: string;
  updatedAt: Date | string;
};

/**
 * The results with their checks' titles, levels and remediation, failing
 * first; within a status by level rank, then in the definition's order.
 * Results of checks that the definition no longer has (it changed since the
 * last evaluation) are left out: they go at the next evaluation.
 */
function toResults(
  results: ReadonlyArray<ResultInput>,
  definition: ScorecardDefinition,
): EntityScorecardResult[] {
  const checks = new Map(
    definition.checks.map((check, index) => [check.id, { check, index }]),
  );
  const rankOf = new Map(definition.levels.map(l => [l.id, l.rank]));
  return results
    .flatMap(result => {
      const known = checks.get(result.checkId);
      return known ? [{ result, ...known }] : [];
    })
    .sort(
      (a, b) =>
        STATUS_ORDER[a.result.status] - STATUS_ORDER[b.result.status] ||
        (rankOf.get(a.check.level) ?? 0) - (rankOf.get(b.check.level) ?? 0) ||
        a.index - b.index,
    )
    .map(({ result, check }) => ({
      checkId: check.id,
      title: check.title,
      area: check.area,
      level: check.level,
      severity: check.severity,
      status: result.status,
      message: result.message,
      ...(result.details !== undefined && { details: result.details }),
      remediation: check.remediation,
      ...(check.docsUrl !== undefined && { docsUrl: check.docsUrl }),
      updatedAt: new Date(result.updatedAt).toISOString(),
    }));
}

function levelTitle(definition: ScorecardDefinition, level: string | null) {
  const title = definition.levels.find(l => l.id === level)?.title;
  return title === undefined ? {} : { levelTitle: title };
}

/** The stored scorecard of an entity, as the API serves it. */
export function toEntityScorecard(
  stored: StoredScorecard,
  definition: ScorecardDefinition,
  staleReason?: string,
): EntityScorecard {
  const { scores } = stored;
  return {
    entityRef: scores.entityRef,
    level: scores.level,
    ...levelTitle(definition, scores.level),
    score: scores.score,
    areas: scores.areaScores,
    results: toResults(stored.results, definition),
    evaluatedAt: scores.evaluatedAt.toISOString(),
    stale: scores.stale,
    ...(scores.stale && staleReason !== undefined && { staleReason }),
  };
}

/**
 * A scorecard the engine returned, as the API serves it; for when the store
 * does not have it (yet). The overall score is computed as the engine
 * stores it: the share of applicable results that pass or are waived.
 */
export function fromEngineScorecard(
  scorecard: Scorecard,
  definition: ScorecardDefinition,
): EntityScorecard {
  let passing = 0;
  let applicable = 0;
  for (const result of scorecard.results) {
    if (result.status !== 'not-applicable') {
      applicable += 1;
      if (result.status === 'pass' || result.waiver !== undefined) {
        passing += 1;
      }
    }
  }
  return {
    entityRef: scorecard.entityRef.toLocaleLowerCase('en-US'),
    level: scorecard.level,
    ...levelTitle(definition, scorecard.level),
    score:
      applicable === 0 ? 0 : Math.round((passing / applicable) * 1000) / 10,
    areas: scorecard.areas,
    results: toResults(
      scorecard.results.map(result => ({
        ...result,
        updatedAt: result.evaluatedAt,
      })),
      definition,
    ),
    evaluatedAt: new Date(scorecard.evaluatedAt).toISOString(),
    stale: scorecard.stale,
    ...(scorecard.stale &&
      scorecard.staleReason !== undefined && {
        staleReason: scorecard.staleReason,
      }),
  };
}

export function toTransition(
  transition: ResultTransition,
): ScorecardTransition {
  return {
    checkId: transition.checkId,
    fromStatus: transition.fromStatus,
    toStatus: transition.toStatus,
    message: transition.message,
    changedAt: transition.changedAt.toISOString(),
  };
}

export function toSnapshot(snapshot: DailySnapshot): ScorecardSnapshot {
  return {
    day: snapshot.day,
    level: snapshot.level,
    levelRank: snapshot.levelRank,
    score: snapshot.score,
    areas: snapshot.areaScores,
  };
}

export function toOverviewItem(
  item: ScoreListItem,
  phases: OverviewItem['phases'] = [],
): OverviewItem {
  return {
    entityRef: item.entityRef,
    kind: item.kind,
    type: item.type,
    lifecycle: item.lifecycle,
    owner: item.owner,
    system: item.system,
    tier: item.tier,
    level: item.level,
    score: item.score,
    areas: item.areaScores,
    passed: item.passed,
    failed: item.failed,
    evaluatedAt: item.evaluatedAt.toISOString(),
    stale: item.stale,
    phases,
  };
}

/**
 * The JSON of each overview row, made once per row object: the overview
 * index replaces a row's object whenever the row changes, and never changes
 * one in place, so a row's JSON stays right for as long as the object lives.
 */
const overviewItemJson = new WeakMap<ScoreListItem, string>();

/**
 * The JSON of a page of the overview, exactly `JSON.stringify` of the
 * {@link OverviewPage} built with {@link toOverviewItem}, from each row's
 * JSON kept by row object: at hundreds of pages a second, serialising the
 * same rows again is most of the work.
 */
export function overviewPageJson(page: {
  items: ReadonlyArray<ScoreListItem & { phases: OverviewItem['phases'] }>;
  totalCount: number;
  nextCursor?: string;
}): string {
  const items = page.items.map(item => {
    let json = overviewItemJson.get(item);
    if (json === undefined) {
      json = JSON.stringify(toOverviewItem(item, item.phases));
      overviewItemJson.set(item, json);
    }
    return json;
  });
  const tail: Omit<OverviewPage, 'items'> = {
    totalCount: page.totalCount,
    ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
  };
  return `{"items":[${items.join(',')}],${JSON.stringify(tail).slice(1)}`;
}
