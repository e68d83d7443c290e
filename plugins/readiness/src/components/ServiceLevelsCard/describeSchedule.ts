import { CronSchedule } from '@prodready/plugin-readiness-common';

const DAY_NAMES = [
  'Sunday',
  'Monday',
  'Tuesday',
  'Wednesday',
  'Thursday',
  'Friday',
  'Saturday',
];
const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

function pad(value: number): string {
  return String(value).padStart(2, '0');
}

function time(hour: number, minute: number): string {
  return `${pad(hour)}:${pad(minute)}`;
}

/** "a", "a and b", "a, b and c". */
function joinWords(items: string[]): string {
  if (items.length <= 1) {
    return items.join('');
  }
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The step of values that cover a whole cycle evenly, such as 0,15,30,45. */
function evenStep(values: number[], cycle: number): number | undefined {
  if (values.length < 2 || cycle % values.length !== 0) {
    return undefined;
  }
  const step = cycle / values.length;
  return values.every((value, index) => value === values[0] + index * step)
    ? step
    : undefined;
}

type TimePhrase =
  | { kind: 'frequency'; text: string }
  | { kind: 'at'; text: string };

function describeTimes(schedule: CronSchedule): TimePhrase {
  const { minutes, hours } = schedule;
  if (hours.length === 24) {
    if (minutes.length === 1) {
      return {
        kind: 'frequency',
        text:
          minutes[0] === 0
            ? 'every hour, on the hour'
            : `every hour at ${minutes[0]} minutes past`,
      };
    }
    const step = evenStep(minutes, 60);
    if (step !== undefined) {
      return { kind: 'frequency', text: `every ${step} minutes` };
    }
    return {
      kind: 'frequency',
      text: `${minutes.length} times an hour`,
    };
  }
  if (minutes.length === 1) {
    const step = evenStep(hours, 24);
    if (step !== undefined) {
      return {
        kind: 'frequency',
        text: `every ${step} hours from ${time(hours[0], minutes[0])} UTC`,
      };
    }
  }
  const times = hours.flatMap(hour =>
    minutes.map(minute => time(hour, minute)),
  );
  if (times.length <= 4) {
    return { kind: 'at', text: `at ${joinWords(times)} UTC` };
  }
  return { kind: 'frequency', text: `${times.length} times a day` };
}

function describeDays(schedule: CronSchedule): string | undefined {
  const { daysOfMonth, daysOfWeek, dayOfMonthRestricted, dayOfWeekRestricted } =
    schedule;
  const weekDays =
    daysOfWeek.length === 5 &&
    [1, 2, 3, 4, 5].every(d => daysOfWeek.includes(d))
      ? 'every weekday'
      : `every ${joinWords(daysOfWeek.map(d => DAY_NAMES[d]))}`;
  const monthDays = `on ${
    daysOfMonth.length === 1 ? 'day' : 'days'
  } ${joinWords(daysOfMonth.map(String))} of the month`;
  if (dayOfMonthRestricted && dayOfWeekRestricted) {
    return `${monthDays} and ${weekDays}`;
  }
  if (dayOfMonthRestricted) {
    return monthDays;
  }
  if (dayOfWeekRestricted) {
    return weekDays;
  }
  return undefined;
}

function capitalise(text: string): string {
  return text.charAt(0).toLocaleUpperCase('en-US') + text.slice(1);
}

/**
 * Describes a backup schedule in words, for example "Every day at 02:00 UTC",
 * "Every 6 hours from 00:00 UTC" or "Every Sunday at 03:00 UTC".
 */
export function describeSchedule(schedule: CronSchedule): string {
  const times = describeTimes(schedule);
  const days = describeDays(schedule);
  const months =
    schedule.months.length === 12
      ? ''
      : ` in ${joinWords(schedule.months.map(m => MONTH_NAMES[m - 1]))}`;
  if (times.kind === 'at') {
    return capitalise(`${days ?? 'every day'}${months} ${times.text}`);
  }
  if (!days && !months) {
    return capitalise(times.text);
  }
  return capitalise(`${times.text}, ${days ?? 'every day'}${months}`);
}
