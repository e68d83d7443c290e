import {
  checkBackupScheduleMeetsRpo,
  formatDuration,
} from '@prodready/plugin-readiness-common';
import { parseCronCached } from './cron';

/**
 * A backup schedule derived from an RPO.
 *
 * @public
 */
export interface BackupSchedule {
  /** Five-field cron expression, UTC. */
  cron: string;
  /** Longest gap between two backups, milliseconds (at most the RPO). */
  intervalMs: number;
  /** Why this schedule, for people to read. */
  explanation: string;
}

const MINUTE_MS = 60_000;

/** Minutes between backups the generator can express, ascending. */
const CADENCES: ReadonlyArray<{ minutes: number; cron: string }> = [
  { minutes: 5, cron: '*/5 * * * *' },
  { minutes: 10, cron: '*/10 * * * *' },
  { minutes: 15, cron: '*/15 * * * *' },
  { minutes: 20, cron: '*/20 * * * *' },
  { minutes: 30, cron: '*/30 * * * *' },
  { minutes: 60, cron: '7 * * * *' },
  { minutes: 120, cron: '7 */2 * * *' },
  { minutes: 180, cron: '7 */3 * * *' },
  { minutes: 240, cron: '7 */4 * * *' },
  { minutes: 360, cron: '7 */6 * * *' },
  { minutes: 480, cron: '7 */8 * * *' },
  { minutes: 720, cron: '7 */12 * * *' },
  { minutes: 1440, cron: '7 2 * * *' },
  { minutes: 10080, cron: '7 3 * * 0' },
];

/**
 * The least frequent backup schedule whose longest gap between two backups
 * still meets the RPO: for an RPO of 1h, hourly; for 4h, every 4 hours; for
 * 1d, daily at 02:07 UTC. The result is checked with the shared cron parser
 * and `checkBackupScheduleMeetsRpo`, the same rule the readiness engine
 * scores.
 *
 * @public
 */
export function backupScheduleForRpo(rpoMs: number): BackupSchedule {
  const rpoMinutes = rpoMs / MINUTE_MS;
  const cadence = [...CADENCES].reverse().find(c => c.minutes <= rpoMinutes);
  if (!cadence) {
    throw new RangeError(
      `rpo must be at least ${
        CADENCES[0].minutes
      }m for scheduled backups, got ${formatDuration(rpoMs)}`,
    );
  }
  const parsed = parseCronCached(cadence.cron);
  if (!parsed.ok) {
    throw new Error(`internal error: ${parsed.error}`);
  }
  const problem = checkBackupScheduleMeetsRpo(rpoMs, parsed.value, {
    rpo: 'rpo',
    backupSchedule: 'the backup schedule',
  });
  if (problem) {
    throw new Error(`internal error: ${problem}`);
  }
  return {
    cron: cadence.cron,
    intervalMs: parsed.value.maxIntervalMs,
    explanation: `RPO ${formatDuration(rpoMs)}: backups run '${
      cadence.cron
    }' (UTC), at most ${formatDuration(
      parsed.value.maxIntervalMs,
    )} apart, so no more than the RPO of data can be lost.`,
  };
}
