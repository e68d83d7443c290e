import type { Entity } from '@backstage/catalog-model';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ApplicabilitySubject,
  ChecklistAuditPage,
  ChecklistItemState,
  ChecklistItemUpdateRequest,
  EntityChecklistItem,
  EntityChecklists,
  OverviewPhaseProgress,
  PhaseDefinition,
  PhaseSummary,
  WaiverRequest,
  getApplicabilitySubject,
  isApplicable,
} from '@prodready/plugin-readiness-common';
import type { ReadinessStore } from '../database/ReadinessStore';
import type { ScorecardDefinition } from '../service/engine/types';
import type {
  ChecklistItemWrite,
  ChecklistStore,
  ChecklistWaiverStep,
} from './ChecklistStore';
import {
  ChecklistInputs,
  ItemCheckResult,
  applicablePhases,
  emptyState,
  evaluateEntityChecklists,
  evaluateItem,
  findItem,
  overviewPhaseProgress,
} from './evaluate';
import { ChecklistSettings } from './loadPhases';
import { validateItemChange } from './validateUpdate';

/** The phase progress of an entity in the overview. */
export interface OverviewProgress {
  phases: OverviewPhaseProgress[];
  /**
   * When the progress next changes with time alone (the earliest expiry of
   * an attestation or waiver in force), in ms since the epoch; absent if
   * never.
   */
  validUntil?: number;
}

/** The outcome of {@link ChecklistService.updateItem}. */
export type ChecklistUpdateOutcome =
  | { ok: true; item: EntityChecklistItem }
  | { ok: false; current: EntityChecklistItem };

/** An entity of the overview: its ref and what applicability depends on. */
export interface OverviewSubject {
  entityRef: string;
  kind: string;
  type?: string | null;
  lifecycle?: string | null;
  tier?: string | null;
}

/** Options of {@link ChecklistService}. */
export interface ChecklistServiceOptions {
  phases: ReadonlyArray<PhaseDefinition>;
  settings: ChecklistSettings;
  store: ChecklistStore;
  /** Where the check results of automatic items come from. */
  readinessStore: Pick<ReadinessStore, 'getResultsOfEntities'>;
  /** The scorecard definition in force, for check titles. */
  getDefinition: () => ScorecardDefinition;
  /** The clock; for tests. */
  now?: () => Date;
  /**
   * The waiver requests of entities, so that each item carries its pending
   * (or latest) request; without it, items carry none.
   */
  waiverRequests?: WaiverRequestReader;
}

/** Reads the waiver requests of an entity's items. */
export interface WaiverRequestReader {
  /**
   * For each item of the entity that has requests: its pending request, or
   * else its latest one.
   */
  currentOfEntity(entityRef: string): Promise<WaiverRequest[]>;
}

/**
 * The checklists of the phases in force: each entity's items with their
 * effective status and progress, validated and versioned updates with their
 * audit trail, and phase progress for the overview. Permissions are the
 * router's business.
 */
export class ChecklistService {
  readonly #phases: ReadonlyArray<PhaseDefinition>;
  readonly #settings: ChecklistSettings;
  readonly #store: ChecklistStore;
  readonly #readinessStore: Pick<ReadinessStore, 'getResultsOfEntities'>;
  readonly #getDefinition: () => ScorecardDefinition;
  readonly #now: () => Date;
  readonly #waiverRequests?: WaiverRequestReader;
  readonly #listeners = new Array<(entityRef: string) => void>();
  /** The check titles of the definition in force, built once per definition. */
  #titles?: {
    definition: ScorecardDefinition;
    byId: ReadonlyMap<string, string>;
  };

  constructor(options: ChecklistServiceOptions) {
    this.#phases = options.phases;
    this.#settings = options.settings;
    this.#store = options.store;
    this.#readinessStore = options.readinessStore;
    this.#getDefinition = options.getDefinition;
    this.#now = options.now ?? (() => new Date());
    this.#waiverRequests = options.waiverRequests;
  }

  /**
   * Calls the listener after each item change written (an attestation, a
   * waiver, an approved or revoked waiver request), with the entity ref:
   * initiative progress follows the checklists. Listeners must not throw.
   */
  onItemChanged(listener: (entityRef: string) => void): void {
    this.#listeners.push(listener);
  }

  /** Tells the listeners that an item of the entity changed. */
  itemChanged(entityRef: string): void {
    for (const listener of this.#listeners) {
      listener(entityRef);
    }
  }

  /** The longest validity of a waiver, in ms. */
  getWaiverMaxAgeMs(): number {
    return this.#settings.waiverMaxAgeMs;
  }

  /** The phases in force, in order. */
  getPhases(): ReadonlyArray<PhaseDefinition> {
    return this.#phases;
  }

  /** The phases in force, without their items. */
  getPhaseSummaries(): PhaseSummary[] {
    return this.#phases.map(phase => ({
      id: phase.id,
      title: phase.title,
      ...(phase.order !== undefined && { order: phase.order }),
      checklists: phase.checklists.map(checklist => ({
        id: checklist.id,
        title: checklist.title,
        itemCount: checklist.items.length,
      })),
    }));
  }

  /** The checklists of the phases that apply to an entity. */
  async getEntityChecklists(entity: Entity): Promise<EntityChecklists> {
    const entityRef = refOf(entity);
    const [states, results] = await Promise.all([
      this.#store.getItems(entityRef),
      this.#results([entityRef]),
    ]);
    const inputs = this.#inputs(
      entityRef,
      states,
      results.get(entityRef) ?? [],
    );
    const checklists = evaluateEntityChecklists(
      this.#phases,
      getApplicabilitySubject(entity),
      inputs,
    );
    if (this.#waiverRequests) {
      const requests = await this.#waiverRequests.currentOfEntity(entityRef);
      if (requests.length > 0) {
        const byItem = new Map(
          requests.map(request => [
            `${request.phaseId}/${request.itemId}`,
            request,
          ]),
        );
        for (const phase of checklists.phases) {
          for (const checklist of phase.checklists) {
            for (const item of checklist.items) {
              const request = byItem.get(`${phase.id}/${item.definition.id}`);
              if (request) item.waiverRequest = request;
            }
          }
        }
      }
    }
    return checklists;
  }

  /**
   * Validates and writes a change to an item of an entity, if the stored
   * version is still `expectedVersion`. Throws `NotFoundError` for an
   * unknown phase or item, `InputError` for a phase that does not apply to
   * the entity or an invalid change; on a stale version writes nothing and
   * returns the current item.
   */
  async updateItem(options: {
    entity: Entity;
    phaseId: string;
    itemId: string;
    request: ChecklistItemUpdateRequest;
    expectedVersion: number;
    actor: string;
  }): Promise<ChecklistUpdateOutcome> {
    const { entity, phaseId, itemId } = options;
    const write = this.prepareItemWrite(options);
    const outcome = await this.#store.updateItem(write);
    if (outcome.ok) this.itemChanged(write.entityRef);
    return outcome.ok
      ? {
          ok: true,
          item: await this.evaluateItemState(
            entity,
            phaseId,
            itemId,
            outcome.state,
          ),
        }
      : {
          ok: false,
          current: await this.evaluateItemState(
            entity,
            phaseId,
            itemId,
            outcome.current,
          ),
        };
  }

  /**
   * The validated write of a change to an item of an entity, at the
   * service's clock, as {@link ChecklistService.updateItem} makes it (for
   * callers that write it with more in one transaction: waiver approval).
   * Throws as `updateItem` does.
   */
  prepareItemWrite(options: {
    entity: Entity;
    phaseId: string;
    itemId: string;
    request: ChecklistItemUpdateRequest;
    expectedVersion: number;
    actor: string;
    waiver?: ChecklistWaiverStep;
  }): ChecklistItemWrite {
    const { entity, phaseId, itemId, request, expectedVersion, actor } =
      options;
    const { definition, checklistId } = this.resolveItem(
      entity,
      phaseId,
      itemId,
    );
    const now = this.#now();
    const change = validateItemChange(definition, request, {
      now,
      waiverMaxAgeMs: this.#settings.waiverMaxAgeMs,
    });
    return {
      entityRef: refOf(entity),
      phaseId,
      checklistId,
      itemId,
      ...change,
      actor,
      at: now,
      expectedVersion,
      ...(options.waiver && { waiver: options.waiver }),
    };
  }

  /**
   * An item of an entity with the given stored state (as written, or the
   * current one), its checks and its waiver request.
   */
  async evaluateItemState(
    entity: Entity,
    phaseId: string,
    itemId: string,
    state: ChecklistItemState,
  ): Promise<EntityChecklistItem> {
    const entityRef = refOf(entity);
    const { definition } = this.resolveItem(entity, phaseId, itemId);
    const inputs = this.#inputs(
      entityRef,
      [],
      (await this.#results([entityRef])).get(entityRef) ?? [],
    );
    const item = evaluateItem(definition, state, inputs);
    const request = (
      await this.#waiverRequests?.currentOfEntity(entityRef)
    )?.find(r => r.phaseId === phaseId && r.itemId === itemId);
    return request ? { ...item, waiverRequest: request } : item;
  }

  /** The stored state of an item of an entity (version 0 if never changed). */
  async getItemState(
    entity: Entity,
    phaseId: string,
    itemId: string,
  ): Promise<ChecklistItemState> {
    const { checklistId } = this.resolveItem(entity, phaseId, itemId);
    const entityRef = refOf(entity);
    return (
      (await this.#store.getItem(entityRef, phaseId, itemId)) ??
      emptyState(entityRef, phaseId, checklistId, itemId)
    );
  }

  /**
   * The definition and checklist of an item of a phase that applies to the
   * entity; throws `NotFoundError` or `InputError` otherwise.
   */
  resolveItem(entity: Entity, phaseId: string, itemId: string) {
    const phase = this.#phases.find(p => p.id === phaseId);
    if (!phase) {
      throw new NotFoundError(
        `Unknown phase '${phaseId}'; the phases are ${
          this.#phases.map(p => p.id).join(', ') || 'none'
        }`,
      );
    }
    if (!isApplicable(phase.applicability, getApplicabilitySubject(entity))) {
      throw new InputError(
        `Phase '${phaseId}' does not apply to ${refOf(entity)}`,
      );
    }
    const found = findItem(phase, itemId);
    if (!found) {
      throw new NotFoundError(`Unknown item '${itemId}' of phase '${phaseId}'`);
    }
    return found;
  }

  /** A page of the audit trail of an entity, newest first. */
  async listAudit(options: {
    entityRef: string;
    phaseId?: string;
    itemId?: string;
    limit: number;
    cursor?: string;
  }): Promise<ChecklistAuditPage> {
    const page = await this.#store.listAudit(options);
    return {
      entries: page.entries,
      ...(page.nextCursor !== undefined && { nextCursor: page.nextCursor }),
    };
  }

  /**
   * The done/total of each phase that applies to each of the given entities
   * (a page of the overview), by entity ref, with the time at which it
   * changes by itself.
   */
  async getOverviewProgress(
    subjects: ReadonlyArray<OverviewSubject>,
  ): Promise<Map<string, OverviewProgress>> {
    const result = new Map<string, OverviewProgress>();
    const relevant = subjects.filter(
      subject => applicablePhases(this.#phases, toSubject(subject)).length > 0,
    );
    for (const subject of subjects) {
      result.set(subject.entityRef, { phases: [] });
    }
    if (relevant.length === 0) {
      return result;
    }
    const states = await this.#store.getItemsOfEntities(
      relevant.map(subject => subject.entityRef),
    );
    // The check results of the whole page in one read.
    const results = await this.#results(
      relevant.map(subject => subject.entityRef),
    );
    for (const subject of relevant) {
      const ref = subject.entityRef.toLocaleLowerCase('en-US');
      const inputs = this.#inputs(
        ref,
        states.get(ref) ?? [],
        results.get(subject.entityRef) ?? [],
      );
      const validUntil = nextExpiry(inputs.states, inputs.now);
      result.set(subject.entityRef, {
        phases: overviewPhaseProgress(this.#phases, toSubject(subject), inputs),
        ...(validUntil !== undefined && { validUntil }),
      });
    }
    return result;
  }

  /** Whether any phase in force binds items to checks. */
  #needsResults(): boolean {
    return this.#phases.some(phase =>
      phase.checklists.some(checklist =>
        checklist.items.some(item => item.kind !== 'manual'),
      ),
    );
  }

  /** The current check results of entities, if any phase needs them. */
  async #results(
    entityRefs: string[],
  ): Promise<
    Map<string, ReadonlyArray<ItemCheckResult & { checkId: string }>>
  > {
    if (!this.#needsResults()) {
      return new Map();
    }
    return this.#readinessStore.getResultsOfEntities(entityRefs);
  }

  #checkTitles(): ReadonlyMap<string, string> {
    const definition = this.#getDefinition();
    if (this.#titles?.definition !== definition) {
      this.#titles = {
        definition,
        byId: new Map(definition.checks.map(check => [check.id, check.title])),
      };
    }
    return this.#titles.byId;
  }

  #inputs(
    entityRef: string,
    states: ChecklistInputs['states'],
    checkResults: ReadonlyArray<ItemCheckResult & { checkId: string }>,
  ): ChecklistInputs {
    const results = new Map<string, ItemCheckResult>();
    for (const result of checkResults) {
      results.set(result.checkId, {
        status: result.status,
        message: result.message,
      });
    }
    return {
      entityRef,
      states,
      results,
      checkTitles: this.#checkTitles(),
      now: this.#now(),
      expiringSoonMs: this.#settings.expiringSoonMs,
    };
  }
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

function toSubject(subject: OverviewSubject): ApplicabilitySubject {
  return {
    kind: subject.kind,
    ...(subject.type && { type: subject.type }),
    ...(subject.lifecycle && { lifecycle: subject.lifecycle }),
    ...(subject.tier && { tier: subject.tier as ApplicabilitySubject['tier'] }),
  };
}

/**
 * The earliest future expiry of the attestations and waivers in force, in ms
 * since the epoch: when an item falls back to open without any write.
 */
function nextExpiry(
  states: ChecklistInputs['states'],
  now: Date,
): number | undefined {
  let earliest: number | undefined;
  for (const state of states) {
    if (state.status === 'open' || !state.expiresAt) continue;
    const at = new Date(state.expiresAt).getTime();
    if (at > now.getTime() && (earliest === undefined || at < earliest)) {
      earliest = at;
    }
  }
  return earliest;
}
