import { Deployment } from 'kubernetes-models/apps/v1/Deployment';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler';
import { CronJob } from 'kubernetes-models/batch/v1/CronJob';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1/Ingress';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1/NetworkPolicy';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1/PodDisruptionBudget';
import { PersistentVolumeClaim } from 'kubernetes-models/v1/PersistentVolumeClaim';
import { Service } from 'kubernetes-models/v1/Service';
import { AnalysisTemplate } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/AnalysisTemplate';
import { Rollout } from '@kubernetes-models/argo-rollouts/argoproj.io/v1alpha1/Rollout';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { checkBackupScheduleMeetsRpo } from '@prodready/plugin-readiness-common';
import { parseCronCached } from './cron';
import type { Manifest } from './manifests';
import { cpuMillicores, memoryBytes } from './quantity';

/**
 * A `kubernetes-models` class: constructed from an object, it validates it
 * against the Kubernetes schema of its kind.
 *
 * @public
 */
export type ModelClass = {
  new (data?: any): { validate(): void };
  prototype: { validate(): void };
};

/** The models every generated object is validated with, by `apiVersion/kind`. */
const MODELS: Record<string, ModelClass> = {
  'apps/v1/Deployment': Deployment,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/Ingress': Ingress,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
  'batch/v1/CronJob': CronJob,
  'argoproj.io/v1alpha1/Rollout': Rollout,
  'argoproj.io/v1alpha1/AnalysisTemplate': AnalysisTemplate,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

type SchemaError = { instancePath?: string };
type UnknownRecord = Record<string, unknown>;

/** `Kind/name`, for messages. */
export function refOf(object: Manifest): string {
  return `${object.kind}/${object.metadata?.name ?? '(unnamed)'}`;
}

function asRecord(value: unknown): UnknownRecord | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as UnknownRecord)
    : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** Runs `fn` without capturing stack traces: the models throw an error per failed validation. */
function withoutStackTraces<T>(fn: () => T): T {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return fn();
  } finally {
    Error.stackTraceLimit = limit;
  }
}

function schemaErrors(model: ModelClass, data: UnknownRecord): SchemaError[] {
  // Validate as an instance of the model (older models read their schema id
  // from the prototype) without copying the data.
  const instance = Object.assign(Object.create(model.prototype), data);
  return withoutStackTraces(() => {
    try {
      instance.validate();
      return [];
    } catch (error) {
      const errors = (error as { errors?: SchemaError[] }).errors;
      return Array.isArray(errors) ? errors : [{ instancePath: '' }];
    }
  });
}

function pointerSegment(key: string): string {
  return key.replace(/~/g, '~0').replace(/\//g, '~1');
}

function displayKey(path: string, key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key)
    ? `${path ? `${path}.` : ''}${key}`
    : `${path}['${key}']`;
}

/** A value of no JSON type: every typed schema rejects it. */
const PROBE = Symbol('probe');

/** A copy with every leaf (and every empty object or array) replaced by {@link PROBE}. */
function probeCopy(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.length === 0 ? PROBE : value.map(probeCopy);
  }
  const record = asRecord(value);
  if (record) {
    const keys = Object.keys(record);
    if (keys.length === 0) {
      return PROBE;
    }
    const copy: UnknownRecord = {};
    for (const key of keys) {
      copy[key] = probeCopy(record[key]);
    }
    return copy;
  }
  return PROBE;
}

/** What the schema says about a field: described, free-form (described, contents unchecked) or unknown. */
type FieldState = 'described' | 'free-form' | 'unknown';

/**
 * Field states per model and field path (array indices as `[]`): whether a
 * field is described depends only on where it is, not on its value, so each
 * path is probed once per process.
 */
const fieldStates = new WeakMap<ModelClass, Map<string, FieldState>>();

type FieldVisit = {
  /** Display path, such as `spec.template.spec.containers[0].image`. */
  path: string;
  /** JSON pointer in this object. */
  pointer: string;
  /** Path with array indices as `[]`, the key of {@link fieldStates}. */
  shape: string;
  parent: UnknownRecord;
  key: string;
};

/** Visits every field, descending only into fields `descend` allows. */
function visitFields(
  root: UnknownRecord,
  descend: (visit: FieldVisit) => boolean,
) {
  const walk = (
    node: unknown,
    pointer: string,
    shape: string,
    path: string,
  ) => {
    if (Array.isArray(node)) {
      node.forEach((item, i) =>
        walk(item, `${pointer}/${i}`, `${shape}/[]`, `${path}[${i}]`),
      );
      return;
    }
    const record = asRecord(node);
    if (!record) {
      return;
    }
    for (const key of Object.keys(record)) {
      const segment = pointerSegment(key);
      const visit: FieldVisit = {
        path: displayKey(path, key),
        pointer: `${pointer}/${segment}`,
        shape: `${shape}/${segment}`,
        parent: record,
        key,
      };
      if (descend(visit)) {
        walk(record[key], visit.pointer, visit.shape, visit.path);
      }
    }
  };
  walk(root, '', '', '');
}

/** Probes the schema for the fields of one object, and records their states. */
function probeFields(
  model: ModelClass,
  root: Manifest,
  states: Map<string, FieldState>,
) {
  const probe = probeCopy(root) as UnknownRecord;
  // Keep the type fields, so that the schema is chosen as usual.
  probe.apiVersion = root.apiVersion;
  probe.kind = root.kind;
  const described = new Set<string>(['/apiVersion', '/kind']);
  const errorPaths = new Set(
    schemaErrors(model, probe).map(e => e.instancePath ?? ''),
  );
  for (const errorPath of errorPaths) {
    // Every ancestor of a reported path is described too.
    for (
      let slash = errorPath.indexOf('/', 1);
      slash !== -1;
      slash = errorPath.indexOf('/', slash + 1)
    ) {
      described.add(errorPath.slice(0, slash));
    }
    described.add(errorPath);
  }
  // Walk the probe copy, so that a field can be replaced in place.
  visitFields(probe, visit => {
    if (described.has(visit.pointer)) {
      states.set(visit.shape, 'described');
      return true;
    }
    // A field whose schema is a bare object (free-form) reports nothing for
    // its leaves; it is described if the schema rejects a value of no type.
    const saved = visit.parent[visit.key];
    visit.parent[visit.key] = PROBE;
    const errors = schemaErrors(model, probe);
    visit.parent[visit.key] = saved;
    states.set(
      visit.shape,
      errors.some(e => e.instancePath === visit.pointer)
        ? 'free-form'
        : 'unknown',
    );
    return false;
  });
}

/**
 * Finds fields the model's schema does not know. `kubernetes-models` accepts
 * unknown fields (its schemas allow additional properties), so a typo such
 * as `livenesProbe` would pass. The object is validated once more with every
 * leaf replaced by a value of no JSON type: the schema then reports an error
 * under every field it describes, and none under a field it does not know.
 * Results are remembered per field path, so only new paths are probed.
 *
 * @public
 */
export function findUnknownFields(model: ModelClass, root: Manifest): string[] {
  let states = fieldStates.get(model);
  if (!states) {
    states = new Map();
    fieldStates.set(model, states);
  }
  const known = states;
  let complete = true;
  visitFields(root, visit => {
    const state = known.get(visit.shape);
    if (state === undefined) {
      complete = false;
    }
    return state === 'described';
  });
  if (!complete) {
    probeFields(model, root, known);
  }
  const unknown: string[] = [];
  visitFields(root, visit => {
    const state = known.get(visit.shape);
    if (state === 'unknown') {
      unknown.push(visit.path);
    }
    return state === 'described';
  });
  return unknown;
}

/**
 * Validates one object against its `kubernetes-models` schema, then checks
 * for unknown fields. Returns one message per problem.
 *
 * @public
 */
export function validateManifestSchema(object: Manifest): string[] {
  const Model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (!Model) {
    return [
      `${refOf(object)}: no schema for ${object.apiVersion} ${object.kind}`,
    ];
  }
  if (schemaErrors(Model, object).length > 0) {
    // Validate again through the model, for its message.
    try {
      new Model(object).validate();
    } catch (error) {
      return [`${refOf(object)}: ${(error as Error).message}`];
    }
  }
  return findUnknownFields(Model, object).map(
    field => `${refOf(object)}: unknown field ${field}`,
  );
}

// ---------------------------------------------------------------------------
// Semantic checks.

function matchLabelsOf(selector: unknown): Record<string, string> {
  return (asRecord(asRecord(selector)?.matchLabels) ?? {}) as Record<
    string,
    string
  >;
}

function selects(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector);
  return entries.length > 0 && entries.every(([k, v]) => labels[k] === v);
}

function describe(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ')}}`;
}

type PodSpecOwner = {
  object: Manifest;
  labels: Record<string, string>;
  podSpec: UnknownRecord;
};

function podTemplateOf(object: Manifest): UnknownRecord | undefined {
  const spec = asRecord(object.spec);
  if (object.kind === 'CronJob') {
    return asRecord(asRecord(asRecord(spec?.jobTemplate)?.spec)?.template);
  }
  return asRecord(spec?.template);
}

const NAME_LIMITS: Record<string, number> = {
  CronJob: 52,
  Service: 63,
};

/**
 * Options of {@link checkManifestSemantics}.
 *
 * @public
 */
export interface SemanticCheckOptions {
  /** The RPO every backup schedule must meet, milliseconds. */
  rpoMs?: number;
}

/**
 * The semantic checks of the design: the HPA's minimum is at most its
 * maximum; the PodDisruptionBudget leaves room to drain and keeps a pod
 * serving; every selector matches the pod labels it is meant to; every
 * utilisation target has a request; requests do not exceed limits; named
 * ports exist; references (Services, analysis templates, claims) resolve;
 * backups meet the RPO. Returns one message per problem.
 *
 * @public
 */
export function checkManifestSemantics(
  objects: ReadonlyArray<Manifest>,
  options: SemanticCheckOptions = {},
): string[] {
  const problems: string[] = [];
  const problem = (object: Manifest, message: string) =>
    problems.push(`${refOf(object)}: ${message}`);
  const byKind = (kind: string) => objects.filter(o => o.kind === kind);
  const names = (kind: string) =>
    new Set(byKind(kind).map(o => o.metadata.name));

  for (const object of objects) {
    const limit = NAME_LIMITS[object.kind] ?? 253;
    if (object.metadata.name.length > limit) {
      problem(
        object,
        `the name is ${object.metadata.name.length} characters long; a ${object.kind} name may have at most ${limit}`,
      );
    }
  }

  // Pod specs: workloads and CronJobs.
  const workloads = objects.filter(
    o => o.kind === 'Deployment' || o.kind === 'Rollout',
  );
  const owners: PodSpecOwner[] = [];
  for (const object of [...workloads, ...byKind('CronJob')]) {
    const template = podTemplateOf(object);
    const labels = (asRecord(asRecord(template?.metadata)?.labels) ??
      {}) as Record<string, string>;
    owners.push({ object, labels, podSpec: asRecord(template?.spec) ?? {} });
  }
  for (const workload of workloads) {
    const owner = owners.find(o => o.object === workload)!;
    const selector = matchLabelsOf(asRecord(workload.spec)?.selector);
    if (!selects(selector, owner.labels)) {
      problem(
        workload,
        `spec.selector ${describe(
          selector,
        )} does not select the pod labels ${describe(owner.labels)}`,
      );
    }
    for (const constraint of asArray(owner.podSpec.topologySpreadConstraints)) {
      const spread = matchLabelsOf(asRecord(constraint)?.labelSelector);
      if (!selects(spread, owner.labels)) {
        problem(
          workload,
          `the topology spread selector ${describe(
            spread,
          )} does not select the pod labels`,
        );
      }
    }
  }
  const podLabelSets = owners
    .filter(o => workloads.includes(o.object))
    .map(o => o.labels);
  const selectsPods = (selector: Record<string, string>) =>
    podLabelSets.some(labels => selects(selector, labels));

  // Containers: requests within limits, named probe ports exist.
  for (const owner of owners) {
    asArray(owner.podSpec.containers).forEach((entry, i) => {
      const container = asRecord(entry) ?? {};
      const label = `container ${String(container.name ?? i)}`;
      const resources = asRecord(container.resources) ?? {};
      const requests = asRecord(resources.requests) ?? {};
      const limits = asRecord(resources.limits) ?? {};
      const compare = (
        resource: 'cpu' | 'memory',
        parse: (q: string) => number | undefined,
      ) => {
        const request = requests[resource];
        const limit = limits[resource];
        if (typeof request === 'string' && typeof limit === 'string') {
          const r = parse(request);
          const l = parse(limit);
          if (r !== undefined && l !== undefined && r > l) {
            problem(
              owner.object,
              `${label} requests ${resource} ${request}, more than its limit ${limit}`,
            );
          }
        }
      };
      compare('cpu', cpuMillicores);
      compare('memory', memoryBytes);
      const portNames = new Set(
        asArray(container.ports).map(p => asRecord(p)?.name),
      );
      for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
        const port = asRecord(asRecord(container[probe])?.httpGet)?.port;
        if (typeof port === 'string' && !portNames.has(port)) {
          problem(
            owner.object,
            `${label} ${probe} uses port '${port}', which the container does not declare`,
          );
        }
      }
    });
  }

  // Services select the pods and target declared ports.
  const containerPortNames = new Set(
    owners
      .filter(o => workloads.includes(o.object))
      .flatMap(o =>
        asArray(o.podSpec.containers).flatMap(c =>
          asArray(asRecord(c)?.ports).map(p => asRecord(p)?.name),
        ),
      ),
  );
  for (const service of byKind('Service')) {
    const spec = asRecord(service.spec) ?? {};
    const selector = (asRecord(spec.selector) ?? {}) as Record<string, string>;
    if (!selectsPods(selector)) {
      problem(
        service,
        `spec.selector ${describe(selector)} selects no workload's pods`,
      );
    }
    for (const port of asArray(spec.ports)) {
      const target = asRecord(port)?.targetPort;
      if (typeof target === 'string' && !containerPortNames.has(target)) {
        problem(service, `targetPort '${target}' is not a container port`);
      }
    }
  }

  // Autoscalers: target the workload, min ≤ max, utilisation targets have requests.
  for (const hpa of byKind('HorizontalPodAutoscaler')) {
    const spec = asRecord(hpa.spec) ?? {};
    const ref = asRecord(spec.scaleTargetRef) ?? {};
    const target = workloads.find(
      w =>
        w.kind === ref.kind &&
        w.metadata.name === ref.name &&
        w.apiVersion === ref.apiVersion,
    );
    if (!target) {
      problem(
        hpa,
        `scaleTargetRef ${String(ref.apiVersion)} ${String(ref.kind)}/${String(
          ref.name,
        )} is not a workload of the service`,
      );
    }
    const min = typeof spec.minReplicas === 'number' ? spec.minReplicas : 1;
    const max = spec.maxReplicas as number;
    if (min > max) {
      problem(hpa, `minReplicas ${min} is more than maxReplicas ${max}`);
    }
    if (min < 2) {
      problem(
        hpa,
        `minReplicas ${min} leaves a single pod: a node drain or crash takes the service down`,
      );
    }
    if (target) {
      const containers = asArray(
        owners.find(o => o.object === target)?.podSpec.containers,
      ).map(c => asRecord(c) ?? {});
      for (const metric of asArray(spec.metrics)) {
        const resource = asRecord(asRecord(metric)?.resource);
        const name = resource?.name;
        if (
          asRecord(resource?.target)?.type === 'Utilization' &&
          typeof name === 'string'
        ) {
          for (const container of containers) {
            const requests = asRecord(asRecord(container.resources)?.requests);
            if (requests?.[name] === undefined) {
              problem(
                hpa,
                `targets ${name} utilisation, but container ${String(
                  container.name,
                )} requests no ${name}: utilisation is a share of the request`,
              );
            }
          }
        }
      }
    }
  }

  // Disruption budgets: select the pods, leave room to drain, keep a pod serving.
  const hpaMin = byKind('HorizontalPodAutoscaler')
    .map(h => asRecord(h.spec)?.minReplicas)
    .find((m): m is number => typeof m === 'number');
  for (const pdb of byKind('PodDisruptionBudget')) {
    const spec = asRecord(pdb.spec) ?? {};
    const selector = matchLabelsOf(spec.selector);
    if (!selectsPods(selector)) {
      problem(
        pdb,
        `spec.selector ${describe(selector)} selects no workload's pods`,
      );
    }
    // The HPA's minimum, else the replicas the selected workload declares
    // (Kubernetes' default is 1).
    const declared = owners
      .filter(
        owner =>
          workloads.includes(owner.object) && selects(selector, owner.labels),
      )
      .map(owner => asRecord(owner.object.spec)?.replicas)
      .find((r): r is number => typeof r === 'number');
    const replicas = hpaMin ?? declared ?? 1;
    let allowed: number | undefined;
    if (typeof spec.maxUnavailable === 'number') {
      allowed = Math.min(spec.maxUnavailable, replicas);
    } else if (typeof spec.minAvailable === 'number') {
      allowed = Math.max(0, replicas - spec.minAvailable);
    }
    if (allowed === undefined) {
      problem(pdb, 'must set maxUnavailable or minAvailable as a number');
    } else if (allowed < 1) {
      problem(
        pdb,
        `allows no eviction with ${replicas} replica(s): node drains would be blocked`,
      );
    } else if (allowed >= replicas) {
      problem(
        pdb,
        `allows evicting all ${replicas} replica(s) at once: a drain could take the service down`,
      );
    }
  }

  // Network policies select the pods.
  for (const policy of byKind('NetworkPolicy')) {
    const selector = matchLabelsOf(asRecord(policy.spec)?.podSelector);
    if (!selectsPods(selector)) {
      problem(
        policy,
        `spec.podSelector ${describe(selector)} selects no workload's pods`,
      );
    }
  }

  // Ingresses: backends exist, every host has TLS.
  const services = byKind('Service');
  for (const ingress of byKind('Ingress')) {
    const spec = asRecord(ingress.spec) ?? {};
    const tlsHosts = new Set(
      asArray(spec.tls).flatMap(t => asArray(asRecord(t)?.hosts)),
    );
    for (const rule of asArray(spec.rules)) {
      const host = asRecord(rule)?.host;
      if (typeof host === 'string' && !tlsHosts.has(host)) {
        problem(ingress, `host ${host} has no TLS entry`);
      }
      for (const path of asArray(asRecord(asRecord(rule)?.http)?.paths)) {
        const backend = asRecord(asRecord(asRecord(path)?.backend)?.service);
        const service = services.find(s => s.metadata.name === backend?.name);
        const portName = asRecord(backend?.port)?.name;
        if (!service) {
          problem(
            ingress,
            `backend Service ${String(backend?.name)} does not exist`,
          );
        } else if (
          typeof portName === 'string' &&
          !asArray(asRecord(service.spec)?.ports).some(
            p => asRecord(p)?.name === portName,
          )
        ) {
          problem(
            ingress,
            `backend port '${portName}' is not a port of ${refOf(service)}`,
          );
        }
      }
    }
  }

  // ServiceMonitors select a Service.
  for (const monitor of byKind('ServiceMonitor')) {
    const selector = matchLabelsOf(asRecord(monitor.spec)?.selector);
    const matched = services.some(s =>
      selects(
        selector,
        (asRecord(s.metadata.labels) ?? {}) as Record<string, string>,
      ),
    );
    if (!matched) {
      problem(
        monitor,
        `spec.selector ${describe(selector)} selects no Service`,
      );
    }
  }

  // Argo Rollouts: services and analysis templates exist.
  const serviceNames = names('Service');
  const templateNames = names('AnalysisTemplate');
  for (const rollout of byKind('Rollout')) {
    const strategy = asRecord(asRecord(rollout.spec)?.strategy) ?? {};
    const phases = [asRecord(strategy.blueGreen), asRecord(strategy.canary)];
    for (const phase of phases) {
      if (!phase) continue;
      for (const key of [
        'activeService',
        'previewService',
        'stableService',
        'canaryService',
      ]) {
        const name = phase[key];
        if (typeof name === 'string' && !serviceNames.has(name)) {
          problem(rollout, `${key} ${name} is not a Service of the service`);
        }
      }
      for (const key of [
        'prePromotionAnalysis',
        'postPromotionAnalysis',
        'analysis',
      ]) {
        for (const template of asArray(asRecord(phase[key])?.templates)) {
          const name = asRecord(template)?.templateName;
          if (typeof name === 'string' && !templateNames.has(name)) {
            problem(
              rollout,
              `${key} uses AnalysisTemplate ${name}, which does not exist`,
            );
          }
        }
      }
    }
  }

  // Backups: meet the RPO, mount claims that exist.
  const claimNames = names('PersistentVolumeClaim');
  for (const cronJob of byKind('CronJob')) {
    const spec = asRecord(cronJob.spec) ?? {};
    const parsed = parseCronCached(spec.schedule, 'spec.schedule');
    if (!parsed.ok) {
      problem(cronJob, parsed.error);
    } else if (options.rpoMs !== undefined) {
      const message = checkBackupScheduleMeetsRpo(options.rpoMs, parsed.value, {
        rpo: 'the RPO',
        backupSchedule: 'spec.schedule',
      });
      if (message) {
        problem(cronJob, message);
      }
    }
    const owner = owners.find(o => o.object === cronJob);
    for (const volume of asArray(owner?.podSpec.volumes)) {
      const claim = asRecord(
        asRecord(volume)?.persistentVolumeClaim,
      )?.claimName;
      if (typeof claim === 'string' && !claimNames.has(claim)) {
        problem(
          cronJob,
          `mounts PersistentVolumeClaim ${claim}, which does not exist`,
        );
      }
    }
  }
  return problems;
}

/**
 * Validates a set of objects: each against its schema (with the strict
 * unknown-field check), then all together semantically. Returns every
 * problem; an empty list means the set is valid.
 *
 * @public
 */
export function validateManifests(
  objects: ReadonlyArray<Manifest>,
  options: SemanticCheckOptions = {},
): string[] {
  return [
    ...objects.flatMap(validateManifestSchema),
    ...checkManifestSemantics(objects, options),
  ];
}
