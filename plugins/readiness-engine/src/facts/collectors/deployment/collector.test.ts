import fs from 'fs';
import path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import type { UrlReaderServiceReadTreeResponse } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import { NotModifiedError } from '@backstage/errors';
import type { JsonObject } from '@prodready/plugin-readiness-common';
import {
  EXAMPLES_DIR,
  exampleServices,
  loadExampleEntities,
} from '../../../__testUtils__/examples';
import { createDeploymentFactCollector } from './collector';

const entities = loadExampleEntities();
const byName = (name: string) => entities.find(e => e.metadata.name === name)!;

function fsCollector() {
  return createDeploymentFactCollector({
    urlReader: mockServices.urlReader.mock(),
    logger: mockServices.logger.mock(),
  });
}

/** Per-pod capacity and HPA max of each example (examples/README.md). */
const CAPACITY: Record<string, [perPod: number, max: number, files: number]> = {
  'payments-api': [100, 18, 6],
  'ledger-service': [50, 18, 1],
  'checkout-api': [150, 24, 1],
  'auth-service': [125, 36, 6],
  'refund-service': [50, 6, 6],
  'fraud-detection': [80, 6, 3],
  'cart-service': [200, 15, 4],
  'user-profile-service': [100, 18, 5],
  'product-search': [100, 23, 6],
  'order-service': [100, 6, 6],
};

describe('createDeploymentFactCollector', () => {
  it.each(Object.entries(CAPACITY))(
    'reads %s from disk, next to entities.yaml',
    async (service, [perPod, max, files]) => {
      const facts = (await fsCollector().collect({
        entity: byName(service),
      })) as any;
      expect(facts.errors).toEqual([]);
      expect(facts.mainWorkload.name).toBe(service);
      expect(facts.files).toHaveLength(files);
      expect(facts.location).toEqual({
        type: 'file',
        target: `file:${path.join(EXAMPLES_DIR, 'repos', service, 'deploy')}`,
        explicit: true,
        reason: `./repos/${service}/deploy relative to backstage.io/managed-by-location file:${path.join(
          EXAMPLES_DIR,
          'entities.yaml',
        )}`,
        found: true,
        etag: null,
      });
      expect(facts.capacity).toMatchObject({
        perPodRps: perPod,
        perPodRpsSource: 'comment',
        maxReplicas: max,
        atMaxReplicasRps: perPod * max,
      });
      expect(facts.monitoring).toMatchObject({
        prometheusRules: 0,
        alertRules: 0,
      });
      expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    },
  );

  it('returns source none for a service without a deployment path or source location', async () => {
    const facts = await fsCollector().collect({
      entity: byName('reporting-service'),
    });
    expect(facts).toMatchObject({
      version: 1,
      source: 'none',
      mainWorkload: null,
      errors: [],
      location: {
        type: 'none',
        target: null,
        found: false,
        reason:
          'the entity has neither prodready.dev/deployment-path nor backstage.io/source-location',
      },
      capacity: { perPodRps: null, atMaxReplicasRps: null },
      monitoring: { metricsScraped: false },
    });
  });

  it('reports a path that does not exist or is invalid in the facts', async () => {
    const withPath = (value: string): Entity => ({
      ...byName('payments-api'),
      metadata: {
        ...byName('payments-api').metadata,
        annotations: {
          ...byName('payments-api').metadata.annotations,
          'prodready.dev/deployment-path': value,
        },
      },
    });
    const missing = (await fsCollector().collect({
      entity: withPath('./repos/nowhere'),
    })) as any;
    expect(missing.source).toBe('none');
    expect(missing.location.found).toBe(false);
    expect(missing.errors).toEqual([
      {
        path: '',
        document: null,
        line: null,
        message: `the deployment path does not exist: ${path.join(
          EXAMPLES_DIR,
          'repos',
          'nowhere',
        )} does not exist`,
      },
    ]);
    const escaping = (await fsCollector().collect({
      entity: withPath('../../..'),
    })) as any;
    expect(escaping.location.type).toBe('none');
    expect(escaping.errors[0].message).toMatch(
      /leaves the folder of the catalog location/,
    );
  });

  it('throws when the files cannot be read, so the engine keeps the previous facts', async () => {
    const collector = createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      readers: {
        file: {
          read: async () => {
            throw new Error('EACCES: permission denied');
          },
        },
      },
    });
    await expect(
      collector.collect({ entity: byName('payments-api') }),
    ).rejects.toThrow('EACCES');
  });

  it('applies to components only, by default', () => {
    const collector = fsCollector();
    expect(collector).toMatchObject({ id: 'deployment', version: 2 });
    expect(collector.appliesTo!(byName('payments-api'))).toBe(true);
    expect(
      collector.appliesTo!(entities.find(e => e.kind === 'Resource')!),
    ).toBe(false);
  });

  it('reads manifests in API versions Kubernetes no longer serves, and lists them', async () => {
    const legacy = [
      'apiVersion: apps/v1beta1',
      'kind: Deployment',
      'metadata: { name: payments-api }',
      'spec:',
      '  replicas: 2',
      '  template:',
      '    metadata: { labels: { app: payments-api } }',
      '    spec: { containers: [{ name: api, image: "api:1" }] }',
      '---',
      'apiVersion: autoscaling/v2beta1',
      'kind: HorizontalPodAutoscaler',
      'metadata: { name: payments-api }',
      'spec:',
      '  scaleTargetRef: { kind: Deployment, name: payments-api }',
      '  maxReplicas: 6',
      '  metrics:',
      '    - type: Resource',
      '      resource: { name: cpu, targetAverageUtilization: 70 }',
      '---',
      'apiVersion: batch/v1beta1',
      'kind: CronJob',
      'metadata: { name: cleanup }',
      'spec: oops',
    ].join('\n');
    const collector = createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock(),
      logger: mockServices.logger.mock(),
      readers: {
        file: {
          read: async () => ({
            status: 'ok',
            files: [{ path: 'k8s.yaml', content: legacy }],
            skipped: [],
            etag: null,
          }),
        },
      },
    });
    const facts = (await collector.collect({
      entity: byName('payments-api'),
    })) as any;
    expect(facts.errors).toEqual([]);
    expect(facts.mainWorkload).toMatchObject({ name: 'payments-api' });
    expect(facts.selectorsMatch).toBe(true);
    expect(facts.hpa).toMatchObject({
      apiVersion: 'autoscaling/v2beta1',
      cpuTargetPercent: 70,
      targetsWorkload: true,
    });
    expect(facts.capacity).toMatchObject({ maxReplicas: 6 });
    expect(
      facts.removedApis.map((r: any) => [r.kind, r.apiVersion, r.replacement]),
    ).toEqual([
      ['Deployment', 'apps/v1beta1', 'apps/v1'],
      ['HorizontalPodAutoscaler', 'autoscaling/v2beta1', 'autoscaling/v2'],
      ['CronJob', 'batch/v1beta1', 'batch/v1'],
    ]);
  });

  it('returns plain JSON for every example service', async () => {
    const collector = fsCollector();
    for (const entity of exampleServices(entities)) {
      const facts = await collector.collect({ entity });
      expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    }
  });
});

describe('createDeploymentFactCollector with a url location', () => {
  const deployDir = path.join(EXAMPLES_DIR, 'repos', 'payments-api', 'deploy');
  const files = fs.readdirSync(deployDir).map(name => ({
    path: name,
    content: fs.readFileSync(path.join(deployDir, name), 'utf8'),
  }));

  function tree(etag: string): UrlReaderServiceReadTreeResponse {
    return {
      etag,
      files: async () =>
        files.map(f => ({
          path: f.path,
          content: async () => Buffer.from(f.content),
        })),
      archive: async () => {
        throw new Error('not used');
      },
      dir: async () => {
        throw new Error('not used');
      },
    };
  }

  const entity: Entity = {
    ...byName('payments-api'),
    metadata: {
      ...byName('payments-api').metadata,
      annotations: {
        ...byName('payments-api').metadata.annotations,
        'backstage.io/managed-by-location':
          'url:https://github.com/acme/payments-api/blob/main/catalog-info.yaml',
        'prodready.dev/deployment-path': './deploy',
      },
    },
  };

  it('reads through UrlReaderService.readTree, and gives the same facts as from disk', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () => tree('sha-1'),
    });
    const collector = createDeploymentFactCollector({
      urlReader,
      logger: mockServices.logger.mock(),
    });
    const facts = (await collector.collect({ entity })) as any;
    expect(urlReader.readTree).toHaveBeenCalledWith(
      'https://github.com/acme/payments-api/blob/main/deploy',
      { filter: expect.any(Function) },
    );
    expect(facts.location).toEqual({
      type: 'url',
      target: 'https://github.com/acme/payments-api/blob/main/deploy',
      explicit: true,
      reason:
        './deploy relative to backstage.io/managed-by-location url:https://github.com/acme/payments-api/blob/main/catalog-info.yaml',
      found: true,
      etag: 'sha-1',
    });
    const fromDisk = (await fsCollector().collect({
      entity: byName('payments-api'),
    })) as any;
    const { location: _a, ...rest } = facts;
    const { location: _b, ...restFromDisk } = fromDisk;
    expect(rest).toEqual(restFromDisk);
  });

  it('sends the previous ETag, and keeps the previous facts when the tree is unchanged', async () => {
    const readTree = jest
      .fn()
      .mockResolvedValueOnce(tree('sha-1'))
      .mockRejectedValueOnce(new NotModifiedError());
    const collector = createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock({ readTree }),
      logger: mockServices.logger.mock(),
    });
    const first = await collector.collect({ entity });
    const second = await collector.collect({ entity, previous: first });
    expect(second).toBe(first);
    expect(readTree.mock.calls[1][1]).toMatchObject({ etag: 'sha-1' });
  });

  it('does not send an ETag of another target', async () => {
    const readTree = jest.fn().mockResolvedValue(tree('sha-2'));
    const collector = createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock({ readTree }),
      logger: mockServices.logger.mock(),
    });
    const previous: JsonObject = {
      version: 1,
      location: { target: 'https://elsewhere.example.com/x', etag: 'sha-1' },
    };
    await collector.collect({ entity, previous });
    expect(readTree.mock.calls[0][1]).not.toHaveProperty('etag');
  });

  it('reads the conventional folders of a source location', async () => {
    const readTree = jest.fn().mockResolvedValue({
      ...tree('sha-3'),
      files: async () =>
        files.map(f => ({
          path: `k8s/${f.path}`,
          content: async () => Buffer.from(f.content),
        })),
    });
    const collector = createDeploymentFactCollector({
      urlReader: mockServices.urlReader.mock({ readTree }),
      logger: mockServices.logger.mock(),
    });
    const { 'prodready.dev/deployment-path': _, ...annotations } =
      entity.metadata.annotations!;
    const facts = (await collector.collect({
      entity: {
        ...entity,
        metadata: {
          ...entity.metadata,
          annotations: {
            ...annotations,
            'backstage.io/source-location':
              'url:https://github.com/acme/payments-api/tree/main/',
          },
        },
      },
    })) as any;
    expect(readTree.mock.calls[0][0]).toBe(
      'https://github.com/acme/payments-api/tree/main/',
    );
    expect(facts.location).toMatchObject({ type: 'url', explicit: false });
    expect(facts.mainWorkload.name).toBe('payments-api');
    expect(facts.files[0]).toBe('k8s/deployment.yaml');
  });
});
