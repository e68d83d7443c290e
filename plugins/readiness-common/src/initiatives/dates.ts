import { parseDay } from './validateInitiativeDefinition';
import type { InitiativeDefinition } from './types';

const DAY_MS = 86_400_000;

/**
 * Where an initiative is in its life at a time: `scheduled` before its start
 * date, `active` from its start to the end of its deadline day, `ended`
 * after.
 *
 * @public
 */
export type InitiativePhase = 'scheduled' | 'active' | 'ended';

/**
 * The phase of an initiative at `now` (see {@link InitiativePhase}).
 *
 * @public
 */
export function initiativePhase(
  initiative: Pick<InitiativeDefinition, 'startDate' | 'deadline'>,
  now: Date,
): InitiativePhase {
  const start = parseDay(initiative.startDate) ?? 0;
  const end = (parseDay(initiative.deadline) ?? 0) + DAY_MS;
  if (now.getTime() < start) return 'scheduled';
  return now.getTime() < end ? 'active' : 'ended';
}

/**
 * Whole days from the UTC day of `now` to the deadline day: 0 on the
 * deadline, negative after it.
 *
 * @public
 */
export function initiativeDaysLeft(
  initiative: Pick<InitiativeDefinition, 'deadline'>,
  now: Date,
): number {
  const deadline = parseDay(initiative.deadline) ?? 0;
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  return Math.round((deadline - today) / DAY_MS);
}

/**
 * The days `YYYY-MM-DD` from `from` to `to`, both included (UTC).
 *
 * @public
 */
export function daysBetween(from: string, to: string): string[] {
  const start = parseDay(from);
  const end = parseDay(to);
  if (start === undefined || end === undefined) return [];
  const days: string[] = [];
  for (let ms = start; ms <= end; ms += DAY_MS) {
    days.push(new Date(ms).toISOString().slice(0, 10));
  }
  return days;
}
