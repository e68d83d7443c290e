import { CronSchedule, formatDuration } from '../parsers';

const HOUR_MS = 3_600_000;

/**
 * Formats an interval for a message: whole hours up to two days as hours
 * (`24h` reads better than `1d` for "runs every"), otherwise like
 * {@link formatDuration}.
 */
export function formatInterval(ms: number): string {
  if (ms > 0 && ms <= 48 * HOUR_MS && ms % HOUR_MS === 0) {
    return `${ms / HOUR_MS}h`;
  }
  return formatDuration(ms);
}

/**
 * Names of the two values in a message of
 * {@link checkBackupScheduleMeetsRpo}.
 *
 * @public
 */
export interface BackupRpoFieldNames {
  /** Where the RPO comes from, such as `prodready.dev/rpo` or `spec.rpo`. */
  rpo: string;
  /**
   * Where the schedule comes from, such as `prodready.dev/backup-schedule`
   * or `spec.backupSchedule`.
   */
  backupSchedule: string;
}

/**
 * Checks that a backup schedule can meet a recovery point objective: the
 * longest gap between two backups ({@link CronSchedule.maxIntervalMs}) must
 * not exceed the RPO. Returns a message when it does, such as "prodready.dev/rpo
 * is 1h but prodready.dev/backup-schedule '0 2 * * *' runs only every 24h;
 * backups must run at least every 1h to meet the RPO", and `undefined` when
 * the schedule is frequent enough.
 *
 * @remarks
 *
 * An RPO of 0 (no data loss at all) can only be met by synchronous
 * replication, never by scheduled backups, so the check does not apply to
 * it: backups then serve retention, not the RPO.
 *
 * @public
 */
export function checkBackupScheduleMeetsRpo(
  rpoMs: number,
  schedule: CronSchedule,
  names: BackupRpoFieldNames,
): string | undefined {
  if (!(rpoMs > 0) || schedule.maxIntervalMs <= rpoMs) {
    return undefined;
  }
  const rpo = formatInterval(rpoMs);
  return (
    `${names.rpo} is ${rpo} but ${names.backupSchedule} '${schedule.expression}' ` +
    `runs only every ${formatInterval(schedule.maxIntervalMs)}; ` +
    `backups must run at least every ${rpo} to meet the RPO`
  );
}
