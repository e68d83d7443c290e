import type { RootConfigService } from '@backstage/backend-plugin-api';
import path from 'path';

/** Default folder of local repositories, relative to the backend's working directory. */
export const DEFAULT_LOCAL_PUBLISH_ROOT = '.local-repos';

/** The absolute folder `readiness:publish:local` publishes to. */
export function resolveLocalPublishRoot(config: RootConfigService): string {
  return path.resolve(
    config.getOptionalString('readiness.scaffolder.localPublishRoot') ??
      DEFAULT_LOCAL_PUBLISH_ROOT,
  );
}

/** The folder whose subfolders seed local repositories, if configured. */
export function resolveSeedLocalRepositories(
  config: RootConfigService,
): string | undefined {
  const folder = config.getOptionalString(
    'readiness.scaffolder.seedLocalRepositories',
  );
  return folder ? path.resolve(folder) : undefined;
}
