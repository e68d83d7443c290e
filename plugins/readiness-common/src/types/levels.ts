import type { CheckDefinition } from './checks';
import type { CheckResult } from './results';

/**
 * A scorecard level, such as Bronze, Silver or Gold, or a phase gate.
 *
 * @remarks
 *
 * An entity reaches a level when every applicable check of that level and of
 * every lower level passes, warns or is waived.
 *
 * @public
 */
export interface LevelDefinition {
  /** Stable id, such as `gold`. */
  id: string;
  /** Display title. */
  title: string;
  /** Order of the levels; higher is better. */
  rank: number;
  /** What reaching the level means. */
  description?: string;
  /** A CSS colour for badges. */
  color?: string;
}

/**
 * The default levels: Bronze, Silver and Gold.
 *
 * @public
 */
export const DEFAULT_LEVELS: ReadonlyArray<LevelDefinition> = [
  {
    id: 'bronze',
    title: 'Bronze',
    rank: 1,
    description:
      'The basics are declared: tier, SLA targets, runbook and DR plan, probes and resource requests.',
    color: '#cd7f32',
  },
  {
    id: 'silver',
    title: 'Silver',
    rank: 2,
    description:
      'Production-grade operations: auto-scaling, disruption budgets, TLS, network policies and SLO alerting.',
    color: '#c0c0c0',
  },
  {
    id: 'gold',
    title: 'Gold',
    rank: 3,
    description:
      'Proven resilience: backups meet the RPO, disaster recovery is tested on schedule, and every check passes.',
    color: '#ffd700',
  },
];

/**
 * Computes the level an entity reaches: the highest level such that every
 * applicable check of that level or lower passes, warns or is waived. Checks
 * whose level is unknown are ignored. Returns `null` when no applicable check
 * has a result, or when the lowest level is not reached.
 *
 * @public
 */
export function computeAchievedLevel(
  levels: ReadonlyArray<LevelDefinition>,
  checks: ReadonlyArray<Pick<CheckDefinition, 'id' | 'level'>>,
  results: ReadonlyArray<Pick<CheckResult, 'checkId' | 'status' | 'waiver'>>,
): string | null {
  const rankOf = new Map(levels.map(level => [level.id, level.rank]));
  const levelOfCheck = new Map(checks.map(check => [check.id, check.level]));
  let lowestBlockingRank = Infinity;
  let applicable = 0;
  for (const result of results) {
    const rank = rankOf.get(levelOfCheck.get(result.checkId) ?? '');
    if (rank === undefined || result.status === 'not-applicable') {
      continue;
    }
    applicable += 1;
    const blocking =
      (result.status === 'fail' || result.status === 'error') && !result.waiver;
    if (blocking) {
      lowestBlockingRank = Math.min(lowestBlockingRank, rank);
    }
  }
  if (applicable === 0) {
    return null;
  }
  let best: LevelDefinition | undefined;
  for (const level of levels) {
    if (level.rank < lowestBlockingRank && (!best || level.rank > best.rank)) {
      best = level;
    }
  }
  return best?.id ?? null;
}
