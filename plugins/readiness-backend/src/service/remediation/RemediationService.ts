import type {
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { NotFoundError, ServiceUnavailableError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type {
  JsonObject,
  RemediationPlan,
} from '@prodready/plugin-readiness-common';
import {
  CheckOperator,
  computeRemediation,
  createFsDeploymentFilesReader,
  createUrlDeploymentFilesReader,
  DeploymentFileInput,
  DeploymentFilesReader,
  locateDeploymentFiles,
} from '@prodready/plugin-readiness-engine';
import type { ReadinessStore } from '../../database/ReadinessStore';
import type { ReadinessEngine } from '../engine/types';

/**
 * Computes an entity's remediation plan on demand: its current deployment
 * files (read the way the deployment collector reads them), its stored
 * facts and the checks in force, through the engine library's
 * `computeRemediation`.
 */
export class RemediationService {
  private readonly readers: Record<'url' | 'file', DeploymentFilesReader>;

  constructor(
    private readonly options: {
      catalog: CatalogService;
      store: ReadinessStore;
      engine: Pick<ReadinessEngine, 'getDefinition'>;
      urlReader: UrlReaderService;
      logger: LoggerService;
      operators?: ReadonlyArray<CheckOperator>;
      /** Overrides the readers (tests). */
      readers?: Partial<Record<'url' | 'file', DeploymentFilesReader>>;
      now?: () => Date;
    },
  ) {
    this.readers = {
      url:
        options.readers?.url ??
        createUrlDeploymentFilesReader(options.urlReader),
      file: options.readers?.file ?? createFsDeploymentFilesReader(),
    };
  }

  async getPlan(
    entityRef: string,
    credentials: BackstageCredentials,
  ): Promise<RemediationPlan> {
    const { catalog, store, engine, logger } = this.options;
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`No entity ${entityRef} in the catalog`);
    }
    const stored = await store.getFacts(entityRef);
    if (stored.size === 0) {
      throw new NotFoundError(
        `${entityRef} has not been evaluated yet, so there is nothing to fix`,
      );
    }
    const facts: Record<string, JsonObject> = {};
    for (const [collectorId, document] of stored) {
      facts[collectorId] = document.facts;
    }
    const located = locateDeploymentFiles(entity);
    let files: DeploymentFileInput[] = [];
    let deploymentTarget: string | null = null;
    if (located.target) {
      const target = located.target;
      deploymentTarget =
        target.type === 'url' ? target.url : `file:${target.path}`;
      let result;
      try {
        result = await this.readers[target.type].read(target);
      } catch (error) {
        logger.warn(
          `Cannot read the deployment files of ${entityRef} at ${deploymentTarget}: ${error}`,
        );
        throw new ServiceUnavailableError(
          `The deployment files of ${entityRef} cannot be read at ${deploymentTarget}: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
      if (result.status === 'ok') {
        files = result.files;
      }
    }
    const definition = engine.getDefinition();
    return computeRemediation({
      entity,
      files,
      facts,
      deploymentTarget,
      checks: definition.checks,
      ...(this.options.operators ? { operators: this.options.operators } : {}),
      now: this.options.now?.() ?? new Date(),
    });
  }
}
