/*
 * Results of external checks (`source: external`), pushed by pipelines with
 * POST /results/{kind}/{namespace}/{name}: the latest result of each check of
 * each entity. The engine reads them as the `external` fact document, so
 * they are evaluated, stored and kept in history like any result.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_external_results', table => {
    table.comment('The latest pushed result of each external check');
    table.string('entity_ref', 255).notNullable();
    table.string('check_id', 100).notNullable();
    table.string('status', 20).notNullable().comment('pass, fail or warn');
    table.text('message').notNullable();
    table.text('details_url').nullable();
    table.double('value').nullable();
    table.string('pushed_by', 255).notNullable();
    table.timestamp('pushed_at', { useTz: true }).notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.primary(['entity_ref', 'check_id']);
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('readiness_external_results');
};
