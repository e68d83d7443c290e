import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { JsonObject } from '@prodready/plugin-readiness-common';
import type { FactCollector } from '../../types';
import {
  createDeploymentFactCollector,
  createFsDeploymentFilesReader,
} from './deployment';
import type { DeploymentFilesReader } from './deployment';
import { createEntityFactCollector } from './entity';
import { createServiceLevelsFactCollector } from './serviceLevels';

/**
 * Options of {@link createOfflineFactCollectors}.
 *
 * @public
 */
export interface OfflineFactCollectorsOptions {
  /**
   * The other entities the collectors may look up: the shared SLA and DR
   * plans (`kind: Resource`) that services reference.
   */
  entities?: ReadonlyArray<Entity>;
  /** The current time (DR test age, expiry); default now. */
  now?: () => Date;
  /** Reads deployment files at URL targets; by default they cannot be read offline. */
  urlReader?: DeploymentFilesReader;
}

const urlsNotReadable: DeploymentFilesReader = {
  async read(target) {
    throw new Error(
      `${
        target.type === 'url' ? target.url : 'this target'
      } is a URL, and deployment files are read from disk only here`,
    );
  },
};

/**
 * The built-in fact collectors without a backend: the entity, its service
 * levels (the plans it references are looked up in `entities`), and its
 * deployment files read from disk (`file` locations, such as those of
 * `readCatalogFile`). For tests, benchmarks and command-line tools that score
 * a repository locally with the same collectors as the backend.
 *
 * @public
 */
export function createOfflineFactCollectors(
  options: OfflineFactCollectorsOptions = {},
): FactCollector[] {
  const byRef = new Map(
    (options.entities ?? []).map(e => [stringifyEntityRef(e), e]),
  );
  return [
    createEntityFactCollector(),
    createServiceLevelsFactCollector({
      catalog: {
        async getEntityByRef(ref) {
          return byRef.get(
            stringifyEntityRef(
              typeof ref === 'string' ? parseEntityRef(ref) : ref,
            ),
          );
        },
      },
      auth: {
        async getOwnServiceCredentials() {
          return {
            $$type: '@backstage/BackstageCredentials',
            principal: { type: 'service', subject: 'readiness-offline' },
          };
        },
      },
      ...(options.now ? { now: options.now } : {}),
    }),
    createDeploymentFactCollector({
      logger: { debug() {} },
      readers: {
        file: createFsDeploymentFilesReader(),
        url: options.urlReader ?? urlsNotReadable,
      },
    }),
  ];
}

/**
 * Runs the collectors that apply to the entity and returns their facts, by
 * collector id. A collector that throws makes this throw.
 *
 * @public
 */
export async function collectFacts(
  entity: Entity,
  collectors: ReadonlyArray<FactCollector>,
): Promise<Record<string, JsonObject>> {
  const facts: Record<string, JsonObject> = {};
  for (const collector of collectors) {
    if (!collector.appliesTo || collector.appliesTo(entity)) {
      facts[collector.id] = await collector.collect({ entity });
    }
  }
  return facts;
}
