import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type { EntityEvaluation } from '../../database';
import {
  CheckDefinition,
  CheckResultStatus,
  LevelDefinition,
  Scorecard,
} from '@prodready/plugin-readiness-common';

/** The scorecard definition in force: its checks and levels. */
export interface ScorecardDefinition {
  id: string;
  title: string;
  checks: CheckDefinition[];
  levels: LevelDefinition[];
}

/** Progress of the evaluation, for a status indication in the UI. */
export interface EngineStatus {
  /** Whether a cycle is running in this backend instance. */
  running: boolean;
  /** Entities evaluated / to evaluate in the running (or last) cycle. */
  progress: { done: number; total: number; skipped: number; failed: number };
  lastCycleStartedAt?: string;
  lastCycleFinishedAt?: string;
  lastCycleError?: string;
}

/** What one evaluation cycle did. */
export interface CycleSummary {
  total: number;
  evaluated: number;
  /** Entities whose facts had not changed since their last evaluation. */
  skipped: number;
  failed: number;
  /** Entities removed from the catalog whose results were deleted. */
  removed: number;
  durationMs: number;
}

/** What was stored of an entity just before a batch replaced it. */
export interface PreviousEvaluation {
  /** The level reached, `null` if none. */
  level: string | null;
  /** The rank of that level, `0` if none. */
  levelRank: number;
  /** Check id to status. */
  statuses: ReadonlyMap<string, CheckResultStatus>;
}

/** What a listener is told with a batch of evaluations. */
export interface EvaluatedBatch {
  /**
   * The stored state before the batch, by lower-case entity ref, read in
   * bulk for the batch before it was saved. An entity evaluated for the
   * first time is absent.
   */
  previous: ReadonlyMap<string, PreviousEvaluation>;
}

/**
 * Told what the engine wrote: for notifications, events, signals and
 * initiative progress. A listener that throws is logged; it never fails an
 * evaluation or a cycle.
 */
export interface ReadinessEvaluationListener {
  /** After a batch of evaluations was saved (a cycle's batch, or a refresh). */
  onEvaluated?(
    evaluations: ReadonlyArray<EntityEvaluation>,
    batch: EvaluatedBatch,
  ): Promise<void>;
  /** After a complete cycle over the catalog. */
  onCycleFinished?(summary: CycleSummary): Promise<void>;
}

/**
 * The readiness engine: collects facts, evaluates the compiled checks and
 * stores scorecards. The router depends on this interface only.
 */
export interface ReadinessEngine {
  /** The scorecard definition in force. */
  getDefinition(): ScorecardDefinition;
  /**
   * Evaluates one entity now, whether or not its facts changed, and returns
   * its scorecard. Throws `NotFoundError` when the catalog has no such
   * entity (as seen with the given credentials).
   */
  refresh(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<Scorecard>;
  /** Runs one evaluation cycle over the catalog (the scheduled task). */
  runCycle(): Promise<CycleSummary>;
  /** The progress of this instance's evaluation. */
  getStatus(): EngineStatus;
  /** Adds a listener of what the engine writes. */
  addListener(listener: ReadinessEvaluationListener): void;
}
