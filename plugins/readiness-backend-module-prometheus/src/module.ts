import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { readinessFactCollectorsExtensionPoint } from '@prodready/plugin-readiness-node';
import { createObservedServiceLevelsCollector } from './collector';
import { readPrometheusSettings } from './config';
import { validateQueriesWithPrometheus } from './validateOnline';

/**
 * Observed service levels from Prometheus: adds the `observedServiceLevels`
 * fact collector, configured by `readiness.prometheus`. Without that config
 * it adds nothing, and the observed checks do not apply.
 *
 * @public
 */
export const readinessModulePrometheus = createBackendModule({
  pluginId: 'readiness',
  moduleId: 'prometheus',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        auth: coreServices.auth,
        catalog: catalogServiceRef,
        collectors: readinessFactCollectorsExtensionPoint,
      },
      async init({ config, logger, auth, catalog, collectors }) {
        const settings = readPrometheusSettings(config);
        if (!settings) {
          logger.info(
            'No Prometheus is configured (readiness.prometheus): the observed service level checks do not apply',
          );
          return;
        }
        await validateQueriesWithPrometheus(settings, logger);
        collectors.addFactCollector(
          createObservedServiceLevelsCollector({ settings, catalog, auth }),
        );
        logger.info(
          `Observed service levels over ${
            settings.window
          } from ${settings.endpoints
            .map(e => `${e.name} (${e.baseUrl})`)
            .join(', ')}, at most ${settings.concurrency} queries at once`,
        );
      },
    });
  },
});
