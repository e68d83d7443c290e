import type {
  BackstageCredentials,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotAllowedError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import { readinessScorecardReadPermission } from '@prodready/plugin-readiness-common';
import type { ReadDecisionCache } from './readDecisions';

/**
 * Resolves an entity as the caller sees it in the catalog (NotFoundError
 * when there is none) once `permission` is granted on it: the policy's
 * conditions, such as ownership, are applied against the entity by the
 * permission framework. Reads may use the caller's cached decision; changes
 * are always asked. Shared by the REST routes and the actions.
 */
export function createEntityAuthorizer(options: {
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  permissions: PermissionsService;
  readDecisions: Pick<ReadDecisionCache, 'canRead'>;
}) {
  const { catalog, permissions, readDecisions } = options;
  return async (
    entityRef: string,
    credentials: BackstageCredentials,
    permission: ResourcePermission<'catalog-entity'>,
    action: string,
  ): Promise<{ entityRef: string; entity: Entity }> => {
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`The catalog has no entity ${entityRef}`);
    }
    const allowed =
      permission === readinessScorecardReadPermission
        ? await readDecisions.canRead(permission, entityRef, { credentials })
        : (
            await permissions.authorize(
              [{ permission, resourceRef: entityRef }],
              { credentials },
            )
          )[0].result === AuthorizeResult.ALLOW;
    if (!allowed) {
      throw new NotAllowedError(
        `You are not allowed to ${action} ${entityRef}`,
      );
    }
    return { entityRef, entity };
  };
}
