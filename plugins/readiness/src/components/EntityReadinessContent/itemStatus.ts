import { ChecklistItemStatus } from '@prodready/plugin-readiness-common';

/** The words of each checklist item status. */
export const ITEM_STATUS_LABELS: Record<ChecklistItemStatus, string> = {
  open: 'Open',
  done: 'Done',
  'not-applicable': 'Waived',
};

/** How an item is satisfied, in words. */
export const ITEM_KIND_LABELS: Record<string, string> = {
  manual: 'Attested by a person',
  automatic: 'Verified by checks',
  both: 'Checks and attestation',
};
