import { parseDuration } from '../parsers';
import type { ChecklistItemDefinition } from '../phases/types';

/**
 * The status of a checklist item for one entity.
 *
 * @public
 */
export type ChecklistItemStatus = 'open' | 'done' | 'not-applicable';

/**
 * All checklist item statuses.
 *
 * @public
 */
export const CHECKLIST_ITEM_STATUSES: ReadonlyArray<ChecklistItemStatus> = [
  'open',
  'done',
  'not-applicable',
];

/**
 * The state of one checklist item for one entity.
 *
 * @public
 */
export interface ChecklistItemState {
  /** Canonical entity ref. */
  entityRef: string;
  phaseId: string;
  checklistId: string;
  itemId: string;
  status: ChecklistItemStatus;
  /** Entity ref of the user who attested the item. */
  attestedBy?: string;
  /** ISO-8601 timestamp of the attestation. */
  attestedAt?: string;
  /** An http(s) link to the evidence. */
  evidenceUrl?: string;
  note?: string;
  /** Why the item does not apply, for a waiver (`not-applicable`). */
  justification?: string;
  /**
   * ISO-8601 timestamp after which the attestation or waiver must be
   * renewed.
   */
  expiresAt?: string;
  /**
   * Row version, incremented on every change. An update must name the
   * version it was based on; a stale version is a conflict (HTTP 409).
   */
  version: number;
}

/**
 * The attested part of a checklist item state, as recorded in the audit
 * trail.
 *
 * @public
 */
export type ChecklistItemSnapshot = Pick<
  ChecklistItemState,
  | 'status'
  | 'attestedBy'
  | 'attestedAt'
  | 'evidenceUrl'
  | 'note'
  | 'justification'
  | 'expiresAt'
  | 'version'
>;

/**
 * A request to change a checklist item.
 *
 * @public
 */
export interface ChecklistItemUpdate {
  status: ChecklistItemStatus;
  evidenceUrl?: string;
  note?: string;
  /** The version the change is based on (0 for an item never changed). */
  expectedVersion: number;
}

/**
 * One change to a checklist item: who, when, before, after and evidence.
 *
 * @public
 */
export interface AuditEntry {
  id?: string;
  entityRef: string;
  phaseId: string;
  checklistId: string;
  itemId: string;
  /** Entity ref of the user or service principal that made the change. */
  who: string;
  /** ISO-8601 timestamp. */
  when: string;
  /** The state before the change, or `null` for the first change. */
  before: ChecklistItemSnapshot | null;
  after: ChecklistItemSnapshot;
  /** The evidence link given with the change. */
  evidence?: string;
  /**
   * For a step of a waiver request. A step that changes nothing (a request,
   * a denial, a withdrawal) has the same state before and after.
   */
  event?: ChecklistAuditEvent;
  /** The waiver request of the step. */
  waiverRequestId?: string;
  /** The request's justification, or the decision's reason. */
  reason?: string;
}

/**
 * A step of a waiver request, in the checklist audit trail.
 *
 * @public
 */
export type ChecklistAuditEvent =
  | 'waiver-requested'
  | 'waiver-approved'
  | 'waiver-denied'
  | 'waiver-revoked'
  | 'waiver-withdrawn';

/**
 * When an attestation of the item made at `attestedAt` expires, as an
 * ISO-8601 timestamp, or `undefined` if the item does not expire (or its
 * `expiresAfter` or `attestedAt` is invalid).
 *
 * @public
 */
export function computeChecklistItemExpiry(
  item: Pick<ChecklistItemDefinition, 'expiresAfter'>,
  attestedAt: Date | string,
): string | undefined {
  if (!item.expiresAfter) {
    return undefined;
  }
  const duration = parseDuration(item.expiresAfter);
  const start = new Date(attestedAt).getTime();
  if (!duration.ok || !Number.isFinite(start)) {
    return undefined;
  }
  const expiry = new Date(start + duration.value);
  return Number.isFinite(expiry.getTime()) ? expiry.toISOString() : undefined;
}

/**
 * Whether an item's attestation (`done`) or waiver (`not-applicable`) has
 * expired at `now`.
 *
 * @public
 */
export function isChecklistItemExpired(
  state: Pick<ChecklistItemState, 'status' | 'expiresAt'>,
  now: Date = new Date(),
): boolean {
  if (state.status === 'open' || !state.expiresAt) {
    return false;
  }
  const expiresAt = new Date(state.expiresAt).getTime();
  return Number.isFinite(expiresAt) && expiresAt <= now.getTime();
}

/**
 * The status to show for an item at `now`: an expired attestation (`done`)
 * or waiver (`not-applicable`) is `open` again.
 *
 * @public
 */
export function getEffectiveChecklistItemStatus(
  state: Pick<ChecklistItemState, 'status' | 'expiresAt'>,
  now: Date = new Date(),
): ChecklistItemStatus {
  return isChecklistItemExpired(state, now) ? 'open' : state.status;
}
