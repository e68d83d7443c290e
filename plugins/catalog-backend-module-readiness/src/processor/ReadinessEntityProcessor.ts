import { LoggerService } from '@backstage/backend-plugin-api';
import {
  Entity,
  getCompoundEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { stringifyError } from '@backstage/errors';
import { LocationSpec } from '@backstage/plugin-catalog-common';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  processingResult,
} from '@backstage/plugin-catalog-node';
import {
  RELATION_DR_PLAN_OF,
  RELATION_HAS_DR_PLAN,
  RELATION_HAS_SLA,
  RELATION_SLA_OF,
} from '@prodready/plugin-readiness-common';
import { analyseReadinessEntity } from './analyseReadinessEntity';

/**
 * Options for {@link ReadinessEntityProcessor}.
 *
 * @public
 */
export interface ReadinessEntityProcessorOptions {
  /** Where overdue DR tests are reported (as warnings). */
  logger: LoggerService;
  /** The clock, for DR test ages and dates in the future. Defaults to now. */
  now?: () => Date;
  /**
   * The names of the configured Prometheus endpoints
   * (`readiness.prometheus.endpoints`): a `prodready.dev/prometheus-endpoint`
   * that names another is an error. Not checked when undefined.
   */
  prometheusEndpoints?: ReadonlyArray<string>;
}

function describeEntity(entity: Entity): string {
  try {
    return stringifyEntityRef(entity);
  } catch {
    return `${String(entity?.kind)}:${String(entity?.metadata?.name)}`;
  }
}

/**
 * Validates production-readiness data in the catalog and links services to
 * their service level agreements and disaster recovery plans.
 *
 * @remarks
 *
 * Every bad `prodready.dev/` annotation, every bad field of an SLA
 * (`kind: Resource`, `spec.type: service-level-agreement`) or DR plan
 * (`spec.type: disaster-recovery-plan`) spec, a plan ref that does not name a
 * Resource, and an RPO that the entity's own backup schedule cannot meet
 * become processing errors of the form
 * `<entity ref>: <field>: <problem>; expected <form>`. The processor never
 * throws.
 *
 * For `prodready.dev/sla-ref` and `prodready.dev/dr-plan-ref` it emits
 * relations in both directions (`hasServiceLevelAgreement` /
 * `serviceLevelAgreementOf`, `hasDisasterRecoveryPlan` /
 * `disasterRecoveryPlanOf`).
 *
 * A DR test that is overdue is not an error of the entity (it becomes one by
 * the passing of time): it is logged as a warning, once a day per entity.
 *
 * @public
 */
export class ReadinessEntityProcessor implements CatalogProcessor {
  readonly #logger: LoggerService;
  readonly #now: () => Date;
  readonly #prometheusEndpoints?: ReadonlyArray<string>;
  /** The last overdue warning logged per entity, to log each one once. */
  readonly #warned = new Map<string, string>();

  constructor(options: ReadinessEntityProcessorOptions) {
    this.#logger = options.logger;
    this.#now = options.now ?? (() => new Date());
    this.#prometheusEndpoints = options.prometheusEndpoints;
  }

  getProcessorName(): string {
    return 'ReadinessEntityProcessor';
  }

  async preProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const entityRef = describeEntity(entity);
    try {
      const { errors } = analyseReadinessEntity(entity, this.#now(), {
        prometheusEndpoints: this.#prometheusEndpoints,
      });
      for (const message of errors) {
        emit(processingResult.inputError(location, `${entityRef}: ${message}`));
      }
    } catch (error) {
      emit(
        processingResult.generalError(
          location,
          `${entityRef}: the readiness data could not be validated: ${stringifyError(
            error,
          )}`,
        ),
      );
    }
    return entity;
  }

  async postProcessEntity(
    entity: Entity,
    location: LocationSpec,
    emit: CatalogProcessorEmit,
  ): Promise<Entity> {
    const entityRef = describeEntity(entity);
    try {
      const { sla, drPlan, drTest } = analyseReadinessEntity(
        entity,
        this.#now(),
      );
      if (sla || drPlan) {
        const self = getCompoundEntityRef(entity);
        if (sla) {
          emit(
            processingResult.relation({
              source: self,
              type: RELATION_HAS_SLA,
              target: sla,
            }),
          );
          emit(
            processingResult.relation({
              source: sla,
              type: RELATION_SLA_OF,
              target: self,
            }),
          );
        }
        if (drPlan) {
          emit(
            processingResult.relation({
              source: self,
              type: RELATION_HAS_DR_PLAN,
              target: drPlan,
            }),
          );
          emit(
            processingResult.relation({
              source: drPlan,
              type: RELATION_DR_PLAN_OF,
              target: self,
            }),
          );
        }
      }
      this.#reportDrTest(
        entityRef,
        drTest?.overdue ? drTest.message : undefined,
      );
    } catch (error) {
      emit(
        processingResult.generalError(
          location,
          `${entityRef}: the readiness relations could not be emitted: ${stringifyError(
            error,
          )}`,
        ),
      );
    }
    return entity;
  }

  #reportDrTest(entityRef: string, overdueMessage: string | undefined): void {
    if (!overdueMessage) {
      this.#warned.delete(entityRef);
      return;
    }
    if (this.#warned.get(entityRef) !== overdueMessage) {
      this.#warned.set(entityRef, overdueMessage);
      this.#logger.warn(`${entityRef}: ${overdueMessage}`, {
        entity: entityRef,
      });
    }
  }
}
