export {
  SLA_RESOURCE_TYPE,
  DR_PLAN_RESOURCE_TYPE,
  RELATION_HAS_SLA,
  RELATION_SLA_OF,
  RELATION_HAS_DR_PLAN,
  RELATION_DR_PLAN_OF,
  READINESS_RELATION_PAIRS,
  isServiceLevelAgreementEntity,
  isDisasterRecoveryPlanEntity,
} from './constants';
export {
  parseServiceLevelAgreementSpec,
  parseDisasterRecoveryPlanSpec,
} from './specs';
export type {
  SpecError,
  ServiceLevelSpecParseResult,
  ParseDisasterRecoveryPlanSpecOptions,
} from './specs';
export { checkBackupScheduleMeetsRpo } from './backups';
export type { BackupRpoFieldNames } from './backups';
export { getDrTestStatus } from './drTest';
export type { DrTestStatus } from './drTest';
export { resolveServiceLevels } from './resolve';
export type {
  ServiceLevelSource,
  EffectiveValue,
  ServiceLevelFindingKind,
  ServiceLevelFinding,
  EffectiveServiceLevels,
  ResolveServiceLevelsOptions,
} from './resolve';
