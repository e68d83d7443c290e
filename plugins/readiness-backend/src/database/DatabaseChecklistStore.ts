import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  AuditEntry,
  ChecklistAuditEvent,
  ChecklistItemSnapshot,
  ChecklistItemState,
  ChecklistItemStatus,
} from '@prodready/plugin-readiness-common';
import { Knex } from 'knex';
import { emptyState } from '../checklists/evaluate';
import type {
  ChecklistAuditQuery,
  ChecklistAuditResult,
  ChecklistItemWrite,
  ChecklistStore,
  ChecklistWaiverStep,
  ChecklistWriteOutcome,
  ExpiringItemsPage,
  ExpiringItemsQuery,
} from '../checklists/ChecklistStore';
import { recordOverviewChanges } from './overviewChanges';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const ITEMS = 'readiness_checklist_items';
const AUDIT = 'readiness_checklist_audit';
/** Entity refs per `IN (...)` list: well under SQLite's 999 bind variables. */
const REFS_PER_QUERY = 500;

interface ItemRow {
  entity_ref: string;
  phase_id: string;
  checklist_id: string | null;
  item_id: string;
  status: string;
  version: number;
  updated_by: string;
  updated_at: Date | string | number;
  evidence_url: string | null;
  note: string | null;
  justification: string | null;
  expires_at: Date | string | number | null;
}

interface AuditRow {
  id: number | string;
  entity_ref: string;
  phase_id: string;
  checklist_id: string | null;
  item_id: string;
  actor: string;
  at: Date | string | number;
  before: string | null;
  after: string;
  evidence_url: string | null;
  event?: string | null;
  waiver_request_id?: string | null;
  reason?: string | null;
}

function normalizeRef(entityRef: string): string {
  return entityRef.toLocaleLowerCase('en-US');
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function toItemState(row: ItemRow): ChecklistItemState {
  const status = row.status as ChecklistItemStatus;
  return {
    entityRef: row.entity_ref,
    phaseId: row.phase_id,
    checklistId: row.checklist_id ?? '',
    itemId: row.item_id,
    status,
    // Who last changed the item and when; for an open item nobody attests.
    ...(status !== 'open' && {
      attestedBy: row.updated_by,
      attestedAt: toDate(row.updated_at).toISOString(),
    }),
    ...(row.evidence_url !== null && { evidenceUrl: row.evidence_url }),
    ...(row.note !== null && { note: row.note }),
    ...(row.justification !== null && { justification: row.justification }),
    ...(row.expires_at !== null && {
      expiresAt: toDate(row.expires_at).toISOString(),
    }),
    version: Number(row.version),
  };
}

function toSnapshot(state: ChecklistItemState): ChecklistItemSnapshot {
  const { entityRef, phaseId, checklistId, itemId, ...snapshot } = state;
  return snapshot;
}

function toAuditEntry(row: AuditRow): AuditEntry {
  return {
    id: String(row.id),
    entityRef: row.entity_ref,
    phaseId: row.phase_id,
    checklistId: row.checklist_id ?? '',
    itemId: row.item_id,
    who: row.actor,
    when: toDate(row.at).toISOString(),
    before: row.before === null ? null : JSON.parse(row.before),
    after: JSON.parse(row.after),
    ...(row.evidence_url !== null && { evidence: row.evidence_url }),
    ...(row.event && { event: row.event as ChecklistAuditEvent }),
    ...(row.waiver_request_id && { waiverRequestId: row.waiver_request_id }),
    ...(row.reason !== null &&
      row.reason !== undefined && { reason: row.reason }),
  };
}

/** The audit columns of a step of a waiver request. */
function waiverColumns(step: ChecklistWaiverStep | undefined) {
  return step
    ? {
        event: step.event,
        waiver_request_id: step.requestId,
        reason: step.reason ?? null,
      }
    : {};
}

/**
 * Writes a checklist item and its audit entry in the transaction `tx`, if
 * the stored version is still `write.expectedVersion`; `undefined` (nothing
 * written) otherwise. What {@link DatabaseChecklistStore.updateItem} does,
 * for callers that write more in the same transaction (waiver approval).
 */
export async function writeChecklistItem(
  tx: Knex.Transaction,
  write: ChecklistItemWrite,
): Promise<{ state: ChecklistItemState; audit: AuditEntry } | undefined> {
  const entityRef = normalizeRef(write.entityRef);
  const key = {
    entity_ref: entityRef,
    phase_id: write.phaseId,
    item_id: write.itemId,
  };
  const row = {
    ...key,
    checklist_id: write.checklistId,
    status: write.status,
    version: write.expectedVersion + 1,
    updated_by: write.actor,
    updated_at: write.at,
    evidence_url: write.evidenceUrl ?? null,
    note: write.note ?? null,
    justification: write.justification ?? null,
    expires_at: write.expiresAt ? new Date(write.expiresAt) : null,
  };

  const previous = await tx<ItemRow>(ITEMS).where(key).forUpdate().first();
  const before = previous ? toItemState(previous) : undefined;
  if ((before?.version ?? 0) !== write.expectedVersion) {
    return undefined;
  }
  if (before) {
    const updated = await tx(ITEMS)
      .where({ ...key, version: write.expectedVersion })
      .update(row);
    if (updated !== 1) {
      return undefined;
    }
  } else {
    const inserted = await tx(ITEMS)
      .insert(row)
      .onConflict(['entity_ref', 'phase_id', 'item_id'])
      .ignore()
      .returning('version');
    if (inserted.length !== 1) {
      return undefined;
    }
  }
  const state = toItemState({ ...row, updated_at: write.at });
  const auditRow = {
    entity_ref: entityRef,
    phase_id: write.phaseId,
    checklist_id: write.checklistId,
    item_id: write.itemId,
    actor: write.actor,
    at: write.at,
    before: before ? JSON.stringify(toSnapshot(before)) : null,
    after: JSON.stringify(toSnapshot(state)),
    evidence_url: write.evidenceUrl ?? null,
    ...waiverColumns(write.waiver),
  };
  const [{ id }] = await tx(AUDIT).insert(auditRow).returning('id');
  // Last: the entity's phase progress in the overview may have changed.
  await recordOverviewChanges(tx, [entityRef], new Date());
  return { state, audit: toAuditEntry({ ...auditRow, id }) };
}

/**
 * Appends a step of a waiver request that changes nothing (a request, a
 * denial, a withdrawal) to the audit trail of its item, in `tx`: the item's
 * current state before and after.
 */
export async function appendChecklistAuditStep(
  tx: Knex.Transaction,
  options: {
    entityRef: string;
    phaseId: string;
    checklistId: string;
    itemId: string;
    actor: string;
    at: Date;
    step: ChecklistWaiverStep;
  },
): Promise<AuditEntry> {
  const entityRef = normalizeRef(options.entityRef);
  const current = await tx<ItemRow>(ITEMS)
    .where({
      entity_ref: entityRef,
      phase_id: options.phaseId,
      item_id: options.itemId,
    })
    .first();
  const snapshot = JSON.stringify(
    toSnapshot(
      current
        ? toItemState(current)
        : emptyState(
            entityRef,
            options.phaseId,
            options.checklistId,
            options.itemId,
          ),
    ),
  );
  const auditRow = {
    entity_ref: entityRef,
    phase_id: options.phaseId,
    checklist_id: options.checklistId,
    item_id: options.itemId,
    actor: options.actor,
    at: options.at,
    before: snapshot,
    after: snapshot,
    evidence_url: null,
    ...waiverColumns(options.step),
  };
  const [{ id }] = await tx(AUDIT).insert(auditRow).returning('id');
  return toAuditEntry({ ...auditRow, id });
}

function encodeCursor(id: string): string {
  return Buffer.from(JSON.stringify({ id }), 'utf8').toString('base64url');
}

function decodeCursor(cursor: string): number {
  let id: unknown;
  try {
    id = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).id;
  } catch {
    id = undefined;
  }
  const value = Number(id);
  if (typeof id !== 'string' || !Number.isSafeInteger(value) || value < 1) {
    throw new InputError(
      `Invalid cursor '${cursor}': expected the nextCursor of a previous page`,
    );
  }
  return value;
}

function encodeItemCursor(key: [string, string, string]): string {
  return Buffer.from(JSON.stringify({ k: key }), 'utf8').toString('base64url');
}

function decodeItemCursor(cursor: string): [string, string, string] {
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')).k;
  } catch {
    key = undefined;
  }
  if (
    !Array.isArray(key) ||
    key.length !== 3 ||
    !key.every(part => typeof part === 'string')
  ) {
    throw new InputError(
      `Invalid cursor '${cursor}': expected the nextCursor of a previous page`,
    );
  }
  return key as [string, string, string];
}

/**
 * {@link ChecklistStore} on the plugin's database (PostgreSQL or SQLite).
 *
 * An update is a compare-and-set on the row's version, in one transaction
 * with its audit entry: on PostgreSQL the row is locked (`FOR UPDATE`) and
 * the update repeats the version condition; the first write of an item is an
 * insert that does nothing on a key conflict. SQLite runs one transaction at
 * a time. Either way a stale version writes nothing, so no update is lost.
 */
export class DatabaseChecklistStore implements ChecklistStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseChecklistStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseChecklistStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async getItems(entityRef: string): Promise<ChecklistItemState[]> {
    const rows = await this.db<ItemRow>(ITEMS)
      .where('entity_ref', normalizeRef(entityRef))
      .orderBy(['phase_id', 'item_id'])
      .select();
    return rows.map(toItemState);
  }

  async getItemsOfEntities(
    entityRefs: string[],
  ): Promise<Map<string, ChecklistItemState[]>> {
    const refs = [...new Set(entityRefs.map(normalizeRef))];
    const result = new Map<string, ChecklistItemState[]>(
      refs.map(ref => [ref, []]),
    );
    for (let i = 0; i < refs.length; i += REFS_PER_QUERY) {
      const rows = await this.db<ItemRow>(ITEMS)
        .whereIn('entity_ref', refs.slice(i, i + REFS_PER_QUERY))
        .orderBy(['entity_ref', 'phase_id', 'item_id'])
        .select();
      for (const row of rows) {
        result.get(row.entity_ref)?.push(toItemState(row));
      }
    }
    return result;
  }

  async getItem(
    entityRef: string,
    phaseId: string,
    itemId: string,
  ): Promise<ChecklistItemState | undefined> {
    const row = await this.db<ItemRow>(ITEMS)
      .where({
        entity_ref: normalizeRef(entityRef),
        phase_id: phaseId,
        item_id: itemId,
      })
      .first();
    return row ? toItemState(row) : undefined;
  }

  async updateItem(write: ChecklistItemWrite): Promise<ChecklistWriteOutcome> {
    const entityRef = normalizeRef(write.entityRef);
    const written = await this.db.transaction(tx =>
      writeChecklistItem(tx, write),
    );

    if (written) {
      return { ok: true, ...written };
    }
    const current =
      (await this.getItem(entityRef, write.phaseId, write.itemId)) ??
      emptyState(entityRef, write.phaseId, write.checklistId, write.itemId);
    return { ok: false, current };
  }

  async listExpiringItems(
    query: ExpiringItemsQuery,
  ): Promise<ExpiringItemsPage> {
    const limit = Math.max(1, Math.floor(query.limit));
    const builder = this.db<ItemRow>(ITEMS)
      .whereNot('status', 'open')
      .where('expires_at', '>=', query.from)
      .where('expires_at', '<', query.to);
    if (query.cursor !== undefined) {
      const key = decodeItemCursor(query.cursor);
      builder.whereRaw('(entity_ref, phase_id, item_id) > (?, ?, ?)', key);
    }
    const rows = await builder
      .orderBy(['entity_ref', 'phase_id', 'item_id'])
      .limit(limit + 1)
      .select();
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    return {
      items: page.map(
        row => toItemState(row) as ChecklistItemState & { expiresAt: string },
      ),
      ...(rows.length > limit &&
        last && {
          nextCursor: encodeItemCursor([
            last.entity_ref,
            last.phase_id,
            last.item_id,
          ]),
        }),
    };
  }

  async listAudit(query: ChecklistAuditQuery): Promise<ChecklistAuditResult> {
    const builder = this.db<AuditRow>(AUDIT)
      .where('entity_ref', normalizeRef(query.entityRef))
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    if (query.phaseId !== undefined) {
      builder.where('phase_id', query.phaseId);
    }
    if (query.itemId !== undefined) {
      builder.where('item_id', query.itemId);
    }
    if (query.cursor !== undefined) {
      builder.where('id', '<', decodeCursor(query.cursor));
    }
    const rows = await builder.select();
    const entries = rows.slice(0, query.limit).map(toAuditEntry);
    const last = entries[entries.length - 1];
    return {
      entries,
      ...(rows.length > query.limit &&
        last?.id !== undefined && { nextCursor: encodeCursor(last.id) }),
    };
  }
}
