import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { parseReadinessAnnotations } from '@prodready/plugin-readiness-common';

/**
 * Validates the `prodready.dev/` annotations of every entity with the shared
 * parsers. Each bad value becomes a processing error that names the entity,
 * the annotation, the value and the expected form.
 *
 * @public
 */
export class ReadinessEntityProcessor implements CatalogProcessor {
  getProcessorName(): string {
    return 'ReadinessEntityProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const { errors } = parseReadinessAnnotations(entity.metadata.annotations);
    if (errors.length > 0) {
      const entityRef = stringifyEntityRef(entity);
      for (const error of errors) {
        emit(processingResult.inputError(location, `${entityRef}: ${error.message}`));
      }
    }
    return entity;
  }
}
