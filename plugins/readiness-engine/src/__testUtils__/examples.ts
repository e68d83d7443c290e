import path from 'path';
import type { Entity } from '@backstage/catalog-model';
import type { FactCollector } from '../types';
import {
  collectFacts,
  createOfflineFactCollectors,
} from '../facts/collectors/offline';
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

/** The three built-in collectors, over the example entities. */
export function createExampleCollectors(
  entities = loadExampleEntities(),
): FactCollector[] {
  return createOfflineFactCollectors({ entities, now: () => EXAMPLES_NOW });
}

export { collectFacts };
