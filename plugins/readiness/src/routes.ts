import { createRouteRef } from '@backstage/core-plugin-api';

/** The overview page of production readiness. */
export const rootRouteRef = createRouteRef({ id: 'readiness' });
