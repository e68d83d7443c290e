import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * Options for {@link parseDuration}.
 *
 * @public
 */
export interface ParseDurationOptions extends ParserOptions {
  /**
   * Whether a zero duration (`0s`, `PT0S`) is accepted. Defaults to `false`.
   * An RPO of zero (no data loss) is an example where zero makes sense.
   */
  allowZero?: boolean;
}

const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** One `<number><unit>` segment; sticky so segments must follow each other. */
const SEGMENT = /\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)\s*/y;

const ISO_NUMBER = '(\\d+(?:[.,]\\d+)?)';
const ISO_DURATION = new RegExp(
  `^P(?:${ISO_NUMBER}Y)?(?:${ISO_NUMBER}M)?(?:${ISO_NUMBER}W)?(?:${ISO_NUMBER}D)?` +
    `(?:T(?:${ISO_NUMBER}H)?(?:${ISO_NUMBER}M)?(?:${ISO_NUMBER}S)?)?$`,
  'i',
);

function isoNumber(part: string | undefined): number {
  return part === undefined ? 0 : Number(part.replace(',', '.'));
}

type RawDuration = { ms: number } | { problem: string };

function parseShorthand(text: string): RawDuration | undefined {
  SEGMENT.lastIndex = 0;
  let total = 0;
  let segments = 0;
  while (SEGMENT.lastIndex < text.length) {
    const match = SEGMENT.exec(text);
    if (!match) {
      return undefined;
    }
    total += Number(match[1]) * UNIT_MS[match[2]];
    segments += 1;
  }
  return segments > 0 ? { ms: total } : undefined;
}

function parseIso(text: string): RawDuration | undefined {
  const match = ISO_DURATION.exec(text);
  // "P" and "PT" alone, or a "T" with nothing after it, are not durations.
  if (!match || /^P$|T$/i.test(text)) {
    return undefined;
  }
  const [, years, months, weeks, days, hours, minutes, seconds] = match;
  if (isoNumber(years) !== 0 || isoNumber(months) !== 0) {
    return {
      problem:
        'uses years or months, which have no fixed length; use days or weeks instead',
    };
  }
  return {
    ms:
      isoNumber(weeks) * UNIT_MS.w +
      isoNumber(days) * UNIT_MS.d +
      isoNumber(hours) * UNIT_MS.h +
      isoNumber(minutes) * UNIT_MS.m +
      isoNumber(seconds) * UNIT_MS.s,
  };
}

/**
 * Parses a duration into milliseconds.
 *
 * @remarks
 *
 * Accepts one or more `<number><unit>` segments with the units `ms`, `s`, `m`,
 * `h`, `d` and `w` (for example `200ms`, `4h`, `1h30m`, `1.5d`), or an
 * ISO-8601 duration with weeks, days, hours, minutes and seconds (for example
 * `PT4H`, `P30D`, `P1DT12H`). Years and months are rejected because they have
 * no fixed length. Negative and (unless `allowZero`) zero durations are
 * rejected.
 *
 * @public
 */
export function parseDuration(
  value: unknown,
  options?: ParseDurationOptions,
): ParseResult<number> {
  const expected = options?.allowZero
    ? EXPECTED.duration
    : EXPECTED.positiveDuration;
  if (typeof value !== 'string') {
    return fail(options, value, 'is not a duration', expected);
  }
  const text = value.trim();
  const raw = /^P/i.test(text) ? parseIso(text) : parseShorthand(text);
  if (!raw) {
    return fail(options, value, 'is not a duration', expected);
  }
  if ('problem' in raw) {
    return fail(options, value, raw.problem, "a duration such as 'P365D'");
  }
  if (!Number.isFinite(raw.ms) || raw.ms > Number.MAX_SAFE_INTEGER) {
    return fail(options, value, 'is too large', expected);
  }
  if (raw.ms === 0 && !options?.allowZero) {
    return fail(options, value, 'is zero', expected);
  }
  return succeed(raw.ms);
}

const DISPLAY_UNITS: Array<[string, number]> = [
  ['d', UNIT_MS.d],
  ['h', UNIT_MS.h],
  ['m', UNIT_MS.m],
  ['s', UNIT_MS.s],
];

/**
 * Formats milliseconds for display, using days, hours, minutes, seconds and
 * milliseconds, for example `4h`, `1h 30m`, `30d`, `1s 500ms` or `200ms`.
 * The output can be read back by {@link parseDuration}.
 *
 * @public
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) {
    return String(ms);
  }
  if (ms < 0) {
    return `-${formatDuration(-ms)}`;
  }
  if (ms < 1) {
    return `${Number(ms.toFixed(3))}ms`;
  }
  let rest = Math.round(ms);
  const parts: string[] = [];
  for (const [unit, size] of DISPLAY_UNITS) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) {
    parts.push(`${rest}ms`);
  }
  return parts.join(' ');
}
