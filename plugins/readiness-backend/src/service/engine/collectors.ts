import type {
  AuthService,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import {
  createDeploymentFactCollector,
  createEntityFactCollector,
  createServiceLevelsFactCollector,
} from '@prodready/plugin-readiness-engine';

/**
 * The built-in fact collectors: the catalog entity and its relations
 * (`entity`), the effective SLA/DR data (`serviceLevels`) and the deployment
 * files of the service (`deployment`).
 */
export function createBuiltInFactCollectors(options: {
  catalog: CatalogService;
  auth: AuthService;
  urlReader: UrlReaderService;
  logger: LoggerService;
}): FactCollector[] {
  const { catalog, auth, urlReader, logger } = options;
  return [
    createEntityFactCollector(),
    createServiceLevelsFactCollector({ catalog, auth }),
    createDeploymentFactCollector({
      urlReader,
      logger: logger.child({ collector: 'deployment' }),
    }),
  ];
}
