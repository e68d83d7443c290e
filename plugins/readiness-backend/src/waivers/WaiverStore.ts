import type {
  ChecklistAuditEvent,
  ChecklistItemState,
  WaiverRequest,
  WaiverRequestStatus,
} from '@prodready/plugin-readiness-common';
import type { ChecklistItemWrite } from '../checklists/ChecklistStore';

/*
 * Entity refs are keys of the store, kept in lower case like the checklist
 * store's.
 */

/** A new waiver request, validated. */
export interface NewWaiverRequest {
  entityRef: string;
  phaseId: string;
  checklistId: string;
  itemId: string;
  justification: string;
  /** ISO-8601. */
  expiresAt: string;
  requestedBy: string;
  requestedAt: Date;
  /** The initiatives whose rule required the approval. */
  initiatives: string[];
}

/** A change of a request's status, with what it writes to its item. */
export interface WaiverTransition {
  id: string;
  /** The status the request must still have. */
  from: WaiverRequestStatus;
  to: Exclude<WaiverRequestStatus, 'pending'>;
  event: ChecklistAuditEvent;
  /** Who decides (or withdraws). */
  actor: string;
  at: Date;
  /** The decision's reason. */
  reason?: string;
  /**
   * The change of the item written with it, under the item's version check;
   * without it, the step is recorded in the item's audit trail alone.
   */
  itemWrite?: ChecklistItemWrite;
}

/** The outcome of {@link WaiverStore.transition}. */
export type WaiverTransitionOutcome =
  | { ok: true; request: WaiverRequest; item?: ChecklistItemState }
  /** The request no longer has the `from` status; nothing was written. */
  | { ok: false; reason: 'status'; current: WaiverRequest }
  /** The item changed since its version was read; nothing was written. */
  | { ok: false; reason: 'item-version' };

/** A query of waiver requests. */
export interface WaiverRequestQuery {
  statuses?: WaiverRequestStatus[];
  entityRef?: string;
  limit: number;
  /** Skips this many (newest first). */
  offset?: number;
}

/**
 * The persistence of waiver requests. Each step is written in one
 * transaction with its entry in the checklist audit trail (and, for an
 * approval or a revocation, with the item's change).
 */
export interface WaiverStore {
  /**
   * Adds a pending request; a `ConflictError` when the item already has one
   * (nothing is written).
   */
  create(request: NewWaiverRequest): Promise<WaiverRequest>;

  get(id: string): Promise<WaiverRequest | undefined>;

  /** Requests, newest first. */
  list(query: WaiverRequestQuery): Promise<WaiverRequest[]>;

  /**
   * For each item of the entity that has requests: its pending request, or
   * else its latest one.
   */
  currentOfEntity(entityRef: string): Promise<WaiverRequest[]>;

  /** Changes a request's status if it still has `from`. */
  transition(transition: WaiverTransition): Promise<WaiverTransitionOutcome>;
}
