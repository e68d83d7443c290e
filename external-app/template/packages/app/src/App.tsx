import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import readinessPlugin, {
  readinessCatalogGraphModule,
} from '@prodready/plugin-readiness/alpha';

export default createApp({
  features: [catalogPlugin, readinessPlugin, readinessCatalogGraphModule],
});
