import { stringifyEntityRef } from '@backstage/catalog-model';
import {
  JsonObject,
  PhaseDefinition,
  getApplicabilitySubject,
  getEffectiveChecklistItemStatus,
} from '@prodready/plugin-readiness-common';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import type { ChecklistStore } from './ChecklistStore';
import { applicablePhases } from './evaluate';

/** Id of the checklists fact collector: rules read `checklists.<path>`. */
export const CHECKLISTS_FACT_COLLECTOR_ID = 'checklists';

/**
 * The attested state of an entity's checklists, per phase that applies:
 *
 * ```json
 * { "phases": { "phase-4": {
 *     "attested": 3, "waived": 1, "open": 25, "total": 29, "complete": false,
 *     "items": { "backup-dr-tested": "done", "cdn-static-assets": "not-applicable", … } } } }
 * ```
 *
 * Statuses are the stored ones with expiry applied (an expired attestation
 * or waiver is `open`), not the checks of automatic items: the checks are
 * evaluated on these facts, so they cannot depend on them.
 */
export function createChecklistFactCollector(options: {
  store: Pick<ChecklistStore, 'getItems'>;
  /** The phases in force. */
  getPhases: () => ReadonlyArray<PhaseDefinition>;
  /** The clock; for tests. */
  now?: () => Date;
}): FactCollector {
  const now = options.now ?? (() => new Date());
  return {
    id: CHECKLISTS_FACT_COLLECTOR_ID,
    version: 1,
    async collect({ entity }) {
      const entityRef = stringifyEntityRef(entity).toLocaleLowerCase('en-US');
      const phases = applicablePhases(
        options.getPhases(),
        getApplicabilitySubject(entity),
      );
      const states =
        phases.length > 0 ? await options.store.getItems(entityRef) : [];
      const at = now();
      const result: JsonObject = {};
      for (const phase of phases) {
        const items: JsonObject = {};
        let attested = 0;
        let waived = 0;
        for (const checklist of phase.checklists) {
          for (const item of checklist.items) {
            const state = states.find(
              s => s.phaseId === phase.id && s.itemId === item.id,
            );
            const status = state
              ? getEffectiveChecklistItemStatus(state, at)
              : 'open';
            items[item.id] = status;
            if (status === 'done') attested += 1;
            if (status === 'not-applicable') waived += 1;
          }
        }
        const total = Object.keys(items).length;
        result[phase.id] = {
          attested,
          waived,
          open: total - attested - waived,
          total,
          complete: attested + waived === total,
          items,
        };
      }
      return { phases: result };
    },
  };
}
