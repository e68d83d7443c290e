import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import type { PhaseDefinition } from '@prodready/plugin-readiness-common';
import type { JSX } from 'react';
import { readinessApiRef, ReadinessClient } from './api';
import type { EntityReadinessCardProps } from './components/EntityReadinessCard';
import type { EntityReadinessContentProps } from './components/EntityReadinessContent';
import type { ServiceLevelsCardProps } from './components/ServiceLevelsCard';
import { entityContentRouteRef, rootRouteRef } from './routes';

/**
 * The readiness plugin, for apps on the legacy frontend system.
 *
 * @public
 */
export const readinessPlugin = createPlugin({
  id: 'readiness',
  apis: [
    createApiFactory({
      api: readinessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ReadinessClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef, entityContent: entityContentRouteRef },
});

/**
 * The production readiness page (legacy frontend system).
 *
 * @public
 */
export const ReadinessPage: (props: {
  phases?: PhaseDefinition[];
  tableHeight?: number;
}) => JSX.Element = readinessPlugin.provide(
  createRoutableExtension({
    name: 'ReadinessPage',
    component: () =>
      import('./components/ReadinessPage').then(m => m.ReadinessPage),
    mountPoint: rootRouteRef,
  }),
);

/**
 * The "Service levels & recovery" entity card (legacy frontend system): the
 * effective SLA targets and where they come from, RTO, RPO, backups,
 * disaster recovery testing and the problems found in them.
 *
 * @public
 */
export const EntityServiceLevelsCard: (
  props: ServiceLevelsCardProps,
) => JSX.Element = readinessPlugin.provide(
  createComponentExtension({
    name: 'EntityServiceLevelsCard',
    component: {
      lazy: () =>
        import('./components/ServiceLevelsCard').then(m => m.ServiceLevelsCard),
    },
  }),
);

/**
 * The "Production readiness" entity card (legacy frontend system): the
 * level, the per-area scores, the failing checks with how to fix them, and a
 * refresh button for owners.
 *
 * @public
 */
export const EntityReadinessCard: (
  props: EntityReadinessCardProps,
) => JSX.Element = readinessPlugin.provide(
  createComponentExtension({
    name: 'EntityReadinessCard',
    component: {
      lazy: () =>
        import('./components/EntityReadinessCard').then(
          m => m.EntityReadinessCard,
        ),
    },
  }),
);

/**
 * The "Readiness" entity tab (legacy frontend system): the full scorecard
 * with this service's patch for the checks it fixes, the phase checklists,
 * the audit trail and the score trend. Mount it in an
 * `EntityLayout.Route path="/readiness"`.
 *
 * @public
 */
export const EntityReadinessContent: (
  props: EntityReadinessContentProps,
) => JSX.Element = readinessPlugin.provide(
  createRoutableExtension({
    name: 'EntityReadinessContent',
    component: () =>
      import('./components/EntityReadinessContent').then(
        m => m.EntityReadinessContent,
      ),
    mountPoint: entityContentRouteRef,
  }),
);
