import { EXPECTED } from './parsers/messages';
import { closestName } from './suggest';
import {
  CronSchedule,
  IsoDate,
  ParseResult,
  ReadinessTier,
  parseCron,
  parseDuration,
  parseEntityRef,
  parseHttpUrl,
  parseIsoDate,
  parsePercentage,
  parsePositiveNumber,
  parseRelativePathOrUrl,
  parseTier,
  parsePrometheusEndpointName,
  parsePrometheusSelector,
  PrometheusSelector,
  PROMETHEUS_ENDPOINT_NAME_FORM,
  PROMETHEUS_SELECTOR_FORM,
} from './parsers';

/**
 * The namespace of every readiness annotation.
 *
 * @public
 */
export const READINESS_ANNOTATION_PREFIX = 'prodready.dev/';

/**
 * Service tier: `tier-1` (most critical) to `tier-4`.
 *
 * @public
 */
export const READINESS_ANNOTATION_TIER = 'prodready.dev/tier';
/**
 * Availability target in percent, such as `99.9` or `99.95%`.
 *
 * @public
 */
export const READINESS_ANNOTATION_AVAILABILITY = 'prodready.dev/availability';
/**
 * p95 latency target, a duration such as `200ms`.
 *
 * @public
 */
export const READINESS_ANNOTATION_LATENCY_P95 = 'prodready.dev/latency-p95';
/**
 * p99 latency target, a duration such as `500ms`.
 *
 * @public
 */
export const READINESS_ANNOTATION_LATENCY_P99 = 'prodready.dev/latency-p99';
/**
 * Error-rate budget (5xx) in percent, such as `0.1%`.
 *
 * @public
 */
export const READINESS_ANNOTATION_ERROR_RATE = 'prodready.dev/error-rate';
/**
 * Expected peak throughput in requests per second, such as `1200`.
 *
 * @public
 */
export const READINESS_ANNOTATION_PEAK_RPS = 'prodready.dev/peak-rps';
/**
 * Recovery time objective, a duration such as `4h`.
 *
 * @public
 */
export const READINESS_ANNOTATION_RTO = 'prodready.dev/rto';
/**
 * Recovery point objective, a duration such as `15m`.
 *
 * @public
 */
export const READINESS_ANNOTATION_RPO = 'prodready.dev/rpo';
/**
 * Backup schedule, a five-field cron expression (UTC) such as `0 2 * * *`.
 *
 * @public
 */
export const READINESS_ANNOTATION_BACKUP_SCHEDULE =
  'prodready.dev/backup-schedule';
/**
 * Backup retention, a duration such as `30d`.
 *
 * @public
 */
export const READINESS_ANNOTATION_BACKUP_RETENTION =
  'prodready.dev/backup-retention';
/**
 * Date of the last disaster recovery test, `YYYY-MM-DD`.
 *
 * @public
 */
export const READINESS_ANNOTATION_DR_LAST_TESTED =
  'prodready.dev/dr-last-tested';
/**
 * How often disaster recovery must be tested, a duration such as `180d`.
 *
 * @public
 */
export const READINESS_ANNOTATION_DR_TEST_INTERVAL =
  'prodready.dev/dr-test-interval';
/**
 * URL of the disaster recovery plan.
 *
 * @public
 */
export const READINESS_ANNOTATION_DR_PLAN_URL = 'prodready.dev/dr-plan-url';
/**
 * URL of the runbook.
 *
 * @public
 */
export const READINESS_ANNOTATION_RUNBOOK_URL = 'prodready.dev/runbook-url';
/**
 * Entity ref of the SLA entity (default kind `resource`).
 *
 * @public
 */
export const READINESS_ANNOTATION_SLA_REF = 'prodready.dev/sla-ref';
/**
 * Entity ref of the disaster recovery plan entity (default kind `resource`).
 *
 * @public
 */
export const READINESS_ANNOTATION_DR_PLAN_REF = 'prodready.dev/dr-plan-ref';
/**
 * Relative path or URL of the service's deployment manifests.
 *
 * @public
 */
export const READINESS_ANNOTATION_DEPLOYMENT_PATH =
  'prodready.dev/deployment-path';

/**
 * The Prometheus label matchers that select the service's request metrics,
 * such as `job="payments-api",namespace="payments"`: `$selector` in the
 * observed-service-level queries. Defaults to `job="<entity name>"`, the job
 * label of what the scaffolder generates.
 *
 * @public
 */
export const READINESS_ANNOTATION_PROMETHEUS_SELECTOR =
  'prodready.dev/prometheus-selector';
/**
 * The name of the configured Prometheus endpoint
 * (`readiness.prometheus.endpoints[].name`) that holds the service's metrics;
 * defaults to the first one.
 *
 * @public
 */
export const READINESS_ANNOTATION_PROMETHEUS_ENDPOINT =
  'prodready.dev/prometheus-endpoint';

/**
 * A Kubernetes annotation (on the HPA or the workload in a service's
 * manifests, not on the catalog entity): how many requests per second one pod
 * serves within its latency target, measured by a load test. The readiness
 * engine reads it to score `hpa-capacity`; the scaffolder writes it.
 *
 * @public
 */
export const READINESS_MANIFEST_ANNOTATION_PER_POD_RPS =
  'prodready.dev/per-pod-rps';

/**
 * The parsed values of the readiness annotations. Durations are in
 * milliseconds and percentages are numbers from 0 to 100.
 *
 * @public
 */
export interface ReadinessAnnotationValues {
  /** Service tier. */
  tier: ReadinessTier;
  /** Availability target, percent. */
  availability: number;
  /** p95 latency target, milliseconds. */
  latencyP95: number;
  /** p99 latency target, milliseconds. */
  latencyP99: number;
  /** Error-rate budget (5xx), percent. */
  errorRate: number;
  /** Expected peak throughput, requests per second. */
  peakRps: number;
  /** Recovery time objective, milliseconds. */
  rto: number;
  /** Recovery point objective, milliseconds (0 means no data loss). */
  rpo: number;
  /** Backup schedule. */
  backupSchedule: CronSchedule;
  /** Backup retention, milliseconds. */
  backupRetention: number;
  /** Date of the last disaster recovery test. */
  drLastTested: IsoDate;
  /** How often disaster recovery must be tested, milliseconds. */
  drTestInterval: number;
  /** URL of the disaster recovery plan. */
  drPlanUrl: string;
  /** URL of the runbook. */
  runbookUrl: string;
  /** Canonical entity ref of the SLA entity. */
  slaRef: string;
  /** Canonical entity ref of the disaster recovery plan entity. */
  drPlanRef: string;
  /** Relative path or http(s) URL of the deployment manifests. */
  deploymentPath: string;
  /** The label matchers of the service's metrics in Prometheus. */
  prometheusSelector: PrometheusSelector;
  /** The name of the Prometheus endpoint that holds the service's metrics. */
  prometheusEndpoint: string;
}

/**
 * Maps each readiness annotation name to its key in
 * {@link ReadinessAnnotationValues}.
 *
 * @public
 */
export interface ReadinessAnnotationKeys {
  'prodready.dev/tier': 'tier';
  'prodready.dev/availability': 'availability';
  'prodready.dev/latency-p95': 'latencyP95';
  'prodready.dev/latency-p99': 'latencyP99';
  'prodready.dev/error-rate': 'errorRate';
  'prodready.dev/peak-rps': 'peakRps';
  'prodready.dev/rto': 'rto';
  'prodready.dev/rpo': 'rpo';
  'prodready.dev/backup-schedule': 'backupSchedule';
  'prodready.dev/backup-retention': 'backupRetention';
  'prodready.dev/dr-last-tested': 'drLastTested';
  'prodready.dev/dr-test-interval': 'drTestInterval';
  'prodready.dev/dr-plan-url': 'drPlanUrl';
  'prodready.dev/runbook-url': 'runbookUrl';
  'prodready.dev/sla-ref': 'slaRef';
  'prodready.dev/dr-plan-ref': 'drPlanRef';
  'prodready.dev/deployment-path': 'deploymentPath';
  'prodready.dev/prometheus-selector': 'prometheusSelector';
  'prodready.dev/prometheus-endpoint': 'prometheusEndpoint';
}

/**
 * The name of a readiness annotation.
 *
 * @public
 */
export type ReadinessAnnotationName = keyof ReadinessAnnotationKeys;

/**
 * The parsed value type of the annotation `N`.
 *
 * @public
 */
export type ReadinessAnnotationValueOf<N extends ReadinessAnnotationName> =
  ReadinessAnnotationValues[ReadinessAnnotationKeys[N]];

/**
 * Options for parsing readiness annotations.
 *
 * @public
 */
export interface ReadinessParseOptions {
  /** The current time, used to reject dates in the future. Defaults to now. */
  now?: Date;
  /**
   * The name used in error messages instead of the annotation name, for a
   * value that comes from elsewhere, such as `spec.targets.availability` of
   * an SLA entity.
   */
  field?: string;
}

/**
 * Describes one readiness annotation: its name, documentation and parser.
 *
 * @public
 */
export interface ReadinessAnnotationSpec<
  N extends ReadinessAnnotationName = ReadinessAnnotationName,
> {
  /** The annotation name, such as `prodready.dev/rto`. */
  name: N;
  /** The key of the parsed value in {@link ReadinessAnnotationValues}. */
  key: ReadinessAnnotationKeys[N];
  /** A short human-readable title. */
  title: string;
  /** What the annotation means. */
  description: string;
  /** An example value. */
  example: string;
  /** The expected form, as used in error messages. */
  expectedForm: string;
  /** Parses a value; never throws. */
  parse(
    value: unknown,
    options?: ReadinessParseOptions,
  ): ParseResult<ReadinessAnnotationValueOf<N>>;
}

/**
 * Any one of the readiness annotation specs.
 *
 * @public
 */
export type AnyReadinessAnnotationSpec = {
  [N in ReadinessAnnotationName]: ReadinessAnnotationSpec<N>;
}[ReadinessAnnotationName];

function spec<N extends ReadinessAnnotationName>(
  definition: ReadinessAnnotationSpec<N>,
): ReadinessAnnotationSpec<N> {
  return definition;
}

/**
 * The registry of readiness annotations, in display order.
 *
 * @public
 */
export const READINESS_ANNOTATIONS: ReadonlyArray<AnyReadinessAnnotationSpec> =
  [
    spec({
      name: READINESS_ANNOTATION_TIER,
      key: 'tier',
      title: 'Tier',
      description:
        'How critical the service is, from tier-1 (most critical) to tier-4. Checks can apply to some tiers only.',
      example: 'tier-1',
      expectedForm: EXPECTED.tier,
      parse: (value, options) =>
        parseTier(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_TIER,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_AVAILABILITY,
      key: 'availability',
      title: 'Availability target',
      description:
        'The availability (uptime) target of the SLA, in percent. The seed asks for 99.9% (8.77 hours of downtime a year).',
      example: '99.9',
      expectedForm: EXPECTED.availability,
      parse: (value, options) =>
        parsePercentage(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_AVAILABILITY,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_LATENCY_P95,
      key: 'latencyP95',
      title: 'p95 latency target',
      description:
        'The 95th percentile response time target. The seed asks for less than 200ms for API calls.',
      example: '200ms',
      expectedForm: EXPECTED.positiveDuration,
      parse: (value, options) =>
        parseDuration(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_LATENCY_P95,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_LATENCY_P99,
      key: 'latencyP99',
      title: 'p99 latency target',
      description: 'The 99th percentile response time target.',
      example: '500ms',
      expectedForm: EXPECTED.positiveDuration,
      parse: (value, options) =>
        parseDuration(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_LATENCY_P99,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_ERROR_RATE,
      key: 'errorRate',
      title: 'Error-rate budget',
      description:
        'The share of requests that may result in 5xx errors, in percent. The seed asks for less than 0.1%.',
      example: '0.1%',
      expectedForm: EXPECTED.percentage,
      parse: (value, options) =>
        parsePercentage(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_ERROR_RATE,
          allowZero: true,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_PEAK_RPS,
      key: 'peakRps',
      title: 'Peak throughput',
      description:
        'The expected peak traffic in requests per second. Capacity is planned for this peak plus a 50% buffer.',
      example: '1200',
      expectedForm: EXPECTED.positiveNumber,
      parse: (value, options) =>
        parsePositiveNumber(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_PEAK_RPS,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_RTO,
      key: 'rto',
      title: 'Recovery time objective (RTO)',
      description: 'The maximum acceptable downtime after a disaster.',
      example: '4h',
      expectedForm: EXPECTED.positiveDuration,
      parse: (value, options) =>
        parseDuration(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_RTO,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_RPO,
      key: 'rpo',
      title: 'Recovery point objective (RPO)',
      description:
        'The maximum acceptable data loss, as a duration (0 means none). Backups must run at least this often.',
      example: '15m',
      expectedForm: EXPECTED.duration,
      parse: (value, options) =>
        parseDuration(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_RPO,
          allowZero: true,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_BACKUP_SCHEDULE,
      key: 'backupSchedule',
      title: 'Backup schedule',
      description:
        'When backups run, as a five-field cron expression in UTC. The longest gap between two backups should not exceed the RPO.',
      example: '0 */6 * * *',
      expectedForm: EXPECTED.cron,
      parse: (value, options) =>
        parseCron(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_BACKUP_SCHEDULE,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_BACKUP_RETENTION,
      key: 'backupRetention',
      title: 'Backup retention',
      description: 'How long backups are kept.',
      example: '30d',
      expectedForm: EXPECTED.positiveDuration,
      parse: (value, options) =>
        parseDuration(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_BACKUP_RETENTION,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_DR_LAST_TESTED,
      key: 'drLastTested',
      title: 'Last disaster recovery test',
      description:
        'The date on which disaster recovery was last tested. It cannot be in the future.',
      example: '2025-01-15',
      expectedForm: EXPECTED.isoDate,
      parse: (value, options) =>
        parseIsoDate(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_DR_LAST_TESTED,
          now: options?.now,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_DR_TEST_INTERVAL,
      key: 'drTestInterval',
      title: 'Disaster recovery test interval',
      description: 'How often disaster recovery must be tested.',
      example: '180d',
      expectedForm: EXPECTED.positiveDuration,
      parse: (value, options) =>
        parseDuration(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_DR_TEST_INTERVAL,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_DR_PLAN_URL,
      key: 'drPlanUrl',
      title: 'Disaster recovery plan',
      description: 'The URL of the disaster recovery plan document.',
      example: 'https://docs.example.com/payments/disaster-recovery',
      expectedForm: EXPECTED.httpUrl,
      parse: (value, options) =>
        parseHttpUrl(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_DR_PLAN_URL,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_RUNBOOK_URL,
      key: 'runbookUrl',
      title: 'Runbook',
      description: 'The URL of the operations runbook.',
      example: 'https://runbooks.example.com/payments',
      expectedForm: EXPECTED.httpUrl,
      parse: (value, options) =>
        parseHttpUrl(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_RUNBOOK_URL,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_SLA_REF,
      key: 'slaRef',
      title: 'SLA',
      description:
        'The SLA entity the service adheres to (kind Resource, spec.type service-level-agreement). The kind defaults to resource and the namespace to default.',
      example: 'sla-gold',
      expectedForm: EXPECTED.entityRef,
      parse: (value, options) =>
        parseEntityRef(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_SLA_REF,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_DR_PLAN_REF,
      key: 'drPlanRef',
      title: 'Disaster recovery plan entity',
      description:
        'The disaster recovery plan entity of the service (kind Resource, spec.type disaster-recovery-plan). The kind defaults to resource and the namespace to default.',
      example: 'dr-plan-payments',
      expectedForm: EXPECTED.entityRef,
      parse: (value, options) =>
        parseEntityRef(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_DR_PLAN_REF,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_DEPLOYMENT_PATH,
      key: 'deploymentPath',
      title: 'Deployment manifests',
      description:
        "Where the service's deployment manifests (Kubernetes) live: a path relative to catalog-info.yaml, or an http(s) URL.",
      example: './deploy/kubernetes',
      expectedForm: EXPECTED.relativePathOrUrl,
      parse: (value, options) =>
        parseRelativePathOrUrl(value, {
          annotation: options?.field ?? READINESS_ANNOTATION_DEPLOYMENT_PATH,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_PROMETHEUS_SELECTOR,
      key: 'prometheusSelector',
      title: 'Prometheus selector',
      description:
        'The label matchers of the service\'s request metrics in Prometheus, for the observed service levels. Defaults to job="<entity name>", as the scaffolder\'s ServiceMonitor labels them.',
      example: 'job="payments-api",namespace="payments"',
      expectedForm: PROMETHEUS_SELECTOR_FORM,
      parse: (value, options) =>
        parsePrometheusSelector(value, {
          annotation:
            options?.field ?? READINESS_ANNOTATION_PROMETHEUS_SELECTOR,
        }),
    }),
    spec({
      name: READINESS_ANNOTATION_PROMETHEUS_ENDPOINT,
      key: 'prometheusEndpoint',
      title: 'Prometheus endpoint',
      description:
        "Which configured Prometheus (readiness.prometheus.endpoints) holds the service's metrics. Defaults to the first.",
      example: 'thanos-eu',
      expectedForm: PROMETHEUS_ENDPOINT_NAME_FORM,
      parse: (value, options) =>
        parsePrometheusEndpointName(value, {
          annotation:
            options?.field ?? READINESS_ANNOTATION_PROMETHEUS_ENDPOINT,
        }),
    }),
  ];

const SPECS_BY_NAME = new Map<string, AnyReadinessAnnotationSpec>(
  READINESS_ANNOTATIONS.map(s => [s.name, s]),
);

/**
 * Whether a string is the name of a readiness annotation.
 *
 * @public
 */
export function isReadinessAnnotationName(
  name: string,
): name is ReadinessAnnotationName {
  return SPECS_BY_NAME.has(name);
}

/**
 * Returns the spec of a readiness annotation.
 *
 * @public
 */
export function getReadinessAnnotationSpec<N extends ReadinessAnnotationName>(
  name: N,
): ReadinessAnnotationSpec<N>;
/**
 * Returns the spec of a readiness annotation, or `undefined` for other names.
 *
 * @public
 */
export function getReadinessAnnotationSpec(
  name: string,
): AnyReadinessAnnotationSpec | undefined;
export function getReadinessAnnotationSpec(
  name: string,
): AnyReadinessAnnotationSpec | undefined {
  return SPECS_BY_NAME.get(name);
}

function unknownAnnotationMessage(name: string): string {
  if (!name.startsWith(READINESS_ANNOTATION_PREFIX)) {
    return `${name} is not a readiness annotation; expected a name starting with ${READINESS_ANNOTATION_PREFIX}`;
  }
  const suggestion = closestName(
    name,
    READINESS_ANNOTATIONS.map(s => s.name),
  );
  if (suggestion) {
    return `${name} is not a known readiness annotation; did you mean ${suggestion}?`;
  }
  const known = READINESS_ANNOTATIONS.map(s => s.name).join(', ');
  return `${name} is not a known readiness annotation; expected one of ${known}`;
}

/**
 * Parses the value of one readiness annotation.
 *
 * @public
 */
export function parseAnnotation<N extends ReadinessAnnotationName>(
  name: N,
  value: unknown,
  options?: ReadinessParseOptions,
): ParseResult<ReadinessAnnotationValueOf<N>>;
/**
 * Parses the value of an annotation by name. Names that are not readiness
 * annotations give an error that suggests the closest known name.
 *
 * @public
 */
export function parseAnnotation(
  name: string,
  value: unknown,
  options?: ReadinessParseOptions,
): ParseResult<ReadinessAnnotationValues[keyof ReadinessAnnotationValues]>;
export function parseAnnotation(
  name: string,
  value: unknown,
  options?: ReadinessParseOptions,
): ParseResult<ReadinessAnnotationValues[keyof ReadinessAnnotationValues]> {
  const found = SPECS_BY_NAME.get(name);
  if (!found) {
    return { ok: false, error: unknownAnnotationMessage(name) };
  }
  return found.parse(value, options);
}

/**
 * A readiness annotation with a bad value, or an unknown `prodready.dev/`
 * annotation.
 *
 * @public
 */
export interface AnnotationError {
  /** The annotation name. */
  annotation: string;
  /** The value as written. */
  value: string;
  /** A message naming the annotation, the value and the expected form. */
  message: string;
}

/**
 * Options for {@link parseReadinessAnnotations}.
 *
 * @public
 */
export interface ParseReadinessAnnotationsOptions
  extends Pick<ReadinessParseOptions, 'now'> {
  /**
   * Whether annotations in the `prodready.dev/` namespace that are not in the
   * registry are ignored. Defaults to `false`: they are reported, so that a
   * misspelt annotation never passes silently.
   */
  ignoreUnknown?: boolean;
}

/**
 * The result of {@link parseReadinessAnnotations}.
 *
 * @public
 */
export interface ReadinessAnnotationsParseResult {
  /** The values that parsed. */
  values: Partial<ReadinessAnnotationValues>;
  /** One error per bad or unknown annotation. */
  errors: AnnotationError[];
}

function assign<N extends ReadinessAnnotationName>(
  values: Partial<ReadinessAnnotationValues>,
  definition: ReadinessAnnotationSpec<N>,
  value: ReadinessAnnotationValueOf<N>,
): void {
  const key: ReadinessAnnotationKeys[N] = definition.key;
  values[key] = value;
}

/**
 * Parses every readiness annotation of an entity. Other annotations are
 * ignored; annotations in the `prodready.dev/` namespace that are not known
 * are reported as errors unless `ignoreUnknown` is set.
 *
 * @public
 */
export function parseReadinessAnnotations(
  annotations: Record<string, string> | undefined,
  options?: ParseReadinessAnnotationsOptions,
): ReadinessAnnotationsParseResult {
  const values: Partial<ReadinessAnnotationValues> = {};
  const errors: AnnotationError[] = [];
  if (!annotations || typeof annotations !== 'object') {
    return { values, errors };
  }
  const asText = (value: unknown) =>
    typeof value === 'string' ? value : JSON.stringify(value) ?? String(value);
  for (const definition of READINESS_ANNOTATIONS) {
    if (!Object.prototype.hasOwnProperty.call(annotations, definition.name)) {
      continue;
    }
    const value: unknown = annotations[definition.name];
    const result = definition.parse(value, { now: options?.now });
    if (result.ok) {
      assign(values, definition, result.value);
    } else {
      errors.push({
        annotation: definition.name,
        value: asText(value),
        message: result.error,
      });
    }
  }
  if (!options?.ignoreUnknown) {
    for (const [name, value] of Object.entries(annotations)) {
      if (
        name.startsWith(READINESS_ANNOTATION_PREFIX) &&
        !SPECS_BY_NAME.has(name)
      ) {
        errors.push({
          annotation: name,
          value: asText(value),
          message: unknownAnnotationMessage(name),
        });
      }
    }
  }
  return { values, errors };
}

/**
 * SLA targets.
 *
 * @public
 */
export interface SlaTargets {
  /** Availability target, percent. */
  availability: number;
  /** p95 latency target, milliseconds. */
  latencyP95: number;
  /** Error-rate budget, percent of requests. */
  errorRate: number;
  /** The HTTP status class that counts as an error. */
  errorStatusClass: '5xx';
}

/**
 * The SLA targets of the seed ("Scaling Metrics & SLAs"): 99.9% availability,
 * response time under 200ms for API calls, and under 0.1% of requests
 * resulting in 5xx errors.
 *
 * @public
 */
export const SEED_SLA_DEFAULTS: Readonly<SlaTargets> = Object.freeze({
  availability: 99.9,
  latencyP95: 200,
  errorRate: 0.1,
  errorStatusClass: '5xx',
});

/**
 * Auto-scaling and capacity planning settings.
 *
 * @public
 */
export interface ScalingSettings {
  /** Target average CPU utilisation, percent of the request. */
  cpuUtilizationPercent: number;
  /** Target average memory utilisation, percent of the request. */
  memoryUtilizationPercent: number;
  /** Response time above which to scale up, milliseconds. */
  responseTimeThresholdMs: number;
  /** Cooldown after scaling up, seconds. */
  scaleUpCooldownSeconds: number;
  /** Cooldown after scaling down, seconds. */
  scaleDownCooldownSeconds: number;
  /** Minimum number of replicas. */
  minReplicas: number;
  /** Maximum number of replicas. */
  maxReplicas: number;
  /** Capacity kept above the expected peak traffic, percent. */
  capacityBufferPercent: number;
}

/**
 * The scaling thresholds of the seed: CPU 70%, memory 80%, response time
 * 500ms, scale-up cooldown 300s, scale-down cooldown 600s, 2 to 50 replicas,
 * and expected peak traffic plus a 50% buffer.
 *
 * @public
 */
export const SEED_SCALING_DEFAULTS: Readonly<ScalingSettings> = Object.freeze({
  cpuUtilizationPercent: 70,
  memoryUtilizationPercent: 80,
  responseTimeThresholdMs: 500,
  scaleUpCooldownSeconds: 300,
  scaleDownCooldownSeconds: 600,
  minReplicas: 2,
  maxReplicas: 50,
  capacityBufferPercent: 50,
});

/** A mean Gregorian year, in milliseconds. */
const YEAR_MS = 365.2425 * 86_400_000;

/**
 * The downtime an availability target allows over a period (a mean year by
 * default), in milliseconds. 99.9% gives about 8.77 hours a year.
 *
 * @public
 */
export function downtimeBudgetMs(
  availabilityPercent: number,
  periodMs: number = YEAR_MS,
): number {
  return ((100 - availabilityPercent) / 100) * periodMs;
}
