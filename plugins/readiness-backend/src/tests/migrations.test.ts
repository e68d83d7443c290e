import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const TABLES = [
  'readiness_facts',
  'readiness_results',
  'readiness_result_history',
  'readiness_scores',
  'readiness_score_snapshots',
  'readiness_checklist_items',
  'readiness_checklist_audit',
  'readiness_catalog_problems',
];

/**
 * The error of a primary key violation. Matched on the message, not with
 * `toThrow()`: better-sqlite3 builds its errors with the Error class of the
 * first test file that loaded it in this worker, which is not an `Error` of
 * this file's realm when Jest runs several files in one worker.
 */
const UNIQUE_VIOLATION = {
  message: expect.stringMatching(/unique|duplicate/i),
};

jest.setTimeout(60_000);

describe('migrations', () => {
  const databases = TestDatabases.create({
    ids: ['POSTGRES_15', 'SQLITE_3'],
  });

  it.each(databases.eachSupportedId())(
    'migrates up and down cleanly on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);

      await knex.migrate.latest({ directory: migrationsDir });
      for (const table of TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(true);
      }

      // The primary keys hold: one current result per entity and check.
      const row = {
        entity_ref: 'component:default/payments-api',
        check_id: 'hpa-configured',
        status: 'pass',
        message: 'ok',
        evaluated_at: new Date(),
      };
      await knex('readiness_results').insert(row);
      await expect(knex('readiness_results').insert(row)).rejects.toMatchObject(
        UNIQUE_VIOLATION,
      );

      // One catalog problem per entity.
      const problem = {
        entity_ref: 'component:default/payouts-worker',
        location: null,
        messages: JSON.stringify(['prodready.dev/rto: bad']),
        first_seen_at: new Date(),
        last_seen_at: new Date(),
      };
      await knex('readiness_catalog_problems').insert(problem);
      await expect(
        knex('readiness_catalog_problems').insert(problem),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);

      // Rolling back the latest migration only removes its table.
      await knex.migrate.down({ directory: migrationsDir });
      await expect(
        knex.schema.hasTable('readiness_catalog_problems'),
      ).resolves.toBe(false);
      await expect(knex.schema.hasTable('readiness_results')).resolves.toBe(
        true,
      );
      await knex.migrate.latest({ directory: migrationsDir });

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      for (const table of TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      }

      // And up again: down left nothing behind, so the tables start empty.
      await knex.migrate.latest({ directory: migrationsDir });
      const [{ n }] = await knex('readiness_results').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );
});
