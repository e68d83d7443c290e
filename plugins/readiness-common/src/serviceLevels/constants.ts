import { Entity } from '@backstage/catalog-model';

/**
 * The `spec.type` of a `kind: Resource` entity that is a service level
 * agreement, shared by the services that reference it with
 * `prodready.dev/sla-ref`.
 *
 * @public
 */
export const SLA_RESOURCE_TYPE = 'service-level-agreement';

/**
 * The `spec.type` of a `kind: Resource` entity that is a disaster recovery
 * plan, shared by the services that reference it with
 * `prodready.dev/dr-plan-ref`.
 *
 * @public
 */
export const DR_PLAN_RESOURCE_TYPE = 'disaster-recovery-plan';

/**
 * Relation from a service to its service level agreement.
 *
 * @public
 */
export const RELATION_HAS_SLA = 'hasServiceLevelAgreement';

/**
 * Relation from a service level agreement to a service that adheres to it;
 * the reverse of {@link RELATION_HAS_SLA}.
 *
 * @public
 */
export const RELATION_SLA_OF = 'serviceLevelAgreementOf';

/**
 * Relation from a service to its disaster recovery plan.
 *
 * @public
 */
export const RELATION_HAS_DR_PLAN = 'hasDisasterRecoveryPlan';

/**
 * Relation from a disaster recovery plan to a service it covers; the reverse
 * of {@link RELATION_HAS_DR_PLAN}.
 *
 * @public
 */
export const RELATION_DR_PLAN_OF = 'disasterRecoveryPlanOf';

function isResourceOfType(entity: Entity, type: string): boolean {
  const spec: unknown = entity?.spec;
  return (
    typeof entity?.kind === 'string' &&
    entity.kind.toLocaleLowerCase('en-US') === 'resource' &&
    typeof spec === 'object' &&
    spec !== null &&
    (spec as { type?: unknown }).type === type
  );
}

/**
 * Whether an entity is a service level agreement: `kind: Resource` with
 * `spec.type: service-level-agreement`.
 *
 * @public
 */
export function isServiceLevelAgreementEntity(entity: Entity): boolean {
  return isResourceOfType(entity, SLA_RESOURCE_TYPE);
}

/**
 * Whether an entity is a disaster recovery plan: `kind: Resource` with
 * `spec.type: disaster-recovery-plan`.
 *
 * @public
 */
export function isDisasterRecoveryPlanEntity(entity: Entity): boolean {
  return isResourceOfType(entity, DR_PLAN_RESOURCE_TYPE);
}

/**
 * The readiness relations as pairs of a relation and its reverse, in the
 * shape the catalog graph expects for its `relationPairs`.
 *
 * @public
 */
export const READINESS_RELATION_PAIRS: ReadonlyArray<
  readonly [string, string]
> = [
  [RELATION_HAS_SLA, RELATION_SLA_OF],
  [RELATION_HAS_DR_PLAN, RELATION_DR_PLAN_OF],
];
