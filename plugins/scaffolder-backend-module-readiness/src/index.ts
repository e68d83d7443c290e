/**
 * Scaffolder module of Production Readiness for Backstage.
 *
 * @packageDocumentation
 */
export { scaffolderModuleReadiness as default } from './module';
export { createPlanCapacityAction } from './actions/planCapacity';
