import {
  ObservedDailyAvailability,
  ObservedErrorBudget,
  ObservedQuery,
  ObservedServiceLevelsFacts,
  downtimeBudgetMs,
} from '@prodready/plugin-readiness-common';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * A duration in words with two units at most, rounded: `2h 48m`, `40m 19s`,
 * `3d 4h`, `12s`, `0s`.
 */
export function formatApproxDuration(ms: number): string {
  const units: Array<[string, number]> = [
    ['d', DAY],
    ['h', HOUR],
    ['m', MINUTE],
    ['s', 1000],
  ];
  const rest = Math.max(0, ms);
  for (let i = 0; i < units.length; i++) {
    const [unit, size] = units[i];
    if (rest < size && i < units.length - 1) {
      continue;
    }
    const next = units[i + 1];
    if (!next) {
      return `${Math.round(rest / size)}${unit}`;
    }
    // Rounded to the smaller unit; 59m 59.7s becomes 1h, not 60m.
    const rounded = Math.round(rest / next[1]) * next[1];
    if (i > 0 && rounded >= units[i - 1][1]) {
      return formatApproxDuration(rounded);
    }
    const whole = Math.floor(rounded / size);
    const part = Math.round((rounded - whole * size) / next[1]);
    return part > 0 ? `${whole}${unit} ${part}${next[0]}` : `${whole}${unit}`;
  }
  return '0s';
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** The targets the observations are compared with. */
export type ObservedTargets = ObservedServiceLevelsFacts['targets'];

/** What was read from Prometheus for one service. */
export interface ObservedReadings {
  /** Requests over the window; null when Prometheus has no series. */
  requests: number | null;
  /** Samples of the last 24 h; null when none. */
  recentSamples: number | null;
  /** The 5xx ratio (0..1) over the window, 1 h and 6 h; null without traffic. */
  errorRatio?: number | null;
  errorRatio1h?: number | null;
  errorRatio6h?: number | null;
  /** Latency quantiles, in seconds; null without a histogram. */
  latencyP95Seconds?: number | null;
  latencyP99Seconds?: number | null;
  /** The 5xx ratio over each day of the window. */
  daily?: Array<{ time: number; value: number | null }>;
}

/** Options of {@link toObservedFacts}. */
export interface ToObservedFactsOptions {
  endpoint: string;
  selector: string;
  selectorSource: 'annotation' | 'default';
  window: string;
  windowMs: number;
  windowText: string;
  readAt: Date;
  targets: ObservedTargets;
  readings: ObservedReadings;
  queries: ObservedQuery[];
}

/** The error budget of an availability target over a window, in time. */
export function errorBudgetOf(
  targetPercent: number,
  observedPercent: number,
  windowMs: number,
): ObservedErrorBudget {
  const allowedMs = downtimeBudgetMs(targetPercent, windowMs);
  const usedMs = Math.max(0, downtimeBudgetMs(observedPercent, windowMs));
  let consumedPercent: number;
  if (allowedMs > 0) {
    consumedPercent = (usedMs / allowedMs) * 100;
  } else {
    consumedPercent = usedMs > 0 ? 100 : 0;
  }
  return {
    allowedMs: Math.round(allowedMs),
    usedMs: Math.round(usedMs),
    consumedPercent: round(consumedPercent, 1),
    remainingPercent: round(Math.max(0, 100 - consumedPercent), 1),
    exhausted: usedMs > allowedMs,
    allowedText: formatApproxDuration(allowedMs),
    usedText: formatApproxDuration(usedMs),
  };
}

/**
 * Turns what Prometheus returned into the `observedServiceLevels` fact
 * document: availability and 5xx rate (percent), p95/p99 (ms), the error
 * budget against the declared availability target, the burn rates and the
 * daily availability. No series over the window is `no-data`.
 */
export function toObservedFacts(
  options: ToObservedFactsOptions,
): ObservedServiceLevelsFacts {
  const { readings, targets, windowMs } = options;
  const base: ObservedServiceLevelsFacts = {
    status: readings.requests === null ? 'no-data' : 'ok',
    endpoint: options.endpoint,
    selector: options.selector,
    selectorSource: options.selectorSource,
    window: options.window,
    windowMs,
    windowText: options.windowText,
    readAt: options.readAt.toISOString(),
    targets: { ...targets },
    emittedLast24h: (readings.recentSamples ?? 0) > 0,
    queries: options.queries,
  };
  if (readings.requests === null) {
    return base;
  }
  const facts: ObservedServiceLevelsFacts = {
    ...base,
    requests: Math.round(readings.requests),
  };
  const ratio = readings.errorRatio;
  if (ratio !== null && ratio !== undefined && readings.requests > 0) {
    const errorRate = Math.min(1, Math.max(0, ratio)) * 100;
    const availability = 100 - errorRate;
    // Three decimals: 99.627%, 0.373% (a target is rarely finer than 99.995%).
    facts.availabilityPercent = round(availability, 3);
    facts.errorRatePercent = round(errorRate, 3);
    facts.errorBudget = errorBudgetOf(
      targets.availabilityPercent,
      availability,
      windowMs,
    );
  }
  if (
    readings.latencyP95Seconds !== null &&
    readings.latencyP95Seconds !== undefined
  ) {
    facts.latencyP95Ms = round(readings.latencyP95Seconds * 1000, 1);
  }
  if (
    readings.latencyP99Seconds !== null &&
    readings.latencyP99Seconds !== undefined
  ) {
    facts.latencyP99Ms = round(readings.latencyP99Seconds * 1000, 1);
  }
  const budgetRatio = (100 - targets.availabilityPercent) / 100;
  const burn = (value: number | null | undefined) =>
    value === null || value === undefined || budgetRatio <= 0
      ? null
      : round(value / budgetRatio, 2);
  facts.burnRate = {
    oneHour: burn(readings.errorRatio1h),
    sixHours: burn(readings.errorRatio6h),
  };
  if (readings.daily) {
    facts.daily = readings.daily.map(
      (point): ObservedDailyAvailability => ({
        date: new Date(point.time).toISOString().slice(0, 10),
        availabilityPercent:
          point.value === null
            ? null
            : round(100 - Math.min(1, Math.max(0, point.value)) * 100, 3),
      }),
    );
  }
  return facts;
}
