import type { LevelCount } from './ReadinessStore';

/** Entities of one level within a group, with the level's rank. */
export interface LevelTally {
  level: string | null;
  rank: number;
  count: number;
}

/**
 * The levels of an overview summary: highest rank first, then by level id
 * (code-unit order). Shared by the database store and the in-memory index,
 * so that both summarise alike.
 */
export function sortLevels(groups: ReadonlyArray<LevelTally>): LevelCount[] {
  return [...groups]
    .sort(
      (a, b) =>
        b.rank - a.rank || compareCodeUnits(a.level ?? '', b.level ?? ''),
    )
    .map(({ level, count }) => ({ level, count }));
}

/** An average score to one decimal; `null` for no entities. */
export function averageScore(total: number, count: number): number | null {
  return count === 0 ? null : Math.round((total / count) * 10) / 10;
}

function compareCodeUnits(a: string, b: string): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}
