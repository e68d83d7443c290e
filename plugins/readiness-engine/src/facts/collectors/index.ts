/**
 * The built-in fact collectors of the readiness engine: the catalog entity,
 * its effective SLA/DR data, and its deployment files.
 */
export {
  DEFAULT_CACHE_TAGS,
  DEFAULT_COMPLIANCE_TAGS,
  ENTITY_FACT_COLLECTOR_ID,
  collectEntityFacts,
  createEntityFactCollector,
} from './entity';
export type { EntityFactCollectorOptions, EntityFacts } from './entity';
export {
  SERVICE_LEVELS_FACT_COLLECTOR_ID,
  createServiceLevelsFactCollector,
  toServiceLevelsFacts,
} from './serviceLevels';
export type {
  ServiceLevelsFactCollectorOptions,
  ServiceLevelsFacts,
} from './serviceLevels';
export * from './deployment';
export { collectFacts, createOfflineFactCollectors } from './offline';
export type { OfflineFactCollectorsOptions } from './offline';
