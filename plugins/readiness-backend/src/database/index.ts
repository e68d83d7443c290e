export type {
  CatalogProblem,
  CatalogProblemRecord,
  CatalogProblemStore,
} from './CatalogProblemStore';
export { DatabaseCatalogProblemStore } from './DatabaseCatalogProblemStore';
export type * from './ReadinessStore';
export { DatabaseReadinessStore } from './DatabaseReadinessStore';
