import { generateDeployment } from './generateDeployment';
import { Manifest } from './manifests';
import {
  checkManifestSemantics,
  validateManifestSchema,
  validateManifests,
} from './validate';

function generated(
  rollout: 'rolling-update' | 'blue-green' = 'rolling-update',
) {
  return generateDeployment({
    name: 'orders',
    image: 'registry.example.com/shop/orders:1.4.2',
    peakRps: 1200,
    perPodRps: 100,
    exposure: 'public',
    host: 'orders.example.com',
    dataStores: ['postgresql'],
    rollout,
  });
}

function find(objects: Manifest[], kind: string): any {
  return objects.find(o => o.kind === kind)!;
}

// The Argo Rollouts models compile their schema on first use: seconds on a busy machine.
jest.setTimeout(60_000);

describe('validateManifestSchema', () => {
  it('rejects a wrong type with the model message', () => {
    const [deployment] = structuredClone(generated().manifests);
    (
      deployment.spec as any
    ).template.spec.containers[0].ports[0].containerPort = 'http';
    expect(validateManifestSchema(deployment)).toEqual([
      expect.stringContaining(
        'Deployment/orders: data/spec/template/spec/containers/0/ports/0/containerPort must be integer',
      ),
    ]);
  });

  it('finds misspelt fields, which the models alone accept', () => {
    const [deployment] = structuredClone(generated().manifests);
    const container = (deployment.spec as any).template.spec.containers[0];
    container.livenesProbe = container.livenessProbe;
    (deployment.spec as any).template.metadata.lables = {};
    expect(validateManifestSchema(deployment)).toEqual([
      'Deployment/orders: unknown field spec.template.metadata.lables',
      'Deployment/orders: unknown field spec.template.spec.containers[0].livenesProbe',
    ]);
  });

  it('finds misspelt fields in custom resources (Argo Rollouts, Prometheus Operator)', () => {
    const objects = structuredClone(generated('blue-green').manifests);
    const rollout = find(objects, 'Rollout');
    rollout.spec.strategy.blueGreen.autoPromotion = false;
    const rule = find(objects, 'PrometheusRule');
    rule.spec.groups[0].rules[0].expresion = 'up';
    expect([
      ...validateManifestSchema(rollout),
      ...validateManifestSchema(rule),
    ]).toEqual([
      'Rollout/orders: unknown field spec.strategy.blueGreen.autoPromotion',
      'PrometheusRule/orders-slo: unknown field spec.groups[0].rules[0].expresion',
    ]);
  });

  it('accepts annotation and label keys with slashes', () => {
    const ingress = find(generated().manifests, 'Ingress');
    expect(validateManifestSchema(ingress)).toEqual([]);
  });
});

describe('checkManifestSemantics', () => {
  it('passes the generated set', () => {
    expect(
      checkManifestSemantics(generated().manifests, { rpoMs: 3_600_000 }),
    ).toEqual([]);
    expect(checkManifestSemantics(generated('blue-green').manifests)).toEqual(
      [],
    );
  });

  it.each<[string, (objects: any[]) => void, string | string[]]>([
    [
      'HPA min above max',
      o => {
        find(o, 'HorizontalPodAutoscaler').spec.minReplicas = 20;
      },
      'HorizontalPodAutoscaler/orders: minReplicas 20 is more than maxReplicas 18',
    ],
    [
      'HPA with a single replica',
      o => {
        find(o, 'HorizontalPodAutoscaler').spec.minReplicas = 1;
      },
      [
        'HorizontalPodAutoscaler/orders: minReplicas 1 leaves a single pod',
        // ...and with one pod, the budget of one lets a drain take it.
        'PodDisruptionBudget/orders: allows evicting all 1 replica(s) at once',
      ],
    ],
    [
      'HPA targeting another workload',
      o => {
        find(o, 'HorizontalPodAutoscaler').spec.scaleTargetRef.name = 'order';
      },
      'HorizontalPodAutoscaler/orders: scaleTargetRef apps/v1 Deployment/order is not a workload of the service',
    ],
    [
      'PDB that blocks drains',
      o => {
        const pdb = find(o, 'PodDisruptionBudget');
        delete pdb.spec.maxUnavailable;
        pdb.spec.minAvailable = 2;
      },
      'PodDisruptionBudget/orders: allows no eviction with 2 replica(s): node drains would be blocked',
    ],
    [
      'PDB that evicts every pod',
      o => {
        find(o, 'PodDisruptionBudget').spec.maxUnavailable = 2;
      },
      'PodDisruptionBudget/orders: allows evicting all 2 replica(s) at once',
    ],
    [
      'Service selecting no pods',
      o => {
        find(o, 'Service').spec.selector = {
          'app.kubernetes.io/name': 'order',
        };
      },
      "Service/orders: spec.selector {app.kubernetes.io/name=order} selects no workload's pods",
    ],
    [
      'workload selector off its pods',
      o => {
        find(o, 'Deployment').spec.selector.matchLabels = { app: 'orders' };
      },
      'Deployment/orders: spec.selector {app=orders} does not select the pod labels',
    ],
    [
      'utilisation target without a request',
      o => {
        delete find(o, 'Deployment').spec.template.spec.containers[0].resources
          .requests.memory;
      },
      'HorizontalPodAutoscaler/orders: targets memory utilisation, but container orders requests no memory',
    ],
    [
      'request above limit',
      o => {
        find(
          o,
          'Deployment',
        ).spec.template.spec.containers[0].resources.requests.cpu = '4';
      },
      'Deployment/orders: container orders requests cpu 4, more than its limit 1',
    ],
    [
      'probe on an undeclared port',
      o => {
        find(
          o,
          'Deployment',
        ).spec.template.spec.containers[0].readinessProbe.httpGet.port = 'web';
      },
      "Deployment/orders: container orders readinessProbe uses port 'web', which the container does not declare",
    ],
    [
      'Ingress host without TLS',
      o => {
        find(o, 'Ingress').spec.tls = [];
      },
      'Ingress/orders: host orders.example.com has no TLS entry',
    ],
    [
      'backups less often than the RPO',
      o => {
        find(o, 'CronJob').spec.schedule = '0 2 * * *';
      },
      "CronJob/orders-backup-pg: the RPO is 1h but spec.schedule '0 2 * * *' runs only every 24h; backups must run at least every 1h to meet the RPO",
    ],
    [
      'NetworkPolicy selecting no pods',
      o => {
        find(o, 'NetworkPolicy').spec.podSelector.matchLabels = { app: 'x' };
      },
      "NetworkPolicy/orders: spec.podSelector {app=x} selects no workload's pods",
    ],
  ])('finds %s', (_, breakIt, message) => {
    const objects = structuredClone(generated().manifests);
    breakIt(objects);
    const messages = Array.isArray(message) ? message : [message];
    expect(validateManifests(objects, { rpoMs: 3_600_000 })).toEqual(
      messages.map(m => expect.stringContaining(m)),
    );
  });
});
