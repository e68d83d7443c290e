import { RESOURCE_TYPE_CATALOG_ENTITY } from '@backstage/plugin-catalog-common/alpha';
import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read the readiness scorecard, results and checklist state of an entity.
 *
 * @public
 */
export const readinessScorecardReadPermission = createPermission({
  name: 'readiness.scorecard.read',
  attributes: { action: 'read' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Attest, reopen or annotate a checklist item of an entity.
 *
 * @public
 */
export const readinessChecklistUpdatePermission = createPermission({
  name: 'readiness.checklist.update',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Waive a failing check, or mark a checklist item not applicable, for an
 * entity.
 *
 * @public
 */
export const readinessChecklistWaivePermission = createPermission({
  name: 'readiness.checklist.waive',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Re-evaluate the readiness of an entity on demand.
 *
 * @public
 */
export const readinessRefreshPermission = createPermission({
  name: 'readiness.refresh',
  attributes: { action: 'update' },
  resourceType: RESOURCE_TYPE_CATALOG_ENTITY,
});

/**
 * Read the overview of every service against every phase, and export it.
 *
 * @public
 */
export const readinessOverviewReadPermission = createPermission({
  name: 'readiness.overview.read',
  attributes: { action: 'read' },
});

/**
 * Administer readiness: update any checklist, waive any check, refresh any
 * entity.
 *
 * @public
 */
export const readinessAdminPermission = createPermission({
  name: 'readiness.admin',
  attributes: { action: 'update' },
});

/**
 * Create an initiative (through the API; app-config initiatives are
 * read-only).
 *
 * @public
 */
export const readinessInitiativeCreatePermission = createPermission({
  name: 'readiness.initiative.create',
  attributes: { action: 'create' },
});

/**
 * Edit or delete an initiative created through the API.
 *
 * @public
 */
export const readinessInitiativeUpdatePermission = createPermission({
  name: 'readiness.initiative.update',
  attributes: { action: 'update' },
});

/**
 * Approve, deny or revoke a waiver request.
 *
 * @public
 */
export const readinessWaiverApprovePermission = createPermission({
  name: 'readiness.waiver.approve',
  attributes: { action: 'update' },
});

/**
 * Every readiness permission, for registering with the permissions registry.
 *
 * @public
 */
export const readinessPermissions = [
  readinessScorecardReadPermission,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessRefreshPermission,
  readinessOverviewReadPermission,
  readinessAdminPermission,
  readinessInitiativeCreatePermission,
  readinessInitiativeUpdatePermission,
  readinessWaiverApprovePermission,
];
