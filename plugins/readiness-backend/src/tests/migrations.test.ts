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
];

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
      await expect(knex('readiness_results').insert(row)).rejects.toThrow();

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
