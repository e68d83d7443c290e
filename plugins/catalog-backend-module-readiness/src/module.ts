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
      },
      async init({ catalog, logger }) {
        catalog.addProcessor(new ReadinessEntityProcessor({ logger }));
      },
    });
  },
});
