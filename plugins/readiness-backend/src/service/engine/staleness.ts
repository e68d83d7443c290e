import type { StoredFacts } from '../../database';

/**
 * Why the facts of one collector are stale, in one sentence, for
 * `Scorecard.staleReason`.
 */
export function describeStaleCollector(
  collectorId: string,
  error: string,
  previousCollectedAt?: Date,
): string {
  const kept = previousCollectedAt
    ? `the facts collected at ${previousCollectedAt.toISOString()} are used`
    : 'there are no earlier facts, so the checks that need them could not be evaluated';
  return `The '${collectorId}' fact collector failed: ${error}; ${kept}.`;
}

/**
 * Why a stored scorecard is stale, from the stored facts of its entity
 * (`ReadinessStore.getFacts`): one sentence per stale collector, or
 * `undefined` when no facts are stale. Lets readers of stored scorecards
 * give the same reason as the evaluation did.
 */
export function describeStaleFacts(
  facts: ReadonlyMap<string, StoredFacts>,
): string | undefined {
  const reasons = [...facts.entries()]
    .filter(([, stored]) => stored.stale)
    .sort(([a], [b]) => (a < b ? -1 : Number(a > b)))
    .map(([collectorId, stored]) =>
      describeStaleCollector(
        collectorId,
        stored.error ?? 'unknown error',
        stored.collectedAt,
      ),
    );
  return reasons.length > 0 ? reasons.join(' ') : undefined;
}
