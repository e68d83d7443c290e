/**
 * SLO alerting rules from the SLA: multi-window, multi-burn-rate alerts on
 * the availability error budget and on the latency objective, as in the
 * Google SRE workbook ("Alerting on SLOs").
 */

/**
 * One burn-rate alert: the long and short windows and the burn-rate factor.
 *
 * @public
 */
export interface BurnRateWindow {
  long: string;
  short: string;
  factor: number;
  severity: 'page' | 'ticket';
  /** Alert after the condition held this long. */
  for: string;
}

/**
 * The SRE workbook's recommended windows for a 30-day SLO: 2% of the budget
 * in 1h and 5% in 6h page; 10% in 3d opens a ticket.
 *
 * @public
 */
export const BURN_RATE_WINDOWS: ReadonlyArray<BurnRateWindow> = [
  { long: '1h', short: '5m', factor: 14.4, severity: 'page', for: '2m' },
  { long: '6h', short: '30m', factor: 6, severity: 'page', for: '15m' },
  { long: '3d', short: '6h', factor: 1, severity: 'ticket', for: '1h' },
];

const WINDOWS = ['5m', '30m', '1h', '6h', '3d'];

/**
 * A Prometheus rule (recording or alerting).
 *
 * @public
 */
export type PrometheusRuleEntry =
  | { record: string; expr: string; labels?: Record<string, string> }
  | {
      alert: string;
      expr: string;
      for: string;
      labels: Record<string, string>;
      annotations: Record<string, string>;
    };

/**
 * A rule group.
 *
 * @public
 */
export interface PrometheusRuleGroup {
  name: string;
  rules: PrometheusRuleEntry[];
}

/**
 * Inputs of {@link buildSloRuleGroups}.
 *
 * @public
 */
export interface SloTargets {
  name: string;
  /** Availability target, percent (below 100). */
  availabilityPercent: number;
  /** p95 latency target, milliseconds. */
  latencyP95Ms: number;
  /** 5xx budget, percent. */
  errorRatePercent: number;
  /** Runbook link for the alerts, if known. */
  runbookUrl?: string;
}

/** `OrderService` from `order-service`. */
export function alertPrefix(name: string): string {
  return name
    .split('-')
    .filter(Boolean)
    .map(part => part[0].toUpperCase() + part.slice(1))
    .join('');
}

/** A number for PromQL, without floating-point noise. */
function promNumber(value: number): string {
  return String(Number(value.toPrecision(12)));
}

/** The histogram bucket bound (seconds) of the latency objective, as the client library writes `le`. */
export function latencyBucket(latencyMs: number): string {
  return promNumber(latencyMs / 1000);
}

/**
 * Recording rules for the error and slow-request ratios over each window,
 * and burn-rate alerts on both SLOs plus a static alert on the 5xx budget.
 *
 * - Availability SLI: share of requests not answered with a 5xx. Budget =
 *   1 − availability.
 * - Latency SLI: share of requests slower than the p95 target (the
 *   `http_request_duration_seconds` histogram bucket at the target). A p95
 *   objective means 5% of requests may be slower: budget = 0.05.
 *
 * @public
 */
export function buildSloRuleGroups(targets: SloTargets): PrometheusRuleGroup[] {
  const { name } = targets;
  const job = `job="${name}"`;
  const errorBudget = (100 - targets.availabilityPercent) / 100;
  const latencyBudget = 0.05;
  const le = latencyBucket(targets.latencyP95Ms);
  const prefix = alertPrefix(name);

  const recording: PrometheusRuleEntry[] = WINDOWS.flatMap(window => [
    {
      record: `job:slo_errors_per_request:ratio_rate${window}`,
      expr:
        `sum(rate(http_requests_total{${job},code=~"5.."}[${window}]))\n` +
        `/\nsum(rate(http_requests_total{${job}}[${window}]))`,
      labels: { job: name },
    },
    {
      record: `job:slo_slow_requests_per_request:ratio_rate${window}`,
      expr:
        `1 - (\n  sum(rate(http_request_duration_seconds_bucket{${job},le="${le}"}[${window}]))\n` +
        `  /\n  sum(rate(http_request_duration_seconds_count{${job}}[${window}]))\n)`,
      labels: { job: name },
    },
  ]);

  const annotations = (summary: string, description: string) => ({
    summary,
    description,
    ...(targets.runbookUrl ? { runbook_url: targets.runbookUrl } : {}),
  });

  const burnAlerts = (
    sli: 'errors' | 'slow_requests',
    budget: number,
    what: string,
    objective: string,
  ): PrometheusRuleEntry[] =>
    BURN_RATE_WINDOWS.map(window => {
      const threshold = promNumber(window.factor * budget);
      const series = (w: string) =>
        `job:slo_${sli}_per_request:ratio_rate${w}{${job}}`;
      return {
        alert: `${prefix}${
          sli === 'errors' ? 'ErrorBudgetBurn' : 'LatencyBudgetBurn'
        }${window.long}`,
        expr: `${series(window.long)} > ${threshold}\nand\n${series(
          window.short,
        )} > ${threshold}`,
        for: window.for,
        labels: {
          severity: window.severity,
          service: name,
          slo: sli === 'errors' ? 'availability' : 'latency',
        },
        annotations: annotations(
          `${name} is burning its ${what} error budget ${window.factor}× too fast`,
          `Over the last ${window.long} (and ${
            window.short
          }), more than ${promNumber(
            window.factor * budget * 100,
          )}% of requests missed the ${objective} objective. At this rate the 30-day budget is gone in ${promNumber(
            30 / window.factor,
          )} days.`,
        ),
      };
    });

  const alerts: PrometheusRuleEntry[] = [
    ...burnAlerts(
      'errors',
      errorBudget,
      'availability',
      `${promNumber(targets.availabilityPercent)}% availability`,
    ),
    ...burnAlerts(
      'slow_requests',
      latencyBudget,
      'latency',
      `p95 < ${targets.latencyP95Ms}ms`,
    ),
    {
      alert: `${prefix}ErrorRateAboveSla`,
      expr: `job:slo_errors_per_request:ratio_rate30m{${job}} > ${promNumber(
        targets.errorRatePercent / 100,
      )}`,
      for: '10m',
      labels: { severity: 'ticket', service: name, slo: 'error-rate' },
      annotations: annotations(
        `${name} answers more than ${promNumber(
          targets.errorRatePercent,
        )}% of requests with 5xx`,
        `The 5xx rate over 30 minutes is above the SLA's error-rate budget of ${promNumber(
          targets.errorRatePercent,
        )}%.`,
      ),
    },
  ];

  return [
    { name: `${name}-slo-recording`, rules: recording },
    { name: `${name}-slo-alerts`, rules: alerts },
  ];
}
