/*
 * The current results of an entity in one row.
 *
 * `readiness_results` held a row per entity and check: 38 rows per entity
 * with the built-in scorecard, each repeating the entity ref and the check
 * id in the table and again in its primary key index. It was the largest
 * table of the store (about 95 MB on SQLite and 160 MB on PostgreSQL for
 * 10,000 entities), while nothing ever reads one check's result across
 * entities: the scorecard reads all results of one entity, and an
 * evaluation compares all results of one entity with the new ones.
 *
 * `readiness_entity_results` keeps them as one gzip-compressed JSON document
 * per entity: `{"v":1,"r":[[checkId, status, message, updatedAtMs], ...]}`,
 * sorted by check id, where `updatedAtMs` is the time of the evaluation that
 * last changed the check's status or message.
 *
 * The history keeps transitions only: the first result of each check (a row
 * with no `from_status`, 38 per entity, most of the history table) is not a
 * transition. The current result holds it, and the check's first transition
 * names it as its `from_status`. Those rows are deleted here; `down` cannot
 * bring them back (the statuses they held are still in the current results
 * or in the next transition).
 */

const zlib = require('zlib');

const OLD = 'readiness_results';
const NEW = 'readiness_entity_results';
const BATCH = 200;

function toMillis(value) {
  if (value instanceof Date) {
    return value.getTime();
  }
  if (typeof value === 'number') {
    return value;
  }
  const numeric = Number(value);
  return Number.isFinite(numeric) ? numeric : new Date(value).getTime();
}

function pack(results) {
  return zlib.gzipSync(JSON.stringify({ v: 1, r: results }));
}

function unpack(buffer) {
  const document = JSON.parse(zlib.gunzipSync(Buffer.from(buffer)).toString());
  return Array.isArray(document?.r) ? document.r : [];
}

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable(NEW, table => {
    table.comment('The current results of an entity, one row per entity');
    table.string('entity_ref', 255).primary();
    table
      .binary('results')
      .notNullable()
      .comment(
        'JSON {"v":1,"r":[[checkId,status,message,updatedAtMs]]}, gzip-compressed',
      );
    table.integer('check_count').notNullable();
    table
      .timestamp('updated_at', { useTz: true })
      .notNullable()
      .comment('The evaluation that last changed any result');
  });
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(`ALTER TABLE ${NEW} SET (fillfactor = 80)`);
  }

  // Copy the results, entity by entity, in batches of entities.
  let after = '';
  for (;;) {
    const refs = (
      await knex(OLD)
        .distinct('entity_ref')
        .where('entity_ref', '>', after)
        .orderBy('entity_ref')
        .limit(BATCH)
    ).map(row => row.entity_ref);
    if (refs.length === 0) {
      break;
    }
    const rows = await knex(OLD)
      .whereIn('entity_ref', refs)
      .orderBy([{ column: 'entity_ref' }, { column: 'check_id' }])
      .select('entity_ref', 'check_id', 'status', 'message', 'evaluated_at');
    const byRef = new Map();
    for (const row of rows) {
      const list = byRef.get(row.entity_ref) ?? [];
      list.push([
        row.check_id,
        row.status,
        row.message,
        toMillis(row.evaluated_at),
      ]);
      byRef.set(row.entity_ref, list);
    }
    const inserts = [...byRef.entries()].map(([entityRef, results]) => ({
      entity_ref: entityRef,
      results: pack(results),
      check_count: results.length,
      updated_at: new Date(Math.max(...results.map(r => r[3]))),
    }));
    for (let i = 0; i < inserts.length; i += 50) {
      await knex(NEW).insert(inserts.slice(i, i + 50));
    }
    after = refs[refs.length - 1];
  }

  await knex.schema.dropTable(OLD);

  await knex('readiness_result_history').whereNull('from_status').delete();
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.createTable(OLD, table => {
    table.comment('The current result per entity and check');
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 100).notNullable();
    table.string('status', 20).notNullable();
    table.text('message').notNullable();
    table
      .timestamp('evaluated_at', { useTz: true })
      .notNullable()
      .comment(
        'The evaluation that last changed the status or message; the time of the latest evaluation is readiness_scores.evaluated_at',
      );
    table.primary(['entity_ref', 'check_id']);
  });
  if (knex.client.dialect === 'postgresql') {
    await knex.raw(`ALTER TABLE ${OLD} SET (fillfactor = 70)`);
  }

  let after = '';
  for (;;) {
    const rows = await knex(NEW)
      .where('entity_ref', '>', after)
      .orderBy('entity_ref')
      .limit(BATCH)
      .select('entity_ref', 'results');
    if (rows.length === 0) {
      break;
    }
    const inserts = [];
    for (const row of rows) {
      for (const [checkId, status, message, updatedAt] of unpack(row.results)) {
        inserts.push({
          entity_ref: row.entity_ref,
          check_id: checkId,
          status,
          message,
          evaluated_at: new Date(updatedAt),
        });
      }
    }
    for (let i = 0; i < inserts.length; i += 100) {
      await knex(OLD).insert(inserts.slice(i, i + 100));
    }
    after = rows[rows.length - 1].entity_ref;
  }

  await knex.schema.dropTable(NEW);
};
