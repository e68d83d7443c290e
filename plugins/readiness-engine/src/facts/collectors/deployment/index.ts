export {
  DEPLOYMENT_FACT_COLLECTOR_ID,
  createDeploymentFactCollector,
  deploymentFactsOfFiles,
  workloadNameOf,
} from './collector';
export type {
  DeploymentCollectorFacts,
  DeploymentFactCollectorOptions,
  DeploymentLocationFacts,
} from './collector';
export { extractDeploymentExtras } from './extras';
export type {
  DeploymentCapacityFacts,
  DeploymentMonitoringFacts,
} from './extras';
export {
  CONVENTIONAL_DEPLOYMENT_FOLDERS,
  locateDeploymentFiles,
} from './locate';
export type { DeploymentLocation, DeploymentTarget } from './locate';
export {
  DEFAULT_DEPLOYMENT_READ_LIMITS,
  createFsDeploymentFilesReader,
  createUrlDeploymentFilesReader,
} from './readers';
export type {
  DeploymentFilesReader,
  DeploymentFilesReadOptions,
  DeploymentFilesReadResult,
  DeploymentReadLimits,
} from './readers';
