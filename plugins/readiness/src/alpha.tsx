import {
  compatWrapper,
  convertLegacyRouteRef,
  convertLegacyRouteRefs,
} from '@backstage/core-compat-api';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import AssignmentTurnedInIcon from '@material-ui/icons/AssignmentTurnedIn';
import { readinessApiRef, ReadinessClient } from './api';
import { rootRouteRef } from './routes';

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
        compatWrapper(<m.ReadinessPage />),
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

/**
 * The readiness plugin for the new frontend system.
 *
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'readiness',
  routes: convertLegacyRouteRefs({ root: rootRouteRef }),
  extensions: [readinessApi, readinessPage, serviceLevelsCard],
});
