import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { readinessPermissions } from '@prodready/plugin-readiness-common';
import { DatabaseCatalogProblemStore } from './database';
import { createCatalogProblemsService } from './service/catalogProblems';
import { createRouter } from './service/router';

/**
 * The readiness backend plugin: scorecards, checklists, the overview API and
 * the catalog validation problems of the `prodready.dev/` annotations.
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
        httpAuth: coreServices.httpAuth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        config: coreServices.rootConfig,
        events: eventsServiceRef,
      },
      async init({
        logger,
        httpRouter,
        httpAuth,
        permissions,
        permissionsRegistry,
        database,
        config,
        events,
      }) {
        permissionsRegistry.addPermissions(readinessPermissions);

        const catalogProblems = await createCatalogProblemsService({
          store: await DatabaseCatalogProblemStore.create({ database }),
          events,
          logger,
          config,
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalogProblems,
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
      },
    });
  },
});
