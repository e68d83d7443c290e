import type {
  InitiativeAuditEntry,
  InitiativeDefinition,
  InitiativeEntityState,
  InitiativeShortfall,
} from '@prodready/plugin-readiness-common';
import type {
  BurnUpCounts,
  ChecklistChange,
  CheckTransition,
  LevelSnapshot,
} from './burnUp';

/** An initiative created through the API, as stored. */
export interface StoredInitiative {
  definition: InitiativeDefinition;
  version: number;
  createdBy: string;
  createdAt: Date;
  updatedBy: string;
  updatedAt: Date;
}

/** The outcome of a versioned write. */
export type InitiativeWriteOutcome =
  | { ok: true; initiative: StoredInitiative }
  | { ok: false; current: StoredInitiative | undefined };

/** One entity of an initiative, as stored. */
export interface InitiativeEntityRow {
  /** Lower case. */
  entityRef: string;
  state: InitiativeEntityState;
  missing: InitiativeShortfall[];
  waived: InitiativeShortfall[];
  owner: string | null;
  kind: string;
  type: string | null;
  lifecycle: string | null;
  tier: string | null;
  system: string | null;
  level: string | null;
  score: number;
}

/** When an initiative's progress was computed, and for what definition. */
export interface InitiativeProgressState {
  initiativeId: string;
  definitionHash: string;
  generation: number;
  computedAt: Date;
}

/**
 * The persistence of initiatives: those created through the API with their
 * audit trail, and the computed progress of every initiative (entity rows,
 * burn-up, when computed); plus the bulk reads of the engine's and the
 * checklists' history that the burn-up is rebuilt from.
 */
export interface InitiativeStore {
  listInitiatives(): Promise<StoredInitiative[]>;
  getInitiative(id: string): Promise<StoredInitiative | undefined>;
  /** Creates it; `{ ok: false, current }` when the id is taken. */
  createInitiative(
    definition: InitiativeDefinition,
    options: { actor: string; at: Date },
  ): Promise<InitiativeWriteOutcome>;
  /** Replaces it if its version is still `expectedVersion`. */
  updateInitiative(
    definition: InitiativeDefinition,
    options: { actor: string; at: Date; expectedVersion: number },
  ): Promise<InitiativeWriteOutcome>;
  /**
   * Deletes it, with its progress and burn-up, if its version is still
   * `expectedVersion` (when given).
   */
  deleteInitiative(
    id: string,
    options: { actor: string; at: Date; expectedVersion?: number },
  ): Promise<InitiativeWriteOutcome>;
  /** A page of an initiative's audit trail, newest first. */
  listAudit(query: {
    initiativeId: string;
    limit: number;
    cursor?: string;
  }): Promise<{ entries: InitiativeAuditEntry[]; nextCursor?: string }>;

  /** The progress state of every initiative computed. */
  listProgressStates(): Promise<InitiativeProgressState[]>;
  /** The stored entities of an initiative. */
  getEntities(initiativeId: string): Promise<InitiativeEntityRow[]>;
  /** The stored entities of one entity in every initiative. */
  getEntityInitiatives(
    entityRef: string,
  ): Promise<Array<InitiativeEntityRow & { initiativeId: string }>>;
  /**
   * Writes what changed in an initiative's progress, in one transaction:
   * upserts and deletes entity rows, upserts burn-up points (or replaces
   * them all), and records the state with the next generation.
   */
  writeProgress(write: {
    initiativeId: string;
    definitionHash: string;
    computedAt: Date;
    upserts: InitiativeEntityRow[];
    deletes: string[];
    burnUp: BurnUpCounts[];
    replaceBurnUp: boolean;
  }): Promise<InitiativeProgressState>;
  /** Deletes the progress of initiatives no longer in force. */
  deleteProgress(initiativeIds: string[]): Promise<void>;
  /** The stored burn-up of an initiative, oldest first. */
  getBurnUp(initiativeId: string): Promise<BurnUpCounts[]>;
  /** The latest burn-up point of every initiative, by id. */
  getLatestCounts(): Promise<Map<string, BurnUpCounts>>;

  /**
   * Score snapshots from `sinceDay` on, with the latest one before it, by
   * lower-case entity ref, oldest first.
   */
  readSnapshots(sinceDay: string): Promise<Map<string, LevelSnapshot[]>>;
  /** Check transitions at or after `since`. */
  readTransitions(since: Date): Promise<CheckTransition[]>;
  /** Checklist changes at or after `since`. */
  readChecklistChanges(since: Date): Promise<ChecklistChange[]>;
}
