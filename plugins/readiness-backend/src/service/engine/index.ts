export type * from './types';
export { DefaultReadinessEngine } from './DefaultReadinessEngine';
export type {
  DefaultReadinessEngineOptions,
  EvaluationOutcome,
} from './DefaultReadinessEngine';
export { createBuiltInFactCollectors } from './collectors';
export { loadChecks, readLevels } from './loadChecks';
export {
  DEFAULT_EVALUATION_SCHEDULE,
  READINESS_EVALUATION_TASK_ID,
  scheduleReadinessEvaluation,
} from './schedule';
export { describeStaleCollector, describeStaleFacts } from './staleness';
export { toEntityScores } from './scores';
