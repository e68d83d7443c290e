import {
  DatabaseService,
  resolvePackagePath,
} from '@backstage/backend-plugin-api';
import { Knex } from 'knex';
import {
  CatalogProblem,
  CatalogProblemRecord,
  CatalogProblemStore,
} from './CatalogProblemStore';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const TABLE = 'readiness_catalog_problems';

type CatalogProblemRow = {
  entity_ref: string;
  location: string | null;
  messages: string;
  /** A Date on PostgreSQL and MySQL; epoch milliseconds on SQLite. */
  first_seen_at: Date | string | number;
  last_seen_at: Date | string | number;
};

/** {@link CatalogProblemStore} on the plugin's database. */
export class DatabaseCatalogProblemStore implements CatalogProblemStore {
  static async create(options: {
    database: DatabaseService;
    skipMigrations?: boolean;
  }): Promise<DatabaseCatalogProblemStore> {
    const { database, skipMigrations } = options;
    const client = await database.getClient();
    if (!database.migrations?.skip && !skipMigrations) {
      await client.migrate.latest({ directory: migrationsDir });
    }
    return new DatabaseCatalogProblemStore(client);
  }

  private constructor(private readonly db: Knex) {}

  async record(problem: CatalogProblemRecord): Promise<void> {
    const row: CatalogProblemRow = {
      entity_ref: problem.entityRef,
      location: problem.location ?? null,
      messages: JSON.stringify(problem.messages),
      first_seen_at: problem.seenAt,
      last_seen_at: problem.seenAt,
    };
    await this.db<CatalogProblemRow>(TABLE)
      .insert(row)
      .onConflict('entity_ref')
      .merge(['location', 'messages', 'last_seen_at']);
  }

  async list(options: {
    entityRef?: string;
    seenSince: Date;
  }): Promise<CatalogProblem[]> {
    const query = this.db<CatalogProblemRow>(TABLE)
      .where('last_seen_at', '>=', options.seenSince)
      .orderBy([
        { column: 'last_seen_at', order: 'desc' },
        { column: 'entity_ref', order: 'asc' },
      ]);
    if (options.entityRef !== undefined) {
      // Entity refs are case-insensitive; the catalog publishes them in
      // lower case, but do not rely on it.
      query.whereRaw('LOWER(entity_ref) = ?', [
        options.entityRef.toLocaleLowerCase('en-US'),
      ]);
    }
    const rows = await query.select();
    return rows.map(mapToCatalogProblem);
  }

  async prune(olderThan: Date): Promise<number> {
    return this.db<CatalogProblemRow>(TABLE)
      .where('last_seen_at', '<', olderThan)
      .delete();
  }
}

function toDate(value: Date | string | number): Date {
  return value instanceof Date ? value : new Date(value);
}

function parseMessages(json: string): string[] {
  const parsed: unknown = JSON.parse(json);
  return Array.isArray(parsed) ? parsed.map(String) : [String(parsed)];
}

function mapToCatalogProblem(row: CatalogProblemRow): CatalogProblem {
  return {
    entityRef: row.entity_ref,
    ...(row.location !== null && { location: row.location }),
    messages: parseMessages(row.messages),
    firstSeenAt: toDate(row.first_seen_at),
    lastSeenAt: toDate(row.last_seen_at),
  };
}
