import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import type { ExternalCheckResult } from '@prodready/plugin-readiness-common';
import { Knex } from 'knex';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const TABLE = 'readiness_external_results';

type ExternalResultRow = {
  entity_ref: string;
  check_id: string;
  status: string;
  message: string;
  details_url: string | null;
  value: number | null;
  pushed_by: string;
  /** A Date on PostgreSQL; epoch milliseconds or a string on SQLite. */
  pushed_at: Date | string | number;
  expires_at: Date | string | number;
};

function toIso(value: Date | string | number): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/** The latest pushed result of each external check, per entity. */
export class DatabaseExternalResultStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseExternalResultStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseExternalResultStore(client);
  }

  private constructor(private readonly db: Knex) {}

  /** Saves the result, replacing the previous one of the same check. */
  async put(
    entityRef: string,
    checkId: string,
    result: ExternalCheckResult,
  ): Promise<void> {
    const row: ExternalResultRow = {
      entity_ref: entityRef.toLocaleLowerCase('en-US'),
      check_id: checkId,
      status: result.status,
      message: result.message,
      details_url: result.detailsUrl ?? null,
      value: result.value ?? null,
      pushed_by: result.pushedBy,
      pushed_at: new Date(result.pushedAt),
      expires_at: new Date(result.expiresAt),
    };
    await this.db<ExternalResultRow>(TABLE)
      .insert(row)
      .onConflict(['entity_ref', 'check_id'])
      .merge();
  }

  /** The latest results of an entity, by check id. */
  async list(entityRef: string): Promise<Record<string, ExternalCheckResult>> {
    const rows = await this.db<ExternalResultRow>(TABLE)
      .where({ entity_ref: entityRef.toLocaleLowerCase('en-US') })
      .orderBy('check_id');
    const results: Record<string, ExternalCheckResult> = {};
    for (const row of rows) {
      results[row.check_id] = {
        status: row.status as ExternalCheckResult['status'],
        message: row.message,
        ...(row.details_url !== null ? { detailsUrl: row.details_url } : {}),
        ...(row.value !== null ? { value: Number(row.value) } : {}),
        pushedBy: row.pushed_by,
        pushedAt: toIso(row.pushed_at),
        expiresAt: toIso(row.expires_at),
      };
    }
    return results;
  }
}
