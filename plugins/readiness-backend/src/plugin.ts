import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { readinessPermissions } from '@prodready/plugin-readiness-common';
import { createRouter } from './service/router';

/**
 * The readiness backend plugin: scorecards, checklists and the overview API.
 *
 * @public
 */
export const readinessPlugin = createBackendPlugin({
  pluginId: 'readiness',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        permissionsRegistry: coreServices.permissionsRegistry,
      },
      async init({ logger, httpRouter, permissionsRegistry }) {
        permissionsRegistry.addPermissions(readinessPermissions);
        httpRouter.use(await createRouter({ logger }));
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
