export type {
  CatalogValidationProblem,
  CatalogValidationProblems,
  ReadinessHealth,
} from './types';
