import { DeploymentGeneratorInput, resolveDeploymentSpec } from './inputs';
import { generateDeployment } from './generateDeployment';

const valid: DeploymentGeneratorInput = {
  name: 'orders',
  image: 'registry.example.com/shop/orders:1.4.2',
  peakRps: 1200,
  perPodRps: 100,
};

describe('resolveDeploymentSpec', () => {
  it('fills in the seed defaults', () => {
    const spec = resolveDeploymentSpec(valid);
    expect(spec).toMatchObject({
      port: 8080,
      availabilityPercent: 99.9,
      latencyP95Ms: 200,
      errorRatePercent: 0.1,
      exposure: 'internal',
      host: null,
      rollout: 'rolling-update',
      rtoMs: 4 * 3_600_000,
      rpoMs: 3_600_000,
      backupRetentionMs: 30 * 86_400_000,
      scaling: {
        cpuUtilizationPercent: 70,
        memoryUtilizationPercent: 80,
        scaleUpStabilizationSeconds: 300,
        scaleDownStabilizationSeconds: 600,
      },
      capacityBufferPercent: 50,
    });
    expect(spec.capacity).toMatchObject({ minReplicas: 2, maxReplicas: 18 });
  });

  it('accepts numbers written as strings and percentages with a sign', () => {
    const spec = resolveDeploymentSpec({
      ...valid,
      peakRps: '800',
      perPodRps: '80',
      availability: '99.95%',
      errorRate: '0.05%',
    });
    expect(spec.peakRps).toBe(800);
    expect(spec.availabilityPercent).toBe(99.95);
    expect(spec.errorRatePercent).toBe(0.05);
    expect(spec.capacity.maxReplicas).toBe(15);
  });

  // Each bad input names the input and the rule it broke, and nothing is generated.
  it.each<[string, Partial<DeploymentGeneratorInput>, string]>([
    [
      'missing name',
      { name: undefined as unknown as string },
      'name is required',
    ],
    [
      'uppercase name',
      { name: 'Orders' },
      "name must be a DNS label: at most 39 lowercase letters, digits and '-', starting and ending with a letter or digit, got 'Orders'",
    ],
    [
      'name too long',
      { name: 'a'.repeat(40) },
      'name must be a DNS label: at most 39',
    ],
    [
      'bad namespace',
      { namespace: 'shop_ns' },
      "namespace must be a DNS label: at most 63 lowercase letters, digits and '-', starting and ending with a letter or digit, got 'shop_ns'",
    ],
    [
      'image without tag',
      { image: 'registry.example.com/shop/orders' },
      "image must pin a tag or digest other than 'latest'",
    ],
    [
      'image :latest',
      { image: 'orders:latest' },
      "image must pin a tag or digest other than 'latest', so that every rollout is reproducible and can be rolled back, got 'orders:latest'",
    ],
    [
      'malformed image',
      { image: 'Registry/Orders:1' },
      "image must be an image reference such as 'registry.example.com/team/service:1.0.0', got 'Registry/Orders:1'",
    ],
    [
      'privileged port',
      { port: 80 },
      'port must be an integer from 1024 to 65535, got 80',
    ],
    [
      'negative traffic',
      { peakRps: -5 },
      'peakRps must be a number greater than 0, got -5',
    ],
    [
      'zero traffic',
      { peakRps: 0 },
      'peakRps must be a number greater than 0, got 0',
    ],
    [
      'non-numeric traffic',
      { peakRps: 'lots' },
      "peakRps must be a number greater than 0, got 'lots'",
    ],
    [
      'infinite per-pod capacity',
      { perPodRps: Infinity },
      'perPodRps must be a number greater than 0',
    ],
    [
      'missing per-pod capacity',
      { perPodRps: undefined as unknown as number },
      'perPodRps is required',
    ],
    [
      'availability of 100%',
      { availability: '100' },
      'availability must be below 100: a 100% target leaves no error budget to alert on',
    ],
    [
      'availability over 100',
      { availability: '120' },
      "availability: '120' is out of range",
    ],
    [
      'latency not a duration',
      { latencyP95: 'fast' },
      "latencyP95: 'fast' is not a duration",
    ],
    ['public without host', { exposure: 'public' }, 'host is required'],
    [
      'public with a bad host',
      { exposure: 'public', host: 'orders' },
      "host must be a fully qualified lowercase host name such as 'orders.example.com', got 'orders'",
    ],
    [
      'unknown exposure',
      { exposure: 'world' as never },
      "exposure must be 'public' or 'internal', got 'world'",
    ],
    [
      'unknown data store',
      { dataStores: ['oracle' as never] },
      "dataStores[0] must be one of postgresql, mysql, mongodb, redis, got 'oracle'",
    ],
    [
      'repeated data store',
      { dataStores: ['redis', 'redis'] },
      "dataStores[1] must not repeat a store, got 'redis'",
    ],
    [
      'RPO of zero',
      { rpo: '0s' },
      'rpo must be at least 5m for scheduled backups; a shorter RPO (or 0, no data loss) needs synchronous replication',
    ],
    [
      'RPO not a duration',
      { rpo: 'hourly' },
      "rpo: 'hourly' is not a duration",
    ],
    [
      'retention shorter than two backups',
      { rpo: '1d', backupRetention: '1d' },
      'backupRetention must keep at least two backups: at least twice the RPO (2d)',
    ],
    [
      'unknown rollout',
      { rollout: 'big-bang' as never },
      'rollout must be one of rolling-update, blue-green, canary',
    ],
    [
      'request above limit',
      { cpuRequest: '2', cpuLimit: '500m' },
      "cpuRequest must not exceed cpuLimit (500m), got '2'",
    ],
    [
      'memory request above limit',
      { memoryRequest: '2Gi', memoryLimit: '1Gi' },
      "memoryRequest must not exceed memoryLimit (1Gi), got '2Gi'",
    ],
    [
      'malformed quantity',
      { memoryRequest: 'lots' },
      "memoryRequest must be a Kubernetes quantity greater than 0, such as '256Mi', got 'lots'",
    ],
    [
      'single replica',
      { minReplicas: 1 },
      'minReplicas must be an integer of at least 2, got 1',
    ],
    [
      'min above max',
      { minReplicas: 10, maxReplicas: 5 },
      'maxReplicas must be at least minReplicas (10), got 5',
    ],
    [
      'CPU target over 100%',
      { cpuUtilizationPercent: 150 },
      'cpuUtilizationPercent must be an integer from 10 to 100, got 150',
    ],
    [
      'probe path without slash',
      { healthPath: 'healthz' },
      "healthPath must be an HTTP path starting with '/', got 'healthz'",
    ],
  ])('rejects %s', (_, change, message) => {
    const input = { ...valid, ...change };
    expect(() => resolveDeploymentSpec(input)).toThrow(message);
    expect(() => generateDeployment(input)).toThrow(
      expect.objectContaining({
        name: 'InputError',
        message: expect.stringContaining(message),
      }),
    );
  });

  it('reports every problem at once', () => {
    expect(() =>
      resolveDeploymentSpec({
        ...valid,
        peakRps: -1,
        perPodRps: 0,
        image: 'x:latest',
      }),
    ).toThrow(
      "image must pin a tag or digest other than 'latest', so that every rollout is reproducible and can be rolled back, got 'x:latest'; peakRps must be a number greater than 0, got -1; perPodRps must be a number greater than 0, got 0",
    );
  });
});
