import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  AnnotationError,
  READINESS_ANNOTATION_AVAILABILITY,
  READINESS_ANNOTATION_BACKUP_SCHEDULE,
  READINESS_ANNOTATION_DR_LAST_TESTED,
  READINESS_ANNOTATION_DR_PLAN_REF,
  READINESS_ANNOTATION_PREFIX,
  READINESS_ANNOTATION_RPO,
  READINESS_ANNOTATION_RTO,
  READINESS_ANNOTATION_SLA_REF,
  ReadinessAnnotationValues,
  SEED_SLA_DEFAULTS,
  parseReadinessAnnotations,
} from '../annotations';
import { CronSchedule, IsoDate, ReadinessTier } from '../parsers';
import { checkBackupScheduleMeetsRpo, formatInterval } from './backups';
import {
  DR_PLAN_RESOURCE_TYPE,
  SLA_RESOURCE_TYPE,
  isDisasterRecoveryPlanEntity,
  isServiceLevelAgreementEntity,
} from './constants';
import { drTestAgeDays, formatDays, getDrTestStatus } from './drTest';
import {
  ServiceLevelSpecParseResult,
  parseDisasterRecoveryPlanSpec,
  parseServiceLevelAgreementSpec,
} from './specs';

/**
 * Where an effective service level value comes from: an annotation on the
 * entity itself, the referenced SLA or DR plan entity, or the seed defaults.
 *
 * @public
 */
export type ServiceLevelSource = 'annotation' | 'sla' | 'dr-plan' | 'default';

/**
 * A service level value together with where it comes from.
 *
 * @public
 */
export interface EffectiveValue<T> {
  /** The value. */
  value: T;
  /** Where the value comes from. */
  source: ServiceLevelSource;
  /** The entity ref of the SLA or DR plan when the source is `sla` or `dr-plan`. */
  sourceRef?: string;
}

/**
 * The kinds of {@link ServiceLevelFinding}.
 *
 * @public
 */
export type ServiceLevelFindingKind =
  | 'dr-test-overdue'
  | 'dr-never-tested'
  | 'backup-exceeds-rpo'
  | 'missing-sla'
  | 'missing-dr-plan'
  | 'referenced-plan-missing'
  | 'referenced-plan-invalid';

/**
 * Something about a service's effective service levels that needs attention.
 *
 * @public
 */
export interface ServiceLevelFinding {
  /** What kind of finding it is. */
  kind: ServiceLevelFindingKind;
  /** How serious it is. */
  severity: 'warning' | 'error';
  /** A plain-words description. */
  message: string;
}

/**
 * The effective service levels of an entity: its own annotations, then the
 * referenced SLA and DR plan, then (for the SLA targets of the seed) the
 * seed defaults.
 *
 * @public
 */
export interface EffectiveServiceLevels {
  /** Service tier (annotation only). */
  tier?: EffectiveValue<ReadinessTier>;
  /** Availability target, percent; falls back to the seed's 99.9. */
  availability: EffectiveValue<number>;
  /** p95 latency target, milliseconds; falls back to the seed's 200. */
  latencyP95: EffectiveValue<number>;
  /** p99 latency target, milliseconds. */
  latencyP99?: EffectiveValue<number>;
  /** Error-rate budget, percent; falls back to the seed's 0.1. */
  errorRate: EffectiveValue<number>;
  /** Expected peak throughput, requests per second. */
  peakRps?: EffectiveValue<number>;
  /** Recovery time objective, milliseconds. */
  rto?: EffectiveValue<number>;
  /** Recovery point objective, milliseconds. */
  rpo?: EffectiveValue<number>;
  /** Backup schedule. */
  backupSchedule?: EffectiveValue<CronSchedule>;
  /** Backup retention, milliseconds. */
  backupRetention?: EffectiveValue<number>;
  /** Date of the last disaster recovery test. */
  drLastTested?: EffectiveValue<IsoDate>;
  /** Disaster recovery test interval, milliseconds. */
  drTestInterval?: EffectiveValue<number>;
  /** URL of the disaster recovery plan document. */
  drPlanUrl?: EffectiveValue<string>;
  /** URL of the runbook. */
  runbookUrl?: EffectiveValue<string>;
  /** Canonical entity ref from `prodready.dev/sla-ref`, when valid. */
  slaRef?: string;
  /** Canonical entity ref from `prodready.dev/dr-plan-ref`, when valid. */
  drPlanRef?: string;
  /** DR test age in whole days at `now`. */
  drTestAgeDays?: number;
  /** Whether the DR test is overdue at `now`. */
  drTestOverdue: boolean;
  /** Errors from this entity's own annotations. */
  errors: AnnotationError[];
  /** What needs attention. */
  findings: ServiceLevelFinding[];
  /** True when the entity has no `prodready.dev/` annotation and no plans. */
  empty: boolean;
}

/**
 * Options for {@link resolveServiceLevels}.
 *
 * @public
 */
export interface ResolveServiceLevelsOptions {
  /** The SLA entity referenced by `prodready.dev/sla-ref`, if it was found. */
  sla?: Entity;
  /** The DR plan entity referenced by `prodready.dev/dr-plan-ref`, if it was found. */
  drPlan?: Entity;
  /** The current time, for the DR test age. Defaults to now. */
  now?: Date;
}

type Values = Partial<ReadinessAnnotationValues>;

interface Plan {
  values: Values;
  ref?: string;
}

interface PlanKind {
  source: 'sla' | 'dr-plan';
  label: string;
  annotation: string;
  type: string;
  isType(entity: Entity): boolean;
  parse(entity: Entity, now: Date): ServiceLevelSpecParseResult;
}

const SLA_PLAN: PlanKind = {
  source: 'sla',
  label: 'SLA',
  annotation: READINESS_ANNOTATION_SLA_REF,
  type: SLA_RESOURCE_TYPE,
  isType: isServiceLevelAgreementEntity,
  parse: entity => parseServiceLevelAgreementSpec(entity),
};

const DR_PLAN: PlanKind = {
  source: 'dr-plan',
  label: 'DR plan',
  annotation: READINESS_ANNOTATION_DR_PLAN_REF,
  type: DR_PLAN_RESOURCE_TYPE,
  isType: isDisasterRecoveryPlanEntity,
  parse: (entity, now) => parseDisasterRecoveryPlanSpec(entity, { now }),
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

function describeSource(value: EffectiveValue<unknown>, annotation: string) {
  if (value.source === 'annotation') {
    return annotation;
  }
  const label = value.source === 'sla' ? 'the SLA' : 'the DR plan';
  return value.sourceRef ? `${label} ${value.sourceRef}` : label;
}

function safeRef(entity: Entity): string | undefined {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return undefined;
  }
}

function resolvePlan(
  kind: PlanKind,
  entity: Entity | undefined,
  ref: string | undefined,
  now: Date,
  findings: ServiceLevelFinding[],
): Plan {
  if (!entity) {
    if (ref) {
      findings.push({
        kind: 'referenced-plan-missing',
        severity: 'error',
        message: `The ${kind.label} ${ref} named by ${kind.annotation} was not found in the catalog, so none of its values apply.`,
      });
    }
    return { values: {} };
  }
  const planRef = safeRef(entity) ?? ref ?? 'the referenced entity';
  if (!kind.isType(entity)) {
    findings.push({
      kind: 'referenced-plan-invalid',
      severity: 'error',
      message: `${planRef} is not a Resource of spec.type ${kind.type}, so none of its values apply.`,
    });
    return { values: {}, ref: planRef };
  }
  const { values, errors } = kind.parse(entity, now);
  for (const error of errors) {
    findings.push({
      kind: 'referenced-plan-invalid',
      severity: 'error',
      message: `The ${kind.label} ${planRef} is invalid, so this value is ignored: ${error.message}`,
    });
  }
  return { values, ref: planRef };
}

/**
 * Resolves the effective service levels of an entity.
 *
 * @remarks
 *
 * Each value comes from the first of: the entity's own `prodready.dev/`
 * annotation; the referenced plan (the SLA for the targets, the DR plan for
 * RTO, RPO, backups, DR tests and the plan and runbook URLs); and, for
 * availability, p95 latency and error rate only, the seed defaults
 * ({@link SEED_SLA_DEFAULTS}). Bad values (in annotations or plans) are
 * skipped and reported, never used.
 *
 * The findings report a referenced plan that was not found or is invalid, a
 * missing SLA (availability only from the defaults) or DR plan (neither RTO
 * nor RPO), a backup schedule that cannot meet the RPO (also when the RPO is
 * inline and the schedule comes from the plan), and a DR test that is
 * overdue or has never happened. Never throws.
 *
 * @public
 */
export function resolveServiceLevels(
  entity: Entity,
  options?: ResolveServiceLevelsOptions,
): EffectiveServiceLevels {
  const now = options?.now ?? new Date();
  const annotations = entity?.metadata?.annotations;
  const { values: inline, errors } = parseReadinessAnnotations(annotations, {
    now,
  });
  const findings: ServiceLevelFinding[] = [];
  const sla = resolvePlan(SLA_PLAN, options?.sla, inline.slaRef, now, findings);
  const drPlan = resolvePlan(
    DR_PLAN,
    options?.drPlan,
    inline.drPlanRef,
    now,
    findings,
  );

  function pick<K extends keyof ReadinessAnnotationValues>(
    key: K,
    plan?: { values: Values; ref?: string; source: 'sla' | 'dr-plan' },
  ): EffectiveValue<ReadinessAnnotationValues[K]> | undefined {
    const own = inline[key];
    if (own !== undefined) {
      return { value: own, source: 'annotation' };
    }
    const shared = plan?.values[key];
    if (plan && shared !== undefined) {
      return plan.ref
        ? { value: shared, source: plan.source, sourceRef: plan.ref }
        : { value: shared, source: plan.source };
    }
    return undefined;
  }
  const fromSla = { ...sla, source: 'sla' as const };
  const fromDrPlan = { ...drPlan, source: 'dr-plan' as const };
  const withDefault = (
    value: EffectiveValue<number> | undefined,
    fallback: number,
  ): EffectiveValue<number> => value ?? { value: fallback, source: 'default' };

  const optional: Partial<EffectiveServiceLevels> = {
    tier: pick('tier'),
    latencyP99: pick('latencyP99', fromSla),
    peakRps: pick('peakRps', fromSla),
    rto: pick('rto', fromDrPlan),
    rpo: pick('rpo', fromDrPlan),
    backupSchedule: pick('backupSchedule', fromDrPlan),
    backupRetention: pick('backupRetention', fromDrPlan),
    drLastTested: pick('drLastTested', fromDrPlan),
    drTestInterval: pick('drTestInterval', fromDrPlan),
    drPlanUrl: pick('drPlanUrl', fromDrPlan),
    runbookUrl: pick('runbookUrl', fromDrPlan),
    slaRef: inline.slaRef,
    drPlanRef: inline.drPlanRef,
  };
  // Leave out the values that are not set, so that the result is the same
  // whether it is used directly or read back from JSON.
  for (const key of Object.keys(optional) as Array<keyof typeof optional>) {
    if (optional[key] === undefined) {
      delete optional[key];
    }
  }
  const levels: EffectiveServiceLevels = {
    availability: withDefault(
      pick('availability', fromSla),
      SEED_SLA_DEFAULTS.availability,
    ),
    latencyP95: withDefault(
      pick('latencyP95', fromSla),
      SEED_SLA_DEFAULTS.latencyP95,
    ),
    errorRate: withDefault(
      pick('errorRate', fromSla),
      SEED_SLA_DEFAULTS.errorRate,
    ),
    ...optional,
    drTestOverdue: false,
    errors,
    findings,
    empty:
      !options?.sla &&
      !options?.drPlan &&
      !Object.keys(isRecord(annotations) ? annotations : {}).some(name =>
        name.startsWith(READINESS_ANNOTATION_PREFIX),
      ),
  };

  if (levels.availability.source === 'default') {
    const why = levels.slaRef
      ? `the SLA ${levels.slaRef} gives no valid one`
      : `neither ${READINESS_ANNOTATION_AVAILABILITY} nor an SLA sets one`;
    findings.push({
      kind: 'missing-sla',
      severity: 'warning',
      message: `No availability target is set (${why}), so the seed default of ${SEED_SLA_DEFAULTS.availability}% applies.`,
    });
  }
  if (!levels.rto && !levels.rpo) {
    const why = levels.drPlanRef
      ? `the DR plan ${levels.drPlanRef} gives no valid one`
      : `neither ${READINESS_ANNOTATION_RTO}, ${READINESS_ANNOTATION_RPO} nor a DR plan sets one`;
    findings.push({
      kind: 'missing-dr-plan',
      severity: 'warning',
      message: `No recovery objective (RTO or RPO) is set: ${why}.`,
    });
  }

  const { rpo, backupSchedule } = levels;
  if (
    rpo &&
    backupSchedule &&
    checkBackupScheduleMeetsRpo(rpo.value, backupSchedule.value, {
      rpo: READINESS_ANNOTATION_RPO,
      backupSchedule: READINESS_ANNOTATION_BACKUP_SCHEDULE,
    })
  ) {
    const gap = formatInterval(backupSchedule.value.maxIntervalMs);
    const objective = formatInterval(rpo.value);
    findings.push({
      kind: 'backup-exceeds-rpo',
      severity: 'error',
      message:
        `Backups run only every ${gap} ('${backupSchedule.value.expression}', ` +
        `from ${describeSource(
          backupSchedule,
          READINESS_ANNOTATION_BACKUP_SCHEDULE,
        )}) ` +
        `but the RPO is ${objective} (from ${describeSource(
          rpo,
          READINESS_ANNOTATION_RPO,
        )}), ` +
        `so up to ${gap} of data could be lost; backups must run at least every ${objective}.`,
    });
  }

  const { drLastTested, drTestInterval } = levels;
  if (drLastTested) {
    levels.drTestAgeDays = drTestAgeDays(drLastTested.value, now);
    if (drTestInterval) {
      const status = getDrTestStatus(
        drLastTested.value,
        drTestInterval.value,
        now,
      );
      levels.drTestOverdue = status.overdue;
      if (status.overdue) {
        findings.push({
          kind: 'dr-test-overdue',
          severity: 'warning',
          message: status.message,
        });
      }
    }
  } else if (
    (levels.rto || levels.rpo || drTestInterval || levels.drPlanRef) &&
    !errors.some(e => e.annotation === READINESS_ANNOTATION_DR_LAST_TESTED)
  ) {
    const interval = drTestInterval
      ? `; it must be tested every ${formatDays(drTestInterval.value)}`
      : '';
    findings.push({
      kind: 'dr-never-tested',
      severity: 'warning',
      message: `Disaster recovery has never been tested: no date of a last test is set (${READINESS_ANNOTATION_DR_LAST_TESTED})${interval}.`,
    });
  }
  return levels;
}
