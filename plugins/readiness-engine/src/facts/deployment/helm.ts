import { posix } from 'path';
import type { HelmValuesFile, ManifestObject, Problems } from './readFiles';
import {
  asArray,
  asNumber,
  asRecord,
  asString,
  isTruthy,
  stringMap,
  UnknownRecord,
} from './util';

/**
 * Helm support without rendering charts: the common chart conventions of
 * `helm create` and the Bitnami charts are mapped onto the objects such a chart
 * would render (Deployment, Service, HPA, PDB, Ingress, NetworkPolicy), so the
 * same summaries apply to values.yaml and to plain manifests.
 */

function isPlainObject(value: unknown): value is UnknownRecord {
  return asRecord(value) !== undefined;
}

/** Deep merge like Helm's: maps merge, anything else replaces, null deletes. */
export function mergeHelmValues(
  base: UnknownRecord,
  overlay: UnknownRecord,
): UnknownRecord {
  const result: UnknownRecord = { ...base };
  for (const [key, value] of Object.entries(overlay)) {
    if (value === null) {
      delete result[key];
    } else if (isPlainObject(value) && isPlainObject(result[key])) {
      result[key] = mergeHelmValues(result[key] as UnknownRecord, value);
    } else {
      result[key] = value;
    }
  }
  return result;
}

/** `enabled: true` (or Bitnami's `create: true`); a block with neither key counts as enabled when `whenAbsent`. */
function enabled(
  block: UnknownRecord | undefined,
  whenAbsent = false,
): boolean {
  if (!block) {
    return false;
  }
  if ('enabled' in block) {
    return isTruthy(block.enabled);
  }
  if ('create' in block) {
    return isTruthy(block.create);
  }
  return whenAbsent;
}

/** A probe block: `helm create` style (the probe itself) or Bitnami style (`enabled` + tuning, or `custom*Probe`). */
function probe(values: UnknownRecord, name: string): UnknownRecord | undefined {
  const custom = asRecord(
    values[`custom${name[0].toUpperCase()}${name.slice(1)}`],
  );
  if (custom && Object.keys(custom).length > 0) {
    return custom;
  }
  const block = asRecord(values[name]);
  if (!block || Object.keys(block).length === 0) {
    return undefined;
  }
  if ('enabled' in block && !isTruthy(block.enabled)) {
    return undefined;
  }
  const { enabled: _enabled, ...rest } = block;
  return rest;
}

function utilisationMetric(name: string, target: unknown) {
  const value = asNumber(target);
  return value === null
    ? []
    : [
        {
          type: 'Resource',
          resource: {
            name,
            target: { type: 'Utilization', averageUtilization: value },
          },
        },
      ];
}

function ingressHosts(ingress: UnknownRecord): string[] {
  const hosts: string[] = [];
  const hostname = asString(ingress.hostname);
  if (hostname) {
    hosts.push(hostname);
  }
  for (const entry of [
    ...asArray(ingress.hosts),
    ...asArray(ingress.extraHosts),
  ]) {
    const host =
      typeof entry === 'string'
        ? entry
        : asString(asRecord(entry)?.host) ?? asString(asRecord(entry)?.name);
    if (host) {
      hosts.push(host);
    }
  }
  return hosts;
}

function ingressTls(ingress: UnknownRecord, hosts: string[]): unknown[] {
  const tls = [...asArray(ingress.tls), ...asArray(ingress.extraTls)].filter(
    entry => asRecord(entry) !== undefined,
  );
  // Bitnami: `tls: true` (or `selfSigned`) secures `hostname`.
  if (ingress.tls === true || isTruthy(ingress.selfSigned)) {
    const hostname = asString(ingress.hostname) ?? hosts[0];
    if (hostname) {
      tls.push({ hosts: [hostname] });
    }
  }
  return tls;
}

/** Maps the merged values of one chart onto the objects it would render. */
export function helmObjects(
  values: UnknownRecord,
  path: string,
  fallbackName: string,
): ManifestObject[] {
  const name =
    asString(values.fullnameOverride) ??
    asString(values.nameOverride) ??
    fallbackName;
  const selectorLabels = { 'app.kubernetes.io/name': name };
  const podLabels = {
    ...stringMap(values.commonLabels),
    ...stringMap(values.podLabels),
    ...selectorLabels,
  };
  const objects: ManifestObject[] = [];
  const add = (kind: string, apiVersion: string, spec: UnknownRecord) => {
    objects.push({
      object: { apiVersion, kind, metadata: { name }, spec },
      kind,
      apiVersion,
      name,
      namespace: null,
      path,
      document: 1,
    });
  };

  const image = asRecord(values.image);
  const container: UnknownRecord = {
    name,
    image:
      image && asString(image.repository)
        ? `${image.repository}${image.tag !== undefined ? `:${image.tag}` : ''}`
        : asString(values.image) ?? undefined,
    resources: asRecord(values.resources) ?? {},
  };
  for (const probeName of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const block = probe(values, probeName);
    if (block) {
      container[probeName] = block;
    }
  }
  const podSpec: UnknownRecord = { containers: [container] };
  if (Array.isArray(values.topologySpreadConstraints)) {
    podSpec.topologySpreadConstraints = values.topologySpreadConstraints;
  }
  if (asRecord(values.affinity)) {
    podSpec.affinity = values.affinity;
  }
  const deploymentSpec: UnknownRecord = {
    selector: { matchLabels: selectorLabels },
    template: { metadata: { labels: podLabels }, spec: podSpec },
  };
  const replicas = asNumber(values.replicaCount);
  if (replicas !== null) {
    deploymentSpec.replicas = replicas;
  }
  const strategy = asRecord(values.strategy) ?? asRecord(values.updateStrategy);
  if (strategy) {
    deploymentSpec.strategy = strategy;
  }
  add('Deployment', 'apps/v1', deploymentSpec);

  const service = asRecord(values.service);
  if (service && service.enabled !== false) {
    add('Service', 'v1', {
      type: asString(service.type) ?? 'ClusterIP',
      selector: selectorLabels,
    });
  }

  const autoscaling = asRecord(values.autoscaling);
  const hpa =
    [asRecord(autoscaling?.hpa), autoscaling, asRecord(values.hpa)].find(
      block => enabled(block),
    ) ?? undefined;
  if (hpa) {
    const spec: UnknownRecord = {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name },
      metrics: [
        ...utilisationMetric(
          'cpu',
          hpa.targetCPUUtilizationPercentage ??
            hpa.targetCPU ??
            hpa.targetCPUUtilization,
        ),
        ...utilisationMetric(
          'memory',
          hpa.targetMemoryUtilizationPercentage ??
            hpa.targetMemory ??
            hpa.targetMemoryUtilization,
        ),
      ],
    };
    if (hpa.minReplicas !== undefined) spec.minReplicas = hpa.minReplicas;
    if (hpa.maxReplicas !== undefined) spec.maxReplicas = hpa.maxReplicas;
    if (asRecord(hpa.behavior)) spec.behavior = hpa.behavior;
    add('HorizontalPodAutoscaler', 'autoscaling/v2', spec);
  }

  const pdb = [asRecord(values.podDisruptionBudget), asRecord(values.pdb)].find(
    block =>
      enabled(
        block,
        block !== undefined &&
          (block.minAvailable !== undefined ||
            block.maxUnavailable !== undefined),
      ),
  );
  if (pdb) {
    const spec: UnknownRecord = { selector: { matchLabels: selectorLabels } };
    if (pdb.minAvailable !== undefined && pdb.minAvailable !== '') {
      spec.minAvailable = pdb.minAvailable;
    }
    if (pdb.maxUnavailable !== undefined && pdb.maxUnavailable !== '') {
      spec.maxUnavailable = pdb.maxUnavailable;
    }
    add('PodDisruptionBudget', 'policy/v1', spec);
  }

  const ingress = asRecord(values.ingress);
  if (ingress && enabled(ingress)) {
    const hosts = ingressHosts(ingress);
    objects.push({
      object: {
        apiVersion: 'networking.k8s.io/v1',
        kind: 'Ingress',
        metadata: {
          name,
          annotations: stringMap(ingress.annotations),
        },
        spec: {
          ingressClassName:
            asString(ingress.className) ?? asString(ingress.ingressClassName),
          rules: hosts.map(host => ({ host })),
          tls: ingressTls(ingress, hosts),
        },
      },
      kind: 'Ingress',
      apiVersion: 'networking.k8s.io/v1',
      name,
      namespace: null,
      path,
      document: 1,
    });
  }

  const networkPolicy = asRecord(values.networkPolicy);
  if (networkPolicy && enabled(networkPolicy)) {
    const ingressRules = [
      ...asArray(networkPolicy.ingress),
      ...asArray(networkPolicy.ingressRules),
      ...asArray(networkPolicy.extraIngress),
    ];
    // Bitnami: `allowExternal: true` admits every client.
    if (isTruthy(networkPolicy.allowExternal)) {
      ingressRules.push({});
    }
    const egressRules = [
      ...asArray(networkPolicy.egress),
      ...asArray(networkPolicy.extraEgress),
    ];
    const policyTypes = ['Ingress'];
    if (egressRules.length > 0 || networkPolicy.allowExternalEgress === false) {
      policyTypes.push('Egress');
    }
    add('NetworkPolicy', 'networking.k8s.io/v1', {
      podSelector: { matchLabels: selectorLabels },
      policyTypes,
      ingress: ingressRules,
      egress: egressRules,
    });
  }
  return objects;
}

/**
 * Merges the values files of the shallowest chart (its `values.yaml`, then
 * `values-*.yaml` overlays in path order) and maps them onto objects.
 */
export function objectsFromHelmValues(
  files: HelmValuesFile[],
  chartNames: Record<string, string>,
  fallbackName: string | undefined,
  problems: Problems,
): ManifestObject[] {
  if (files.length === 0) {
    return [];
  }
  const depth = (path: string) => path.split('/').length;
  const isBase = (path: string) =>
    /^values\.ya?ml$/i.test(posix.basename(path));
  const base =
    [...files]
      .filter(f => isBase(f.path))
      .sort((a, b) => depth(a.path) - depth(b.path))[0] ??
    [...files].sort((a, b) => depth(a.path) - depth(b.path))[0];
  const dir = posix.dirname(base.path);
  const used = files
    .filter(f => posix.dirname(f.path) === dir)
    .sort((a, b) => {
      if (isBase(a.path) !== isBase(b.path)) return isBase(a.path) ? -1 : 1;
      return a.path < b.path ? -1 : 1;
    });
  for (const file of files) {
    if (!used.includes(file)) {
      problems.note(
        file.path,
        `Helm values of another chart; only ${
          dir === '.' ? 'the top-level' : dir
        } values are read`,
      );
    }
  }
  const values = used.reduce<UnknownRecord>(
    (merged, file) => mergeHelmValues(merged, file.values),
    {},
  );
  const name =
    chartNames[dir] ??
    fallbackName ??
    (dir === '.' ? 'release' : posix.basename(dir));
  const path = used.map(f => f.path).join(' + ');
  problems.note(
    path,
    'Helm values mapped with common chart conventions (the chart is not rendered)',
  );
  return helmObjects(values, used[0].path, name);
}
