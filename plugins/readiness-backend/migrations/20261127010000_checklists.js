/*
 * Checklists: the checklist an item belongs to, and the justification of a
 * waiver (an item marked not applicable), on the item state and in the audit
 * trail. Item ids are unique within a phase, so the key stays
 * (entity_ref, phase_id, item_id); the checklist id is kept for the audit
 * trail and for moving items between checklists of a phase.
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.alterTable('readiness_checklist_items', table => {
    table.string('checklist_id', 100).nullable();
    table
      .text('justification')
      .nullable()
      .comment('Why the item does not apply, for a waiver');
  });
  await knex.schema.alterTable('readiness_checklist_audit', table => {
    table.string('checklist_id', 100).nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('readiness_checklist_audit', table => {
    table.dropColumn('checklist_id');
  });
  await knex.schema.alterTable('readiness_checklist_items', table => {
    table.dropColumn('justification');
    table.dropColumn('checklist_id');
  });
};
