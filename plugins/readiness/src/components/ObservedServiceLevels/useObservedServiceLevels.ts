import { useApi } from '@backstage/core-plugin-api';
import { useMemo } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../../api';
import { statusCodeOf } from '../common/errors';
import { findObservedDocument, ObservedDocument } from './observed';

/** What {@link useObservedServiceLevels} returns. */
export interface ObservedServiceLevelsState {
  loading: boolean;
  /** Why the facts could not be loaded (not a 404: see `notCollected`). */
  error?: Error;
  /** No facts at all were collected for the entity yet (HTTP 404). */
  notCollected: boolean;
  /**
   * The observed service levels; undefined once loaded when the Prometheus
   * collector stored none (no Prometheus is configured).
   */
  document?: ObservedDocument;
  retry: () => void;
}

/** The `observedServiceLevels` fact document of an entity. */
export function useObservedServiceLevels(
  entityRef: string,
): ObservedServiceLevelsState {
  const api = useApi(readinessApiRef);
  const fetched = useAsyncRetry(
    () => api.getFacts(entityRef),
    [api, entityRef],
  );
  const document = useMemo(
    () => findObservedDocument(fetched.value),
    [fetched.value],
  );
  const notCollected = statusCodeOf(fetched.error) === 404;
  return {
    loading: fetched.loading,
    error: notCollected ? undefined : fetched.error,
    notCollected,
    document: fetched.loading ? undefined : document,
    retry: fetched.retry,
  };
}
