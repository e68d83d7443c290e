export type { JsonArray, JsonObject, JsonPrimitive, JsonValue } from './json';
export { isApplicable, getApplicabilitySubject } from './applicability';
export type {
  ApplicabilitySubject,
  ReadinessApplicability,
} from './applicability';
export {
  CHECK_SEVERITIES,
  BUILT_IN_CHECK_IDS,
  EXTERNAL_RESULTS_FACT_ID,
} from './checks';
export type {
  CheckCondition,
  CheckDefinition,
  CheckMessages,
  CheckRule,
  CheckSeverity,
  CheckWaiver,
  ExternalCheckResult,
} from './checks';
export { CHECK_RESULT_STATUSES, scoreArea } from './results';
export type {
  AreaScore,
  CheckResult,
  CheckResultStatus,
  Scorecard,
} from './results';
export { DEFAULT_LEVELS, computeAchievedLevel } from './levels';
export type { LevelDefinition } from './levels';
export {
  CHECKLIST_ITEM_STATUSES,
  computeChecklistItemExpiry,
  getEffectiveChecklistItemStatus,
  isChecklistItemExpired,
} from './checklists';
export type {
  AuditEntry,
  ChecklistAuditEvent,
  ChecklistItemSnapshot,
  ChecklistItemState,
  ChecklistItemStatus,
  ChecklistItemUpdate,
} from './checklists';
export {
  OBSERVED_SERVICE_LEVELS_FACT_ID,
  isObservedServiceLevelsEntity,
} from './observed';
export type {
  ObservedDailyAvailability,
  ObservedErrorBudget,
  ObservedQuery,
  ObservedServiceLevelsFacts,
} from './observed';
