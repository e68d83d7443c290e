import type { LoggerService } from '@backstage/backend-plugin-api';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import type { EventsService } from '@backstage/plugin-events-node';
import {
  EntityInitiatives,
  Initiative,
  InitiativeAuditPage,
  InitiativeDefinition,
  InitiativeDetail,
  InitiativeEntity,
  InitiativeEntityPage,
  InitiativeEntityState,
  InitiativeShortfall,
  PhaseDefinition,
  READINESS_EVENT_TOPICS,
  ReadinessInitiativeProgressEvent,
  initiativeDaysLeft,
  initiativePhase,
  validateInitiativeDefinition,
} from '@prodready/plugin-readiness-common';
import type { ChecklistStore } from '../checklists/ChecklistStore';
import type { ReadinessStore, ScoreFilter } from '../database/ReadinessStore';
import type { GroupHierarchy } from '../groups';
import { hashJson } from '../service/engine/hash';
import type { ScorecardDefinition } from '../service/engine/types';
import {
  BurnUpCounts,
  BurnUpHistory,
  burnUpDays,
  computeBurnUp,
  everyBurnUpDay,
  withIdealLine,
} from './burnUp';
import {
  GoalEvaluator,
  GoalFacts,
  ProgressSubject,
  compileScope,
  progressOf,
} from './computeProgress';
import type { InitiativeEntityRow, InitiativeStore } from './InitiativeStore';
import { initiativeValidationOptions } from './loadInitiatives';

/** An initiative in force, with where it comes from. */
interface LoadedInitiative {
  definition: InitiativeDefinition;
  source: 'config' | 'api';
  version: number;
}

/** A change to the initiatives, for subscribers (notifications). */
export interface InitiativeChange {
  type: 'created' | 'updated' | 'deleted';
  initiative: InitiativeDefinition;
}

/** Options of {@link InitiativeService}. */
export interface InitiativeServiceOptions {
  store: InitiativeStore;
  readinessStore: Pick<ReadinessStore, 'listScores' | 'getResultsOfEntities'> &
    /**
     * The overview's change log: with it, the results and checklist states
     * of an entity are read again only after it changed.
     */
    Partial<
      Pick<ReadinessStore, 'getOverviewGeneration' | 'getOverviewChangesSince'>
    >;
  checklistStore: Pick<ChecklistStore, 'getItemsOfEntities'>;
  /** The initiatives of app-config (read-only). */
  configInitiatives: ReadonlyArray<InitiativeDefinition>;
  getDefinition: () => ScorecardDefinition;
  phases: ReadonlyArray<PhaseDefinition>;
  /** The group hierarchy for owner scopes; without it, owners match alone. */
  groups?: GroupHierarchy;
  /** The tags of entities, read when some scope names tags. */
  tagsOf?: (entityRefs: string[]) => Promise<Map<string, string[]>>;
  events?: EventsService;
  logger: LoggerService;
  now?: () => Date;
  /**
   * How long, in ms of real time, a replica serves the initiatives and
   * their burn-ups from memory before reading them again (its own writes
   * and recomputations clear it at once); default 1000, `0` for never.
   */
  readCacheTtlMs?: number;
}

type HistoryReads = Omit<BurnUpHistory, 'subjects' | 'current'>;

/** Entities read from the store at a time. */
const PAGE_SIZE = 1000;

const lower = (value: string) => value.toLocaleLowerCase('en-US');

interface CachedRows {
  generation: number;
  rows: InitiativeEntityRow[];
}

function sameShortfalls(
  a: ReadonlyArray<InitiativeShortfall>,
  b: ReadonlyArray<InitiativeShortfall>,
): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i];
    const y = b[i];
    if (
      x.type !== y.type ||
      x.id !== y.id ||
      x.title !== y.title ||
      x.message !== y.message ||
      x.phaseId !== y.phaseId
    ) {
      return false;
    }
  }
  return true;
}

/** Whether two rows of an entity say the same (field by field: cheap). */
function sameRow(a: InitiativeEntityRow, b: InitiativeEntityRow): boolean {
  return (
    a.entityRef === b.entityRef &&
    a.state === b.state &&
    a.owner === b.owner &&
    a.kind === b.kind &&
    a.type === b.type &&
    a.lifecycle === b.lifecycle &&
    a.tier === b.tier &&
    a.system === b.system &&
    a.level === b.level &&
    a.score === b.score &&
    sameShortfalls(a.missing, b.missing) &&
    sameShortfalls(a.waived, b.waived)
  );
}

/**
 * The initiatives: those of app-config and of the API, their progress per
 * entity (computed from stored data only, after each evaluation cycle and
 * each change), their burn-up, and the reads of the API.
 *
 * Progress is stored, so that every backend replica serves the same; each
 * keeps the rows of an initiative in memory while its stored generation
 * stays the same.
 */
export class InitiativeService {
  readonly #store: InitiativeStore;
  readonly #options: InitiativeServiceOptions;
  readonly #configIds: Set<string>;
  readonly #now: () => Date;
  readonly #listeners = new Array<(change: InitiativeChange) => void>();
  readonly #rows = new Map<string, CachedRows>();
  /** Every initiative in force, as last read. */
  #definitions: InitiativeDefinition[];
  #evaluator?: { definition: ScorecardDefinition; evaluator: GoalEvaluator };
  #running?: Promise<void>;
  readonly #readCacheTtlMs: number;
  /** The stored part of `list()`, read at `at` (ms, real time). */
  #listCache?: {
    at: number;
    value: Promise<
      [LoadedInitiative[], Map<string, BurnUpCounts>, Map<string, Date>]
    >;
  };
  /** Stored burn-ups by initiative id, read at `at` (ms, real time). */
  /** Details (with the burn-up and its ideal line) by id, made at `at`. */
  readonly #detailCache = new Map<
    string,
    { at: number; day: string; value: InitiativeDetail }
  >();
  readonly #burnUpCache = new Map<
    string,
    { at: number; value: Promise<BurnUpCounts[]> }
  >();
  /**
   * The results and checklist states read by earlier recomputations, by
   * lower-case ref, valid at the overview generation `generation`.
   */
  #facts?: {
    generation: number;
    byRef: Map<string, Omit<GoalFacts, 'level' | 'levelRank'>>;
  };
  #queued?: Promise<void>;

  constructor(options: InitiativeServiceOptions) {
    this.#options = options;
    this.#store = options.store;
    this.#configIds = new Set(options.configInitiatives.map(i => i.id));
    this.#definitions = [...options.configInitiatives];
    this.#now = options.now ?? (() => new Date());
    this.#readCacheTtlMs = options.readCacheTtlMs ?? 1000;
  }

  /** Forgets what the reads keep: after a write or a recomputation. */
  #clearReadCache() {
    this.#listCache = undefined;
    this.#burnUpCache.clear();
    this.#detailCache.clear();
  }

  #fresh(entry: { at: number } | undefined): boolean {
    return (
      entry !== undefined &&
      this.#readCacheTtlMs > 0 &&
      Date.now() - entry.at < this.#readCacheTtlMs
    );
  }

  /** Tells a listener of every initiative created, updated or deleted. */
  subscribe(listener: (change: InitiativeChange) => void): () => void {
    this.#listeners.push(listener);
    return () => {
      const at = this.#listeners.indexOf(listener);
      if (at >= 0) this.#listeners.splice(at, 1);
    };
  }

  /**
   * The checks whose failures do not lower levels at `now`: those of
   * scheduled initiatives before their `enforcedFrom` day.
   */
  deferredChecks(now: Date): ReadonlySet<string> {
    const today = now.toISOString().slice(0, 10);
    const deferred = new Set<string>();
    for (const initiative of this.#definitions) {
      if (
        initiative.goal.type === 'checks' &&
        initiative.enforcedFrom &&
        today < initiative.enforcedFrom
      ) {
        initiative.goal.checks.forEach(id => deferred.add(id));
      }
    }
    return deferred;
  }

  async #load(): Promise<LoadedInitiative[]> {
    const stored = await this.#store.listInitiatives();
    const all = [
      ...this.#options.configInitiatives.map(definition => ({
        definition,
        source: 'config' as const,
        version: 0,
      })),
      ...stored
        .filter(s => !this.#configIds.has(s.definition.id))
        .map(s => ({
          definition: s.definition,
          source: 'api' as const,
          version: s.version,
        })),
    ];
    this.#definitions = all.map(i => i.definition);
    return all;
  }

  #goalEvaluator(): GoalEvaluator {
    const definition = this.#options.getDefinition();
    if (this.#evaluator?.definition !== definition) {
      this.#evaluator = {
        definition,
        evaluator: new GoalEvaluator({
          checks: definition.checks,
          levels: definition.levels,
          phases: this.#options.phases,
        }),
      };
    }
    return this.#evaluator.evaluator;
  }

  // --- Reads -------------------------------------------------------------

  async list(): Promise<Initiative[]> {
    if (!this.#fresh(this.#listCache)) {
      const value = Promise.all([
        this.#load(),
        this.#store.getLatestCounts(),
        this.#store
          .listProgressStates()
          .then(
            states => new Map(states.map(s => [s.initiativeId, s.computedAt])),
          ),
      ]);
      this.#listCache = { at: Date.now(), value };
      value.catch(() => {
        if (this.#listCache?.value === value) this.#listCache = undefined;
      });
    }
    const [all, counts, computed] = await this.#listCache!.value;
    const now = this.#now();
    return all.map(({ definition, source, version }) => {
      const latest = counts.get(definition.id);
      const at = computed.get(definition.id);
      return {
        ...definition,
        source,
        version,
        phase: initiativePhase(definition, now),
        daysLeft: initiativeDaysLeft(definition, now),
        progress: progressOf(latest ?? { met: 0, exempt: 0, total: 0 }),
        ...(at && { computedAt: at.toISOString() }),
      };
    });
  }

  async get(id: string): Promise<InitiativeDetail> {
    // The days left and the burn-up's days change with the day.
    const day = this.#now().toISOString().slice(0, 10);
    const kept = this.#detailCache.get(id);
    if (this.#fresh(kept) && kept!.day === day) return kept!.value;
    const at = Date.now();
    const detail = await this.#readDetail(id);
    this.#detailCache.set(id, { at, day, value: detail });
    return detail;
  }

  async #readDetail(id: string): Promise<InitiativeDetail> {
    const initiative = (await this.list()).find(i => i.id === id);
    if (!initiative) {
      throw new NotFoundError(`No initiative '${id}'`);
    }
    let stored = this.#burnUpCache.get(id);
    if (!this.#fresh(stored)) {
      const value = this.#store.getBurnUp(id);
      stored = { at: Date.now(), value };
      this.#burnUpCache.set(id, stored);
      value.catch(() => {
        if (this.#burnUpCache.get(id)?.value === value) {
          this.#burnUpCache.delete(id);
        }
      });
    }
    const counts = everyBurnUpDay(
      burnUpDays(initiative, this.#now()),
      await stored!.value,
    );
    return { ...initiative, burnUp: withIdealLine(initiative, counts) };
  }

  async #entityRows(id: string): Promise<InitiativeEntityRow[]> {
    const state = (await this.#store.listProgressStates()).find(
      s => s.initiativeId === id,
    );
    if (!state) return [];
    const cached = this.#rows.get(id);
    if (cached?.generation === state.generation) return cached.rows;
    const rows = await this.#store.getEntities(id);
    this.#rows.set(id, { generation: state.generation, rows });
    return rows;
  }

  /**
   * The lower-case refs of the entities in an initiative's scope, for the
   * overview's `initiative` filter; `NotFoundError` for an unknown id.
   */
  async entityRefsIn(id: string): Promise<string[]> {
    if (!(await this.list()).some(i => i.id === id)) {
      throw new NotFoundError(`No initiative '${id}'`);
    }
    return (await this.#entityRows(id)).map(row => row.entityRef);
  }

  /**
   * A page of the entities in an initiative's scope, ordered by entity
   * ref, with the overview's filters, by state and by owners (exact refs).
   */
  async listEntities(
    id: string,
    options: {
      states?: InitiativeEntityState[];
      owners?: string[];
      filter?: ScoreFilter;
      limit: number;
      cursor?: string;
    },
  ): Promise<InitiativeEntityPage> {
    const all = await this.#load();
    if (!all.some(i => i.definition.id === id)) {
      throw new NotFoundError(`No initiative '${id}'`);
    }
    const match = compileEntityFilter(options);
    const rows = (await this.#entityRows(id)).filter(match);
    let start = 0;
    if (options.cursor !== undefined) {
      let after: string;
      try {
        after = Buffer.from(options.cursor, 'base64url').toString('utf8');
      } catch {
        after = '';
      }
      if (!after.includes(':')) {
        throw new InputError(`Invalid cursor '${options.cursor}'`);
      }
      start = rows.findIndex(row => row.entityRef > after);
      if (start < 0) start = rows.length;
    }
    const page = rows.slice(start, start + options.limit);
    const more = start + options.limit < rows.length;
    return {
      items: page.map(toInitiativeEntity),
      totalCount: rows.length,
      ...(more && {
        nextCursor: Buffer.from(page[page.length - 1].entityRef).toString(
          'base64url',
        ),
      }),
    };
  }

  /** The initiatives an entity is in, with what is left for it. */
  async getEntityInitiatives(entityRef: string): Promise<EntityInitiatives> {
    const ref = lower(entityRef);
    const [all, rows] = await Promise.all([
      this.#load(),
      this.#store.getEntityInitiatives(ref),
    ]);
    const byId = new Map(all.map(i => [i.definition.id, i.definition]));
    const now = this.#now();
    return {
      entityRef: ref,
      items: rows.flatMap(row => {
        const definition = byId.get(row.initiativeId);
        if (!definition) return [];
        return [
          {
            initiative: {
              id: definition.id,
              title: definition.title,
              owner: definition.owner,
              startDate: definition.startDate,
              deadline: definition.deadline,
              phase: initiativePhase(definition, now),
              daysLeft: initiativeDaysLeft(definition, now),
              goal: definition.goal,
            },
            state: row.state,
            missing: row.missing,
            waived: row.waived,
          },
        ];
      }),
    };
  }

  /**
   * The ids of the initiatives in force (not ended) that require waivers
   * to be approved and whose scope includes the entity.
   */
  async requiresWaiverApproval(entityRef: string): Promise<string[]> {
    const { items } = await this.getEntityInitiatives(entityRef);
    const all = new Map(this.#definitions.map(d => [d.id, d]));
    return items
      .filter(
        item =>
          item.initiative.phase !== 'ended' &&
          all.get(item.initiative.id)?.requireWaiverApproval === true,
      )
      .map(item => item.initiative.id);
  }

  async listAudit(
    id: string,
    options: { limit: number; cursor?: string },
  ): Promise<InitiativeAuditPage> {
    const page = await this.#store.listAudit({ initiativeId: id, ...options });
    if (page.entries.length === 0 && !options.cursor) {
      const all = await this.#load();
      if (!all.some(i => i.definition.id === id)) {
        throw new NotFoundError(`No initiative '${id}'`);
      }
    }
    return page;
  }

  // --- Writes ------------------------------------------------------------

  #validate(input: unknown): InitiativeDefinition {
    const result = validateInitiativeDefinition(
      input,
      initiativeValidationOptions(
        this.#options.getDefinition(),
        this.#options.phases,
      ),
    );
    if (!result.ok) {
      throw new InputError(`Invalid initiative: ${result.errors.join('; ')}`);
    }
    return result.value;
  }

  #readOnly(id: string): ConflictError {
    return new ConflictError(
      `Initiative '${id}' is defined in app-config, read-only; change it there`,
    );
  }

  async create(input: unknown, actor: string): Promise<Initiative> {
    const definition = this.#validate(input);
    if (this.#configIds.has(definition.id)) {
      throw new ConflictError(
        `An initiative with the id '${definition.id}' is defined in app-config`,
      );
    }
    const outcome = await this.#store.createInitiative(definition, {
      actor,
      at: this.#now(),
    });
    this.#clearReadCache();
    if (!outcome.ok) {
      throw new ConflictError(
        `An initiative with the id '${definition.id}' already exists`,
      );
    }
    // Listeners (the notifier) read the entities in scope: tell them once
    // the progress is computed.
    await this.recompute();
    this.#tell({ type: 'created', initiative: definition });
    return (await this.list()).find(i => i.id === definition.id)!;
  }

  async update(
    id: string,
    input: unknown,
    options: { actor: string; expectedVersion: number },
  ): Promise<
    { ok: true; initiative: Initiative } | { ok: false; current: Initiative }
  > {
    if (this.#configIds.has(id)) throw this.#readOnly(id);
    const definition = this.#validate(input);
    if (definition.id !== id) {
      throw new InputError(
        `Invalid initiative: id '${definition.id}' is not the id of the path, '${id}'`,
      );
    }
    const outcome = await this.#store.updateInitiative(definition, {
      actor: options.actor,
      at: this.#now(),
      expectedVersion: options.expectedVersion,
    });
    this.#clearReadCache();
    if (!outcome.ok) {
      if (!outcome.current) throw new NotFoundError(`No initiative '${id}'`);
      const current = (await this.list()).find(i => i.id === id)!;
      return { ok: false, current };
    }
    await this.recompute();
    this.#tell({ type: 'updated', initiative: definition });
    return {
      ok: true,
      initiative: (await this.list()).find(i => i.id === id)!,
    };
  }

  async delete(
    id: string,
    options: { actor: string; expectedVersion?: number },
  ): Promise<{ ok: true } | { ok: false; current: Initiative }> {
    if (this.#configIds.has(id)) throw this.#readOnly(id);
    const outcome = await this.#store.deleteInitiative(id, {
      actor: options.actor,
      at: this.#now(),
      expectedVersion: options.expectedVersion,
    });
    this.#clearReadCache();
    if (!outcome.ok) {
      if (!outcome.current) throw new NotFoundError(`No initiative '${id}'`);
      const current = (await this.list()).find(i => i.id === id)!;
      return { ok: false, current };
    }
    this.#rows.delete(id);
    await this.#load();
    this.#tell({ type: 'deleted', initiative: outcome.initiative.definition });
    return { ok: true };
  }

  #tell(change: InitiativeChange) {
    for (const listener of this.#listeners) {
      try {
        listener(change);
      } catch (error) {
        this.#options.logger.warn(
          `An initiative listener failed: ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    }
  }

  // --- Recompute ---------------------------------------------------------

  /**
   * Computes the progress of every initiative again from the stored data,
   * writes what changed, and publishes the counts that changed. Calls while
   * one runs share one more run after it.
   */
  recompute(): Promise<void> {
    if (!this.#running) {
      this.#running = this.#recompute().finally(() => {
        this.#running = undefined;
      });
      return this.#running;
    }
    if (!this.#queued) {
      this.#queued = this.#running
        .catch(() => undefined)
        .then(() => {
          this.#queued = undefined;
          return this.recompute();
        });
    }
    return this.#queued;
  }

  async #recompute(): Promise<void> {
    const started = Date.now();
    const now = this.#now();
    const all = (await this.#load()).map(i => i.definition);
    const evaluator = this.#goalEvaluator();
    const definition = this.#options.getDefinition();
    const ranks = new Map(definition.levels.map(l => [l.id, l.rank]));

    // Every stored entity, in pages.
    const subjects: ProgressSubject[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.#options.readinessStore.listScores({
        limit: PAGE_SIZE,
        cursor,
      });
      for (const item of page.items) {
        subjects.push({
          entityRef: lower(item.entityRef),
          kind: item.kind,
          type: item.type,
          lifecycle: item.lifecycle,
          tier: item.tier,
          owner: item.owner ? lower(item.owner) : null,
          system: item.system ? lower(item.system) : null,
          level: item.level,
          levelRank: item.levelRank,
          score: item.score,
        });
      }
      cursor = page.nextCursor;
    } while (cursor);
    if (all.some(i => i.scope.tags) && this.#options.tagsOf) {
      const tags = await this.#options.tagsOf(subjects.map(s => s.entityRef));
      for (const subject of subjects) {
        subject.tags = tags.get(subject.entityRef) ?? [];
      }
    }

    // The entities in each scope, and those whose facts are needed.
    const scoped = new Map<string, ProgressSubject[]>();
    const needed = new Set<string>();
    for (const initiative of all) {
      let owners: Set<string> | undefined;
      if (initiative.scope.owners && this.#options.groups) {
        owners = new Set();
        for (const owner of initiative.scope.owners) {
          for (const ref of await this.#options.groups.descendantsOf(owner)) {
            owners.add(lower(ref));
          }
        }
      }
      const inScope = subjects.filter(compileScope(initiative.scope, owners));
      scoped.set(initiative.id, inScope);
      const goal = initiative.goal;
      const rank = goal.type === 'level' ? ranks.get(goal.level) ?? 0 : 0;
      for (const subject of inScope) {
        if (goal.type !== 'level' || subject.levelRank < rank) {
          needed.add(subject.entityRef);
        }
      }
    }
    const facts = await this.#cachedFacts();
    const refs = [...needed].filter(ref => !facts.has(ref));
    for (let i = 0; i < refs.length; i += PAGE_SIZE) {
      const chunk = refs.slice(i, i + PAGE_SIZE);
      const [results, states] = await Promise.all([
        this.#options.readinessStore.getResultsOfEntities(chunk),
        this.#options.checklistStore.getItemsOfEntities(chunk),
      ]);
      for (const ref of chunk) {
        facts.set(ref, {
          results: new Map(
            (results.get(ref) ?? []).map(r => [
              r.checkId,
              { status: r.status, message: r.message },
            ]),
          ),
          checklistStates: states.get(ref) ?? [],
        });
      }
    }
    const empty = { results: new Map(), checklistStates: [] };
    const factsOf = (subject: ProgressSubject): GoalFacts => ({
      ...(facts.get(subject.entityRef) ?? empty),
      level: subject.level,
      levelRank: subject.levelRank,
    });

    // Judge, compare with what is stored, write what changed.
    const states = new Map(
      (await this.#store.listProgressStates()).map(s => [s.initiativeId, s]),
    );
    const latest = await this.#store.getLatestCounts();
    const today = now.toISOString().slice(0, 10);
    let history: HistoryReads | undefined;
    for (const initiative of all) {
      const inScope = scoped.get(initiative.id)!;
      const rows: InitiativeEntityRow[] = inScope.map(subject => {
        const outcome = evaluator.evaluate(
          initiative,
          subject,
          factsOf(subject),
          now,
        );
        return {
          entityRef: subject.entityRef,
          state: outcome.state,
          missing: outcome.missing,
          waived: outcome.waived,
          owner: subject.owner,
          kind: subject.kind,
          type: subject.type,
          lifecycle: subject.lifecycle,
          tier: subject.tier,
          system: subject.system,
          level: subject.level,
          score: subject.score,
        };
      });
      const definitionHash = hashJson({
        initiative,
        checks: definition.checks.map(c => [c.id, c.level]),
        levels: definition.levels,
      }).slice(0, 64);
      const state = states.get(initiative.id);
      const previous = state ? await this.#entityRows(initiative.id) : [];
      const before = new Map(previous.map(r => [r.entityRef, r]));
      const upserts = rows.filter(row => {
        const old = before.get(row.entityRef);
        return !old || !sameRow(old, row);
      });
      const seen = new Set(rows.map(r => r.entityRef));
      const deletes = previous
        .map(r => r.entityRef)
        .filter(ref => !seen.has(ref));
      const counts = {
        met: rows.filter(r => r.state === 'met').length,
        exempt: rows.filter(r => r.state === 'exempt').length,
        total: rows.length,
      };
      const replaceBurnUp = state?.definitionHash !== definitionHash;
      let burnUp: BurnUpCounts[] = [];
      if (replaceBurnUp) {
        const days = burnUpDays(initiative, now);
        if (days.length > 0) {
          history ??= await this.#history(all, now);
          burnUp = computeBurnUp(
            initiative,
            evaluator,
            {
              subjects: inScope,
              current: new Map(inScope.map(s => [s.entityRef, factsOf(s)])),
              ...history,
            },
            now,
          );
        }
      }
      if (burnUpDays(initiative, now).at(-1) === today) {
        burnUp = burnUp.filter(point => point.day !== today);
        burnUp.push({ day: today, ...counts });
      }
      const old = latest.get(initiative.id);
      const countsChanged =
        !old ||
        old.met !== counts.met ||
        old.exempt !== counts.exempt ||
        old.total !== counts.total;
      const todayChanged =
        burnUp.length > 0 && (countsChanged || old?.day !== today);
      if (
        !replaceBurnUp &&
        upserts.length === 0 &&
        deletes.length === 0 &&
        !todayChanged
      ) {
        continue;
      }
      const written = await this.#store.writeProgress({
        initiativeId: initiative.id,
        definitionHash,
        computedAt: now,
        upserts,
        deletes,
        burnUp,
        replaceBurnUp,
      });
      this.#clearReadCache();
      this.#rows.set(initiative.id, {
        generation: written.generation,
        rows: [...rows].sort((a, b) => compareText(a.entityRef, b.entityRef)),
      });
      if (countsChanged) {
        await this.#publish(initiative.id, counts, now);
      }
    }
    const gone = [...states.keys()].filter(id => !all.some(i => i.id === id));
    await this.#store.deleteProgress(gone);
    this.#clearReadCache();
    gone.forEach(id => this.#rows.delete(id));
    this.#options.logger.info('Computed the progress of the initiatives', {
      initiatives: all.length,
      entities: subjects.length,
      durationMs: Date.now() - started,
    });
  }

  /**
   * The facts kept from earlier recomputations, without those of entities
   * that changed since (the overview's change log: evaluations, checklist
   * changes, deletions); everything is read again when the log no longer
   * covers the gap, or without a change log.
   */
  async #cachedFacts(): Promise<
    Map<string, Omit<GoalFacts, 'level' | 'levelRank'>>
  > {
    const store = this.#options.readinessStore;
    if (!store.getOverviewGeneration || !store.getOverviewChangesSince) {
      return new Map();
    }
    if (!this.#facts) {
      this.#facts = {
        generation: await store.getOverviewGeneration(),
        byRef: new Map(),
      };
      return this.#facts.byRef;
    }
    const changes = await store.getOverviewChangesSince(this.#facts.generation);
    if ('entityRefs' in changes) {
      for (const ref of changes.entityRefs) {
        this.#facts.byRef.delete(lower(ref));
      }
    } else {
      this.#facts.byRef.clear();
    }
    this.#facts.generation = changes.generation;
    return this.#facts.byRef;
  }

  /** The history the burn-ups are rebuilt from, from the earliest start. */
  async #history(
    all: InitiativeDefinition[],
    now: Date,
  ): Promise<HistoryReads> {
    const first = all
      .map(i => i.startDate)
      .reduce((a, b) => (a < b ? a : b), now.toISOString().slice(0, 10));
    const since = new Date(`${first}T00:00:00Z`);
    const [snapshots, transitions, checklistChanges] = await Promise.all([
      this.#store.readSnapshots(first),
      this.#store.readTransitions(since),
      this.#store.readChecklistChanges(since),
    ]);
    return { snapshots, transitions, checklistChanges };
  }

  async #publish(
    initiativeId: string,
    counts: { met: number; exempt: number; total: number },
    now: Date,
  ) {
    if (!this.#options.events) return;
    const payload: ReadinessInitiativeProgressEvent = {
      initiativeId,
      ...counts,
      notMet: counts.total - counts.met - counts.exempt,
      computedAt: now.toISOString(),
    };
    try {
      await this.#options.events.publish({
        topic: READINESS_EVENT_TOPICS.initiativeProgress,
        eventPayload: payload,
      });
    } catch (error) {
      this.#options.logger.warn(
        `Could not publish the progress of initiative '${initiativeId}': ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  }
}

function toInitiativeEntity(row: InitiativeEntityRow): InitiativeEntity {
  return {
    entityRef: row.entityRef,
    owner: row.owner,
    state: row.state,
    missing: row.missing,
    waived: row.waived,
    level: row.level,
    score: row.score,
  };
}

/** The overview's filter semantics on stored entity rows. */
function compileEntityFilter(options: {
  states?: InitiativeEntityState[];
  owners?: string[];
  filter?: ScoreFilter;
}): (row: InitiativeEntityRow) => boolean {
  const tests: Array<(row: InitiativeEntityRow) => boolean> = [];
  const list = (
    values: ReadonlyArray<string | null> | undefined,
    get: (row: InitiativeEntityRow) => string | null,
    normalise: (v: string) => string = v => v,
  ) => {
    if (!values || values.length === 0) return;
    const set = new Set(values.map(v => (v === null ? null : normalise(v))));
    tests.push(row => {
      const value = get(row);
      return set.has(value === null || value === '' ? null : normalise(value));
    });
  };
  if (options.states?.length) {
    const states = new Set(options.states);
    tests.push(row => states.has(row.state));
  }
  list(options.owners, r => r.owner, lower);
  const f = options.filter ?? {};
  list(f.owners, r => r.owner, lower);
  list(f.systems, r => r.system, lower);
  list(f.lifecycles, r => r.lifecycle);
  list(f.tiers, r => r.tier);
  list(f.levels, r => r.level);
  list(f.types, r => r.type);
  list(f.kinds, r => r.kind, lower);
  const search = f.search?.trim() ? lower(f.search.trim()) : undefined;
  if (search) tests.push(row => row.entityRef.includes(search));
  if (f.entityRefs) {
    const refs = new Set(f.entityRefs.map(lower));
    tests.push(row => refs.has(row.entityRef));
  }
  return row => tests.every(test => test(row));
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
