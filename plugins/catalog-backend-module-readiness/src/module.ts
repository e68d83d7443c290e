import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { ReadinessEntityProcessor } from './processor/ReadinessEntityProcessor';

/**
 * Catalog module that validates production-readiness annotations, SLA and
 * DR plan entities, and links services to their plans.
 *
 * @public
 */
export const catalogModuleReadiness = createBackendModule({
  pluginId: 'catalog',
  moduleId: 'readiness',
  register(reg) {
    reg.registerInit({
      deps: {
        catalog: catalogProcessingExtensionPoint,
        logger: coreServices.logger,
        config: coreServices.rootConfig,
      },
      async init({ catalog, logger, config }) {
        // The Prometheus endpoints an entity may name, when any are configured.
        const endpoints = config
          .getOptionalConfigArray('readiness.prometheus.endpoints')
          ?.map(endpoint => endpoint.getOptionalString('name'))
          .filter((name): name is string => Boolean(name));
        catalog.addProcessor(
          new ReadinessEntityProcessor({
            logger,
            prometheusEndpoints: endpoints?.length ? endpoints : undefined,
          }),
        );
      },
    });
  },
});
