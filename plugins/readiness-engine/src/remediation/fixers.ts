import type { Entity } from '@backstage/catalog-model';
import {
  formatDuration,
  SEED_SCALING_DEFAULTS,
} from '@prodready/plugin-readiness-common';
import { isMap, isSeq, type Document } from 'yaml';
import type { DeploymentCollectorFacts } from '../facts/collectors/deployment';
import type { ServiceLevelsFacts } from '../facts/collectors/serviceLevels';
import {
  findRemovedApiVersion,
  type DeploymentWorkloadFacts,
} from '../facts/deployment';
import { buildSloRuleGroups } from '../generate/slo';
import { backupScheduleForRpo } from '../generate/backupSchedule';
import {
  ensureSeq,
  getValue,
  PatchWorkspace,
  setValue,
  WorkspaceObject,
} from './workspace';

/** What a fixer is given: the patched files so far and the facts they give. */
export interface FixContext {
  ws: PatchWorkspace;
  entity: Entity;
  /** The deployment facts of the current (partly patched) files. */
  deployment: DeploymentCollectorFacts;
  serviceLevels: ServiceLevelsFacts | undefined;
}

/** A fix applied (with what it did, in words), or why there is none. */
export type FixOutcome = { summary: string } | { unfixable: string };

/** Fixes one or more checks, for plain manifests and/or Helm values. */
export interface Fixer {
  checkIds: ReadonlyArray<string>;
  manifests?(context: FixContext, checkId: string): FixOutcome;
  helm?(context: FixContext, checkId: string): FixOutcome;
}

// ---------------------------------------------------------------------------
// Seed values (Phase 4: CPU 70 %, memory 80 %, cooldowns 300 s / 600 s, 2..50)

const CPU_TARGET = SEED_SCALING_DEFAULTS.cpuUtilizationPercent;
const MEMORY_TARGET = SEED_SCALING_DEFAULTS.memoryUtilizationPercent;
const SCALE_UP_SECONDS = SEED_SCALING_DEFAULTS.scaleUpCooldownSeconds;
const SCALE_DOWN_SECONDS = SEED_SCALING_DEFAULTS.scaleDownCooldownSeconds;
const MIN_REPLICAS = SEED_SCALING_DEFAULTS.minReplicas;
const MAX_REPLICAS = SEED_SCALING_DEFAULTS.maxReplicas;

/** The requests and limits the scaffolder gives a new service. */
const DEFAULT_REQUESTS = { cpu: '500m', memory: '512Mi' };
const DEFAULT_LIMITS = { cpu: '2', memory: '1Gi' };

const DEFAULT_CLUSTER_ISSUER = 'letsencrypt-prod';
const ZONE_KEY = 'topology.kubernetes.io/zone';

const code = (text: string | number | null | undefined) => `\`${text}\``;

// ---------------------------------------------------------------------------
// Finding the service's objects

interface MainWorkload {
  facts: DeploymentWorkloadFacts;
  object: WorkspaceObject;
  /** The object whose pod template the pods come from (a Rollout's workloadRef). */
  template: WorkspaceObject;
  name: string;
}

function mainWorkload(context: FixContext): MainWorkload | string {
  const main = context.deployment.mainWorkload;
  if (!main) {
    return 'no workload (Deployment, StatefulSet or Rollout) of the service was found in its deployment files';
  }
  const facts = context.deployment.workloads.find(
    w => w.kind === main.kind && w.name === main.name && w.path === main.path,
  );
  const object = context.ws.find(main.kind, main.name, main.path);
  if (!facts || !object) {
    return `the ${main.kind} ${code(main.name)} is in ${
      main.path
    }, which cannot be edited (it does not parse as YAML)`;
  }
  let template = object;
  if (facts.templateFrom) {
    const [kind, name] = facts.templateFrom.split('/');
    const referenced = context.ws.find(kind, name);
    if (!referenced) {
      return `the pod template of ${main.kind} ${code(main.name)} comes from ${
        facts.templateFrom
      }, which is not in the deployment files`;
    }
    template = referenced;
  }
  return { facts, object, template, name: main.name ?? object.name ?? '' };
}

/** The labels that select the service's pods: the workload's selector, else its pod labels. */
function podSelector(workload: MainWorkload): Record<string, string> {
  const { selector, podLabels } = workload.facts;
  if (Object.keys(selector).length > 0) {
    return { ...selector };
  }
  return { ...podLabels };
}

const POD_SPEC = ['spec', 'template', 'spec'];
const CONTAINERS = [...POD_SPEC, 'containers'];

function containerCount(document: Document): number {
  const containers = document.getIn(CONTAINERS, true);
  return isSeq(containers) ? containers.items.length : 0;
}

function containerName(document: Document, index: number): string {
  const name = getValue(document, [...CONTAINERS, index, 'name']);
  return typeof name === 'string' ? name : `#${index + 1}`;
}

function namespaceMetadata(workload: MainWorkload): Record<string, string> {
  return workload.facts.namespace
    ? { namespace: workload.facts.namespace }
    : {};
}

function metadataFor(workload: MainWorkload, name: string) {
  return {
    name,
    ...namespaceMetadata(workload),
    labels: { ...podSelector(workload) },
  };
}

/** The port a probe should use: the container's `http` port, else its first port. */
function probePort(
  document: Document,
  index: number,
): string | number | undefined {
  const ports = getValue(document, [...CONTAINERS, index, 'ports']);
  if (Array.isArray(ports) && ports.length > 0) {
    const named = ports.find(p => p?.name === 'http');
    if (named) return 'http';
    const first = ports[0];
    if (typeof first?.name === 'string') return first.name;
    if (typeof first?.containerPort === 'number') return first.containerPort;
  }
  for (const probe of ['livenessProbe', 'readinessProbe', 'startupProbe']) {
    const port = getValue(document, [
      ...CONTAINERS,
      index,
      probe,
      'httpGet',
      'port',
    ]);
    if (typeof port === 'string' || typeof port === 'number') return port;
  }
  return undefined;
}

/** The container ports of the service's pods, as numbers and names. */
function containerPorts(
  document: Document,
): Array<{ port: number | string; protocol: string }> {
  const result: Array<{ port: number | string; protocol: string }> = [];
  for (let i = 0; i < containerCount(document); i++) {
    const ports = getValue(document, [...CONTAINERS, i, 'ports']);
    for (const port of Array.isArray(ports) ? ports : []) {
      const value = port?.containerPort ?? port?.name;
      if (typeof value === 'number' || typeof value === 'string') {
        result.push({
          port: value,
          protocol: typeof port?.protocol === 'string' ? port.protocol : 'TCP',
        });
      }
    }
  }
  return result;
}

function hpaObject(context: FixContext): WorkspaceObject | undefined {
  const hpa = context.deployment.hpa;
  if (!hpa || hpa.kind !== 'HorizontalPodAutoscaler') {
    return undefined;
  }
  return context.ws.find('HorizontalPodAutoscaler', hpa.name, hpa.path);
}

const HPA_API_VERSION = 'autoscaling/v2';

/** The HPA to edit, or why it cannot be: missing, or in an API version the edits do not speak. */
function editableHpa(
  context: FixContext,
): WorkspaceObject | { unfixable: string } {
  const existing = hpaObject(context);
  if (!existing) {
    return {
      unfixable:
        'there is no HorizontalPodAutoscaler to change (see hpa-configured)',
    };
  }
  if (existing.apiVersion !== HPA_API_VERSION) {
    return {
      unfixable: `the HorizontalPodAutoscaler ${code(existing.name)} is in ${
        existing.apiVersion
      }: migrate it to ${HPA_API_VERSION} first (no-removed-api-versions)`,
    };
  }
  return existing;
}

/** The `autoscaling/v2` metrics list of an HPA, with the CPU and memory targets set. */
function setUtilisationTargets(document: Document, changes: string[]): void {
  const metrics = ensureSeq(document, ['spec', 'metrics']);
  const find = (name: string) =>
    metrics.items.findIndex(item => {
      if (!isMap(item)) return false;
      return (
        item.get('type') === 'Resource' &&
        getValue(document, [
          'spec',
          'metrics',
          metrics.items.indexOf(item),
          'resource',
          'name',
        ]) === name
      );
    });
  for (const [name, target] of [
    ['cpu', CPU_TARGET],
    ['memory', MEMORY_TARGET],
  ] as const) {
    const index = find(name);
    if (index < 0) {
      metrics.add(
        document.createNode({
          type: 'Resource',
          resource: {
            name,
            target: { type: 'Utilization', averageUtilization: target },
          },
        }),
      );
      changes.push(`${name} ${target}% added`);
      continue;
    }
    const path = ['spec', 'metrics', index, 'resource', 'target'];
    const current = getValue(document, [...path, 'averageUtilization']);
    const type = getValue(document, [...path, 'type']);
    if (
      type !== 'Utilization' ||
      typeof current !== 'number' ||
      current > target
    ) {
      setValue(document, [...path, 'type'], 'Utilization');
      setValue(document, [...path, 'averageUtilization'], target);
      changes.push(
        `${name} ${
          typeof current === 'number' ? `${current}% → ` : ''
        }${target}%`,
      );
    }
  }
}

function setBehavior(document: Document, changes: string[]): void {
  for (const [direction, seconds] of [
    ['scaleUp', SCALE_UP_SECONDS],
    ['scaleDown', SCALE_DOWN_SECONDS],
  ] as const) {
    const path = ['spec', 'behavior', direction, 'stabilizationWindowSeconds'];
    const current = getValue(document, path);
    if (typeof current !== 'number' || current < seconds) {
      setValue(document, path, seconds);
      changes.push(`${direction} window ${seconds} s`);
    }
  }
}

/** The replicas the service needs at peak (peak × 1.5 ÷ per pod), when both are known. */
function requiredReplicas(context: FixContext): number | undefined {
  const required = context.serviceLevels?.requiredCapacityRps;
  const perPod = context.deployment.capacity.perPodRps;
  if (typeof required !== 'number' || typeof perPod !== 'number') {
    return undefined;
  }
  return Math.ceil(Number((required / perPod).toFixed(6)));
}

// ---------------------------------------------------------------------------
// The fixers (plain manifests)

const pdbFixer: Fixer = {
  checkIds: ['pdb-configured'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const pdb = context.deployment.pdb;
    const selector = podSelector(workload);
    const existing = pdb
      ? context.ws.find('PodDisruptionBudget', pdb.name, pdb.path)
      : undefined;
    if (pdb && existing) {
      const changes: string[] = [];
      const { document } = existing;
      if (!pdb.matchesWorkload) {
        setValue(document, ['spec', 'selector'], { matchLabels: selector });
        changes.push(`select the pods of ${code(workload.name)}`);
      }
      if ((pdb.allowedDisruptions ?? 0) < 1) {
        if (getValue(document, ['spec', 'minAvailable']) !== undefined) {
          document.deleteIn(['spec', 'minAvailable']);
        }
        setValue(document, ['spec', 'maxUnavailable'], 1);
        changes.push(
          `maxUnavailable 1 instead of minAvailable ${pdb.minAvailable}, so that a node drain can evict a pod`,
        );
      }
      context.ws.touch(existing.path);
      return {
        summary: `Change the PodDisruptionBudget ${code(
          pdb.name,
        )}: ${changes.join('; ')}`,
      };
    }
    const name = workload.name;
    const path = context.ws.createFile(
      'pdb.yaml',
      [
        {
          apiVersion: 'policy/v1',
          kind: 'PodDisruptionBudget',
          metadata: metadataFor(workload, name),
          spec: { maxUnavailable: 1, selector: { matchLabels: selector } },
        },
      ],
      workload.object.path,
    );
    return {
      summary: `Add a PodDisruptionBudget (maxUnavailable 1) that selects the pods of ${code(
        name,
      )}, in ${path}`,
    };
  },
};

function hpaManifest(workload: MainWorkload, maxReplicas: number) {
  return {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: metadataFor(workload, workload.name),
    spec: {
      scaleTargetRef: {
        apiVersion: workload.object.apiVersion || 'apps/v1',
        kind: workload.object.kind,
        name: workload.name,
      },
      minReplicas: MIN_REPLICAS,
      maxReplicas,
      metrics: [
        {
          type: 'Resource',
          resource: {
            name: 'cpu',
            target: { type: 'Utilization', averageUtilization: CPU_TARGET },
          },
        },
        {
          type: 'Resource',
          resource: {
            name: 'memory',
            target: { type: 'Utilization', averageUtilization: MEMORY_TARGET },
          },
        },
      ],
      behavior: {
        scaleUp: { stabilizationWindowSeconds: SCALE_UP_SECONDS },
        scaleDown: { stabilizationWindowSeconds: SCALE_DOWN_SECONDS },
      },
    },
  };
}

const hpaFixer: Fixer = {
  checkIds: ['hpa-configured'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const hpa = context.deployment.hpa;
    if (hpa && hpa.kind !== 'HorizontalPodAutoscaler') {
      return {
        unfixable: `the service scales with a KEDA ScaledObject ${code(
          hpa.name,
        )}; set its minReplicaCount to at least ${MIN_REPLICAS} and maxReplicaCount to at most ${MAX_REPLICAS} by hand`,
      };
    }
    const existing = hpaObject(context);
    const needed = requiredReplicas(context);
    if (!hpa || !existing) {
      const max = Math.min(
        MAX_REPLICAS,
        Math.max(MIN_REPLICAS, needed ?? MAX_REPLICAS),
      );
      const path = context.ws.createFile(
        'hpa.yaml',
        [hpaManifest(workload, max)],
        workload.object.path,
      );
      return {
        summary: `Add a HorizontalPodAutoscaler for ${
          workload.object.kind
        } ${code(workload.name)} (${MIN_REPLICAS}..${max} replicas${
          needed ? `: ${needed} cover the peak plus 50%` : ''
        }, CPU ${CPU_TARGET}%, memory ${MEMORY_TARGET}%, cooldowns ${SCALE_UP_SECONDS} s / ${SCALE_DOWN_SECONDS} s), in ${path}`,
      };
    }
    if (existing.apiVersion !== HPA_API_VERSION) {
      return {
        unfixable: `the HorizontalPodAutoscaler ${code(existing.name)} is in ${
          existing.apiVersion
        }: migrate it to ${HPA_API_VERSION} first (no-removed-api-versions)`,
      };
    }
    const { document } = existing;
    const changes: string[] = [];
    if (!hpa.targetsWorkload) {
      setValue(document, ['spec', 'scaleTargetRef'], {
        apiVersion: workload.object.apiVersion || 'apps/v1',
        kind: workload.object.kind,
        name: workload.name,
      });
      changes.push(
        `scaleTargetRef → ${workload.object.kind} ${code(workload.name)}`,
      );
    }
    if ((hpa.minReplicas ?? 1) < MIN_REPLICAS) {
      setValue(document, ['spec', 'minReplicas'], MIN_REPLICAS);
      changes.push(`minReplicas ${hpa.minReplicas ?? 1} → ${MIN_REPLICAS}`);
    }
    if ((hpa.maxReplicas ?? 0) > MAX_REPLICAS) {
      setValue(document, ['spec', 'maxReplicas'], MAX_REPLICAS);
      changes.push(`maxReplicas ${hpa.maxReplicas} → ${MAX_REPLICAS}`);
    }
    context.ws.touch(existing.path);
    return {
      summary: `Change the HorizontalPodAutoscaler ${code(
        hpa.name,
      )}: ${changes.join('; ')}`,
    };
  },
};

const hpaTargetsFixer: Fixer = {
  checkIds: ['hpa-utilization-targets'],
  manifests(context) {
    const existing = editableHpa(context);
    if ('unfixable' in existing) return existing;
    const changes: string[] = [];
    setUtilisationTargets(existing.document, changes);
    context.ws.touch(existing.path);
    return {
      summary: `Scale ${code(
        existing.name,
      )} on CPU ${CPU_TARGET}% and memory ${MEMORY_TARGET}% (${changes.join(
        ', ',
      )})`,
    };
  },
};

const hpaBehaviorFixer: Fixer = {
  checkIds: ['hpa-scaling-behavior'],
  manifests(context) {
    const existing = editableHpa(context);
    if ('unfixable' in existing) return existing;
    const changes: string[] = [];
    setBehavior(existing.document, changes);
    context.ws.touch(existing.path);
    return {
      summary: `Add the seed's cooldowns to ${code(
        existing.name,
      )}: behavior.scaleUp ${SCALE_UP_SECONDS} s, scaleDown ${SCALE_DOWN_SECONDS} s`,
    };
  },
};

function capacityUnfixable(context: FixContext): string | undefined {
  if (typeof context.serviceLevels?.peakRps !== 'number') {
    return 'the expected peak is not declared: set prodready.dev/peak-rps in catalog-info.yaml (the capacity follows from it)';
  }
  if (typeof context.deployment.capacity.perPodRps !== 'number') {
    return 'the per-pod capacity is unknown: measure it with a load test and annotate the HPA with prodready.dev/per-pod-rps';
  }
  const needed = requiredReplicas(context)!;
  if (needed > MAX_REPLICAS) {
    return `the peak needs ${needed} replicas, above the seed's maximum of ${MAX_REPLICAS}: raise the per-pod capacity (${context.deployment.capacity.perPodRps} rps) before scaling further`;
  }
  return undefined;
}

const hpaCapacityFixer: Fixer = {
  checkIds: ['hpa-capacity'],
  manifests(context) {
    const reason = capacityUnfixable(context);
    if (reason) return { unfixable: reason };
    const existing = editableHpa(context);
    if ('unfixable' in existing) return existing;
    const needed = Math.max(MIN_REPLICAS, requiredReplicas(context)!);
    const before = context.deployment.hpa?.maxReplicas;
    setValue(existing.document, ['spec', 'maxReplicas'], needed);
    context.ws.touch(existing.path);
    const levels = context.serviceLevels!;
    return {
      summary: `Raise maxReplicas of ${code(
        existing.name,
      )} from ${before} to ${needed}: ${levels.peakRps} rps peak × 1.5 = ${
        levels.requiredCapacityRps
      } rps ÷ ${context.deployment.capacity.perPodRps} rps per pod`,
    };
  },
};

/** The timing of the probes the scaffolder generates. */
const PROBE_TIMING: Record<string, Record<string, number>> = {
  startupProbe: { periodSeconds: 5, failureThreshold: 30 },
  livenessProbe: { periodSeconds: 10, timeoutSeconds: 2, failureThreshold: 3 },
  readinessProbe: { periodSeconds: 5, timeoutSeconds: 2, failureThreshold: 3 },
};

const probesFixer: Fixer = {
  checkIds: ['probes-configured', 'startup-probe'],
  manifests(context, checkId) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const { document } = workload.template;
    const wanted =
      checkId === 'startup-probe'
        ? (['startupProbe'] as const)
        : (['readinessProbe', 'livenessProbe'] as const);
    const added: string[] = [];
    for (let i = 0; i < containerCount(document); i++) {
      const existing = (probe: string) =>
        getValue(document, [...CONTAINERS, i, probe]) as
          | Record<string, unknown>
          | undefined;
      for (const probe of wanted) {
        if (existing(probe)) continue;
        const liveness = existing('livenessProbe');
        const readiness = existing('readinessProbe');
        const startup = existing('startupProbe');
        let handler: Record<string, unknown> | undefined;
        if (probe === 'startupProbe' && liveness) {
          // The startup probe asks what the liveness probe asks.
          const { httpGet, tcpSocket, grpc, exec } = liveness;
          handler = Object.fromEntries(
            Object.entries({ httpGet, tcpSocket, grpc, exec }).filter(
              ([, v]) => v !== undefined,
            ),
          );
        } else {
          const port = probePort(document, i);
          if (port === undefined) {
            return {
              unfixable: `container ${code(
                containerName(document, i),
              )} declares no port, so the probe's port is unknown`,
            };
          }
          const knownPath = (p: Record<string, unknown> | undefined) =>
            (p?.httpGet as Record<string, unknown> | undefined)?.path;
          const path =
            probe === 'readinessProbe'
              ? knownPath(liveness) ?? knownPath(startup) ?? '/readyz'
              : knownPath(startup) ?? knownPath(readiness) ?? '/healthz';
          handler = { httpGet: { path, port } };
        }
        const timing = PROBE_TIMING[probe];
        setValue(document, [...CONTAINERS, i, probe], {
          ...handler,
          ...timing,
        });
        added.push(`${probe} to ${code(containerName(document, i))}`);
      }
    }
    context.ws.touch(workload.template.path);
    return {
      summary: `Add ${added.join(', ')} (${workload.template.kind} ${code(
        workload.template.name,
      )})${
        checkId === 'startup-probe'
          ? ': up to 150 s to start before the liveness probe counts'
          : ''
      }`,
    };
  },
};

const spreadFixer: Fixer = {
  checkIds: ['zone-spread'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const { document } = workload.template;
    const constraints = ensureSeq(document, [
      ...POD_SPEC,
      'topologySpreadConstraints',
    ]);
    constraints.add(
      document.createNode({
        maxSkew: 1,
        topologyKey: ZONE_KEY,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: podSelector(workload) },
      }),
    );
    context.ws.touch(workload.template.path);
    return {
      summary: `Spread the pods of ${code(
        workload.name,
      )} across zones (topologySpreadConstraints on ${ZONE_KEY}, maxSkew 1)`,
    };
  },
};

/** Millicores or bytes of a quantity as written; 0 when it does not parse. */
function doubled(
  quantity: string | number,
  resource: 'cpu' | 'memory',
): string | number {
  const text = String(quantity);
  const match = /^(\d+(?:\.\d+)?)([a-zA-Z]*)$/.exec(text);
  if (!match) {
    return DEFAULT_LIMITS[resource];
  }
  const value = Number(match[1]) * 2;
  return `${Number(value.toFixed(3))}${match[2]}`;
}

const resourcesFixer: Fixer = {
  checkIds: ['resource-requests', 'utilization-targets-have-requests'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const { document } = workload.template;
    const added: string[] = [];
    for (let i = 0; i < containerCount(document); i++) {
      const base = [...CONTAINERS, i, 'resources'];
      const set: string[] = [];
      for (const resource of ['cpu', 'memory'] as const) {
        const request = getValue(document, [...base, 'requests', resource]);
        const limit = getValue(document, [...base, 'limits', resource]);
        let effectiveRequest = request as string | number | undefined;
        if (request === undefined) {
          effectiveRequest = DEFAULT_REQUESTS[resource];
          setValue(document, [...base, 'requests', resource], effectiveRequest);
          set.push(`request ${resource} ${effectiveRequest}`);
        }
        if (limit === undefined) {
          const value =
            request === undefined
              ? DEFAULT_LIMITS[resource]
              : doubled(effectiveRequest!, resource);
          setValue(document, [...base, 'limits', resource], value);
          set.push(`limit ${resource} ${value}`);
        }
      }
      if (set.length > 0) {
        added.push(`${code(containerName(document, i))}: ${set.join(', ')}`);
      }
    }
    context.ws.touch(workload.template.path);
    return {
      summary: `Set the missing requests and limits (${added.join(
        '; ',
      )}); tune them to what a load test measures`,
    };
  },
};

const networkPolicyFixer: Fixer = {
  checkIds: ['network-policy'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const ports = containerPorts(workload.template.document);
    if (ports.length === 0) {
      return {
        unfixable: `the containers of ${code(
          workload.name,
        )} declare no ports, so the policy cannot say which ports to admit`,
      };
    }
    const name = workload.name;
    const path = context.ws.createFile(
      'networkpolicy.yaml',
      [
        {
          apiVersion: 'networking.k8s.io/v1',
          kind: 'NetworkPolicy',
          metadata: metadataFor(workload, name),
          spec: {
            podSelector: { matchLabels: podSelector(workload) },
            policyTypes: ['Ingress'],
            ingress: [
              {
                // Pods of the same namespace (and the ingress controller's
                // namespace, if the service is exposed: add it here).
                from: [{ podSelector: {} }],
                ports: ports.map(p => ({ protocol: p.protocol, port: p.port })),
              },
            ],
          },
        },
      ],
      workload.object.path,
    );
    return {
      summary: `Add a NetworkPolicy that admits only pods of the namespace to ${code(
        name,
      )} on port${ports.length > 1 ? 's' : ''} ${ports
        .map(p => p.port)
        .join(', ')}, in ${path}`,
    };
  },
};

function ingressObjects(context: FixContext): WorkspaceObject[] {
  return context.ws.objects().filter(o => o.kind === 'Ingress');
}

const ingressTlsFixer: Fixer = {
  checkIds: ['ingress-tls'],
  manifests(context) {
    const uncovered = new Set(context.deployment.ingress.uncoveredHosts);
    const changed: string[] = [];
    for (const ingress of ingressObjects(context)) {
      const rules = getValue(ingress.document, ['spec', 'rules']);
      const hosts = (Array.isArray(rules) ? rules : [])
        .map(rule => rule?.host)
        .filter(
          (host): host is string =>
            typeof host === 'string' && uncovered.has(host),
        );
      if (hosts.length === 0) continue;
      const tls = ensureSeq(ingress.document, ['spec', 'tls']);
      tls.add(
        ingress.document.createNode({
          hosts,
          secretName: `${ingress.name}-tls`,
        }),
      );
      context.ws.touch(ingress.path);
      changed.push(`${code(ingress.name)} (${hosts.join(', ')})`);
    }
    if (changed.length === 0) {
      return {
        unfixable: 'the hosts without TLS are not in an Ingress of the files',
      };
    }
    return {
      summary: `Serve ${changed.join(
        ', ',
      )} over TLS, with the certificate in the secret <ingress>-tls`,
    };
  },
};

const certificateFixer: Fixer = {
  checkIds: ['tls-certificate-managed'],
  manifests(context) {
    const ingresses = ingressObjects(context);
    if (ingresses.length === 0) {
      return { unfixable: 'there is no Ingress in the files' };
    }
    for (const ingress of ingresses) {
      setValue(
        ingress.document,
        ['metadata', 'annotations', 'cert-manager.io/cluster-issuer'],
        DEFAULT_CLUSTER_ISSUER,
      );
      context.ws.touch(ingress.path);
    }
    return {
      summary: `Have cert-manager issue and renew the certificates of ${ingresses
        .map(i => code(i.name))
        .join(', ')} (cluster issuer ${code(
        DEFAULT_CLUSTER_ISSUER,
      )}: use your cluster's issuer)`,
    };
  },
};

const rolloutFixer: Fixer = {
  checkIds: ['zero-downtime-rollout'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    if (workload.object.kind !== 'Deployment') {
      return {
        unfixable: `${workload.object.kind} ${code(
          workload.name,
        )} is not a Deployment; set its update strategy to a rolling update by hand`,
      };
    }
    const before = getValue(workload.object.document, [
      'spec',
      'strategy',
      'type',
    ]);
    setValue(workload.object.document, ['spec', 'strategy'], {
      type: 'RollingUpdate',
      rollingUpdate: { maxSurge: '25%', maxUnavailable: 0 },
    });
    context.ws.touch(workload.object.path);
    return {
      summary: `Roll out ${code(
        workload.name,
      )} with a rolling update (maxSurge 25%, maxUnavailable 0)${
        before ? ` instead of ${before}` : ''
      }`,
    };
  },
};

const metricsFixer: Fixer = {
  checkIds: ['metrics-scraped'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const { document } = workload.template;
    const port = probePort(document, 0);
    const annotations: Record<string, string> = {
      'prometheus.io/scrape': 'true',
      'prometheus.io/path': '/metrics',
      ...(typeof port === 'number'
        ? { 'prometheus.io/port': String(port) }
        : {}),
    };
    for (const [key, value] of Object.entries(annotations)) {
      setValue(
        document,
        ['spec', 'template', 'metadata', 'annotations', key],
        value,
      );
    }
    context.ws.touch(workload.template.path);
    return {
      summary: `Have Prometheus scrape /metrics of the pods of ${code(
        workload.name,
      )} (prometheus.io/scrape annotations on the pod template)`,
    };
  },
};

const sloAlertsFixer: Fixer = {
  checkIds: ['slo-alerts'],
  manifests(context) {
    const workload = mainWorkload(context);
    if (typeof workload === 'string') return { unfixable: workload };
    const levels = context.serviceLevels;
    if (
      !levels ||
      typeof levels.availabilityPercent !== 'number' ||
      typeof levels.latencyP95Ms !== 'number' ||
      typeof levels.errorRatePercent !== 'number'
    ) {
      return {
        unfixable:
          'the service levels are unknown or invalid, so the alert thresholds cannot be derived',
      };
    }
    const name = workload.name;
    const path = context.ws.createFile(
      'prometheusrule.yaml',
      [
        {
          apiVersion: 'monitoring.coreos.com/v1',
          kind: 'PrometheusRule',
          metadata: {
            name: `${name}-slo`,
            ...namespaceMetadata(workload),
            labels: { prometheus: 'k8s', role: 'alert-rules' },
          },
          spec: {
            groups: buildSloRuleGroups({
              name,
              availabilityPercent: levels.availabilityPercent,
              latencyP95Ms: levels.latencyP95Ms,
              errorRatePercent: levels.errorRatePercent,
              ...(levels.runbookUrl ? { runbookUrl: levels.runbookUrl } : {}),
            }),
          },
        },
      ],
      workload.object.path,
    );
    return {
      summary: `Add SLO burn-rate alerts for ${code(
        name,
      )} from its SLA (availability ${levels.availabilityPercent}%, p95 ${
        levels.latencyP95Ms
      } ms, errors ${levels.errorRatePercent}%), in ${path}`,
    };
  },
};

// ---------------------------------------------------------------------------
// API versions Kubernetes no longer serves: migrate each object

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A v2beta1 metric source's target in the v2 shape. */
function v2Target(source: Plain): Plain | undefined {
  if (source.targetAverageUtilization !== undefined) {
    return {
      type: 'Utilization',
      averageUtilization: source.targetAverageUtilization,
    };
  }
  if (source.targetAverageValue !== undefined) {
    return { type: 'AverageValue', averageValue: source.targetAverageValue };
  }
  if (source.averageValue !== undefined) {
    return { type: 'AverageValue', averageValue: source.averageValue };
  }
  if (source.targetValue !== undefined) {
    return { type: 'Value', value: source.targetValue };
  }
  return undefined;
}

/** An `autoscaling/v2beta1` metric in the `autoscaling/v2` shape (v2beta2 is already). */
function migrateHpaMetric(metric: Plain): Plain {
  const type = typeof metric.type === 'string' ? metric.type : '';
  const key = type ? type[0].toLowerCase() + type.slice(1) : '';
  const source = isPlain(metric[key]) ? (metric[key] as Plain) : undefined;
  const legacy = [
    'targetAverageUtilization',
    'targetAverageValue',
    'targetValue',
    'averageValue',
    'metricName',
    'metricSelector',
  ];
  if (!source || !legacy.some(field => source[field] !== undefined)) {
    return metric; // already v2-shaped
  }
  const target =
    isPlain(source.target) && type !== 'Object'
      ? source.target
      : v2Target(source);
  let migrated: Plain;
  switch (type) {
    case 'Resource':
    case 'ContainerResource':
      migrated = {
        name: source.name,
        ...(source.container !== undefined
          ? { container: source.container }
          : {}),
        target,
      };
      break;
    case 'Pods':
    case 'Object':
    case 'External': {
      // v2beta1 names the metric (and its selector) beside the target; v2
      // nests them under `metric`, and an Object's target object becomes
      // `describedObject`.
      const selector =
        type === 'External' ? source.metricSelector : source.selector;
      migrated = {
        ...(type === 'Object' ? { describedObject: source.target } : {}),
        metric: {
          name: source.metricName,
          ...(selector !== undefined ? { selector } : {}),
        },
        target,
      };
      break;
    }
    default:
      return metric;
  }
  return { ...metric, [key]: migrated };
}

/** An Ingress backend of `extensions/v1beta1` in the `networking.k8s.io/v1` shape. */
function migrateIngressBackend(backend: unknown): unknown {
  if (!isPlain(backend) || backend.serviceName === undefined) return backend;
  const { serviceName, servicePort, ...rest } = backend;
  return {
    ...rest,
    service: {
      name: serviceName,
      port:
        typeof servicePort === 'number' || /^\d+$/.test(String(servicePort))
          ? { number: Number(servicePort) }
          : { name: servicePort },
    },
  };
}

/** Migrates one object's body; returns what changed, in words. */
function migrateObject(
  document: Document,
  kind: string,
  replacement: string,
): string[] {
  const changes = [`apiVersion ${replacement}`];
  setValue(document, ['apiVersion'], replacement);
  if (kind === 'HorizontalPodAutoscaler') {
    const metrics = getValue(document, ['spec', 'metrics']);
    if (Array.isArray(metrics)) {
      const migrated = metrics.map(m => (isPlain(m) ? migrateHpaMetric(m) : m));
      if (JSON.stringify(migrated) !== JSON.stringify(metrics)) {
        setValue(document, ['spec', 'metrics'], migrated);
        changes.push(
          'metrics in the v2 shape (target: {type, averageUtilization})',
        );
      }
    }
  } else if (kind === 'Ingress') {
    const spec = getValue(document, ['spec']);
    if (isPlain(spec) && spec.backend !== undefined) {
      document.deleteIn(['spec', 'backend']);
      setValue(
        document,
        ['spec', 'defaultBackend'],
        migrateIngressBackend(spec.backend),
      );
      changes.push('spec.backend → spec.defaultBackend');
    }
    const rules = getValue(document, ['spec', 'rules']);
    (Array.isArray(rules) ? rules : []).forEach((rule, r) => {
      const paths =
        isPlain(rule) && isPlain(rule.http) ? rule.http.paths : undefined;
      (Array.isArray(paths) ? paths : []).forEach((entry, i) => {
        if (!isPlain(entry)) return;
        const base = ['spec', 'rules', r, 'http', 'paths', i];
        if (entry.pathType === undefined) {
          setValue(document, [...base, 'pathType'], 'ImplementationSpecific');
        }
        if (isPlain(entry.backend) && entry.backend.serviceName !== undefined) {
          setValue(
            document,
            [...base, 'backend'],
            migrateIngressBackend(entry.backend),
          );
        }
      });
    });
    changes.push('backends as service.name/port, with a pathType');
  } else if (
    ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'].includes(kind) &&
    getValue(document, ['spec', 'selector']) === undefined
  ) {
    const labels = getValue(document, [
      'spec',
      'template',
      'metadata',
      'labels',
    ]);
    if (isPlain(labels)) {
      setValue(document, ['spec', 'selector'], { matchLabels: labels });
      changes.push('spec.selector (required in apps/v1) from the pod labels');
    }
  }
  return changes;
}

const apiVersionFixer: Fixer = {
  checkIds: ['no-removed-api-versions'],
  manifests(context) {
    const removed = context.deployment.removedApis ?? [];
    const migrated: string[] = [];
    for (const entry of removed) {
      const found = findRemovedApiVersion(entry.apiVersion, entry.kind);
      if (found?.kindRemoved) {
        return {
          unfixable: `${entry.kind} ${code(entry.name)} (${
            entry.path
          }) cannot be migrated: the kind was removed in Kubernetes ${
            entry.removedIn
          }; use ${entry.replacement} instead`,
        };
      }
      const document = context.ws.documentsOf(entry.path)?.[entry.document - 1];
      if (!document || document.get('kind') !== entry.kind) {
        return {
          unfixable: `${entry.path} cannot be edited (it does not parse as YAML)`,
        };
      }
      const changes = migrateObject(document, entry.kind, entry.replacement);
      context.ws.touch(entry.path);
      migrated.push(
        `${entry.kind} ${code(entry.name)} ${entry.apiVersion} → ${changes.join(
          ', ',
        )}`,
      );
    }
    return {
      summary: `Migrate to the API versions Kubernetes serves: ${migrated.join(
        '; ',
      )}`,
    };
  },
};

/** The ingress-nginx classes: their annotations are the ones this fix knows. */
function nginxIngresses(context: FixContext): WorkspaceObject[] | string {
  const ingresses = ingressObjects(context);
  if (ingresses.length === 0) {
    return 'there is no Ingress in the files';
  }
  const classes = context.deployment.ingress.classNames;
  if (classes.length === 0 || !classes.every(c => /nginx/i.test(c))) {
    return `the Ingress class${classes.length === 1 ? '' : 'es'} (${
      classes.join(', ') || 'none set'
    }) ${
      classes.length === 1 ? 'is' : 'are'
    } not ingress-nginx, whose annotations are the only ones this fix knows: configure it in your ingress controller`;
  }
  return ingresses;
}

function annotateIngresses(
  context: FixContext,
  annotations: Record<string, string>,
): FixOutcome | WorkspaceObject[] {
  const ingresses = nginxIngresses(context);
  if (typeof ingresses === 'string') return { unfixable: ingresses };
  for (const ingress of ingresses) {
    for (const [key, value] of Object.entries(annotations)) {
      setValue(ingress.document, ['metadata', 'annotations', key], value);
    }
    context.ws.touch(ingress.path);
  }
  return ingresses;
}

/** Requests per second one client may send (ingress-nginx `limit-rps`). */
const CLIENT_RPS_LIMIT = 20;

const rateLimitFixer: Fixer = {
  checkIds: ['rate-limiting'],
  manifests(context) {
    const done = annotateIngresses(context, {
      'nginx.ingress.kubernetes.io/limit-rps': String(CLIENT_RPS_LIMIT),
    });
    if (!Array.isArray(done)) return done;
    return {
      summary: `Limit each client to ${CLIENT_RPS_LIMIT} requests per second (bursts of ${
        CLIENT_RPS_LIMIT * 5
      }) at ${done
        .map(i => code(i.name))
        .join(', ')} (ingress-nginx limit-rps; tune it to your clients)`,
    };
  },
};

const wafFixer: Fixer = {
  checkIds: ['waf'],
  manifests(context) {
    const done = annotateIngresses(context, {
      'nginx.ingress.kubernetes.io/enable-modsecurity': 'true',
      'nginx.ingress.kubernetes.io/enable-owasp-core-rules': 'true',
    });
    if (!Array.isArray(done)) return done;
    return {
      summary: `Filter the traffic of ${done
        .map(i => code(i.name))
        .join(
          ', ',
        )} through ModSecurity with the OWASP core rule set (ingress-nginx annotations)`,
    };
  },
};

/** Why a check gets no automatic fix, where the reason is known in advance. */
export const NO_FIX_REASONS: Readonly<Record<string, string>> = {
  'progressive-delivery':
    'blue-green or canary delivery needs a rollout controller (Argo Rollouts or Flagger) in the cluster and analysis templates for the service; the production-service template generates both for new services',
  caching:
    'whether and what to cache is a design decision: add a cache (a Resource of type cache that the service dependsOn) where a measurement shows it pays',
  'cdn-static-assets':
    'a CDN is configured outside the cluster, with the CDN provider',
  compression:
    'compression is enabled in the service or its ingress controller, depending on the content types it serves',
  'network-policy-egress':
    "restricting egress needs the list of every destination the service calls (its databases, queues, APIs), and a namespace-wide default-deny egress policy affects every workload of the namespace: agree on it with the namespace's owners",
  'no-direct-exposure':
    'a NodePort or LoadBalancer Service may be relied on by clients outside the cluster: move them to the Ingress first, then make the Service ClusterIP',
  'deployment-manifests-found':
    'no deployment files were found: set prodready.dev/deployment-path in catalog-info.yaml, or scaffold them with the production-service template',
  'manifests-consistent':
    'the deployment files do not parse or their selectors do not match: see the check message for the exact file and line',
  'service-routes-to-pods':
    'which Service should route to the pods, and on which port, cannot be told from the files',
  'dr-plan-linked':
    'a DR plan is a document the team writes: link it with prodready.dev/dr-plan-url or a shared plan with prodready.dev/dr-plan-ref in catalog-info.yaml',
  'dr-objectives-defined':
    'the RTO and RPO are business decisions: declare prodready.dev/rto and prodready.dev/rpo in catalog-info.yaml',
  'dr-tested':
    'a DR test is an exercise the team runs: run it, then record prodready.dev/dr-last-tested',
  'runbook-linked':
    'a runbook is a document the team writes: link it with prodready.dev/runbook-url in catalog-info.yaml',
  'request-metrics-emitted':
    'a patch cannot instrument the code: the service must export http_requests_total and the http_request_duration_seconds histogram (have Prometheus scrape them with a ServiceMonitor, which metrics-scraped fixes), or its metrics carry other labels: set prodready.dev/prometheus-selector',
  'observed-availability':
    'what a service delivers is fixed in its code and operation, not in its deployment files: find the causes of its 5xx responses (see the remediation advice)',
  'observed-latency-p95':
    'what a service delivers is fixed in its code and operation, not in its deployment files: profile its slowest routes (see the remediation advice)',
  'observed-error-rate':
    'what a service delivers is fixed in its code and operation, not in its deployment files: find the causes of its 5xx responses (see the remediation advice)',
  'error-budget-healthy':
    'a spent error budget is managed, not patched: freeze risky changes and roll back the change that started the burn (see the remediation advice)',
};

/** The catalog annotations that fix a backup check; the catalog file is not in the deployment folder. */
function backupAdvice(context: FixContext): FixOutcome {
  const rpoMs = context.serviceLevels?.rpoMs;
  if (typeof rpoMs !== 'number') {
    return {
      unfixable:
        'no RPO is declared: set prodready.dev/rpo in catalog-info.yaml first (the backup schedule follows from it)',
    };
  }
  const schedule = backupScheduleForRpo(rpoMs);
  return {
    unfixable: `the backup schedule is declared in catalog-info.yaml, outside the deployment files: set prodready.dev/backup-schedule: '${
      schedule.cron
    }' (${
      schedule.explanation
    }) and prodready.dev/backup-retention (for example '35d') for the RPO of ${formatDuration(
      rpoMs,
    )}`,
  };
}

const backupFixer: Fixer = {
  checkIds: ['backup-scheduled', 'backup-meets-rpo'],
  manifests: backupAdvice,
  helm: backupAdvice,
};

// ---------------------------------------------------------------------------
// Helm values (the conventions of `helm create` and Bitnami charts that the
// deployment-facts parser reads)

function valuesDocument(context: FixContext): WorkspaceObject | string {
  const main = context.deployment.mainWorkload;
  const path = main?.path;
  const documents = path ? context.ws.documentsOf(path) : undefined;
  if (!path || !documents || documents.length === 0) {
    return `the Helm values file ${
      path ?? ''
    } cannot be edited (it does not parse as YAML)`;
  }
  return {
    path,
    index: 0,
    document: documents[0],
    kind: 'values',
    apiVersion: '',
    name: main?.name ?? null,
  };
}

/** The first of the values keys that the chart already uses. */
function helmBlock(
  values: WorkspaceObject,
  keys: ReadonlyArray<string>,
): string | undefined {
  return keys.find(k => values.document.has(k));
}

function unknownLayout(
  path: string,
  keys: ReadonlyArray<string>,
  what: string,
) {
  return `the chart's values (${path}) have no ${keys
    .map(k => code(k))
    .join(
      ' or ',
    )} block, so it is unknown whether its templates render ${what}: add ${what} to the chart's templates, then set it in values.yaml`;
}

const helmFixers: Record<
  string,
  (context: FixContext, values: WorkspaceObject) => FixOutcome
> = {
  'pdb-configured': (_context, values) => {
    const keys = ['podDisruptionBudget', 'pdb'];
    const key = helmBlock(values, keys);
    if (!key)
      return {
        unfixable: unknownLayout(values.path, keys, 'a PodDisruptionBudget'),
      };
    const { document } = values;
    if (getValue(document, [key, 'minAvailable']) !== undefined) {
      document.deleteIn([key, 'minAvailable']);
    }
    setValue(document, [key, 'enabled'], true);
    setValue(document, [key, 'maxUnavailable'], 1);
    return {
      summary: `Enable the chart's PodDisruptionBudget with maxUnavailable 1 (${key} in ${values.path})`,
    };
  },
  'hpa-configured': (context, values) => {
    if (!values.document.has('autoscaling')) {
      return {
        unfixable: unknownLayout(
          values.path,
          ['autoscaling'],
          'a HorizontalPodAutoscaler',
        ),
      };
    }
    const { document } = values;
    const changes: string[] = [];
    if (getValue(document, ['autoscaling', 'enabled']) !== true) {
      setValue(document, ['autoscaling', 'enabled'], true);
      changes.push('enabled');
    }
    const min = getValue(document, ['autoscaling', 'minReplicas']);
    if (typeof min !== 'number' || min < MIN_REPLICAS) {
      setValue(document, ['autoscaling', 'minReplicas'], MIN_REPLICAS);
      changes.push(`minReplicas ${MIN_REPLICAS}`);
    }
    const max = getValue(document, ['autoscaling', 'maxReplicas']);
    if (typeof max !== 'number' || max > MAX_REPLICAS || max < MIN_REPLICAS) {
      const wanted = Math.min(
        MAX_REPLICAS,
        Math.max(MIN_REPLICAS, requiredReplicas(context) ?? MAX_REPLICAS),
      );
      setValue(document, ['autoscaling', 'maxReplicas'], wanted);
      changes.push(`maxReplicas ${wanted}`);
    }
    return {
      summary: `Autoscale with the chart's HPA: autoscaling ${changes.join(
        ', ',
      )} (${values.path})`,
    };
  },
  'hpa-utilization-targets': (_context, values) => {
    if (!values.document.has('autoscaling')) {
      return {
        unfixable: unknownLayout(
          values.path,
          ['autoscaling'],
          'a HorizontalPodAutoscaler',
        ),
      };
    }
    setValue(
      values.document,
      ['autoscaling', 'targetCPUUtilizationPercentage'],
      CPU_TARGET,
    );
    setValue(
      values.document,
      ['autoscaling', 'targetMemoryUtilizationPercentage'],
      MEMORY_TARGET,
    );
    return {
      summary: `Scale on CPU ${CPU_TARGET}% and memory ${MEMORY_TARGET}% (autoscaling.targetCPUUtilizationPercentage and targetMemoryUtilizationPercentage in ${values.path})`,
    };
  },
  'hpa-scaling-behavior': (_context, values) => {
    if (!values.document.has('autoscaling')) {
      return {
        unfixable: unknownLayout(
          values.path,
          ['autoscaling'],
          'a HorizontalPodAutoscaler',
        ),
      };
    }
    setValue(values.document, ['autoscaling', 'behavior'], {
      scaleUp: { stabilizationWindowSeconds: SCALE_UP_SECONDS },
      scaleDown: { stabilizationWindowSeconds: SCALE_DOWN_SECONDS },
    });
    return {
      summary: `Add the seed's cooldowns as autoscaling.behavior in ${values.path} (${SCALE_UP_SECONDS} s / ${SCALE_DOWN_SECONDS} s; the chart's HPA template must render .Values.autoscaling.behavior, which the one of \`helm create\` does not)`,
    };
  },
  'hpa-capacity': (context, values) => {
    const reason = capacityUnfixable(context);
    if (reason) return { unfixable: reason };
    if (!values.document.has('autoscaling')) {
      return {
        unfixable: unknownLayout(
          values.path,
          ['autoscaling'],
          'a HorizontalPodAutoscaler',
        ),
      };
    }
    const needed = Math.max(MIN_REPLICAS, requiredReplicas(context)!);
    setValue(values.document, ['autoscaling', 'maxReplicas'], needed);
    return {
      summary: `Raise autoscaling.maxReplicas to ${needed} (${values.path}): ${
        context.serviceLevels!.requiredCapacityRps
      } rps ÷ ${context.deployment.capacity.perPodRps} rps per pod`,
    };
  },
  'probes-configured': (_context, values) => {
    const { document } = values;
    const set: string[] = [];
    for (const [probe, path] of [
      ['readinessProbe', '/readyz'],
      ['livenessProbe', '/healthz'],
    ] as const) {
      if (getValue(document, [probe]) === undefined) {
        setValue(document, [probe], {
          httpGet: { path, port: 'http' },
          periodSeconds: probe === 'readinessProbe' ? 5 : 10,
        });
        set.push(probe);
      }
    }
    return {
      summary: `Add ${set.join(' and ')} (helm create's values keys) in ${
        values.path
      }; the container port must be named http`,
    };
  },
  'startup-probe': (_context, values) => {
    const liveness = getValue(values.document, ['livenessProbe']) as
      | Record<string, unknown>
      | undefined;
    const handler = liveness?.httpGet
      ? { httpGet: liveness.httpGet }
      : { httpGet: { path: '/healthz', port: 'http' } };
    setValue(values.document, ['startupProbe'], {
      ...handler,
      periodSeconds: 5,
      failureThreshold: 30,
    });
    return {
      summary: `Add startupProbe in ${values.path}: up to 150 s to start before the liveness probe counts`,
    };
  },
  'resource-requests': (_context, values) => {
    const { document } = values;
    for (const resource of ['cpu', 'memory'] as const) {
      if (
        getValue(document, ['resources', 'requests', resource]) === undefined
      ) {
        setValue(
          document,
          ['resources', 'requests', resource],
          DEFAULT_REQUESTS[resource],
        );
      }
      if (getValue(document, ['resources', 'limits', resource]) === undefined) {
        setValue(
          document,
          ['resources', 'limits', resource],
          DEFAULT_LIMITS[resource],
        );
      }
    }
    return {
      summary: `Set resources.requests and limits in ${values.path}; tune them to what a load test measures`,
    };
  },
  'zone-spread': (_context, values) => {
    const name = values.name;
    const seq = ensureSeq(values.document, ['topologySpreadConstraints']);
    seq.add(
      values.document.createNode({
        maxSkew: 1,
        topologyKey: ZONE_KEY,
        whenUnsatisfiable: 'ScheduleAnyway',
        labelSelector: { matchLabels: { 'app.kubernetes.io/name': name } },
      }),
    );
    return {
      summary: `Spread the pods across zones: topologySpreadConstraints in ${values.path}`,
    };
  },
  'ingress-tls': (context, values) => {
    if (!values.document.has('ingress')) {
      return {
        unfixable: unknownLayout(values.path, ['ingress'], 'an Ingress'),
      };
    }
    const hosts = context.deployment.ingress.uncoveredHosts;
    const tls = ensureSeq(values.document, ['ingress', 'tls']);
    tls.add(
      values.document.createNode({ secretName: `${values.name}-tls`, hosts }),
    );
    return {
      summary: `Serve ${hosts.join(', ')} over TLS: ingress.tls in ${
        values.path
      }`,
    };
  },
  'tls-certificate-managed': (_context, values) => {
    if (!values.document.has('ingress')) {
      return {
        unfixable: unknownLayout(values.path, ['ingress'], 'an Ingress'),
      };
    }
    setValue(
      values.document,
      ['ingress', 'annotations', 'cert-manager.io/cluster-issuer'],
      DEFAULT_CLUSTER_ISSUER,
    );
    return {
      summary: `Have cert-manager manage the certificate: ingress.annotations in ${
        values.path
      } (cluster issuer ${code(
        DEFAULT_CLUSTER_ISSUER,
      )}: use your cluster's issuer)`,
    };
  },
};

function helmFix(checkId: string): Fixer['helm'] {
  const fix = helmFixers[checkId];
  return context => {
    const values = valuesDocument(context);
    if (typeof values === 'string') return { unfixable: values };
    if (!fix) {
      return {
        unfixable: `no known Helm values convention fixes ${checkId}: change the chart's templates`,
      };
    }
    const outcome = fix(context, values);
    if ('summary' in outcome) {
      context.ws.touch(values.path);
    }
    return outcome;
  };
}

/** Every fixer, by check id. */
export const FIXERS: ReadonlyMap<string, Fixer> = new Map(
  [
    apiVersionFixer,
    pdbFixer,
    hpaFixer,
    hpaTargetsFixer,
    hpaBehaviorFixer,
    hpaCapacityFixer,
    probesFixer,
    spreadFixer,
    resourcesFixer,
    networkPolicyFixer,
    ingressTlsFixer,
    certificateFixer,
    rolloutFixer,
    metricsFixer,
    sloAlertsFixer,
    rateLimitFixer,
    wafFixer,
    backupFixer,
  ].flatMap(fixer =>
    fixer.checkIds.map(id => [
      id,
      fixer.helm ? fixer : { ...fixer, helm: helmFix(id) },
    ]),
  ),
);
