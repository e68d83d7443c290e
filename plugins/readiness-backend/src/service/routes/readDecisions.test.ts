import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  readinessOverviewReadPermission,
  readinessScorecardReadPermission,
} from '@prodready/plugin-readiness-common';
import {
  DEFAULT_PERMISSION_CACHE_TTL_MS,
  ReadDecisionCache,
  readPermissionCacheTtl,
} from './readDecisions';

describe('ReadDecisionCache', () => {
  function setup(ttlMs = 10_000) {
    let now = 1_000_000;
    const permissions = mockServices.permissions.mock();
    let result: AuthorizeResult.ALLOW | AuthorizeResult.DENY =
      AuthorizeResult.ALLOW;
    permissions.authorize.mockImplementation(async requests =>
      requests.map(() => ({ result })),
    );
    permissions.authorizeConditional.mockImplementation(async requests =>
      requests.map(() => ({ result })),
    );
    const cache = new ReadDecisionCache({
      permissions,
      ttlMs,
      now: () => now,
    });
    return {
      cache,
      permissions,
      advance: (ms: number) => {
        now += ms;
      },
      decide: (next: AuthorizeResult.ALLOW | AuthorizeResult.DENY) => {
        result = next;
      },
    };
  }
  const alice = { credentials: mockCredentials.user('user:default/alice') };
  const bob = { credentials: mockCredentials.user('user:default/bob') };
  const overview = [{ permission: readinessOverviewReadPermission }];

  it('asks the policy once per caller and permission within the lifetime', async () => {
    const { cache, permissions, advance, decide } = setup();
    expect(await cache.authorize(overview, alice)).toEqual([
      { result: AuthorizeResult.ALLOW },
    ]);
    decide(AuthorizeResult.DENY);
    advance(9_999);
    // Still the decision of 9.999 s ago.
    expect(await cache.authorize(overview, alice)).toEqual([
      { result: AuthorizeResult.ALLOW },
    ]);
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    // Another caller is asked about, never given alice's decision.
    expect(await cache.authorize(overview, bob)).toEqual([
      { result: AuthorizeResult.DENY },
    ]);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
    // Past the lifetime, the policy decides again.
    advance(1);
    expect(await cache.authorize(overview, alice)).toEqual([
      { result: AuthorizeResult.DENY },
    ]);
    expect(permissions.authorize).toHaveBeenCalledTimes(3);
  });

  it('keeps conditional and plain decisions apart, and per permission', async () => {
    const { cache, permissions } = setup();
    await cache.authorize(overview, alice);
    await cache.authorizeConditional(
      [{ permission: readinessScorecardReadPermission }],
      alice,
    );
    await cache.authorizeConditional(
      [{ permission: readinessScorecardReadPermission }],
      alice,
    );
    expect(permissions.authorize).toHaveBeenCalledTimes(1);
    expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
  });

  it('never caches a decision about a resource', async () => {
    const { cache, permissions } = setup();
    const request = [
      {
        permission: readinessScorecardReadPermission,
        resourceRef: 'component:default/payments-api',
      },
    ];
    await cache.authorize(request, alice);
    await cache.authorize(request, alice);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('does not remember a failed call', async () => {
    const { cache, permissions } = setup();
    permissions.authorize.mockRejectedValueOnce(new Error('unreachable'));
    await expect(cache.authorize(overview, alice)).rejects.toThrow(
      'unreachable',
    );
    expect(await cache.authorize(overview, alice)).toEqual([
      { result: AuthorizeResult.ALLOW },
    ]);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });

  it('asks every time with a lifetime of 0', async () => {
    const { cache, permissions } = setup(0);
    await cache.authorize(overview, alice);
    await cache.authorize(overview, alice);
    expect(permissions.authorize).toHaveBeenCalledTimes(2);
  });
});

describe('ReadDecisionCache.canRead', () => {
  const PAYMENTS = 'component:default/payments-api';
  const alice = { credentials: mockCredentials.user('user:default/alice') };

  function setup(
    unconditional: AuthorizeResult,
    forResource: AuthorizeResult.ALLOW | AuthorizeResult.DENY,
  ) {
    const permissions = mockServices.permissions.mock();
    permissions.authorizeConditional.mockImplementation(async requests =>
      requests.map(() =>
        unconditional === AuthorizeResult.CONDITIONAL
          ? {
              result: AuthorizeResult.CONDITIONAL,
              pluginId: 'catalog',
              resourceType: 'catalog-entity',
              conditions: {
                rule: 'IS_ENTITY_OWNER',
                resourceType: 'catalog-entity',
                params: { claims: ['user:default/alice'] },
              },
            }
          : {
              result: unconditional as
                | AuthorizeResult.ALLOW
                | AuthorizeResult.DENY,
            },
      ),
    );
    permissions.authorize.mockImplementation(async requests =>
      requests.map(() => ({ result: forResource })),
    );
    return {
      permissions,
      cache: new ReadDecisionCache({ permissions, ttlMs: 10_000 }),
    };
  }

  it('follows an unconditional decision without asking about the entity', async () => {
    for (const [decision, expected] of [
      [AuthorizeResult.ALLOW, true],
      [AuthorizeResult.DENY, false],
    ] as const) {
      // The call about the entity would say the opposite: it is not made.
      const { cache, permissions } = setup(
        decision,
        expected ? AuthorizeResult.DENY : AuthorizeResult.ALLOW,
      );
      expect(
        await cache.canRead(readinessScorecardReadPermission, PAYMENTS, alice),
      ).toBe(expected);
      await cache.canRead(readinessScorecardReadPermission, PAYMENTS, alice);
      expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
      expect(permissions.authorize).not.toHaveBeenCalled();
    }
  });

  it('asks about the entity, every time, when the decision is conditional', async () => {
    for (const forResource of [AuthorizeResult.ALLOW, AuthorizeResult.DENY]) {
      const { cache, permissions } = setup(
        AuthorizeResult.CONDITIONAL,
        forResource,
      );
      for (let i = 0; i < 2; i++) {
        expect(
          await cache.canRead(
            readinessScorecardReadPermission,
            PAYMENTS,
            alice,
          ),
        ).toBe(forResource === AuthorizeResult.ALLOW);
      }
      expect(permissions.authorizeConditional).toHaveBeenCalledTimes(1);
      expect(permissions.authorize).toHaveBeenCalledTimes(2);
      expect(permissions.authorize).toHaveBeenCalledWith(
        [
          {
            permission: readinessScorecardReadPermission,
            resourceRef: PAYMENTS,
          },
        ],
        alice,
      );
    }
  });
});

describe('readPermissionCacheTtl', () => {
  const read = (overview?: object) =>
    readPermissionCacheTtl(
      new ConfigReader({ readiness: overview ? { overview } : {} }),
    );

  it('reads durations, with a default', () => {
    expect(read()).toBe(DEFAULT_PERMISSION_CACHE_TTL_MS);
    expect(read({ permissionCacheTtl: { seconds: 30 } })).toBe(30_000);
    expect(read({ permissionCacheTtl: '2m' })).toBe(120_000);
    expect(read({ permissionCacheTtl: '0s' })).toBe(0);
  });

  it('rejects what is not a duration, or longer than 5 minutes', () => {
    expect(() => read({ permissionCacheTtl: { minutes: 6 } })).toThrow(
      'Invalid config at readiness.overview.permissionCacheTtl: it must be between 0 (no cache) and 5 minutes',
    );
    expect(() => read({ permissionCacheTtl: 'soon' })).toThrow(
      /readiness\.overview\.permissionCacheTtl/,
    );
  });
});
