import path from 'path';
import type { Entity } from '@backstage/catalog-model';
import { locateDeploymentFiles } from './locate';

function entity(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'svc', annotations },
    spec: { type: 'service' },
  };
}

const LOCATION = 'backstage.io/managed-by-location';
const SOURCE = 'backstage.io/source-location';
const PATH = 'prodready.dev/deployment-path';
const examples = path.resolve('/srv/catalog/examples');

describe('locateDeploymentFiles', () => {
  it('resolves a path against the file the entity was read from', () => {
    expect(
      locateDeploymentFiles(
        entity({
          [LOCATION]: `file:${examples}/entities.yaml`,
          [PATH]: './repos/payments-api/deploy',
        }),
      ),
    ).toEqual({
      target: {
        type: 'file',
        path: path.join(examples, 'repos', 'payments-api', 'deploy'),
        root: examples,
        explicit: true,
      },
      reason: `./repos/payments-api/deploy relative to ${LOCATION} file:${examples}/entities.yaml`,
      problem: null,
    });
  });

  it('refuses a path that leaves the folder of a file location', () => {
    const located = locateDeploymentFiles(
      entity({
        [LOCATION]: `file:${examples}/entities.yaml`,
        [PATH]: '../../etc',
      }),
    );
    expect(located.target).toBeNull();
    expect(located.problem).toBe(
      `${PATH} '../../etc' leaves the folder of the catalog location (${examples}); only folders inside it are read`,
    );
  });

  it('resolves a path against a url location with new URL()', () => {
    expect(
      locateDeploymentFiles(
        entity({
          [LOCATION]:
            'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
          [PATH]: './deploy/k8s',
        }),
      ).target,
    ).toEqual({
      type: 'url',
      url: 'https://github.com/acme/payments/blob/main/deploy/k8s',
      explicit: true,
    });
  });

  it('falls back to the source location, a folder', () => {
    expect(
      locateDeploymentFiles(
        entity({
          [SOURCE]: 'url:https://github.com/acme/payments/tree/main/service',
          [PATH]: 'deploy',
        }),
      ).target,
    ).toEqual({
      type: 'url',
      url: 'https://github.com/acme/payments/tree/main/service/deploy',
      explicit: true,
    });
  });

  it('takes an http(s) URL as it is', () => {
    expect(
      locateDeploymentFiles(
        entity({
          [PATH]: 'https://gitlab.example.com/acme/ops/-/tree/main/svc',
        }),
      ).target,
    ).toEqual({
      type: 'url',
      url: 'https://gitlab.example.com/acme/ops/-/tree/main/svc',
      explicit: true,
    });
  });

  it('reads the conventional folders of the source location without a path', () => {
    const located = locateDeploymentFiles(
      entity({
        [LOCATION]:
          'url:https://github.com/acme/payments/blob/main/catalog-info.yaml',
        [SOURCE]: 'url:https://github.com/acme/payments/tree/main/',
      }),
    );
    expect(located.target).toEqual({
      type: 'url',
      url: 'https://github.com/acme/payments/tree/main/',
      explicit: false,
    });
    expect(located.reason).toMatch(
      /^the conventional deployment folders \(deploy, /,
    );
  });

  it('finds nothing without a path and a source location', () => {
    expect(
      locateDeploymentFiles(
        entity({ [LOCATION]: `file:${examples}/entities.yaml` }),
      ),
    ).toEqual({
      target: null,
      reason: `the entity has neither ${PATH} nor ${SOURCE}`,
      problem: null,
    });
  });

  it('reports bad values instead of guessing', () => {
    expect(
      locateDeploymentFiles(entity({ [PATH]: '/etc/kubernetes' })).problem,
    ).toMatch(
      /^prodready\.dev\/deployment-path: '\/etc\/kubernetes' is not a relative path or http\(s\) URL/,
    );
    expect(locateDeploymentFiles(entity({ [PATH]: 'deploy' })).problem).toBe(
      `the entity has neither ${LOCATION} nor ${SOURCE}, so a relative ${PATH} cannot be resolved`,
    );
    expect(
      locateDeploymentFiles(
        entity({ [LOCATION]: 'github:acme/payments', [PATH]: 'deploy' }),
      ).problem,
    ).toBe(
      `${LOCATION} has the location type 'github'; deployment files can be read only from 'url' (http/https) and 'file' locations`,
    );
    expect(
      locateDeploymentFiles(
        entity({ [LOCATION]: 'nonsense', [PATH]: 'deploy' }),
      ).problem,
    ).toMatch(
      /^backstage\.io\/managed-by-location 'nonsense' is not a location ref/,
    );
  });
});
