import type {
  AuditEntry,
  ChecklistAuditEvent,
  ChecklistItemState,
  ChecklistItemStatus,
} from '@prodready/plugin-readiness-common';

/*
 * Entity refs are keys of the store, kept in lower case like the readiness
 * store's.
 */

/** A validated change to one checklist item of one entity. */
export interface ChecklistItemWrite {
  entityRef: string;
  phaseId: string;
  checklistId: string;
  itemId: string;
  status: ChecklistItemStatus;
  evidenceUrl?: string;
  note?: string;
  justification?: string;
  /** ISO-8601 timestamp. */
  expiresAt?: string;
  /** Entity ref of the user (or subject of the service) making the change. */
  actor: string;
  at: Date;
  /** The version the change is based on; 0 for an item never changed. */
  expectedVersion: number;
  /** For a step of a waiver request: which, of which request, and why. */
  waiver?: ChecklistWaiverStep;
}

/** A step of a waiver request, as the audit trail records it. */
export interface ChecklistWaiverStep {
  event: ChecklistAuditEvent;
  requestId: string;
  /** The request's justification, or the decision's reason. */
  reason?: string;
}

/** The outcome of {@link ChecklistStore.updateItem}. */
export type ChecklistWriteOutcome =
  | { ok: true; state: ChecklistItemState; audit: AuditEntry }
  | {
      ok: false;
      /** The current state; version 0 when the item was never changed. */
      current: ChecklistItemState;
    };

/** A request for a page of the audit trail. */
export interface ChecklistAuditQuery {
  entityRef: string;
  phaseId?: string;
  itemId?: string;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** A page of the audit trail, newest first. */
export interface ChecklistAuditResult {
  entries: AuditEntry[];
  nextCursor?: string;
}

/**
 * The persistence of checklist item states (one row per entity and item,
 * with a version) and of the append-only audit trail.
 */
export interface ChecklistStore {
  /** The stored states of an entity's items (items never changed are absent). */
  getItems(entityRef: string): Promise<ChecklistItemState[]>;

  /** The stored states of several entities' items, by entity ref. */
  getItemsOfEntities(
    entityRefs: string[],
  ): Promise<Map<string, ChecklistItemState[]>>;

  /** The stored state of one item, or `undefined` if never changed. */
  getItem(
    entityRef: string,
    phaseId: string,
    itemId: string,
  ): Promise<ChecklistItemState | undefined>;

  /**
   * Writes the item and appends the change to the audit trail in one
   * transaction, if the stored version is still `expectedVersion`;
   * otherwise writes nothing and returns the current state.
   */
  updateItem(write: ChecklistItemWrite): Promise<ChecklistWriteOutcome>;

  /** A page of the audit trail of an entity, newest first. */
  listAudit(query: ChecklistAuditQuery): Promise<ChecklistAuditResult>;

  /**
   * A page of the items of every entity whose attestation or waiver expires
   * at or after `from` and before `to` (open items are left out), ordered by
   * entity ref, phase and item.
   */
  listExpiringItems(query: ExpiringItemsQuery): Promise<ExpiringItemsPage>;
}

/** A request for a page of {@link ChecklistStore.listExpiringItems}. */
export interface ExpiringItemsQuery {
  from: Date;
  to: Date;
  limit: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/** A page of items that expire, with their expiry. */
export interface ExpiringItemsPage {
  items: Array<ChecklistItemState & { expiresAt: string }>;
  nextCursor?: string;
}
