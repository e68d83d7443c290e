import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { ConflictError, NotFoundError } from '@backstage/errors';
import type {
  ChecklistItemState,
  WaiverRequest,
  WaiverRequestStatus,
} from '@prodready/plugin-readiness-common';
import { randomUUID } from 'crypto';
import { Knex } from 'knex';
import {
  appendChecklistAuditStep,
  writeChecklistItem,
} from '../database/DatabaseChecklistStore';
import type {
  NewWaiverRequest,
  WaiverRequestQuery,
  WaiverStore,
  WaiverTransition,
  WaiverTransitionOutcome,
} from './WaiverStore';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const REQUESTS = 'readiness_waiver_requests';

interface RequestRow {
  id: string;
  entity_ref: string;
  phase_id: string;
  checklist_id: string;
  item_id: string;
  justification: string;
  expires_at: Date | string | number;
  requested_by: string;
  requested_at: Date | string | number;
  status: string;
  decided_by: string | null;
  decided_at: Date | string | number | null;
  reason: string | null;
  initiatives: string | null;
  pending_key: string | null;
}

function normalizeRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

function toIso(value: Date | string | number): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

function pendingKey(entityRef: string, phaseId: string, itemId: string) {
  return `${entityRef} ${phaseId} ${itemId}`;
}

function toRequest(row: RequestRow): WaiverRequest {
  const initiatives: string[] = row.initiatives
    ? JSON.parse(row.initiatives)
    : [];
  return {
    id: row.id,
    entityRef: row.entity_ref,
    phaseId: row.phase_id,
    checklistId: row.checklist_id,
    itemId: row.item_id,
    justification: row.justification,
    expiresAt: toIso(row.expires_at),
    requestedBy: row.requested_by,
    requestedAt: toIso(row.requested_at),
    status: row.status as WaiverRequestStatus,
    ...(row.decided_by !== null && { decidedBy: row.decided_by }),
    ...(row.decided_at !== null && { decidedAt: toIso(row.decided_at) }),
    ...(row.reason !== null && { reason: row.reason }),
    ...(initiatives.length > 0 && { initiatives }),
  };
}

/** Whether an error is a violation of a unique index, on either engine. */
function isUniqueViolation(error: unknown): boolean {
  return (
    error instanceof Error &&
    /unique|duplicate/i.test(`${error.message} ${(error as any).code ?? ''}`)
  );
}

/** Rolls a transaction back when the item's version check fails. */
class ItemVersionConflict extends Error {}

/**
 * {@link WaiverStore} on the plugin's database (PostgreSQL or SQLite).
 *
 * One pending request per item is kept by a unique `pending_key`, set while
 * the request is pending. A transition locks the request row (`FOR UPDATE`
 * on PostgreSQL; SQLite runs one transaction at a time), checks its status,
 * writes the item change under its version check and the audit entry, or
 * writes nothing.
 */
export class DatabaseWaiverStore implements WaiverStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseWaiverStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseWaiverStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async create(request: NewWaiverRequest): Promise<WaiverRequest> {
    const entityRef = normalizeRef(request.entityRef);
    const key = pendingKey(entityRef, request.phaseId, request.itemId);
    const row: RequestRow = {
      id: randomUUID(),
      entity_ref: entityRef,
      phase_id: request.phaseId,
      checklist_id: request.checklistId,
      item_id: request.itemId,
      justification: request.justification,
      expires_at: new Date(request.expiresAt),
      requested_by: request.requestedBy,
      requested_at: request.requestedAt,
      status: 'pending',
      decided_by: null,
      decided_at: null,
      reason: null,
      initiatives:
        request.initiatives.length > 0
          ? JSON.stringify(request.initiatives)
          : null,
      pending_key: key,
    };
    const conflict = () =>
      new ConflictError(
        `Item '${request.itemId}' of phase '${request.phaseId}' of ${entityRef} already has a pending waiver request; withdraw it or wait for the decision`,
      );
    try {
      await this.db.transaction(async tx => {
        const pending = await tx<RequestRow>(REQUESTS)
          .where('pending_key', key)
          .first();
        if (pending) {
          throw conflict();
        }
        await tx(REQUESTS).insert(row);
        await appendChecklistAuditStep(tx, {
          entityRef,
          phaseId: request.phaseId,
          checklistId: request.checklistId,
          itemId: request.itemId,
          actor: request.requestedBy,
          at: request.requestedAt,
          step: {
            event: 'waiver-requested',
            requestId: row.id,
            reason: request.justification,
          },
        });
      });
    } catch (error) {
      // A concurrent request for the same item won the unique key.
      if (isUniqueViolation(error)) {
        throw conflict();
      }
      throw error;
    }
    return toRequest(row);
  }

  async get(id: string): Promise<WaiverRequest | undefined> {
    const row = await this.db<RequestRow>(REQUESTS).where('id', id).first();
    return row ? toRequest(row) : undefined;
  }

  async list(query: WaiverRequestQuery): Promise<WaiverRequest[]> {
    const builder = this.db<RequestRow>(REQUESTS)
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(query.limit)
      .offset(query.offset ?? 0);
    if (query.statuses && query.statuses.length > 0) {
      builder.whereIn('status', query.statuses);
    }
    if (query.entityRef !== undefined) {
      builder.where('entity_ref', normalizeRef(query.entityRef));
    }
    return (await builder.select()).map(toRequest);
  }

  async currentOfEntity(entityRef: string): Promise<WaiverRequest[]> {
    const rows = await this.db<RequestRow>(REQUESTS)
      .where('entity_ref', normalizeRef(entityRef))
      .orderBy([
        { column: 'requested_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .select();
    const byItem = new Map<string, RequestRow>();
    for (const row of rows) {
      const key = `${row.phase_id}\u0000${row.item_id}`;
      const kept = byItem.get(key);
      // The newest, unless an older one is the pending one.
      if (!kept || (row.status === 'pending' && kept.status !== 'pending')) {
        byItem.set(key, row);
      }
    }
    return [...byItem.values()].map(toRequest);
  }

  async transition(
    transition: WaiverTransition,
  ): Promise<WaiverTransitionOutcome> {
    try {
      return await this.db.transaction(async tx => {
        const row = await tx<RequestRow>(REQUESTS)
          .where('id', transition.id)
          .forUpdate()
          .first();
        if (!row) {
          throw new NotFoundError(
            `There is no waiver request with id '${transition.id}'`,
          );
        }
        if (row.status !== transition.from) {
          return {
            ok: false as const,
            reason: 'status' as const,
            current: toRequest(row),
          };
        }
        const step = {
          event: transition.event,
          requestId: row.id,
          ...(transition.reason !== undefined && {
            reason: transition.reason,
          }),
        };
        let item: ChecklistItemState | undefined;
        if (transition.itemWrite) {
          const written = await writeChecklistItem(tx, {
            ...transition.itemWrite,
            waiver: step,
          });
          if (!written) {
            throw new ItemVersionConflict();
          }
          item = written.state;
        } else {
          await appendChecklistAuditStep(tx, {
            entityRef: row.entity_ref,
            phaseId: row.phase_id,
            checklistId: row.checklist_id,
            itemId: row.item_id,
            actor: transition.actor,
            at: transition.at,
            step,
          });
        }
        const update = {
          status: transition.to,
          decided_by: transition.actor,
          decided_at: transition.at,
          reason: transition.reason ?? null,
          pending_key: null,
        };
        const updated = await tx(REQUESTS)
          .where({ id: row.id, status: transition.from })
          .update(update);
        if (updated !== 1) {
          // Cannot happen under the row lock; nothing is written if it does.
          throw new ConflictError(
            `Waiver request '${row.id}' changed while it was being decided`,
          );
        }
        return {
          ok: true as const,
          request: toRequest({ ...row, ...update }),
          ...(item && { item }),
        };
      });
    } catch (error) {
      if (error instanceof ItemVersionConflict) {
        return { ok: false, reason: 'item-version' };
      }
      throw error;
    }
  }
}
