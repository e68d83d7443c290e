/**
 * Catalog module of Production Readiness for Backstage.
 *
 * @packageDocumentation
 */
export { catalogModuleReadiness as default } from './module';
export { ReadinessEntityProcessor } from './processor/ReadinessEntityProcessor';
