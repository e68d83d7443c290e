import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * A calendar date, as parsed by {@link parseIsoDate}.
 *
 * @public
 */
export interface IsoDate {
  /** The date in the form `YYYY-MM-DD`. */
  iso: string;
  /** Milliseconds since the epoch at the start of the day, UTC. */
  epochMs: number;
}

/**
 * Options for {@link parseIsoDate}.
 *
 * @public
 */
export interface ParseIsoDateOptions extends ParserOptions {
  /** The current time, to reject dates in the future. Defaults to now. */
  now?: Date;
  /** Whether dates after today are accepted. Defaults to `false`. */
  allowFuture?: boolean;
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DAY_MS = 86_400_000;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function startOfUtcDay(year: number, month: number, day: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getTime();
}

/**
 * Parses an ISO-8601 calendar date `YYYY-MM-DD` (for example `2024-05-01`).
 *
 * @remarks
 *
 * The date must exist (`2023-02-29` does not) and, unless `allowFuture` is
 * set, must not be after today's date (UTC) at `now`.
 *
 * @public
 */
export function parseIsoDate(
  value: unknown,
  options?: ParseIsoDateOptions,
): ParseResult<IsoDate> {
  const match = typeof value === 'string' ? ISO_DATE.exec(value.trim()) : null;
  if (!match) {
    return fail(options, value, 'is not a date', EXPECTED.isoDate);
  }
  const [year, month, day] = [match[1], match[2], match[3]].map(Number);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(options, value, 'is not a calendar date', EXPECTED.isoDate);
  }
  const epochMs = startOfUtcDay(year, month, day);
  if (!options?.allowFuture) {
    const nowMs = options?.now?.getTime();
    const now =
      nowMs !== undefined && Number.isFinite(nowMs) ? nowMs : Date.now();
    const today = Math.floor(now / DAY_MS) * DAY_MS;
    if (epochMs > today) {
      const todayIso = new Date(today).toISOString().slice(0, 10);
      return fail(
        options,
        value,
        'is in the future',
        `a date in the form YYYY-MM-DD that is not after today (${todayIso})`,
      );
    }
  }
  return succeed({ iso: match[0], epochMs });
}
