import { parseAllDocuments } from 'yaml';
import { DeploymentGeneratorInput } from './inputs';
import { generateDeployment } from './generateDeployment';
import { Manifest } from './manifests';
import { validateManifests } from './validate';

const base: DeploymentGeneratorInput = {
  name: 'orders',
  image: 'registry.example.com/shop/orders:1.4.2',
  peakRps: 1200,
  perPodRps: 100,
};

/** The presets the template offers, and the extremes of traffic. */
const PRESETS: Record<string, DeploymentGeneratorInput> = {
  'internal rolling update': { ...base, dataStores: ['postgresql'] },
  'public blue-green': {
    ...base,
    namespace: 'shop',
    exposure: 'public',
    host: 'orders.example.com',
    rollout: 'blue-green',
    dataStores: ['postgresql', 'redis'],
    rpo: '15m',
  },
  'public canary': {
    ...base,
    exposure: 'public',
    host: 'orders.example.com',
    rollout: 'canary',
    dataStores: ['mysql', 'mongodb'],
    rpo: '4h',
  },
  'internal canary without data stores': { ...base, rollout: 'canary' },
};

/** Parses every generated file back, in both YAML 1.2 and 1.1 (Kubernetes' dialect). */
function parseBack(files: Array<{ path: string; content: string }>) {
  return files.flatMap(file =>
    (['1.2', '1.1'] as const).flatMap(version =>
      parseAllDocuments(file.content, { version }).map(document => {
        expect(document.errors).toEqual([]);
        return {
          file: file.path,
          version,
          object: document.toJS() as Manifest,
        };
      }),
    ),
  );
}

// The Argo Rollouts models compile their schema on first use: seconds on a busy machine.
jest.setTimeout(60_000);

describe('generateDeployment', () => {
  it.each(Object.entries(PRESETS))(
    'generates valid manifests that parse back unchanged: %s',
    (_, input) => {
      const generation = generateDeployment(input);
      const parsed = parseBack(generation.files);
      for (const version of ['1.2', '1.1']) {
        const objects = parsed
          .filter(p => p.version === version)
          .map(p => p.object);
        expect(objects).toEqual(generation.manifests);
        expect(
          validateManifests(objects, { rpoMs: generation.spec.rpoMs }),
        ).toEqual([]);
      }
      expect(generation.objects.map(o => `${o.kind}/${o.name}`)).toEqual(
        generation.manifests.map(m => `${m.kind}/${m.metadata.name}`),
      );
    },
  );

  it.each(Object.entries(PRESETS))('matches the snapshot: %s', (_, input) => {
    const generation = generateDeployment(input);
    expect(
      Object.fromEntries(generation.files.map(f => [f.path, f.content])),
    ).toMatchSnapshot();
  });

  it('sizes the HPA from peak ÷ per-pod capacity × 1.5 and says so', () => {
    const generation = generateDeployment(base);
    const hpa = generation.manifests.find(
      m => m.kind === 'HorizontalPodAutoscaler',
    )!;
    expect(hpa.spec).toMatchObject({
      minReplicas: 2,
      maxReplicas: 18,
      behavior: {
        scaleUp: { stabilizationWindowSeconds: 300 },
        scaleDown: { stabilizationWindowSeconds: 600 },
      },
    });
    expect(hpa.metadata.annotations).toEqual({
      'prodready.dev/per-pod-rps': '100',
    });
    const file = generation.files.find(f => f.path === 'hpa.yaml')!;
    expect(file.content).toContain(
      '# Capacity: peak 1200 rps / 100 rps per pod = 12 pods, + 50% buffer = 18.',
    );
    expect(generation.explanation).toContain('maxReplicas is 18.');
  });

  it('keeps the minimum of 2 replicas for small traffic', () => {
    const generation = generateDeployment({
      ...base,
      peakRps: 5,
      perPodRps: 100,
    });
    expect(generation.capacity).toMatchObject({
      podsForPeak: 1,
      podsWithBuffer: 1,
      minReplicas: 2,
      maxReplicas: 2,
      clampedToMax: false,
    });
    expect(generation.explanation).toContain(
      '1 is below the minimum of 2 replicas kept for availability: maxReplicas is 2.',
    );
    const pdb = generation.manifests.find(
      m => m.kind === 'PodDisruptionBudget',
    )!;
    expect(pdb.spec).toMatchObject({ maxUnavailable: 1 });
  });

  it('clamps huge traffic to the maximum and explains the shortfall', () => {
    const generation = generateDeployment({
      ...base,
      peakRps: 1_000_000,
      perPodRps: 250,
    });
    expect(generation.capacity).toMatchObject({
      podsForPeak: 4000,
      podsWithBuffer: 6000,
      maxReplicas: 50,
      clampedToMax: true,
    });
    expect(generation.explanation).toContain(
      '6000 exceeds the allowed maximum of 50: maxReplicas is capped at 50, so the buffer is not fully met; raise per-pod capacity or the maximum.',
    );
  });

  it('exposes public services through a TLS Ingress, internal ones not at all', () => {
    const kinds = (input: DeploymentGeneratorInput) =>
      generateDeployment(input).manifests.map(m => m.kind);
    expect(kinds(base)).not.toContain('Ingress');
    const publicService = generateDeployment({
      ...base,
      exposure: 'public',
      host: 'orders.example.com',
      tlsIssuer: 'letsencrypt-staging',
    });
    const ingress = publicService.manifests.find(m => m.kind === 'Ingress')!;
    expect(ingress.metadata.annotations).toMatchObject({
      'cert-manager.io/cluster-issuer': 'letsencrypt-staging',
      'nginx.ingress.kubernetes.io/limit-rps': '50',
    });
    expect(ingress.spec).toMatchObject({
      tls: [{ hosts: ['orders.example.com'], secretName: 'orders-tls' }],
    });
    const policy = publicService.manifests.find(
      m => m.kind === 'NetworkPolicy',
    )!;
    expect(JSON.stringify(policy.spec)).toContain('ingress-nginx');
  });

  it('derives the backup schedule from the RPO and checks it', () => {
    const generation = generateDeployment({
      ...base,
      dataStores: ['postgresql'],
      rpo: '6h',
    });
    expect(generation.backup.cron).toBe('7 */6 * * *');
    const cronJob = generation.manifests.find(m => m.kind === 'CronJob')!;
    expect(cronJob.spec).toMatchObject({
      schedule: '7 */6 * * *',
      concurrencyPolicy: 'Forbid',
    });
  });

  it('alerts on the availability and latency budgets', () => {
    const generation = generateDeployment({
      ...base,
      availability: '99.95',
      latencyP95: '300ms',
    });
    const rule = generation.manifests.find(m => m.kind === 'PrometheusRule')!;
    const text = JSON.stringify(rule.spec);
    // 14.4 × 0.0005 and 14.4 × 0.05
    expect(text).toContain('> 0.0072');
    expect(text).toContain('> 0.72');
    expect(text).toContain('le=\\"0.3\\"');
    expect(text).toContain('OrdersErrorBudgetBurn1h');
  });
});
