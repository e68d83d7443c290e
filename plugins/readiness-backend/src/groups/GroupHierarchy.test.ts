import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  CatalogGroupHierarchy,
  buildGroupTree,
  descendantsInTree,
  readGroupRefreshInterval,
} from './GroupHierarchy';

function group(
  name: string,
  options: {
    parent?: string;
    children?: string[];
    namespace?: string;
    displayName?: string;
    relations?: Entity['relations'];
  } = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: {
      name,
      ...(options.namespace && { namespace: options.namespace }),
    },
    spec: {
      type: 'team',
      children: options.children ?? [],
      ...(options.parent && { parent: options.parent }),
      ...(options.displayName && {
        profile: { displayName: options.displayName },
      }),
    },
    ...(options.relations && { relations: options.relations }),
  };
}

/** acme → platform → sre, acme → payments; a user that is no group. */
const ORG: Entity[] = [
  group('acme', { children: ['platform', 'payments'], displayName: 'ACME' }),
  group('platform', { parent: 'acme', children: ['sre'] }),
  group('SRE', { parent: 'platform' }),
  group('payments', { parent: 'acme' }),
];

describe('buildGroupTree', () => {
  it('gives every group under a group, at every depth, in lower case', () => {
    const tree = buildGroupTree(ORG);
    expect(descendantsInTree(tree, 'group:default/acme')).toEqual([
      'group:default/acme',
      'group:default/payments',
      'group:default/platform',
      'group:default/sre',
    ]);
    expect(descendantsInTree(tree, 'Group:default/Platform')).toEqual([
      'group:default/platform',
      'group:default/sre',
    ]);
    expect(descendantsInTree(tree, 'group:default/sre')).toEqual([
      'group:default/sre',
    ]);
    expect(tree.groups.get('group:default/acme')?.title).toBe('ACME');
  });

  it('returns an unknown ref or a user alone', () => {
    const tree = buildGroupTree(ORG);
    expect(descendantsInTree(tree, 'user:default/jane')).toEqual([
      'user:default/jane',
    ]);
    expect(descendantsInTree(tree, 'group:default/nobody')).toEqual([
      'group:default/nobody',
    ]);
  });

  it('takes edges from either side, relations included, across namespaces', () => {
    const tree = buildGroupTree([
      group('root', {
        relations: [{ type: 'parentOf', targetRef: 'group:ops/night-shift' }],
      }),
      group('night-shift', { namespace: 'ops' }),
      group('orphan', { parent: 'not-in-catalog' }),
      group('child', {
        relations: [{ type: 'childOf', targetRef: 'group:default/root' }],
      }),
    ]);
    expect(descendantsInTree(tree, 'group:default/root')).toEqual([
      'group:default/root',
      'group:default/child',
      'group:ops/night-shift',
    ]);
  });

  it('ends on a cycle in a bad catalog', () => {
    const tree = buildGroupTree([
      group('a', { children: ['b'] }),
      group('b', { children: ['c'] }),
      group('c', { children: ['a'] }),
      group('self', { children: ['self'] }),
    ]);
    expect(descendantsInTree(tree, 'group:default/b')).toEqual([
      'group:default/b',
      'group:default/c',
      'group:default/a',
    ]);
    expect(descendantsInTree(tree, 'group:default/self')).toEqual([
      'group:default/self',
    ]);
  });
});

describe('CatalogGroupHierarchy', () => {
  function create(entities: Entity[], now: () => number) {
    const catalog = catalogServiceMock({
      entities: [
        ...entities,
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'svc' },
          spec: { owner: 'sre' },
        },
      ],
    });
    const queryEntities = jest.spyOn(catalog, 'queryEntities');
    const hierarchy = new CatalogGroupHierarchy({
      catalog,
      auth: mockServices.auth(),
      logger: mockServices.logger.mock(),
      refreshIntervalMs: 60_000,
      now,
    });
    return { hierarchy, queryEntities };
  }

  it('reads the groups once for concurrent callers, and again after the interval', async () => {
    let time = 0;
    const { hierarchy, queryEntities } = create(ORG, () => time);
    const [a, b, c] = await Promise.all([
      hierarchy.descendantsOf('group:default/acme'),
      hierarchy.descendantsOf('group:default/platform'),
      hierarchy.childrenOf('group:default/acme'),
    ]);
    expect(a).toHaveLength(4);
    expect(b).toEqual(['group:default/platform', 'group:default/sre']);
    expect(c).toEqual(['group:default/payments', 'group:default/platform']);
    expect(await hierarchy.titleOf('group:default/acme')).toBe('ACME');
    expect(queryEntities).toHaveBeenCalledTimes(1);
    expect(queryEntities.mock.calls[0][0]).toMatchObject({
      filter: { kind: 'Group' },
    });

    time = 59_999;
    await hierarchy.descendantsOf('group:default/acme');
    expect(queryEntities).toHaveBeenCalledTimes(1);
    time = 60_000;
    await hierarchy.descendantsOf('group:default/acme');
    expect(queryEntities).toHaveBeenCalledTimes(2);
  });

  it('keeps the previous tree when a reload fails', async () => {
    let time = 0;
    const { hierarchy, queryEntities } = create(ORG, () => time);
    expect(await hierarchy.descendantsOf('group:default/platform')).toEqual([
      'group:default/platform',
      'group:default/sre',
    ]);
    queryEntities.mockRejectedValueOnce(new Error('catalog down'));
    time = 120_000;
    expect(await hierarchy.descendantsOf('group:default/platform')).toEqual([
      'group:default/platform',
      'group:default/sre',
    ]);
  });

  it('fails the first load when the catalog is unreachable', async () => {
    const { hierarchy, queryEntities } = create(ORG, () => 0);
    queryEntities.mockRejectedValueOnce(new Error('catalog down'));
    await expect(hierarchy.descendantsOf('group:default/acme')).rejects.toThrow(
      /Could not read the groups of the catalog.*catalog down/,
    );
  });
});

describe('readGroupRefreshInterval', () => {
  it('defaults to 5 minutes and names a bad value', () => {
    expect(readGroupRefreshInterval(new ConfigReader({}))).toBe(300_000);
    expect(
      readGroupRefreshInterval(
        new ConfigReader({ readiness: { groups: { refreshInterval: '1m' } } }),
      ),
    ).toBe(60_000);
    expect(() =>
      readGroupRefreshInterval(
        new ConfigReader({
          readiness: { groups: { refreshInterval: 'soon' } },
        }),
      ),
    ).toThrow(/readiness\.groups\.refreshInterval/);
  });
});
