import path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { JsonObject } from '@prodready/plugin-readiness-common';
import type { FactCollector } from '../types';
import { createEntityFactCollector } from '../facts/collectors/entity';
import { createServiceLevelsFactCollector } from '../facts/collectors/serviceLevels';
import {
  createDeploymentFactCollector,
  createFsDeploymentFilesReader,
} from '../facts/collectors/deployment';
import { readCatalogFile } from '../facts/catalogFile';

/** The example catalog of the repository (`examples/`). */
export const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

/** "Today" of the example catalog (see examples/README.md). */
export const EXAMPLES_NOW = new Date('2026-11-26T00:00:00Z');

const EXAMPLE_FILES = ['entities.yaml', 'service-levels.yaml', 'org.yaml'];

/**
 * The entities of the example catalog, annotated as the catalog annotates
 * entities read from `file` locations, without relations.
 */
export function loadExampleEntities(): Entity[] {
  return EXAMPLE_FILES.flatMap(file =>
    readCatalogFile(path.join(EXAMPLES_DIR, file)),
  );
}

/** The Components of type service or website of the example catalog. */
export function exampleServices(entities = loadExampleEntities()): Entity[] {
  return entities.filter(e => e.kind === 'Component');
}

/** The three built-in collectors, over a fake catalog of the example entities. */
export function createExampleCollectors(
  entities = loadExampleEntities(),
): FactCollector[] {
  return [
    createEntityFactCollector(),
    createServiceLevelsFactCollector({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
      now: () => EXAMPLES_NOW,
    }),
    createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      readers: { file: createFsDeploymentFilesReader() },
    }),
  ];
}

/** Collects every fact document of an entity, by collector id. */
export async function collectFacts(
  entity: Entity,
  collectors: ReadonlyArray<FactCollector>,
): Promise<Record<string, JsonObject>> {
  const facts: Record<string, JsonObject> = {};
  for (const collector of collectors) {
    if (!collector.appliesTo || collector.appliesTo(entity)) {
      facts[collector.id] = (await collector.collect({ entity })) as JsonObject;
    }
  }
  return facts;
}
