/**
 * Scorecards: per-area scores and the level an entity reaches, from its
 * check results.
 */
export { buildScorecard, NOT_EVALUATED_MESSAGE } from './buildScorecard';
export type { BuildScorecardOptions } from './buildScorecard';
export { describeNotApplicable, evaluateChecks } from './evaluate';
export type { EvaluateChecksOptions } from './evaluate';
export { scoreEntity } from './scoreEntity';
export type { ScoreEntityOptions } from './scoreEntity';
