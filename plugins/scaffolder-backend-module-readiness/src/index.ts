/**
 * Scaffolder module of Production Readiness for Backstage.
 *
 * @packageDocumentation
 */
export { scaffolderModuleReadiness as default } from './module';
export { createPlanCapacityAction } from './actions/planCapacity';
export { createGenerateDeploymentAction } from './actions/generateDeployment';
export { createAnnotateCatalogInfoAction } from './actions/annotateCatalogInfo';
export { createPublishLocalAction } from './actions/publishLocal';
export { createGenerateRemediationAction } from './actions/generateRemediation';
export {
  LocalRepositoriesUrlReader,
  localRepositoriesUrlReaderServiceFactory,
} from './publish/urlReader';
