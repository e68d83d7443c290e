import { parseDeploymentFiles } from '../../deployment';
import type { DeploymentFileInput } from '../../deployment';
import { extractDeploymentExtras } from './extras';

const deployment = (annotations = '', podAnnotations = '') => `
apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
${annotations}
spec:
  replicas: 2
  selector:
    matchLabels: { app: api }
  template:
    metadata:
      labels: { app: api }
${podAnnotations}
    spec:
      containers:
        - name: api
          image: api:1
`;

const hpa = (annotations = '', comment = '') => `${comment}
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: api
${annotations}
spec:
  scaleTargetRef: { apiVersion: apps/v1, kind: Deployment, name: api }
  minReplicas: 2
  maxReplicas: 10
`;

function extras(files: DeploymentFileInput[]) {
  return extractDeploymentExtras(
    files,
    parseDeploymentFiles(files, { workloadName: 'api' }),
  );
}

describe('extractDeploymentExtras', () => {
  it('prefers the prodready.dev/per-pod-rps annotation of the HPA to a comment', () => {
    const { capacity } = extras([
      { path: 'deployment.yaml', content: deployment() },
      {
        path: 'hpa.yaml',
        content: hpa(
          "  annotations:\n    prodready.dev/per-pod-rps: '120'",
          '# 50 rps per pod',
        ),
      },
    ]);
    expect(capacity).toEqual({
      perPodRps: 120,
      perPodRpsSource: 'annotation',
      evidence:
        'hpa.yaml: HorizontalPodAutoscaler/api annotation prodready.dev/per-pod-rps',
      maxReplicas: 10,
      atMaxReplicasRps: 1200,
    });
  });

  it('reads the annotation on the pod template', () => {
    const { capacity } = extras([
      {
        path: 'deployment.yaml',
        content: deployment(
          '',
          "      annotations:\n        prodready.dev/per-pod-rps: '40.5'",
        ),
      },
      { path: 'hpa.yaml', content: hpa() },
    ]);
    expect(capacity).toMatchObject({
      perPodRps: 40.5,
      perPodRpsSource: 'annotation',
      atMaxReplicasRps: 405,
    });
  });

  it('reads a capacity comment, first in the HPA file', () => {
    const { capacity } = extras([
      {
        path: 'deployment.yaml',
        content: `# load test: 70 rps per pod\n${deployment()}`,
      },
      {
        path: 'hpa.yaml',
        content: hpa('', '# Capacity: peak 1200 rps / 100 rps per pod = 12'),
      },
    ]);
    expect(capacity).toMatchObject({
      perPodRps: 100,
      perPodRpsSource: 'comment',
      evidence: 'hpa.yaml: # Capacity: peak 1200 rps / 100 rps per pod = 12',
    });
  });

  it('has no capacity without a per-pod figure, and uses replicas without an HPA', () => {
    const { capacity } = extras([
      { path: 'deployment.yaml', content: deployment() },
    ]);
    expect(capacity).toEqual({
      perPodRps: null,
      perPodRpsSource: null,
      evidence: null,
      maxReplicas: 2,
      atMaxReplicasRps: null,
    });
  });

  it('counts PrometheusRules, their alerts and the scrape targets', () => {
    const { monitoring } = extras([
      {
        path: 'deployment.yaml',
        content: deployment(
          '',
          "      annotations:\n        prometheus.io/scrape: 'true'",
        ),
      },
      {
        path: 'monitoring.yaml',
        content: `
apiVersion: monitoring.coreos.com/v1
kind: PrometheusRule
metadata: { name: api-slo }
spec:
  groups:
    - name: slo
      rules:
        - record: job:errors:ratio
          expr: sum(rate(errors[5m]))
        - alert: ErrorBudgetBurn
          expr: job:errors:ratio > 0.0144
        - alert: LatencyHigh
          expr: histogram_quantile(0.95, rate(latency_bucket[5m])) > 0.2
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata: { name: api }
spec:
  endpoints: [{ port: metrics }]
`,
      },
    ]);
    expect(monitoring).toEqual({
      prometheusRules: 1,
      alertRules: 2,
      serviceMonitors: 1,
      podMonitors: 0,
      scrapeAnnotation: true,
      metricsScraped: true,
    });
  });

  it('reads Helm values: podAnnotations, serviceMonitor and prometheusRule', () => {
    const values = `
replicaCount: 2
image: { repository: api, tag: '1' }
podAnnotations:
  prodready.dev/per-pod-rps: '75'
autoscaling:
  enabled: true
  minReplicas: 2
  maxReplicas: 8
  targetCPUUtilizationPercentage: 70
serviceMonitor:
  enabled: true
prometheusRule:
  enabled: true
  rules:
    - alert: ApiDown
      expr: up == 0
`;
    const result = extras([{ path: 'values.yaml', content: values }]);
    expect(result.capacity).toMatchObject({
      perPodRps: 75,
      perPodRpsSource: 'annotation',
      maxReplicas: 8,
      atMaxReplicasRps: 600,
    });
    expect(result.monitoring).toMatchObject({
      prometheusRules: 1,
      alertRules: 1,
      serviceMonitors: 1,
      metricsScraped: true,
    });
  });

  it('ignores bad YAML and Helm templates (parseDeploymentFiles reports them)', () => {
    const { monitoring, capacity } = extras([
      { path: 'bad.yaml', content: 'kind: [' },
      {
        path: 'templates/rule.yaml',
        content: 'kind: PrometheusRule\nmetadata:\n  name: {{ .Values.name }}',
      },
    ]);
    expect(monitoring.prometheusRules).toBe(0);
    expect(capacity.perPodRps).toBeNull();
  });
});
