import type {
  AuthService,
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import {
  ConflictError,
  ForwardedError,
  InputError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CheckDefinition,
  JsonObject,
  LevelDefinition,
  Scorecard,
} from '@prodready/plugin-readiness-common';
import type {
  CheckOperator,
  FactCollector,
} from '@prodready/plugin-readiness-node';
import type {
  EntityEvaluation,
  FactsInput,
  ReadinessStore,
  StoredFacts,
} from '../../database';
import {
  BUILT_IN_CHECKS,
  OPTIONAL_FACT_DOCUMENTS,
  BUILT_IN_SCORECARD_ID,
} from '@prodready/plugin-readiness-engine';
import type { CompiledCheck } from '@prodready/plugin-readiness-engine';
import {
  buildScorecard,
  createLimiter,
  evaluateChecks,
} from '@prodready/plugin-readiness-engine';
import { hashJson } from './hash';
import { loadChecks } from './loadChecks';
import { toEntityScores } from './scores';
import { describeStaleCollector } from './staleness';
import type {
  CycleSummary,
  EngineStatus,
  PreviousEvaluation,
  ReadinessEvaluationListener,
  ReadinessEngine,
  ScorecardDefinition,
} from './types';

/** Entities per catalog page. */
const PAGE_SIZE = 500;
/** Evaluations per store write. */
const WRITE_BATCH_SIZE = 100;
const DEFAULT_CONCURRENCY = 4;
const DEFAULT_HISTORY_DAYS = 90;
const DEFAULT_SNAPSHOT_DAYS = 365;
/** The operators whose outcome depends on the evaluation time. */
const TIME_DEPENDENT_OPERATORS = new Set(['dateWithin']);
/** The kind evaluated when no check names a kind. */
const DEFAULT_KIND = 'Component';

/** Options of {@link DefaultReadinessEngine.create}. */
export interface DefaultReadinessEngineOptions {
  config: Config;
  logger: LoggerService;
  auth: AuthService;
  catalog: CatalogService;
  store: ReadinessStore;
  /** Every fact collector: the built-in ones and those of the extension point. */
  collectors: ReadonlyArray<FactCollector>;
  /** Custom rule operators, from the checks extension point. */
  operators?: ReadonlyArray<CheckOperator>;
  /** The built-in checks; default {@link BUILT_IN_CHECKS}. */
  builtInChecks?: ReadonlyArray<CheckDefinition>;
  /** `readiness.checkFiles` are relative to this; default `process.cwd()`. */
  workingDirectory?: string;
  /** The clock; for tests. */
  now?: () => Date;
}

/** What evaluating one entity did. */
export interface EvaluationOutcome {
  entityRef: string;
  /** The facts had not changed since the stored evaluation: nothing was done. */
  skipped: boolean;
  /** The new scorecard, unless skipped. */
  scorecard?: Scorecard;
}

/** An evaluation ready to be written. */
interface PreparedEvaluation {
  entityRef: string;
  skipped: boolean;
  facts: Array<FactsInput & { entityRef: string; collectorId: string }>;
  evaluation?: EntityEvaluation;
  scorecard?: Scorecard;
}

/** The message of an error, also of errors from another realm (such as a VM context). */
function errorMessage(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error);
}

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function normalizeRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

/** The UTC day of a time, `YYYY-MM-DD`. */
function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function throwIfAborted(signal: AbortSignal | undefined) {
  if (signal?.aborted) {
    throw new Error('The evaluation cycle was aborted');
  }
}

/**
 * The readiness engine: collects the facts of the catalog's entities,
 * evaluates the checks (compiled once, at start-up) and stores scorecards.
 *
 * @remarks
 *
 * Incremental: the hash of an evaluation covers the facts of every
 * collector, which collectors failed, the checks and levels in force and,
 * when a rule depends on the date (`dateWithin`, such as the age of the last
 * DR test), the UTC day. When it equals the stored hash the entity is
 * skipped: an entity whose facts did not change is not re-evaluated, or
 * with date rules (as the built-in checks have) once a day.
 *
 * A collector that throws keeps its previous facts, marked stale in the
 * store, and the scorecard is marked stale with a reason that names the
 * collector and the error.
 *
 * Cycles are run by the scheduler with `scope: 'global'`: with several
 * backend replicas on one database, one replica at a time runs a cycle.
 */
export class DefaultReadinessEngine implements ReadinessEngine {
  static async create(
    options: DefaultReadinessEngineOptions,
  ): Promise<DefaultReadinessEngine> {
    const ids = new Set<string>();
    for (const collector of options.collectors) {
      if (ids.has(collector.id)) {
        throw new Error(
          `Two readiness fact collectors have the id '${collector.id}'; fact collector ids must be unique`,
        );
      }
      ids.add(collector.id);
    }
    const { checks, levels } = loadChecks({
      config: options.config,
      logger: options.logger,
      builtInChecks: options.builtInChecks ?? BUILT_IN_CHECKS,
      operators: options.operators,
      // Facts of optional collectors: their checks do not apply without them.
      knownFacts: [...new Set([...ids, ...OPTIONAL_FACT_DOCUMENTS])],
      workingDirectory: options.workingDirectory,
    });
    options.logger.info(
      `Readiness engine: ${checks.length} checks, ${levels.length} levels, ${ids.size} fact collectors`,
    );
    return new DefaultReadinessEngine(options, checks, levels);
  }

  private readonly logger: LoggerService;
  private readonly auth: AuthService;
  private readonly catalog: CatalogService;
  private readonly store: ReadinessStore;
  private readonly collectors: ReadonlyArray<FactCollector>;
  private readonly checks: ReadonlyArray<CompiledCheck>;
  private readonly definitions: CheckDefinition[];
  private readonly levels: LevelDefinition[];
  /** Changes when the checks or levels change, so that every entity is re-evaluated. */
  private readonly definitionHash: string;
  /** Whether some rule depends on the evaluation time (`dateWithin`). */
  private readonly usesClock: boolean;
  private readonly kinds: string[];
  private readonly concurrency: number;
  private readonly retention: { historyDays: number; snapshotDays: number };
  private readonly now: () => Date;
  private readonly listeners = new Array<ReadinessEvaluationListener>();
  /** The checks whose failures do not lower levels yet, at a time. */
  private deferredChecks: (now: Date) => ReadonlySet<string> = () =>
    new Set();
  private status: EngineStatus = {
    running: false,
    progress: { done: 0, total: 0, skipped: 0, failed: 0 },
  };

  private constructor(
    options: DefaultReadinessEngineOptions,
    checks: CompiledCheck[],
    levels: LevelDefinition[],
  ) {
    const { config } = options;
    this.logger = options.logger;
    this.auth = options.auth;
    this.catalog = options.catalog;
    this.store = options.store;
    this.collectors = [...options.collectors];
    this.checks = checks;
    this.definitions = checks.map(check => check.definition);
    this.levels = levels;
    this.definitionHash = hashJson({
      checks: this.definitions,
      levels,
      operators: (options.operators ?? []).map(o => o.name).sort(),
    });
    this.usesClock = this.definitions.some(definition =>
      usesOperator(definition.rule, TIME_DEPENDENT_OPERATORS),
    );
    this.now = options.now ?? (() => new Date());

    const concurrency =
      config.getOptionalNumber('readiness.evaluation.concurrency') ??
      DEFAULT_CONCURRENCY;
    if (!Number.isInteger(concurrency) || concurrency < 1) {
      throw new Error(
        `readiness.evaluation.concurrency must be a whole number of at least 1; got ${concurrency}`,
      );
    }
    this.concurrency = concurrency;
    this.kinds =
      config.getOptionalStringArray('readiness.evaluation.kinds') ??
      kindsOfChecks(checks);

    const historyDays =
      config.getOptionalNumber('readiness.retention.historyDays') ??
      DEFAULT_HISTORY_DAYS;
    const snapshotDays =
      config.getOptionalNumber('readiness.retention.snapshotDays') ??
      DEFAULT_SNAPSHOT_DAYS;
    for (const [key, days] of [
      ['historyDays', historyDays],
      ['snapshotDays', snapshotDays],
    ] as const) {
      if (!Number.isFinite(days) || days < 1) {
        throw new Error(
          `readiness.retention.${key} must be a number of days of at least 1; got ${days}`,
        );
      }
    }
    this.retention = { historyDays, snapshotDays };
  }

  getDefinition(): ScorecardDefinition {
    return {
      id: BUILT_IN_SCORECARD_ID,
      title: 'Production readiness',
      checks: this.definitions,
      levels: this.levels,
    };
  }

  /**
   * Sets where the engine learns which checks do not lower levels yet at a
   * time (the scheduled checks of initiatives before their `enforcedFrom`
   * day). The set is part of the facts hash, so every entity is evaluated
   * again on the day it changes.
   */
  setDeferredChecks(provider: (now: Date) => ReadonlySet<string>): void {
    this.deferredChecks = provider;
  }

  addListener(listener: ReadinessEvaluationListener): void {
    this.listeners.push(listener);
  }

  /** Tells every listener; a listener's failure is logged, never thrown. */
  private async notifyListeners(
    event: 'onEvaluated' | 'onCycleFinished',
    call: (listener: ReadinessEvaluationListener) => Promise<void> | undefined,
  ) {
    for (const listener of this.listeners) {
      try {
        await call(listener);
      } catch (error) {
        this.logger.warn(
          `A readiness evaluation listener failed (${event}): ${errorMessage(
            error,
          )}`,
        );
      }
    }
  }

  getStatus(): EngineStatus {
    return { ...this.status, progress: { ...this.status.progress } };
  }

  /** The entity kinds a cycle evaluates. */
  getKinds(): string[] {
    return [...this.kinds];
  }

  async refresh(
    entityRef: string,
    options: { credentials: BackstageCredentials },
  ): Promise<Scorecard> {
    let ref: string;
    try {
      ref = stringifyEntityRef(parseEntityRef(entityRef));
    } catch (error) {
      throw new InputError(
        `Invalid entity ref '${entityRef}': ${errorMessage(error)}`,
      );
    }
    // With the caller's credentials: what they cannot see is not found.
    const entity = await this.catalog.getEntityByRef(ref, {
      credentials: options.credentials,
    });
    if (!entity) {
      throw new NotFoundError(`No entity '${ref}' found in the catalog`);
    }
    const outcome = await this.evaluate(entity, { force: true });
    return outcome.scorecard!;
  }

  /**
   * Evaluates one entity and saves the result. Unless `force` is set, an
   * entity whose facts did not change since its stored evaluation is
   * skipped.
   */
  async evaluate(
    entity: Entity,
    options: { force?: boolean; signal?: AbortSignal } = {},
  ): Promise<EvaluationOutcome> {
    const storedHash = options.force
      ? undefined
      : await this.store.getFactsHash(stringifyEntityRef(entity));
    const prepared = await this.prepare(entity, {
      force: options.force ?? false,
      storedHash,
      signal: options.signal,
    });
    await this.write([prepared]);
    return {
      entityRef: prepared.entityRef,
      skipped: prepared.skipped,
      ...(prepared.scorecard && { scorecard: prepared.scorecard }),
    };
  }

  async runCycle(
    options: { signal?: AbortSignal } = {},
  ): Promise<CycleSummary> {
    if (this.status.running) {
      throw new ConflictError(
        'A readiness evaluation cycle is already running in this instance',
      );
    }
    const { signal } = options;
    const startedAt = Date.now();
    const progress = { done: 0, total: 0, skipped: 0, failed: 0 };
    this.status = {
      ...this.status,
      running: true,
      progress,
      lastCycleStartedAt: new Date(startedAt).toISOString(),
    };
    const tally = { evaluated: 0, removed: 0 };
    try {
      const credentials = await this.auth.getOwnServiceCredentials();
      const limit = createLimiter(this.concurrency);
      const seen = new Set<string>();
      const pending: PreparedEvaluation[] = [];
      const flush = async () => {
        const batch = pending.splice(0, pending.length);
        await this.write(batch);
      };

      let cursor: string | undefined;
      do {
        throwIfAborted(signal);
        const page = await this.fetchPage(cursor, credentials);
        progress.total = Math.max(
          page.totalItems,
          progress.done + page.items.length,
        );
        const refs = page.items.map(entity => stringifyEntityRef(entity));
        for (const ref of refs) {
          seen.add(normalizeRef(ref));
        }
        const storedHashes = await this.store.getFactsHashes(refs);
        // The previous facts of the whole page in a few queries, not one
        // query per entity.
        const storedFacts = await this.store.getFactsOfEntities(refs);

        const settled = await Promise.allSettled(
          page.items.map((entity, index) =>
            limit(async () => {
              if (signal?.aborted) {
                return;
              }
              const entityRef = refs[index];
              let prepared: PreparedEvaluation | undefined;
              try {
                prepared = await this.prepare(entity, {
                  force: false,
                  storedHash: storedHashes.get(normalizeRef(entityRef)),
                  previous:
                    storedFacts.get(normalizeRef(entityRef)) ?? new Map(),
                  signal,
                });
              } catch (error) {
                progress.failed += 1;
                this.logger.warn(
                  `Failed to evaluate the readiness of ${entityRef}: ${errorMessage(
                    error,
                  )}`,
                );
              }
              if (prepared?.skipped) {
                progress.skipped += 1;
              } else if (prepared) {
                tally.evaluated += 1;
              }
              if (
                prepared &&
                (!prepared.skipped || prepared.facts.length > 0)
              ) {
                pending.push(prepared);
                if (pending.length >= WRITE_BATCH_SIZE) {
                  // Store failures fail the cycle.
                  await flush();
                }
              }
              progress.done += 1;
            }),
          ),
        );
        const failure = settled.find(
          (s): s is PromiseRejectedResult => s.status === 'rejected',
        );
        if (failure) {
          throw failure.reason;
        }
        cursor = page.pageInfo.nextCursor;
      } while (cursor);
      await flush();
      throwIfAborted(signal);

      // Only after a complete pass over the catalog: a cycle that fails
      // half-way deletes nothing.
      tally.removed = await this.removeDeletedEntities(seen, credentials);
      const now = this.now();
      await this.store.carryForwardSnapshots({ at: now });
      await this.store.applyRetention({ ...this.retention, now });

      const summary: CycleSummary = {
        total: progress.done,
        evaluated: tally.evaluated,
        skipped: progress.skipped,
        failed: progress.failed,
        removed: tally.removed,
        durationMs: Date.now() - startedAt,
      };
      this.logger.info(
        `Readiness evaluation cycle: ${summary.evaluated} evaluated, ${summary.skipped} unchanged, ${summary.failed} failed, ${summary.removed} removed, of ${summary.total} entities in ${summary.durationMs} ms`,
      );
      this.status = { ...this.status, lastCycleError: undefined };
      await this.notifyListeners('onCycleFinished', listener =>
        listener.onCycleFinished?.(summary),
      );
      return summary;
    } catch (error) {
      this.status = { ...this.status, lastCycleError: errorMessage(error) };
      throw new ForwardedError('Readiness evaluation cycle failed', error);
    } finally {
      this.status = {
        ...this.status,
        running: false,
        lastCycleFinishedAt: new Date().toISOString(),
      };
    }
  }

  private async fetchPage(
    cursor: string | undefined,
    credentials: BackstageCredentials,
  ) {
    try {
      return await this.catalog.queryEntities(
        cursor
          ? { cursor, limit: PAGE_SIZE }
          : { filter: { kind: this.kinds }, limit: PAGE_SIZE },
        { credentials },
      );
    } catch (error) {
      throw new ForwardedError(
        'Could not read the entities of the catalog',
        error,
      );
    }
  }

  /**
   * Deletes what is stored about entities that were not seen in the
   * catalog. Entities of kinds the cycle does not list (refreshed on demand)
   * are looked up before they are deleted.
   */
  private async removeDeletedEntities(
    seen: ReadonlySet<string>,
    credentials: BackstageCredentials,
  ): Promise<number> {
    const kinds = new Set(this.kinds.map(normalizeRef));
    const missing = (await this.store.listEntityRefs()).filter(
      ref => !seen.has(normalizeRef(ref)),
    );
    const otherKinds = missing.filter(
      ref => !kinds.has(ref.slice(0, ref.indexOf(':'))),
    );
    const stillInCatalog = new Set<string>();
    if (otherKinds.length > 0) {
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: otherKinds,
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      items.forEach((item, index) => {
        if (item) stillInCatalog.add(otherKinds[index]);
      });
    }
    let removed = 0;
    for (const ref of missing) {
      if (!stillInCatalog.has(ref)) {
        await this.store.deleteEntity(ref);
        removed += 1;
      }
    }
    if (removed > 0) {
      this.logger.info(
        `Deleted the readiness results of ${removed} entities that left the catalog`,
      );
    }
    return removed;
  }

  /** Collects the facts of an entity and, unless they are unchanged, evaluates it. */
  private async prepare(
    entity: Entity,
    options: {
      force: boolean;
      storedHash: string | undefined;
      /** The stored facts of the entity, when already read (a cycle reads them per page). */
      previous?: ReadonlyMap<string, StoredFacts>;
      signal?: AbortSignal;
    },
  ): Promise<PreparedEvaluation> {
    const now = this.now();
    const entityRef = stringifyEntityRef(entity);
    const previous = options.previous ?? (await this.store.getFacts(entityRef));

    const collected = await Promise.all(
      this.collectors
        .filter(
          collector => !collector.appliesTo || collector.appliesTo(entity),
        )
        .map(collector =>
          this.collect(
            collector,
            entity,
            previous.get(collector.id),
            options.signal,
          ),
        ),
    );

    const facts: Record<string, JsonObject> = {};
    const digests: Record<string, [number, string]> = {};
    const failed: string[] = [];
    const staleReasons: string[] = [];
    const toSave: PreparedEvaluation['facts'] = [];
    for (const result of collected) {
      const { collector, prior } = result;
      if (result.ok) {
        facts[collector.id] = result.facts;
        digests[collector.id] = [collector.version, result.hash];
        if (
          !prior ||
          prior.hash !== result.hash ||
          prior.version !== collector.version ||
          prior.stale
        ) {
          toSave.push({
            entityRef,
            collectorId: collector.id,
            version: collector.version,
            facts: result.facts,
            hash: result.hash,
            collectedAt: now,
          });
        }
        continue;
      }
      failed.push(collector.id);
      staleReasons.push(
        describeStaleCollector(collector.id, result.error, prior?.collectedAt),
      );
      if (prior) {
        facts[collector.id] = prior.facts;
        digests[collector.id] = [prior.version, prior.hash];
      }
    }

    const deferredChecks = this.deferredChecks(now);
    const factsHash = hashJson({
      definition: this.definitionHash,
      // Results of date rules change with the day, not with the facts.
      ...(this.usesClock && { day: dayOf(now) }),
      facts: digests,
      failed: failed.sort(),
      // Scheduled checks lower levels from their day on: a new hash then.
      ...(deferredChecks.size > 0 && { deferred: [...deferredChecks].sort() }),
    });
    if (!options.force && options.storedHash === factsHash) {
      return { entityRef, skipped: true, facts: toSave };
    }

    const results = evaluateChecks(this.checks, {
      entity,
      entityRef,
      facts,
      now,
      factsVersion: factsHash,
    });
    const stale = failed.length > 0;
    const scorecard = buildScorecard({
      entityRef,
      checks: this.definitions,
      results,
      levels: this.levels,
      evaluatedAt: now,
      deferredChecks,
      stale,
      ...(stale && { staleReason: staleReasons.join(' ') }),
    });
    return {
      entityRef,
      skipped: false,
      facts: toSave,
      scorecard,
      evaluation: {
        entityRef,
        results: scorecard.results.map(
          ({ checkId, status, message, details }) => ({
            checkId,
            status,
            message,
            ...(details !== undefined && { details }),
          }),
        ),
        scores: toEntityScores(entity, scorecard, {
          levels: this.levels,
          factsHash,
        }),
        evaluatedAt: now,
      },
    };
  }

  private async collect(
    collector: FactCollector,
    entity: Entity,
    prior: StoredFacts | undefined,
    signal: AbortSignal | undefined,
  ): Promise<
    | {
        ok: true;
        collector: FactCollector;
        prior?: StoredFacts;
        facts: JsonObject;
        hash: string;
      }
    | {
        ok: false;
        collector: FactCollector;
        prior?: StoredFacts;
        error: string;
      }
  > {
    try {
      const facts = await collector.collect({
        entity,
        ...(prior &&
          prior.version === collector.version && { previous: prior.facts }),
        ...(signal && { signal }),
      });
      if (!isJsonObject(facts)) {
        throw new Error(
          `it returned ${
            Array.isArray(facts) ? 'a list' : typeof facts
          } instead of a JSON object`,
        );
      }
      return { ok: true, collector, prior, facts, hash: hashJson(facts) };
    } catch (error) {
      const message = errorMessage(error);
      const entityRef = stringifyEntityRef(entity);
      this.logger.warn(
        `The '${collector.id}' fact collector failed for ${entityRef}: ${message}`,
      );
      if (prior) {
        await this.store.markFactsStale(entityRef, collector.id, message);
      }
      return { ok: false, collector, prior, error: message };
    }
  }

  /** Saves prepared evaluations: their facts, then their results, each in one transaction. */
  private async write(batch: ReadonlyArray<PreparedEvaluation>) {
    const facts = batch.flatMap(prepared => prepared.facts);
    const evaluations = batch.flatMap(prepared =>
      prepared.evaluation ? [prepared.evaluation] : [],
    );
    if (facts.length > 0) {
      await this.store.saveManyFacts(facts);
    }
    if (evaluations.length > 0) {
      // What the listeners compare with (a check that regressed, a level
      // that dropped): read for the whole batch before it is replaced.
      const previous =
        this.listeners.length > 0
          ? await this.readPrevious(evaluations)
          : new Map<string, PreviousEvaluation>();
      await this.store.saveEvaluations(evaluations);
      await this.notifyListeners('onEvaluated', listener =>
        listener.onEvaluated?.(evaluations, { previous }),
      );
    }
  }

  /**
   * The stored levels and statuses of a batch's entities, by lower-case
   * ref: one query for the results and one for the scores (a batch is
   * smaller than the store's chunk of refs).
   */
  private async readPrevious(
    evaluations: ReadonlyArray<EntityEvaluation>,
  ): Promise<Map<string, PreviousEvaluation>> {
    const refs = [
      ...new Set(
        evaluations.map(evaluation => normalizeRef(evaluation.entityRef)),
      ),
    ];
    const [results, scores] = await Promise.all([
      this.store.getResultsOfEntities(refs),
      this.store.listScores({
        filter: { entityRefs: refs },
        limit: refs.length,
      }),
    ]);
    const previous = new Map<string, PreviousEvaluation>();
    for (const item of scores.items) {
      const ref = normalizeRef(item.entityRef);
      previous.set(ref, {
        level: item.level,
        levelRank: item.levelRank,
        statuses: new Map(
          (results.get(ref) ?? []).map(result => [
            result.checkId,
            result.status,
          ]),
        ),
      });
    }
    return previous;
  }
}

/** Whether a rule (any JSON) uses one of the operators, anywhere. */
function usesOperator(rule: unknown, operators: ReadonlySet<string>): boolean {
  if (Array.isArray(rule)) {
    return rule.some(item => usesOperator(item, operators));
  }
  if (rule === null || typeof rule !== 'object') {
    return false;
  }
  return Object.entries(rule).some(([key, value]) =>
    key === 'operator'
      ? typeof value === 'string' && operators.has(value)
      : usesOperator(value, operators),
  );
}

/**
 * The kinds named by the checks' applicability; {@link DEFAULT_KIND} too,
 * since checks without a kind apply to it.
 */
function kindsOfChecks(checks: ReadonlyArray<CompiledCheck>): string[] {
  const kinds = new Map<string, string>([
    [DEFAULT_KIND.toLocaleLowerCase('en-US'), DEFAULT_KIND],
  ]);
  for (const check of checks) {
    for (const kind of check.definition.applicability?.kinds ?? []) {
      const key = kind.toLocaleLowerCase('en-US');
      if (!kinds.has(key)) kinds.set(key, kind);
    }
  }
  return [...kinds.values()];
}
