import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { TestDatabases } from '@backstage/backend-test-utils';
import { gunzipSync, gzipSync } from 'zlib';

const migrationsDir = resolvePackagePath(
  '@prodready/plugin-readiness-backend',
  'migrations',
);

const TABLES = [
  'readiness_facts',
  'readiness_entity_results',
  'readiness_result_history',
  'readiness_scores',
  'readiness_score_snapshots',
  'readiness_checklist_items',
  'readiness_checklist_audit',
  'readiness_catalog_problems',
  'readiness_external_results',
  'readiness_notifications',
  'readiness_waiver_requests',
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

      // The primary keys hold: one row of current results per entity.
      const row = {
        entity_ref: 'component:default/payments-api',
        results: gzipSync(
          JSON.stringify({ v: 1, r: [['hpa-configured', 'pass', 'ok', 1]] }),
        ),
        check_count: 1,
        updated_at: new Date(),
      };
      await knex('readiness_entity_results').insert(row);
      await expect(
        knex('readiness_entity_results').insert(row),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);

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

      // Rolling back one migration at a time works, and up again.
      await knex.migrate.down({ directory: migrationsDir });
      await knex.migrate.latest({ directory: migrationsDir });

      await knex.migrate.rollback({ directory: migrationsDir }, true);
      for (const table of TABLES) {
        await expect(knex.schema.hasTable(table)).resolves.toBe(false);
      }

      // And up again: down left nothing behind, so the tables start empty.
      await knex.migrate.latest({ directory: migrationsDir });
      const [{ n }] = await knex('readiness_entity_results').count({ n: '*' });
      expect(Number(n)).toBe(0);
    },
  );

  it.each(databases.eachSupportedId())(
    'keeps one pending waiver request per item, and removes the waiver columns on the way down, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.latest({ directory: migrationsDir });
      const request = (id: string, pendingKey: string | null) => ({
        id,
        entity_ref: 'component:default/a',
        phase_id: 'phase-4',
        checklist_id: 'pre-deployment',
        item_id: 'load-test',
        justification: 'Batch job: no traffic',
        expires_at: new Date('2027-03-01T00:00:00Z'),
        requested_by: 'user:default/alice',
        requested_at: new Date('2026-12-07T00:00:00Z'),
        status: pendingKey ? 'pending' : 'denied',
        pending_key: pendingKey,
      });
      const key = 'component:default/a phase-4 load-test';
      await knex('readiness_waiver_requests').insert(request('1', key));
      await expect(
        knex('readiness_waiver_requests').insert(request('2', key)),
      ).rejects.toMatchObject(UNIQUE_VIOLATION);
      // Decided requests (no key) are many.
      await knex('readiness_waiver_requests').insert([
        request('3', null),
        request('4', null),
      ]);
      await expect(
        knex.schema.hasColumn('readiness_checklist_audit', 'event'),
      ).resolves.toBe(true);

      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261207020000_waiver_requests.js',
      });
      await expect(
        knex.schema.hasTable('readiness_waiver_requests'),
      ).resolves.toBe(false);
      await expect(
        knex.schema.hasColumn('readiness_checklist_audit', 'event'),
      ).resolves.toBe(false);
    },
  );

  it.each(databases.eachSupportedId())(
    'packs the results of each entity into one row, and unpacks them on the way down, on %p',
    async databaseId => {
      const knex = await databases.init(databaseId);
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261126000000_init.js',
      });
      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261126010000_catalog_problems.js',
      });
      const t1 = new Date('2026-11-20T10:00:00.000Z');
      const t2 = new Date('2026-11-21T10:00:00.000Z');
      const rows = [
        ['component:default/a', 'hpa-configured', 'pass', 'HPA ok', t1],
        ['component:default/a', 'pdb-configured', 'fail', 'no PDB', t2],
        ['component:default/b', 'hpa-configured', 'warn', 'max is 4', t1],
      ].map(([entity_ref, check_id, status, message, evaluated_at]) => ({
        entity_ref,
        check_id,
        status,
        message,
        evaluated_at,
      }));
      await knex('readiness_results').insert(rows);
      // A first result (no from_status) and a transition.
      await knex('readiness_result_history').insert(
        [null, 'pass'].map(from_status => ({
          entity_ref: 'component:default/a',
          check_id: 'pdb-configured',
          from_status,
          to_status: from_status ? 'fail' : 'pass',
          message: from_status ? 'no PDB' : '',
          changed_at: from_status ? t2 : t1,
        })),
      );

      await knex.migrate.up({
        directory: migrationsDir,
        name: '20261127000000_packed_results.js',
      });
      await expect(knex.schema.hasTable('readiness_results')).resolves.toBe(
        false,
      );
      // The history keeps the transitions only.
      await expect(
        knex('readiness_result_history').select('from_status', 'to_status'),
      ).resolves.toEqual([{ from_status: 'pass', to_status: 'fail' }]);
      const packed = await knex('readiness_entity_results')
        .orderBy('entity_ref')
        .select();
      expect(
        packed.map(p => ({
          ref: p.entity_ref,
          count: Number(p.check_count),
          updatedAt: new Date(p.updated_at).toISOString(),
          results: JSON.parse(gunzipSync(p.results).toString()),
        })),
      ).toEqual([
        {
          ref: 'component:default/a',
          count: 2,
          updatedAt: t2.toISOString(),
          results: {
            v: 1,
            r: [
              ['hpa-configured', 'pass', 'HPA ok', t1.getTime()],
              ['pdb-configured', 'fail', 'no PDB', t2.getTime()],
            ],
          },
        },
        {
          ref: 'component:default/b',
          count: 1,
          updatedAt: t1.toISOString(),
          results: {
            v: 1,
            r: [['hpa-configured', 'warn', 'max is 4', t1.getTime()]],
          },
        },
      ]);

      await knex.migrate.down({
        directory: migrationsDir,
        name: '20261127000000_packed_results.js',
      });
      await expect(
        knex.schema.hasTable('readiness_entity_results'),
      ).resolves.toBe(false);
      const restored = await knex('readiness_results')
        .orderBy([{ column: 'entity_ref' }, { column: 'check_id' }])
        .select();
      expect(
        restored.map(r => [
          r.entity_ref,
          r.check_id,
          r.status,
          r.message,
          new Date(r.evaluated_at).toISOString(),
        ]),
      ).toEqual(
        rows.map(r => [
          r.entity_ref,
          r.check_id,
          r.status,
          r.message,
          (r.evaluated_at as Date).toISOString(),
        ]),
      );
    },
  );
});
