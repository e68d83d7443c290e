import {
  CapacityPlan,
  SEED_SCALING_DEFAULTS,
  SEED_SLA_DEFAULTS,
  formatDuration,
  parseDuration,
  parsePercentage,
  planCapacity,
} from '@prodready/plugin-readiness-common';
import { cpuMillicores, memoryBytes } from './quantity';

/**
 * How new versions are released.
 *
 * @public
 */
export type RolloutStrategy = 'rolling-update' | 'blue-green' | 'canary';

/**
 * Who may reach the service.
 *
 * @public
 */
export type Exposure = 'public' | 'internal';

/**
 * The data stores a service can declare; each gets a backup CronJob.
 *
 * @public
 */
export const DATA_STORE_TYPES = [
  'postgresql',
  'mysql',
  'mongodb',
  'redis',
] as const;

/**
 * A data store type.
 *
 * @public
 */
export type DataStoreType = (typeof DATA_STORE_TYPES)[number];

/**
 * The rollout strategies, in the order the template offers them.
 *
 * @public
 */
export const ROLLOUT_STRATEGIES: ReadonlyArray<RolloutStrategy> = [
  'rolling-update',
  'blue-green',
  'canary',
];

/**
 * The inputs of the generator, as a template passes them. Only `name`,
 * `image`, `peakRps` and `perPodRps` are required; everything else has the
 * seed's default.
 *
 * @public
 */
export interface DeploymentGeneratorInput {
  /** Service name: a DNS label of at most 39 characters. */
  name: string;
  /** Namespace written into every object; omitted when not given. */
  namespace?: string;
  /** Container image, pinned to a tag or digest (not `latest`). */
  image: string;
  /** Container port (1024-65535, the container runs as non-root). Default 8080. */
  port?: number;
  /** Expected peak traffic, requests per second. */
  peakRps: number | string;
  /** Requests per second one pod serves within its latency target. */
  perPodRps: number | string;
  /** Availability target in percent (below 100). Default 99.9. */
  availability?: number | string;
  /** p95 latency target, a duration. Default 200ms. */
  latencyP95?: string;
  /** Error-rate budget (5xx) in percent. Default 0.1. */
  errorRate?: number | string;
  /** `public` (Ingress with TLS) or `internal`. Default internal. */
  exposure?: Exposure;
  /** Public host name; required when public. */
  host?: string;
  /** cert-manager ClusterIssuer for the Ingress certificate. Default letsencrypt-prod. */
  tlsIssuer?: string;
  /** Ingress class. Default nginx. */
  ingressClassName?: string;
  /** Requests per second one client may send through the Ingress. Default 50. */
  rateLimitRps?: number;
  /** Namespace of the ingress controller, admitted by the NetworkPolicy. Default ingress-nginx. */
  ingressNamespace?: string;
  /** Namespace of Prometheus, admitted by the NetworkPolicy. Default monitoring. */
  monitoringNamespace?: string;
  /** Other namespaces whose pods may call the service. */
  allowedNamespaces?: string[];
  /** Data stores of the service; each gets a backup CronJob. */
  dataStores?: DataStoreType[];
  /** Recovery time objective, a duration. Default 4h. */
  rto?: string;
  /** Recovery point objective, a duration of at least 5m. Default 1h. */
  rpo?: string;
  /** How long backups are kept. Default 30d. */
  backupRetention?: string;
  /** Rolling update, or an Argo Rollouts blue-green or canary rollout. Default rolling-update. */
  rollout?: RolloutStrategy;
  /** Container CPU request. Default 250m. */
  cpuRequest?: string;
  /** Container memory request. Default 256Mi. */
  memoryRequest?: string;
  /** Container CPU limit. Default 1. */
  cpuLimit?: string;
  /** Container memory limit. Default 512Mi. */
  memoryLimit?: string;
  /** Fewest replicas (at least 2). Default 2. */
  minReplicas?: number;
  /** Most replicas the capacity plan may use. Default 50. */
  maxReplicas?: number;
  /** Capacity kept above the peak, percent. Default 50. */
  capacityBufferPercent?: number;
  /** HPA CPU utilisation target, percent of the request. Default 70. */
  cpuUtilizationPercent?: number;
  /** HPA memory utilisation target, percent of the request. Default 80. */
  memoryUtilizationPercent?: number;
  /** HPA scale-up stabilisation window, seconds. Default 300. */
  scaleUpStabilizationSeconds?: number;
  /** HPA scale-down stabilisation window, seconds. Default 600. */
  scaleDownStabilizationSeconds?: number;
  /** Liveness and startup probe path. Default /healthz. */
  healthPath?: string;
  /** Readiness probe path. Default /readyz. */
  readinessPath?: string;
}

/**
 * The validated, defaulted inputs the manifests are built from.
 *
 * @public
 */
export interface DeploymentSpec {
  name: string;
  namespace: string | null;
  image: string;
  port: number;
  peakRps: number;
  perPodRps: number;
  availabilityPercent: number;
  latencyP95Ms: number;
  errorRatePercent: number;
  exposure: Exposure;
  host: string | null;
  tlsIssuer: string;
  ingressClassName: string;
  rateLimitRps: number;
  ingressNamespace: string;
  monitoringNamespace: string;
  allowedNamespaces: string[];
  dataStores: DataStoreType[];
  rtoMs: number;
  rpoMs: number;
  backupRetentionMs: number;
  rollout: RolloutStrategy;
  resources: {
    requests: { cpu: string; memory: string };
    limits: { cpu: string; memory: string };
  };
  scaling: {
    cpuUtilizationPercent: number;
    memoryUtilizationPercent: number;
    scaleUpStabilizationSeconds: number;
    scaleDownStabilizationSeconds: number;
  };
  capacity: CapacityPlan;
  capacityBufferPercent: number;
  healthPath: string;
  readinessPath: string;
}

/**
 * Longest service name: `<name>-backup-mongo` must fit a CronJob name (52).
 *
 * @public
 */
export const MAX_NAME_LENGTH = 39;
/** Shortest RPO scheduled backups are generated for. */
export const MIN_RPO_MS = 5 * 60_000;

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN =
  /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const HOST_NAME =
  /^(?=.{1,253}$)([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?\.)+[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;
/** registry/path:tag or @sha256:digest; lowercase path components. */
const IMAGE =
  /^(?<repo>[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)(?::(?<tag>[\w][\w.-]{0,127}))?(?:@(?<digest>sha256:[a-f0-9]{64}))?$/;
const HTTP_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]*$/;

/** Collects problems, each naming the input and the rule it broke. */
class Problems {
  readonly messages: string[] = [];

  add(input: string, rule: string, value?: unknown) {
    const got = value === undefined ? '' : `, got ${quote(value)}`;
    this.messages.push(`${input} ${rule}${got}`);
  }

  /** Adds a message from a shared parser, which names the input itself. */
  addParsed(message: string) {
    this.messages.push(message);
  }
}

function quote(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function isBlank(value: unknown): boolean {
  return value === undefined || value === null || value === '';
}

function numberInput(
  problems: Problems,
  input: string,
  value: unknown,
  rule: { min?: number; max?: number; integer?: boolean; positive?: boolean },
  fallback?: number,
): number {
  if (isBlank(value)) {
    if (fallback === undefined) {
      problems.add(input, 'is required');
      return NaN;
    }
    return fallback;
  }
  let number = NaN;
  if (typeof value === 'number') {
    number = value;
  } else if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    number = Number(value);
  }
  const describe = () => {
    const parts: string[] = [];
    if (rule.integer) parts.push('an integer');
    else parts.push('a number');
    if (rule.positive) parts.push('greater than 0');
    if (rule.min !== undefined && rule.max !== undefined) {
      parts.push(`from ${rule.min} to ${rule.max}`);
    } else if (rule.min !== undefined) {
      parts.push(`of at least ${rule.min}`);
    } else if (rule.max !== undefined) {
      parts.push(`of at most ${rule.max}`);
    }
    return `must be ${parts.join(' ')}`;
  };
  if (
    !Number.isFinite(number) ||
    (rule.integer && !Number.isInteger(number)) ||
    (rule.positive && number <= 0) ||
    (rule.min !== undefined && number < rule.min) ||
    (rule.max !== undefined && number > rule.max)
  ) {
    problems.add(input, describe(), value);
    return NaN;
  }
  return number;
}

function stringInput(
  problems: Problems,
  input: string,
  value: unknown,
  fallback?: string,
): string | undefined {
  if (isBlank(value)) {
    if (fallback === undefined) {
      problems.add(input, 'is required');
    }
    return fallback;
  }
  if (typeof value !== 'string') {
    problems.add(input, 'must be a string', value);
    return undefined;
  }
  return value.trim();
}

function dnsLabel(
  problems: Problems,
  input: string,
  value: string | undefined,
  maxLength = 63,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (!DNS_LABEL.test(value) || value.length > maxLength) {
    problems.add(
      input,
      `must be a DNS label: at most ${maxLength} lowercase letters, digits and '-', starting and ending with a letter or digit`,
      value,
    );
    return undefined;
  }
  return value;
}

function durationInput(
  problems: Problems,
  input: string,
  value: unknown,
  fallback: string,
  allowZero = false,
): number {
  let text = value;
  if (isBlank(value)) {
    text = fallback;
  } else if (typeof value === 'number') {
    text = String(value);
  }
  const parsed = parseDuration(text, { annotation: input, allowZero });
  if (!parsed.ok) {
    problems.addParsed(parsed.error);
    return NaN;
  }
  return parsed.value;
}

function percentageInput(
  problems: Problems,
  input: string,
  value: unknown,
  fallback: number,
  allowZero: boolean,
): number {
  if (isBlank(value)) {
    return fallback;
  }
  const parsed = parsePercentage(
    typeof value === 'number' ? String(value) : value,
    { annotation: input, allowZero },
  );
  if (!parsed.ok) {
    problems.addParsed(parsed.error);
    return NaN;
  }
  return parsed.value;
}

function checkImage(problems: Problems, value: string | undefined) {
  if (value === undefined) {
    return;
  }
  const match = IMAGE.exec(value);
  if (!match?.groups) {
    problems.add(
      'image',
      "must be an image reference such as 'registry.example.com/team/service:1.0.0'",
      value,
    );
    return;
  }
  const { tag, digest } = match.groups;
  if (!digest && (!tag || tag === 'latest')) {
    problems.add(
      'image',
      "must pin a tag or digest other than 'latest', so that every rollout is reproducible and can be rolled back",
      value,
    );
  }
}

function pathInput(
  problems: Problems,
  input: string,
  value: unknown,
  fallback: string,
): string {
  const text = stringInput(problems, input, value, fallback) ?? fallback;
  if (!HTTP_PATH.test(text)) {
    problems.add(input, "must be an HTTP path starting with '/'", text);
  }
  return text;
}

function quantityInput(
  problems: Problems,
  input: string,
  value: unknown,
  fallback: string,
  parse: (q: string) => number | undefined,
  example: string,
): { text: string; amount: number } {
  const text = stringInput(problems, input, value, fallback) ?? fallback;
  const amount = parse(text);
  if (amount === undefined) {
    problems.add(
      input,
      `must be a Kubernetes quantity greater than 0, such as '${example}'`,
      text,
    );
    return { text, amount: NaN };
  }
  return { text, amount };
}

/**
 * Validates the generator's inputs and fills in the seed's defaults. Throws
 * a `RangeError` listing every problem, each naming the input and the rule
 * it broke (for example `peakRps must be a number greater than 0, got -5`).
 *
 * @public
 */
export function resolveDeploymentSpec(
  raw: DeploymentGeneratorInput,
): DeploymentSpec {
  const problems = new Problems();
  const input = (raw ?? {}) as unknown as Record<string, unknown>;

  const name = dnsLabel(
    problems,
    'name',
    stringInput(problems, 'name', input.name),
    MAX_NAME_LENGTH,
  );
  const namespace = isBlank(input.namespace)
    ? null
    : dnsLabel(
        problems,
        'namespace',
        stringInput(problems, 'namespace', input.namespace),
      ) ?? null;
  const image = stringInput(problems, 'image', input.image);
  checkImage(problems, image);
  const port = numberInput(
    problems,
    'port',
    input.port,
    { integer: true, min: 1024, max: 65535 },
    8080,
  );

  const peakRps = numberInput(problems, 'peakRps', input.peakRps, {
    positive: true,
  });
  const perPodRps = numberInput(problems, 'perPodRps', input.perPodRps, {
    positive: true,
  });

  const availabilityPercent = percentageInput(
    problems,
    'availability',
    input.availability,
    SEED_SLA_DEFAULTS.availability,
    false,
  );
  if (availabilityPercent === 100) {
    problems.add(
      'availability',
      'must be below 100: a 100% target leaves no error budget to alert on',
      input.availability,
    );
  }
  const latencyP95Ms = durationInput(
    problems,
    'latencyP95',
    input.latencyP95,
    `${SEED_SLA_DEFAULTS.latencyP95}ms`,
  );
  const errorRatePercent = percentageInput(
    problems,
    'errorRate',
    input.errorRate,
    SEED_SLA_DEFAULTS.errorRate,
    false,
  );

  const exposure = (stringInput(
    problems,
    'exposure',
    input.exposure,
    'internal',
  ) ?? 'internal') as Exposure;
  if (exposure !== 'public' && exposure !== 'internal') {
    problems.add('exposure', "must be 'public' or 'internal'", exposure);
  }
  let host: string | null = null;
  if (exposure === 'public') {
    const text = stringInput(problems, 'host', input.host);
    if (text !== undefined && !HOST_NAME.test(text)) {
      problems.add(
        'host',
        "must be a fully qualified lowercase host name such as 'orders.example.com'",
        text,
      );
    } else if (text !== undefined) {
      host = text;
    }
  }
  const tlsIssuer = stringInput(
    problems,
    'tlsIssuer',
    input.tlsIssuer,
    'letsencrypt-prod',
  );
  if (tlsIssuer !== undefined && !DNS_SUBDOMAIN.test(tlsIssuer)) {
    problems.add(
      'tlsIssuer',
      'must be the name of a cert-manager ClusterIssuer (a DNS subdomain)',
      tlsIssuer,
    );
  }
  const ingressClassName =
    dnsLabel(
      problems,
      'ingressClassName',
      stringInput(
        problems,
        'ingressClassName',
        input.ingressClassName,
        'nginx',
      ),
    ) ?? 'nginx';
  const rateLimitRps = numberInput(
    problems,
    'rateLimitRps',
    input.rateLimitRps,
    { integer: true, min: 1 },
    50,
  );
  const ingressNamespace =
    dnsLabel(
      problems,
      'ingressNamespace',
      stringInput(
        problems,
        'ingressNamespace',
        input.ingressNamespace,
        'ingress-nginx',
      ),
    ) ?? 'ingress-nginx';
  const monitoringNamespace =
    dnsLabel(
      problems,
      'monitoringNamespace',
      stringInput(
        problems,
        'monitoringNamespace',
        input.monitoringNamespace,
        'monitoring',
      ),
    ) ?? 'monitoring';
  const allowedNamespaces: string[] = [];
  if (!isBlank(input.allowedNamespaces)) {
    if (!Array.isArray(input.allowedNamespaces)) {
      problems.add(
        'allowedNamespaces',
        'must be a list of namespaces',
        input.allowedNamespaces,
      );
    } else {
      input.allowedNamespaces.forEach((entry, i) => {
        const label = dnsLabel(
          problems,
          `allowedNamespaces[${i}]`,
          stringInput(problems, `allowedNamespaces[${i}]`, entry),
        );
        if (label) allowedNamespaces.push(label);
      });
    }
  }

  const dataStores: DataStoreType[] = [];
  if (!isBlank(input.dataStores)) {
    if (!Array.isArray(input.dataStores)) {
      problems.add(
        'dataStores',
        `must be a list of ${DATA_STORE_TYPES.join(', ')}`,
        input.dataStores,
      );
    } else {
      input.dataStores.forEach((entry, i) => {
        if (!DATA_STORE_TYPES.includes(entry as DataStoreType)) {
          problems.add(
            `dataStores[${i}]`,
            `must be one of ${DATA_STORE_TYPES.join(', ')}`,
            entry,
          );
        } else if (dataStores.includes(entry as DataStoreType)) {
          problems.add(`dataStores[${i}]`, 'must not repeat a store', entry);
        } else {
          dataStores.push(entry as DataStoreType);
        }
      });
    }
  }

  const rtoMs = durationInput(problems, 'rto', input.rto, '4h');
  const rpoMs = durationInput(problems, 'rpo', input.rpo, '1h', true);
  if (rpoMs >= 0 && rpoMs < MIN_RPO_MS) {
    problems.add(
      'rpo',
      `must be at least ${formatDuration(
        MIN_RPO_MS,
      )} for scheduled backups; a shorter RPO (or 0, no data loss) needs synchronous replication, which backups cannot provide`,
      input.rpo,
    );
  }
  const backupRetentionMs = durationInput(
    problems,
    'backupRetention',
    input.backupRetention,
    '30d',
  );
  if (backupRetentionMs > 0 && rpoMs > 0 && backupRetentionMs < rpoMs * 2) {
    problems.add(
      'backupRetention',
      `must keep at least two backups: at least twice the RPO (${formatDuration(
        rpoMs * 2,
      )})`,
      input.backupRetention,
    );
  }

  const rollout = (stringInput(
    problems,
    'rollout',
    input.rollout,
    'rolling-update',
  ) ?? 'rolling-update') as RolloutStrategy;
  if (!ROLLOUT_STRATEGIES.includes(rollout)) {
    problems.add(
      'rollout',
      `must be one of ${ROLLOUT_STRATEGIES.join(', ')}`,
      rollout,
    );
  }

  const cpuRequest = quantityInput(
    problems,
    'cpuRequest',
    input.cpuRequest,
    '250m',
    cpuMillicores,
    '250m',
  );
  const cpuLimit = quantityInput(
    problems,
    'cpuLimit',
    input.cpuLimit,
    '1',
    cpuMillicores,
    '1',
  );
  const memoryRequest = quantityInput(
    problems,
    'memoryRequest',
    input.memoryRequest,
    '256Mi',
    memoryBytes,
    '256Mi',
  );
  const memoryLimit = quantityInput(
    problems,
    'memoryLimit',
    input.memoryLimit,
    '512Mi',
    memoryBytes,
    '512Mi',
  );
  if (cpuRequest.amount > cpuLimit.amount) {
    problems.add(
      'cpuRequest',
      `must not exceed cpuLimit (${cpuLimit.text})`,
      cpuRequest.text,
    );
  }
  if (memoryRequest.amount > memoryLimit.amount) {
    problems.add(
      'memoryRequest',
      `must not exceed memoryLimit (${memoryLimit.text})`,
      memoryRequest.text,
    );
  }

  const minReplicas = numberInput(
    problems,
    'minReplicas',
    input.minReplicas,
    { integer: true, min: 2 },
    SEED_SCALING_DEFAULTS.minReplicas,
  );
  const maxReplicas = numberInput(
    problems,
    'maxReplicas',
    input.maxReplicas,
    { integer: true, min: 2, max: 1000 },
    SEED_SCALING_DEFAULTS.maxReplicas,
  );
  if (minReplicas > maxReplicas) {
    problems.add(
      'maxReplicas',
      `must be at least minReplicas (${minReplicas})`,
      maxReplicas,
    );
  }
  const capacityBufferPercent = numberInput(
    problems,
    'capacityBufferPercent',
    input.capacityBufferPercent,
    { min: 0, max: 1000 },
    SEED_SCALING_DEFAULTS.capacityBufferPercent,
  );
  const cpuUtilizationPercent = numberInput(
    problems,
    'cpuUtilizationPercent',
    input.cpuUtilizationPercent,
    { integer: true, min: 10, max: 100 },
    SEED_SCALING_DEFAULTS.cpuUtilizationPercent,
  );
  const memoryUtilizationPercent = numberInput(
    problems,
    'memoryUtilizationPercent',
    input.memoryUtilizationPercent,
    { integer: true, min: 10, max: 100 },
    SEED_SCALING_DEFAULTS.memoryUtilizationPercent,
  );
  const scaleUpStabilizationSeconds = numberInput(
    problems,
    'scaleUpStabilizationSeconds',
    input.scaleUpStabilizationSeconds,
    { integer: true, min: 0, max: 3600 },
    SEED_SCALING_DEFAULTS.scaleUpCooldownSeconds,
  );
  const scaleDownStabilizationSeconds = numberInput(
    problems,
    'scaleDownStabilizationSeconds',
    input.scaleDownStabilizationSeconds,
    { integer: true, min: 0, max: 3600 },
    SEED_SCALING_DEFAULTS.scaleDownCooldownSeconds,
  );
  const healthPath = pathInput(
    problems,
    'healthPath',
    input.healthPath,
    '/healthz',
  );
  const readinessPath = pathInput(
    problems,
    'readinessPath',
    input.readinessPath,
    '/readyz',
  );

  if (problems.messages.length > 0) {
    throw new RangeError(problems.messages.join('; '));
  }
  const capacity = planCapacity({
    peakRps,
    perPodRps,
    settings: { minReplicas, maxReplicas, capacityBufferPercent },
  });
  return {
    name: name!,
    namespace,
    image: image!,
    port,
    peakRps,
    perPodRps,
    availabilityPercent,
    latencyP95Ms,
    errorRatePercent,
    exposure,
    host,
    tlsIssuer: tlsIssuer!,
    ingressClassName,
    rateLimitRps,
    ingressNamespace,
    monitoringNamespace,
    allowedNamespaces,
    dataStores,
    rtoMs,
    rpoMs,
    backupRetentionMs,
    rollout,
    resources: {
      requests: { cpu: cpuRequest.text, memory: memoryRequest.text },
      limits: { cpu: cpuLimit.text, memory: memoryLimit.text },
    },
    scaling: {
      cpuUtilizationPercent,
      memoryUtilizationPercent,
      scaleUpStabilizationSeconds,
      scaleDownStabilizationSeconds,
    },
    capacity,
    capacityBufferPercent,
    healthPath,
    readinessPath,
  };
}
