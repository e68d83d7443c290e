import type { ManifestObject, Problems } from './readFiles';
import { findRemovedApiVersion } from './removedApis';
import type {
  DeploymentFacts,
  DeploymentHpaMetricFacts,
  DeploymentHpaSummary,
  DeploymentIngressSummary,
  DeploymentNetworkPolicySummary,
  DeploymentPdbSummary,
  DeploymentRemovedApi,
  DeploymentRolloutSummary,
  DeploymentServiceSummary,
  DeploymentWorkloadFacts,
} from './types';
import {
  asArray,
  asIntOrString,
  asNumber,
  asRecord,
  asString,
  describeLabels,
  isEmptySelector,
  isTruthy,
  LabelSelector,
  mapSelectorMatches,
  namespacesCompatible,
  selectorMatches,
  stringMap,
  toLabelSelector,
  uniqueSorted,
  UnknownRecord,
} from './util';
import type { Workload } from './workloads';

/** The part of the facts computed from the objects. */
export type DeploymentSummaries = Omit<
  DeploymentFacts,
  'version' | 'source' | 'helm' | 'files' | 'errors' | 'notes'
>;

// ---------------------------------------------------------------------------
// Annotations recognised as rate limiting, WAF, TLS, compression and CDN.

const RATE_LIMIT_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/limit-rps',
  'nginx.ingress.kubernetes.io/limit-rpm',
  'nginx.ingress.kubernetes.io/limit-connections',
  'nginx.ingress.kubernetes.io/global-rate-limit',
  'nginx.org/limit-req-rate',
  'traefik.ingress.kubernetes.io/rate-limit',
  'haproxy.org/rate-limit-requests',
  'haproxy-ingress.github.io/limit-rps',
  'zalando.org/ratelimit',
];

const WAF_FLAG_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/enable-modsecurity',
  'nginx.ingress.kubernetes.io/enable-owasp-core-rules',
  'appprotect.f5.com/app-protect-enable',
];
const WAF_VALUE_ANNOTATIONS = [
  'nginx.ingress.kubernetes.io/modsecurity-snippet',
  'alb.ingress.kubernetes.io/wafv2-acl-arn',
  'alb.ingress.kubernetes.io/waf-acl-id',
  'alb.ingress.kubernetes.io/web-acl-id',
  'appgw.ingress.kubernetes.io/waf-policy-for-path',
  'azure.application-gateway/waf-policy-id',
];

/** Annotations through which a cloud load balancer terminates TLS for every host of the Ingress. */
const TLS_ANNOTATIONS = [
  'alb.ingress.kubernetes.io/certificate-arn',
  'networking.gke.io/managed-certificates',
  'ingress.gcp.kubernetes.io/pre-shared-cert',
  'appgw.ingress.kubernetes.io/appgw-ssl-certificate',
];

const ISSUER_ANNOTATIONS = [
  'cert-manager.io/cluster-issuer',
  'cert-manager.io/issuer',
  'certmanager.k8s.io/cluster-issuer',
  'certmanager.k8s.io/issuer',
];

const TRAEFIK_MIDDLEWARES = 'traefik.ingress.kubernetes.io/router.middlewares';
const KONG_PLUGINS = 'konghq.com/plugins';
const CLOUDFLARE_PROXIED =
  'external-dns.alpha.kubernetes.io/cloudflare-proxied';

// ---------------------------------------------------------------------------
// Helpers.

function ref(object: { kind: string; name: string | null }): string {
  return `${object.kind}/${object.name ?? '(unnamed)'}`;
}

function metadataOf(object: ManifestObject): UnknownRecord {
  return asRecord(object.object.metadata) ?? {};
}

function annotationsOf(object: ManifestObject): Record<string, string> {
  return stringMap(metadataOf(object).annotations);
}

function specOf(object: ManifestObject): UnknownRecord {
  return asRecord(object.object.spec) ?? {};
}

function ofKind(objects: ManifestObject[], kind: string, group?: string) {
  return objects.filter(
    o =>
      o.kind === kind &&
      (group === undefined ||
        o.apiVersion === null ||
        o.apiVersion.split('/')[0].endsWith(group)),
  );
}

function workloadMatchesRef(
  workload: DeploymentWorkloadFacts,
  kind: string | null,
  name: string | null,
  namespace: string | null,
): boolean {
  return (
    kind === workload.kind &&
    name !== null &&
    name === workload.name &&
    namespacesCompatible(namespace, workload.namespace)
  );
}

/** Scaled value of an IntOrString against a total, as the disruption controller computes it (rounding up). */
function scaledIntOrPercent(
  value: number | string,
  total: number,
): number | null {
  if (typeof value === 'number') {
    return Number.isInteger(value) && value >= 0 ? value : null;
  }
  const percent = /^(\d+)%$/.exec(value.trim());
  if (!percent) {
    return null;
  }
  return Math.ceil((total * Number(percent[1])) / 100);
}

// ---------------------------------------------------------------------------
// Autoscalers.

type Autoscaler = {
  summary: DeploymentHpaSummary;
  namespace: string | null;
};

function hpaMetric(entry: unknown): DeploymentHpaMetricFacts | null {
  const metric = asRecord(entry);
  const type = asString(metric?.type);
  if (!metric || !type) {
    return null;
  }
  const body = asRecord(metric[type[0].toLowerCase() + type.slice(1)]) ?? {};
  const named = asRecord(body.metric);
  const result: DeploymentHpaMetricFacts = {
    type,
    name:
      asString(body.name) ?? asString(named?.name) ?? asString(body.metricName),
    container: asString(body.container),
    targetType: null,
    target: null,
  };
  // autoscaling/v2 and v2beta2: `target: { type, averageUtilization, ... }`.
  // In v2beta1, the `target` of an Object metric is the object described.
  const target = asRecord(body.target);
  if (target && target.type !== undefined) {
    result.targetType = asString(target.type);
    result.target =
      result.targetType === 'Utilization'
        ? asNumber(target.averageUtilization)
        : asIntOrString(target.averageValue ?? target.value);
  } else if (body.targetAverageUtilization !== undefined) {
    // autoscaling/v2beta1
    result.targetType = 'Utilization';
    result.target = asNumber(body.targetAverageUtilization);
  } else if (body.targetAverageValue !== undefined) {
    result.targetType = 'AverageValue';
    result.target = asIntOrString(body.targetAverageValue);
  } else if (body.targetValue !== undefined) {
    result.targetType = 'Value';
    result.target = asIntOrString(body.targetValue);
  } else if (body.averageValue !== undefined) {
    // autoscaling/v2beta1 Object metric
    result.targetType = 'AverageValue';
    result.target = asIntOrString(body.averageValue);
  }
  return result;
}

function utilisationTarget(
  metrics: DeploymentHpaMetricFacts[],
  resource: string,
): number | null {
  const metric = metrics.find(
    m =>
      (m.type === 'Resource' || m.type === 'ContainerResource') &&
      m.name === resource &&
      m.targetType === 'Utilization' &&
      typeof m.target === 'number',
  );
  return metric ? (metric.target as number) : null;
}

function stabilisation(behavior: UnknownRecord | undefined, key: string) {
  return asNumber(asRecord(behavior?.[key])?.stabilizationWindowSeconds);
}

function hpaSummary(object: ManifestObject): Autoscaler {
  const spec = specOf(object);
  const target = asRecord(spec.scaleTargetRef);
  const metrics = asArray(spec.metrics)
    .map(hpaMetric)
    .filter((m): m is DeploymentHpaMetricFacts => m !== null);
  const v1Cpu = asNumber(spec.targetCPUUtilizationPercentage);
  if (v1Cpu !== null) {
    metrics.unshift({
      type: 'Resource',
      name: 'cpu',
      container: null,
      targetType: 'Utilization',
      target: v1Cpu,
    });
  }
  const behavior = asRecord(spec.behavior);
  return {
    namespace: object.namespace,
    summary: {
      kind: 'HorizontalPodAutoscaler',
      name: object.name,
      apiVersion: object.apiVersion,
      path: object.path,
      scaleTargetRef: {
        kind: asString(target?.kind),
        name: asString(target?.name),
      },
      targetsWorkload: false,
      minReplicas: asNumber(spec.minReplicas) ?? 1,
      maxReplicas: asNumber(spec.maxReplicas),
      cpuTargetPercent: utilisationTarget(metrics, 'cpu'),
      memoryTargetPercent: utilisationTarget(metrics, 'memory'),
      scaleUpStabilizationSeconds: stabilisation(behavior, 'scaleUp'),
      scaleDownStabilizationSeconds: stabilisation(behavior, 'scaleDown'),
      behaviorDeclared: behavior !== undefined,
      metrics,
    },
  };
}

/** A KEDA ScaledObject, which drives an HPA of its own. */
function scaledObjectSummary(object: ManifestObject): Autoscaler {
  const spec = specOf(object);
  const target = asRecord(spec.scaleTargetRef);
  const metrics = asArray(spec.triggers).flatMap(
    (entry): DeploymentHpaMetricFacts[] => {
      const trigger = asRecord(entry);
      const type = asString(trigger?.type);
      if (!trigger || !type) {
        return [];
      }
      const metadata = asRecord(trigger.metadata) ?? {};
      if (type === 'cpu' || type === 'memory') {
        const targetType =
          asString(trigger.metricType) ??
          asString(metadata.type) ??
          'Utilization';
        return [
          {
            type: 'Resource',
            name: type,
            container: asString(metadata.containerName),
            targetType,
            target:
              targetType === 'Utilization'
                ? asNumber(metadata.value)
                : asIntOrString(metadata.value),
          },
        ];
      }
      return [
        {
          type,
          name: asString(metadata.metricName) ?? asString(trigger.name),
          container: null,
          targetType: asString(trigger.metricType) ?? 'AverageValue',
          target: asIntOrString(
            metadata.threshold ?? metadata.targetValue ?? metadata.value,
          ),
        },
      ];
    },
  );
  const behavior = asRecord(
    asRecord(asRecord(spec.advanced)?.horizontalPodAutoscalerConfig)?.behavior,
  );
  return {
    namespace: object.namespace,
    summary: {
      kind: 'ScaledObject',
      name: object.name,
      apiVersion: object.apiVersion,
      path: object.path,
      scaleTargetRef: {
        kind: asString(target?.kind) ?? 'Deployment',
        name: asString(target?.name),
      },
      targetsWorkload: false,
      minReplicas: asNumber(spec.minReplicaCount) ?? 0,
      maxReplicas: asNumber(spec.maxReplicaCount) ?? 100,
      cpuTargetPercent: utilisationTarget(metrics, 'cpu'),
      memoryTargetPercent: utilisationTarget(metrics, 'memory'),
      scaleUpStabilizationSeconds: stabilisation(behavior, 'scaleUp'),
      scaleDownStabilizationSeconds: stabilisation(behavior, 'scaleDown'),
      behaviorDeclared: behavior !== undefined,
      metrics,
    },
  };
}

function autoscalerTargets(
  autoscaler: Autoscaler,
  workload: DeploymentWorkloadFacts,
): boolean {
  return workloadMatchesRef(
    workload,
    autoscaler.summary.scaleTargetRef.kind,
    autoscaler.summary.scaleTargetRef.name,
    autoscaler.namespace,
  );
}

// ---------------------------------------------------------------------------
// Main workload.

function workloadMatchesName(
  workload: DeploymentWorkloadFacts,
  name: string,
): boolean {
  return (
    workload.name === name ||
    workload.podLabels['app.kubernetes.io/name'] === name ||
    workload.podLabels['backstage.io/kubernetes-id'] === name ||
    workload.podLabels.app === name
  );
}

function chooseMainWorkload(
  workloads: Workload[],
  autoscalers: Autoscaler[],
  workloadName: string | undefined,
): Workload | undefined {
  let best: Workload | undefined;
  let bestScore = -1;
  for (const workload of workloads) {
    if (workload.templateOnly) {
      continue;
    }
    const facts = workload.facts;
    const score =
      (workloadName && workloadMatchesName(facts, workloadName) ? 4 : 0) +
      (facts.containers.length > 0 ? 2 : 0) +
      (autoscalers.some(a => autoscalerTargets(a, facts)) ? 1 : 0);
    if (score > bestScore) {
      best = workload;
      bestScore = score;
    }
  }
  return best;
}

// ---------------------------------------------------------------------------
// PodDisruptionBudget.

type Pdb = {
  object: ManifestObject;
  selector: LabelSelector | null;
  minAvailable: number | string | null;
  maxUnavailable: number | string | null;
};

function readPdb(object: ManifestObject): Pdb {
  const spec = specOf(object);
  const selector = toLabelSelector(spec.selector);
  return {
    object,
    // In policy/v1beta1 an empty selector selects no pod (in policy/v1, every pod).
    selector:
      object.apiVersion === 'policy/v1beta1' && isEmptySelector(selector)
        ? null
        : selector,
    minAvailable: asIntOrString(spec.minAvailable),
    maxUnavailable: asIntOrString(spec.maxUnavailable),
  };
}

function pdbSelects(pdb: Pdb, workload: DeploymentWorkloadFacts): boolean {
  return (
    namespacesCompatible(pdb.object.namespace, workload.namespace) &&
    selectorMatches(pdb.selector, workload.podLabels)
  );
}

function pdbSummary(
  pdb: Pdb,
  main: DeploymentWorkloadFacts | undefined,
  mainHpa: DeploymentHpaSummary | null,
  problems: Problems,
): DeploymentPdbSummary {
  const { object, minAvailable, maxUnavailable } = pdb;
  const label = ref(object);
  let replicas: number | null = null;
  if (main && mainHpa && mainHpa.minReplicas !== null) {
    replicas = mainHpa.minReplicas;
  } else if (main) {
    replicas = main.replicas ?? 1;
  }

  let allowed: number | null = null;
  if (minAvailable !== null && maxUnavailable !== null) {
    problems.error(
      object.path,
      object.document,
      `${label} sets both minAvailable and maxUnavailable; only one is allowed`,
    );
  }
  if (replicas !== null) {
    if (minAvailable !== null) {
      const required = scaledIntOrPercent(minAvailable, replicas);
      allowed = required === null ? null : Math.max(0, replicas - required);
    } else if (maxUnavailable !== null) {
      const unavailable = scaledIntOrPercent(maxUnavailable, replicas);
      allowed = unavailable === null ? null : Math.min(unavailable, replicas);
    }
  }
  for (const [field, value] of [
    ['minAvailable', minAvailable],
    ['maxUnavailable', maxUnavailable],
  ] as const) {
    if (value !== null && scaledIntOrPercent(value, 1) === null) {
      problems.error(
        object.path,
        object.document,
        `${label} ${field} '${value}' is not a non-negative integer or a percentage`,
      );
    }
  }
  return {
    name: object.name,
    path: object.path,
    minAvailable,
    maxUnavailable,
    matchesWorkload: main ? pdbSelects(pdb, main) : false,
    replicasConsidered: replicas,
    allowedDisruptions: allowed,
    allowsDisruption: allowed !== null && allowed > 0,
  };
}

// ---------------------------------------------------------------------------
// Ingress.

function hostCovered(host: string, tlsHost: string): boolean {
  if (tlsHost === host) {
    return true;
  }
  if (tlsHost.startsWith('*.')) {
    const suffix = tlsHost.slice(1); // ".example.com"
    return (
      host.endsWith(suffix) && !host.slice(0, -suffix.length).includes('.')
    );
  }
  return false;
}

function referencedMiddlewares(
  annotation: string | undefined,
  middlewares: ManifestObject[],
  predicate: (spec: UnknownRecord) => boolean,
  nameHint: RegExp,
): string[] {
  if (!annotation) {
    return [];
  }
  const refs = annotation
    .split(',')
    .map(entry => entry.trim())
    .filter(Boolean);
  return refs.filter(
    entry =>
      nameHint.test(entry) ||
      middlewares.some(
        m =>
          m.name !== null &&
          predicate(specOf(m)) &&
          (entry === m.name ||
            entry.startsWith(`${m.name}@`) ||
            entry.includes(`-${m.name}@`)),
      ),
  );
}

function ingressSummary(
  objects: ManifestObject[],
  evidence: { compression: string[]; cdn: string[] },
): DeploymentIngressSummary {
  const ingresses = ofKind(objects, 'Ingress');
  const middlewares = ofKind(objects, 'Middleware', 'traefik.io').concat(
    ofKind(objects, 'Middleware', 'traefik.containo.us'),
  );
  const kongPlugins = ofKind(objects, 'KongPlugin');
  const hosts: string[] = [];
  const tlsHosts: string[] = [];
  const uncovered: string[] = [];
  const classNames: string[] = [];
  let issuer: string | null = null;
  let rateLimited = false;
  let waf = false;
  let everyIngressHasTls = ingresses.length > 0;

  type IngressTls = { hosts: string[]; coversAll: boolean; any: boolean };
  const perIngress: IngressTls[] = [];
  for (const ingress of ingresses) {
    const spec = specOf(ingress);
    const annotations = annotationsOf(ingress);
    const ingressHosts = asArray(spec.rules)
      .map(rule => asString(asRecord(rule)?.host))
      .filter((h): h is string => h !== null);
    hosts.push(...ingressHosts);
    const className =
      asString(spec.ingressClassName) ??
      annotations['kubernetes.io/ingress.class'] ??
      null;
    if (className) {
      classNames.push(className);
    }
    const tls: IngressTls = {
      hosts: [],
      coversAll: TLS_ANNOTATIONS.some(key => annotations[key]),
      any: false,
    };
    for (const entry of asArray(spec.tls)) {
      const record = asRecord(entry);
      if (!record) continue;
      tls.any = true;
      const entryHosts = asArray(record.hosts)
        .map(h => asString(h))
        .filter((h): h is string => h !== null);
      if (entryHosts.length === 0) {
        tls.coversAll = true; // the controller's default certificate
      }
      tls.hosts.push(...entryHosts);
    }
    tls.any = tls.any || tls.coversAll;
    tlsHosts.push(...tls.hosts);
    perIngress.push(tls);
    if (!tls.any) {
      everyIngressHasTls = false;
    }

    issuer =
      issuer ??
      ISSUER_ANNOTATIONS.map(key => annotations[key]).find(Boolean) ??
      null;

    const label = ref(ingress);
    if (RATE_LIMIT_ANNOTATIONS.some(key => annotations[key])) {
      rateLimited = true;
    }
    if (
      referencedMiddlewares(
        annotations[TRAEFIK_MIDDLEWARES],
        middlewares,
        s => asRecord(s.rateLimit) !== undefined,
        /rate-?limit/i,
      ).length > 0
    ) {
      rateLimited = true;
    }
    const kong = (annotations[KONG_PLUGINS] ?? '')
      .split(',')
      .map(p => p.trim())
      .filter(Boolean);
    if (
      kong.some(
        name =>
          /rate-?limit/i.test(name) ||
          kongPlugins.some(
            p =>
              p.name === name &&
              /rate-limiting/.test(asString(p.object.plugin) ?? ''),
          ),
      )
    ) {
      rateLimited = true;
    }

    if (
      WAF_FLAG_ANNOTATIONS.some(key => isTruthy(annotations[key])) ||
      WAF_VALUE_ANNOTATIONS.some(key => annotations[key])
    ) {
      waf = true;
    }

    for (const [key, value] of Object.entries(annotations)) {
      if (/\b(gzip|brotli)\s+on\b/.test(value)) {
        evidence.compression.push(`${label} annotation ${key}`);
      }
      if (/cdn/i.test(key) && !/^(false|off|no|0|)$/i.test(value.trim())) {
        evidence.cdn.push(`${label} annotation ${key}`);
      }
    }
    const compressing = referencedMiddlewares(
      annotations[TRAEFIK_MIDDLEWARES],
      middlewares,
      s => s.compress !== undefined,
      /compress/i,
    );
    if (compressing.length > 0) {
      evidence.compression.push(
        `${label} Traefik middleware ${compressing[0]}`,
      );
    }
  }

  const allTlsHosts = uniqueSorted(tlsHosts);
  ingresses.forEach((ingress, i) => {
    for (const rule of asArray(specOf(ingress).rules)) {
      const host = asString(asRecord(rule)?.host);
      if (
        host &&
        !perIngress[i].coversAll &&
        !allTlsHosts.some(tlsHost => hostCovered(host, tlsHost))
      ) {
        uncovered.push(host);
      }
    }
  });

  return {
    present: ingresses.length > 0,
    count: ingresses.length,
    names: uniqueSorted(ingresses.map(i => i.name ?? '(unnamed)')),
    classNames: uniqueSorted(classNames),
    hosts: uniqueSorted(hosts),
    tlsHosts: allTlsHosts,
    uncoveredHosts: uniqueSorted(uncovered),
    tls: everyIngressHasTls && uncovered.length === 0,
    certManagerIssuer: issuer,
    rateLimited,
    waf,
  };
}

// ---------------------------------------------------------------------------
// NetworkPolicy.

type Policy = {
  object: ManifestObject;
  podSelector: LabelSelector | null;
  types: string[];
  ingress: UnknownRecord[];
  egress: UnknownRecord[];
};

function readPolicy(object: ManifestObject): Policy {
  const spec = specOf(object);
  const ingress = asArray(spec.ingress).map(r => asRecord(r) ?? {});
  const egress = asArray(spec.egress).map(r => asRecord(r) ?? {});
  const declared = asArray(spec.policyTypes)
    .map(t => asString(t))
    .filter((t): t is string => t !== null);
  return {
    object,
    podSelector: toLabelSelector(spec.podSelector),
    types:
      declared.length > 0
        ? declared
        : ['Ingress', ...(egress.length > 0 ? ['Egress'] : [])],
    ingress,
    egress,
  };
}

function peerAdmitsAll(entry: unknown): boolean {
  const peer = asRecord(entry);
  if (!peer) {
    return false;
  }
  const ipBlock = asRecord(peer.ipBlock);
  if (ipBlock) {
    const cidr = asString(ipBlock.cidr);
    return (
      (cidr === '0.0.0.0/0' || cidr === '::/0') &&
      asArray(ipBlock.except).length === 0
    );
  }
  const namespaces = toLabelSelector(peer.namespaceSelector);
  const pods =
    peer.podSelector === undefined ? null : toLabelSelector(peer.podSelector);
  return (
    isEmptySelector(namespaces) && (pods === null || isEmptySelector(pods))
  );
}

/** An ingress rule without `from` admits every source; an egress rule without `to` and `ports` admits every destination. */
function ruleAdmitsAll(rule: UnknownRecord, direction: 'from' | 'to'): boolean {
  const peers = asArray(rule[direction]);
  if (peers.length === 0) {
    return direction === 'from' || asArray(rule.ports).length === 0;
  }
  return peers.some(peerAdmitsAll);
}

function networkPolicySummary(
  objects: ManifestObject[],
  main: DeploymentWorkloadFacts | undefined,
): DeploymentNetworkPolicySummary {
  const policies = ofKind(objects, 'NetworkPolicy').map(readPolicy);
  const sameNamespace = (p: Policy) =>
    !main || namespacesCompatible(p.object.namespace, main.namespace);
  const denyAll = (type: 'Ingress' | 'Egress') =>
    policies.some(
      p =>
        sameNamespace(p) &&
        isEmptySelector(p.podSelector) &&
        p.types.includes(type) &&
        (type === 'Ingress' ? p.ingress : p.egress).length === 0,
    );
  const applied = main
    ? policies.filter(
        p => sameNamespace(p) && selectorMatches(p.podSelector, main.podLabels),
      )
    : [];
  const restricted = (type: 'Ingress' | 'Egress') => {
    const isolating = applied.filter(p => p.types.includes(type));
    return (
      isolating.length > 0 &&
      !isolating.some(p =>
        (type === 'Ingress' ? p.ingress : p.egress).some(rule =>
          ruleAdmitsAll(rule, type === 'Ingress' ? 'from' : 'to'),
        ),
      )
    );
  };
  return {
    present: policies.length > 0,
    count: policies.length,
    selectsWorkload: applied.length > 0,
    defaultDeny: denyAll('Ingress'),
    defaultDenyEgress: denyAll('Egress'),
    ingressRestricted: restricted('Ingress'),
    egressRestricted: restricted('Egress'),
  };
}

// ---------------------------------------------------------------------------
// Rollout strategy.

function rolloutSummary(
  objects: ManifestObject[],
  main: DeploymentWorkloadFacts | undefined,
): DeploymentRolloutSummary {
  if (!main) {
    return {
      strategy: null,
      tool: null,
      maxSurge: null,
      maxUnavailable: null,
      analysis: false,
    };
  }
  const { strategy } = main;
  const base: DeploymentRolloutSummary = {
    strategy: null,
    tool: null,
    maxSurge: strategy.maxSurge,
    maxUnavailable: strategy.maxUnavailable,
    analysis: false,
  };
  if (main.kind === 'Rollout') {
    base.tool = 'argo-rollouts';
    if (strategy.blueGreen) {
      base.strategy = 'blue-green';
      base.analysis =
        strategy.blueGreen.prePromotionAnalysis ||
        strategy.blueGreen.postPromotionAnalysis;
    } else if (strategy.canary) {
      base.strategy = 'canary';
      base.analysis = strategy.canary.analysis;
    }
  } else {
    base.tool = main.kind === 'Deployment' ? 'deployment' : 'statefulset';
    if (strategy.type === 'RollingUpdate') base.strategy = 'rolling-update';
    if (strategy.type === 'Recreate') base.strategy = 'recreate';
  }
  // Flagger drives the Deployment's progressive delivery when a Canary targets it.
  const flagger = ofKind(objects, 'Canary', 'flagger.app').find(canary => {
    const target = asRecord(specOf(canary).targetRef);
    return workloadMatchesRef(
      main,
      asString(target?.kind),
      asString(target?.name),
      canary.namespace,
    );
  });
  if (flagger) {
    const analysis =
      asRecord(specOf(flagger).analysis) ??
      asRecord(specOf(flagger).canaryAnalysis) ??
      {};
    const weighted =
      analysis.stepWeight !== undefined ||
      analysis.stepWeights !== undefined ||
      analysis.maxWeight !== undefined;
    base.tool = 'flagger';
    base.strategy =
      !weighted && analysis.iterations !== undefined ? 'blue-green' : 'canary';
    base.analysis = true;
  }
  return base;
}

// ---------------------------------------------------------------------------
// Everything together.

function sumOf(values: Array<number | null>): number | null {
  const present = values.filter((v): v is number => v !== null);
  return present.length === 0 ? null : present.reduce((a, b) => a + b, 0);
}

/** Computes the summaries the readiness rules check, from the objects found. */
export function summarise(
  objects: ManifestObject[],
  workloads: Workload[],
  workloadName: string | undefined,
  problems: Problems,
): DeploymentSummaries {
  const kinds: Record<string, number> = {};
  const removedApis: DeploymentRemovedApi[] = [];
  for (const object of objects) {
    kinds[object.kind] = (kinds[object.kind] ?? 0) + 1;
    const removed = findRemovedApiVersion(object.apiVersion, object.kind);
    if (removed) {
      removedApis.push({
        path: object.path,
        document: object.document,
        kind: object.kind,
        name: object.name,
        apiVersion: removed.apiVersion,
        replacement: removed.replacement,
        removedIn: removed.removedIn,
        deprecatedIn: removed.deprecatedIn,
      });
    }
  }
  const workloadFacts = workloads.map(w => w.facts);

  const autoscalers = [
    ...ofKind(objects, 'HorizontalPodAutoscaler').map(hpaSummary),
    ...ofKind(objects, 'ScaledObject', 'keda.sh').map(scaledObjectSummary),
  ];
  for (const autoscaler of autoscalers) {
    autoscaler.summary.targetsWorkload = workloadFacts.some(w =>
      autoscalerTargets(autoscaler, w),
    );
  }
  const mainWorkload = chooseMainWorkload(workloads, autoscalers, workloadName);
  const main = mainWorkload?.facts;

  const autoscaler =
    (main && autoscalers.find(a => autoscalerTargets(a, main))) ??
    autoscalers[0];
  const hpa = autoscaler?.summary ?? null;

  const pdbs = ofKind(objects, 'PodDisruptionBudget').map(readPdb);
  const pdb = (main && pdbs.find(p => pdbSelects(p, main))) ?? pdbs[0];

  // Probes and resources of the main workload's containers.
  const containers = main?.containers ?? [];
  const every = (predicate: (c: (typeof containers)[number]) => boolean) =>
    containers.length > 0 && containers.every(predicate);
  const cpuRequestsSet = every(c => c.requests.cpuMillis !== null);
  const memoryRequestsSet = every(c => c.requests.memoryBytes !== null);
  const cpuLimitsSet = every(c => c.limits.cpuMillis !== null);
  const memoryLimitsSet = every(c => c.limits.memoryBytes !== null);

  // Every utilisation target needs a request of that resource in each container it measures.
  const hpaTarget =
    (autoscaler && workloadFacts.find(w => autoscalerTargets(autoscaler, w))) ??
    main;
  const utilisationTargetsHaveRequests = (hpa?.metrics ?? [])
    .filter(
      m =>
        (m.type === 'Resource' || m.type === 'ContainerResource') &&
        m.targetType === 'Utilization' &&
        (m.name === 'cpu' || m.name === 'memory'),
    )
    .every(metric => {
      const measured = (hpaTarget?.containers ?? []).filter(
        c => metric.type !== 'ContainerResource' || c.name === metric.container,
      );
      return (
        measured.length > 0 &&
        measured.every(c =>
          metric.name === 'cpu'
            ? c.requests.cpuMillis !== null
            : c.requests.memoryBytes !== null,
        )
      );
    });

  // Compression and CDN hints.
  const evidence = { compression: [] as string[], cdn: [] as string[] };
  const ingress = ingressSummary(objects, evidence);
  for (const config of ofKind(objects, 'ConfigMap')) {
    const data = stringMap(config.object.data);
    for (const key of ['use-gzip', 'enable-brotli']) {
      if (isTruthy(data[key])) {
        evidence.compression.push(`${ref(config)} ${key}`);
      }
    }
  }
  for (const middleware of ofKind(objects, 'Middleware')) {
    if (specOf(middleware).compress !== undefined) {
      evidence.compression.push(`${ref(middleware)} compress`);
    }
  }
  const backendPolicies = [
    ...ofKind(objects, 'BackendConfig'),
    ...ofKind(objects, 'GCPBackendPolicy'),
  ];
  let cloudArmor = false;
  for (const policy of backendPolicies) {
    const spec = specOf(policy);
    const settings = asRecord(spec.default) ?? spec;
    if (isTruthy(asRecord(settings.cdn)?.enabled)) {
      evidence.cdn.push(`${ref(policy)} cdn.enabled`);
    }
    if (
      asString(asRecord(settings.securityPolicy)?.name) ||
      asString(settings.securityPolicy)
    ) {
      cloudArmor = true;
    }
  }
  for (const object of [
    ...ofKind(objects, 'Ingress'),
    ...ofKind(objects, 'Service'),
  ]) {
    if (isTruthy(annotationsOf(object)[CLOUDFLARE_PROXIED])) {
      evidence.cdn.push(`${ref(object)} annotation ${CLOUDFLARE_PROXIED}`);
    }
  }
  if (cloudArmor) {
    ingress.waf = true;
  }

  // Services.
  const services = ofKind(objects, 'Service');
  const serviceSelector = (s: ManifestObject) => stringMap(specOf(s).selector);
  const serviceSelects = (s: ManifestObject, w: DeploymentWorkloadFacts) =>
    namespacesCompatible(s.namespace, w.namespace) &&
    mapSelectorMatches(serviceSelector(s), w.podLabels);
  const service: DeploymentServiceSummary = {
    present: services.length > 0,
    count: services.length,
    names: uniqueSorted(services.map(s => s.name ?? '(unnamed)')),
    types: uniqueSorted(
      services.map(s => asString(specOf(s).type) ?? 'ClusterIP'),
    ),
    selectsWorkload: main ? services.some(s => serviceSelects(s, main)) : false,
  };

  // Selectors and refs.
  const mismatches: string[] = [];
  if (workloadFacts.length === 0) {
    mismatches.push('no Deployment, StatefulSet or Rollout found');
  }
  for (const workload of workloads) {
    const facts = workload.facts;
    if (!facts.selectorMatchesPodLabels && !facts.templateFrom) {
      mismatches.push(
        `${ref(facts)}: spec.selector ${describeLabels(
          facts.selector,
        )} does not select its pod labels ${describeLabels(facts.podLabels)}`,
      );
    }
  }
  if (workloadFacts.length > 0) {
    for (const s of services) {
      const selector = serviceSelector(s);
      if (
        Object.keys(selector).length > 0 &&
        !workloadFacts.some(w => serviceSelects(s, w))
      ) {
        mismatches.push(
          `${ref(s)}: selector ${describeLabels(
            selector,
          )} matches no workload's pod labels`,
        );
      }
    }
    for (const a of autoscalers) {
      if (!a.summary.targetsWorkload) {
        const target = a.summary.scaleTargetRef;
        mismatches.push(
          `${a.summary.kind}/${a.summary.name ?? '(unnamed)'}: scaleTargetRef ${
            target.kind ?? '?'
          }/${target.name ?? '?'} is not a workload in the files`,
        );
      }
    }
    for (const p of pdbs) {
      if (!workloadFacts.some(w => pdbSelects(p, w))) {
        mismatches.push(
          `${ref(p.object)}: selector ${describeLabels(
            p.selector?.matchLabels ?? {},
          )} matches no workload's pod labels`,
        );
      }
    }
  }

  return {
    kinds,
    removedApis,
    workloads: workloadFacts,
    mainWorkload: main
      ? { kind: main.kind, name: main.name, path: main.path }
      : null,
    hpa,
    pdb: pdb
      ? pdbSummary(
          pdb,
          main,
          main && autoscaler && autoscalerTargets(autoscaler, main)
            ? hpa
            : null,
          problems,
        )
      : null,
    probes: {
      liveness: every(c => c.probes.liveness !== null),
      readiness: every(c => c.probes.readiness !== null),
      startup: every(c => c.probes.startup !== null),
    },
    resources: {
      requestsSet: cpuRequestsSet && memoryRequestsSet,
      limitsSet: cpuLimitsSet && memoryLimitsSet,
      cpuRequestsSet,
      memoryRequestsSet,
      cpuLimitsSet,
      memoryLimitsSet,
      cpuRequestMillis: sumOf(containers.map(c => c.requests.cpuMillis)),
      memoryRequestBytes: sumOf(containers.map(c => c.requests.memoryBytes)),
      cpuLimitMillis: sumOf(containers.map(c => c.limits.cpuMillis)),
      memoryLimitBytes: sumOf(containers.map(c => c.limits.memoryBytes)),
    },
    utilisationTargetsHaveRequests,
    ingress,
    networkPolicy: networkPolicySummary(objects, main),
    rollout: rolloutSummary(objects, main),
    zoneSpread: main?.spread.zone ?? false,
    selectorsMatch: mismatches.length === 0,
    selectorMismatches: mismatches,
    service,
    compression: {
      detected: evidence.compression.length > 0,
      evidence: uniqueSorted(evidence.compression),
    },
    cdn: {
      detected: evidence.cdn.length > 0,
      evidence: uniqueSorted(evidence.cdn),
    },
  } satisfies DeploymentSummaries;
}
