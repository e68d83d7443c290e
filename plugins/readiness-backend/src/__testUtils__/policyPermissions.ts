import {
  BackstageCredentials,
  PermissionsService,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { permissionRules } from '@backstage/plugin-catalog-backend/alpha';
import {
  AuthorizeResult,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  createConditionAuthorizer,
  PermissionPolicy,
} from '@backstage/plugin-permission-node';

/** Applies the conditions of a conditional decision to the catalog entity. */
const applyCatalogConditions = createConditionAuthorizer(
  Object.values(permissionRules),
);

/**
 * The permission framework around a real policy (such as the portal's), for
 * route tests: the policy decides, and a conditional decision is applied to
 * the entity of `entities` named by the request, as the catalog's
 * apply-conditions endpoint does.
 */
export function policyPermissions(
  policy: Pick<PermissionPolicy, 'handle'>,
  userInfo: UserInfoService,
  entities: ReadonlyArray<Entity>,
): PermissionsService {
  const decide = async (
    permission: any,
    credentials: BackstageCredentials,
  ): Promise<PolicyDecision> => {
    const principal = credentials.principal as { type: string };
    const user =
      principal.type === 'user'
        ? { credentials, info: await userInfo.getUserInfo(credentials) }
        : undefined;
    return policy.handle({ permission }, user);
  };
  return mockServices.permissions.mock({
    authorize: async (requests, { credentials }) =>
      Promise.all(
        requests.map(async r => {
          const decision = await decide(r.permission, credentials);
          if (decision.result !== AuthorizeResult.CONDITIONAL) {
            return { result: decision.result };
          }
          const resource = entities.find(
            e =>
              stringifyEntityRef(e).toLocaleLowerCase('en-US') ===
              (r as { resourceRef?: string }).resourceRef,
          );
          return {
            result: applyCatalogConditions(decision, resource)
              ? AuthorizeResult.ALLOW
              : AuthorizeResult.DENY,
          };
        }),
      ) as any,
    authorizeConditional: async (requests, { credentials }) =>
      Promise.all(requests.map(r => decide(r.permission, credentials))) as any,
  });
}
