import type { Entity } from '@backstage/catalog-model';

/**
 * The id of the fact document of the observed service levels: what a
 * service really delivers, read from Prometheus by the
 * `@prodready/plugin-readiness-backend-module-prometheus` collector. Checks
 * over it do not apply where no Prometheus is configured.
 *
 * @public
 */
export const OBSERVED_SERVICE_LEVELS_FACT_ID = 'observedServiceLevels';

/**
 * Whether an entity has observed service levels: a Component of type
 * `service` or `website`, as the Prometheus module's collector reads them.
 *
 * @public
 */
export function isObservedServiceLevelsEntity(entity: Entity): boolean {
  return (
    entity.kind.toLocaleLowerCase('en-US') === 'component' &&
    ['service', 'website'].includes(String(entity.spec?.type ?? ''))
  );
}

/**
 * One PromQL query behind an observed value: the query as sent, its value
 * (`null` for no data or NaN) and when it was read.
 *
 * @public
 */
export interface ObservedQuery {
  /** What the value is, such as `availability` or `burnRate1h`. */
  name: string;
  /** The PromQL, with the service's selector and the window filled in. */
  query: string;
  /** The value Prometheus returned, or null when it returned no sample (for the daily range query: the number of days with a value). */
  value: number | null;
  /** ISO-8601 time of the read. */
  readAt: string;
}

/**
 * The error budget of the availability target over the window, in time
 * equivalents: a 99.9% target over 28 days allows 40 minutes of full
 * downtime; an observed 99.7% used 2 hours.
 *
 * @public
 */
export interface ObservedErrorBudget {
  /** The budget: (100 − target) % of the window, in milliseconds. */
  allowedMs: number;
  /** What was used: (100 − observed) % of the window, in milliseconds. */
  usedMs: number;
  /** The share of the budget used, in percent (over 100 when overspent). */
  consumedPercent: number;
  /** The share left, in percent, from 0 to 100. */
  remainingPercent: number;
  /** Whether the budget is used up. */
  exhausted: boolean;
  /** `allowedMs` in words, such as `40m 19s`. */
  allowedText: string;
  /** `usedMs` in words, such as `2h 48m`. */
  usedText: string;
}

/**
 * The observed availability of one day, for the sparkline.
 *
 * @public
 */
export interface ObservedDailyAvailability {
  /** The day (UTC) on which the 24 hours end, YYYY-MM-DD. */
  date: string;
  /** The share of non-5xx requests that day, or null without traffic. */
  availabilityPercent: number | null;
}

/**
 * The `observedServiceLevels` fact document of one service: what it
 * delivered over the window, next to the targets it declares.
 *
 * @public
 */
export interface ObservedServiceLevelsFacts {
  /**
   * `ok` when Prometheus has request metrics for the service over the
   * window; `no-data` when it has none (a clear fact, not a failure).
   */
  status: 'ok' | 'no-data';
  /** The configured Prometheus endpoint that was read. */
  endpoint: string;
  /** The label matchers of the service's metrics, as in the queries. */
  selector: string;
  /** Whether the selector comes from the annotation or the default. */
  selectorSource: 'annotation' | 'default';
  /** The window, as in PromQL, such as `28d`. */
  window: string;
  /** The window in milliseconds. */
  windowMs: number;
  /** The window in words, such as `28 d`. */
  windowText: string;
  /** ISO-8601 time of the reads. */
  readAt: string;
  /** The declared targets (or the seed defaults) the observations are compared with. */
  targets: {
    availabilityPercent: number;
    latencyP95Ms: number;
    errorRatePercent: number;
  };
  /** Whether the service emitted request metrics in the last 24 hours. */
  emittedLast24h: boolean;
  /** The requests over the window. */
  requests?: number;
  /** The share of non-5xx requests over the window, percent. */
  availabilityPercent?: number;
  /** The share of 5xx responses over the window, percent. */
  errorRatePercent?: number;
  /** The p95 latency over the window, milliseconds (absent without a histogram). */
  latencyP95Ms?: number;
  /** The p99 latency over the window, milliseconds. */
  latencyP99Ms?: number;
  /** The error budget of the availability target. */
  errorBudget?: ObservedErrorBudget;
  /** How fast the budget burns: the 5xx ratio over 1 h and 6 h divided by the budget ratio (1 = on budget). */
  burnRate?: { oneHour: number | null; sixHours: number | null };
  /** The availability per day over the window, oldest first. */
  daily?: ObservedDailyAvailability[];
  /** Every query that was sent, with its value. */
  queries: ObservedQuery[];
}
