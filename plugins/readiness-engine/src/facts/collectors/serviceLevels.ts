import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  EffectiveServiceLevels,
  EffectiveValue,
  JsonObject,
  READINESS_ANNOTATION_DR_PLAN_REF,
  READINESS_ANNOTATION_SLA_REF,
  SEED_SCALING_DEFAULTS,
  ServiceLevelFindingKind,
  formatDuration,
  isDisasterRecoveryPlanEntity,
  isServiceLevelAgreementEntity,
  parseAnnotation,
  resolveServiceLevels,
} from '@prodready/plugin-readiness-common';
import type { FactCollector } from '../../types';

/**
 * Id of the service levels fact collector: rules read `serviceLevels.<path>`.
 *
 * @public
 */
export const SERVICE_LEVELS_FACT_COLLECTOR_ID = 'serviceLevels';

/**
 * The effective SLA and DR data of an entity, flattened to plain JSON.
 * Durations are milliseconds (`…Ms`), percentages numbers from 0 to 100;
 * absent values are `null`.
 *
 * @public
 */
export type ServiceLevelsFacts = {
  /** `prodready.dev/tier` when valid. */
  tier: string | null;
  /** Effective availability target (falls back to the seed's 99.9). */
  availabilityPercent: number;
  availabilitySource: string;
  /** Effective p95 latency target (falls back to the seed's 200 ms). */
  latencyP95Ms: number;
  latencyP95Source: string;
  latencyP99Ms: number | null;
  /** Effective error-rate budget (falls back to the seed's 0.1%). */
  errorRatePercent: number;
  errorRateSource: string;
  /** Availability, p95 latency and error rate are all declared (none is a seed default). */
  slaDeclared: boolean;
  /** The SLA targets that fall back to the seed defaults. */
  defaultedTargets: string[];
  peakRps: number | null;
  /** Peak plus the seed's 50% buffer: the throughput the service must handle. */
  requiredCapacityRps: number | null;
  rtoMs: number | null;
  /** The RTO as a duration string (`1h`). */
  rto: string | null;
  rpoMs: number | null;
  /** The RPO as a duration string (`15m`), for duration rules with a fact operand. */
  rpo: string | null;
  /** The backup cron expression. */
  backupSchedule: string | null;
  /** Longest gap between two scheduled backups. */
  backupScheduleMaxIntervalMs: number | null;
  /** Whether the backups run at least as often as the RPO; null without both. */
  backupMeetsRpo: boolean | null;
  backupRetentionMs: number | null;
  /** `YYYY-MM-DD`. */
  drLastTested: string | null;
  drTestAgeDays: number | null;
  drTestIntervalMs: number | null;
  /** The interval as a duration string (`90d`), for `dateWithin` rules. */
  drTestInterval: string | null;
  drTestOverdue: boolean;
  drPlanUrl: string | null;
  runbookUrl: string | null;
  /** Canonical ref from `prodready.dev/sla-ref`, when valid. */
  slaRef: string | null;
  drPlanRef: string | null;
  /** The referenced SLA entity was found and is a Resource of type service-level-agreement. */
  slaResolved: boolean;
  /** The referenced DR plan entity was found and is a Resource of type disaster-recovery-plan. */
  drPlanResolved: boolean;
  /** The kinds of the findings, such as `dr-test-overdue`. */
  findings: ServiceLevelFindingKind[];
  /** The findings in words. */
  findingMessages: string[];
  /** Bad or unknown `prodready.dev/` annotations on the entity. */
  errors: number;
  /** The names of those annotations, sorted. */
  errorAnnotations: string[];
  errorMessages: string[];
  /** No `prodready.dev/` annotation and no plan at all. */
  empty: boolean;
};

/**
 * Options of {@link createServiceLevelsFactCollector}.
 *
 * @public
 */
export interface ServiceLevelsFactCollectorOptions {
  /** Reads the SLA and DR plan entities (the catalog service will do). */
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  /** The plugin's own credentials for the catalog (the auth service will do). */
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /** Entity kinds the collector applies to; default `['Component']`. */
  kinds?: ReadonlyArray<string>;
  /** The current time; for tests. */
  now?: () => Date;
}

function value<T>(effective: EffectiveValue<T> | undefined): T | null {
  return effective === undefined ? null : effective.value;
}

function validRef(entity: Entity, annotation: string): string | undefined {
  const raw = entity.metadata.annotations?.[annotation];
  if (raw === undefined) {
    return undefined;
  }
  const parsed = parseAnnotation(annotation, raw);
  return parsed.ok && typeof parsed.value === 'string'
    ? parsed.value
    : undefined;
}

/**
 * Flattens resolved service levels into facts; pure.
 *
 * @public
 */
export function toServiceLevelsFacts(
  levels: EffectiveServiceLevels,
  plans: { sla?: Entity; drPlan?: Entity } = {},
): ServiceLevelsFacts {
  const findings = levels.findings;
  const defaultedTargets = (
    [
      ['availability', levels.availability],
      ['latencyP95', levels.latencyP95],
      ['errorRate', levels.errorRate],
    ] as const
  )
    .filter(([, target]) => target.source === 'default')
    .map(([name]) => name);
  const rpo = value(levels.rpo);
  const schedule = levels.backupSchedule?.value;
  const peakRps = value(levels.peakRps);
  const buffer = 1 + SEED_SCALING_DEFAULTS.capacityBufferPercent / 100;
  const interval = value(levels.drTestInterval);
  return {
    tier: value(levels.tier),
    availabilityPercent: levels.availability.value,
    availabilitySource: levels.availability.source,
    latencyP95Ms: levels.latencyP95.value,
    latencyP95Source: levels.latencyP95.source,
    latencyP99Ms: value(levels.latencyP99),
    errorRatePercent: levels.errorRate.value,
    errorRateSource: levels.errorRate.source,
    slaDeclared: defaultedTargets.length === 0,
    defaultedTargets,
    peakRps,
    requiredCapacityRps:
      peakRps === null
        ? null
        : Math.ceil(Number((peakRps * buffer).toFixed(6))),
    rtoMs: value(levels.rto),
    rto: levels.rto ? formatDuration(levels.rto.value) : null,
    rpoMs: rpo,
    rpo: rpo === null ? null : formatDuration(rpo),
    backupSchedule: schedule?.expression ?? null,
    backupScheduleMaxIntervalMs: schedule?.maxIntervalMs ?? null,
    backupMeetsRpo:
      rpo === null || schedule === undefined
        ? null
        : !findings.some(f => f.kind === 'backup-exceeds-rpo'),
    backupRetentionMs: value(levels.backupRetention),
    drLastTested: levels.drLastTested?.value.iso ?? null,
    drTestAgeDays: levels.drTestAgeDays ?? null,
    drTestIntervalMs: interval,
    drTestInterval: interval === null ? null : formatDuration(interval),
    drTestOverdue: levels.drTestOverdue,
    drPlanUrl: value(levels.drPlanUrl),
    runbookUrl: value(levels.runbookUrl),
    slaRef: levels.slaRef ?? null,
    drPlanRef: levels.drPlanRef ?? null,
    slaResolved:
      plans.sla !== undefined && isServiceLevelAgreementEntity(plans.sla),
    drPlanResolved:
      plans.drPlan !== undefined && isDisasterRecoveryPlanEntity(plans.drPlan),
    findings: findings.map(f => f.kind),
    findingMessages: findings.map(f => f.message),
    errors: levels.errors.length,
    errorAnnotations: [...new Set(levels.errors.map(e => e.annotation))].sort(),
    errorMessages: levels.errors.map(e => e.message),
    empty: levels.empty,
  };
}

/**
 * A fact collector for the effective SLA and DR data of an entity: its own
 * `prodready.dev/` annotations, then the SLA and DR plan entities it
 * references (read from the catalog with the plugin's own credentials),
 * then the seed defaults; see `resolveServiceLevels` in -common.
 *
 * A referenced plan that is not in the catalog is a finding, not an error;
 * a catalog that cannot be reached throws, so the engine keeps the previous
 * facts and marks them stale.
 *
 * @public
 */
export function createServiceLevelsFactCollector(
  options: ServiceLevelsFactCollectorOptions,
): FactCollector {
  const { catalog, auth } = options;
  const kinds = new Set(
    (options.kinds ?? ['Component']).map(k => k.toLocaleLowerCase('en-US')),
  );
  const now = options.now ?? (() => new Date());
  return {
    id: SERVICE_LEVELS_FACT_COLLECTOR_ID,
    version: 1,
    appliesTo(entity) {
      return kinds.has(entity.kind.toLocaleLowerCase('en-US'));
    },
    async collect({ entity }) {
      const slaRef = validRef(entity, READINESS_ANNOTATION_SLA_REF);
      const drPlanRef = validRef(entity, READINESS_ANNOTATION_DR_PLAN_REF);
      let credentials: BackstageCredentials | undefined;
      const fetchPlan = async (ref: string | undefined) => {
        if (!ref) {
          return undefined;
        }
        credentials ??= await auth.getOwnServiceCredentials();
        return catalog.getEntityByRef(ref, { credentials });
      };
      const [sla, drPlan] = await Promise.all([
        fetchPlan(slaRef),
        fetchPlan(drPlanRef),
      ]);
      const levels = resolveServiceLevels(entity, { sla, drPlan, now: now() });
      return toServiceLevelsFacts(levels, { sla, drPlan }) as JsonObject;
    },
  };
}
