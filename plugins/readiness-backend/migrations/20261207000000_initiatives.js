/*
 * Initiatives: those created through the API (those of app-config are not
 * stored), their append-only audit trail, the progress of each entity in
 * their scope, their daily burn-up, and when each was last computed.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_initiatives', table => {
    table.comment('Initiatives created through the API');
    table.string('id', 100).primary();
    table.text('definition').notNullable().comment('JSON InitiativeDefinition');
    table
      .integer('version')
      .notNullable()
      .comment('Incremented on every change, for optimistic concurrency');
    table.string('created_by', 255).notNullable();
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.string('updated_by', 255).notNullable();
    table.timestamp('updated_at', { useTz: true }).notNullable();
  });

  await knex.schema.createTable('readiness_initiative_audit', table => {
    table.comment('Append-only audit trail of initiative changes');
    table.bigIncrements('id').primary();
    table.string('initiative_id', 100).notNullable();
    table.string('action', 20).notNullable().comment('created, updated, deleted');
    table.string('actor', 255).notNullable();
    table.timestamp('at', { useTz: true }).notNullable();
    table.text('before').nullable().comment('JSON InitiativeDefinition');
    table.text('after').nullable().comment('JSON InitiativeDefinition');
    table.index(['initiative_id', 'id'], 'readiness_initiative_audit_idx');
  });

  await knex.schema.createTable('readiness_initiative_entities', table => {
    table.comment('Whether each entity in scope meets an initiative');
    table.string('initiative_id', 100).notNullable();
    table.string('entity_ref', 255).notNullable();
    table.string('state', 20).notNullable().comment('met, not-met, exempt');
    table.text('missing').notNullable().comment('JSON InitiativeShortfall[]');
    table.text('waived').notNullable().comment('JSON InitiativeShortfall[]');
    table.string('owner', 255).nullable();
    table.string('kind', 63).notNullable();
    table.string('type', 63).nullable();
    table.string('lifecycle', 63).nullable();
    table.string('tier', 20).nullable();
    table.string('system', 255).nullable();
    table.string('level', 63).nullable();
    table.double('score').notNullable();
    table.primary(['initiative_id', 'entity_ref']);
    table.index(['entity_ref'], 'readiness_initiative_entities_entity_idx');
  });

  await knex.schema.createTable('readiness_initiative_burnup', table => {
    table.comment('The counts of an initiative per day');
    table.string('initiative_id', 100).notNullable();
    table.string('day', 10).notNullable().comment('YYYY-MM-DD, UTC');
    table.integer('met').notNullable();
    table.integer('exempt').notNullable();
    table.integer('total').notNullable();
    table.primary(['initiative_id', 'day']);
  });

  await knex.schema.createTable('readiness_initiative_progress', table => {
    table.comment('When the progress of each initiative was last computed');
    table.string('initiative_id', 100).primary();
    table
      .string('definition_hash', 64)
      .notNullable()
      .comment('The definition the progress and burn-up were computed for');
    table
      .integer('generation')
      .notNullable()
      .comment('Incremented on every write of the entity rows');
    table.timestamp('computed_at', { useTz: true }).notNullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.dropTable('readiness_initiative_progress');
  await knex.schema.dropTable('readiness_initiative_burnup');
  await knex.schema.dropTable('readiness_initiative_entities');
  await knex.schema.dropTable('readiness_initiative_audit');
  await knex.schema.dropTable('readiness_initiatives');
};
