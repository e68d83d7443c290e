import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import { useApi } from '@backstage/core-plugin-api';
import { catalogApiRef, useEntity } from '@backstage/plugin-catalog-react';
import {
  EffectiveServiceLevels,
  resolveServiceLevels,
} from '@prodready/plugin-readiness-common';
import { useMemo } from 'react';
import useAsync from 'react-use/esm/useAsync';

/**
 * The status item type of catalog processing errors (the value of
 * `ENTITY_STATUS_CATALOG_PROCESSING_TYPE` in `@backstage/catalog-client`).
 */
const CATALOG_PROCESSING_STATUS_TYPE = 'backstage.io/catalog-processing';

/** A catalog processing error of the entity, in plain words. */
export interface CatalogProcessingError {
  message: string;
}

/** What {@link useServiceLevels} returns. */
export interface ServiceLevelsState {
  /** Whether the referenced SLA and DR plan entities are being fetched. */
  loading: boolean;
  /** Why fetching the referenced entities failed. */
  error?: Error;
  /** The effective service levels, once the references are resolved. */
  levels?: EffectiveServiceLevels;
  /** The catalog processing errors in the entity's status. */
  processingErrors: CatalogProcessingError[];
}

function catalogProcessingErrors(entity: Entity): CatalogProcessingError[] {
  const items = (entity as AlphaEntity).status?.items ?? [];
  return items
    .filter(item => item.type === CATALOG_PROCESSING_STATUS_TYPE)
    .map(item => ({ message: item.error?.message || item.message }));
}

/**
 * Reads the current entity, fetches the SLA and DR plan entities it refers to
 * and resolves its effective service levels.
 */
export function useServiceLevels(now: Date): ServiceLevelsState {
  const { entity } = useEntity();
  const catalogApi = useApi(catalogApiRef);

  // The references only depend on the entity; the plans are not needed.
  const { slaRef, drPlanRef } = useMemo(
    () => resolveServiceLevels(entity, { now }),
    [entity, now],
  );

  const fetched = useAsync(async () => {
    const [sla, drPlan] = await Promise.all([
      slaRef ? catalogApi.getEntityByRef(slaRef) : undefined,
      drPlanRef ? catalogApi.getEntityByRef(drPlanRef) : undefined,
    ]);
    return { sla, drPlan };
  }, [catalogApi, slaRef, drPlanRef]);

  const levels = useMemo(
    () =>
      fetched.value
        ? resolveServiceLevels(entity, {
            sla: fetched.value.sla,
            drPlan: fetched.value.drPlan,
            now,
          })
        : undefined,
    [entity, fetched.value, now],
  );

  const processingErrors = useMemo(
    () => catalogProcessingErrors(entity),
    [entity],
  );

  return {
    loading: fetched.loading,
    error: fetched.error,
    levels: fetched.loading || fetched.error ? undefined : levels,
    processingErrors,
  };
}
