/**
 * Pure generation and validation of a production-ready service's
 * deployment configs: no I/O, no Backstage.
 */
export { generateDeployment, describeObjects } from './generateDeployment';
export type {
  DeploymentGeneration,
  GeneratedFile,
  GeneratedObject,
  GenerateDeploymentOptions,
} from './generateDeployment';
export {
  DATA_STORE_TYPES,
  MAX_NAME_LENGTH,
  ROLLOUT_STRATEGIES,
  resolveDeploymentSpec,
} from './inputs';
export type {
  DataStoreType,
  DeploymentGeneratorInput,
  DeploymentSpec,
  Exposure,
  RolloutStrategy,
} from './inputs';
export { backupScheduleForRpo } from './backupSchedule';
export type { BackupSchedule } from './backupSchedule';
export { buildSloRuleGroups, BURN_RATE_WINDOWS } from './slo';
export type {
  BurnRateWindow,
  PrometheusRuleEntry,
  PrometheusRuleGroup,
  SloTargets,
} from './slo';
export {
  checkManifestSemantics,
  findUnknownFields,
  validateManifestSchema,
  validateManifests,
} from './validate';
export type { ModelClass, SemanticCheckOptions } from './validate';
export type { Manifest } from './manifests';
export { emitYaml } from './emitYaml';
