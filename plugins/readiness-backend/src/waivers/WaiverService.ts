import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type {
  EntityChecklistItem,
  WaiverDecisionInput,
  WaiverRequest,
  WaiverRequestInput,
  WaiverRequestStatus,
} from '@prodready/plugin-readiness-common';
import type { ChecklistService } from '../checklists/ChecklistService';
import type { WaiverStore, WaiverTransition } from './WaiverStore';

/**
 * Tells people about waiver requests: the approvers of a new request, and
 * the requester of a decision. The notifications of the readiness plugin
 * implement it; by default nobody is told.
 */
export interface WaiverNotifier {
  waiverRequested(
    request: WaiverRequest,
    approverRefs: string[],
  ): Promise<void>;
  waiverDecided(request: WaiverRequest): Promise<void>;
}

/**
 * Which initiatives of an entity require an admin's approval of its waivers
 * (`requireWaiverApproval`); from the initiatives service.
 */
export interface WaiverApprovalRules {
  requiresWaiverApproval(entityRef: string): Promise<string[]>;
}

/** Whether waivers of an entity need an admin's approval, and why. */
export interface WaiverApproval {
  required: boolean;
  /** `readiness.checklists.waiversRequireAdmin` is set. */
  byConfig: boolean;
  /** The initiatives of the entity that require it. */
  initiatives: string[];
}

/** Options of {@link WaiverService}. */
export interface WaiverServiceOptions {
  store: WaiverStore;
  checklists: Pick<
    ChecklistService,
    'prepareItemWrite' | 'getItemState' | 'evaluateItemState' | 'itemChanged'
  >;
  logger: LoggerService;
  /** `readiness.checklists.waiversRequireAdmin`. */
  waiversRequireAdmin: boolean;
  /** Who approves: `readiness.admins`. */
  approvers: string[];
  rules?: WaiverApprovalRules;
  notifier?: WaiverNotifier;
  /** The clock; for tests. */
  now?: () => Date;
}

/** The settings of waiver approval in app-config. */
export function readWaiverSettings(
  config: Config,
): Pick<WaiverServiceOptions, 'waiversRequireAdmin' | 'approvers'> {
  return {
    waiversRequireAdmin:
      config.getOptionalBoolean('readiness.checklists.waiversRequireAdmin') ??
      false,
    approvers: (config.getOptionalStringArray('readiness.admins') ?? []).map(
      ref => ref.toLocaleLowerCase('en-US'),
    ),
  };
}

/** The most characters of a justification or a reason. */
const MAX_TEXT_LENGTH = 2000;

function requiredText(field: 'justification' | 'reason', value: unknown) {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text === '') {
    throw new InputError(`Invalid ${field}: it is required`);
  }
  if (text.length > MAX_TEXT_LENGTH) {
    throw new InputError(
      `Invalid ${field}: it has ${text.length} characters; at most ${MAX_TEXT_LENGTH} are allowed`,
    );
  }
  return text;
}

function refOf(entity: Entity): string {
  return stringifyEntityRef(entity).toLocaleLowerCase('en-US');
}

/** The path to request a waiver of an item, for messages. */
export function waiverRequestPath(
  entityRef: string,
  phaseId: string,
  itemId: string,
): string {
  const [kind, rest] = entityRef.split(':');
  return `POST /waivers/${kind}/${rest}/${encodeURIComponent(
    phaseId,
  )}/items/${encodeURIComponent(itemId)}`;
}

/**
 * Waiver approval. When `readiness.checklists.waiversRequireAdmin` is set,
 * or an initiative of the entity requires approval, an owner requests a
 * waiver of a checklist item (a justification and an expiry) instead of
 * waiving it; an admin approves it (the item is then marked not applicable
 * through the checklist update path: validation, version check, audit
 * entry), denies it, or later revokes it (the item reopens). The requester
 * may withdraw a pending request. Every step is in the item's audit trail;
 * approvers and requesters are notified. Permissions are the router's.
 */
export class WaiverService {
  readonly #store: WaiverStore;
  readonly #checklists: WaiverServiceOptions['checklists'];
  readonly #logger: LoggerService;
  readonly #waiversRequireAdmin: boolean;
  readonly #approvers: string[];
  readonly #rules?: WaiverApprovalRules;
  readonly #notifier?: WaiverNotifier;
  readonly #now: () => Date;

  constructor(options: WaiverServiceOptions) {
    this.#store = options.store;
    this.#checklists = options.checklists;
    this.#logger = options.logger;
    this.#waiversRequireAdmin = options.waiversRequireAdmin;
    this.#approvers = options.approvers;
    this.#rules = options.rules;
    this.#notifier = options.notifier;
    this.#now = options.now ?? (() => new Date());
  }

  /** Whether waivers of the entity need an admin's approval, and why. */
  async approvalFor(entityRef: string): Promise<WaiverApproval> {
    const initiatives = this.#rules
      ? await this.#rules.requiresWaiverApproval(
          entityRef.toLocaleLowerCase('en-US'),
        )
      : [];
    return {
      required: this.#waiversRequireAdmin || initiatives.length > 0,
      byConfig: this.#waiversRequireAdmin,
      initiatives,
    };
  }

  /**
   * The error for a person who may not waive an item directly because
   * waivers of the entity need approval: it says how to request one.
   */
  directWaiverRefusal(
    entityRef: string,
    phaseId: string,
    itemId: string,
    approval: WaiverApproval,
  ): NotAllowedError {
    const why = approval.byConfig
      ? 'waivers need an admin'
      : `initiative ${approval.initiatives.join(
          ', ',
        )} requires approval of waivers`;
    return new NotAllowedError(
      `You may not waive items of ${entityRef} directly (${why}): request a waiver with ${waiverRequestPath(
        entityRef,
        phaseId,
        itemId,
      )} and a justification; an admin approves it`,
    );
  }

  /**
   * Adds a pending request for an item of the entity, validated as the
   * waiver it asks for (justification, expiry at most the longest validity
   * of a waiver away), and tells the approvers.
   */
  async request(options: {
    entity: Entity;
    phaseId: string;
    itemId: string;
    input: WaiverRequestInput;
    actor: string;
  }): Promise<WaiverRequest> {
    const { entity, phaseId, itemId, input, actor } = options;
    const justification = requiredText('justification', input.justification);
    // Validates the item and the waiver as the checklist update would.
    const write = this.#checklists.prepareItemWrite({
      entity,
      phaseId,
      itemId,
      request: {
        status: 'not-applicable',
        justification,
        ...(input.expiresAt !== undefined && { expiresAt: input.expiresAt }),
      },
      expectedVersion: 0,
      actor,
    });
    const entityRef = refOf(entity);
    const approval = await this.approvalFor(entityRef);
    const request = await this.#store.create({
      entityRef,
      phaseId,
      checklistId: write.checklistId,
      itemId,
      justification,
      expiresAt: write.expiresAt!,
      requestedBy: actor,
      requestedAt: write.at,
      initiatives: approval.initiatives,
    });
    this.#logger.info('Requested a waiver', {
      id: request.id,
      entityRef,
      phaseId,
      itemId,
      by: actor,
    });
    await this.#notify(notifier =>
      notifier.waiverRequested(request, this.#approvers),
    );
    return request;
  }

  /**
   * An admin's decision on a request. `getEntity` reads the request's entity
   * (for an approval or a revocation, which change its item).
   */
  async decide(options: {
    id: string;
    input: WaiverDecisionInput;
    actor: string;
    getEntity: (entityRef: string) => Promise<Entity | undefined>;
  }): Promise<{ request: WaiverRequest; item?: EntityChecklistItem }> {
    const { id, input, actor, getEntity } = options;
    const reason = requiredText('reason', input.reason);
    const request = await this.#get(id);
    const at = this.#now();
    let transition: WaiverTransition;
    let entity: Entity | undefined;
    switch (input.decision) {
      case 'approve': {
        this.#expectStatus(request, 'pending', 'approve');
        entity = await this.#entity(request, getEntity);
        if (new Date(request.expiresAt).getTime() <= at.getTime()) {
          throw new ConflictError(
            `Waiver request '${id}' asked for a waiver until ${request.expiresAt}, which has passed; deny it and ask for a new one`,
          );
        }
        const current = await this.#checklists.getItemState(
          entity,
          request.phaseId,
          request.itemId,
        );
        transition = {
          id,
          from: 'pending',
          to: 'approved',
          event: 'waiver-approved',
          actor,
          at,
          reason,
          itemWrite: this.#checklists.prepareItemWrite({
            entity,
            phaseId: request.phaseId,
            itemId: request.itemId,
            request: {
              status: 'not-applicable',
              justification: request.justification,
              expiresAt: request.expiresAt,
            },
            expectedVersion: current.version,
            actor,
          }),
        };
        break;
      }
      case 'deny':
        this.#expectStatus(request, 'pending', 'deny');
        transition = {
          id,
          from: 'pending',
          to: 'denied',
          event: 'waiver-denied',
          actor,
          at,
          reason,
        };
        break;
      case 'revoke': {
        this.#expectStatus(request, 'approved', 'revoke');
        entity = await this.#entity(request, getEntity);
        const current = await this.#checklists.getItemState(
          entity,
          request.phaseId,
          request.itemId,
        );
        transition = {
          id,
          from: 'approved',
          to: 'revoked',
          event: 'waiver-revoked',
          actor,
          at,
          reason,
          // Reopens the item while it is still waived; an item attested or
          // reopened since is left as it is.
          ...(current.status === 'not-applicable' && {
            itemWrite: this.#checklists.prepareItemWrite({
              entity,
              phaseId: request.phaseId,
              itemId: request.itemId,
              request: { status: 'open' },
              expectedVersion: current.version,
              actor,
            }),
          }),
        };
        break;
      }
      default:
        throw new InputError(
          `Invalid decision '${String(
            input.decision,
          )}': expected one of approve, deny, revoke`,
        );
    }
    const outcome = await this.#store.transition(transition);
    if (!outcome.ok) {
      throw outcome.reason === 'status'
        ? this.#statusConflict(outcome.current, input.decision)
        : new ConflictError(
            `Item '${request.itemId}' of phase '${request.phaseId}' of ${request.entityRef} changed while the decision was made; nothing was written, try again`,
          );
    }
    this.#logger.info('Decided a waiver request', {
      id,
      entityRef: request.entityRef,
      decision: input.decision,
      by: actor,
    });
    if (outcome.item) this.#checklists.itemChanged(request.entityRef);
    await this.#notify(notifier => notifier.waiverDecided(outcome.request));
    const item =
      entity && outcome.item
        ? await this.#checklists.evaluateItemState(
            entity,
            request.phaseId,
            request.itemId,
            outcome.item,
          )
        : undefined;
    return { request: outcome.request, ...(item && { item }) };
  }

  /** Withdraws a pending request; only its requester may. */
  async withdraw(options: {
    id: string;
    actor: string;
  }): Promise<WaiverRequest> {
    const request = await this.#get(options.id);
    if (
      request.requestedBy.toLocaleLowerCase('en-US') !==
      options.actor.toLocaleLowerCase('en-US')
    ) {
      throw new NotAllowedError(
        `Only ${request.requestedBy}, who made waiver request '${request.id}', may withdraw it`,
      );
    }
    this.#expectStatus(request, 'pending', 'withdraw');
    const outcome = await this.#store.transition({
      id: request.id,
      from: 'pending',
      to: 'withdrawn',
      event: 'waiver-withdrawn',
      actor: options.actor,
      at: this.#now(),
    });
    if (!outcome.ok) {
      throw outcome.reason === 'status'
        ? this.#statusConflict(outcome.current, 'withdraw')
        : new ConflictError(`Waiver request '${request.id}' changed`);
    }
    this.#logger.info('Withdrew a waiver request', {
      id: request.id,
      by: options.actor,
    });
    return outcome.request;
  }

  async get(id: string): Promise<WaiverRequest> {
    return this.#get(id);
  }

  /**
   * Requests, newest first: of one entity, or of the entities `canSee`
   * accepts (read page by page until `limit` are found).
   */
  async list(options: {
    statuses?: WaiverRequestStatus[];
    entityRef?: string;
    limit: number;
    canSee?: (entityRef: string) => boolean;
  }): Promise<WaiverRequest[]> {
    const { statuses, entityRef, limit, canSee } = options;
    if (!canSee) {
      return this.#store.list({ statuses, entityRef, limit });
    }
    const found: WaiverRequest[] = [];
    const pageSize = Math.max(limit, 100);
    for (let offset = 0; found.length < limit; offset += pageSize) {
      const page = await this.#store.list({
        statuses,
        entityRef,
        limit: pageSize,
        offset,
      });
      found.push(...page.filter(request => canSee(request.entityRef)));
      if (page.length < pageSize) break;
    }
    return found.slice(0, limit);
  }

  async #get(id: string): Promise<WaiverRequest> {
    const request = await this.#store.get(id);
    if (!request) {
      throw new NotFoundError(`There is no waiver request with id '${id}'`);
    }
    return request;
  }

  async #entity(
    request: WaiverRequest,
    getEntity: (entityRef: string) => Promise<Entity | undefined>,
  ): Promise<Entity> {
    const entity = await getEntity(request.entityRef);
    if (!entity) {
      throw new ConflictError(
        `The catalog no longer has ${request.entityRef}, the entity of waiver request '${request.id}'`,
      );
    }
    return entity;
  }

  #expectStatus(
    request: WaiverRequest,
    status: WaiverRequestStatus,
    action: string,
  ) {
    if (request.status !== status) {
      throw this.#statusConflict(request, action);
    }
  }

  #statusConflict(request: WaiverRequest, action: string): ConflictError {
    const expected = action === 'revoke' ? 'approved' : 'pending';
    return new ConflictError(
      `Cannot ${action} waiver request '${request.id}': it is ${
        request.status
      }${
        request.decidedBy ? ` (by ${request.decidedBy})` : ''
      }, not ${expected}`,
    );
  }

  async #notify(send: (notifier: WaiverNotifier) => Promise<void>) {
    if (!this.#notifier) return;
    try {
      await send(this.#notifier);
    } catch (error) {
      // The step is written; a failed notification does not undo it.
      this.#logger.warn('Could not send the waiver notification', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }
}
