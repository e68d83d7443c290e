import { createExtensionPoint } from '@backstage/backend-plugin-api';
import type {
  CheckOperator,
  FactCollector,
} from '@prodready/plugin-readiness-engine';

export type {
  CheckOperator,
  FactCollector,
  FactCollectorContext,
} from '@prodready/plugin-readiness-engine';

/**
 * Lets other backend modules add fact collectors to the readiness engine.
 *
 * @public
 */
export interface ReadinessFactCollectorsExtensionPoint {
  /**
   * Adds fact collectors. Each collector's `id` must be unique: it is the
   * name of its fact document in check rules.
   */
  addFactCollector(...collectors: Array<FactCollector | FactCollector[]>): void;
}

/**
 * Extension point for custom fact collectors.
 *
 * @public
 */
export const readinessFactCollectorsExtensionPoint =
  createExtensionPoint<ReadinessFactCollectorsExtensionPoint>({
    id: 'readiness.fact-collectors',
  });

/**
 * Lets other backend modules add rule operators to the readiness engine.
 *
 * @public
 */
export interface ReadinessChecksExtensionPoint {
  /**
   * Adds rule operators, usable in the rules of every check by their `name`.
   */
  addOperator(...operators: Array<CheckOperator | CheckOperator[]>): void;
}

/**
 * Extension point for custom check operators.
 *
 * @public
 */
export const readinessChecksExtensionPoint =
  createExtensionPoint<ReadinessChecksExtensionPoint>({
    id: 'readiness.checks',
  });
