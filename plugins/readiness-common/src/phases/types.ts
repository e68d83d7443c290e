import type { ReadinessAreaId } from '../areas';
import type { ReadinessApplicability } from '../types/applicability';

/**
 * How a checklist item is satisfied:
 * `manual` by a person's attestation with evidence, `automatic` by checks,
 * `both` by an attestation backed by checks.
 *
 * @public
 */
export type ChecklistItemKind = 'manual' | 'automatic' | 'both';

/**
 * All checklist item kinds.
 *
 * @public
 */
export const CHECKLIST_ITEM_KINDS: ReadonlyArray<ChecklistItemKind> = [
  'manual',
  'automatic',
  'both',
];

/**
 * One item of a checklist.
 *
 * @public
 */
export interface ChecklistItemDefinition {
  /** Stable slug, unique within the phase, such as `backup-dr-tested`. */
  id: string;
  /** The item text, as written in the programme. */
  text: string;
  kind: ChecklistItemKind;
  /** Ids of the checks an `automatic` or `both` item is bound to. */
  checks?: string[];
  /** How long an attestation stays valid, a duration such as `365d`. */
  expiresAfter?: string;
  /** The step number, for checklists whose items are ordered steps. */
  ordered?: number;
  /** The readiness area the item belongs to. */
  area?: ReadinessAreaId;
  /** Extra guidance shown with the item. */
  description?: string;
}

/**
 * A checklist within a phase.
 *
 * @public
 */
export interface ChecklistDefinition {
  /** Stable slug, unique within the phase, such as `pre-deployment`. */
  id: string;
  title: string;
  description?: string;
  /**
   * Whether the items are steps to follow in order. Their `ordered` step
   * numbers are then 1 to N in list order.
   */
  ordered?: boolean;
  items: ChecklistItemDefinition[];
}

/**
 * Which entities a phase applies to.
 *
 * @public
 */
export type PhaseApplicability = ReadinessApplicability;

/**
 * A phase of the readiness programme, such as Phase 4 "Deployment & Scaling".
 * Phases are data: organisations add their own in YAML.
 *
 * @public
 */
export interface PhaseDefinition {
  /** Stable slug, such as `phase-4`. */
  id: string;
  title: string;
  description?: string;
  /** Sort order among phases. */
  order?: number;
  /** Which entities the phase applies to; all when absent. */
  applicability?: PhaseApplicability;
  checklists: ChecklistDefinition[];
}
