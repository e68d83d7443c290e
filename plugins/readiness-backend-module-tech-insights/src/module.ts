import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { readinessFactCollectorsExtensionPoint } from '@prodready/plugin-readiness-node';
import { createTechInsightsFactCollector } from './collector';
import { readTechInsightsBridgeSettings } from './config';

/**
 * The Tech Insights bridge: adds the `techInsights` fact collector, which
 * reads the facts Tech Insights has already collected (see
 * `readiness.techInsights` in the config).
 *
 * @public
 */
export const readinessModuleTechInsights = createBackendModule({
  pluginId: 'readiness',
  moduleId: 'tech-insights',
  register(reg) {
    reg.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        discovery: coreServices.discovery,
        auth: coreServices.auth,
        collectors: readinessFactCollectorsExtensionPoint,
      },
      async init({ config, logger, discovery, auth, collectors }) {
        const settings = readTechInsightsBridgeSettings(config);
        collectors.addFactCollector(
          createTechInsightsFactCollector({ ...settings, discovery, auth }),
        );
        logger.info(
          `Reading the facts of Tech Insights fact retrievers ${settings.factRetrieverIds.join(
            ', ',
          )}`,
        );
      },
    });
  },
});
