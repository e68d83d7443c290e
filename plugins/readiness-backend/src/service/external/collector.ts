import {
  EXTERNAL_RESULTS_FACT_ID,
  JsonObject,
} from '@prodready/plugin-readiness-common';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import type { DatabaseExternalResultStore } from '../../database/DatabaseExternalResultStore';

/**
 * The `external` facts: the results pipelines pushed for external checks
 * (`source: external`). Each result is marked `expired` once past its TTL,
 * so that the facts change when a result expires and the entity is
 * evaluated again (the engine skips entities whose facts did not change).
 * It applies only while some check in force is external, so that a cycle
 * without external checks does not read the table once per entity.
 */
export function createExternalResultsCollector(options: {
  store: Pick<DatabaseExternalResultStore, 'list'>;
  /** Whether some check in force is declared `source: external`. */
  hasExternalChecks: () => boolean;
  now?: () => Date;
}): FactCollector {
  const now = options.now ?? (() => new Date());
  return {
    id: EXTERNAL_RESULTS_FACT_ID,
    version: 1,
    appliesTo() {
      return options.hasExternalChecks();
    },
    async collect({ entity }) {
      const ref = `${entity.kind}:${entity.metadata.namespace ?? 'default'}/${
        entity.metadata.name
      }`;
      const results = await options.store.list(ref);
      const at = now().getTime();
      const document: Record<string, JsonObject> = {};
      for (const [checkId, result] of Object.entries(results)) {
        document[checkId] = {
          ...result,
          expired: Date.parse(result.expiresAt) <= at,
        } as unknown as JsonObject;
      }
      return { results: document };
    },
  };
}
