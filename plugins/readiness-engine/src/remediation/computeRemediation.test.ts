import type { Entity } from '@backstage/catalog-model';
import {
  JsonObject,
  resolveServiceLevels,
} from '@prodready/plugin-readiness-common';
import { BUILT_IN_CHECKS } from '../builtin';
import {
  collectEntityFacts,
  deploymentFactsOfFiles,
  toServiceLevelsFacts,
} from '../facts/collectors';
import { compileChecks } from '../rules';
import { evaluateChecks } from '../scoring';
import { computeRemediation } from './computeRemediation';
import { unifiedDiff } from './diff';

const NOW = new Date('2026-11-26T00:00:00Z');

function service(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name: 'podinfo',
      namespace: 'default',
      annotations: {
        'prodready.dev/availability': '99.9',
        'prodready.dev/latency-p95': '200ms',
        'prodready.dev/error-rate': '0.1%',
        'prodready.dev/peak-rps': '400',
        ...annotations,
      },
    },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
  };
}

function factsOf(entity: Entity): Record<string, JsonObject> {
  return {
    entity: collectEntityFacts(entity) as unknown as JsonObject,
    serviceLevels: toServiceLevelsFacts(
      resolveServiceLevels(entity, { now: NOW }),
    ) as unknown as JsonObject,
  };
}

const checks = compileChecks(BUILT_IN_CHECKS);

function statuses(
  entity: Entity,
  files: Array<{ path: string; content: string }>,
) {
  const deployment = deploymentFactsOfFiles(files, { workloadName: 'podinfo' });
  return Object.fromEntries(
    evaluateChecks(checks, {
      entity,
      entityRef: 'component:default/podinfo',
      facts: { ...factsOf(entity), deployment: deployment as JsonObject },
      now: NOW,
    }).map(r => [r.checkId, r.status]),
  );
}

/** The files after the patch (unchanged files as they were). */
function patched(
  files: Array<{ path: string; content: string }>,
  plan: ReturnType<typeof computeRemediation>,
) {
  const result = new Map(files.map(f => [f.path, f.content]));
  for (const file of plan.files) result.set(file.path, file.after);
  return [...result].map(([path, content]) => ({ path, content }));
}

const BARE_DEPLOYMENT = `# podinfo: the team's hand-written manifest.
apiVersion: apps/v1
kind: Deployment
metadata:
  name: podinfo # keep this name
  labels:
    app.kubernetes.io/name: podinfo
spec:
  replicas: 3
  strategy:
    type: Recreate
  selector:
    matchLabels:
      app.kubernetes.io/name: podinfo
  template:
    metadata:
      labels:
        app.kubernetes.io/name: podinfo
        team: a
    spec:
      containers:
        - name: podinfo
          image: ghcr.io/stefanprodan/podinfo:6.5.0
          ports:
            - name: http
              containerPort: 9898
          # the health endpoint podinfo serves
          livenessProbe:
            httpGet: { path: /healthz, port: http }
---
apiVersion: v1
kind: Service
metadata:
  name: podinfo
spec:
  selector:
    app.kubernetes.io/name: podinfo
  ports:
    - port: 80
      targetPort: http
`;

describe('computeRemediation', () => {
  it('fixes a bare Deployment: every fixable check passes afterwards, with the service’s own names, ports and probe paths, keeping comments and order', () => {
    const entity = service();
    const files = [{ path: 'deploy.yaml', content: BARE_DEPLOYMENT }];
    const before = statuses(entity, files);
    const plan = computeRemediation({
      entity,
      files,
      facts: factsOf(entity),
      now: NOW,
    });
    const fixed = plan.fixes.map(f => f.checkId);
    expect(fixed).toEqual(
      expect.arrayContaining([
        'zero-downtime-rollout',
        'probes-configured',
        'pdb-configured',
        'zone-spread',
        'startup-probe',
        'hpa-configured',
        'resource-requests',
        'network-policy',
        'metrics-scraped',
        'slo-alerts',
      ]),
    );
    const after = statuses(entity, patched(files, plan));
    for (const id of fixed) {
      expect({ id, before: before[id] }).not.toEqual({ id, before: 'pass' });
      expect({ id, after: after[id] }).toEqual({ id, after: 'pass' });
    }
    // Nothing that passed fails now.
    const regressed = Object.entries(before)
      .filter(([id, status]) => status === 'pass' && after[id] !== 'pass')
      .map(([id]) => id);
    expect(regressed).toEqual([]);

    const deploy = plan.files.find(f => f.path === 'deploy.yaml')!;
    expect(deploy.change).toBe('modify');
    // The user's comments and key order are kept.
    expect(deploy.after).toMatch(
      /^# podinfo: the team's hand-written manifest\.\n/,
    );
    expect(deploy.after).toContain('name: podinfo # keep this name');
    expect(deploy.after).toContain('# the health endpoint podinfo serves');
    expect(deploy.after.indexOf('replicas: 3')).toBeLessThan(
      deploy.after.indexOf('selector:'),
    );
    // The probes ask the liveness probe's own path, on the named port.
    expect(deploy.after).toMatch(
      /readinessProbe:\n\s+httpGet:\n\s+path: \/healthz\n\s+port: http/,
    );
    expect(deploy.after).toMatch(
      /startupProbe:\n\s+httpGet:\n\s+path: \/healthz/,
    );
    expect(deploy.after).toContain('type: RollingUpdate');

    // New objects select the service's pods and name it.
    const hpa = plan.files.find(f => f.path === 'hpa.yaml')!;
    expect(hpa.change).toBe('create');
    expect(hpa.after).toContain('name: podinfo');
    // 400 rps peak with no per-pod capacity: the seed's 2..50.
    expect(hpa.after).toMatch(/minReplicas: 2\n\s+maxReplicas: 50/);
    expect(hpa.after).toContain('stabilizationWindowSeconds: 300');
    const policy = plan.files.find(f => f.path === 'networkpolicy.yaml')!;
    expect(policy.after).toMatch(/port: 9898/);
    const pdb = plan.files.find(f => f.path === 'pdb.yaml')!;
    expect(pdb.after).toMatch(
      /selector:\n\s+matchLabels:\n\s+app.kubernetes.io\/name: podinfo/,
    );
    expect(plan.fixes.find(f => f.checkId === 'pdb-configured')!.summary).toBe(
      'Add a PodDisruptionBudget (maxUnavailable 1) that selects the pods of `podinfo`, in pdb.yaml',
    );
    // Every change is in a diff, and the description lists the fixed checks.
    expect(deploy.diff).toBe(
      unifiedDiff('deploy.yaml', BARE_DEPLOYMENT, deploy.after),
    );
    expect(hpa.diff.startsWith('--- /dev/null\n+++ b/hpa.yaml\n')).toBe(true);
    for (const id of fixed) {
      expect(plan.description).toContain(`\`${id}\``);
    }
  });

  it('derives maxReplicas from the peak and the per-pod capacity, and says why it cannot without them', () => {
    const entity = service({ 'prodready.dev/peak-rps': '1200' });
    const hpa = `apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: podinfo
  annotations:
    prodready.dev/per-pod-rps: '100'
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: podinfo }
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource:
        name: cpu
        target: { type: Utilization, averageUtilization: 85 }
`;
    const files = [
      { path: 'deploy.yaml', content: BARE_DEPLOYMENT },
      { path: 'hpa.yaml', content: hpa },
    ];
    const plan = computeRemediation({
      entity,
      files,
      facts: factsOf(entity),
      now: NOW,
    });
    const capacity = plan.fixes.find(f => f.checkId === 'hpa-capacity')!;
    expect(capacity.summary).toBe(
      'Raise maxReplicas of `podinfo` from 6 to 18: 1200 rps peak × 1.5 = 1800 rps ÷ 100 rps per pod',
    );
    const targets = plan.fixes.find(
      f => f.checkId === 'hpa-utilization-targets',
    )!;
    expect(targets.summary).toBe(
      'Scale `podinfo` on CPU 70% and memory 80% (cpu 85% → 70%, memory 80% added)',
    );
    // The memory target needs a memory request: fixed in the same patch.
    expect(plan.fixes.map(f => f.checkId)).toContain('resource-requests');
    expect(statuses(entity, patched(files, plan))).toMatchObject({
      'hpa-capacity': 'pass',
      'hpa-utilization-targets': 'pass',
      'utilization-targets-have-requests': 'pass',
      'hpa-scaling-behavior': 'pass',
    });

    const noPerPod = hpa.replace(
      /\n {2}annotations:\n.*per-pod-rps: '100'/,
      '',
    );
    const unknown = computeRemediation({
      entity,
      files: [files[0], { path: 'hpa.yaml', content: noPerPod }],
      facts: factsOf(entity),
      now: NOW,
    });
    expect(
      unknown.unfixable.find(u => u.checkId === 'hpa-capacity')?.reason,
    ).toBe(
      'the per-pod capacity is unknown: measure it with a load test and annotate the HPA with prodready.dev/per-pod-rps',
    );
  });

  it('edits Helm values where the chart’s conventions are known, and says why not otherwise', () => {
    const entity = service();
    const values = `# values of the podinfo chart
replicaCount: 2
image:
  repository: ghcr.io/stefanprodan/podinfo
  tag: 6.5.0
autoscaling:
  enabled: true
  minReplicas: 2
  maxReplicas: 10
  targetCPUUtilizationPercentage: 85
resources:
  requests: { cpu: 100m, memory: 128Mi }
  limits: { cpu: '1', memory: 256Mi }
livenessProbe:
  httpGet: { path: /healthz, port: http }
readinessProbe:
  httpGet: { path: /readyz, port: http }
`;
    const files = [{ path: 'values.yaml', content: values }];
    const plan = computeRemediation({
      entity,
      files,
      facts: factsOf(entity),
      now: NOW,
    });
    expect(plan.source).toBe('helm');
    expect(plan.fixes.map(f => f.checkId)).toEqual(
      expect.arrayContaining([
        'hpa-utilization-targets',
        'hpa-scaling-behavior',
        'startup-probe',
        'zone-spread',
      ]),
    );
    const after = plan.files[0].after;
    expect(after).toMatch(/^# values of the podinfo chart\n/);
    expect(after).toContain('targetCPUUtilizationPercentage: 70');
    expect(after).toContain('targetMemoryUtilizationPercentage: 80');
    expect(statuses(entity, patched(files, plan))).toMatchObject({
      'hpa-utilization-targets': 'pass',
      'hpa-scaling-behavior': 'pass',
      'startup-probe': 'pass',
      'zone-spread': 'pass',
    });
    // No podDisruptionBudget or networkPolicy block: the chart may not render one.
    expect(
      plan.unfixable.find(u => u.checkId === 'pdb-configured')?.reason,
    ).toBe(
      "the chart's values (values.yaml) have no `podDisruptionBudget` or `pdb` block, so it is unknown whether its templates render a PodDisruptionBudget: add a PodDisruptionBudget to the chart's templates, then set it in values.yaml",
    );
    expect(
      plan.unfixable.find(u => u.checkId === 'network-policy')?.reason,
    ).toBe(
      "no known Helm values convention fixes network-policy: change the chart's templates",
    );
  });

  it('migrates objects from API versions Kubernetes removed, keeping their metrics and backends', () => {
    const entity = service();
    const files = [
      {
        path: 'deploy.yaml',
        content: BARE_DEPLOYMENT.replace(
          'apiVersion: apps/v1\n',
          'apiVersion: apps/v1beta2\n',
        ),
      },
      {
        path: 'hpa.yaml',
        content: `# scales podinfo
apiVersion: autoscaling/v2beta1
kind: HorizontalPodAutoscaler
metadata:
  name: podinfo
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: podinfo }
  minReplicas: 2
  maxReplicas: 10
  metrics:
    - type: Resource
      resource:
        name: cpu
        targetAverageUtilization: 60
    - type: Pods
      pods:
        metricName: http_requests_per_second
        targetAverageValue: 100
`,
      },
      {
        path: 'ingress.yaml',
        content: `apiVersion: extensions/v1beta1
kind: Ingress
metadata:
  name: podinfo
spec:
  tls:
    - hosts: [podinfo.example.com]
      secretName: podinfo-tls
  rules:
    - host: podinfo.example.com
      http:
        paths:
          - path: /
            backend:
              serviceName: podinfo
              servicePort: 80
`,
      },
    ];
    const before = statuses(entity, files);
    expect(before['no-removed-api-versions']).toBe('fail');
    const plan = computeRemediation({
      entity,
      files,
      facts: factsOf(entity),
      now: NOW,
    });
    const fix = plan.fixes.find(f => f.checkId === 'no-removed-api-versions')!;
    expect(fix.summary).toMatch(
      /^Migrate to the API versions Kubernetes serves: .*HorizontalPodAutoscaler `podinfo` autoscaling\/v2beta1 → apiVersion autoscaling\/v2, metrics in the v2 shape/,
    );
    const after = patched(files, plan);
    expect(statuses(entity, after)['no-removed-api-versions']).toBe('pass');
    const hpa = after.find(f => f.path === 'hpa.yaml')!.content;
    expect(hpa).toMatch(/^# scales podinfo\napiVersion: autoscaling\/v2\n/);
    // The same metrics, in the v2 shape (the CPU target then lowered to 70 is not needed: 60 ≤ 70).
    expect(hpa).toMatch(
      /name: cpu\n\s+target:\n\s+type: Utilization\n\s+averageUtilization: 60/,
    );
    expect(hpa).toMatch(
      /pods:\n\s+metric:\n\s+name: http_requests_per_second\n\s+target:\n\s+type: AverageValue\n\s+averageValue: 100/,
    );
    const ingress = after.find(f => f.path === 'ingress.yaml')!.content;
    expect(ingress).toContain('apiVersion: networking.k8s.io/v1');
    expect(ingress).toMatch(
      /backend:\n\s+service:\n\s+name: podinfo\n\s+port:\n\s+number: 80\n\s+pathType: ImplementationSpecific/,
    );
    expect(after.find(f => f.path === 'deploy.yaml')!.content).toMatch(
      /^# podinfo: the team's hand-written manifest\.\napiVersion: apps\/v1\n/,
    );
  });

  it('never edits a file that does not parse, and explains what it could not fix', () => {
    const entity = service();
    const broken =
      'apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nspec: [unclosed\n';
    const files = [
      { path: 'deploy.yaml', content: BARE_DEPLOYMENT },
      { path: 'broken.yaml', content: broken },
    ];
    const plan = computeRemediation({
      entity,
      files,
      facts: factsOf(entity),
      now: NOW,
    });
    expect(plan.files.find(f => f.path === 'broken.yaml')).toBeUndefined();
    expect(plan.unfixable.map(u => u.checkId)).toContain(
      'manifests-consistent',
    );
    expect(plan.fixes.length).toBeGreaterThan(0);
  });

  it('has nothing to patch without deployment files, and says so', () => {
    const entity = service();
    const plan = computeRemediation({
      entity,
      files: [],
      facts: factsOf(entity),
      now: NOW,
    });
    expect(plan.source).toBe('none');
    expect(plan.fixes).toEqual([]);
    expect(plan.files).toEqual([]);
    expect(
      plan.unfixable.find(u => u.checkId === 'deployment-manifests-found')
        ?.reason,
    ).toMatch(/^no deployment files were found/);
  });
});

describe('unifiedDiff', () => {
  it('writes git-style hunks with removals before additions', () => {
    expect(
      unifiedDiff('a.yaml', 'a: 1\nb: 2\nc: 3\n', 'a: 1\nb: 4\nc: 3\nd: 5\n'),
    ).toBe(
      [
        '--- a/a.yaml',
        '+++ b/a.yaml',
        '@@ -1,3 +1,4 @@',
        ' a: 1',
        '-b: 2',
        '+b: 4',
        ' c: 3',
        '+d: 5',
        '',
      ].join('\n'),
    );
    expect(unifiedDiff('n.yaml', null, 'x: 1\n')).toBe(
      '--- /dev/null\n+++ b/n.yaml\n@@ -0,0 +1,1 @@\n+x: 1\n',
    );
    expect(unifiedDiff('same.yaml', 'x: 1\n', 'x: 1\n')).toBe('');
  });
});
