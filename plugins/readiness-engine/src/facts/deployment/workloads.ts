import {
  parseCpuQuantity,
  parseMemoryQuantity,
  quantityText,
} from './quantity';
import type { ManifestObject, Problems } from './readFiles';
import type {
  DeploymentContainerFacts,
  DeploymentProbeType,
  DeploymentResourceQuantities,
  DeploymentSpreadFacts,
  DeploymentStrategyFacts,
  DeploymentWorkloadFacts,
} from './types';
import {
  asArray,
  asIntOrString,
  asNumber,
  asRecord,
  asString,
  selectorMatches,
  stringMap,
  toLabelSelector,
  uniqueSorted,
  UnknownRecord,
} from './util';

/** A workload with what the summaries need beyond its public facts. */
export type Workload = {
  facts: DeploymentWorkloadFacts;
  /** Only provides the pod template of a Rollout (`workloadRef`); never the main workload. */
  templateOnly: boolean;
  object: ManifestObject;
};

const ZONE_KEYS = new Set([
  'topology.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/zone',
  'topology.gke.io/zone',
]);
const HOSTNAME_KEY = 'kubernetes.io/hostname';
/**
 * API versions (no longer served) in which an omitted `spec.selector`
 * defaults to the pod template's labels; apps/v1beta2 and apps/v1 require it.
 */
const SELECTOR_DEFAULTED = new Set(['extensions/v1beta1', 'apps/v1beta1']);

export function isArgoRollout(object: ManifestObject): boolean {
  return (
    object.kind === 'Rollout' &&
    (object.apiVersion === null || object.apiVersion.startsWith('argoproj.io/'))
  );
}

function workloadKind(
  object: ManifestObject,
): DeploymentWorkloadFacts['kind'] | null {
  if (object.kind === 'Deployment' || object.kind === 'StatefulSet') {
    return object.kind;
  }
  return isArgoRollout(object) ? 'Rollout' : null;
}

export function probeType(value: unknown): DeploymentProbeType | null {
  const probe = asRecord(value);
  if (!probe) {
    return null;
  }
  if (asRecord(probe.httpGet)) return 'http';
  if (asRecord(probe.tcpSocket)) return 'tcp';
  if (asRecord(probe.exec)) return 'exec';
  if (asRecord(probe.grpc)) return 'grpc';
  return 'unknown';
}

function quantities(
  value: unknown,
  where: string,
  object: ManifestObject,
  problems: Problems,
): DeploymentResourceQuantities {
  const record = asRecord(value) ?? {};
  const result: DeploymentResourceQuantities = {
    cpu: null,
    cpuMillis: null,
    memory: null,
    memoryBytes: null,
  };
  if (record.cpu !== undefined && record.cpu !== null) {
    const parsed = parseCpuQuantity(record.cpu);
    result.cpu = quantityText(record.cpu) ?? String(record.cpu);
    if (parsed.ok) {
      result.cpuMillis = parsed.value;
    } else {
      problems.error(
        object.path,
        object.document,
        `${where}.cpu: ${parsed.error}`,
      );
    }
  }
  if (record.memory !== undefined && record.memory !== null) {
    const parsed = parseMemoryQuantity(record.memory);
    result.memory = quantityText(record.memory) ?? String(record.memory);
    if (parsed.ok) {
      result.memoryBytes = parsed.value;
    } else {
      problems.error(
        object.path,
        object.document,
        `${where}.memory: ${parsed.error}`,
      );
    }
  }
  return result;
}

function containerFacts(
  value: unknown,
  index: number,
  label: string,
  object: ManifestObject,
  problems: Problems,
): DeploymentContainerFacts {
  const container = asRecord(value) ?? {};
  const name = asString(container.name);
  const where = `${label} container ${name ?? `#${index + 1}`}`;
  const resources = asRecord(container.resources) ?? {};
  return {
    name,
    image: asString(container.image),
    requests: quantities(
      resources.requests,
      `${where} requests`,
      object,
      problems,
    ),
    limits: quantities(resources.limits, `${where} limits`, object, problems),
    probes: {
      liveness: probeType(container.livenessProbe),
      readiness: probeType(container.readinessProbe),
      startup: probeType(container.startupProbe),
    },
  };
}

export function spreadFacts(podSpec: UnknownRecord): DeploymentSpreadFacts {
  const keys: string[] = [];
  let zone = false;
  let zoneRequired = false;
  let hostname = false;
  const consider = (key: string | null, required: boolean) => {
    if (!key) return;
    keys.push(key);
    if (ZONE_KEYS.has(key)) {
      zone = true;
      zoneRequired = zoneRequired || required;
    }
    if (key === HOSTNAME_KEY) {
      hostname = true;
    }
  };
  for (const entry of asArray(podSpec.topologySpreadConstraints)) {
    const constraint = asRecord(entry);
    consider(
      asString(constraint?.topologyKey),
      (asString(constraint?.whenUnsatisfiable) ?? 'DoNotSchedule') ===
        'DoNotSchedule',
    );
  }
  const antiAffinity = asRecord(asRecord(podSpec.affinity)?.podAntiAffinity);
  for (const entry of asArray(
    antiAffinity?.requiredDuringSchedulingIgnoredDuringExecution,
  )) {
    consider(asString(asRecord(entry)?.topologyKey), true);
  }
  for (const entry of asArray(
    antiAffinity?.preferredDuringSchedulingIgnoredDuringExecution,
  )) {
    consider(
      asString(asRecord(asRecord(entry)?.podAffinityTerm)?.topologyKey),
      false,
    );
  }
  return { zone, zoneRequired, hostname, topologyKeys: uniqueSorted(keys) };
}

function rolloutStrategy(spec: UnknownRecord): DeploymentStrategyFacts {
  const strategy = asRecord(spec.strategy) ?? {};
  const blueGreen = asRecord(strategy.blueGreen);
  const canary = asRecord(strategy.canary);
  if (blueGreen) {
    return {
      type: 'BlueGreen',
      declared: true,
      maxSurge: null,
      maxUnavailable: null,
      blueGreen: {
        activeService: asString(blueGreen.activeService),
        previewService: asString(blueGreen.previewService),
        autoPromotionEnabled: blueGreen.autoPromotionEnabled !== false,
        prePromotionAnalysis:
          asRecord(blueGreen.prePromotionAnalysis) !== undefined,
        postPromotionAnalysis:
          asRecord(blueGreen.postPromotionAnalysis) !== undefined,
        scaleDownDelaySeconds: asNumber(blueGreen.scaleDownDelaySeconds),
      },
      canary: null,
    };
  }
  if (canary) {
    const steps = asArray(canary.steps);
    const trafficRouting = asRecord(canary.trafficRouting);
    const router = trafficRouting
      ? Object.keys(trafficRouting).find(
          key => key !== 'managedRoutes' && key !== 'maxTrafficWeight',
        ) ?? null
      : null;
    return {
      type: 'Canary',
      declared: true,
      maxSurge: asIntOrString(canary.maxSurge),
      maxUnavailable: asIntOrString(canary.maxUnavailable),
      blueGreen: null,
      canary: {
        steps: steps.length,
        trafficRouting: router,
        analysis:
          asRecord(canary.analysis) !== undefined ||
          steps.some(step => asRecord(asRecord(step)?.analysis) !== undefined),
        stableService: asString(canary.stableService),
        canaryService: asString(canary.canaryService),
      },
    };
  }
  return {
    type: null,
    declared: false,
    maxSurge: null,
    maxUnavailable: null,
    blueGreen: null,
    canary: null,
  };
}

function updateStrategy(
  kind: DeploymentWorkloadFacts['kind'],
  spec: UnknownRecord,
): DeploymentStrategyFacts {
  if (kind === 'Rollout') {
    return rolloutStrategy(spec);
  }
  const field = kind === 'Deployment' ? 'strategy' : 'updateStrategy';
  const strategy = asRecord(spec[field]);
  const type = asString(strategy?.type) ?? 'RollingUpdate';
  const rollingUpdate = asRecord(strategy?.rollingUpdate);
  return {
    type,
    declared: strategy !== undefined,
    maxSurge:
      type === 'RollingUpdate' ? asIntOrString(rollingUpdate?.maxSurge) : null,
    maxUnavailable:
      type === 'RollingUpdate'
        ? asIntOrString(rollingUpdate?.maxUnavailable)
        : null,
    blueGreen: null,
    canary: null,
  };
}

/** Deployments, StatefulSets and Argo Rollouts, with their containers normalised. */
export function extractWorkloads(
  objects: ManifestObject[],
  problems: Problems,
): Workload[] {
  const templateSources = new Set<ManifestObject>();
  const workloads: Workload[] = [];
  for (const object of objects) {
    const kind = workloadKind(object);
    if (!kind) {
      continue;
    }
    const label = `${kind} ${object.name ?? '(unnamed)'}`;
    const spec = asRecord(object.object.spec) ?? {};
    let templateSpec = spec;
    let templateFrom: string | null = null;

    const workloadRef = asRecord(spec.workloadRef);
    if (kind === 'Rollout' && workloadRef && !asRecord(spec.template)) {
      const refKind = asString(workloadRef.kind) ?? 'Deployment';
      const refName = asString(workloadRef.name);
      templateFrom = `${refKind}/${refName ?? ''}`;
      const source = objects.find(
        candidate =>
          candidate.kind === refKind &&
          candidate.name === refName &&
          (candidate.namespace === null ||
            object.namespace === null ||
            candidate.namespace === object.namespace),
      );
      if (source) {
        templateSources.add(source);
        templateSpec = asRecord(source.object.spec) ?? {};
      } else {
        problems.error(
          object.path,
          object.document,
          `${label}: workloadRef ${templateFrom} is not in the files`,
        );
      }
    }

    const template = asRecord(templateSpec.template);
    const podSpec = asRecord(template?.spec) ?? {};
    const podLabels = stringMap(asRecord(template?.metadata)?.labels);
    const selector =
      templateSpec.selector === undefined &&
      SELECTOR_DEFAULTED.has(object.apiVersion ?? '')
        ? { matchLabels: podLabels, matchExpressions: [] }
        : toLabelSelector(templateSpec.selector);
    const containers = asArray(podSpec.containers);
    if (!template) {
      if (!templateFrom) {
        problems.error(
          object.path,
          object.document,
          `${label} has no pod template (spec.template)`,
        );
      }
    } else if (containers.length === 0) {
      problems.error(
        object.path,
        object.document,
        `${label} has no containers (spec.template.spec.containers)`,
      );
    }

    workloads.push({
      object,
      templateOnly: false,
      facts: {
        kind,
        apiVersion: object.apiVersion,
        name: object.name,
        namespace: object.namespace,
        path: object.path,
        replicas: asNumber(spec.replicas),
        strategy: updateStrategy(kind, spec),
        podLabels,
        selector: selector?.matchLabels ?? {},
        selectorMatchesPodLabels:
          selector !== null &&
          Object.keys(podLabels).length > 0 &&
          selectorMatches(selector, podLabels),
        containers: containers.map((container, i) =>
          containerFacts(container, i, label, object, problems),
        ),
        spread: spreadFacts(podSpec),
        templateFrom,
      },
    });
  }
  for (const workload of workloads) {
    workload.templateOnly = templateSources.has(workload.object);
  }
  return workloads;
}
