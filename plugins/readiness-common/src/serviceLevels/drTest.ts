import { IsoDate, formatDuration } from '../parsers';

const DAY_MS = 86_400_000;

/**
 * Where a service stands with its disaster recovery tests.
 *
 * @public
 */
export interface DrTestStatus {
  /** Whole days from the last test to `now` (0 on the day of the test). */
  ageDays: number;
  /** The date by which the next test is due, `YYYY-MM-DD`. */
  dueDate: string;
  /** Whether the due date has passed (from the day after it). */
  overdue: boolean;
  /**
   * A plain-words description, such as "The last DR test was on 2026-02-10,
   * 289 days ago; the interval is 180 days, so it was due on 2026-08-09."
   */
  message: string;
}

function plural(count: number, unit: string): string {
  return `${count} ${unit}${count === 1 ? '' : 's'}`;
}

/** Formats a duration in days when it is whole days (`180 days`). */
export function formatDays(ms: number): string {
  return ms % DAY_MS === 0 ? plural(ms / DAY_MS, 'day') : formatDuration(ms);
}

function startOfToday(now: Date): number {
  const nowMs = Number.isFinite(now.getTime()) ? now.getTime() : Date.now();
  return Math.floor(nowMs / DAY_MS) * DAY_MS;
}

/** Whole days from a DR test to `now` (0 on the day of the test). */
export function drTestAgeDays(lastTested: IsoDate, now: Date): number {
  return Math.floor((startOfToday(now) - lastTested.epochMs) / DAY_MS);
}

/**
 * Computes the age of the last disaster recovery test at `now`, its due
 * date (the last test plus the interval) and whether it is overdue.
 *
 * @public
 */
export function getDrTestStatus(
  lastTested: IsoDate,
  intervalMs: number,
  now: Date = new Date(),
): DrTestStatus {
  const today = startOfToday(now);
  const ageDays = drTestAgeDays(lastTested, now);
  const dueMs = lastTested.epochMs + intervalMs;
  const dueDate = new Date(dueMs).toISOString().slice(0, 10);
  const overdue = today > dueMs;
  let ago: string;
  if (ageDays === 0) {
    ago = 'today';
  } else if (ageDays > 0) {
    ago = `${plural(ageDays, 'day')} ago`;
  } else {
    ago = `${plural(-ageDays, 'day')} from now`;
  }
  const interval = formatDays(intervalMs);
  const due = overdue
    ? `so it was due on ${dueDate}`
    : `so it is due on ${dueDate}`;
  return {
    ageDays,
    dueDate,
    overdue,
    message: `The last DR test was on ${lastTested.iso}, ${ago}; the interval is ${interval}, ${due}.`,
  };
}
