import type { Entity } from '@backstage/catalog-model';
import type {
  CheckDefinition,
  JsonObject,
} from '@prodready/plugin-readiness-common';
import type { DeploymentFileInput } from '../facts/deployment';
import type { CheckOperator } from '../types';

/**
 * Options of {@link computeRemediation}.
 *
 * @public
 */
export interface ComputeRemediationOptions {
  /** The catalog entity of the service. */
  entity: Entity;
  /** The files of its deployment folder, paths relative to that folder. */
  files: ReadonlyArray<DeploymentFileInput>;
  /**
   * The facts of the other collectors, by collector id (`entity`,
   * `serviceLevels`, …), as the readiness backend stored them. The
   * `deployment` facts are always recomputed from `files`.
   */
  facts: Record<string, JsonObject>;
  /** Where the files were read from, for the plan (`file:/…/deploy`, a URL). */
  deploymentTarget?: string | null;
  /** The checks to fix; default the built-in checks. */
  checks?: ReadonlyArray<CheckDefinition>;
  /** Custom operators the checks use (see the checks extension point). */
  operators?: ReadonlyArray<CheckOperator>;
  /** The time of the evaluation; default now. */
  now?: Date;
}
