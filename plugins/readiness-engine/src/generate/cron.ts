import {
  CronSchedule,
  ParseResult,
  parseCron,
} from '@prodready/plugin-readiness-common';

const cache = new Map<string, ParseResult<CronSchedule>>();

/**
 * The shared cron parser, memoised: it computes the longest gap between runs
 * over a 400-year cycle, and the generator parses the same few schedules
 * for every service.
 */
export function parseCronCached(
  expression: unknown,
  field?: string,
): ParseResult<CronSchedule> {
  if (typeof expression !== 'string') {
    return parseCron(expression, { annotation: field });
  }
  const key = `${field ?? ''}\u0000${expression}`;
  let result = cache.get(key);
  if (!result) {
    result = parseCron(expression, { annotation: field });
    if (cache.size > 256) {
      cache.clear();
    }
    cache.set(key, result);
  }
  return result;
}
