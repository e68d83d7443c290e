import { CompoundEntityRef } from '@backstage/catalog-model';
import { createApiRef } from '@backstage/core-plugin-api';
import {
  CatalogValidationProblems,
  ChecklistAuditPage,
  ChecklistItemUpdateRequest,
  EntityChecklistItem,
  EntityChecklists,
  EntityInitiatives,
  EntityScorecard,
  EntityStoredFacts,
  GroupRollup,
  Initiative,
  InitiativeAuditPage,
  InitiativeDetail,
  InitiativeEntityPage,
  InitiativeEntityState,
  InitiativeList,
  InitiativeWriteRequest,
  OverviewFilter,
  OverviewPage,
  OverviewQuery,
  OverviewSummary,
  PhaseSummary,
  PortfolioTrend,
  ReadinessChecks,
  ReadinessHealth,
  ReadinessStatus,
  RemediationPlan,
  ScorecardHistory,
  ScorecardHistoryOptions,
  ScorecardTrend,
  WaiverDecisionInput,
  WaiverRequest,
  WaiverRequestInput,
  WaiverRequestList,
  WaiverRequestStatus,
} from '@prodready/plugin-readiness-common';

// The response types live in -common, shared with the backend; re-exported
// here so that existing imports from this package keep working.
export type {
  CatalogValidationProblem,
  CatalogValidationProblems,
  ReadinessHealth,
} from '@prodready/plugin-readiness-common';

/**
 * An entity, by ref (`component:default/payments-api`) or by its parts.
 *
 * @public
 */
export type ReadinessEntityRef = string | CompoundEntityRef;

/**
 * Which entities of an initiative to list
 * ({@link ReadinessApi.getInitiativeEntities}).
 *
 * @public
 */
export interface InitiativeEntitiesQuery {
  /** Only the entities in these states. */
  state?: InitiativeEntityState[];
  /** Only the entities of these owners (entity refs). */
  owner?: string[];
  /** Page size. */
  limit?: number;
  /** The `nextCursor` of the previous page. */
  cursor?: string;
}

/**
 * Which waiver requests to list ({@link ReadinessApi.getWaiverRequests}).
 *
 * @public
 */
export interface WaiverRequestsQuery {
  status?: WaiverRequestStatus;
  /** Only the requests of this entity. */
  entityRef?: string;
}

/**
 * Client of the readiness backend. Errors are `ResponseError`s from
 * `@backstage/errors`, with the status code and the backend's message (for
 * example 404 for an entity that was never evaluated, 403 when the
 * permission policy denies).
 *
 * @public
 */
export interface ReadinessApi {
  getHealth(): Promise<ReadinessHealth>;

  /**
   * The entities that the catalog currently fails to process (for example
   * because a `prodready.dev/` annotation is malformed), with their errors,
   * most recently seen first.
   */
  getCatalogProblems(options?: {
    /** Only the problems of this entity, e.g. `component:default/payments`. */
    entityRef?: string;
  }): Promise<CatalogValidationProblems>;

  /** The scorecard definition in force: its levels and checks. */
  getChecks(): Promise<ReadinessChecks>;

  /** The scorecard of an entity, failing results first. */
  getScorecard(entityRef: ReadinessEntityRef): Promise<EntityScorecard>;

  /** The status changes of an entity's checks, newest first. */
  getHistory(
    entityRef: ReadinessEntityRef,
    options?: ScorecardHistoryOptions,
  ): Promise<ScorecardHistory>;

  /** The score of an entity per day over the last `days` days (default 30). */
  getTrend(
    entityRef: ReadinessEntityRef,
    days?: number,
  ): Promise<ScorecardTrend>;

  /** Evaluates an entity now and returns its fresh scorecard. */
  refresh(entityRef: ReadinessEntityRef): Promise<EntityScorecard>;

  /**
   * The patch that makes the entity's failing deployment checks pass,
   * computed from its own deployment files and facts: one fix per check it
   * can fix (with its diff), and why the others get none.
   */
  getRemediation(entityRef: ReadinessEntityRef): Promise<RemediationPlan>;

  /**
   * The facts the collectors stored for an entity, by collector id: what its
   * checks were evaluated on (such as the `observedServiceLevels` document of
   * the Prometheus collector), each with when it was collected and whether
   * the last collection failed (`stale`). A 404 `ResponseError` when no facts
   * were collected for the entity yet.
   */
  getFacts(entityRef: ReadinessEntityRef): Promise<EntityStoredFacts>;

  /** A page of the overview. */
  getOverview(query?: OverviewQuery): Promise<OverviewPage>;

  /** Counts per level and per owner group of the entities that match. */
  getOverviewSummary(filter?: OverviewFilter): Promise<OverviewSummary>;

  /** The portfolio per day over the last `days` days (default 30). */
  getPortfolioTrend(
    filter?: OverviewFilter & { days?: number },
  ): Promise<PortfolioTrend>;

  /**
   * The URL of the overview's CSV export. Fetching it needs the user's
   * credentials; to save the file from a page, prefer
   * {@link ReadinessApi.downloadOverviewCsv}.
   */
  getOverviewCsvUrl(
    query?: OverviewFilter & Pick<OverviewQuery, 'orderBy' | 'order'>,
  ): Promise<string>;

  /** The overview as a CSV file, every page (up to 50,000 rows). */
  downloadOverviewCsv(
    query?: OverviewFilter & Pick<OverviewQuery, 'orderBy' | 'order'>,
  ): Promise<Blob>;

  /** The progress of the evaluation. */
  getStatus(): Promise<ReadinessStatus>;

  /** The phases in force, without their items. */
  getPhases(): Promise<{ phases: PhaseSummary[] }>;

  /** The checklists of an entity: the phases that apply to it. */
  getChecklists(entityRef: ReadinessEntityRef): Promise<EntityChecklists>;

  /**
   * Changes a checklist item (tick, attest with evidence, waive, reopen).
   * Throws a {@link ChecklistConflictError} carrying the current item when
   * someone else changed it since `expectedVersion`.
   */
  updateChecklistItem(
    entityRef: ReadinessEntityRef,
    item: { phaseId: string; itemId: string },
    update: ChecklistItemUpdateRequest,
  ): Promise<EntityChecklistItem>;

  /** A page of the audit trail of an entity's checklists, newest first. */
  getChecklistAudit(
    entityRef: ReadinessEntityRef,
    options?: {
      phaseId?: string;
      itemId?: string;
      limit?: number;
      cursor?: string;
    },
  ): Promise<ChecklistAuditPage>;

  /** The initiatives, with their progress. */
  getInitiatives(): Promise<InitiativeList>;

  /** An initiative with its progress and its burn-up per day. */
  getInitiative(id: string): Promise<InitiativeDetail>;

  /** A page of the entities in the scope of an initiative. */
  getInitiativeEntities(
    id: string,
    query?: InitiativeEntitiesQuery,
  ): Promise<InitiativeEntityPage>;

  /**
   * The URL of the CSV export of an initiative's entities (fetching it needs
   * the user's credentials; prefer
   * {@link ReadinessApi.downloadInitiativeEntitiesCsv} from a page).
   */
  getInitiativeEntitiesCsvUrl(
    id: string,
    query?: Pick<InitiativeEntitiesQuery, 'state' | 'owner'>,
  ): Promise<string>;

  /** The entities of an initiative as a CSV file. */
  downloadInitiativeEntitiesCsv(
    id: string,
    query?: Pick<InitiativeEntitiesQuery, 'state' | 'owner'>,
  ): Promise<Blob>;

  /** The changes to an initiative, newest first. */
  getInitiativeAudit(
    id: string,
    options?: { limit?: number; cursor?: string },
  ): Promise<InitiativeAuditPage>;

  /** The initiatives that include an entity, with what is left for it. */
  getEntityInitiatives(
    entityRef: ReadinessEntityRef,
  ): Promise<EntityInitiatives>;

  /** Creates an initiative (readiness admins). */
  createInitiative(initiative: InitiativeWriteRequest): Promise<Initiative>;

  /** Changes an initiative created through the API (readiness admins). */
  updateInitiative(
    id: string,
    initiative: InitiativeWriteRequest,
  ): Promise<Initiative>;

  /** Deletes an initiative created through the API (readiness admins). */
  deleteInitiative(id: string): Promise<void>;

  /**
   * The readiness of a group and of the groups under it, at every depth: its
   * sub-groups' figures, the initiatives due and its worst services.
   */
  getGroupRollup(groupRef: ReadinessEntityRef): Promise<GroupRollup>;

  /**
   * Asks an admin to waive a checklist item (when the user may not waive it
   * directly).
   */
  requestWaiver(
    entityRef: ReadinessEntityRef,
    item: { phaseId: string; itemId: string },
    request: WaiverRequestInput,
  ): Promise<WaiverRequest>;

  /** Approves, denies or revokes a waiver request (readiness admins). */
  decideWaiver(
    id: string,
    decision: WaiverDecisionInput,
  ): Promise<WaiverRequest>;

  /** Withdraws a pending waiver request (its requester). */
  withdrawWaiver(id: string): Promise<void>;

  /** Waiver requests, newest first. */
  getWaiverRequests(query?: WaiverRequestsQuery): Promise<WaiverRequestList>;
}

/**
 * Thrown by {@link ReadinessApi.updateChecklistItem} when the item changed
 * since the version the update was based on (HTTP 409). `current` is the
 * item as it is now, with the other person's change.
 *
 * @public
 */
export class ChecklistConflictError extends Error {
  readonly name = 'ChecklistConflictError';
  readonly current: EntityChecklistItem;

  constructor(message: string, current: EntityChecklistItem) {
    super(message);
    this.current = current;
  }
}

/**
 * ApiRef of {@link ReadinessApi}.
 *
 * @public
 */
export const readinessApiRef = createApiRef<ReadinessApi>({
  id: 'plugin.readiness.service',
});
