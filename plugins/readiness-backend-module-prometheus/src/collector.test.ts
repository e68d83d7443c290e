import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createObservedServiceLevelsCollector } from './collector';
import { readPrometheusSettings } from './config';

function entity(
  annotations: Record<string, string> = {},
  spec: Entity['spec'] = { type: 'service' },
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec,
  };
}

function collector() {
  const fetch = jest.fn(async () => {
    throw new Error('no query may be sent');
  });
  const settings = readPrometheusSettings(
    new ConfigReader({
      readiness: {
        prometheus: {
          endpoints: [
            { name: 'main', baseUrl: 'http://prometheus:9090' },
            { name: 'mimir', baseUrl: 'http://mimir/prometheus' },
          ],
        },
      },
    }),
  )!;
  return {
    fetch,
    collector: createObservedServiceLevelsCollector({
      settings,
      catalog: catalogServiceMock(),
      auth: mockServices.auth(),
      fetch: fetch as unknown as typeof globalThis.fetch,
    }),
  };
}

describe('createObservedServiceLevelsCollector', () => {
  it('applies to Components of type service or website', () => {
    const { collector: c } = collector();
    expect(c.id).toBe('observedServiceLevels');
    expect(c.appliesTo!(entity())).toBe(true);
    expect(c.appliesTo!(entity({}, { type: 'website' }))).toBe(true);
    expect(c.appliesTo!(entity({}, { type: 'library' }))).toBe(false);
    expect(c.appliesTo!({ ...entity(), kind: 'API' })).toBe(false);
  });

  it('throws the exact problem of a bad selector, before any query', async () => {
    const { collector: c, fetch } = collector();
    await expect(
      c.collect({
        entity: entity({ 'prodready.dev/prometheus-selector': 'job=~"(x"' }),
      }),
    ).rejects.toThrow(
      "prodready.dev/prometheus-selector: 'job=~\"(x\"' has an invalid regular expression for 'job'",
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('throws for an endpoint that is not configured, naming those that are', async () => {
    const { collector: c, fetch } = collector();
    await expect(
      c.collect({
        entity: entity({ 'prodready.dev/prometheus-endpoint': 'thanos' }),
      }),
    ).rejects.toThrow(
      "prodready.dev/prometheus-endpoint: 'thanos' is not a configured Prometheus endpoint; expected one of main, mimir (readiness.prometheus.endpoints)",
    );
    expect(fetch).not.toHaveBeenCalled();
  });

  it('reads the endpoint the annotation names', async () => {
    const { collector: c, fetch } = collector();
    await expect(
      c.collect({
        entity: entity({ 'prodready.dev/prometheus-endpoint': 'mimir' }),
      }),
    ).rejects.toThrow(
      'Prometheus (mimir) is unreachable at http://mimir/prometheus: no query may be sent',
    );
    expect(fetch).toHaveBeenCalledWith(
      'http://mimir/prometheus/api/v1/query',
      expect.anything(),
    );
  });
});
