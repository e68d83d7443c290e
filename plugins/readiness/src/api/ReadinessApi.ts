import { createApiRef } from '@backstage/core-plugin-api';

/**
 * The health of the readiness backend.
 *
 * @public
 */
export interface ReadinessHealth {
  status: 'ok';
}

/**
 * Client of the readiness backend.
 *
 * @public
 */
export interface ReadinessApi {
  getHealth(): Promise<ReadinessHealth>;
}

/**
 * ApiRef of {@link ReadinessApi}.
 *
 * @public
 */
export const readinessApiRef = createApiRef<ReadinessApi>({
  id: 'plugin.readiness.service',
});
