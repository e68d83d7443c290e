import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  ChecklistConflict,
  ChecklistItemUpdateRequest,
  EntityChecklistItem,
  EntityChecklists,
  PhaseSummary,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessScorecardReadPermission,
  readinessWaiverApprovePermission,
} from '@prodready/plugin-readiness-common';
import { ChecklistService } from '../../checklists/ChecklistService';
import type { WaiverService } from '../../waivers/WaiverService';
import { readExpectedVersion } from '../../checklists/validateUpdate';
import { parseEntityPath } from './params';
import { createEntityAuthorizer } from './authorizedEntity';
import { ReadinessApiRouter, RouteContext } from './types';

const DEFAULT_AUDIT_LIMIT = 50;

/** What the checklist routes use besides the route context. */
export interface ChecklistRouteOptions {
  checklists: ChecklistService;
  /** Reads the entity of the path, with the caller's credentials. */
  catalog: CatalogService;
  /**
   * Waiver approval: a direct waiver that needs approval is refused to
   * non-admins, with the way to request one.
   */
  waivers?: Pick<WaiverService, 'approvalFor' | 'directWaiverRefusal'>;
}

/**
 * The phases in force, each entity's checklists, item updates (attest,
 * waive, reopen) with optimistic concurrency, and the audit trail.
 */
export function registerChecklistRoutes(
  router: ReadinessApiRouter,
  context: Pick<
    RouteContext,
    'logger' | 'httpAuth' | 'permissions' | 'readDecisions'
  >,
  options: ChecklistRouteOptions,
) {
  const { logger, httpAuth, permissions, readDecisions } = context;
  const { checklists, catalog, waivers } = options;

  const authorizeEntity = createEntityAuthorizer({
    catalog,
    permissions,
    readDecisions,
  });
  const authorizedEntity = (
    params: { kind: string; namespace: string; name: string },
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    action: string,
  ) =>
    authorizeEntity(parseEntityPath(params), credentials, permission, action);

  /**
   * Authorizes a direct waiver (`readiness.checklist.waive`). When waivers
   * of the entity need an admin's approval, a person who is no approver is
   * refused with the way to request one instead.
   */
  async function authorizeWaiver(
    params: {
      kind: string;
      namespace: string;
      name: string;
      phaseId: string;
      itemId: string;
    },
    credentials: BackstageCredentials,
  ) {
    const approval = await waivers?.approvalFor(parseEntityPath(params));
    const refusal = (entityRef: string) =>
      waivers!.directWaiverRefusal(
        entityRef,
        params.phaseId,
        params.itemId,
        approval!,
      );
    let authorized: Awaited<ReturnType<typeof authorizedEntity>>;
    try {
      authorized = await authorizedEntity(
        params,
        credentials,
        readinessChecklistWaivePermission,
        'waive checklist items of',
      );
    } catch (error) {
      if (approval?.required && error instanceof NotAllowedError) {
        // An owner who may update the item may ask for a waiver.
        const mayRequest = await authorizedEntity(
          params,
          credentials,
          readinessChecklistUpdatePermission,
          'update the checklists of',
        ).then(
          ({ entityRef }) => entityRef,
          () => undefined,
        );
        if (mayRequest) throw refusal(mayRequest);
      }
      throw error;
    }
    if (approval?.required) {
      const [decision] = await permissions.authorize(
        [{ permission: readinessWaiverApprovePermission }],
        { credentials },
      );
      if (decision.result !== AuthorizeResult.ALLOW) {
        throw refusal(authorized.entityRef);
      }
    }
    return authorized;
  }

  router.get('/phases', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: { phases: PhaseSummary[] } = {
      phases: checklists.getPhaseSummaries(),
    };
    res.json(body);
  });

  router.get('/checklists/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entity } = await authorizedEntity(
      req.params,
      credentials,
      readinessScorecardReadPermission,
      'read the checklists of',
    );
    const body: EntityChecklists = await checklists.getEntityChecklists(entity);
    res.json(body);
  });

  router.get('/checklists/:kind/:namespace/:name/audit', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { entityRef } = await authorizedEntity(
      req.params,
      credentials,
      readinessScorecardReadPermission,
      'read the checklist audit trail of',
    );
    const { phaseId, itemId, limit, cursor } = req.query;
    res.json(
      await checklists.listAudit({
        entityRef,
        ...(phaseId !== undefined && { phaseId }),
        ...(itemId !== undefined && { itemId }),
        limit: limit ?? DEFAULT_AUDIT_LIMIT,
        ...(cursor !== undefined && { cursor }),
      }),
    );
  });

  router.put(
    '/checklists/:kind/:namespace/:name/:phaseId/items/:itemId',
    async (req, res) => {
      // An attestation is something a person does: service principals may not.
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const request: ChecklistItemUpdateRequest = req.body;
      const waiver = request.status === 'not-applicable';
      const { phaseId, itemId } = req.params;
      const { entityRef, entity } = waiver
        ? await authorizeWaiver(req.params, credentials)
        : await authorizedEntity(
            req.params,
            credentials,
            readinessChecklistUpdatePermission,
            'update the checklists of',
          );
      // Unknown phases and items are reported before a missing version.
      checklists.resolveItem(entity, phaseId, itemId);
      const expectedVersion = readExpectedVersion(
        req.header('if-match'),
        request.expectedVersion,
      );
      if (expectedVersion === undefined) {
        res.status(428).json({
          error: {
            name: 'PreconditionRequiredError',
            message:
              'The version read is required: send it as If-Match: "<version>" or as expectedVersion (0 for an item never changed)',
          },
        });
        return;
      }
      const actor = credentials.principal.userEntityRef;
      const outcome = await checklists.updateItem({
        entity,
        phaseId,
        itemId,
        request,
        expectedVersion,
        actor,
      });
      if (!outcome.ok) {
        const conflict: ChecklistConflict = {
          error: {
            name: 'ConflictError',
            message: `Item '${itemId}' of phase '${phaseId}' of ${entityRef} has changed: it is at version ${outcome.current.state.version}, not ${expectedVersion}; reload it and try again`,
          },
          current: outcome.current,
        };
        res.setHeader('ETag', `"${outcome.current.state.version}"`);
        res.status(409).json(conflict);
        return;
      }
      logger.info('Changed a checklist item', {
        entityRef,
        phaseId,
        itemId,
        status: outcome.item.state.status,
        version: outcome.item.state.version,
        by: actor,
      });
      const body: EntityChecklistItem = outcome.item;
      res.setHeader('ETag', `"${outcome.item.state.version}"`);
      res.json(body);
    },
  );
}
