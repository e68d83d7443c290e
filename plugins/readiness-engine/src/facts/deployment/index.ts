/**
 * Deployment facts: what the Kubernetes manifests or Helm values of a service
 * say about its scaling, resilience and exposure, as plain versioned JSON.
 */
export {
  parseDeploymentFiles,
  emptyDeploymentFacts,
} from './parseDeploymentFiles';
export {
  parseCpuQuantity,
  parseMemoryQuantity,
  cpuToMillicores,
  memoryToBytes,
} from './quantity';
export type { QuantityParseResult } from './quantity';
export { REMOVED_API_VERSIONS, findRemovedApiVersion } from './removedApis';
export type { RemovedApiVersion } from './removedApis';
export { DEPLOYMENT_FACTS_VERSION } from './types';
export type {
  DeploymentBlueGreenFacts,
  DeploymentCanaryFacts,
  DeploymentContainerFacts,
  DeploymentFacts,
  DeploymentFactsError,
  DeploymentFactsNote,
  DeploymentFileInput,
  DeploymentHint,
  DeploymentHpaMetricFacts,
  DeploymentHpaSummary,
  DeploymentIngressSummary,
  DeploymentNetworkPolicySummary,
  DeploymentPdbSummary,
  DeploymentProbeType,
  DeploymentRemovedApi,
  DeploymentResourceQuantities,
  DeploymentRolloutSummary,
  DeploymentServiceSummary,
  DeploymentSpreadFacts,
  DeploymentStrategyFacts,
  DeploymentWorkloadFacts,
  ParseDeploymentFilesOptions,
} from './types';
