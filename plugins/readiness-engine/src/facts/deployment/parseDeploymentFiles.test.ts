import { JsonObject } from '@prodready/plugin-readiness-common';
import {
  DEPLOYMENT_FACTS_VERSION,
  emptyDeploymentFacts,
  parseDeploymentFiles,
} from '.';
import type { DeploymentFacts } from '.';

// ---------------------------------------------------------------------------
// Builders for small manifests. JSON is YAML, so JSON.stringify writes them.

function stringify(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

type Obj = Record<string, unknown>;

function deployment(name: string, spec: Obj = {}, podSpec: Obj = {}): Obj {
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name },
    spec: {
      replicas: 3,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: [
            {
              name,
              image: `${name}:1`,
              resources: {
                requests: { cpu: '250m', memory: '256Mi' },
                limits: { cpu: '1', memory: '512Mi' },
              },
              livenessProbe: { httpGet: { path: '/live', port: 8080 } },
              readinessProbe: { tcpSocket: { port: 8080 } },
              startupProbe: { exec: { command: ['true'] } },
            },
          ],
          ...podSpec,
        },
      },
      ...spec,
    },
  };
}

function hpa(target: string, spec: Obj = {}, kind = 'Deployment'): Obj {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: { name: target },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind, name: target },
      minReplicas: 2,
      maxReplicas: 10,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: 70 },
          },
        },
      ],
      ...spec,
    },
  };
}

function pdb(app: string, budget: Obj): Obj {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name: app },
    spec: { selector: { matchLabels: { app } }, ...budget },
  };
}

function ingress(annotations: Obj, spec: Obj): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: { name: 'web', annotations },
    spec,
  };
}

function networkPolicy(name: string, spec: Obj): Obj {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name },
    spec,
  };
}

/** One multi-document file. */
function yamlFile(path: string, ...docs: Obj[]) {
  return { path, content: docs.map(d => stringify(d)).join('---\n') };
}

function parse(...docs: Obj[]): DeploymentFacts {
  return parseDeploymentFiles([yamlFile('deploy/all.yaml', ...docs)]);
}

// ---------------------------------------------------------------------------

describe('parseDeploymentFiles', () => {
  describe('malformed input is reported, never thrown', () => {
    it('reports invalid YAML with its line and keeps the good files', () => {
      const facts = parseDeploymentFiles([
        {
          path: 'bad.yaml',
          content: 'kind: Deployment\nmetadata:\n  name: [oops\n',
        },
        yamlFile('good.yaml', deployment('web')),
      ]);
      expect(facts.errors).toHaveLength(1);
      expect(facts.errors[0]).toMatchObject({ path: 'bad.yaml', document: 1 });
      expect(facts.errors[0].message).toMatch(/^invalid YAML: /);
      expect(facts.errors[0].line).toEqual(expect.any(Number));
      expect(facts.files).toEqual(['bad.yaml', 'good.yaml']);
      expect(facts.mainWorkload?.name).toBe('web');
    });

    it('reports only the broken document of a multi-document file', () => {
      const facts = parseDeploymentFiles([
        {
          path: 'k8s.yaml',
          content: `${stringify(
            deployment('web'),
          )}---\nkind: Service\n  bad: indent\n---\n${stringify(hpa('web'))}`,
        },
      ]);
      expect(facts.errors.map(e => [e.path, e.document])).toEqual([
        ['k8s.yaml', 2],
      ]);
      expect(facts.hpa?.targetsWorkload).toBe(true);
    });

    it('reports a document without kind', () => {
      const facts = parseDeploymentFiles([
        {
          path: 'deploy/service.yaml',
          content:
            'apiVersion: v1\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n',
        },
      ]);
      expect(facts.errors).toEqual([
        {
          path: 'deploy/service.yaml',
          document: 1,
          line: null,
          message: 'document has no kind (metadata.name web)',
        },
      ]);
      expect(facts.service.present).toBe(false);
      expect(facts.source).toBe('none');
    });

    it('reports a Deployment without containers, and without a pod template', () => {
      const noContainers = deployment('web');
      (noContainers.spec as any).template.spec.containers = [];
      const noTemplate = {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'bare' },
        spec: { replicas: 2 },
      };
      const facts = parse(noContainers, noTemplate);
      expect(facts.errors.map(e => e.message)).toEqual([
        'Deployment web has no containers (spec.template.spec.containers)',
        'Deployment bare has no pod template (spec.template)',
      ]);
      expect(facts.workloads.map(w => [w.name, w.containers.length])).toEqual([
        ['web', 0],
        ['bare', 0],
      ]);
      // with no containers nothing can be claimed about probes or resources
      expect(facts.probes).toEqual({
        liveness: false,
        readiness: false,
        startup: false,
      });
      expect(facts.resources.requestsSet).toBe(false);
    });

    it('reports bad quantities and keeps the raw value', () => {
      const web = deployment('web');
      (web.spec as any).template.spec.containers[0].resources = {
        requests: { cpu: '2 cores', memory: '512MB' },
      };
      const facts = parse(web);
      expect(facts.errors.map(e => e.message)).toEqual([
        "Deployment web container web requests.cpu: '2 cores' is not a Kubernetes quantity (e.g. '500m', '0.5', '512Mi', '1G')",
        "Deployment web container web requests.memory: '512MB' is not a Kubernetes quantity (e.g. '500m', '0.5', '512Mi', '1G')",
      ]);
      expect(facts.workloads[0].containers[0].requests).toEqual({
        cpu: '2 cores',
        cpuMillis: null,
        memory: '512MB',
        memoryBytes: null,
      });
      expect(facts.resources.requestsSet).toBe(false);
    });

    it('reports documents that are not mappings, and List items without kind', () => {
      const facts = parseDeploymentFiles([
        {
          path: 'list.yaml',
          content: stringify({
            apiVersion: 'v1',
            kind: 'List',
            items: [deployment('web'), { metadata: { name: 'x' } }],
          }),
        },
        {
          path: 'mixed.yaml',
          content: `${stringify(hpa('web'))}---\n- just\n- a list\n`,
        },
      ]);
      expect(
        facts.errors.map(e => `${e.path}#${e.document}: ${e.message}`),
      ).toEqual([
        'list.yaml#1: item 2 of the List has no kind',
        'mixed.yaml#2: document is not a mapping (found a list)',
      ]);
      expect(facts.hpa?.targetsWorkload).toBe(true);
    });

    it('rejects YAML alias bombs', () => {
      const bomb = [
        'a: &a ["x","x","x","x","x","x","x","x","x","x"]',
        'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]',
        'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]',
        'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c,*c]',
        'kind: ConfigMap',
      ].join('\n');
      const facts = parseDeploymentFiles([
        { path: 'bomb.yaml', content: bomb },
      ]);
      expect(facts.errors).toHaveLength(1);
      expect(facts.errors[0].message).toMatch(/invalid YAML/);
    });

    it('skips files over the size limit', () => {
      const file = yamlFile('big.yaml', deployment('web'));
      const facts = parseDeploymentFiles([file], { maxFileSize: 100 });
      expect(facts.errors[0].message).toMatch(/too large/);
      expect(facts.workloads).toEqual([]);
    });

    it('survives inputs of the wrong type', () => {
      const junk: unknown[] = [
        null,
        42,
        { path: 'x.yaml' },
        { path: 1, content: 'kind: Deployment' },
      ];
      const facts = parseDeploymentFiles(junk as any);
      expect(facts.errors).toHaveLength(4);
      expect(() => parseDeploymentFiles(undefined as any)).not.toThrow();
      expect(() => parseDeploymentFiles('nope' as any)).not.toThrow();
    });

    it('survives manifests of the wrong shape', () => {
      const weird: Obj[] = [
        { apiVersion: 'apps/v1', kind: 'Deployment', metadata: 'x', spec: [] },
        {
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          spec: { template: { spec: { containers: 'x' } } },
        },
        {
          kind: 'Deployment',
          spec: {
            template: { spec: { containers: [null, 1, { resources: [] }] } },
          },
        },
        {
          kind: 'HorizontalPodAutoscaler',
          spec: {
            metrics: [null, { type: 7 }, { type: 'Resource' }],
            behavior: 'x',
          },
        },
        {
          kind: 'PodDisruptionBudget',
          spec: { minAvailable: 'lots', selector: 'x' },
        },
        {
          kind: 'Ingress',
          spec: { rules: [null, { host: 5 }], tls: ['x', { hosts: 'y' }] },
        },
        {
          kind: 'NetworkPolicy',
          spec: { podSelector: null, ingress: [null, { from: 'x' }] },
        },
        { kind: 'Service', spec: { selector: ['x'] } },
        {
          kind: 'Rollout',
          apiVersion: 'argoproj.io/v1alpha1',
          spec: { workloadRef: { name: 'gone' } },
        },
        {
          kind: 'ScaledObject',
          apiVersion: 'keda.sh/v1alpha1',
          spec: { triggers: [null, {}] },
        },
        {
          kind: 'Canary',
          apiVersion: 'flagger.app/v1beta1',
          spec: { targetRef: 'x' },
        },
        { kind: 'List', items: 'nope' },
      ];
      let facts: DeploymentFacts | undefined;
      expect(() => {
        facts = parse(...weird);
      }).not.toThrow();
      expect(facts!.version).toBe(DEPLOYMENT_FACTS_VERSION);
      expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
      expect(facts!.errors.length).toBeGreaterThan(0);
    });
  });

  describe('files', () => {
    it('returns empty facts for no files', () => {
      expect(parseDeploymentFiles([])).toEqual(emptyDeploymentFacts());
      const facts: JsonObject = emptyDeploymentFacts();
      expect(facts.version).toBe(1);
    });

    it('ignores non-YAML files and notes YAML files that are not manifests', () => {
      const facts = parseDeploymentFiles([
        { path: 'README.md', content: '# hi' },
        { path: 'Dockerfile', content: 'FROM node' },
        { path: '.github/workflows/ci.yml', content: 'on: push\njobs: {}\n' },
        { path: 'empty.yaml', content: '' },
        yamlFile('k8s/base/deploy.yml', deployment('web')),
      ]);
      expect(facts.files).toEqual([
        '.github/workflows/ci.yml',
        'empty.yaml',
        'k8s/base/deploy.yml',
      ]);
      expect(facts.errors).toEqual([]);
      expect(facts.notes).toEqual([
        {
          path: '.github/workflows/ci.yml',
          message: 'not a Kubernetes manifest (no kind); ignored',
        },
      ]);
      expect(facts.workloads).toHaveLength(1);
    });

    it('flattens kind: List and *List kinds', () => {
      const facts = parseDeploymentFiles([
        yamlFile('list.yaml', {
          apiVersion: 'v1',
          kind: 'List',
          items: [deployment('web'), hpa('web')],
        }),
        yamlFile('pdbs.yaml', {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudgetList',
          items: [pdb('web', { maxUnavailable: 1 })],
        }),
      ]);
      expect(facts.kinds).toEqual({
        Deployment: 1,
        HorizontalPodAutoscaler: 1,
        PodDisruptionBudget: 1,
      });
      expect(facts.pdb?.allowsDisruption).toBe(true);
    });

    it('normalises paths and sorts files', () => {
      const facts = parseDeploymentFiles([
        yamlFile('./b/hpa.yaml', hpa('web')),
        yamlFile('a\\deploy.yaml', deployment('web')),
      ]);
      expect(facts.files).toEqual(['a/deploy.yaml', 'b/hpa.yaml']);
      expect(facts.workloads[0].path).toBe('a/deploy.yaml');
    });

    it('skips Helm templates and chart metadata with a note', () => {
      const facts = parseDeploymentFiles([
        {
          path: 'chart/Chart.yaml',
          content: 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
        },
        {
          path: 'chart/templates/deployment.yaml',
          content:
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ include "shop.fullname" . }}\n',
        },
        {
          path: 'chart/values.yaml',
          content: 'replicaCount: 2\nservice:\n  port: 80\n',
        },
      ]);
      expect(facts.errors).toEqual([]);
      expect(facts.notes.map(n => n.path)).toEqual([
        'chart/templates/deployment.yaml',
        'chart/Chart.yaml',
        'chart/values.yaml',
      ]);
      // the chart name names the release
      expect(facts.mainWorkload).toEqual({
        kind: 'Deployment',
        name: 'shop',
        path: 'chart/values.yaml',
      });
    });

    it('ignores Kustomize patches named by a kustomization', () => {
      const facts = parseDeploymentFiles([
        yamlFile('base/deployment.yaml', deployment('web')),
        {
          path: 'overlays/prod/kustomization.yaml',
          content:
            'resources:\n  - ../../base\npatches:\n  - path: replicas.yaml\npatchesStrategicMerge:\n  - probes.yaml\n',
        },
        {
          path: 'overlays/prod/replicas.yaml',
          content:
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 6\n',
        },
        {
          path: 'overlays/prod/probes.yaml',
          content:
            'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\n',
        },
      ]);
      expect(facts.errors).toEqual([]);
      expect(facts.workloads).toHaveLength(1);
      expect(facts.notes.map(n => n.message)).toEqual([
        'Kustomize is not built; the resources it lists are read as plain manifests',
        'Kustomize patch; ignored',
        'Kustomize patch; ignored',
      ]);
    });
  });

  describe('workloads', () => {
    it('normalises containers, probes and strategies', () => {
      const facts = parse(
        deployment(
          'web',
          { strategy: { type: 'Recreate' } },
          {
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      topologyKey: 'topology.kubernetes.io/zone',
                    },
                  },
                ],
              },
            },
          },
        ),
      );
      const [web] = facts.workloads;
      expect(web.containers[0]).toEqual({
        name: 'web',
        image: 'web:1',
        requests: {
          cpu: '250m',
          cpuMillis: 250,
          memory: '256Mi',
          memoryBytes: 268435456,
        },
        limits: {
          cpu: '1',
          cpuMillis: 1000,
          memory: '512Mi',
          memoryBytes: 536870912,
        },
        probes: { liveness: 'http', readiness: 'tcp', startup: 'exec' },
      });
      expect(web.strategy).toEqual({
        type: 'Recreate',
        declared: true,
        maxSurge: null,
        maxUnavailable: null,
        blueGreen: null,
        canary: null,
      });
      expect(facts.rollout).toMatchObject({
        strategy: 'recreate',
        tool: 'deployment',
      });
      // zone spread by (preferred) pod anti-affinity
      expect(web.spread).toEqual({
        zone: true,
        zoneRequired: false,
        hostname: false,
        topologyKeys: ['topology.kubernetes.io/zone'],
      });
      expect(facts.zoneSpread).toBe(true);
    });

    it('requires every container for the probe and resource summaries, and sums resources', () => {
      const web = deployment('web');
      (web.spec as any).template.spec.containers.push({
        name: 'sidecar',
        resources: { requests: { cpu: 0.1, memory: 67108864 } },
        livenessProbe: { grpc: { port: 9000 } },
      });
      const facts = parse(web);
      expect(facts.probes).toEqual({
        liveness: true,
        readiness: false,
        startup: false,
      });
      expect(facts.resources).toEqual({
        requestsSet: true,
        limitsSet: false,
        cpuRequestsSet: true,
        memoryRequestsSet: true,
        cpuLimitsSet: false,
        memoryLimitsSet: false,
        cpuRequestMillis: 350,
        memoryRequestBytes: 268435456 + 67108864,
        cpuLimitMillis: 1000,
        memoryLimitBytes: 536870912,
      });
      expect(facts.workloads[0].containers[1].requests).toEqual({
        cpu: '0.1',
        cpuMillis: 100,
        memory: '67108864',
        memoryBytes: 67108864,
      });
    });

    it('reads StatefulSets', () => {
      const sts: Obj = { ...deployment('db'), kind: 'StatefulSet' };
      (sts.spec as any).updateStrategy = { type: 'OnDelete' };
      const facts = parse(sts);
      expect(facts.mainWorkload?.kind).toBe('StatefulSet');
      expect(facts.rollout).toMatchObject({
        tool: 'statefulset',
        strategy: null,
      });
      expect(facts.workloads[0].strategy.type).toBe('OnDelete');
    });

    it('reads Argo Rollouts, blue-green and canary', () => {
      const blueGreen: Obj = {
        ...deployment('web'),
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
      };
      (blueGreen.spec as any).strategy = {
        blueGreen: {
          activeService: 'web',
          previewService: 'web-preview',
          autoPromotionEnabled: false,
          prePromotionAnalysis: { templates: [{ templateName: 'smoke' }] },
          scaleDownDelaySeconds: 600,
        },
      };
      let facts = parse(blueGreen, hpa('web', {}, 'Rollout'));
      expect(facts.rollout).toEqual({
        strategy: 'blue-green',
        tool: 'argo-rollouts',
        maxSurge: null,
        maxUnavailable: null,
        analysis: true,
      });
      expect(facts.workloads[0].strategy.blueGreen).toEqual({
        activeService: 'web',
        previewService: 'web-preview',
        autoPromotionEnabled: false,
        prePromotionAnalysis: true,
        postPromotionAnalysis: false,
        scaleDownDelaySeconds: 600,
      });
      expect(facts.hpa?.targetsWorkload).toBe(true);

      const canary: Obj = {
        ...blueGreen,
        spec: { ...(blueGreen.spec as Obj) },
      };
      (canary.spec as any).strategy = {
        canary: {
          canaryService: 'web-canary',
          stableService: 'web',
          trafficRouting: { nginx: { stableIngress: 'web' } },
          steps: [
            { setWeight: 20 },
            { pause: {} },
            { analysis: { templates: [] } },
          ],
        },
      };
      facts = parse(canary);
      expect(facts.rollout).toMatchObject({
        strategy: 'canary',
        tool: 'argo-rollouts',
        analysis: true,
      });
      expect(facts.workloads[0].strategy.canary).toEqual({
        steps: 3,
        trafficRouting: 'nginx',
        analysis: true,
        stableService: 'web',
        canaryService: 'web-canary',
      });
    });

    it('takes the pod template of a Rollout with workloadRef from the Deployment', () => {
      const template = deployment('web-template', { replicas: 0 });
      const rollout = {
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Rollout',
        metadata: { name: 'web' },
        spec: {
          replicas: 4,
          workloadRef: {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'web-template',
          },
          strategy: { canary: { steps: [{ setWeight: 50 }] } },
        },
      };
      const facts = parse(template, rollout);
      expect(facts.errors).toEqual([]);
      expect(facts.mainWorkload).toMatchObject({
        kind: 'Rollout',
        name: 'web',
      });
      const main = facts.workloads.find(w => w.kind === 'Rollout')!;
      expect(main.templateFrom).toBe('Deployment/web-template');
      expect(main.containers[0].name).toBe('web-template');
      expect(facts.probes.startup).toBe(true);
      expect(facts.rollout).toMatchObject({
        strategy: 'canary',
        analysis: false,
      });
    });

    it('recognises Flagger canaries driving a Deployment', () => {
      const canary = {
        apiVersion: 'flagger.app/v1beta1',
        kind: 'Canary',
        metadata: { name: 'web' },
        spec: {
          targetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
          analysis: { interval: '1m', iterations: 10, threshold: 2 },
        },
      };
      expect(parse(deployment('web'), canary).rollout).toMatchObject({
        tool: 'flagger',
        strategy: 'blue-green',
        analysis: true,
      });
      (canary.spec.analysis as Obj).stepWeight = 10;
      expect(parse(deployment('web'), canary).rollout.strategy).toBe('canary');
    });

    it('picks the main workload by name hint, then containers, then HPA target', () => {
      const docs = [deployment('worker'), deployment('api'), hpa('api')];
      expect(parse(...docs).mainWorkload?.name).toBe('api');
      expect(
        parseDeploymentFiles([yamlFile('a.yaml', ...docs)], {
          workloadName: 'worker',
        }).mainWorkload?.name,
      ).toBe('worker');
      // the hint also matches pod labels
      expect(
        parseDeploymentFiles([yamlFile('a.yaml', ...docs)], {
          workloadName: 'api',
        }).hpa?.name,
      ).toBe('api');
    });
  });

  describe('hpa', () => {
    it('summarises an autoscaling/v2 HPA', () => {
      const facts = parse(
        deployment('web'),
        hpa('web', {
          minReplicas: 3,
          maxReplicas: 30,
          metrics: [
            {
              type: 'Resource',
              resource: {
                name: 'cpu',
                target: { type: 'Utilization', averageUtilization: 65 },
              },
            },
            {
              type: 'Resource',
              resource: {
                name: 'memory',
                target: { type: 'AverageValue', averageValue: '400Mi' },
              },
            },
            {
              type: 'Pods',
              pods: {
                metric: { name: 'http_requests' },
                target: { type: 'AverageValue', averageValue: '100' },
              },
            },
            {
              type: 'ContainerResource',
              containerResource: {
                name: 'memory',
                container: 'web',
                target: { type: 'Utilization', averageUtilization: 75 },
              },
            },
          ],
          behavior: { scaleDown: { stabilizationWindowSeconds: 900 } },
        }),
      );
      expect(facts.hpa).toEqual({
        kind: 'HorizontalPodAutoscaler',
        name: 'web',
        apiVersion: 'autoscaling/v2',
        path: 'deploy/all.yaml',
        scaleTargetRef: { kind: 'Deployment', name: 'web' },
        targetsWorkload: true,
        minReplicas: 3,
        maxReplicas: 30,
        cpuTargetPercent: 65,
        memoryTargetPercent: 75,
        scaleUpStabilizationSeconds: null,
        scaleDownStabilizationSeconds: 900,
        behaviorDeclared: true,
        metrics: [
          {
            type: 'Resource',
            name: 'cpu',
            container: null,
            targetType: 'Utilization',
            target: 65,
          },
          {
            type: 'Resource',
            name: 'memory',
            container: null,
            targetType: 'AverageValue',
            target: '400Mi',
          },
          {
            type: 'Pods',
            name: 'http_requests',
            container: null,
            targetType: 'AverageValue',
            target: '100',
          },
          {
            type: 'ContainerResource',
            name: 'memory',
            container: 'web',
            targetType: 'Utilization',
            target: 75,
          },
        ],
      });
      expect(facts.utilisationTargetsHaveRequests).toBe(true);
    });

    it('reads autoscaling/v1 and v2beta1 targets, and defaults minReplicas to 1', () => {
      const v1 = {
        apiVersion: 'autoscaling/v1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          maxReplicas: 5,
          targetCPUUtilizationPercentage: 80,
        },
      };
      expect(parse(deployment('web'), v1).hpa).toMatchObject({
        apiVersion: 'autoscaling/v1',
        minReplicas: 1,
        maxReplicas: 5,
        cpuTargetPercent: 80,
        memoryTargetPercent: null,
      });
      const v2beta1 = hpa('web', {
        metrics: [
          {
            type: 'Resource',
            resource: { name: 'memory', targetAverageUtilization: 85 },
          },
        ],
      });
      expect(parse(deployment('web'), v2beta1).hpa?.memoryTargetPercent).toBe(
        85,
      );
    });

    it('reports an HPA that targets no workload', () => {
      const facts = parse(deployment('web'), hpa('webb'));
      expect(facts.hpa).toMatchObject({ name: 'webb', targetsWorkload: false });
      expect(facts.selectorsMatch).toBe(false);
      expect(facts.selectorMismatches).toEqual([
        'HorizontalPodAutoscaler/webb: scaleTargetRef Deployment/webb is not a workload in the files',
      ]);
    });

    it('checks every utilisation target against the requests of the containers it measures', () => {
      const web = deployment('web');
      delete (web.spec as any).template.spec.containers[0].resources.requests
        .memory;
      const memoryHpa = hpa('web', {
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'memory',
              target: { type: 'Utilization', averageUtilization: 80 },
            },
          },
        ],
      });
      expect(parse(web, memoryHpa).utilisationTargetsHaveRequests).toBe(false);
      // a CPU-only HPA is fine without a memory request
      expect(parse(web, hpa('web')).utilisationTargetsHaveRequests).toBe(true);
      // AverageValue targets need no request
      const valueHpa = hpa('web', {
        metrics: [
          {
            type: 'Resource',
            resource: {
              name: 'memory',
              target: { type: 'AverageValue', averageValue: '1Gi' },
            },
          },
        ],
      });
      expect(parse(web, valueHpa).utilisationTargetsHaveRequests).toBe(true);
    });

    it('reads KEDA ScaledObjects', () => {
      const scaledObject = {
        apiVersion: 'keda.sh/v1alpha1',
        kind: 'ScaledObject',
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { name: 'web' },
          minReplicaCount: 2,
          maxReplicaCount: 20,
          advanced: {
            horizontalPodAutoscalerConfig: {
              behavior: {
                scaleUp: { stabilizationWindowSeconds: 300 },
                scaleDown: { stabilizationWindowSeconds: 600 },
              },
            },
          },
          triggers: [
            {
              type: 'cpu',
              metricType: 'Utilization',
              metadata: { value: '70' },
            },
            {
              type: 'prometheus',
              metadata: { metricName: 'rps', threshold: '100' },
            },
          ],
        },
      };
      expect(parse(deployment('web'), scaledObject).hpa).toMatchObject({
        kind: 'ScaledObject',
        targetsWorkload: true,
        minReplicas: 2,
        maxReplicas: 20,
        cpuTargetPercent: 70,
        scaleUpStabilizationSeconds: 300,
        scaleDownStabilizationSeconds: 600,
        metrics: [
          {
            type: 'Resource',
            name: 'cpu',
            targetType: 'Utilization',
            target: 70,
          },
          {
            type: 'prometheus',
            name: 'rps',
            targetType: 'AverageValue',
            target: '100',
          },
        ],
      });
    });
  });

  describe('pdb', () => {
    it.each([
      // [replicas, hpa min, budget, allowed disruptions]
      [1, null, { minAvailable: 1 }, 0],
      [3, null, { minAvailable: 1 }, 2],
      [3, null, { minAvailable: 3 }, 0],
      [3, null, { minAvailable: '50%' }, 1], // needs ceil(1.5) = 2
      [4, null, { minAvailable: '100%' }, 0],
      [3, null, { maxUnavailable: 0 }, 0],
      [3, null, { maxUnavailable: 1 }, 1],
      [3, null, { maxUnavailable: '10%' }, 1], // ceil(0.3) = 1
      [2, null, { maxUnavailable: '0%' }, 0],
      [5, 1, { minAvailable: 1 }, 0], // the HPA may scale down to 1
      [1, 3, { minAvailable: 2 }, 1],
      [null, null, { minAvailable: 1 }, 0], // replicas default to 1
    ] as const)(
      'replicas %j, HPA min %j, %j allows %d disruptions',
      (replicas, hpaMin, budget, allowed) => {
        const web = deployment('web');
        if (replicas === null) delete (web.spec as Obj).replicas;
        else (web.spec as Obj).replicas = replicas;
        const docs = [web, pdb('web', budget)];
        if (hpaMin !== null) docs.push(hpa('web', { minReplicas: hpaMin }));
        const facts = parse(...docs);
        expect(facts.pdb).toMatchObject({
          matchesWorkload: true,
          replicasConsidered: hpaMin ?? replicas ?? 1,
          allowedDisruptions: allowed,
          allowsDisruption: allowed > 0,
        });
      },
    );

    it('reports invalid budgets and PDBs selecting nothing', () => {
      const facts = parse(
        deployment('web'),
        pdb('other', { minAvailable: 'two' }),
      );
      expect(facts.pdb).toMatchObject({
        matchesWorkload: false,
        allowedDisruptions: null,
        allowsDisruption: false,
      });
      expect(facts.errors.map(e => e.message)).toEqual([
        "PodDisruptionBudget/other minAvailable 'two' is not a non-negative integer or a percentage",
      ]);
      expect(facts.selectorMismatches).toEqual([
        "PodDisruptionBudget/other: selector {app=other} matches no workload's pod labels",
      ]);
    });

    it('prefers the PDB that selects the main workload', () => {
      const facts = parse(
        deployment('web'),
        pdb('other', { minAvailable: 1 }),
        pdb('web', { maxUnavailable: 1 }),
      );
      expect(facts.pdb?.name).toBe('web');
    });
  });

  describe('ingress', () => {
    const rule = (host: string) => ({ host, http: { paths: [] } });

    it('requires every host to be covered by TLS, wildcards included', () => {
      let facts = parse(
        ingress(
          {},
          {
            rules: [rule('a.example.com'), rule('b.example.com')],
            tls: [{ hosts: ['*.example.com'], secretName: 'wild' }],
          },
        ),
      );
      expect(facts.ingress).toMatchObject({ tls: true, uncoveredHosts: [] });

      facts = parse(
        ingress(
          {},
          {
            rules: [
              rule('a.example.com'),
              rule('deep.b.example.com'),
              rule('example.com'),
            ],
            tls: [{ hosts: ['*.example.com'] }],
          },
        ),
      );
      expect(facts.ingress).toMatchObject({
        tls: false,
        uncoveredHosts: ['deep.b.example.com', 'example.com'],
      });

      facts = parse(
        ingress(
          {},
          { rules: [rule('a.example.com')], tls: [{ secretName: 'default' }] },
        ),
      );
      expect(facts.ingress.tls).toBe(true); // a TLS entry without hosts covers them all

      facts = parse(
        ingress({}, { defaultBackend: { service: { name: 'web' } } }),
      );
      expect(facts.ingress).toMatchObject({
        present: true,
        tls: false,
        hosts: [],
      });
    });

    it('counts TLS terminated by the cloud load balancer', () => {
      const facts = parse(
        ingress(
          {
            'alb.ingress.kubernetes.io/certificate-arn':
              'arn:aws:acm:eu-west-1:1:certificate/x',
            'alb.ingress.kubernetes.io/wafv2-acl-arn':
              'arn:aws:wafv2:eu-west-1:1:regional/webacl/x',
            'kubernetes.io/ingress.class': 'alb',
          },
          { rules: [rule('shop.example.com')] },
        ),
      );
      expect(facts.ingress).toMatchObject({
        tls: true,
        waf: true,
        classNames: ['alb'],
        certManagerIssuer: null,
      });
    });

    it.each([
      [{ 'nginx.ingress.kubernetes.io/limit-rpm': '600' }, 'rateLimited'],
      [
        { 'nginx.ingress.kubernetes.io/limit-connections': '20' },
        'rateLimited',
      ],
      [{ 'haproxy.org/rate-limit-requests': '10' }, 'rateLimited'],
      [
        {
          'traefik.ingress.kubernetes.io/router.middlewares':
            'web-ratelimit@kubernetescrd',
        },
        'rateLimited',
      ],
      [{ 'konghq.com/plugins': 'rate-limit-5-min' }, 'rateLimited'],
      [{ 'nginx.ingress.kubernetes.io/enable-modsecurity': 'true' }, 'waf'],
      [
        { 'nginx.ingress.kubernetes.io/enable-owasp-core-rules': 'true' },
        'waf',
      ],
      [{ 'alb.ingress.kubernetes.io/waf-acl-id': 'x' }, 'waf'],
    ])('%j sets ingress.%s', (annotations, field) => {
      const facts = parse(
        ingress(annotations, { rules: [rule('a.example.com')] }),
      );
      expect(facts.ingress[field as 'waf' | 'rateLimited']).toBe(true);
      expect(
        parse(ingress({}, { rules: [rule('a.example.com')] })).ingress[
          field as 'waf' | 'rateLimited'
        ],
      ).toBe(false);
    });

    it('does not take modsecurity turned off for a WAF', () => {
      const facts = parse(
        ingress(
          { 'nginx.ingress.kubernetes.io/enable-modsecurity': 'false' },
          {},
        ),
      );
      expect(facts.ingress.waf).toBe(false);
    });

    it('finds rate limits in referenced Traefik middlewares', () => {
      const middleware = {
        apiVersion: 'traefik.io/v1alpha1',
        kind: 'Middleware',
        metadata: { name: 'throttle', namespace: 'shop' },
        spec: { rateLimit: { average: 100, burst: 50 } },
      };
      const facts = parse(
        middleware,
        ingress(
          {
            'traefik.ingress.kubernetes.io/router.middlewares':
              'shop-throttle@kubernetescrd',
          },
          {},
        ),
      );
      expect(facts.ingress.rateLimited).toBe(true);
    });

    it('reads the cert-manager issuer', () => {
      expect(
        parse(ingress({ 'cert-manager.io/issuer': 'team-ca' }, {})).ingress
          .certManagerIssuer,
      ).toBe('team-ca');
    });
  });

  describe('compression and CDN hints', () => {
    it('finds gzip in nginx snippets and controller config', () => {
      const facts = parse(
        ingress(
          {
            'nginx.ingress.kubernetes.io/server-snippet':
              'gzip on;\ngzip_types text/css;',
          },
          {},
        ),
        {
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: 'ingress-nginx' },
          data: { 'use-gzip': 'true' },
        },
      );
      expect(facts.compression).toEqual({
        detected: true,
        evidence: [
          'ConfigMap/ingress-nginx use-gzip',
          'Ingress/web annotation nginx.ingress.kubernetes.io/server-snippet',
        ],
      });
    });

    it('finds a CDN in GKE BackendConfig and Cloudflare proxying, and Cloud Armor as a WAF', () => {
      const backendConfig = {
        apiVersion: 'cloud.google.com/v1',
        kind: 'BackendConfig',
        metadata: { name: 'web' },
        spec: { cdn: { enabled: true }, securityPolicy: { name: 'armor' } },
      };
      const facts = parse(
        backendConfig,
        ingress(
          { 'external-dns.alpha.kubernetes.io/cloudflare-proxied': 'true' },
          {},
        ),
      );
      expect(facts.cdn).toEqual({
        detected: true,
        evidence: [
          'BackendConfig/web cdn.enabled',
          'Ingress/web annotation external-dns.alpha.kubernetes.io/cloudflare-proxied',
        ],
      });
      expect(facts.ingress.waf).toBe(true);
    });

    it('reports nothing when nothing is visible', () => {
      const facts = parse(deployment('web'));
      expect(facts.compression).toEqual({ detected: false, evidence: [] });
      expect(facts.cdn).toEqual({ detected: false, evidence: [] });
    });
  });

  describe('networkPolicy', () => {
    const allowFromIngress = {
      from: [
        {
          namespaceSelector: {
            matchLabels: { 'kubernetes.io/metadata.name': 'ingress-nginx' },
          },
        },
      ],
    };

    it('detects a namespace-wide default deny', () => {
      const facts = parse(
        deployment('web'),
        networkPolicy('default-deny', {
          podSelector: {},
          policyTypes: ['Ingress', 'Egress'],
        }),
        networkPolicy('web', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [allowFromIngress],
        }),
      );
      expect(facts.networkPolicy).toEqual({
        present: true,
        count: 2,
        selectsWorkload: true,
        defaultDeny: true,
        defaultDenyEgress: true,
        ingressRestricted: true,
        egressRestricted: true,
      });
    });

    it.each([
      ['a rule without from', {}],
      ['0.0.0.0/0', { from: [{ ipBlock: { cidr: '0.0.0.0/0' } }] }],
      ['every namespace', { from: [{ namespaceSelector: {} }] }],
    ])('does not count %s as restricted', (_, openRule) => {
      const facts = parse(
        deployment('web'),
        networkPolicy('web', {
          podSelector: { matchLabels: { app: 'web' } },
          ingress: [allowFromIngress, openRule],
        }),
      );
      expect(facts.networkPolicy).toMatchObject({
        present: true,
        selectsWorkload: true,
        ingressRestricted: false,
      });
    });

    it('does not count a policy for other pods', () => {
      const facts = parse(
        deployment('web'),
        networkPolicy('db', {
          podSelector: {
            matchExpressions: [{ key: 'app', operator: 'In', values: ['db'] }],
          },
          ingress: [allowFromIngress],
        }),
      );
      expect(facts.networkPolicy).toMatchObject({
        present: true,
        selectsWorkload: false,
        ingressRestricted: false,
      });
    });

    it('treats egress to DNS only as restricted', () => {
      const facts = parse(
        deployment('web'),
        networkPolicy('web', {
          podSelector: { matchLabels: { app: 'web' } },
          policyTypes: ['Egress'],
          egress: [{ ports: [{ port: 53, protocol: 'UDP' }] }],
        }),
      );
      expect(facts.networkPolicy).toMatchObject({
        egressRestricted: true,
        ingressRestricted: false,
      });
    });
  });

  describe('selectors', () => {
    it('reports Services that select no workload and workloads whose selector misses their pods', () => {
      const web = deployment('web');
      (web.spec as any).selector.matchLabels = { app: 'wbe' };
      const facts = parse(web, {
        apiVersion: 'v1',
        kind: 'Service',
        metadata: { name: 'web' },
        spec: { selector: { app: 'web', tier: 'frontend' } },
      });
      expect(facts.selectorsMatch).toBe(false);
      expect(facts.selectorMismatches).toEqual([
        'Deployment/web: spec.selector {app=wbe} does not select its pod labels {app=web}',
        "Service/web: selector {app=web, tier=frontend} matches no workload's pod labels",
      ]);
      expect(facts.service).toEqual({
        present: true,
        count: 1,
        names: ['web'],
        types: ['ClusterIP'],
        selectsWorkload: false,
      });
    });

    it('respects namespaces', () => {
      const web = deployment('web');
      (web.metadata as Obj).namespace = 'shop';
      const otherNamespace = hpa('web');
      (otherNamespace.metadata as Obj).namespace = 'billing';
      const facts = parse(web, otherNamespace);
      expect(facts.hpa?.targetsWorkload).toBe(false);
      expect(facts.selectorsMatch).toBe(false);
    });

    it.each([
      [[{ key: 'app', operator: 'In', values: ['web', 'api'] }], true],
      [[{ key: 'app', operator: 'NotIn', values: ['db'] }], true],
      [[{ key: 'app', operator: 'NotIn', values: ['web'] }], false],
      [[{ key: 'app', operator: 'Exists' }], true],
      [[{ key: 'tier', operator: 'Exists' }], false],
      [[{ key: 'tier', operator: 'DoesNotExist' }], true],
      [[{ key: 'app', operator: 'DoesNotExist' }], false],
      [[{ key: 'app', operator: 'Matches', values: ['web'] }], false],
    ])('matches matchExpressions %j: %s', (matchExpressions, matches) => {
      const facts = parse(deployment('web'), {
        apiVersion: 'policy/v1',
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web' },
        spec: { maxUnavailable: 1, selector: { matchExpressions } },
      });
      expect(facts.pdb?.matchesWorkload).toBe(matches);
      expect(facts.selectorsMatch).toBe(matches);
    });

    it('is false when there is no workload', () => {
      const facts = parse(hpa('web'));
      expect(facts.selectorsMatch).toBe(false);
      expect(facts.selectorMismatches).toEqual([
        'no Deployment, StatefulSet or Rollout found',
      ]);
    });
  });

  describe('Helm values', () => {
    const values = (content: Obj, path = 'chart/values.yaml') => ({
      path,
      content: stringify(content),
    });

    it('maps helm-create style values', () => {
      const facts = parseDeploymentFiles(
        [
          values({
            replicaCount: 2,
            image: { repository: 'shop', tag: '1.2.3' },
            service: { type: 'ClusterIP', port: 80 },
            ingress: {
              enabled: true,
              className: 'nginx',
              annotations: { 'nginx.ingress.kubernetes.io/limit-rps': '10' },
              hosts: [{ host: 'shop.example.com', paths: [{ path: '/' }] }],
              tls: [],
            },
            resources: { requests: { cpu: '100m', memory: '128Mi' } },
            livenessProbe: { httpGet: { path: '/', port: 'http' } },
            readinessProbe: { httpGet: { path: '/', port: 'http' } },
            autoscaling: {
              enabled: false,
              minReplicas: 1,
              maxReplicas: 100,
              targetCPUUtilizationPercentage: 80,
            },
          }),
        ],
        { workloadName: 'shop' },
      );
      expect(facts).toMatchObject({
        source: 'helm',
        helm: true,
        errors: [],
        mainWorkload: { kind: 'Deployment', name: 'shop' },
        hpa: null,
        pdb: null,
        probes: { liveness: true, readiness: true, startup: false },
        resources: {
          requestsSet: true,
          limitsSet: false,
          cpuRequestMillis: 100,
        },
        ingress: {
          present: true,
          tls: false,
          rateLimited: true,
          hosts: ['shop.example.com'],
          uncoveredHosts: ['shop.example.com'],
        },
        networkPolicy: { present: false },
        service: { present: true, selectsWorkload: true },
        selectorsMatch: true,
        zoneSpread: false,
      });
      expect(facts.workloads[0]).toMatchObject({ replicas: 2 });
      expect(facts.workloads[0].containers[0].image).toBe('shop:1.2.3');
    });

    it('maps Bitnami style values (autoscaling.hpa, pdb.create, probe.enabled, hostname + tls)', () => {
      const facts = parseDeploymentFiles([
        values({
          fullnameOverride: 'catalog',
          replicaCount: 2,
          autoscaling: {
            hpa: {
              enabled: true,
              minReplicas: 2,
              maxReplicas: 12,
              targetCPU: 60,
              targetMemory: '75',
            },
          },
          pdb: { create: true, minAvailable: 1 },
          livenessProbe: { enabled: true, initialDelaySeconds: 30 },
          readinessProbe: { enabled: true },
          startupProbe: { enabled: false },
          customStartupProbe: {},
          ingress: {
            enabled: true,
            hostname: 'catalog.example.com',
            tls: true,
            annotations: { 'cert-manager.io/cluster-issuer': 'letsencrypt' },
          },
          networkPolicy: { enabled: true, allowExternal: true },
          service: { type: 'LoadBalancer' },
        }),
      ]);
      expect(facts).toMatchObject({
        helm: true,
        mainWorkload: { name: 'catalog' },
        hpa: {
          minReplicas: 2,
          maxReplicas: 12,
          cpuTargetPercent: 60,
          memoryTargetPercent: 75,
          targetsWorkload: true,
        },
        pdb: { minAvailable: 1, replicasConsidered: 2, allowsDisruption: true },
        probes: { liveness: true, readiness: true, startup: false },
        ingress: { tls: true, certManagerIssuer: 'letsencrypt' },
        networkPolicy: { present: true, ingressRestricted: false },
        service: { types: ['LoadBalancer'] },
      });
      expect(facts.workloads[0].containers[0].probes.liveness).toBe('unknown');
      // nothing requested: the HPA's utilisation targets have no requests
      expect(facts.utilisationTargetsHaveRequests).toBe(false);
    });

    it('merges values overlays like Helm and ignores other charts', () => {
      const facts = parseDeploymentFiles([
        values({
          replicaCount: 1,
          podDisruptionBudget: { enabled: true, minAvailable: 1 },
          resources: {
            requests: { cpu: '100m', memory: '128Mi' },
            limits: { cpu: '1' },
          },
        }),
        values(
          {
            replicaCount: 3,
            resources: { limits: null, requests: { cpu: '1' } },
          },
          'chart/values-prod.yaml',
        ),
        values({ replicaCount: 9 }, 'chart/charts/redis/values.yaml'),
      ]);
      expect(facts.workloads).toHaveLength(1);
      expect(facts.workloads[0].replicas).toBe(3);
      expect(facts.workloads[0].containers[0].requests).toMatchObject({
        cpuMillis: 1000,
        memoryBytes: 134217728,
      });
      expect(facts.resources.limitsSet).toBe(false);
      expect(facts.resources.cpuLimitMillis).toBeNull();
      expect(facts.pdb).toMatchObject({
        replicasConsidered: 3,
        allowedDisruptions: 2,
      });
      expect(facts.notes.map(n => n.path)).toContain(
        'chart/charts/redis/values.yaml',
      );
    });

    it('prefers rendered manifests over values', () => {
      const facts = parseDeploymentFiles([
        values({ replicaCount: 9 }),
        yamlFile('rendered/all.yaml', deployment('web')),
      ]);
      expect(facts.helm).toBe(false);
      expect(facts.source).toBe('manifests');
      expect(facts.workloads.map(w => w.name)).toEqual(['web']);
      expect(facts.notes).toEqual([
        {
          path: 'chart/values.yaml',
          message:
            'Helm values ignored: the folder also holds rendered manifests',
        },
      ]);
    });

    it('reports values that are not a mapping', () => {
      const facts = parseDeploymentFiles([
        { path: 'values.yaml', content: '- a\n- b\n' },
      ]);
      expect(facts.errors).toEqual([
        {
          path: 'values.yaml',
          document: null,
          line: null,
          message: 'Helm values must be a mapping',
        },
      ]);
      expect(facts.helm).toBe(false);
    });
  });

  describe('API versions Kubernetes no longer serves', () => {
    /** The manifests of a service written for Kubernetes 1.15. */
    function legacyManifests(): Obj[] {
      const labels = { app: 'web' };
      return [
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'Deployment',
          metadata: { name: 'web' },
          // No selector: it defaulted to the template's labels.
          spec: {
            replicas: 3,
            template: {
              metadata: { labels },
              spec: {
                containers: [
                  {
                    name: 'web',
                    image: 'web:1',
                    resources: {
                      requests: { cpu: '250m', memory: '256Mi' },
                      limits: { cpu: '1', memory: '512Mi' },
                    },
                    readinessProbe: { httpGet: { path: '/', port: 80 } },
                  },
                ],
              },
            },
          },
        },
        {
          apiVersion: 'v1',
          kind: 'Service',
          metadata: { name: 'web' },
          spec: { selector: labels, ports: [{ port: 80 }] },
        },
        {
          apiVersion: 'autoscaling/v2beta2',
          kind: 'HorizontalPodAutoscaler',
          metadata: { name: 'web' },
          spec: {
            scaleTargetRef: {
              apiVersion: 'extensions/v1beta1',
              kind: 'Deployment',
              name: 'web',
            },
            minReplicas: 2,
            maxReplicas: 12,
            metrics: [
              {
                type: 'Resource',
                resource: {
                  name: 'cpu',
                  target: { type: 'Utilization', averageUtilization: 70 },
                },
              },
              {
                type: 'Resource',
                resource: {
                  name: 'memory',
                  target: { type: 'Utilization', averageUtilization: 80 },
                },
              },
            ],
            behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
          },
        },
        {
          apiVersion: 'policy/v1beta1',
          kind: 'PodDisruptionBudget',
          metadata: { name: 'web' },
          spec: { maxUnavailable: 1, selector: { matchLabels: labels } },
        },
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'Ingress',
          metadata: {
            name: 'web',
            annotations: { 'kubernetes.io/ingress.class': 'nginx' },
          },
          spec: {
            tls: [{ hosts: ['web.example.com'], secretName: 'web-tls' }],
            backend: { serviceName: 'web', servicePort: 80 },
            rules: [
              {
                host: 'web.example.com',
                http: {
                  paths: [
                    {
                      path: '/',
                      backend: { serviceName: 'web', servicePort: 80 },
                    },
                  ],
                },
              },
            ],
          },
        },
        {
          apiVersion: 'extensions/v1beta1',
          kind: 'NetworkPolicy',
          metadata: { name: 'web' },
          spec: {
            podSelector: { matchLabels: labels },
            ingress: [{ from: [{ podSelector: { matchLabels: labels } }] }],
          },
        },
        {
          apiVersion: 'batch/v1beta1',
          kind: 'CronJob',
          metadata: { name: 'cleanup' },
          spec: { schedule: '0 * * * *', jobTemplate: { spec: {} } },
        },
      ];
    }

    it('lists every object in a removed API version, with its replacement and removal release', () => {
      const facts = parse(...legacyManifests());
      expect(facts.removedApis).toEqual([
        {
          path: 'deploy/all.yaml',
          document: 1,
          kind: 'Deployment',
          name: 'web',
          apiVersion: 'extensions/v1beta1',
          replacement: 'apps/v1',
          removedIn: '1.16',
          deprecatedIn: '1.9',
        },
        {
          path: 'deploy/all.yaml',
          document: 3,
          kind: 'HorizontalPodAutoscaler',
          name: 'web',
          apiVersion: 'autoscaling/v2beta2',
          replacement: 'autoscaling/v2',
          removedIn: '1.26',
          deprecatedIn: '1.23',
        },
        {
          path: 'deploy/all.yaml',
          document: 4,
          kind: 'PodDisruptionBudget',
          name: 'web',
          apiVersion: 'policy/v1beta1',
          replacement: 'policy/v1',
          removedIn: '1.25',
          deprecatedIn: '1.21',
        },
        {
          path: 'deploy/all.yaml',
          document: 5,
          kind: 'Ingress',
          name: 'web',
          apiVersion: 'extensions/v1beta1',
          replacement: 'networking.k8s.io/v1',
          removedIn: '1.22',
          deprecatedIn: '1.14',
        },
        {
          path: 'deploy/all.yaml',
          document: 6,
          kind: 'NetworkPolicy',
          name: 'web',
          apiVersion: 'extensions/v1beta1',
          replacement: 'networking.k8s.io/v1',
          removedIn: '1.16',
          deprecatedIn: '1.9',
        },
        {
          path: 'deploy/all.yaml',
          document: 7,
          kind: 'CronJob',
          name: 'cleanup',
          apiVersion: 'batch/v1beta1',
          replacement: 'batch/v1',
          removedIn: '1.25',
          deprecatedIn: '1.21',
        },
      ]);
      expect(parse(deployment('web'), hpa('web')).removedApis).toEqual([]);
      expect(emptyDeploymentFacts().removedApis).toEqual([]);
    });

    it('still reads the objects as their kind', () => {
      const facts = parse(...legacyManifests());
      expect(facts.errors).toEqual([]);
      expect(facts.mainWorkload).toEqual({
        kind: 'Deployment',
        name: 'web',
        path: 'deploy/all.yaml',
      });
      // The omitted selector defaulted to the pod labels in extensions/v1beta1.
      expect(facts.workloads[0]).toMatchObject({
        apiVersion: 'extensions/v1beta1',
        selector: { app: 'web' },
        selectorMatchesPodLabels: true,
      });
      expect(facts.selectorsMatch).toBe(true);
      expect(facts.hpa).toMatchObject({
        apiVersion: 'autoscaling/v2beta2',
        targetsWorkload: true,
        minReplicas: 2,
        maxReplicas: 12,
        cpuTargetPercent: 70,
        memoryTargetPercent: 80,
        scaleDownStabilizationSeconds: 600,
      });
      expect(facts.pdb).toMatchObject({
        name: 'web',
        matchesWorkload: true,
        allowedDisruptions: 1,
      });
      expect(facts.ingress).toMatchObject({
        present: true,
        names: ['web'],
        classNames: ['nginx'],
        hosts: ['web.example.com'],
        tls: true,
      });
      expect(facts.networkPolicy).toMatchObject({
        selectsWorkload: true,
        ingressRestricted: true,
      });
      expect(facts.kinds).toMatchObject({ CronJob: 1 });
    });

    it('defaults the selector of apps/v1beta1 workloads only', () => {
      const labels = { app: 'web' };
      const workload = (apiVersion: string, kind = 'Deployment') => ({
        apiVersion,
        kind,
        metadata: { name: 'web' },
        spec: {
          template: {
            metadata: { labels },
            spec: { containers: [{ name: 'web', image: 'web:1' }] },
          },
        },
      });
      for (const [apiVersion, kind] of [
        ['apps/v1beta1', 'Deployment'],
        ['apps/v1beta1', 'StatefulSet'],
      ]) {
        expect(parse(workload(apiVersion, kind)).workloads[0]).toMatchObject({
          kind,
          selector: labels,
          selectorMatchesPodLabels: true,
        });
      }
      // apps/v1beta2 and apps/v1 require it.
      for (const apiVersion of ['apps/v1beta2', 'apps/v1']) {
        const facts = parse(workload(apiVersion));
        expect(facts.workloads[0]).toMatchObject({
          selector: {},
          selectorMatchesPodLabels: false,
        });
        expect(facts.removedApis.map(r => r.apiVersion)).toEqual(
          apiVersion === 'apps/v1' ? [] : [apiVersion],
        );
      }
    });

    it('reads the metrics of autoscaling/v2beta1', () => {
      const facts = parse(deployment('web'), {
        apiVersion: 'autoscaling/v2beta1',
        kind: 'HorizontalPodAutoscaler',
        metadata: { name: 'web' },
        spec: {
          scaleTargetRef: { kind: 'Deployment', name: 'web' },
          maxReplicas: 8,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', targetAverageUtilization: 60 },
            },
            {
              type: 'Resource',
              resource: { name: 'memory', targetAverageValue: '300Mi' },
            },
            {
              type: 'Pods',
              pods: { metricName: 'rps', targetAverageValue: '50' },
            },
            {
              type: 'Object',
              object: {
                target: { kind: 'Service', name: 'web' },
                metricName: 'requests',
                targetValue: '2k',
              },
            },
            {
              type: 'External',
              external: { metricName: 'queue', targetAverageValue: 30 },
            },
          ],
        },
      });
      expect(facts.hpa).toMatchObject({
        apiVersion: 'autoscaling/v2beta1',
        minReplicas: 1,
        cpuTargetPercent: 60,
        memoryTargetPercent: null,
        metrics: [
          {
            type: 'Resource',
            name: 'cpu',
            targetType: 'Utilization',
            target: 60,
          },
          {
            type: 'Resource',
            name: 'memory',
            targetType: 'AverageValue',
            target: '300Mi',
          },
          {
            type: 'Pods',
            name: 'rps',
            targetType: 'AverageValue',
            target: '50',
          },
          {
            type: 'Object',
            name: 'requests',
            targetType: 'Value',
            target: '2k',
          },
          {
            type: 'External',
            name: 'queue',
            targetType: 'AverageValue',
            target: 30,
          },
        ],
      });
      expect(facts.removedApis).toMatchObject([
        {
          kind: 'HorizontalPodAutoscaler',
          apiVersion: 'autoscaling/v2beta1',
          replacement: 'autoscaling/v2',
          removedIn: '1.25',
        },
      ]);
    });

    it('lets an empty policy/v1beta1 selector select no pod', () => {
      const budget = (apiVersion: string) => ({
        apiVersion,
        kind: 'PodDisruptionBudget',
        metadata: { name: 'web' },
        spec: { maxUnavailable: 1, selector: {} },
      });
      expect(
        parse(deployment('web'), budget('policy/v1')).pdb?.matchesWorkload,
      ).toBe(true);
      expect(
        parse(deployment('web'), budget('policy/v1beta1')).pdb?.matchesWorkload,
      ).toBe(false);
    });

    it('reads List items and every removed kind, and never throws on odd ones', () => {
      const facts = parseDeploymentFiles([
        yamlFile('rbac.yaml', {
          apiVersion: 'v1',
          kind: 'List',
          items: [
            {
              apiVersion: 'rbac.authorization.k8s.io/v1beta1',
              kind: 'Role',
              metadata: { name: 'reader' },
            },
            {
              apiVersion: 'apps/v1beta2',
              kind: 'DaemonSet',
              metadata: { name: 'agent' },
              spec: 'not a spec',
            },
          ],
        }),
        yamlFile(
          'psp.yaml',
          {
            apiVersion: 'policy/v1beta1',
            kind: 'PodSecurityPolicy',
            metadata: { name: 'restricted' },
          },
          { apiVersion: 'apps/v1beta1', kind: 'Deployment', spec: null },
        ),
      ]);
      expect(
        facts.removedApis.map(r => [
          r.path,
          r.document,
          r.kind,
          r.name,
          r.replacement,
          r.removedIn,
        ]),
      ).toEqual([
        [
          'psp.yaml',
          1,
          'PodSecurityPolicy',
          'restricted',
          'Pod Security Admission',
          '1.25',
        ],
        ['psp.yaml', 2, 'Deployment', null, 'apps/v1', '1.16'],
        [
          'rbac.yaml',
          1,
          'Role',
          'reader',
          'rbac.authorization.k8s.io/v1',
          '1.22',
        ],
        ['rbac.yaml', 1, 'DaemonSet', 'agent', 'apps/v1', '1.16'],
      ]);
      expect(facts.errors.map(e => e.message)).toEqual([
        'Deployment (unnamed) has no pod template (spec.template)',
      ]);
    });
  });

  describe('output', () => {
    it('is deterministic, plain JSON', () => {
      const docs = [
        deployment('web'),
        hpa('web'),
        pdb('web', { maxUnavailable: 1 }),
      ];
      const a = parse(...docs);
      const b = parse(...docs);
      expect(a).toEqual(b);
      expect(JSON.stringify(a)).toBe(JSON.stringify(b));
      expect(JSON.parse(JSON.stringify(a))).toStrictEqual(a);
    });

    it('does not let YAML content leak in as non-JSON values', () => {
      const web = deployment('web');
      (web.spec as any).template.metadata.labels = {
        app: 'web',
        version: 2,
        canary: true,
        nested: { x: 1 },
      };
      (web.spec as any).selector.matchLabels = { app: 'web' };
      const facts = parse(web);
      expect(facts.workloads[0].podLabels).toEqual({
        app: 'web',
        version: '2',
        canary: 'true',
      });
      expect(JSON.parse(JSON.stringify(facts))).toStrictEqual(facts);
    });
  });
});
