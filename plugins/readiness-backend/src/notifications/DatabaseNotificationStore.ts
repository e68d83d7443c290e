import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { createHash } from 'crypto';
import { Knex } from 'knex';
import type { NotificationCause } from './types';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const TABLE = 'readiness_notifications';
/** Rows per insert: 8 columns, well under SQLite's bind variable limit. */
const ROWS_PER_INSERT = 100;
/** Ids per `IN (...)` list. */
const IDS_PER_QUERY = 500;

interface NotificationRow {
  id: string;
  dedupe_key: string;
  topic: string;
  entity_ref: string | null;
  recipients: string;
  payload: string;
  state: 'sent' | 'queued';
  created_at: Date | string | number;
  sent_at: Date | string | number | null;
}

/** A cause waiting for the daily digest. */
export interface QueuedCause {
  id: string;
  cause: NotificationCause;
  createdAt: Date;
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

/** The primary key of a dedupe key. */
export function dedupeId(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

function chunk<T>(items: T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) {
    chunks.push(items.slice(i, i + size));
  }
  return chunks;
}

/**
 * The causes readiness notified, on the plugin's database: the dedupe of
 * notifications across backend replicas, and the queue of the daily digest.
 *
 * A cause is claimed by inserting its row: the insert does nothing when the
 * row exists (`ON CONFLICT DO NOTHING`) and returns only the rows it wrote,
 * so of two replicas that claim the same cause at once exactly one gets it,
 * on PostgreSQL and on SQLite.
 */
export class DatabaseNotificationStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseNotificationStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseNotificationStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /**
   * Claims causes: records each one not recorded yet, as `sent` (to be sent
   * now by the caller) or `queued` (for the digest). Returns the causes this
   * call recorded; the others were claimed before, here or by another
   * replica. Duplicate keys in `causes` count once.
   */
  async claim(
    causes: ReadonlyArray<NotificationCause>,
    options: { state: 'sent' | 'queued'; now: Date },
  ): Promise<NotificationCause[]> {
    const byId = new Map<string, NotificationCause>();
    for (const cause of causes) {
      const id = dedupeId(cause.key);
      if (!byId.has(id)) byId.set(id, cause);
    }
    const claimed: NotificationCause[] = [];
    for (const ids of chunk([...byId.keys()], ROWS_PER_INSERT)) {
      const rows: NotificationRow[] = ids.map(id => {
        const cause = byId.get(id)!;
        return {
          id,
          dedupe_key: cause.key,
          topic: cause.topic,
          entity_ref: cause.entityRef ?? null,
          recipients: JSON.stringify(cause.recipients),
          payload: JSON.stringify({
            ...cause.payload,
            digestible: cause.digestible,
          }),
          state: options.state,
          created_at: options.now,
          sent_at: options.state === 'sent' ? options.now : null,
        };
      });
      const inserted: Array<{ id: string }> = await this.db(TABLE)
        .insert(rows)
        .onConflict('id')
        .ignore()
        .returning('id');
      for (const { id } of inserted) {
        claimed.push(byId.get(id)!);
      }
    }
    return claimed;
  }

  /**
   * Forgets causes that could not be sent, so that a later occurrence
   * claims them again.
   */
  async release(causes: ReadonlyArray<NotificationCause>): Promise<void> {
    for (const ids of chunk(
      causes.map(cause => dedupeId(cause.key)),
      IDS_PER_QUERY,
    )) {
      await this.db(TABLE).whereIn('id', ids).delete();
    }
  }

  /** The causes queued for the digest before `before`, oldest first. */
  async listQueued(options: {
    before: Date;
    limit: number;
  }): Promise<QueuedCause[]> {
    const rows = await this.db<NotificationRow>(TABLE)
      .where('state', 'queued')
      .where('created_at', '<', options.before)
      .orderBy([
        { column: 'created_at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ])
      .limit(options.limit)
      .select();
    return rows.map(row => {
      const { digestible, ...payload } = JSON.parse(row.payload);
      return {
        id: row.id,
        createdAt: toDate(row.created_at),
        cause: {
          key: row.dedupe_key,
          topic: row.topic as NotificationCause['topic'],
          ...(row.entity_ref !== null && { entityRef: row.entity_ref }),
          recipients: JSON.parse(row.recipients),
          payload,
          digestible: digestible !== false,
        },
      };
    });
  }

  /** Marks queued causes sent (in a digest). */
  async markSent(ids: ReadonlyArray<string>, now: Date): Promise<void> {
    for (const part of chunk([...ids], IDS_PER_QUERY)) {
      await this.db(TABLE)
        .whereIn('id', part)
        .where('state', 'queued')
        .update({ state: 'sent', sent_at: now });
    }
  }

  /**
   * Deletes the records of causes sent before `before`. Windows are shorter
   * than the retention, so a deleted record is not claimed again.
   */
  async deleteSentBefore(before: Date): Promise<number> {
    return this.db(TABLE)
      .where('state', 'sent')
      .where('created_at', '<', before)
      .delete();
  }
}
