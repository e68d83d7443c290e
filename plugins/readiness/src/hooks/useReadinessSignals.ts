import { useSignal } from '@backstage/plugin-signals-react';
import {
  READINESS_ENTITY_SIGNAL_CHANNEL,
  READINESS_OVERVIEW_SIGNAL_CHANNEL,
  ReadinessEntitySignal,
  ReadinessOverviewSignal,
} from '@prodready/plugin-readiness-common';
import { useEffect, useState } from 'react';

/**
 * A counter that goes up each time the readiness backend signals that this
 * entity was re-evaluated; use it as a dependency to re-fetch. Stays 0 when
 * the app has no signals API.
 */
export function useEntitySignal(entityRef: string): number {
  const { lastSignal } = useSignal(READINESS_ENTITY_SIGNAL_CHANNEL);
  const [count, setCount] = useState(0);
  const ref = entityRef.toLocaleLowerCase('en-US');
  useEffect(() => {
    const signal = lastSignal as Partial<ReadinessEntitySignal> | null;
    if (
      Array.isArray(signal?.entityRefs) &&
      signal!.entityRefs.some(
        r => typeof r === 'string' && r.toLocaleLowerCase('en-US') === ref,
      )
    ) {
      setCount(c => c + 1);
    }
  }, [lastSignal, ref]);
  return count;
}

/**
 * A counter that goes up each time the readiness backend signals that the
 * overview changed. Stays 0 when the app has no signals API.
 */
export function useOverviewSignal(): number {
  const { lastSignal } = useSignal(READINESS_OVERVIEW_SIGNAL_CHANNEL);
  const [count, setCount] = useState(0);
  useEffect(() => {
    const signal = lastSignal as Partial<ReadinessOverviewSignal> | null;
    if (signal) {
      setCount(c => c + 1);
    }
  }, [lastSignal]);
  return count;
}
