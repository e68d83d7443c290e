export type {
  CatalogProblem,
  CatalogProblemRecord,
  CatalogProblemStore,
} from './CatalogProblemStore';
export { DatabaseCatalogProblemStore } from './DatabaseCatalogProblemStore';
export type * from './ReadinessStore';
export { DatabaseReadinessStore } from './DatabaseReadinessStore';
export {
  DatabaseOverviewChanges,
  OVERVIEW_CHANGES_RETENTION_MS,
  recordOverviewChanges,
} from './overviewChanges';
export type { OverviewChanges } from './overviewChanges';
