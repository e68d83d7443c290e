import { catalogEntityReadPermission } from '@backstage/plugin-catalog-common/alpha';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { PolicyQueryUser } from '@backstage/plugin-permission-node';
import {
  readinessAdminPermission,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessRefreshPermission,
} from '@prodready/plugin-readiness-common';
import { ReadinessPortalPolicy } from './permissionPolicy';

function userWith(...ownershipEntityRefs: string[]): PolicyQueryUser {
  return {
    identity: {
      type: 'user',
      userEntityRef: ownershipEntityRefs[0],
      ownershipEntityRefs,
    },
    credentials: {} as PolicyQueryUser['credentials'],
    info: { userEntityRef: ownershipEntityRefs[0], ownershipEntityRefs },
    token: 'token',
    expiresInSeconds: 3600,
  } as PolicyQueryUser;
}

const admin = userWith('user:default/ada', 'group:default/platform-team');
const owner = userWith('user:default/guest', 'group:default/payments-team');

describe('ReadinessPortalPolicy', () => {
  const policy = new ReadinessPortalPolicy({
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

  it('denies non-admins the admin permission, and lets everyone read', async () => {
    await expect(
      policy.handle({ permission: readinessAdminPermission }, owner),
    ).resolves.toEqual({ result: AuthorizeResult.DENY });
    await expect(
      policy.handle({ permission: catalogEntityReadPermission }, owner),
    ).resolves.toEqual({ result: AuthorizeResult.ALLOW });
  });

  it('makes waivers admin-only when configured', async () => {
    const strict = new ReadinessPortalPolicy({
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
  });
});
