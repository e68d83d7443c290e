import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAnnotateCatalogInfoAction } from './actions/annotateCatalogInfo';
import { createGenerateDeploymentAction } from './actions/generateDeployment';
import { createPlanCapacityAction } from './actions/planCapacity';
import { createPublishLocalAction } from './actions/publishLocal';
import { resolveLocalPublishRoot } from './config';
import {
  LOCAL_REPOSITORIES_PATH,
  createLocalRepositoriesRouter,
} from './publish/router';

/**
 * Scaffolder module with the `readiness:*` actions, and the read-only route
 * that serves repositories published by `readiness:publish:local`.
 *
 * @public
 */
export const scaffolderModuleReadiness = createBackendModule({
  pluginId: 'scaffolder',
  moduleId: 'readiness',
  register(reg) {
    reg.registerInit({
      deps: {
        scaffolder: scaffolderActionsExtensionPoint,
        config: coreServices.rootConfig,
        discovery: coreServices.discovery,
        httpRouter: coreServices.httpRouter,
        logger: coreServices.logger,
      },
      async init({ scaffolder, config, discovery, httpRouter, logger }) {
        const root = resolveLocalPublishRoot(config);
        scaffolder.addActions(
          createPlanCapacityAction(),
          createGenerateDeploymentAction(),
          createAnnotateCatalogInfoAction({
            appBaseUrl: config.getOptionalString('app.baseUrl'),
          }),
          createPublishLocalAction({ root, discovery }),
        );
        if (
          config.getOptionalBoolean(
            'readiness.scaffolder.serveLocalRepositories',
          ) ??
          true
        ) {
          httpRouter.use(createLocalRepositoriesRouter({ root }));
          // The catalog's URL reader sends no credentials.
          httpRouter.addAuthPolicy({
            path: LOCAL_REPOSITORIES_PATH,
            allow: 'unauthenticated',
          });
          logger.info(`Serving local repositories of ${root} read-only`);
        }
      },
    });
  },
});
