import { ParseResult, ParserOptions } from './types';

/** Longest part of a bad value that is repeated in an error message. */
const MAX_QUOTED_LENGTH = 80;

/**
 * Quotes a value for an error message: strings in single quotes (truncated
 * when very long), anything else in its JSON form.
 */
export function quoteValue(value: unknown): string {
  if (typeof value === 'string') {
    const shown =
      value.length > MAX_QUOTED_LENGTH
        ? `${value.slice(0, MAX_QUOTED_LENGTH)}…`
        : value;
    return `'${shown}'`;
  }
  if (value === undefined) {
    return 'undefined';
  }
  try {
    const json = JSON.stringify(value);
    return json === undefined ? String(value) : json;
  } catch {
    return Object.prototype.toString.call(value);
  }
}

/**
 * Builds the standard failure: `<annotation>: '<value>' <problem>; expected <form>`.
 */
export function fail<T>(
  options: ParserOptions | undefined,
  value: unknown,
  problem: string,
  expected: string,
): ParseResult<T> {
  const prefix = options?.annotation ? `${options.annotation}: ` : '';
  return {
    ok: false,
    error: `${prefix}${quoteValue(value)} ${problem}; expected ${expected}`,
  };
}

/** Builds a success result. */
export function succeed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

/** Expected-form texts, shared by the parsers and the annotation registry. */
export const EXPECTED = {
  duration:
    "a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
  positiveDuration:
    "a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
  availability:
    "a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'",
  percentage:
    "a number from 0 to 100, optionally followed by '%', such as '0.1%'",
  isoDate: "a date in the form YYYY-MM-DD, such as '2024-05-01'",
  cron: "five fields (minute hour day-of-month month day-of-week), such as '0 */6 * * *'",
  entityRef:
    "an entity ref of the form [<kind>:][<namespace>/]<name>, such as 'sla-gold' or 'resource:default/sla-gold'",
  httpUrl:
    "an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'",
  tier: "one of 'tier-1', 'tier-2', 'tier-3', 'tier-4' (tier-1 is the most critical)",
  positiveNumber: "a number greater than 0, such as '1200'",
  relativePathOrUrl:
    "a path relative to the catalog-info.yaml file, such as './deploy/kubernetes', or an absolute http(s) URL",
} as const;
