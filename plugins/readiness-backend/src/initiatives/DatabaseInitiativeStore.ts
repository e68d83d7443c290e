import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import type {
  CheckResultStatus,
  ChecklistItemSnapshot,
  InitiativeAuditEntry,
  InitiativeDefinition,
  InitiativeEntityState,
} from '@prodready/plugin-readiness-common';
import { Knex } from 'knex';
import type {
  BurnUpCounts,
  ChecklistChange,
  CheckTransition,
  LevelSnapshot,
} from './burnUp';
import type {
  InitiativeEntityRow,
  InitiativeProgressState,
  InitiativeStore,
  InitiativeWriteOutcome,
  StoredInitiative,
} from './InitiativeStore';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const INITIATIVES = 'readiness_initiatives';
const AUDIT = 'readiness_initiative_audit';
const ENTITIES = 'readiness_initiative_entities';
const BURNUP = 'readiness_initiative_burnup';
const PROGRESS = 'readiness_initiative_progress';
/** Rows per multi-row insert: well under SQLite's bind variable limit. */
const ROWS_PER_INSERT = 50;
const REFS_PER_QUERY = 500;

type Time = Date | string | number;

function toDate(value: Time): Date {
  if (value instanceof Date) return value;
  const numeric = Number(value);
  return new Date(Number.isFinite(numeric) ? numeric : value);
}

interface InitiativeRow {
  id: string;
  definition: string;
  version: number;
  created_by: string;
  created_at: Time;
  updated_by: string;
  updated_at: Time;
}

function toStored(row: InitiativeRow): StoredInitiative {
  return {
    definition: JSON.parse(row.definition),
    version: Number(row.version),
    createdBy: row.created_by,
    createdAt: toDate(row.created_at),
    updatedBy: row.updated_by,
    updatedAt: toDate(row.updated_at),
  };
}

interface EntityRow {
  initiative_id: string;
  entity_ref: string;
  state: string;
  missing: string;
  waived: string;
  owner: string | null;
  kind: string;
  type: string | null;
  lifecycle: string | null;
  tier: string | null;
  system: string | null;
  level: string | null;
  score: number | string;
}

function toEntity(row: EntityRow): InitiativeEntityRow {
  return {
    entityRef: row.entity_ref,
    state: row.state as InitiativeEntityState,
    missing: JSON.parse(row.missing),
    waived: JSON.parse(row.waived),
    owner: row.owner,
    kind: row.kind,
    type: row.type,
    lifecycle: row.lifecycle,
    tier: row.tier,
    system: row.system,
    level: row.level,
    score: Number(row.score),
  };
}

function toEntityRow(initiativeId: string, e: InitiativeEntityRow): EntityRow {
  return {
    initiative_id: initiativeId,
    entity_ref: e.entityRef,
    state: e.state,
    missing: JSON.stringify(e.missing),
    waived: JSON.stringify(e.waived),
    owner: e.owner,
    kind: e.kind,
    type: e.type,
    lifecycle: e.lifecycle,
    tier: e.tier,
    system: e.system,
    level: e.level,
    score: e.score,
  };
}

function chunks<T>(list: ReadonlyArray<T>, size: number): T[][] {
  const result: T[][] = [];
  for (let i = 0; i < list.length; i += size) {
    result.push(list.slice(i, i + size));
  }
  return result;
}

/** {@link InitiativeStore} on the plugin's database (SQLite or PostgreSQL). */
export class DatabaseInitiativeStore implements InitiativeStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseInitiativeStore> {
    const client = await options.database.getClient();
    if (!options.database.migrations?.skip && !options.skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseInitiativeStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async listInitiatives(): Promise<StoredInitiative[]> {
    const rows = await this.db<InitiativeRow>(INITIATIVES).orderBy('id');
    return rows.map(toStored);
  }

  async getInitiative(id: string): Promise<StoredInitiative | undefined> {
    const row = await this.db<InitiativeRow>(INITIATIVES).where({ id }).first();
    return row ? toStored(row) : undefined;
  }

  async createInitiative(
    definition: InitiativeDefinition,
    options: { actor: string; at: Date },
  ): Promise<InitiativeWriteOutcome> {
    return this.db.transaction(async tx => {
      const existing = await tx<InitiativeRow>(INITIATIVES)
        .where({ id: definition.id })
        .first();
      if (existing) return { ok: false, current: toStored(existing) };
      const row: InitiativeRow = {
        id: definition.id,
        definition: JSON.stringify(definition),
        version: 1,
        created_by: options.actor,
        created_at: options.at,
        updated_by: options.actor,
        updated_at: options.at,
      };
      // A concurrent create of the same id fails on the primary key.
      await tx(INITIATIVES).insert(row);
      await tx(AUDIT).insert({
        initiative_id: definition.id,
        action: 'created',
        actor: options.actor,
        at: options.at,
        before: null,
        after: row.definition,
      });
      return { ok: true, initiative: toStored(row) };
    });
  }

  async updateInitiative(
    definition: InitiativeDefinition,
    options: { actor: string; at: Date; expectedVersion: number },
  ): Promise<InitiativeWriteOutcome> {
    return this.db.transaction(async tx => {
      const existing = await tx<InitiativeRow>(INITIATIVES)
        .where({ id: definition.id })
        .first();
      if (!existing || Number(existing.version) !== options.expectedVersion) {
        return { ok: false, current: existing && toStored(existing) };
      }
      const after = JSON.stringify(definition);
      const updated = await tx(INITIATIVES)
        .where({ id: definition.id, version: options.expectedVersion })
        .update({
          definition: after,
          version: options.expectedVersion + 1,
          updated_by: options.actor,
          updated_at: options.at,
        });
      if (updated !== 1) {
        const current = await tx<InitiativeRow>(INITIATIVES)
          .where({ id: definition.id })
          .first();
        return { ok: false, current: current && toStored(current) };
      }
      await tx(AUDIT).insert({
        initiative_id: definition.id,
        action: 'updated',
        actor: options.actor,
        at: options.at,
        before: existing.definition,
        after,
      });
      return {
        ok: true,
        initiative: {
          ...toStored(existing),
          definition,
          version: options.expectedVersion + 1,
          updatedBy: options.actor,
          updatedAt: options.at,
        },
      };
    });
  }

  async deleteInitiative(
    id: string,
    options: { actor: string; at: Date; expectedVersion?: number },
  ): Promise<InitiativeWriteOutcome> {
    return this.db.transaction(async tx => {
      const existing = await tx<InitiativeRow>(INITIATIVES)
        .where({ id })
        .first();
      if (
        !existing ||
        (options.expectedVersion !== undefined &&
          Number(existing.version) !== options.expectedVersion)
      ) {
        return { ok: false, current: existing && toStored(existing) };
      }
      const deleted = await tx(INITIATIVES)
        .where({ id, version: existing.version })
        .delete();
      if (deleted !== 1) {
        const current = await tx<InitiativeRow>(INITIATIVES)
          .where({ id })
          .first();
        return { ok: false, current: current && toStored(current) };
      }
      await tx(ENTITIES).where({ initiative_id: id }).delete();
      await tx(BURNUP).where({ initiative_id: id }).delete();
      await tx(PROGRESS).where({ initiative_id: id }).delete();
      await tx(AUDIT).insert({
        initiative_id: id,
        action: 'deleted',
        actor: options.actor,
        at: options.at,
        before: existing.definition,
        after: null,
      });
      return { ok: true, initiative: toStored(existing) };
    });
  }

  async listAudit(query: {
    initiativeId: string;
    limit: number;
    cursor?: string;
  }): Promise<{ entries: InitiativeAuditEntry[]; nextCursor?: string }> {
    let before: number | undefined;
    if (query.cursor !== undefined) {
      before = Number(query.cursor);
      if (!Number.isSafeInteger(before) || before < 1) {
        throw new InputError(`Invalid cursor '${query.cursor}'`);
      }
    }
    const rows = await this.db(AUDIT)
      .where({ initiative_id: query.initiativeId })
      .modify(q => {
        if (before !== undefined) q.where('id', '<', before);
      })
      .orderBy('id', 'desc')
      .limit(query.limit + 1);
    const page = rows.slice(0, query.limit);
    return {
      entries: page.map((row: any) => ({
        id: String(row.id),
        initiativeId: row.initiative_id,
        action: row.action,
        who: row.actor,
        when: toDate(row.at).toISOString(),
        before: row.before ? JSON.parse(row.before) : null,
        after: row.after ? JSON.parse(row.after) : null,
      })),
      ...(rows.length > query.limit && {
        nextCursor: String(page[page.length - 1].id),
      }),
    };
  }

  async listProgressStates(): Promise<InitiativeProgressState[]> {
    const rows = await this.db(PROGRESS).orderBy('initiative_id');
    return rows.map(row => ({
      initiativeId: row.initiative_id,
      definitionHash: row.definition_hash,
      generation: Number(row.generation),
      computedAt: toDate(row.computed_at),
    }));
  }

  async getEntities(initiativeId: string): Promise<InitiativeEntityRow[]> {
    const rows = await this.db<EntityRow>(ENTITIES)
      .where({ initiative_id: initiativeId })
      .orderBy('entity_ref');
    return rows.map(toEntity);
  }

  async getEntityInitiatives(
    entityRef: string,
  ): Promise<Array<InitiativeEntityRow & { initiativeId: string }>> {
    const rows = await this.db<EntityRow>(ENTITIES)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy('initiative_id');
    return rows.map(row => ({
      ...toEntity(row),
      initiativeId: row.initiative_id,
    }));
  }

  async writeProgress(write: {
    initiativeId: string;
    definitionHash: string;
    computedAt: Date;
    upserts: InitiativeEntityRow[];
    deletes: string[];
    burnUp: BurnUpCounts[];
    replaceBurnUp: boolean;
  }): Promise<InitiativeProgressState> {
    const { initiativeId } = write;
    return this.db.transaction(async tx => {
      for (const refs of chunks(write.deletes, REFS_PER_QUERY)) {
        await tx(ENTITIES)
          .where({ initiative_id: initiativeId })
          .whereIn('entity_ref', refs)
          .delete();
      }
      for (const rows of chunks(write.upserts, ROWS_PER_INSERT)) {
        await tx(ENTITIES)
          .insert(rows.map(row => toEntityRow(initiativeId, row)))
          .onConflict(['initiative_id', 'entity_ref'])
          .merge();
      }
      if (write.replaceBurnUp) {
        await tx(BURNUP).where({ initiative_id: initiativeId }).delete();
      }
      for (const points of chunks(write.burnUp, ROWS_PER_INSERT)) {
        await tx(BURNUP)
          .insert(
            points.map(p => ({
              initiative_id: initiativeId,
              day: p.day,
              met: p.met,
              exempt: p.exempt,
              total: p.total,
            })),
          )
          .onConflict(['initiative_id', 'day'])
          .merge();
      }
      const previous = await tx(PROGRESS)
        .where({ initiative_id: initiativeId })
        .first();
      const state = {
        initiative_id: initiativeId,
        definition_hash: write.definitionHash,
        generation: previous ? Number(previous.generation) + 1 : 1,
        computed_at: write.computedAt,
      };
      await tx(PROGRESS).insert(state).onConflict(['initiative_id']).merge();
      return {
        initiativeId,
        definitionHash: state.definition_hash,
        generation: state.generation,
        computedAt: write.computedAt,
      };
    });
  }

  async deleteProgress(initiativeIds: string[]): Promise<void> {
    if (initiativeIds.length === 0) return;
    await this.db.transaction(async tx => {
      for (const table of [ENTITIES, BURNUP, PROGRESS]) {
        await tx(table).whereIn('initiative_id', initiativeIds).delete();
      }
    });
  }

  async getBurnUp(initiativeId: string): Promise<BurnUpCounts[]> {
    const rows = await this.db(BURNUP)
      .where({ initiative_id: initiativeId })
      .orderBy('day');
    return rows.map(row => ({
      day: row.day,
      met: Number(row.met),
      exempt: Number(row.exempt),
      total: Number(row.total),
    }));
  }

  async getLatestCounts(): Promise<Map<string, BurnUpCounts>> {
    const rows = await this.db(`${BURNUP} as b`)
      .join(
        this.db(BURNUP)
          .select('initiative_id')
          .max('day as day')
          .groupBy('initiative_id')
          .as('latest'),
        function on() {
          this.on('latest.initiative_id', '=', 'b.initiative_id').andOn(
            'latest.day',
            '=',
            'b.day',
          );
        },
      )
      .select('b.initiative_id', 'b.day', 'b.met', 'b.exempt', 'b.total');
    return new Map(
      rows.map((row: any) => [
        row.initiative_id,
        {
          day: row.day,
          met: Number(row.met),
          exempt: Number(row.exempt),
          total: Number(row.total),
        },
      ]),
    );
  }

  async readSnapshots(sinceDay: string): Promise<Map<string, LevelSnapshot[]>> {
    const before = this.db('readiness_score_snapshots as s')
      .join(
        this.db('readiness_score_snapshots')
          .select('entity_ref')
          .max('day as day')
          .where('day', '<', sinceDay)
          .groupBy('entity_ref')
          .as('p'),
        function on() {
          this.on('p.entity_ref', '=', 's.entity_ref').andOn(
            'p.day',
            '=',
            's.day',
          );
        },
      )
      .select('s.entity_ref', 's.day', 's.level', 's.level_rank');
    const rows = [
      ...(await before),
      ...(await this.db('readiness_score_snapshots')
        .where('day', '>=', sinceDay)
        .select('entity_ref', 'day', 'level', 'level_rank')),
    ];
    const result = new Map<string, LevelSnapshot[]>();
    for (const row of rows) {
      const list = result.get(row.entity_ref) ?? [];
      list.push({
        day: row.day,
        level: row.level,
        levelRank: Number(row.level_rank),
      });
      result.set(row.entity_ref, list);
    }
    for (const list of result.values()) {
      list.sort((a, b) => compareText(a.day, b.day));
    }
    return result;
  }

  async readTransitions(since: Date): Promise<CheckTransition[]> {
    const rows = await this.db('readiness_result_history')
      .where('changed_at', '>=', since)
      .select(
        'entity_ref',
        'check_id',
        'from_status',
        'to_status',
        'changed_at',
      );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      checkId: row.check_id,
      fromStatus: (row.from_status as CheckResultStatus | null) ?? null,
      toStatus: row.to_status as CheckResultStatus,
      changedAt: toDate(row.changed_at),
    }));
  }

  async readChecklistChanges(since: Date): Promise<ChecklistChange[]> {
    const rows = await this.db('readiness_checklist_audit')
      .where('at', '>=', since)
      .select(
        'entity_ref',
        'phase_id',
        'checklist_id',
        'item_id',
        'at',
        'before',
      );
    return rows.map(row => ({
      entityRef: row.entity_ref,
      phaseId: row.phase_id,
      checklistId: row.checklist_id ?? '',
      itemId: row.item_id,
      at: toDate(row.at),
      before: row.before
        ? (JSON.parse(row.before) as ChecklistItemSnapshot)
        : null,
    }));
  }
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}
