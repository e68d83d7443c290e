import { createApiRef } from '@backstage/core-plugin-api';
import {
  CatalogValidationProblems,
  ReadinessHealth,
} from '@prodready/plugin-readiness-common';

// The response types live in -common, shared with the backend; re-exported
// here so that existing imports from this package keep working.
export type {
  CatalogValidationProblem,
  CatalogValidationProblems,
  ReadinessHealth,
} from '@prodready/plugin-readiness-common';

/**
 * Client of the readiness backend.
 *
 * @public
 */
export interface ReadinessApi {
  getHealth(): Promise<ReadinessHealth>;

  /**
   * The entities that the catalog currently fails to process (for example
   * because a `prodready.dev/` annotation is malformed), with their errors,
   * most recently seen first.
   */
  getCatalogProblems(options?: {
    /** Only the problems of this entity, e.g. `component:default/payments`. */
    entityRef?: string;
  }): Promise<CatalogValidationProblems>;
}

/**
 * ApiRef of {@link ReadinessApi}.
 *
 * @public
 */
export const readinessApiRef = createApiRef<ReadinessApi>({
  id: 'plugin.readiness.service',
});
