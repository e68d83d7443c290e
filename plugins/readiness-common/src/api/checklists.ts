/*
 * The JSON bodies of the checklist endpoints of the readiness REST API,
 * shared by the backend router and the frontend client. They mirror the
 * schemas of the backend's src/schema/openapi.yaml.
 */

import type { ChecklistItemDefinition } from '../phases/types';
import type {
  AuditEntry,
  ChecklistItemState,
  ChecklistItemStatus,
} from '../types/checklists';
import type { CheckResultStatus } from '../types/results';
import type { WaiverRequest } from './initiatives';

/**
 * A checklist item, named for lists of blocking or expiring items.
 *
 * @public
 */
export interface ChecklistItemRef {
  phaseId: string;
  checklistId: string;
  itemId: string;
  text: string;
  /** ISO-8601 timestamp when the attestation or waiver expires. */
  expiresAt?: string;
}

/**
 * The progress of a phase or a checklist for one entity.
 *
 * @public
 */
export interface ChecklistProgress {
  /** Items done or waived (not applicable), counting expiry. */
  done: number;
  total: number;
  /** Of the done items, how many are waived (not applicable). */
  notApplicable: number;
  /** Items still open, by id. */
  blocking: ChecklistItemRef[];
  /** Done/waived items whose attestation or waiver expires within 30 days. */
  expiringSoon: ChecklistItemRef[];
}

/**
 * The current result of a check an item is bound to.
 *
 * @public
 */
export interface ChecklistItemCheck {
  checkId: string;
  title: string;
  /** `missing` when the entity has no result for the check (yet). */
  status: CheckResultStatus | 'missing';
  message: string;
}

/**
 * One checklist item of an entity: its definition, stored state and the
 * status that counts.
 *
 * @public
 */
export interface EntityChecklistItem {
  definition: ChecklistItemDefinition;
  /** Stored state; version 0 and status `open` when never changed. */
  state: ChecklistItemState;
  /**
   * What counts: expiry applied; `automatic` = checks pass; `both` = checks
   * pass and attested.
   */
  effectiveStatus: ChecklistItemStatus;
  /** Whether the stored attestation or waiver has expired. */
  expired: boolean;
  /** Whether it expires within 30 days. */
  expiresSoon: boolean;
  /** The bound checks' results; empty for manual items. */
  checks: ChecklistItemCheck[];
  /** Whether every bound check passes; `null` for manual items. */
  checksPassing: boolean | null;
  /** The item's pending waiver request, or else its latest one. */
  waiverRequest?: WaiverRequest;
}

/**
 * A checklist of an entity.
 *
 * @public
 */
export interface EntityChecklist {
  id: string;
  title: string;
  description?: string;
  ordered: boolean;
  progress: ChecklistProgress;
  items: EntityChecklistItem[];
}

/**
 * A phase of an entity.
 *
 * @public
 */
export interface EntityPhase {
  id: string;
  title: string;
  description?: string;
  order?: number;
  progress: ChecklistProgress;
  checklists: EntityChecklist[];
}

/**
 * The checklists of an entity (`GET /checklists/{kind}/{namespace}/{name}`):
 * only the phases that apply to it.
 *
 * @public
 */
export interface EntityChecklists {
  /** Entity ref, in lower case. */
  entityRef: string;
  phases: EntityPhase[];
}

/**
 * The body of `PUT /checklists/{kind}/{namespace}/{name}/{phaseId}/items/{itemId}`.
 * The version read goes in `If-Match: "<version>"` or `expectedVersion`.
 *
 * @public
 */
export interface ChecklistItemUpdateRequest {
  status: ChecklistItemStatus;
  /** An http(s) link; required to mark a manual or both item done. */
  evidenceUrl?: string;
  /** At most 2000 characters. */
  note?: string;
  /** Required to mark an item not applicable (a waiver). */
  justification?: string;
  /**
   * ISO-8601 timestamp in the future; may shorten, never extend, the
   * definition's `expiresAfter`. Waivers default to 90 days.
   */
  expiresAt?: string;
  /** The version read (0 for an item never changed). */
  expectedVersion?: number;
}

/**
 * The body of a 409 answer to an update based on a stale version: the
 * current item, so that the client can show it and retry.
 *
 * @public
 */
export interface ChecklistConflict {
  error: { name: 'ConflictError'; message: string };
  current: EntityChecklistItem;
}

/**
 * A page of the audit trail of an entity, newest first
 * (`GET /checklists/{kind}/{namespace}/{name}/audit`).
 *
 * @public
 */
export interface ChecklistAuditPage {
  entries: AuditEntry[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * A phase in force, without its items (`GET /phases`).
 *
 * @public
 */
export interface PhaseSummary {
  id: string;
  title: string;
  order?: number;
  checklists: Array<{ id: string; title: string; itemCount: number }>;
}

/**
 * The progress of one entity in one phase, on the overview.
 *
 * @public
 */
export interface OverviewPhaseProgress {
  phaseId: string;
  done: number;
  total: number;
}
