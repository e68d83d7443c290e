/*
 * The readiness store.
 *
 * - Facts: one JSON document per entity and collector, with a hash so that
 *   unchanged facts skip re-evaluation, and a stale flag when a collector fails.
 * - Results: the current result per entity and check.
 * - History: state transitions only (change-only), not every evaluation.
 *   The first result of a check is stored without its message.
 * - Scores: the current level and area scores per entity, with the catalog
 *   columns the overview filters on, indexed for that query.
 * - Snapshots: a score row per entity and day on which the score changed;
 *   the trends carry the latest one forward over the days between.
 * - Checklists: item state per entity, phase and item, with a version for
 *   optimistic concurrency, and an append-only audit trail.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_facts', table => {
    table.comment('Facts collected per entity and collector');
    table.string('entity_ref', 255).notNullable();
    table.string('collector_id', 100).notNullable();
    table.integer('version').notNullable();
    table
      .binary('facts')
      .notNullable()
      .comment('JSON document, gzip-compressed');
    table.string('hash', 64).notNullable();
    table.timestamp('collected_at', { useTz: true }).notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    table.text('error').nullable().comment('Why the last collection failed');
    table.primary(['entity_ref', 'collector_id']);
  });

  await knex.schema.createTable('readiness_results', table => {
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

  await knex.schema.createTable('readiness_result_history', table => {
    table.comment('Result transitions: a row only when a status changes');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 100).notNullable();
    table.string('from_status', 20).nullable();
    table.string('to_status', 20).notNullable();
    table.text('message').notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    // An entity's history, newest first.
    table.index(
      ['entity_ref', 'changed_at'],
      'readiness_result_history_entity_idx',
    );
    // Retention.
    table.index(['changed_at'], 'readiness_result_history_changed_idx');
  });

  await knex.schema.createTable('readiness_scores', table => {
    table.comment('The current scorecard summary per entity, for the overview');
    table.string('entity_ref', 255).primary();
    table.string('kind', 63).notNullable();
    table.string('type', 63).nullable();
    table.string('lifecycle', 63).nullable();
    table
      .string('owner', 255)
      .notNullable()
      .defaultTo('')
      .comment(
        'Empty when the entity has no owner, so that it sorts the same everywhere',
      );
    table.string('system', 255).nullable();
    table.string('tier', 20).nullable();
    table.string('level', 63).nullable();
    table
      .integer('level_rank')
      .notNullable()
      .defaultTo(0)
      .comment('The rank of the level, 0 when no level is reached');
    table.double('score').notNullable();
    table
      .text('area_scores')
      .notNullable()
      .comment('JSON: the area scores, in full, for the scorecard');
    table
      .text('area_summary')
      .notNullable()
      .comment('JSON: area id to score, compact, for the overview');
    table.integer('passed').notNullable();
    table.integer('failed').notNullable();
    table.string('facts_hash', 64).notNullable();
    table.timestamp('evaluated_at', { useTz: true }).notNullable();
    table.boolean('stale').notNullable().defaultTo(false);
    // The overview: each filter with the default order (entity ref), and
    // each sort order with the entity ref as the keyset tie-breaker.
    table.index(['owner', 'entity_ref'], 'readiness_scores_owner_idx');
    table.index(['system', 'entity_ref'], 'readiness_scores_system_idx');
    table.index(['lifecycle', 'entity_ref'], 'readiness_scores_lifecycle_idx');
    table.index(['tier', 'entity_ref'], 'readiness_scores_tier_idx');
    table.index(['kind', 'entity_ref'], 'readiness_scores_kind_idx');
    table.index(['level', 'entity_ref'], 'readiness_scores_level_idx');
    table.index(['score', 'entity_ref'], 'readiness_scores_score_idx');
    table.index(
      ['level_rank', 'score', 'entity_ref'],
      'readiness_scores_rank_idx',
    );
  });

  if (knex.client.dialect === 'postgresql') {
    // Room in each page for the hourly updates, so that they can be HOT
    // updates instead of leaving dead tuples and index entries behind.
    await knex.raw('ALTER TABLE readiness_results SET (fillfactor = 70)');
    await knex.raw('ALTER TABLE readiness_scores SET (fillfactor = 70)');
  }

  await knex.schema.createTable('readiness_score_snapshots', table => {
    table.comment(
      'A score per entity and day on which it changed, for trends',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table.string('level', 63).nullable();
    table.integer('level_rank').notNullable().defaultTo(0);
    table.double('score').notNullable();
    table
      .text('area_scores')
      .notNullable()
      .comment('JSON: area id to score, compact');
    // An entity's trend.
    table.primary(['entity_ref', 'day']);
    // The portfolio trend, and retention.
    table.index(['day'], 'readiness_score_snapshots_day_idx');
  });

  await knex.schema.createTable('readiness_snapshot_horizon', table => {
    table.comment(
      'The day up to which the trends carry the latest snapshots forward: the day of the latest complete evaluation cycle',
    );
    table.string('id', 20).primary();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
  });

  await knex.schema.createTable('readiness_checklist_items', table => {
    table.comment(
      'Checklist item state per entity, with a version for optimistic concurrency',
    );
    table.string('entity_ref', 255).notNullable();
    table.string('phase_id', 100).notNullable();
    table.string('item_id', 100).notNullable();
    table.string('status', 20).notNullable();
    table.integer('version').notNullable();
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
    table.text('evidence_url').nullable();
    table.text('note').nullable();
    table.timestamp('expires_at', { useTz: true }).nullable();
    table.primary(['entity_ref', 'phase_id', 'item_id']);
    table.index(['expires_at'], 'readiness_checklist_items_expiry_idx');
  });

  await knex.schema.createTable('readiness_checklist_audit', table => {
    table.comment('Append-only audit trail of checklist changes');
    table.bigIncrements('id').primary();
    table.string('entity_ref', 255).notNullable();
    table.string('phase_id', 100).notNullable();
    table.string('item_id', 100).notNullable();
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('before').nullable().comment('JSON');
    table.text('after').notNullable().comment('JSON');
    table.text('evidence_url').nullable();
    table.index(['entity_ref', 'at'], 'readiness_checklist_audit_entity_idx');
    table.index(
      ['entity_ref', 'phase_id', 'item_id', 'at'],
      'readiness_checklist_audit_item_idx',
    );
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('readiness_checklist_audit');
  await knex.schema.dropTable('readiness_checklist_items');
  await knex.schema.dropTable('readiness_snapshot_horizon');
  await knex.schema.dropTable('readiness_score_snapshots');
  await knex.schema.dropTable('readiness_scores');
  await knex.schema.dropTable('readiness_result_history');
  await knex.schema.dropTable('readiness_results');
  await knex.schema.dropTable('readiness_facts');
};
