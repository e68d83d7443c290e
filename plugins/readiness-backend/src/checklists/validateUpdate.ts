import { InputError } from '@backstage/errors';
import {
  ChecklistItemDefinition,
  ChecklistItemStatus,
  ChecklistItemUpdateRequest,
  computeChecklistItemExpiry,
  parseHttpUrl,
} from '@prodready/plugin-readiness-common';

/** The longest note or justification, in characters. */
export const MAX_TEXT_LENGTH = 2000;

/** A change to an item, validated against its definition. */
export interface ValidatedItemChange {
  status: ChecklistItemStatus;
  evidenceUrl?: string;
  note?: string;
  justification?: string;
  /** ISO-8601 timestamp. */
  expiresAt?: string;
}

function optionalText(
  field: 'note' | 'justification',
  value: string | undefined,
): string | undefined {
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'string') {
    throw new InputError(`Invalid ${field}: expected a string`);
  }
  if (value.length > MAX_TEXT_LENGTH) {
    throw new InputError(
      `Invalid ${field}: it has ${value.length} characters; at most ${MAX_TEXT_LENGTH} are allowed`,
    );
  }
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * The expiry of an attestation or waiver made at `now`: the requested
 * `expiresAt` (which must be in the future and not after the longest
 * validity), or else the longest validity, or none.
 */
function expiry(
  requested: string | undefined,
  longest: string | undefined,
  longestLabel: string,
  now: Date,
): string | undefined {
  if (requested === undefined) {
    return longest;
  }
  const time = new Date(requested).getTime();
  if (
    typeof requested !== 'string' ||
    !/^\d{4}-\d{2}-\d{2}/.test(requested) ||
    !Number.isFinite(time)
  ) {
    throw new InputError(
      `Invalid expiresAt '${requested}': expected an ISO 8601 date and time, such as '2027-01-31T00:00:00Z'`,
    );
  }
  if (time <= now.getTime()) {
    throw new InputError(
      `Invalid expiresAt '${requested}': it is not in the future`,
    );
  }
  if (longest !== undefined && time > new Date(longest).getTime()) {
    throw new InputError(
      `Invalid expiresAt '${requested}': it is after ${longest}, ${longestLabel}; an expiry may be shortened, not extended`,
    );
  }
  return new Date(time).toISOString();
}

/**
 * Validates a change of an item against its definition, at `now`:
 *
 * - `done` needs an http(s) `evidenceUrl` (for `manual` and `both` items);
 *   `automatic` items are done when their checks pass and cannot be attested;
 *   the expiry comes from the item's `expiresAfter`, or an earlier
 *   `expiresAt`;
 * - `not-applicable` (a waiver) needs a `justification`; it expires after
 *   `waiverMaxAgeMs` (90 days by default), or at an earlier `expiresAt`;
 * - `open` reopens the item: evidence, justification and expiry are cleared.
 *
 * Notes and justifications hold at most 2000 characters. Every problem is an
 * `InputError` naming the field and the value.
 */
export function validateItemChange(
  definition: ChecklistItemDefinition,
  request: ChecklistItemUpdateRequest,
  options: { now: Date; waiverMaxAgeMs: number },
): ValidatedItemChange {
  const { now, waiverMaxAgeMs } = options;
  const note = optionalText('note', request.note);
  const justification = optionalText('justification', request.justification);
  let evidenceUrl: string | undefined;
  if (request.evidenceUrl !== undefined && request.evidenceUrl.trim() !== '') {
    const parsed = parseHttpUrl(request.evidenceUrl, {
      annotation: 'evidenceUrl',
    });
    if (!parsed.ok) {
      throw new InputError(`Invalid ${parsed.error}`);
    }
    evidenceUrl = parsed.value;
  }

  switch (request.status) {
    case 'done': {
      if (definition.kind === 'automatic') {
        throw new InputError(
          `Item '${
            definition.id
          }' is automatic: it is done when its checks pass (${(
            definition.checks ?? []
          ).join(', ')}); it can only be waived (not-applicable) or reopened`,
        );
      }
      if (evidenceUrl === undefined) {
        throw new InputError(
          `Invalid evidenceUrl: attesting item '${definition.id}' needs an http(s) link to the evidence`,
        );
      }
      const longest = computeChecklistItemExpiry(definition, now);
      return {
        status: 'done',
        evidenceUrl,
        ...(note !== undefined && { note }),
        ...withExpiry(
          expiry(
            request.expiresAt,
            longest,
            `the end of the item's validity of ${definition.expiresAfter}`,
            now,
          ),
        ),
      };
    }
    case 'not-applicable': {
      if (justification === undefined) {
        throw new InputError(
          `Invalid justification: marking item '${definition.id}' not applicable (a waiver) needs a justification`,
        );
      }
      const longest = new Date(now.getTime() + waiverMaxAgeMs).toISOString();
      return {
        status: 'not-applicable',
        justification,
        ...(evidenceUrl !== undefined && { evidenceUrl }),
        ...(note !== undefined && { note }),
        ...withExpiry(
          expiry(
            request.expiresAt,
            longest,
            'the longest validity of a waiver',
            now,
          ),
        ),
      };
    }
    case 'open':
      if (request.expiresAt !== undefined) {
        throw new InputError(
          'Invalid expiresAt: an open item has no expiry; leave expiresAt out',
        );
      }
      return { status: 'open', ...(note !== undefined && { note }) };
    default:
      throw new InputError(
        `Invalid status '${String(
          request.status,
        )}': expected one of open, done, not-applicable`,
      );
  }
}

function withExpiry(expiresAt: string | undefined) {
  return expiresAt === undefined ? {} : { expiresAt };
}

/**
 * The version an update is based on: the `If-Match` header (`"3"`, `W/"3"`
 * or `3`) or the `expectedVersion` field; they must agree when both are
 * given. `undefined` when neither is.
 */
export function readExpectedVersion(
  ifMatch: string | undefined,
  expectedVersion: number | undefined,
): number | undefined {
  let fromHeader: number | undefined;
  if (ifMatch !== undefined) {
    const match = /^\s*(?:W\/)?"?(\d{1,9})"?\s*$/.exec(ifMatch);
    if (!match) {
      throw new InputError(
        `Invalid If-Match '${ifMatch}': expected the item's version in quotes, such as "3"`,
      );
    }
    fromHeader = Number(match[1]);
  }
  if (
    expectedVersion !== undefined &&
    (!Number.isSafeInteger(expectedVersion) || expectedVersion < 0)
  ) {
    throw new InputError(
      `Invalid expectedVersion ${expectedVersion}: expected a whole number, 0 or more`,
    );
  }
  if (
    fromHeader !== undefined &&
    expectedVersion !== undefined &&
    fromHeader !== expectedVersion
  ) {
    throw new InputError(
      `If-Match "${fromHeader}" and expectedVersion ${expectedVersion} disagree; send one version`,
    );
  }
  return fromHeader ?? expectedVersion;
}
