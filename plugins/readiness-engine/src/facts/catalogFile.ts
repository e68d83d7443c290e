import fs from 'fs';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_ORIGIN_LOCATION,
  Entity,
} from '@backstage/catalog-model';

/**
 * Reads the entities of a catalog file (such as a repository's
 * `catalog-info.yaml`) from disk, annotated the way the catalog annotates
 * entities read from a `file` location
 * (`backstage.io/managed-by-location: file:<absolute path>`), so that the
 * deployment collector finds the
 * service's manifests relative to it. Relations are not derived: the
 * collectors read `spec`. A document that does not parse throws, naming the
 * file and the line.
 *
 * @public
 */
export function readCatalogFile(filePath: string): Entity[] {
  const absolute = path.resolve(filePath);
  const text = fs.readFileSync(absolute, 'utf8');
  return parseAllDocuments(text)
    .map(document => {
      const error = document.errors[0];
      if (error) {
        const line = error.linePos?.[0].line;
        throw new Error(
          `${absolute}${line ? `:${line}` : ''} is not valid YAML: ${
            error.message.split('\n')[0]
          }`,
        );
      }
      return document.toJS() as Entity | null;
    })
    .filter((entity): entity is Entity => !!entity && !!entity.kind)
    .map(entity => ({
      ...entity,
      metadata: {
        ...entity.metadata,
        namespace: entity.metadata?.namespace ?? 'default',
        annotations: {
          ...entity.metadata?.annotations,
          [ANNOTATION_LOCATION]: `file:${absolute}`,
          [ANNOTATION_ORIGIN_LOCATION]: `file:${absolute}`,
        },
      },
    }));
}
