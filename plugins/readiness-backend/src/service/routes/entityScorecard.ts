import { NotFoundError } from '@backstage/errors';
import type { EntityScorecard } from '@prodready/plugin-readiness-common';
import type { ReadinessStore } from '../../database/ReadinessStore';
import { describeStaleFacts } from '../engine/staleness';
import type { ReadinessEngine } from '../engine/types';
import { toEntityScorecard } from './mappers';

/**
 * An entity's stored scorecard as the API shows it (with why it is stale,
 * when it is); NotFoundError before its first evaluation. Shared by the
 * REST route and the `get-scorecard` action.
 */
export async function readEntityScorecard(
  store: Pick<ReadinessStore, 'getScorecard' | 'getFacts'>,
  engine: Pick<ReadinessEngine, 'getDefinition'>,
  entityRef: string,
): Promise<EntityScorecard> {
  const stored = await store.getScorecard(entityRef);
  if (!stored) {
    throw new NotFoundError(`No readiness scorecard for ${entityRef} yet`);
  }
  const staleReason = stored.scores.stale
    ? describeStaleFacts(await store.getFacts(entityRef))
    : undefined;
  return toEntityScorecard(stored, engine.getDefinition(), staleReason);
}
