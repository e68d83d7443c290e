import { CronSchedule, cronMatches, nextCronRun, parseCron } from '.';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const FORM =
  "five fields (minute hour day-of-month month day-of-week), such as '0 */6 * * *'";

function parsed(expression: string): CronSchedule {
  const result = parseCron(expression);
  if (!result.ok) {
    throw new Error(result.error);
  }
  return result.value;
}

describe('parseCron', () => {
  it('returns the expanded fields', () => {
    expect(parsed('0 */6 * * *')).toEqual({
      expression: '0 */6 * * *',
      minutes: [0],
      hours: [0, 6, 12, 18],
      daysOfMonth: Array.from({ length: 31 }, (_, i) => i + 1),
      months: Array.from({ length: 12 }, (_, i) => i + 1),
      daysOfWeek: [0, 1, 2, 3, 4, 5, 6],
      dayOfMonthRestricted: false,
      dayOfWeekRestricted: false,
      maxIntervalMs: 6 * HOUR,
    });
  });

  it('supports lists, ranges, steps and names', () => {
    const schedule = parsed('5,35 8-18/2 1,15 JAN-mar,Dec MON-FRI');
    expect(schedule.minutes).toEqual([5, 35]);
    expect(schedule.hours).toEqual([8, 10, 12, 14, 16, 18]);
    expect(schedule.daysOfMonth).toEqual([1, 15]);
    expect(schedule.months).toEqual([1, 2, 3, 12]);
    expect(schedule.daysOfWeek).toEqual([1, 2, 3, 4, 5]);
    expect(schedule.dayOfMonthRestricted).toBe(true);
    expect(schedule.dayOfWeekRestricted).toBe(true);
  });

  it('treats "a/n" as a range from a to the end of the field', () => {
    expect(parsed('5/15 * * * *').minutes).toEqual([5, 20, 35, 50]);
    expect(parsed('0 0 * * 1/2').daysOfWeek).toEqual([0, 1, 3, 5]);
  });

  it('treats day-of-week 7 as Sunday', () => {
    expect(parsed('0 0 * * 7').daysOfWeek).toEqual([0]);
    expect(parsed('0 0 * * 5-7').daysOfWeek).toEqual([0, 5, 6]);
    expect(parsed('0 0 * * sun,SAT').daysOfWeek).toEqual([0, 6]);
  });

  it('tolerates extra whitespace', () => {
    expect(parsed('  0   2\t* *  *  ').expression).toBe('0   2\t* *  *');
  });

  it.each([
    ['@hourly', HOUR],
    ['@daily', DAY],
    ['@midnight', DAY],
    ['@weekly', 7 * DAY],
    ['@monthly', 31 * DAY],
    ['@yearly', 366 * DAY],
    ['@ANNUALLY', 366 * DAY],
  ])('supports the macro %s', (macro, interval) => {
    expect(parsed(macro).maxIntervalMs).toBe(interval);
  });

  describe('maxIntervalMs', () => {
    it.each([
      ['* * * * *', MINUTE],
      ['*/15 * * * *', 15 * MINUTE],
      ['0 * * * *', HOUR],
      ['0 */6 * * *', 6 * HOUR],
      ['0 2 * * *', 24 * HOUR],
      ['0 3 * * 0', 7 * DAY],
      ['0 3 * * SUN', 7 * DAY],
      ['30 1 * * 1-5', 3 * DAY],
      ['0 9-17 * * *', 16 * HOUR],
      ['0 0,20 * * *', 20 * HOUR],
      ['0 0 1 * *', 31 * DAY],
      ['0 0 1,15 * *', 17 * DAY],
      ['0 0 1 */3 *', 92 * DAY],
      ['0 0 1 1 *', 366 * DAY],
      // Every month with 31 days: the longest gap is May 31 to July 31.
      ['0 0 31 * *', 61 * DAY],
      // Only in leap years; 2100, 2200 and 2300 are not, so the gap is 8 years.
      ['0 0 29 2 *', (8 * 365 + 1) * DAY],
      // Day of month OR day of week, when both are restricted.
      ['0 0 1 * 1', 7 * DAY],
      // "*/2" in day of month counts as unrestricted, so it is ANDed with
      // Monday: odd-numbered Mondays, at most three weeks apart (23rd to 13th).
      ['0 0 */2 * 1', 21 * DAY],
    ])('%s runs at least every %d ms', (expression, interval) => {
      expect(parsed(expression).maxIntervalMs).toBe(interval);
    });

    it.each([
      ['15 3 * * 1,4'],
      ['0 0 1,15 * *'],
      ['0 12 * 2 *'],
      ['0 0 31 * *'],
      ['0 0 */2 * 1'],
      ['0 0 13 * FRI'],
      ['0 6,18 1-7 * 1'],
      ['0 0 1 */3 *'],
      ['45 23 28-31 * *'],
    ])('agrees with a walk over the runs of 2023-2026 for %j', expression => {
      const schedule = parsed(expression);
      let previous = nextCronRun(schedule, new Date('2022-12-31T23:59:00Z'));
      let longest = 0;
      while (previous && previous < new Date('2027-01-01T00:00:00Z')) {
        const next = nextCronRun(schedule, previous);
        if (!next) {
          break;
        }
        longest = Math.max(longest, next.getTime() - previous.getTime());
        previous = next;
      }
      expect(longest).toBe(schedule.maxIntervalMs);
    });

    it('is fast enough to run for every entity', () => {
      const start = Date.now();
      for (let i = 0; i < 200; i++) {
        parseCron('0 0 29 2 *');
      }
      expect(Date.now() - start).toBeLessThan(5_000);
    });
  });

  it.each([
    ['0 */6 * *', 'it has 4 fields'],
    ['0 0 * * * *', 'it has 6 fields'],
    ['', 'it has 0 fields'],
    ['daily', 'it has 1 field'],
    ['@reboot', "unknown macro '@reboot'"],
    ['60 * * * *', "minute field '60': 60 is out of range 0-59"],
    ['0 24 * * *', "hour field '24': 24 is out of range 0-23"],
    ['0 0 0 * *', "day-of-month field '0': 0 is out of range 1-31"],
    ['0 0 32 * *', "day-of-month field '32': 32 is out of range 1-31"],
    ['0 0 * 13 *', "month field '13': 13 is out of range 1-12"],
    ['0 0 * 0 *', "month field '0': 0 is out of range 1-12"],
    ['0 0 * * 8', "day-of-week field '8': 8 is out of range 0-7"],
    ['0 */0 * * *', "hour field '*/0': step '0' must be from 1 to 23"],
    ['0 */24 * * *', "hour field '*/24': step '24' must be from 1 to 23"],
    ['*/x * * * *', "minute field '*/x': step 'x' must be from 1 to 59"],
    ['0 1/2/3 * * *', "hour field '1/2/3': '1/2/3' has more than one step"],
    ['0 5-1 * * *', "hour field '5-1': range '5-1' is backwards"],
    [
      '0 0 * * FRI-MON',
      "day-of-week field 'FRI-MON': range 'FRI-MON' is backwards",
    ],
    ['0 1-2-3 * * *', "hour field '1-2-3': '1-2-3' is not a value or a range"],
    ['0 0 * FOO *', "month field 'FOO': 'FOO' is not a number or month name"],
    [
      '0 0 * * MONDAY',
      "day-of-week field 'MONDAY': 'MONDAY' is not a number or day name",
    ],
    [
      '0 0 * * JAN',
      "day-of-week field 'JAN': 'JAN' is not a number or day name",
    ],
    ['MON 0 * * *', "minute field 'MON': 'MON' is not a number"],
    ['0 1,,2 * * *', "hour field '1,,2': a list item is empty"],
    ['0 ? * * *', "hour field '?': '?' is not a number"],
    ['0 0 L * *', "day-of-month field 'L': 'L' is not a number"],
    [
      '0 0 * * 1#2',
      "day-of-week field '1#2': '1#2' is not a number or day name",
    ],
    ['-1 * * * *', "minute field '-1': '' is not a number"],
  ])('rejects %j (%s)', (expression, detail) => {
    expect(
      parseCron(expression, { annotation: 'prodready.dev/backup-schedule' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/backup-schedule: '${expression}' is not a valid cron expression (${detail}); expected ${FORM}`,
    });
  });

  it.each([['0 0 30 2 *'], ['0 0 31 4,6,9,11 *']])(
    'rejects %j, which never runs',
    expression => {
      expect(
        parseCron(expression, { annotation: 'prodready.dev/backup-schedule' }),
      ).toEqual({
        ok: false,
        error: `prodready.dev/backup-schedule: '${expression}' never runs; expected ${FORM}`,
      });
    },
  );

  it('rejects values that are not strings', () => {
    expect(parseCron(5)).toEqual({
      ok: false,
      error: `5 is not a valid cron expression (it is not a string); expected ${FORM}`,
    });
  });
});

describe('cronMatches', () => {
  it('matches the minutes the schedule runs at, in UTC', () => {
    const schedule = parsed('30 2 * * 1-5');
    expect(cronMatches(schedule, new Date('2025-06-16T02:30:00Z'))).toBe(true); // Monday
    expect(cronMatches(schedule, new Date('2025-06-16T02:30:59Z'))).toBe(true);
    expect(cronMatches(schedule, new Date('2025-06-16T02:31:00Z'))).toBe(false);
    expect(cronMatches(schedule, new Date('2025-06-15T02:30:00Z'))).toBe(false); // Sunday
    expect(cronMatches(schedule, new Date(NaN))).toBe(false);
  });

  it('matches either day field when both are restricted', () => {
    const schedule = parsed('0 0 13 * FRI');
    expect(cronMatches(schedule, new Date('2025-06-13T00:00:00Z'))).toBe(true); // 13th, Friday
    expect(cronMatches(schedule, new Date('2025-06-20T00:00:00Z'))).toBe(true); // Friday
    expect(cronMatches(schedule, new Date('2025-07-13T00:00:00Z'))).toBe(true); // 13th, Sunday
    expect(cronMatches(schedule, new Date('2025-07-14T00:00:00Z'))).toBe(false);
  });
});

describe('nextCronRun', () => {
  it('finds the next run strictly after the given time', () => {
    const schedule = parsed('0 */6 * * *');
    expect(nextCronRun(schedule, new Date('2025-06-15T05:59:59Z'))).toEqual(
      new Date('2025-06-15T06:00:00Z'),
    );
    expect(nextCronRun(schedule, new Date('2025-06-15T06:00:00Z'))).toEqual(
      new Date('2025-06-15T12:00:00Z'),
    );
    expect(nextCronRun(schedule, new Date('2025-06-15T18:00:00Z'))).toEqual(
      new Date('2025-06-16T00:00:00Z'),
    );
  });

  it('crosses weeks, months and leap years', () => {
    expect(
      nextCronRun(parsed('0 3 * * 0'), new Date('2025-06-16T00:00:00Z')),
    ).toEqual(new Date('2025-06-22T03:00:00Z'));
    expect(
      nextCronRun(parsed('0 0 31 * *'), new Date('2025-05-31T00:00:00Z')),
    ).toEqual(new Date('2025-07-31T00:00:00Z'));
    expect(
      nextCronRun(parsed('0 0 29 2 *'), new Date('2025-01-01T00:00:00Z')),
    ).toEqual(new Date('2028-02-29T00:00:00Z'));
  });

  it('returns undefined for an invalid date or a schedule that never runs', () => {
    expect(nextCronRun(parsed('@daily'), new Date(NaN))).toBeUndefined();
    const never: CronSchedule = { ...parsed('0 0 1 2 *'), daysOfMonth: [30] };
    expect(
      nextCronRun(never, new Date('2025-01-01T00:00:00Z')),
    ).toBeUndefined();
  });
});
