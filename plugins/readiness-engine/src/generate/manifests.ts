import type { IDeployment } from 'kubernetes-models/apps/v1/Deployment';
import type { IHorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import type { ICronJob } from 'kubernetes-models/batch/v1/CronJob';
import type { IIngress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import type { INetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import type { INetworkPolicyIngressRule } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicyIngressRule';
import type { IPodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import type { IPersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import type { IPodTemplateSpec } from 'kubernetes-models/v1/PodTemplateSpec';
import type { IService } from 'kubernetes-models/v1/Service';
import type { IAnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import type { IRollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import type { IPrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { READINESS_MANIFEST_ANNOTATION_PER_POD_RPS as PER_POD_RPS_ANNOTATION } from '@prodready/plugin-readiness-common';
import type { DataStoreType, DeploymentSpec } from './inputs';
import { buildSloRuleGroups } from './slo';

/**
 * A Kubernetes object as written to a manifest.
 *
 * @public
 */
export type Manifest = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
};

/** The typed model objects, as plain manifests. */
function asManifest(object: object): Manifest {
  return object as unknown as Manifest;
}

/** The label that ties every object of the service to its pods. */
export const NAME_LABEL = 'app.kubernetes.io/name';

const MINUTE_MS = 60_000;

function metadata(
  spec: DeploymentSpec,
  name: string,
  extra: {
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  } = {},
) {
  return {
    name,
    ...(spec.namespace ? { namespace: spec.namespace } : {}),
    labels: {
      [NAME_LABEL]: spec.name,
      'app.kubernetes.io/part-of': spec.name,
      'app.kubernetes.io/managed-by': 'backstage-scaffolder',
      ...extra.labels,
    },
    ...(extra.annotations ? { annotations: extra.annotations } : {}),
  };
}

/** Labels of the service's pods; the selectors select exactly these. */
export function podLabels(spec: DeploymentSpec): Record<string, string> {
  return {
    [NAME_LABEL]: spec.name,
    'app.kubernetes.io/part-of': spec.name,
    'backstage.io/kubernetes-id': spec.name,
  };
}

function selector(spec: DeploymentSpec): Record<string, string> {
  return { [NAME_LABEL]: spec.name };
}

/** The pod template shared by the Deployment and the Argo Rollout. */
export function buildPodTemplate(spec: DeploymentSpec): IPodTemplateSpec {
  const httpGet = (path: string) => ({ path, port: 'http' });
  return {
    metadata: {
      labels: podLabels(spec),
      annotations: {
        'prometheus.io/scrape': 'true',
        'prometheus.io/port': String(spec.port),
        'prometheus.io/path': '/metrics',
      },
    },
    spec: {
      automountServiceAccountToken: false,
      terminationGracePeriodSeconds: 30,
      securityContext: {
        runAsNonRoot: true,
        runAsUser: 10001,
        runAsGroup: 10001,
        fsGroup: 10001,
        seccompProfile: { type: 'RuntimeDefault' },
      },
      topologySpreadConstraints: [
        {
          maxSkew: 1,
          topologyKey: 'topology.kubernetes.io/zone',
          whenUnsatisfiable: 'DoNotSchedule',
          labelSelector: { matchLabels: selector(spec) },
        },
        {
          maxSkew: 1,
          topologyKey: 'kubernetes.io/hostname',
          whenUnsatisfiable: 'ScheduleAnyway',
          labelSelector: { matchLabels: selector(spec) },
        },
      ],
      containers: [
        {
          name: spec.name,
          image: spec.image,
          imagePullPolicy: 'IfNotPresent',
          ports: [{ name: 'http', containerPort: spec.port, protocol: 'TCP' }],
          env: [
            { name: 'PORT', value: String(spec.port) },
            { name: 'LATENCY_TARGET_MS', value: String(spec.latencyP95Ms) },
          ],
          resources: {
            requests: { ...spec.resources.requests },
            limits: { ...spec.resources.limits },
          },
          startupProbe: {
            httpGet: httpGet(spec.healthPath),
            periodSeconds: 5,
            failureThreshold: 30,
          },
          livenessProbe: {
            httpGet: httpGet(spec.healthPath),
            periodSeconds: 10,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          readinessProbe: {
            httpGet: httpGet(spec.readinessPath),
            periodSeconds: 5,
            timeoutSeconds: 2,
            failureThreshold: 3,
          },
          securityContext: {
            allowPrivilegeEscalation: false,
            readOnlyRootFilesystem: true,
            capabilities: { drop: ['ALL'] },
          },
        },
      ],
    },
  };
}

/** The workload: a Deployment, or an Argo Rollout for blue-green and canary. */
export function buildWorkload(spec: DeploymentSpec): Manifest {
  if (spec.rollout === 'rolling-update') {
    const deployment: IDeployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: metadata(spec, spec.name),
      spec: {
        // No replicas: the HorizontalPodAutoscaler owns the count.
        revisionHistoryLimit: 5,
        strategy: {
          type: 'RollingUpdate',
          rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
        },
        selector: { matchLabels: selector(spec) },
        template: buildPodTemplate(spec),
      },
    };
    return asManifest(deployment);
  }
  const strategy: NonNullable<IRollout['spec']>['strategy'] =
    spec.rollout === 'blue-green'
      ? {
          blueGreen: {
            activeService: spec.name,
            previewService: `${spec.name}-preview`,
            autoPromotionEnabled: false,
            // Keep the previous (blue) version for a quick rollback.
            scaleDownDelaySeconds: 600,
            prePromotionAnalysis: {
              templates: [{ templateName: `${spec.name}-smoke-tests` }],
              args: [
                {
                  name: 'namespace',
                  valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } },
                },
              ],
            },
            postPromotionAnalysis: {
              templates: [{ templateName: `${spec.name}-error-rate` }],
            },
          },
        }
      : {
          canary: {
            stableService: spec.name,
            canaryService: `${spec.name}-canary`,
            maxSurge: '25%',
            maxUnavailable: 0,
            ...(spec.exposure === 'public'
              ? { trafficRouting: { nginx: { stableIngress: spec.name } } }
              : {}),
            analysis: {
              templates: [{ templateName: `${spec.name}-error-rate` }],
              startingStep: 1,
            },
            steps: [
              { setWeight: 10 },
              { pause: { duration: '5m' } },
              { setWeight: 25 },
              { pause: { duration: '5m' } },
              { setWeight: 50 },
              { pause: { duration: '10m' } },
            ],
          },
        };
  const rollout: IRollout = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'Rollout',
    metadata: metadata(spec, spec.name),
    spec: {
      revisionHistoryLimit: 5,
      selector: { matchLabels: selector(spec) },
      template: buildPodTemplate(spec) as NonNullable<
        IRollout['spec']
      >['template'],
      strategy,
    },
  };
  return asManifest(rollout);
}

function buildServiceObject(
  spec: DeploymentSpec,
  name: string,
  role?: string,
): Manifest {
  const service: IService = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: metadata(
      spec,
      name,
      role ? { labels: { 'app.kubernetes.io/component': role } } : {},
    ),
    spec: {
      type: 'ClusterIP',
      selector: selector(spec),
      ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
    },
  };
  return asManifest(service);
}

/** The Service, plus the preview (blue-green) or canary Service. */
export function buildServices(spec: DeploymentSpec): Manifest[] {
  const services = [buildServiceObject(spec, spec.name)];
  if (spec.rollout === 'blue-green') {
    services.push(buildServiceObject(spec, `${spec.name}-preview`, 'preview'));
  } else if (spec.rollout === 'canary') {
    services.push(buildServiceObject(spec, `${spec.name}-canary`, 'canary'));
  }
  return services;
}

/** The HPA (autoscaling/v2) with the seed's thresholds and the capacity plan. */
export function buildHpa(spec: DeploymentSpec, workload: Manifest): Manifest {
  const hpa: IHorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadata(spec, spec.name, {
      annotations: { [PER_POD_RPS_ANNOTATION]: String(spec.perPodRps) },
    }),
    spec: {
      scaleTargetRef: {
        apiVersion: workload.apiVersion,
        kind: workload.kind,
        name: workload.metadata.name,
      },
      minReplicas: spec.capacity.minReplicas,
      maxReplicas: spec.capacity.maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: {
              type: 'Utilization',
              averageUtilization: spec.scaling.cpuUtilizationPercent,
            },
          },
        },
        {
          type: 'Resource',
          resource: {
            name: 'memory',
            target: {
              type: 'Utilization',
              averageUtilization: spec.scaling.memoryUtilizationPercent,
            },
          },
        },
      ],
      behavior: {
        scaleUp: {
          stabilizationWindowSeconds: spec.scaling.scaleUpStabilizationSeconds,
          selectPolicy: 'Max',
          policies: [
            { type: 'Percent', value: 100, periodSeconds: 60 },
            { type: 'Pods', value: 4, periodSeconds: 60 },
          ],
        },
        scaleDown: {
          stabilizationWindowSeconds:
            spec.scaling.scaleDownStabilizationSeconds,
          selectPolicy: 'Min',
          policies: [{ type: 'Pods', value: 1, periodSeconds: 120 }],
        },
      },
    },
  };
  return asManifest(hpa);
}

/**
 * How many pods a voluntary disruption may take at once: one for small
 * services, a quarter of the minimum for larger ones, never all of them.
 */
export function pdbMaxUnavailable(minReplicas: number): number {
  return Math.max(1, Math.min(Math.floor(minReplicas / 4), minReplicas - 1));
}

/** The PodDisruptionBudget: room to drain nodes, never every pod at once. */
export function buildPdb(spec: DeploymentSpec): Manifest {
  const pdb: IPodDisruptionBudget = {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: metadata(spec, spec.name),
    spec: {
      maxUnavailable: pdbMaxUnavailable(spec.capacity.minReplicas),
      unhealthyPodEvictionPolicy: 'AlwaysAllow',
      selector: { matchLabels: selector(spec) },
    },
  };
  return asManifest(pdb);
}

/** The Ingress of a public service: TLS by cert-manager, rate limits, WAF, compression. */
export function buildIngress(spec: DeploymentSpec): Manifest | null {
  if (spec.exposure !== 'public' || !spec.host) {
    return null;
  }
  const ingress: IIngress = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'Ingress',
    metadata: metadata(spec, spec.name, {
      annotations: {
        'cert-manager.io/cluster-issuer': spec.tlsIssuer,
        'nginx.ingress.kubernetes.io/ssl-redirect': 'true',
        'nginx.ingress.kubernetes.io/force-ssl-redirect': 'true',
        'nginx.ingress.kubernetes.io/limit-rps': String(spec.rateLimitRps),
        'nginx.ingress.kubernetes.io/enable-modsecurity': 'true',
        'nginx.ingress.kubernetes.io/enable-owasp-core-rules': 'true',
        // Needs allow-snippet-annotations on the controller; or set use-gzip
        // in its ConfigMap and drop this annotation.
        'nginx.ingress.kubernetes.io/server-snippet':
          'gzip on;\ngzip_types application/json text/plain text/css application/javascript;\n',
      },
    }),
    spec: {
      ingressClassName: spec.ingressClassName,
      tls: [{ hosts: [spec.host], secretName: `${spec.name}-tls` }],
      rules: [
        {
          host: spec.host,
          http: {
            paths: [
              {
                path: '/',
                pathType: 'Prefix',
                backend: {
                  service: { name: spec.name, port: { name: 'http' } },
                },
              },
            ],
          },
        },
      ],
    },
  };
  return asManifest(ingress);
}

/** Ports a data store listens on, for the egress rules. */
export const DATA_STORE_PORTS: Record<DataStoreType, number> = {
  postgresql: 5432,
  mysql: 3306,
  mongodb: 27017,
  redis: 6379,
};

/** The NetworkPolicy: only named sources in, only DNS and the data stores out. */
export function buildNetworkPolicy(spec: DeploymentSpec): Manifest {
  const namespace = (name: string) => ({
    namespaceSelector: {
      matchLabels: { 'kubernetes.io/metadata.name': name },
    },
  });
  const callers: INetworkPolicyIngressRule['from'] = [
    // Pods of the same namespace.
    { podSelector: {} },
    ...(spec.exposure === 'public' ? [namespace(spec.ingressNamespace)] : []),
    ...spec.allowedNamespaces.map(namespace),
  ];
  const policy: INetworkPolicy = {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: metadata(spec, spec.name),
    spec: {
      podSelector: { matchLabels: selector(spec) },
      policyTypes: ['Ingress', 'Egress'],
      ingress: [
        {
          from: callers,
          ports: [{ protocol: 'TCP', port: spec.port }],
        },
        {
          from: [namespace(spec.monitoringNamespace)],
          ports: [{ protocol: 'TCP', port: spec.port }],
        },
      ],
      egress: [
        {
          to: [namespace('kube-system')],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
        ...spec.dataStores.map(store => ({
          ports: [{ protocol: 'TCP' as const, port: DATA_STORE_PORTS[store] }],
        })),
      ],
    },
  };
  return asManifest(policy);
}

/** The ServiceMonitor that has Prometheus scrape `/metrics`. */
export function buildServiceMonitor(spec: DeploymentSpec): Manifest {
  const monitor: IServiceMonitor = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'ServiceMonitor',
    metadata: metadata(spec, spec.name),
    spec: {
      selector: {
        matchLabels: selector(spec),
        // Not the preview or canary Service: their pods are scraped anyway.
        matchExpressions: [
          { key: 'app.kubernetes.io/component', operator: 'DoesNotExist' },
        ],
      },
      endpoints: [{ port: 'http', path: '/metrics', interval: '30s' }],
    },
  };
  return asManifest(monitor);
}

/** The PrometheusRule with the SLO recording rules and burn-rate alerts. */
export function buildPrometheusRule(
  spec: DeploymentSpec,
  runbookUrl?: string,
): Manifest {
  const rule: IPrometheusRule = {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    metadata: metadata(spec, `${spec.name}-slo`, {
      labels: { prometheus: 'k8s', role: 'alert-rules' },
    }),
    spec: {
      groups: buildSloRuleGroups({
        name: spec.name,
        availabilityPercent: spec.availabilityPercent,
        latencyP95Ms: spec.latencyP95Ms,
        errorRatePercent: spec.errorRatePercent,
        runbookUrl,
      }),
    },
  };
  return asManifest(rule);
}

/** The analysis templates the Argo Rollout gates promotion on. */
export function buildAnalysisTemplates(spec: DeploymentSpec): Manifest[] {
  if (spec.rollout === 'rolling-update') {
    return [];
  }
  const errorRate: IAnalysisTemplate = {
    apiVersion: 'argoproj.io/v1alpha1',
    kind: 'AnalysisTemplate',
    metadata: metadata(spec, `${spec.name}-error-rate`),
    spec: {
      metrics: [
        {
          name: 'error-rate',
          interval: '1m',
          count: 5,
          failureLimit: 1,
          successCondition: `result[0] <= ${Number(
            (spec.errorRatePercent / 100).toPrecision(12),
          )}`,
          provider: {
            prometheus: {
              address: 'http://prometheus-operated.monitoring.svc:9090',
              query:
                `sum(rate(http_requests_total{job="${spec.name}",code=~"5.."}[2m]))\n` +
                `/\nsum(rate(http_requests_total{job="${spec.name}"}[2m]))`,
            },
          },
        },
      ],
    },
  };
  const templates: Manifest[] = [asManifest(errorRate)];
  if (spec.rollout === 'blue-green') {
    const smoke: IAnalysisTemplate = {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'AnalysisTemplate',
      metadata: metadata(spec, `${spec.name}-smoke-tests`),
      spec: {
        args: [{ name: 'namespace' }],
        metrics: [
          {
            name: 'preview-ready',
            interval: '10s',
            count: 6,
            failureLimit: 0,
            successCondition: `result == "ok"`,
            provider: {
              web: {
                url: `http://${spec.name}-preview.{{args.namespace}}.svc.cluster.local${spec.readinessPath}`,
                jsonPath: '{$.status}',
                timeoutSeconds: 5,
              },
            },
          },
        ],
      },
    };
    templates.push(asManifest(smoke));
  }
  return templates;
}

/** The tool, image and command that back up one kind of data store. */
const BACKUP_TOOLS: Record<
  DataStoreType,
  {
    short: string;
    image: string;
    command: (file: string) => string;
    ext: string;
  }
> = {
  postgresql: {
    short: 'pg',
    image: 'postgres:16-alpine',
    ext: 'dump',
    command: file => `pg_dump --format=custom --file="${file}" "$DATABASE_URL"`,
  },
  mysql: {
    short: 'mysql',
    image: 'mysql:8.4',
    ext: 'sql.gz',
    command: file =>
      `mysqldump --single-transaction --routines --host="$DB_HOST" --user="$DB_USER" --password="$DB_PASSWORD" "$DB_NAME" | gzip > "${file}"`,
  },
  mongodb: {
    short: 'mongo',
    image: 'mongo:7.0',
    ext: 'archive.gz',
    command: file =>
      `mongodump --uri="$DATABASE_URL" --gzip --archive="${file}"`,
  },
  redis: {
    short: 'redis',
    image: 'redis:7.4-alpine',
    ext: 'rdb',
    command: file => `redis-cli -u "$DATABASE_URL" --rdb "${file}"`,
  },
};

/** The name of the backup CronJob of one data store. */
export function backupJobName(name: string, store: DataStoreType): string {
  return `${name}-backup-${BACKUP_TOOLS[store].short}`;
}

/**
 * One CronJob per data store on the RPO's schedule, writing to a volume
 * claim and pruning backups older than the retention.
 */
export function buildBackups(
  spec: DeploymentSpec,
  schedule: string,
  intervalMs: number,
): Manifest[] {
  return spec.dataStores.flatMap(store => {
    const tool = BACKUP_TOOLS[store];
    const jobName = backupJobName(spec.name, store);
    const labels = {
      [NAME_LABEL]: jobName,
      'app.kubernetes.io/part-of': spec.name,
      'app.kubernetes.io/component': 'backup',
    };
    const claim: IPersistentVolumeClaim = {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { ...metadata(spec, jobName), labels },
      spec: {
        accessModes: ['ReadWriteOnce'],
        resources: { requests: { storage: '20Gi' } },
      },
    };
    const retentionMinutes = Math.ceil(spec.backupRetentionMs / MINUTE_MS);
    const file = `/backups/${spec.name}-${store}-$(date -u +%Y%m%dT%H%M%SZ).${tool.ext}`;
    // A run may take at most 80% of the interval, so runs never overlap.
    const deadline = Math.max(60, Math.floor((intervalMs * 0.8) / 1000));
    const cronJob: ICronJob = {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { ...metadata(spec, jobName), labels },
      spec: {
        schedule,
        timeZone: 'Etc/UTC',
        concurrencyPolicy: 'Forbid',
        startingDeadlineSeconds: Math.min(300, deadline),
        successfulJobsHistoryLimit: 3,
        failedJobsHistoryLimit: 5,
        jobTemplate: {
          spec: {
            backoffLimit: 2,
            activeDeadlineSeconds: deadline,
            template: {
              metadata: { labels },
              spec: {
                restartPolicy: 'OnFailure',
                automountServiceAccountToken: false,
                securityContext: {
                  runAsNonRoot: true,
                  runAsUser: 10001,
                  fsGroup: 10001,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                containers: [
                  {
                    name: 'backup',
                    image: tool.image,
                    command: ['/bin/sh', '-c'],
                    args: [
                      `set -eu\n${tool.command(file)}\n` +
                        `find /backups -type f -mmin +${retentionMinutes} -delete\n`,
                    ],
                    envFrom: [
                      {
                        secretRef: {
                          name: `${spec.name}-${tool.short}-credentials`,
                        },
                      },
                    ],
                    resources: {
                      requests: { cpu: '100m', memory: '256Mi' },
                      limits: { cpu: '1', memory: '1Gi' },
                    },
                    securityContext: {
                      allowPrivilegeEscalation: false,
                      capabilities: { drop: ['ALL'] },
                    },
                    volumeMounts: [{ name: 'backups', mountPath: '/backups' }],
                  },
                ],
                volumes: [
                  {
                    name: 'backups',
                    persistentVolumeClaim: { claimName: jobName },
                  },
                ],
              },
            },
          },
        },
      },
    };
    return [asManifest(claim), asManifest(cronJob)];
  });
}
