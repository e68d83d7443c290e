/*
 * Waiver approval: requests to waive a checklist item (mark it not
 * applicable) that an admin approves, denies or revokes, and the steps of a
 * request in the checklist audit trail.
 *
 * An item has at most one pending request: `pending_key` holds
 * `<entity_ref> <phase_id> <item_id>` while the request is pending and NULL
 * after, and is unique (both engines allow many NULLs).
 */

/** @param {import('knex').Knex} knex */
exports.up = async function up(knex) {
  await knex.schema.createTable('readiness_waiver_requests', table => {
    table.comment('Requests to waive a checklist item, approved by an admin');
    table.string('id', 36).primary();
    table.string('entity_ref', 255).notNullable();
    table.string('phase_id', 100).notNullable();
    table.string('checklist_id', 100).notNullable();
    table.string('item_id', 100).notNullable();
    table.text('justification').notNullable();
    table.timestamp('expires_at', { useTz: true }).notNullable();
    table.string('requested_by', 255).notNullable();
    table.timestamp('requested_at', { useTz: true }).notNullable();
    table
      .string('status', 20)
      .notNullable()
      .comment('pending, approved, denied, revoked or withdrawn');
    table.string('decided_by', 255).nullable();
    table.timestamp('decided_at', { useTz: true }).nullable();
    table.text('reason').nullable();
    table
      .text('initiatives')
      .nullable()
      .comment('JSON: the initiatives whose rule required the approval');
    table
      .string('pending_key', 460)
      .nullable()
      .unique({ indexName: 'readiness_waiver_requests_pending_uq' })
      .comment('Set while pending: one pending request per item');
    table.index(
      ['entity_ref', 'phase_id', 'item_id', 'requested_at'],
      'readiness_waiver_requests_item_idx',
    );
    table.index(
      ['status', 'requested_at'],
      'readiness_waiver_requests_status_idx',
    );
  });
  await knex.schema.alterTable('readiness_checklist_audit', table => {
    table
      .string('event', 40)
      .nullable()
      .comment('A step of a waiver request, such as waiver-approved');
    table.string('waiver_request_id', 36).nullable();
    table.text('reason').nullable();
  });
};

/** @param {import('knex').Knex} knex */
exports.down = async function down(knex) {
  await knex.schema.alterTable('readiness_checklist_audit', table => {
    table.dropColumn('reason');
    table.dropColumn('waiver_request_id');
    table.dropColumn('event');
  });
  await knex.schema.dropTable('readiness_waiver_requests');
};
