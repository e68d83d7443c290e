import type { ReadinessAreaId } from '../areas';
import type { ReadinessApplicability } from './applicability';
import type { JsonObject, JsonValue } from './json';

/**
 * How serious a failing check is.
 *
 * @public
 */
export type CheckSeverity = 'info' | 'warning' | 'error';

/**
 * All check severities, from the least to the most serious.
 *
 * @public
 */
export const CHECK_SEVERITIES: ReadonlyArray<CheckSeverity> = [
  'info',
  'warning',
  'error',
];

/**
 * A leaf condition of a check rule, in the style of json-rules-engine (and so
 * of Tech Insights checks): compare a fact, or a path within it, with a value
 * using an operator such as `equal` or `greaterThanInclusive`.
 *
 * @public
 */
export interface CheckCondition {
  /** The fact name, such as `sla.availability`. */
  fact: string;
  /** The operator, such as `equal`, `lessThanInclusive` or `in`. */
  operator: string;
  /** The value to compare with (a `{ fact }` object refers to another fact). */
  value: JsonValue;
  /** A JSONPath within the fact, such as `$.spec.minReplicas`. */
  path?: string;
  /** Parameters passed to the fact. */
  params?: JsonObject;
  /**
   * What to say when this condition makes the check fail, in words, with
   * placeholders such as `{deployment.hpa.name}` (see {@link CheckMessages}).
   */
  message?: string;
}

/**
 * A check rule: conditions combined with `all`, `any` and `not`, as in
 * json-rules-engine. The engine compiles rules once into predicates; here the
 * rule is only data.
 *
 * @public
 */
export type CheckRule =
  | { all: CheckRule[]; message?: string }
  | { any: CheckRule[]; message?: string }
  | { not: CheckRule; message?: string }
  | CheckCondition;

/**
 * What a check says, in words that a developer reads, with the facts filled
 * in. The explanation in terms of the facts is then kept as the result's
 * `details`.
 *
 * @remarks
 *
 * Placeholders read facts as rules do: `{deployment.mainWorkload.name}`;
 * `{deployment.hpa.name|the HPA}` gives the text for a missing value;
 * `{#deployment.removedApis}{.kind} {.name}{/deployment.removedApis}` repeats
 * for each item of a list (or shows once when a value is set) and
 * `{^deployment.pdb}…{/deployment.pdb}` shows when it is not; `{{` and `}}`
 * are braces. A placeholder that reads an unknown fact document makes the
 * check invalid. When the rule fails, the `message` of the first condition
 * that made it fail wins over `fail`.
 *
 * @public
 */
export interface CheckMessages {
  /** When the check passes, such as "HPA `web` keeps 2 to 18 replicas". */
  pass?: string;
  /** When it fails or warns, such as "No PodDisruptionBudget selects the pods of `web`". */
  fail?: string;
  /**
   * When its `appliesWhen` rule does not hold, such as "No request metrics
   * over 28 d: the observed availability cannot be compared".
   */
  notApplicable?: string;
}

/**
 * A check: a rule evaluated against an entity's facts.
 *
 * @public
 */
export interface CheckDefinition {
  /** Stable id, such as `hpa-configured`. */
  id: string;
  /** Display title. */
  title: string;
  /** Longer explanation of what is checked and why. */
  description?: string;
  /** The readiness area the check belongs to. */
  area: ReadinessAreaId;
  /** The id of the level the check gates, such as `bronze`. */
  level: string;
  /** Which entities the check applies to; all when absent. */
  applicability?: ReadinessApplicability;
  /**
   * Where the result comes from: `rule` (the default) evaluates `rule`
   * against the facts; `external` takes the result that a pipeline pushed
   * (`POST /api/readiness/results/{kind}/{namespace}/{name}`), with its own
   * message and expiry. An external check is defined without a rule; the
   * validated definition then holds the rule it stands for, over the
   * `external` fact document.
   */
  source?: 'rule' | 'external';
  /**
   * A rule over the facts that must hold for the check to apply: where it
   * does not, or where a fact document it reads was not collected (its
   * collector is not installed, or does not apply to the entity), the result
   * is `not-applicable` with `messages.notApplicable` or the reason. For
   * checks over optional facts, such as the observed service levels that
   * only exist where a Prometheus is configured.
   */
  appliesWhen?: CheckRule;
  /** The rule. */
  rule: CheckRule;
  /** What the check says in words when it passes or fails; else the facts explain it. */
  messages?: CheckMessages;
  /** How serious a failure is: `error` fails, `warning` warns, `info` informs. */
  severity: CheckSeverity;
  /** How to fix a failure. */
  remediation: string;
  /** A link to documentation. */
  docsUrl?: string;
}

/**
 * A decision to accept a failing check for one entity, for a while.
 *
 * @public
 */
export interface CheckWaiver {
  checkId: string;
  entityRef: string;
  /** Why the check is waived. */
  reason: string;
  /** Entity ref of the user who waived it. */
  waivedBy: string;
  /** ISO-8601 timestamp. */
  waivedAt: string;
  /** ISO-8601 timestamp after which the waiver no longer applies. */
  expiresAt?: string;
}

/**
 * The ids of the built-in checks that the Phase 4 checklist items are bound
 * to. The backend's built-in checks use these ids.
 *
 * @public
 */
export const BUILT_IN_CHECK_IDS = Object.freeze({
  /** auto-scaling: a HorizontalPodAutoscaler within the seed's bounds. */
  hpaConfigured: 'hpa-configured',
  /** load-balancing: liveness and readiness probes on every container. */
  probesConfigured: 'probes-configured',
  /** load-balancing: a PodDisruptionBudget that leaves room to drain. */
  pdbConfigured: 'pdb-configured',
  /** performance: CPU and memory requests and limits on every container. */
  resourceRequests: 'resource-requests',
  /** security: every Ingress serves TLS. */
  ingressTls: 'ingress-tls',
  /** security: a NetworkPolicy selects the service's pods. */
  networkPolicy: 'network-policy',
  /** sla: availability, latency and error-rate targets are declared. */
  slaDefined: 'sla-defined',
  /** monitoring: SLO alerting rules exist for the SLA. */
  sloAlerts: 'slo-alerts',
  /** monitoring: a runbook is linked. */
  runbookLinked: 'runbook-linked',
  /** disaster-recovery: a DR plan is linked (URL or entity). */
  drPlanLinked: 'dr-plan-linked',
  /** disaster-recovery: the last DR test is within the test interval. */
  drTested: 'dr-tested',
  /** disaster-recovery: the longest gap between backups is within the RPO. */
  backupMeetsRpo: 'backup-meets-rpo',
});

/**
 * The fact document of the results pushed for external checks
 * (`source: external`): `{ results: { <checkId>: ExternalCheckResult } }`.
 *
 * @public
 */
export const EXTERNAL_RESULTS_FACT_ID = 'external';

/**
 * A result pushed for an external check, as the `external` fact document
 * holds it.
 *
 * @public
 */
export interface ExternalCheckResult {
  status: 'pass' | 'fail' | 'warn';
  message: string;
  /** A link to the pipeline run or report. */
  detailsUrl?: string;
  /** A number the pipeline measured, such as a p95 latency in ms. */
  value?: number;
  /** Who pushed it (the service principal's subject). */
  pushedBy: string;
  /** ISO-8601 time of the push. */
  pushedAt: string;
  /** ISO-8601 time after which the result is stale. */
  expiresAt: string;
}
