import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CheckDefinition,
  CheckResult,
  DEFAULT_LEVELS,
  JsonObject,
  LevelDefinition,
  Scorecard,
} from '@prodready/plugin-readiness-common';
import { BUILT_IN_CHECKS } from '../builtin';
import { compileChecksOnce } from '../rules/compileChecksOnce';
import type { CheckOperator } from '../types';
import { buildScorecard } from './buildScorecard';
import { evaluateChecks } from './evaluate';

/**
 * Options of {@link scoreEntity}.
 *
 * @public
 */
export interface ScoreEntityOptions {
  entity: Entity;
  /** The entity's facts, by collector id (see `collectFacts`). */
  facts: Record<string, JsonObject>;
  /** The checks; default the built-in ones. */
  checks?: ReadonlyArray<CheckDefinition>;
  /** Custom operators the checks use. */
  operators?: ReadonlyArray<CheckOperator>;
  levels?: ReadonlyArray<LevelDefinition>;
  /** The evaluation time; default now. */
  now?: Date;
}

/**
 * Evaluates the checks for one entity and builds its scorecard: what the
 * backend's cycle does for each entity, without storing anything. For
 * tools that score a service outside a backend (tests, a CI gate). Checks
 * are compiled once per list (and throw `CheckDefinitionError` when
 * invalid).
 *
 * @public
 */
export function scoreEntity(options: ScoreEntityOptions): {
  scorecard: Scorecard;
  results: Record<string, CheckResult>;
} {
  const definitions = options.checks ?? BUILT_IN_CHECKS;
  const levels = options.levels ?? DEFAULT_LEVELS;
  const checks = compileChecksOnce(definitions, {
    levels,
    ...(options.operators ? { operators: options.operators } : {}),
  });
  const now = options.now ?? new Date();
  const entityRef = stringifyEntityRef(options.entity);
  const list = evaluateChecks(checks, {
    entity: options.entity,
    entityRef,
    facts: options.facts,
    now,
  });
  return {
    results: Object.fromEntries(list.map(r => [r.checkId, r])),
    scorecard: buildScorecard({
      entityRef,
      checks: definitions,
      results: list,
      levels,
      evaluatedAt: now,
    }),
  };
}
