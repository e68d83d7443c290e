import { WaiverRequest } from '@prodready/plugin-readiness-common';
import { formatRelativeTime, shortRef } from '../common/format';

/** The state of a waiver request, in one sentence. */
export function waiverRequestText(request: WaiverRequest): string {
  const by = request.decidedBy ? ` by ${shortRef(request.decidedBy)}` : '';
  const when = request.decidedAt
    ? ` ${formatRelativeTime(request.decidedAt)}`
    : '';
  const reason = request.reason ? `: ${request.reason}` : '';
  switch (request.status) {
    case 'pending':
      return `Waiver requested by ${shortRef(
        request.requestedBy,
      )} ${formatRelativeTime(request.requestedAt)}, waiting for approval`;
    case 'approved':
      return `Waiver approved${by}${when}${reason}`;
    case 'denied':
      return `Waiver denied${by}${when}${reason}`;
    case 'revoked':
      return `Waiver revoked${by}${when}${reason}`;
    case 'withdrawn':
      return `Waiver request withdrawn${when}`;
    default:
      return `Waiver request: ${String(request.status)}`;
  }
}

/** `2026-12-31` (a date input's value) → end of that day, ISO 8601 UTC. */
export function endOfDay(date: string): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) {
    return undefined;
  }
  const value = new Date(`${date}T23:59:59.000Z`);
  return Number.isNaN(value.getTime()) ? undefined : value.toISOString();
}
