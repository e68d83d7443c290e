/*
 * The JSON bodies of the initiative, roll-up and waiver-request endpoints of
 * the readiness REST API, shared by the backend router and the frontend
 * client. They mirror the schemas of the backend's src/schema/openapi.yaml.
 */

import type { InitiativeDefinition, InitiativePhase } from '../initiatives';
import type { OverviewLevelCount } from './types';

/**
 * Whether an entity meets an initiative's goal: `met`, `not-met`, or
 * `exempt` (every missing part is waived).
 *
 * @public
 */
export type InitiativeEntityState = 'met' | 'not-met' | 'exempt';

/**
 * One thing an entity lacks to meet an initiative.
 *
 * @public
 */
export interface InitiativeShortfall {
  /** A check that fails, a level not reached, or a checklist item open. */
  type: 'check' | 'level' | 'checklist-item';
  /** The check id, level id, or `<checklistId>/<itemId>`. */
  id: string;
  title: string;
  /** Why, for example the check's message. */
  message?: string;
  /** For a checklist item: its phase. */
  phaseId?: string;
}

/**
 * How many entities in scope meet an initiative.
 *
 * @public
 */
export interface InitiativeProgress {
  total: number;
  met: number;
  notMet: number;
  exempt: number;
  /** `(met + exempt) / total`, 0-100, one decimal; 100 when total is 0. */
  percent: number;
}

/**
 * An initiative with its progress.
 *
 * @public
 */
export interface Initiative extends InitiativeDefinition {
  /** `config` (app-config or a YAML file; read-only) or `api`. */
  source: 'config' | 'api';
  /** Row version for optimistic concurrency; config initiatives have 0. */
  version: number;
  phase: InitiativePhase;
  /** Whole days to the deadline; 0 on the deadline day, negative after. */
  daysLeft: number;
  progress: InitiativeProgress;
  /** When progress was last computed, ISO-8601. */
  computedAt?: string;
}

/**
 * `GET /initiatives`.
 *
 * @public
 */
export interface InitiativeList {
  items: Initiative[];
}

/**
 * One day of an initiative's burn-up.
 *
 * @public
 */
export interface InitiativeBurnUpPoint {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  met: number;
  exempt: number;
  /** Entities in scope that day. */
  total: number;
  /**
   * The ideal line: a straight line from the met count on the start day to
   * every entity on the deadline.
   */
  ideal: number;
}

/**
 * `GET /initiatives/{id}`: an initiative with its burn-up, one point per
 * day from its start to today (or its deadline).
 *
 * @public
 */
export interface InitiativeDetail extends Initiative {
  burnUp: InitiativeBurnUpPoint[];
}

/**
 * An entity in the scope of an initiative.
 *
 * @public
 */
export interface InitiativeEntity {
  entityRef: string;
  owner: string | null;
  state: InitiativeEntityState;
  /** What the entity lacks; empty when met. */
  missing: InitiativeShortfall[];
  /** What is waived, for an exempt entity. */
  waived: InitiativeShortfall[];
  level: string | null;
  score: number;
}

/**
 * `GET /initiatives/{id}/entities`: a page of the entities in scope.
 *
 * @public
 */
export interface InitiativeEntityPage {
  items: InitiativeEntity[];
  totalCount: number;
  nextCursor?: string;
}

/**
 * An initiative that includes an entity, with what is left for it.
 *
 * @public
 */
export interface EntityInitiative {
  initiative: Pick<
    Initiative,
    | 'id'
    | 'title'
    | 'owner'
    | 'startDate'
    | 'deadline'
    | 'phase'
    | 'daysLeft'
    | 'goal'
  >;
  state: InitiativeEntityState;
  missing: InitiativeShortfall[];
  waived: InitiativeShortfall[];
}

/**
 * `GET /initiatives/by-entity/{kind}/{namespace}/{name}`.
 *
 * @public
 */
export interface EntityInitiatives {
  entityRef: string;
  items: EntityInitiative[];
}

/**
 * `POST /initiatives` and `PUT /initiatives/{id}` (with `expectedVersion`).
 *
 * @public
 */
export interface InitiativeWriteRequest extends InitiativeDefinition {
  /** For `PUT`: the version read. */
  expectedVersion?: number;
}

/**
 * One change to an initiative.
 *
 * @public
 */
export interface InitiativeAuditEntry {
  id: string;
  initiativeId: string;
  action: 'created' | 'updated' | 'deleted';
  /** Entity ref of the user. */
  who: string;
  /** ISO-8601. */
  when: string;
  before: InitiativeDefinition | null;
  after: InitiativeDefinition | null;
}

/**
 * `GET /initiatives/{id}/audit`, newest first.
 *
 * @public
 */
export interface InitiativeAuditPage {
  entries: InitiativeAuditEntry[];
  nextCursor?: string;
}

/**
 * Scores of a set of services: a group alone, or with its sub-groups.
 *
 * @public
 */
export interface RollupFigures {
  services: number;
  averageScore: number | null;
  /** Ordered by level rank, highest first. */
  levels: OverviewLevelCount[];
}

/**
 * A group in a roll-up.
 *
 * @public
 */
export interface RollupGroup {
  /** The group's entity ref. */
  group: string;
  /** `spec.profile.displayName` or `metadata.title`, when set. */
  title?: string;
  /** Services the group owns itself. */
  direct: RollupFigures;
  /** Services of the group and of every group under it, at every depth. */
  total: RollupFigures;
  /** How many groups are under it, at every depth. */
  descendants: number;
}

/**
 * `GET /rollups/{kind}/{namespace}/{name}`: a group's readiness with its
 * sub-groups, the initiatives due for its services, and its worst services.
 *
 * @public
 */
export interface GroupRollup extends RollupGroup {
  /** Its direct sub-groups, each with its own subtree's figures. */
  children: RollupGroup[];
  /** Initiatives in force with services of this subtree not yet met. */
  initiativesDue: Array<{
    id: string;
    title: string;
    deadline: string;
    daysLeft: number;
    /** Services of this subtree in scope, and how many are not met. */
    inScope: number;
    notMet: number;
  }>;
  /** The lowest-scoring services of the subtree, at most 5. */
  worstServices: Array<{
    entityRef: string;
    owner: string | null;
    level: string | null;
    score: number;
  }>;
}

/**
 * The state of a waiver request.
 *
 * @public
 */
export type WaiverRequestStatus =
  | 'pending'
  | 'approved'
  | 'denied'
  | 'revoked'
  | 'withdrawn';

/**
 * A request to waive a checklist item (mark it not applicable) that an admin
 * must approve.
 *
 * @public
 */
export interface WaiverRequest {
  id: string;
  entityRef: string;
  phaseId: string;
  checklistId: string;
  itemId: string;
  justification: string;
  /** ISO-8601: when the waiver would expire. */
  expiresAt: string;
  /** Entity ref of the user. */
  requestedBy: string;
  /** ISO-8601. */
  requestedAt: string;
  status: WaiverRequestStatus;
  decidedBy?: string;
  decidedAt?: string;
  /** The approver's reason. */
  reason?: string;
  /** The initiatives whose rule required the approval. */
  initiatives?: string[];
}

/**
 * `POST /waivers/{kind}/{namespace}/{name}/{phaseId}/items/{itemId}`.
 *
 * @public
 */
export interface WaiverRequestInput {
  justification: string;
  /** ISO-8601; at most `readiness.checklists.waiverExpiresAfter` away. */
  expiresAt?: string;
}

/**
 * `POST /waivers/{id}/decision`.
 *
 * @public
 */
export interface WaiverDecisionInput {
  decision: 'approve' | 'deny' | 'revoke';
  reason: string;
}

/**
 * `GET /waivers`: waiver requests, newest first.
 *
 * @public
 */
export interface WaiverRequestList {
  items: WaiverRequest[];
}
