import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@backstage/types';

/**
 * What a fact collector is given for one entity.
 *
 * @public
 */
export interface FactCollectorContext {
  /** The catalog entity whose facts are collected. */
  entity: Entity;
  /** The facts this collector returned last time, if any. */
  previous?: JsonObject;
  /** Aborted when the evaluation cycle times out. */
  signal?: AbortSignal;
}

/**
 * Collects one JSON document of facts per entity, for the readiness engine.
 *
 * @public
 */
export interface FactCollector {
  /** Unique id, also the root path of the facts in check rules (e.g. `deployment`). */
  readonly id: string;
  /** Bumped when the shape of the facts changes; stored with the facts. */
  readonly version: number;
  /** Whether this collector has anything to say about the entity. */
  appliesTo?(entity: Entity): boolean;
  /** Returns the facts. A thrown error keeps the previous facts, marked stale. */
  collect(context: FactCollectorContext): Promise<JsonObject>;
}

/**
 * A custom rule operator: `fact` is the value at the rule's fact path, `value`
 * is the rule's operand.
 *
 * @public
 */
export interface CheckOperator {
  readonly name: string;
  /** Validates the operand once, when checks are compiled; returns an error message or undefined. */
  validateOperand?(value: unknown): string | undefined;
  evaluate(fact: unknown, value: unknown): boolean;
}
