/*
 * Remediation: the exact change that makes a service's failing deployment
 * checks pass, computed from its own facts and files (`GET
 * /remediation/{kind}/{namespace}/{name}`, the `readiness:remediation:generate`
 * scaffolder action and the readiness CLI all return this shape).
 */
import type { CheckResultStatus } from '../types';

/**
 * One file that the patch creates or changes, relative to the service's
 * deployment folder (`deploymentPath` of the plan).
 *
 * @public
 */
export interface RemediationFileChange {
  path: string;
  change: 'create' | 'modify';
  /** The file before the patch; `null` for a new file. */
  before: string | null;
  /** The file after the whole patch (every fix applied). */
  after: string;
  /** Unified diff of `before` → `after` (`a/<path>`, `b/<path>`). */
  diff: string;
}

/**
 * The fix of one failing check.
 *
 * @public
 */
export interface RemediationFix {
  checkId: string;
  /** The check's title. */
  title: string;
  /** What the fix does, in words, e.g. "Add a PodDisruptionBudget (maxUnavailable 1) that selects the pods of fraud-detection". */
  summary: string;
  /** The check's message before the fix (what it fixes). */
  message: string;
  /** Status of the check before and after the patch, re-scored on the patched files. */
  before: CheckResultStatus;
  after: CheckResultStatus;
  /** The files this fix creates or changes (paths of {@link RemediationPlan.files}). */
  paths: string[];
  /** Unified diff of this fix alone, applied to the original files. */
  diff: string;
}

/**
 * A failing check that the patch does not fix, and why (for example a Helm
 * chart of unknown layout, or a per-pod capacity that only a load test can
 * tell).
 *
 * @public
 */
export interface RemediationUnfixable {
  checkId: string;
  title: string;
  message: string;
  reason: string;
}

/**
 * The patch for one service.
 *
 * @public
 */
export interface RemediationPlan {
  entityRef: string;
  /** `manifests`, `helm`, or `none` when no deployment files were found. */
  source: 'manifests' | 'helm' | 'none';
  /** The folder the paths are relative to, as located for the entity (e.g. `file:/…/deploy` or a URL); null when none. */
  deploymentTarget: string | null;
  /** The fixes, in check order; empty when nothing fails or nothing can be fixed. */
  fixes: RemediationFix[];
  /** The failing checks of the remediable areas that get no fix, and why. */
  unfixable: RemediationUnfixable[];
  /** Every file changed by the whole patch. */
  files: RemediationFileChange[];
  /** A pull-request description: each check it fixes, with the message it fixed. */
  description: string;
  /** ISO-8601 time of the computation. */
  computedAt: string;
}

/**
 * The facts of one collector for one entity, as stored.
 *
 * @public
 */
export interface EntityFactsDocument {
  /** The collector's schema version of the facts. */
  version: number;
  facts: { [key: string]: unknown };
  /** ISO-8601 time of the collection. */
  collectedAt: string;
  /** The last collection failed, so these are older facts. */
  stale: boolean;
  /** Why the last collection failed. */
  error?: string;
}

/**
 * The stored facts of an entity, by collector id
 * (`GET /facts/{kind}/{namespace}/{name}`).
 *
 * @public
 */
export interface EntityStoredFacts {
  entityRef: string;
  facts: { [collectorId: string]: EntityFactsDocument };
}
