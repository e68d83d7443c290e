import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { scaffolderActionsExtensionPoint } from '@backstage/plugin-scaffolder-node';
import { createAnnotateCatalogInfoAction } from './actions/annotateCatalogInfo';
import { createGenerateDeploymentAction } from './actions/generateDeployment';
import { createGenerateRemediationAction } from './actions/generateRemediation';
import { createPlanCapacityAction } from './actions/planCapacity';
import { createPublishLocalAction } from './actions/publishLocal';
import {
  resolveLocalPublishRoot,
  resolveSeedLocalRepositories,
} from './config';
import {
  LOCAL_REPOSITORIES_PATH,
  createLocalRepositoriesRouter,
} from './publish/router';
import { seedLocalRepositories } from './publish/seed';

/**
 * Scaffolder module with the `readiness:*` actions, and the read-only route
 * that serves repositories published by `readiness:publish:local`. At
 * start-up it seeds local repositories from
 * `readiness.scaffolder.seedLocalRepositories`, when set.
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
        auth: coreServices.auth,
        catalog: catalogServiceRef,
      },
      async init({
        scaffolder,
        config,
        discovery,
        httpRouter,
        logger,
        auth,
        catalog,
      }) {
        const root = resolveLocalPublishRoot(config);
        const seedDir = resolveSeedLocalRepositories(config);
        if (seedDir) {
          await seedLocalRepositories({ root, seedDir, logger });
        }
        scaffolder.addActions(
          createPlanCapacityAction(),
          createGenerateDeploymentAction(),
          createAnnotateCatalogInfoAction({
            appBaseUrl: config.getOptionalString('app.baseUrl'),
          }),
          createPublishLocalAction({ root, discovery }),
          createGenerateRemediationAction({
            catalog,
            auth,
            discovery,
            localPublishRoot: root,
          }),
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
