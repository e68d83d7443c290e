import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendModule,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import {
  ALL_RELATION_PAIRS,
  ALL_RELATIONS,
  catalogGraphApiRef,
  DefaultCatalogGraphApi,
} from '@backstage/plugin-catalog-graph';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { READINESS_RELATION_PAIRS } from '@prodready/plugin-readiness-common';
import { readinessApiRef, ReadinessClient } from './api';
import {
  entityContentRouteRef,
  initiativeRouteRef,
  rootRouteRef,
} from './routes';

const readinessApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: readinessApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ReadinessClient({ discoveryApi, fetchApi }),
    }),
});

const readinessPage = PageBlueprint.make({
  params: {
    path: '/readiness',
    title: 'Readiness',
    icon: <AssignmentTurnedInIcon fontSize="inherit" />,
    routeRef: convertLegacyRouteRef(rootRouteRef),
    noHeader: true,
    loader: () =>
      import('./components/ReadinessPage').then(m =>
        compatWrapper(<m.ReadinessRouter />),
      ),
  },
});

const serviceLevelsCard = EntityCardBlueprint.make({
  name: 'service-levels',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/ServiceLevelsCard').then(m =>
        compatWrapper(<m.ServiceLevelsCard />),
      ),
  },
});

const readinessCard = EntityCardBlueprint.make({
  name: 'readiness',
  params: {
    filter: { kind: 'component' },
    type: 'info',
    loader: () =>
      import('./components/EntityReadinessCard').then(m =>
        compatWrapper(<m.EntityReadinessCard />),
      ),
  },
});

const initiativesCard = EntityCardBlueprint.make({
  name: 'initiatives',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityInitiativesCard').then(m =>
        compatWrapper(<m.EntityInitiativesCard />),
      ),
  },
});

const groupReadinessCard = EntityCardBlueprint.make({
  name: 'group-readiness',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/GroupReadinessCard').then(m =>
        compatWrapper(<m.EntityGroupReadinessCard />),
      ),
  },
});

const readinessContent = EntityContentBlueprint.make({
  name: 'readiness',
  params: {
    path: '/readiness',
    title: 'Readiness',
    routeRef: convertLegacyRouteRef(entityContentRouteRef),
    filter: { kind: 'component' },
    loader: () =>
      import('./components/EntityReadinessContent').then(m =>
        compatWrapper(<m.EntityReadinessContent />),
      ),
  },
});

/**
 * The readiness plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'readiness',
  routes: convertLegacyRouteRefs({
    root: rootRouteRef,
    entityContent: entityContentRouteRef,
    initiative: initiativeRouteRef,
  }),
  extensions: [
    readinessApi,
    readinessPage,
    readinessCard,
    serviceLevelsCard,
    initiativesCard,
    groupReadinessCard,
    readinessContent,
  ],
});

/**
 * Teaches the catalog graph the readiness relations (service to SLA, service
 * to DR plan), so that entity graphs show them. Add it to the app's features
 * next to the catalog graph plugin.
 *
 * @alpha
 */
export const readinessCatalogGraphModule = createFrontendModule({
  pluginId: 'catalog-graph',
  extensions: [
    ApiBlueprint.make({
      params: defineParams =>
        defineParams({
          api: catalogGraphApiRef,
          deps: {},
          factory: () =>
            new DefaultCatalogGraphApi({
              knownRelations: [
                ...ALL_RELATIONS,
                ...READINESS_RELATION_PAIRS.flat(),
              ],
              knownRelationPairs: [
                ...ALL_RELATION_PAIRS,
                ...READINESS_RELATION_PAIRS.map(
                  ([forward, reverse]) =>
                    [forward, reverse] as [string, string],
                ),
              ],
              defaultRelationTypes: { exclude: [] },
            }),
        }),
    }),
  ],
});
