import { UserInfoService } from '@backstage/backend-plugin-api';
import { mockCredentials } from '@backstage/backend-test-utils';
import {
  catalogEntityReadPermission,
  catalogLocationDeletePermission,
} from '@backstage/plugin-catalog-common/alpha';
import { unprocessedEntitiesDeletePermission } from '@backstage/plugin-catalog-unprocessed-entities-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  readinessAdminPermission,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessRefreshPermission,
  readinessWaiverApprovePermission,
  readinessInitiativeCreatePermission,
  readinessInitiativeUpdatePermission,
} from '@prodready/plugin-readiness-common';
import { ReadinessPortalPolicy } from './permissionPolicy';

const memberships: Record<string, string[]> = {};

function userWith(...ownershipEntityRefs: string[]): PolicyQueryUser {
  const [userEntityRef] = ownershipEntityRefs;
  memberships[userEntityRef] = ownershipEntityRefs;
  return {
    credentials: mockCredentials.user(userEntityRef),
    // Deprecated and empty here: the policy must ask the user info service.
    info: { userEntityRef, ownershipEntityRefs: [] },
  };
}

/** Resolves ownership the way the catalog would: from the user's groups. */
const userInfo: UserInfoService = {
  async getUserInfo(credentials) {
    const { userEntityRef } = credentials.principal as {
      userEntityRef: string;
    };
    return { userEntityRef, ownershipEntityRefs: memberships[userEntityRef] };
  },
};

const admin = userWith('user:default/ada', 'group:default/platform-team');
const owner = userWith('user:default/guest', 'group:default/payments-team');

describe('ReadinessPortalPolicy', () => {
  const policy = new ReadinessPortalPolicy(userInfo, {
    admins: ['group:default/platform-team'],
    waiversRequireAdmin: false,
  });

  it('allows admins everything', async () => {
    for (const permission of [
      readinessAdminPermission,
      readinessChecklistUpdatePermission,
      readinessChecklistWaivePermission,
      readinessRefreshPermission,
    ]) {
      await expect(policy.handle({ permission }, admin)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
  });

  it('lets owners change readiness only on entities they own', async () => {
    const decision = await policy.handle(
      { permission: readinessChecklistUpdatePermission },
      owner,
    );
    expect(decision).toEqual({
      result: AuthorizeResult.CONDITIONAL,
      pluginId: 'catalog',
      resourceType: 'catalog-entity',
      conditions: {
        rule: 'IS_ENTITY_OWNER',
        resourceType: 'catalog-entity',
        params: {
          claims: ['user:default/guest', 'group:default/payments-team'],
        },
      },
    });
  });

  it('denies non-admins the admin-only changes, and lets everyone read', async () => {
    for (const permission of [
      readinessAdminPermission,
      readinessWaiverApprovePermission,
      readinessInitiativeCreatePermission,
      readinessInitiativeUpdatePermission,
      catalogLocationDeletePermission,
      unprocessedEntitiesDeletePermission,
    ]) {
      await expect(policy.handle({ permission }, owner)).resolves.toEqual({
        result: AuthorizeResult.DENY,
      });
      await expect(policy.handle({ permission }, admin)).resolves.toEqual({
        result: AuthorizeResult.ALLOW,
      });
    }
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, owner),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('makes waivers admin-only when configured', async () => {
    const strict = new ReadinessPortalPolicy(userInfo, {
      admins: ['group:default/platform-team'],
      waiversRequireAdmin: true,
    });
    await expect(
      strict.handle({ permission: readinessChecklistWaivePermission }, owner),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: readinessChecklistWaivePermission }, owner),
    ).resolves.toMatchObject({ result: AuthorizeResult.CONDITIONAL });
  });

  it('lets service principals read but not change readiness', async () => {
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    await expect(
      policy.handle({ permission: readinessChecklistUpdatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: readinessWaiverApprovePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: readinessInitiativeCreatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: readinessInitiativeUpdatePermission }),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
  });

  it('lets only admins approve waivers, whether or not waivers need an admin', async () => {
    for (const waiversRequireAdmin of [false, true]) {
      const configured = new ReadinessPortalPolicy(userInfo, {
        admins: ['group:default/platform-team'],
        waiversRequireAdmin,
      });
      await expect(
        configured.handle(
          { permission: readinessWaiverApprovePermission },
          owner,
        ),
      ).resolves.toEqual({ result: AuthorizeResult.DENY });
      await expect(
        configured.handle(
          { permission: readinessWaiverApprovePermission },
          admin,
        ),
      ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
    }
  });
});
