/*
 * The logic of the observed service levels, without React: reading the fact
 * document, comparing each observation with its target, formatting and the
 * geometry of the availability sparkline.
 */
import { Entity } from '@backstage/catalog-model';
import {
  EntityStoredFacts,
  OBSERVED_SERVICE_LEVELS_FACT_ID,
  ObservedDailyAvailability,
  ObservedServiceLevelsFacts,
  isObservedServiceLevelsEntity,
} from '@prodready/plugin-readiness-common';

/**
 * Whether the Prometheus collector observes an entity: services and
 * websites (Components), as it and the checks over its facts apply to.
 */
export const isObservedEntity: (entity: Entity) => boolean =
  isObservedServiceLevelsEntity;

/** The `observedServiceLevels` document of an entity, as stored. */
export interface ObservedDocument {
  facts: ObservedServiceLevelsFacts;
  /** ISO-8601 time of the collection. */
  collectedAt: string;
  /** The last collection failed, so these are older facts. */
  stale: boolean;
  /** Why the last collection failed. */
  error?: string;
}

function isObservedFacts(value: unknown): value is ObservedServiceLevelsFacts {
  if (!value || typeof value !== 'object') {
    return false;
  }
  const facts = value as Partial<ObservedServiceLevelsFacts>;
  return (
    (facts.status === 'ok' || facts.status === 'no-data') &&
    typeof facts.endpoint === 'string' &&
    typeof facts.targets === 'object' &&
    facts.targets !== null
  );
}

/**
 * The observed service levels among an entity's stored facts; undefined
 * where the Prometheus collector stored none (no Prometheus is configured,
 * or it does not apply to the entity).
 */
export function findObservedDocument(
  stored: EntityStoredFacts | undefined,
): ObservedDocument | undefined {
  const document = stored?.facts[OBSERVED_SERVICE_LEVELS_FACT_ID];
  if (!document || !isObservedFacts(document.facts)) {
    return undefined;
  }
  return {
    facts: document.facts,
    collectedAt: document.collectedAt,
    stale: document.stale,
    ...(document.error ? { error: document.error } : {}),
  };
}

/** Whether an observation meets its target; `unknown` when not measured. */
export type ObservedStatus = 'met' | 'missed' | 'unknown';

/** One row of the target-vs-observed table. */
export interface ObservedRow {
  id: 'availability' | 'latency' | 'error-rate';
  label: string;
  target: string;
  observed: string;
  /** More about the observation, such as the p99 latency. */
  detail?: string;
  status: ObservedStatus;
  /** Why the status is `unknown`. */
  reason?: string;
}

function isNumber(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

function roundTo(
  value: number,
  digits: number,
  direction: 'down' | 'up' | 'nearest',
): number {
  const factor = 10 ** digits;
  const scaled = value * factor;
  // Absorb binary noise (99.95 * 1000 = 99949.99999…) before rounding.
  const clean = Math.round(scaled * 1e6) / 1e6;
  if (direction === 'down') {
    return Math.floor(clean) / factor;
  }
  if (direction === 'up') {
    return Math.ceil(clean) / factor;
  }
  return Math.round(clean) / factor;
}

function percentText(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 3 })}%`;
}

/** A target percentage as declared, such as `99.95%`. */
export function formatTargetPercent(value: number): string {
  return `${value.toLocaleString('en-US', { maximumFractionDigits: 4 })}%`;
}

/**
 * An observed availability, rounded down to three decimals, so that it never
 * reads as 100% or as the target when it is below either.
 */
export function formatAvailability(value: number): string {
  return percentText(roundTo(value, 3, 'down'));
}

/**
 * An observed error rate, rounded up to three decimals, so that a tiny rate
 * never reads as 0% or as the budget when it is above either.
 */
export function formatErrorRate(value: number): string {
  return percentText(roundTo(value, 3, 'up'));
}

/** Milliseconds as `183 ms` (whole milliseconds, thousands separated). */
export function formatMs(value: number): string {
  return `${Math.round(value).toLocaleString('en-US')} ms`;
}

/** A burn rate as `2.4×`, or `n/a` without traffic. */
export function formatBurnRate(value: number | null | undefined): string {
  return isNumber(value)
    ? `${roundTo(value, 2, 'nearest').toLocaleString('en-US')}×`
    : 'n/a';
}

/** A share of the budget, such as `42%` or `420%`. */
export function formatBudgetPercent(value: number): string {
  return `${roundTo(value, 1, 'nearest').toLocaleString('en-US')}%`;
}

/** Met when `observed` is at least (or at most) `target`; unknown without it. */
function compare(
  observed: number | undefined,
  target: number,
  meets: 'atLeast' | 'atMost',
): ObservedStatus {
  if (!isNumber(observed)) {
    return 'unknown';
  }
  const met = meets === 'atLeast' ? observed >= target : observed <= target;
  return met ? 'met' : 'missed';
}

/** The rows of the target-vs-observed table. */
export function observedRows(facts: ObservedServiceLevelsFacts): ObservedRow[] {
  const { targets } = facts;
  const rows: ObservedRow[] = [];

  const availability = facts.availabilityPercent;
  rows.push({
    id: 'availability',
    label: 'Availability',
    target: formatTargetPercent(targets.availabilityPercent),
    observed: isNumber(availability)
      ? formatAvailability(availability)
      : 'Not measured',
    status: compare(availability, targets.availabilityPercent, 'atLeast'),
    ...(!isNumber(availability) && {
      reason: 'Prometheus returned no availability for the window',
    }),
  });

  const p95 = facts.latencyP95Ms;
  const p99 = facts.latencyP99Ms;
  rows.push({
    id: 'latency',
    label: 'p95 latency',
    target: formatMs(targets.latencyP95Ms),
    observed: isNumber(p95) ? formatMs(p95) : 'Not measured',
    ...(isNumber(p99) && { detail: `p99 ${formatMs(p99)}` }),
    status: compare(p95, targets.latencyP95Ms, 'atMost'),
    ...(!isNumber(p95) && {
      reason: `No http_request_duration_seconds histogram for ${facts.selector}`,
    }),
  });

  const errorRate = facts.errorRatePercent;
  rows.push({
    id: 'error-rate',
    label: '5xx rate',
    target: formatTargetPercent(targets.errorRatePercent),
    observed: isNumber(errorRate) ? formatErrorRate(errorRate) : 'Not measured',
    status: compare(errorRate, targets.errorRatePercent, 'atMost'),
    ...(!isNumber(errorRate) && {
      reason: 'Prometheus returned no 5xx rate for the window',
    }),
  });
  return rows;
}

/** A day of the sparkline, placed. */
export interface SparklinePoint {
  x: number;
  y: number;
  date: string;
  availabilityPercent: number;
  belowTarget: boolean;
}

/** The availability sparkline, laid out in a `width` × `height` box. */
export interface SparklineGeometry {
  width: number;
  height: number;
  /** One SVG path per run of days with traffic; days without break it. */
  segments: string[];
  points: SparklinePoint[];
  /** The y of the target line. */
  targetY: number;
  /** The days without traffic (null), drawn as gaps. */
  gapDays: string[];
  /** The lowest and highest value on the y axis. */
  domain: [number, number];
}

function coordinate(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Lays out the availability per day: oldest left, newest right; the y axis
 * runs from a little below the lowest of the target and the days up to 100%.
 */
export function sparklineGeometry(
  daily: ObservedDailyAvailability[],
  targetPercent: number,
  size: { width: number; height: number; padding?: number },
): SparklineGeometry {
  const { width, height } = size;
  const padding = size.padding ?? 4;
  const values = daily
    .map(day => day.availabilityPercent)
    .filter(isNumber) as number[];
  const high = 100;
  let low = Math.min(targetPercent, ...values);
  if (high - low < 0.1) {
    low = high - 0.1;
  }
  low -= (high - low) * 0.1;
  const step =
    daily.length > 1 ? (width - 2 * padding) / (daily.length - 1) : 0;
  const xOf = (index: number) =>
    coordinate(daily.length > 1 ? padding + index * step : width / 2);
  const yOf = (value: number) =>
    coordinate(
      padding +
        ((high - Math.min(value, high)) / (high - low)) *
          (height - 2 * padding),
    );

  const segments: string[] = [];
  const points: SparklinePoint[] = [];
  const gapDays: string[] = [];
  let current: string[] = [];
  daily.forEach((day, index) => {
    const value = day.availabilityPercent;
    if (!isNumber(value)) {
      gapDays.push(day.date);
      if (current.length > 0) {
        segments.push(current.join(' '));
        current = [];
      }
      return;
    }
    const point = {
      x: xOf(index),
      y: yOf(value),
      date: day.date,
      availabilityPercent: value,
      belowTarget: value < targetPercent,
    };
    points.push(point);
    current.push(`${current.length === 0 ? 'M' : 'L'}${point.x} ${point.y}`);
  });
  if (current.length > 0) {
    segments.push(current.join(' '));
  }
  return {
    width,
    height,
    segments,
    points,
    targetY: yOf(targetPercent),
    gapDays,
    domain: [coordinate(low), high],
  };
}
