import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * A parsed five-field cron expression, evaluated in UTC.
 *
 * @remarks
 *
 * The structure is plain JSON, so it can be stored as a fact. Day matching
 * follows Vixie cron: when both the day-of-month and the day-of-week fields are
 * restricted (neither starts with `*`), a day matches if either matches;
 * otherwise both must match.
 *
 * @public
 */
export interface CronSchedule {
  /** The expression as written (trimmed). */
  expression: string;
  /** Minutes (0-59) at which it runs, ascending. */
  minutes: number[];
  /** Hours (0-23) at which it runs, ascending. */
  hours: number[];
  /** Days of the month (1-31), ascending. */
  daysOfMonth: number[];
  /** Months (1-12), ascending. */
  months: number[];
  /** Days of the week (0-6, 0 is Sunday), ascending. */
  daysOfWeek: number[];
  /** Whether the day-of-month field is restricted (does not start with `*`). */
  dayOfMonthRestricted: boolean;
  /** Whether the day-of-week field is restricted (does not start with `*`). */
  dayOfWeekRestricted: boolean;
  /**
   * The longest time between two consecutive runs, in milliseconds. It is
   * exact: computed over a full 400-year Gregorian cycle, so leap days and
   * month lengths are taken into account. For example `0 0,6,12,18 * * *`
   * gives 6 hours, `0 2 * * *` 24 hours and `0 3 * * 0` 7 days.
   */
  maxIntervalMs: number;
}

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: Record<string, number>;
  nameKind?: string;
}

const MONTH_NAMES = 'JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC'.split(
  ' ',
);
const DAY_NAMES = 'SUN MON TUE WED THU FRI SAT'.split(' ');

const FIELDS: FieldSpec[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: Object.fromEntries(MONTH_NAMES.map((n, i) => [n, i + 1])),
    nameKind: 'month',
  },
  {
    name: 'day-of-week',
    min: 0,
    max: 7,
    names: Object.fromEntries(DAY_NAMES.map((n, i) => [n, i])),
    nameKind: 'day',
  },
];

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MINUTE_MS = 60_000;
const DAY_MINUTES = 1_440;
const DAY_MS = 86_400_000;
/** Days in the 400-year Gregorian cycle (a whole number of weeks). */
const CYCLE_DAYS = 146_097;
const CYCLE_START_YEAR = 2000;
/** 2000-01-01 was a Saturday. */
const CYCLE_START_WEEKDAY = 6;

type FieldResult = { values: number[] } | { problem: string };

function parseFieldValue(token: string, spec: FieldSpec): number | undefined {
  if (/^\d+$/.test(token)) {
    return Number(token);
  }
  return spec.names?.[token.toLocaleUpperCase('en-US')];
}

function parseField(text: string, spec: FieldSpec): FieldResult {
  const problem = (message: string): FieldResult => ({
    problem: `${spec.name} field '${text}': ${message}`,
  });
  const values = new Set<number>();
  for (const part of text.split(',')) {
    if (!part) {
      return problem('a list item is empty');
    }
    const [base, stepText, ...extraSteps] = part.split('/');
    if (extraSteps.length > 0) {
      return problem(`'${part}' has more than one step`);
    }
    let step = 1;
    if (stepText !== undefined) {
      step = /^\d+$/.test(stepText) ? Number(stepText) : NaN;
      if (!(step >= 1 && step <= spec.max)) {
        return problem(`step '${stepText}' must be from 1 to ${spec.max}`);
      }
    }
    let start = spec.min;
    let end = spec.max;
    if (base !== '*') {
      const [fromText, toText, ...extraBounds] = base.split('-');
      if (extraBounds.length > 0) {
        return problem(`'${base}' is not a value or a range`);
      }
      const bounds: number[] = [];
      for (const token of toText === undefined
        ? [fromText]
        : [fromText, toText]) {
        const bound = parseFieldValue(token, spec);
        if (bound === undefined) {
          const kind = spec.nameKind
            ? `a number or ${spec.nameKind} name`
            : 'a number';
          return problem(`'${token}' is not ${kind}`);
        }
        if (bound < spec.min || bound > spec.max) {
          return problem(`${bound} is out of range ${spec.min}-${spec.max}`);
        }
        bounds.push(bound);
      }
      start = bounds[0];
      // "a/n" means "from a to the end of the range, every n".
      end = bounds[1] ?? (stepText === undefined ? start : spec.max);
      if (start > end) {
        return problem(`range '${base}' is backwards`);
      }
    }
    for (let v = start; v <= end; v += step) {
      // Day-of-week 7 is another name for Sunday.
      values.add(spec.name === 'day-of-week' && v === 7 ? 0 : v);
    }
  }
  return { values: [...values].sort((a, b) => a - b) };
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

type Fields = Omit<CronSchedule, 'expression' | 'maxIntervalMs'>;

/** Builds a predicate telling whether the schedule runs on a given day. */
function createDayMatcher(
  fields: Fields,
): (month: number, dayOfMonth: number, dayOfWeek: number) => boolean {
  const months = new Set(fields.months);
  const daysOfMonth = new Set(fields.daysOfMonth);
  const daysOfWeek = new Set(fields.daysOfWeek);
  const either = fields.dayOfMonthRestricted && fields.dayOfWeekRestricted;
  return (month, dayOfMonth, dayOfWeek) => {
    if (!months.has(month)) {
      return false;
    }
    const domMatch = daysOfMonth.has(dayOfMonth);
    const dowMatch = daysOfWeek.has(dayOfWeek);
    return either ? domMatch || dowMatch : domMatch && dowMatch;
  };
}

/** Minutes of the day at which the schedule runs, ascending. */
function timesOfDay(fields: Fields): number[] {
  return fields.hours.flatMap(hour => fields.minutes.map(m => hour * 60 + m));
}

interface MonthRuns {
  first: number;
  last: number;
  maxGap: number;
}

/**
 * The longest gap, in days, between consecutive days on which the schedule
 * runs, over the 400-year Gregorian cycle (wrapping around). Undefined when
 * it never runs.
 */
function maxDayGap(fields: Fields): number | undefined {
  const matches = createDayMatcher(fields);
  // The runs within a month depend only on its month, length and first weekday.
  const byShape = new Map<number, MonthRuns | null>();
  const monthRuns = (
    month: number,
    length: number,
    firstWeekday: number,
  ): MonthRuns | null => {
    const key = (month * 32 + length) * 7 + firstWeekday;
    const cached = byShape.get(key);
    if (cached !== undefined) {
      return cached;
    }
    let runs: MonthRuns | null = null;
    for (let day = 1; day <= length; day++) {
      if (matches(month, day, (firstWeekday + day - 1) % 7)) {
        runs = runs
          ? {
              first: runs.first,
              last: day,
              maxGap: Math.max(runs.maxGap, day - runs.last),
            }
          : { first: day, last: day, maxGap: 0 };
      }
    }
    byShape.set(key, runs);
    return runs;
  };

  let dayIndex = 0;
  let weekday = CYCLE_START_WEEKDAY;
  let firstRun: number | undefined;
  let lastRun: number | undefined;
  let maxGap = 0;
  for (let year = CYCLE_START_YEAR; year < CYCLE_START_YEAR + 400; year++) {
    for (let month = 1; month <= 12; month++) {
      const length = daysInMonth(year, month);
      const runs = monthRuns(month, length, weekday);
      if (runs) {
        const first = dayIndex + runs.first - 1;
        if (lastRun === undefined) {
          firstRun = first;
        } else {
          maxGap = Math.max(maxGap, first - lastRun);
        }
        maxGap = Math.max(maxGap, runs.maxGap);
        lastRun = dayIndex + runs.last - 1;
      }
      dayIndex += length;
      weekday = (weekday + length) % 7;
    }
  }
  if (firstRun === undefined || lastRun === undefined) {
    return undefined;
  }
  return Math.max(maxGap, firstRun + CYCLE_DAYS - lastRun);
}

/**
 * Parses a five-field cron expression
 * (`minute hour day-of-month month day-of-week`), for example `0 2 * * *`
 * (every day at 02:00 UTC).
 *
 * @remarks
 *
 * Supports `*`, values, ranges (`1-5`), lists (`1,15`), steps on `*`, on
 * ranges (`0-30/10`) and from a start value (`5/15`), month names (`JAN`-`DEC`), day names (`SUN`-`SAT`),
 * day-of-week `7` for Sunday, and the macros `@yearly`, `@annually`,
 * `@monthly`, `@weekly`, `@daily`, `@midnight` and `@hourly`. Expressions that
 * never run (such as `0 0 30 2 *`) are rejected. The result includes
 * `maxIntervalMs`, the longest gap between consecutive runs.
 *
 * @public
 */
export function parseCron(
  value: unknown,
  options?: ParserOptions,
): ParseResult<CronSchedule> {
  const invalid = (detail: string) =>
    fail<CronSchedule>(
      options,
      value,
      `is not a valid cron expression (${detail})`,
      EXPECTED.cron,
    );
  if (typeof value !== 'string') {
    return invalid('it is not a string');
  }
  const expression = value.trim();
  const expanded = expression.startsWith('@')
    ? MACROS[expression.toLocaleLowerCase('en-US')]
    : expression;
  if (expanded === undefined) {
    return invalid(`unknown macro '${expression}'`);
  }
  const texts = expanded.split(/\s+/).filter(Boolean);
  if (texts.length !== FIELDS.length) {
    return invalid(
      `it has ${texts.length} field${texts.length === 1 ? '' : 's'}`,
    );
  }
  const parsed: number[][] = [];
  for (const [index, spec] of FIELDS.entries()) {
    const field = parseField(texts[index], spec);
    if ('problem' in field) {
      return invalid(field.problem);
    }
    parsed.push(field.values);
  }
  const fields: Fields = {
    minutes: parsed[0],
    hours: parsed[1],
    daysOfMonth: parsed[2],
    months: parsed[3],
    daysOfWeek: parsed[4],
    dayOfMonthRestricted: !texts[2].startsWith('*'),
    dayOfWeekRestricted: !texts[4].startsWith('*'),
  };
  const dayGap = maxDayGap(fields);
  if (dayGap === undefined) {
    return fail(options, value, 'never runs', EXPECTED.cron);
  }
  const times = timesOfDay(fields);
  let maxMinutes = dayGap * DAY_MINUTES - times[times.length - 1] + times[0];
  for (let i = 1; i < times.length; i++) {
    maxMinutes = Math.max(maxMinutes, times[i] - times[i - 1]);
  }
  return succeed({
    expression,
    ...fields,
    maxIntervalMs: maxMinutes * MINUTE_MS,
  });
}

/**
 * Whether a schedule runs at the minute of the given date (UTC).
 *
 * @public
 */
export function cronMatches(schedule: CronSchedule, date: Date): boolean {
  if (!Number.isFinite(date.getTime())) {
    return false;
  }
  return (
    schedule.minutes.includes(date.getUTCMinutes()) &&
    schedule.hours.includes(date.getUTCHours()) &&
    createDayMatcher(schedule)(
      date.getUTCMonth() + 1,
      date.getUTCDate(),
      date.getUTCDay(),
    )
  );
}

/**
 * The first run of a schedule strictly after the given date (UTC), or
 * `undefined` if it never runs.
 *
 * @public
 */
export function nextCronRun(
  schedule: CronSchedule,
  after: Date,
): Date | undefined {
  const afterMs = after.getTime();
  if (!Number.isFinite(afterMs)) {
    return undefined;
  }
  const start = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
  const firstDay = Math.floor(start / DAY_MS);
  const startMinute = (start - firstDay * DAY_MS) / MINUTE_MS;
  const matches = createDayMatcher(schedule);
  const times = timesOfDay(schedule);
  for (let day = firstDay; day <= firstDay + CYCLE_DAYS; day++) {
    const date = new Date(day * DAY_MS);
    if (matches(date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCDay())) {
      const earliest = day === firstDay ? startMinute : 0;
      const time = times.find(t => t >= earliest);
      if (time !== undefined) {
        return new Date(day * DAY_MS + time * MINUTE_MS);
      }
    }
  }
  return undefined;
}
