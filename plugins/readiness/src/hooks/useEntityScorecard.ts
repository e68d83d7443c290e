import { stringifyEntityRef } from '@backstage/catalog-model';
import { useApi } from '@backstage/core-plugin-api';
import { useEntity } from '@backstage/plugin-catalog-react';
import { usePermission } from '@backstage/plugin-permission-react';
import {
  EntityScorecard,
  readinessRefreshPermission,
} from '@prodready/plugin-readiness-common';
import { useCallback, useEffect, useState } from 'react';
import useAsyncRetry from 'react-use/esm/useAsyncRetry';
import { readinessApiRef } from '../api';
import { statusCodeOf } from '../components/common/errors';
import { useEntitySignal } from './useReadinessSignals';

/** What {@link useEntityScorecard} returns. */
export interface EntityScorecardState {
  entityRef: string;
  loading: boolean;
  /** Why the scorecard could not be loaded (not a 404: see `notEvaluated`). */
  error?: Error;
  /** The entity has not been evaluated yet (HTTP 404). */
  notEvaluated: boolean;
  scorecard?: EntityScorecard;
  /** Whether the user may re-evaluate the entity. */
  canRefresh: boolean;
  refreshing: boolean;
  refreshError?: Error;
  /** Re-evaluates the entity now and shows the fresh scorecard. */
  refresh: () => Promise<void>;
  retry: () => void;
  /** How many times the backend signalled a re-evaluation of the entity. */
  signalled: number;
}

/** The scorecard of the current entity, and its on-demand refresh. */
export function useEntityScorecard(): EntityScorecardState {
  const { entity } = useEntity();
  const entityRef = stringifyEntityRef(entity);
  const api = useApi(readinessApiRef);
  const { allowed: canRefresh } = usePermission({
    permission: readinessRefreshPermission,
    resourceRef: entityRef,
  });
  // Re-fetched when the backend signals that the entity was re-evaluated.
  const signalled = useEntitySignal(entityRef);
  const fetched = useAsyncRetry(
    () => api.getScorecard(entityRef),
    [api, entityRef, signalled],
  );
  const [fresh, setFresh] = useState<EntityScorecard>();
  const [refreshing, setRefreshing] = useState(false);
  const [refreshError, setRefreshError] = useState<Error>();

  useEffect(() => setFresh(undefined), [entityRef, signalled]);
  // While a signal re-fetches, the scorecard of this entity stays shown.
  const shown =
    fetched.value &&
    fetched.value.entityRef.toLocaleLowerCase('en-US') ===
      entityRef.toLocaleLowerCase('en-US')
      ? fetched.value
      : undefined;

  const refresh = useCallback(async () => {
    setRefreshing(true);
    setRefreshError(undefined);
    try {
      setFresh(await api.refresh(entityRef));
    } catch (e) {
      setRefreshError(e as Error);
    } finally {
      setRefreshing(false);
    }
  }, [api, entityRef]);

  const notFound = statusCodeOf(fetched.error) === 404;
  return {
    entityRef,
    loading: fetched.loading && !fresh && !shown,
    error: fresh || notFound ? undefined : fetched.error,
    notEvaluated: notFound && !fresh,
    scorecard: fresh ?? (fetched.loading ? shown : fetched.value),
    signalled,
    canRefresh,
    refreshing,
    refreshError,
    refresh,
    retry: fetched.retry,
  };
}
