import {
  CompoundEntityRef,
  Entity,
  parseEntityRef,
} from '@backstage/catalog-model';
import {
  DR_PLAN_RESOURCE_TYPE,
  DrTestStatus,
  READINESS_ANNOTATION_BACKUP_SCHEDULE,
  READINESS_ANNOTATION_DR_PLAN_REF,
  READINESS_ANNOTATION_RPO,
  READINESS_ANNOTATION_SLA_REF,
  ReadinessAnnotationValues,
  SLA_RESOURCE_TYPE,
  checkBackupScheduleMeetsRpo,
  getDrTestStatus,
  isDisasterRecoveryPlanEntity,
  isServiceLevelAgreementEntity,
  parseDisasterRecoveryPlanSpec,
  parseReadinessAnnotations,
  parseServiceLevelAgreementSpec,
  unknownPrometheusEndpointMessage,
} from '@prodready/plugin-readiness-common';

/**
 * What the processor learns from one entity on its own (it cannot see the
 * plans the entity references).
 */
export interface ReadinessEntityAnalysis {
  /**
   * One message per problem, without the entity ref: bad annotation values,
   * a plan ref of the wrong kind, bad SLA/DR plan spec fields, and an RPO
   * that the entity's own backup schedule cannot meet.
   */
  errors: string[];
  /** The SLA the entity references, when the ref is a valid Resource ref. */
  sla?: CompoundEntityRef;
  /** The DR plan the entity references, when the ref is a valid Resource ref. */
  drPlan?: CompoundEntityRef;
  /**
   * The DR test status, when the entity itself carries both the date of the
   * last test and the test interval.
   */
  drTest?: DrTestStatus;
}

/**
 * Checks that a plan ref names a Resource. Which `spec.type` the Resource has
 * can only be checked once the plan is loaded (`resolveServiceLevels`).
 */
function planTarget(
  annotation: string,
  raw: unknown,
  canonicalRef: string | undefined,
  type: string,
  errors: string[],
): CompoundEntityRef | undefined {
  if (canonicalRef === undefined) {
    return undefined;
  }
  const target = parseEntityRef(canonicalRef);
  if (target.kind.toLocaleLowerCase('en-US') !== 'resource') {
    errors.push(
      `${annotation}: '${String(
        raw,
      )}' must refer to a Resource of spec.type ${type}`,
    );
    return undefined;
  }
  return target;
}

/**
 * Validates the readiness data of one entity: its `prodready.dev/`
 * annotations (with the shared parsers), the spec of an SLA or DR plan
 * entity, plan refs, whether the backup schedule can meet the RPO when
 * both are on the entity, and that a Prometheus endpoint it names is
 * configured. Never throws for malformed entities.
 */
export function analyseReadinessEntity(
  entity: Entity,
  now: Date,
  options?: {
    /** The names of the configured Prometheus endpoints, when there are any. */
    prometheusEndpoints?: ReadonlyArray<string>;
  },
): ReadinessEntityAnalysis {
  const annotations = entity.metadata?.annotations;
  const parsed = parseReadinessAnnotations(annotations, { now });
  const errors = parsed.errors.map(error => error.message);
  const endpoint = parsed.values.prometheusEndpoint;
  const endpoints = options?.prometheusEndpoints;
  if (endpoint !== undefined && endpoints && !endpoints.includes(endpoint)) {
    errors.push(unknownPrometheusEndpointMessage(endpoint, endpoints));
  }
  const analysis: ReadinessEntityAnalysis = { errors };

  analysis.sla = planTarget(
    READINESS_ANNOTATION_SLA_REF,
    annotations?.[READINESS_ANNOTATION_SLA_REF],
    parsed.values.slaRef,
    SLA_RESOURCE_TYPE,
    errors,
  );
  analysis.drPlan = planTarget(
    READINESS_ANNOTATION_DR_PLAN_REF,
    annotations?.[READINESS_ANNOTATION_DR_PLAN_REF],
    parsed.values.drPlanRef,
    DR_PLAN_RESOURCE_TYPE,
    errors,
  );

  checkRpo(
    parsed.values,
    READINESS_ANNOTATION_RPO,
    READINESS_ANNOTATION_BACKUP_SCHEDULE,
    errors,
  );
  let drValues = parsed.values;

  if (isServiceLevelAgreementEntity(entity)) {
    const spec = parseServiceLevelAgreementSpec(entity);
    errors.push(...spec.errors.map(error => error.message));
  } else if (isDisasterRecoveryPlanEntity(entity)) {
    const spec = parseDisasterRecoveryPlanSpec(entity, { now });
    errors.push(...spec.errors.map(error => error.message));
    checkRpo(spec.values, 'spec.rpo', 'spec.backupSchedule', errors);
    drValues = { ...spec.values, ...parsed.values };
  }

  const { drLastTested, drTestInterval } = drValues;
  if (drLastTested && drTestInterval) {
    analysis.drTest = getDrTestStatus(drLastTested, drTestInterval, now);
  }
  return analysis;
}

function checkRpo(
  values: Partial<ReadinessAnnotationValues>,
  rpo: string,
  backupSchedule: string,
  errors: string[],
): void {
  if (values.rpo !== undefined && values.backupSchedule) {
    const problem = checkBackupScheduleMeetsRpo(
      values.rpo,
      values.backupSchedule,
      { rpo, backupSchedule },
    );
    if (problem) {
      errors.push(problem);
    }
  }
}
