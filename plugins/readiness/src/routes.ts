import { createRouteRef, createSubRouteRef } from '@backstage/core-plugin-api';

/** The overview page of production readiness. */
export const rootRouteRef = createRouteRef({ id: 'readiness' });

/** The Readiness tab of an entity page. */
export const entityContentRouteRef = createRouteRef({
  id: 'readiness:entity-content',
});

/** The detail view of an initiative, under the overview page. */
export const initiativeRouteRef = createSubRouteRef({
  id: 'readiness:initiative',
  parent: rootRouteRef,
  path: '/initiatives/:id',
});
