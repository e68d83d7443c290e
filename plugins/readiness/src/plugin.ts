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
import type { EntityInitiativesCardProps } from './components/EntityInitiativesCard';
import type { EntityGroupReadinessCardProps } from './components/GroupReadinessCard';
import type { ServiceLevelsCardProps } from './components/ServiceLevelsCard';
import {
  entityContentRouteRef,
  initiativeRouteRef,
  rootRouteRef,
} from './routes';

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
  routes: {
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
    initiative: initiativeRouteRef,
  },
});

/**
 * The production readiness page (legacy frontend system): the overview, the
 * initiatives and waiver requests, and the detail view of each initiative
 * under `initiatives/:id`.
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
      import('./components/ReadinessPage').then(m => m.ReadinessRouter),
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

/**
 * The "Initiatives" entity card (legacy frontend system): each initiative the
 * service is in, its due date, days left, whether the service meets it and
 * what is left.
 *
 * @public
 */
export const EntityReadinessInitiativesCard: (
  props: EntityInitiativesCardProps,
) => JSX.Element = readinessPlugin.provide(
  createComponentExtension({
    name: 'EntityReadinessInitiativesCard',
    component: {
      lazy: () =>
        import('./components/EntityInitiativesCard').then(
          m => m.EntityInitiativesCard,
        ),
    },
  }),
);

/**
 * The "Readiness of this team and its sub-teams" card of Group entities
 * (legacy frontend system): services, average score and levels of the group
 * and every group under it, each sub-group's figures, the initiatives due and
 * the least ready services.
 *
 * @public
 */
export const EntityGroupReadinessCard: (
  props: EntityGroupReadinessCardProps,
) => JSX.Element = readinessPlugin.provide(
  createComponentExtension({
    name: 'EntityGroupReadinessCard',
    component: {
      lazy: () =>
        import('./components/GroupReadinessCard').then(
          m => m.EntityGroupReadinessCard,
        ),
    },
  }),
);
