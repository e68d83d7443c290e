import type {
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@prodready/plugin-readiness-common';
import type { FactCollector, FactCollectorContext } from '../../../types';
import {
  DEPLOYMENT_FACTS_VERSION,
  DeploymentFacts,
  DeploymentFactsError,
  DeploymentFileInput,
  emptyDeploymentFacts,
  parseDeploymentFiles,
} from '../../deployment';
import {
  DeploymentCapacityFacts,
  DeploymentMonitoringFacts,
  extractDeploymentExtras,
} from './extras';
import { DeploymentTarget, locateDeploymentFiles } from './locate';
import {
  DeploymentFilesReader,
  DeploymentReadLimits,
  createFsDeploymentFilesReader,
  createUrlDeploymentFilesReader,
} from './readers';

/**
 * Id of the deployment fact collector: rules read `deployment.<path>`.
 *
 * @public
 */
export const DEPLOYMENT_FACT_COLLECTOR_ID = 'deployment';

/**
 * Where the deployment facts were read from.
 *
 * @public
 */
export type DeploymentLocationFacts = {
  type: 'url' | 'file' | 'none';
  /** The URL or `file:` path read; null when nothing was read. */
  target: string | null;
  /** True when `prodready.dev/deployment-path` names the folder. */
  explicit: boolean;
  /** How the location was found, or why there is none. */
  reason: string;
  /** The target exists (false also when there is no target). */
  found: boolean;
  /** The ETag of the tree read (URL targets); the next read sends it. */
  etag: string | null;
};

/**
 * The deployment facts of an entity: {@link DeploymentFacts} from the
 * manifests or Helm values, plus where they were read from, the capacity at
 * the HPA maximum and the monitoring objects.
 *
 * @public
 */
export type DeploymentCollectorFacts = DeploymentFacts & {
  location: DeploymentLocationFacts;
  capacity: DeploymentCapacityFacts;
  monitoring: DeploymentMonitoringFacts;
};

/**
 * Options of {@link createDeploymentFactCollector}.
 *
 * @public
 */
export interface DeploymentFactCollectorOptions {
  /** Reads URL targets; not needed when `readers.url` is given. */
  urlReader?: UrlReaderService;
  logger: Pick<LoggerService, 'debug'>;
  /** Entity kinds the collector applies to; default `['Component']`. */
  kinds?: ReadonlyArray<string>;
  /** Limits of one entity's read. */
  limits?: Partial<DeploymentReadLimits>;
  /** Overrides the readers (tests, or other storage). */
  readers?: { url?: DeploymentFilesReader; file?: DeploymentFilesReader };
}

const KUBERNETES_ID_ANNOTATION = 'backstage.io/kubernetes-id';

function emptyExtras(): {
  capacity: DeploymentCapacityFacts;
  monitoring: DeploymentMonitoringFacts;
} {
  return {
    capacity: {
      perPodRps: null,
      perPodRpsSource: null,
      evidence: null,
      maxReplicas: null,
      atMaxReplicasRps: null,
    },
    monitoring: {
      prometheusRules: 0,
      alertRules: 0,
      serviceMonitors: 0,
      podMonitors: 0,
      scrapeAnnotation: false,
      metricsScraped: false,
    },
  };
}

function describeTarget(target: DeploymentTarget): string {
  return target.type === 'url' ? target.url : `file:${target.path}`;
}

function problemError(message: string): DeploymentFactsError {
  return { path: '', document: null, line: null, message };
}

function withoutFiles(
  location: DeploymentLocationFacts,
  errors: DeploymentFactsError[],
): DeploymentCollectorFacts {
  return {
    ...emptyDeploymentFacts(),
    errors,
    ...emptyExtras(),
    location,
  };
}

function isReusable(
  previous: JsonObject | undefined,
  target: string,
): previous is JsonObject & { location: { etag: string } } {
  const location = previous?.location as JsonObject | undefined;
  return (
    typeof location?.etag === 'string' &&
    location.target === target &&
    previous?.version === DEPLOYMENT_FACTS_VERSION
  );
}

/**
 * Collects the facts of an entity's deployment files.
 *
 * Where: see `locateDeploymentFiles` (`prodready.dev/deployment-path`
 * relative to the catalog file, or the conventional folders of the source
 * location). How: http(s) targets through `UrlReaderService.readTree` (with
 * the previous ETag, so that an unchanged tree is not read again); `file`
 * targets from disk, because the `UrlReaderService` does not read local
 * files (its fetch reader only reads http(s) URLs allowed by
 * `backend.reading.allow`, and does not implement `readTree`).
 *
 * Configuration problems (a bad path, a path that does not exist) become
 * errors in the facts. Read failures that may be transient throw, so the
 * engine keeps the previous facts and marks them stale.
 *
 * @public
 */
export function createDeploymentFactCollector(
  options: DeploymentFactCollectorOptions,
): FactCollector {
  const { logger, urlReader } = options;
  if (!options.readers?.url && !urlReader) {
    throw new Error(
      'createDeploymentFactCollector needs a urlReader, or a reader of URL targets in readers.url',
    );
  }
  const readers = {
    url:
      options.readers?.url ??
      createUrlDeploymentFilesReader(urlReader!, options.limits),
    file:
      options.readers?.file ?? createFsDeploymentFilesReader(options.limits),
  };
  const kinds = new Set(
    (options.kinds ?? ['Component']).map(k => k.toLocaleLowerCase('en-US')),
  );

  async function collect({
    entity,
    previous,
    signal,
  }: FactCollectorContext): Promise<DeploymentCollectorFacts | JsonObject> {
    const located = locateDeploymentFiles(entity);
    const target = located.target;
    if (!target) {
      return withoutFiles(
        {
          type: 'none',
          target: null,
          explicit: false,
          reason: located.reason,
          found: false,
          etag: null,
        },
        located.problem ? [problemError(located.problem)] : [],
      );
    }
    const targetText = describeTarget(target);
    const location: DeploymentLocationFacts = {
      type: target.type,
      target: targetText,
      explicit: target.explicit,
      reason: located.reason,
      found: true,
      etag: null,
    };
    const reusable = isReusable(previous, targetText);
    const result = await readers[target.type].read(target, {
      ...(reusable ? { etag: previous.location.etag } : {}),
      ...(signal ? { signal } : {}),
    });
    if (result.status === 'not-modified') {
      if (reusable) {
        logger.debug(`Deployment files of ${targetText} are unchanged`);
        return previous;
      }
      throw new Error(
        `${targetText} was reported unchanged, but there are no previous facts`,
      );
    }
    if (result.status === 'not-found') {
      return withoutFiles({ ...location, found: false }, [
        problemError(
          target.explicit
            ? `the deployment path does not exist: ${result.message}`
            : `the source location does not exist: ${result.message}`,
        ),
      ]);
    }
    const facts = deploymentFactsOfFiles(result.files, {
      workloadName: workloadNameOf(entity),
    });
    const errors = [
      ...facts.errors,
      ...result.skipped.map(s => ({
        path: s.path,
        document: null,
        line: null,
        message: s.message,
      })),
    ];
    logger.debug(
      `Read ${result.files.length} deployment file(s) of ${targetText}`,
    );
    return {
      ...facts,
      errors,
      location: { ...location, etag: result.etag },
    };
  }

  return {
    id: DEPLOYMENT_FACT_COLLECTOR_ID,
    // 2: `removedApis`, and objects in removed API versions read as they
    // were served. Stored facts of version 1 are not reused, so unchanged
    // folders are read again once instead of passing no-removed-api-versions.
    version: 2,
    appliesTo(entity) {
      return kinds.has(entity.kind.toLocaleLowerCase('en-US'));
    },
    async collect(context) {
      return (await collect(context)) as JsonObject;
    },
  };
}

/**
 * The deployment facts of a set of files (without where they were read
 * from): the parsed manifests or Helm values, plus capacity and monitoring.
 *
 * @public
 */
export function deploymentFactsOfFiles(
  files: ReadonlyArray<DeploymentFileInput>,
  options: { workloadName?: string } = {},
): Omit<DeploymentCollectorFacts, 'location'> {
  const facts = parseDeploymentFiles([...files], options);
  return { ...facts, ...extractDeploymentExtras([...files], facts) };
}

/**
 * The name the service's main workload is expected to have: its
 * `backstage.io/kubernetes-id`, else the entity's name.
 *
 * @public
 */
export function workloadNameOf(entity: Entity): string {
  const id = entity.metadata.annotations?.[KUBERNETES_ID_ANNOTATION]?.trim();
  return id || entity.metadata.name;
}
