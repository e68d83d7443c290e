/*
 * The overview change log: which entities' overview rows changed, so that
 * each backend instance can keep an in-memory overview index up to date by
 * reading only what changed since it last looked, including what other
 * instances wrote.
 *
 * - `readiness_overview_generation`: one row (id 1). `generation` is raised
 *   by every transaction that changes what the overview shows, as the last
 *   step of that transaction; its row lock orders those transactions, so
 *   generations become visible in commit order. `pruned_through` is the
 *   highest generation whose change rows were deleted: a reader behind it
 *   must reload everything.
 * - `readiness_overview_changes`: the entity refs each generation changed,
 *   pruned by age.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_overview_generation', table => {
    table.comment(
      'One row: the generation of the overview change log, and up to which generation it was pruned',
    );
    table.integer('id').primary();
    table
      .bigInteger('generation')
      .notNullable()
      .defaultTo(0)
      .comment('Raised by every transaction that changes the overview');
    table
      .bigInteger('pruned_through')
      .notNullable()
      .defaultTo(0)
      .comment('The highest generation whose change rows were deleted');
  });
  await knex('readiness_overview_generation').insert({
    id: 1,
    generation: 0,
    pruned_through: 0,
  });

  await knex.schema.createTable('readiness_overview_changes', table => {
    table.comment('The entities whose overview rows each generation changed');
    table.bigInteger('generation').notNullable();
    table.string('entity_ref', 255).notNullable();
    table.timestamp('changed_at', { useTz: true }).notNullable();
    // Reading the changes after a generation, and pruning by generation.
    table.index(['generation'], 'readiness_overview_changes_generation_idx');
    // Retention.
    table.index(['changed_at'], 'readiness_overview_changes_changed_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('readiness_overview_changes');
  await knex.schema.dropTable('readiness_overview_generation');
};
