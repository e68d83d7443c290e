/**
 * Catalog module of Production Readiness for Backstage: validates the
 * `prodready.dev/` annotations and the SLA and DR plan entities, and emits
 * relations between services and their plans.
 *
 * @packageDocumentation
 */
export { catalogModuleReadiness as default } from './module';
export { ReadinessEntityProcessor } from './processor/ReadinessEntityProcessor';
export type { ReadinessEntityProcessorOptions } from './processor/ReadinessEntityProcessor';
