/*
 * The local portal's permission policy: admins may do everything, owners may
 * change the readiness of what they own, everyone else may read.
 */
import {
  coreServices,
  createBackendModule,
  UserInfoService,
} from '@backstage/backend-plugin-api';
import { Config } from '@backstage/config';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  catalogEntityDeletePermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  Permission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import { unprocessedEntitiesDeletePermission } from '@backstage/plugin-catalog-unprocessed-entities-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  readinessAdminPermission,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessRefreshPermission,
  readinessWaiverApprovePermission,
  readinessInitiativeCreatePermission,
  readinessInitiativeUpdatePermission,
} from '@prodready/plugin-readiness-common';

/** Options of {@link ReadinessPortalPolicy}. */
export interface ReadinessPortalPolicyOptions {
  /** Entity refs of users and groups whose members are admins. */
  admins: string[];
  /** Whether waiving a checklist item needs an admin, not just an owner. */
  waiversRequireAdmin: boolean;
}

/** Changes that only admins may make. */
const ADMIN_ONLY = [
  readinessAdminPermission,
  readinessWaiverApprovePermission,
  readinessInitiativeCreatePermission,
  readinessInitiativeUpdatePermission,
  catalogLocationDeletePermission,
  unprocessedEntitiesDeletePermission,
];

/** Changes that owners of the entity may make. */
const OWNER_CHANGES = [
  readinessChecklistUpdatePermission,
  readinessRefreshPermission,
  catalogEntityDeletePermission,
];

function isOneOf(permission: Permission, candidates: Permission[]): boolean {
  return candidates.some(candidate => isPermission(permission, candidate));
}

/**
 * Admins (members of `readiness.admins`) may do everything. Owners of an
 * entity may attest, refresh and (unless waivers need an admin) waive on it,
 * and unregister it. Everyone signed in may read. Service principals may read
 * but make no readiness or catalog change that needs a person.
 */
export class ReadinessPortalPolicy implements PermissionPolicy {
  static fromConfig(
    config: Config,
    userInfo: UserInfoService,
  ): ReadinessPortalPolicy {
    return new ReadinessPortalPolicy(userInfo, {
      admins: (config.getOptionalStringArray('readiness.admins') ?? []).map(
        ref => ref.toLocaleLowerCase('en-US'),
      ),
      waiversRequireAdmin:
        config.getOptionalBoolean('readiness.checklists.waiversRequireAdmin') ??
        false,
    });
  }

  constructor(
    private readonly userInfo: UserInfoService,
    private readonly options: ReadinessPortalPolicyOptions,
  ) {}

  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const { permission } = request;
    const isWaiver = isPermission(
      permission,
      readinessChecklistWaivePermission,
    );
    const isAdminOnly = isOneOf(permission, ADMIN_ONLY);
    const isOwnerChange = isOneOf(permission, OWNER_CHANGES);

    if (!user) {
      // A service principal: reads are fine, changes need a person.
      const isChange = isAdminOnly || isOwnerChange || isWaiver;
      return {
        result: isChange ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      };
    }
    const { ownershipEntityRefs: claims } = await this.userInfo.getUserInfo(
      user.credentials,
    );
    const isAdmin = claims.some(ref =>
      this.options.admins.includes(ref.toLocaleLowerCase('en-US')),
    );
    if (isAdmin) {
      return { result: AuthorizeResult.ALLOW };
    }
    if (isAdminOnly || (isWaiver && this.options.waiversRequireAdmin)) {
      return { result: AuthorizeResult.DENY };
    }
    if (isWaiver || isOwnerChange) {
      return ownedBy(permission, claims);
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

function ownedBy(permission: Permission, claims: string[]): PolicyDecision {
  if (!isResourcePermission(permission, 'catalog-entity')) {
    return { result: AuthorizeResult.DENY };
  }
  return createCatalogConditionalDecision(
    permission,
    catalogConditions.isEntityOwner({ claims }),
  );
}

/** Installs {@link ReadinessPortalPolicy} in the permission backend. */
export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'readiness-portal-policy',
  register(reg) {
    reg.registerInit({
      deps: {
        policy: policyExtensionPoint,
        config: coreServices.rootConfig,
        userInfo: coreServices.userInfo,
      },
      async init({ policy, config, userInfo }) {
        policy.setPolicy(ReadinessPortalPolicy.fromConfig(config, userInfo));
      },
    });
  },
});
