import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  WaiverRequest,
  WaiverRequestList,
  readinessChecklistUpdatePermission,
  readinessScorecardReadPermission,
  readinessWaiverApprovePermission,
} from '@prodready/plugin-readiness-common';
import type { WaiverService } from '../../waivers/WaiverService';
import { createEntityAuthorizer } from './authorizedEntity';
import { parseEntityPath } from './params';
import { ReadinessApiRouter, RouteContext } from './types';

const DEFAULT_LIMIT = 100;

/** What the waiver routes use besides the route context. */
export interface WaiverRouteOptions {
  waivers: WaiverService;
  /** Reads entities with the caller's credentials. */
  catalog: CatalogService;
}

/**
 * Waiver approval: owners request a waiver of a checklist item, admins
 * (`readiness.waiver.approve`) approve, deny or revoke it, the requester
 * may withdraw it, and everyone lists the requests they may see.
 */
export function registerWaiverRoutes(
  router: ReadinessApiRouter,
  context: Pick<
    RouteContext,
    'httpAuth' | 'permissions' | 'readDecisions' | 'visibility'
  >,
  options: WaiverRouteOptions,
) {
  const { httpAuth, permissions, readDecisions, visibility } = context;
  const { waivers, catalog } = options;
  const authorizeEntity = createEntityAuthorizer({
    catalog,
    permissions,
    readDecisions,
  });

  /** Whether the caller may decide waiver requests (an admin). */
  async function isApprover(credentials: BackstageCredentials) {
    const [decision] = await permissions.authorize(
      [{ permission: readinessWaiverApprovePermission }],
      { credentials },
    );
    return decision.result === AuthorizeResult.ALLOW;
  }

  router.get('/waivers', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const { status, limit } = req.query;
    let entityRef: string | undefined;
    if (req.query.entityRef !== undefined) {
      try {
        entityRef = stringifyEntityRef(
          parseEntityRef(req.query.entityRef),
        ).toLocaleLowerCase('en-US');
      } catch (error) {
        throw new InputError(
          `Invalid entityRef '${req.query.entityRef}': ${
            error instanceof Error ? error.message : String(error)
          }`,
        );
      }
    }
    let canSee: ((ref: string) => boolean) | undefined;
    if (!(await isApprover(credentials))) {
      if (entityRef !== undefined) {
        const allowed = await readDecisions.canRead(
          readinessScorecardReadPermission,
          entityRef,
          { credentials },
        );
        if (!allowed) {
          throw new NotAllowedError(
            `You are not allowed to read the waiver requests of ${entityRef}`,
          );
        }
      } else {
        const readable = await visibility.readableEntityRefs(credentials);
        if (readable !== undefined) {
          const set = new Set(
            readable.map(ref => ref.toLocaleLowerCase('en-US')),
          );
          canSee = ref => set.has(ref);
        }
      }
    }
    const body: WaiverRequestList = {
      items: await waivers.list({
        ...(status && { statuses: status }),
        ...(entityRef !== undefined && { entityRef }),
        limit: limit ?? DEFAULT_LIMIT,
        ...(canSee && { canSee }),
      }),
    };
    res.json(body);
  });

  router.post(
    '/waivers/:kind/:namespace/:name/:phaseId/items/:itemId',
    async (req, res) => {
      // A request is something a person does: service principals may not.
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const { entity } = await authorizeEntity(
        parseEntityPath(req.params),
        credentials,
        readinessChecklistUpdatePermission,
        'request waivers for',
      );
      const body: WaiverRequest = await waivers.request({
        entity,
        phaseId: req.params.phaseId,
        itemId: req.params.itemId,
        input: req.body,
        actor: credentials.principal.userEntityRef,
      });
      res.status(201).json(body);
    },
  );

  router.post('/waivers/:id/decision', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    if (!(await isApprover(credentials))) {
      throw new NotAllowedError(
        'You are not allowed to decide waiver requests: only readiness admins may',
      );
    }
    const { request } = await waivers.decide({
      id: req.params.id,
      input: req.body,
      actor: credentials.principal.userEntityRef,
      getEntity: ref => catalog.getEntityByRef(ref, { credentials }),
    });
    res.json(request);
  });

  router.delete('/waivers/:id', async (req, res) => {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const body: WaiverRequest = await waivers.withdraw({
      id: req.params.id,
      actor: credentials.principal.userEntityRef,
    });
    res.json(body);
  });
}
