/*
 * The notifications readiness sent or queued, one row per cause: an entity,
 * what happened and its window (a day, an expiry threshold, a reminder). The
 * primary key is a hash of that dedupe key, so that of two backend replicas
 * that see the same cause only the one whose insert wins sends it. With the
 * daily digest the row waits (`state` = 'queued') until the digest of its
 * recipients is sent.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_notifications', table => {
    table.comment(
      'Readiness notification causes: sent once each (dedupe), or queued for the daily digest',
    );
    table.string('id', 64).primary().comment('SHA-256 (hex) of dedupe_key');
    table
      .text('dedupe_key')
      .notNullable()
      .comment('The entity, the cause and its window');
    table.string('topic', 100).notNullable();
    table.string('entity_ref', 255).nullable();
    table
      .text('recipients')
      .notNullable()
      .comment('JSON array of the entity refs notified');
    table
      .text('payload')
      .notNullable()
      .comment('JSON: the notification payload');
    table.string('state', 20).notNullable().comment('sent or queued');
    table.timestamp('created_at', { useTz: true }).notNullable();
    table.timestamp('sent_at', { useTz: true }).nullable();
    table.index(['state', 'created_at'], 'readiness_notifications_state_idx');
    table.index(['created_at'], 'readiness_notifications_created_idx');
  });
  // The hourly search for attestations and waivers that expire soon.
  await knex.schema.alterTable('readiness_checklist_items', table => {
    table.index(['expires_at'], 'readiness_checklist_items_expires_idx');
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('readiness_checklist_items', table => {
    table.dropIndex(['expires_at'], 'readiness_checklist_items_expires_idx');
  });
  await knex.schema.dropTable('readiness_notifications');
};
