/*
 * Catalog validation problems: the entities that the catalog could not
 * process (for example because a prodready.dev/ annotation is malformed),
 * from the catalog's `experimental.catalog.errors` events. The catalog does
 * not serve such entities, so this is where their owners learn why.
 *
 * One row per entity: the catalog re-publishes the errors of a broken entity
 * on every processing cycle, which updates `last_seen_at`; once the entity is
 * fixed nothing is published and the row ages out.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_catalog_problems', table => {
    table.comment('Entities the catalog could not process, and why');
    table.string('entity_ref', 255).primary();
    table.text('location').nullable().comment('Where the entity is defined');
    table
      .text('messages')
      .notNullable()
      .comment('JSON: the error messages, as an array of strings');
    table.timestamp('first_seen_at', { useTz: true }).notNullable();
    table.timestamp('last_seen_at', { useTz: true }).notNullable();
    table.index(['last_seen_at'], 'readiness_catalog_problems_last_seen_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('readiness_catalog_problems');
};
