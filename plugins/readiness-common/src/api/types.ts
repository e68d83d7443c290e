/*
 * The JSON bodies of the readiness REST API, shared by the backend router and
 * the frontend client. They mirror the schemas of the backend's
 * src/schema/openapi.yaml.
 */

/**
 * The health of the readiness backend (`GET /health`).
 *
 * @public
 */
export interface ReadinessHealth {
  status: 'ok';
}

/**
 * An entity that the catalog could not process (for example because a
 * `prodready.dev/` annotation is malformed), and why. The catalog does not
 * serve such an entity at all, so this is the only place its owners see the
 * problem.
 *
 * @public
 */
export interface CatalogValidationProblem {
  /** The entity ref, e.g. `component:default/payouts-worker`. */
  entityRef: string;
  /** Where the entity is defined, e.g. `url:https://…/catalog-info.yaml`. */
  location?: string;
  /** The processing errors, one message each. */
  messages: string[];
  /** When the catalog first reported the problem (ISO 8601). */
  firstSeenAt: string;
  /** When the catalog last reported the problem (ISO 8601). */
  lastSeenAt: string;
}

/**
 * The entities that currently fail catalog processing
 * (`GET /catalog-errors`), the most recently seen first.
 *
 * @public
 */
export interface CatalogValidationProblems {
  items: CatalogValidationProblem[];
}
