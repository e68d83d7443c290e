/*
 * The causes of readiness notifications, and the events of a batch of
 * evaluations: pure functions of what was stored, what was evaluated and
 * the time, so that every rule is tested with a controlled clock.
 */
import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';
import {
  DEFAULT_INITIATIVE_REMINDERS,
  Initiative,
  InitiativeDefinition,
  InitiativeEntity,
  InitiativeEntityState,
  InitiativeShortfall,
  READINESS_NOTIFICATION_TOPICS,
  ReadinessCheckStatusChangedEvent,
  ReadinessLevelChangedEvent,
  WaiverRequest,
  initiativeDaysLeft,
  initiativePhase,
} from '@prodready/plugin-readiness-common';
import type { EntityEvaluation } from '../database';
import type { PreviousEvaluation } from '../service/engine/types';
import type { NotificationCause } from './types';

const DAY_MS = 86_400_000;
/** An expired attestation or waiver is announced for this long after its expiry. */
export const EXPIRED_NOTICE_DAYS = 30;
/** An initiative's start is announced for this long after its start day. */
export const STARTED_NOTICE_DAYS = 7;

/** The UTC day of a time, `YYYY-MM-DD`. */
export function dayOf(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function normalizeRef(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

function plural(count: number, word: string, words = `${word}s`): string {
  return `${count} ${count === 1 ? word : words}`;
}

/** The name of an entity for a title: `payments-api`. */
function nameOf(entityRef: string): string {
  try {
    return parseEntityRef(entityRef).name;
  } catch {
    return entityRef;
  }
}

/**
 * The path of an entity's readiness tab, optionally at a check
 * (`?check=<id>`) or a checklist item (`?item=<phase>/<item>`).
 */
export function entityReadinessLink(
  entityRef: string,
  at?: { check?: string; item?: { phaseId: string; itemId: string } },
): string {
  let path: string;
  try {
    const { kind, namespace, name } = parseEntityRef(entityRef);
    path = `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
      kind.toLocaleLowerCase('en-US'),
    )}/${encodeURIComponent(name)}/readiness`;
  } catch {
    return '/readiness';
  }
  if (at?.check) {
    return `${path}?check=${encodeURIComponent(at.check)}`;
  }
  if (at?.item) {
    return `${path}?item=${encodeURIComponent(
      `${at.item.phaseId}/${at.item.itemId}`,
    )}`;
  }
  return path;
}

/** The path of an initiative on the readiness page. */
export function initiativeLink(id: string): string {
  return `/readiness/initiatives/${encodeURIComponent(id)}`;
}

/** Titles of checks and levels, for readable notifications. */
export interface CauseTitles {
  check(id: string): string;
  level(id: string | null): string;
}

/**
 * Regressions (a check that passed now fails) and level drops in a batch
 * of evaluations. Entities evaluated for the first time have no previous
 * state and cause nothing; entities without an owner have nobody to tell.
 * Window: the UTC day, so a check that flaps is reported once a day.
 */
export function evaluationCauses(options: {
  evaluations: ReadonlyArray<EntityEvaluation>;
  previous: ReadonlyMap<string, PreviousEvaluation>;
  titles: CauseTitles;
}): NotificationCause[] {
  const { evaluations, previous, titles } = options;
  const causes: NotificationCause[] = [];
  for (const evaluation of evaluations) {
    const ref = normalizeRef(evaluation.entityRef);
    const before = previous.get(ref);
    const owner = evaluation.scores.owner;
    if (!before || !owner) continue;
    const day = dayOf(evaluation.evaluatedAt);
    const name = nameOf(ref);
    for (const result of evaluation.results) {
      if (
        result.status !== 'fail' ||
        before.statuses.get(result.checkId) !== 'pass'
      ) {
        continue;
      }
      const title = titles.check(result.checkId);
      causes.push({
        key: `regression:${ref}:${result.checkId}:${day}`,
        topic: READINESS_NOTIFICATION_TOPICS.regression,
        entityRef: ref,
        recipients: [owner],
        payload: {
          title: `${name}: "${title}" now fails`,
          description: `The check "${title}" passed and now fails: ${result.message}`,
          link: entityReadinessLink(ref, { check: result.checkId }),
          severity: 'high',
          scope: `readiness:check:${ref}:${result.checkId}`,
        },
        digestible: true,
      });
    }
    if (evaluation.scores.levelRank < before.levelRank) {
      const from = titles.level(before.level);
      const to = titles.level(evaluation.scores.level);
      causes.push({
        key: `level-drop:${ref}:${before.level ?? ''}>${
          evaluation.scores.level ?? ''
        }:${day}`,
        topic: READINESS_NOTIFICATION_TOPICS.regression,
        entityRef: ref,
        recipients: [owner],
        payload: {
          title: `${name} dropped from ${from} to ${to}`,
          description: `The readiness level of ${ref} dropped from ${from} to ${to}. See which checks fail on its readiness tab.`,
          link: entityReadinessLink(ref),
          severity: 'high',
          scope: `readiness:level:${ref}`,
        },
        digestible: true,
      });
    }
  }
  return causes;
}

/**
 * The events of a batch: every check status that changed and every level
 * that changed, of entities evaluated before (the first evaluation of an
 * entity is not a change). A check new to an entity has `fromStatus: null`.
 */
export function evaluationEvents(options: {
  evaluations: ReadonlyArray<EntityEvaluation>;
  previous: ReadonlyMap<string, PreviousEvaluation>;
}): {
  checkStatusChanged: ReadinessCheckStatusChangedEvent[];
  levelChanged: ReadinessLevelChangedEvent[];
} {
  const checkStatusChanged: ReadinessCheckStatusChangedEvent[] = [];
  const levelChanged: ReadinessLevelChangedEvent[] = [];
  for (const evaluation of options.evaluations) {
    const ref = normalizeRef(evaluation.entityRef);
    const before = options.previous.get(ref);
    if (!before) continue;
    const changedAt = evaluation.evaluatedAt.toISOString();
    for (const result of evaluation.results) {
      const fromStatus = before.statuses.get(result.checkId) ?? null;
      if (fromStatus !== result.status) {
        checkStatusChanged.push({
          entityRef: ref,
          checkId: result.checkId,
          fromStatus,
          toStatus: result.status,
          message: result.message,
          changedAt,
        });
      }
    }
    if (before.level !== evaluation.scores.level) {
      levelChanged.push({
        entityRef: ref,
        fromLevel: before.level,
        toLevel: evaluation.scores.level,
        dropped: evaluation.scores.levelRank < before.levelRank,
        changedAt,
      });
    }
  }
  return { checkStatusChanged, levelChanged };
}

/** A checklist item with an expiry, and the owner of its entity. */
export interface ExpiringItem {
  entityRef: string;
  owner: string | null;
  phaseId: string;
  itemId: string;
  /** `done` (an attestation) or `not-applicable` (a waiver). */
  status: string;
  /** ISO-8601. */
  expiresAt: string;
  /** The item's text, if known. */
  text?: string;
}

/**
 * The thresholds of expiry warnings: `warningDays`, 7 and 1 days before,
 * those not above `warningDays`, largest first.
 */
export function expiryThresholds(warningDays: number): number[] {
  return [...new Set([warningDays, 7, 1])]
    .filter(days => days <= warningDays)
    .sort((a, b) => b - a);
}

/**
 * Attestations and waivers that expire within `warningDays` (one warning
 * per threshold crossed: 14, 7 and 1 days before by default; the window is
 * the threshold) or expired (within the last {@link EXPIRED_NOTICE_DAYS}
 * days). A renewed item has a new expiry, hence new keys.
 */
export function expiryCauses(options: {
  items: ReadonlyArray<ExpiringItem>;
  now: Date;
  warningDays: number;
}): NotificationCause[] {
  const { now, warningDays } = options;
  const thresholds = expiryThresholds(warningDays);
  const causes: NotificationCause[] = [];
  for (const item of options.items) {
    const expiresAt = Date.parse(item.expiresAt);
    if (!item.owner || Number.isNaN(expiresAt) || item.status === 'open') {
      continue;
    }
    const ref = normalizeRef(item.entityRef);
    const what = item.status === 'not-applicable' ? 'waiver' : 'attestation';
    const label = item.text
      ? `"${item.text}"`
      : `${item.phaseId}/${item.itemId}`;
    const itemKey = `${ref}:${item.phaseId}/${item.itemId}:${new Date(
      expiresAt,
    ).toISOString()}`;
    const base = {
      topic: READINESS_NOTIFICATION_TOPICS.expiry,
      entityRef: ref,
      recipients: [item.owner],
      digestible: true,
    };
    const link = entityReadinessLink(ref, {
      item: { phaseId: item.phaseId, itemId: item.itemId },
    });
    const scope = `readiness:item:${ref}:${item.phaseId}/${item.itemId}`;
    const msLeft = expiresAt - now.getTime();
    if (msLeft <= 0) {
      if (-msLeft > EXPIRED_NOTICE_DAYS * DAY_MS) continue;
      causes.push({
        ...base,
        key: `expired:${itemKey}`,
        payload: {
          title: `${nameOf(ref)}: the ${what} of ${label} expired`,
          description: `The ${what} of ${label} expired on ${dayOf(
            new Date(expiresAt),
          )}; the item counts as open until it is renewed.`,
          link,
          severity: 'high',
          scope,
        },
      });
      continue;
    }
    const daysLeft = Math.ceil(msLeft / DAY_MS);
    const threshold = [...thresholds].reverse().find(t => daysLeft <= t);
    if (threshold === undefined) continue;
    causes.push({
      ...base,
      key: `expiring:${itemKey}:${threshold}`,
      payload: {
        title: `${nameOf(ref)}: the ${what} of ${label} expires in ${plural(
          daysLeft,
          'day',
        )}`,
        description: `The ${what} of ${label} expires on ${dayOf(
          new Date(expiresAt),
        )}. Renew it before then, or the item counts as open.`,
        link,
        severity: daysLeft <= 1 ? 'high' : 'normal',
        scope,
      },
    });
  }
  return causes;
}

const STATE_TEXT: Record<InitiativeEntityState, string> = {
  met: 'It already meets the goal.',
  exempt: 'It is exempt (waived).',
  'not-met': 'It does not meet the goal yet.',
};

/** Where on the readiness tab a shortfall is: its check or its item. */
function shortfallTarget(
  shortfall: InitiativeShortfall | undefined,
): Parameters<typeof entityReadinessLink>[1] {
  if (shortfall?.type === 'check') {
    return { check: shortfall.id };
  }
  if (shortfall?.type === 'checklist-item' && shortfall.phaseId) {
    // The id is `<checklistId>/<itemId>`.
    const itemId = shortfall.id.split('/').pop()!;
    return { item: { phaseId: shortfall.phaseId, itemId } };
  }
  return undefined;
}

function goalText(initiative: Pick<InitiativeDefinition, 'goal'>): string {
  const { goal } = initiative;
  switch (goal.type) {
    case 'level':
      return `reach the level ${goal.level} or better`;
    case 'checks':
      return `pass ${plural(goal.checks.length, 'check')} (${goal.checks.join(
        ', ',
      )})`;
    default:
      if (goal.items?.length) {
        return `complete ${plural(goal.items.length, 'item')} of ${
          goal.phase
        } (${goal.items.join(', ')})`;
      }
      return `complete the checklists of ${goal.phase}`;
  }
}

/**
 * An initiative that started (its start day reached, announced for
 * {@link STARTED_NOTICE_DAYS} days) or was created including the entities:
 * one cause per entity to its owner (once per initiative and entity), and
 * one to the initiative's owner. A scheduled initiative that was just
 * created is announced with its start day (`created`); otherwise it is
 * `started`.
 */
export function initiativeStartCauses(options: {
  initiative: InitiativeDefinition;
  entities: ReadonlyArray<
    Pick<InitiativeEntity, 'entityRef' | 'owner' | 'state'>
  >;
  /** Total entities in scope, for the owner's notification. */
  total: number;
  now: Date;
  /** Whether this is the announcement of a new initiative. */
  created?: boolean;
}): NotificationCause[] {
  const { initiative, now } = options;
  const phase = initiativePhase(initiative, now);
  if (phase === 'ended') return [];
  let cause: 'started' | 'created';
  if (phase === 'active') {
    const started = Date.parse(`${initiative.startDate}T00:00:00Z`);
    if (
      !options.created &&
      now.getTime() - started > STARTED_NOTICE_DAYS * DAY_MS
    ) {
      return [];
    }
    cause = 'started';
  } else if (options.created) {
    cause = 'created';
  } else {
    return [];
  }
  const when =
    cause === 'started'
      ? `started; its deadline is ${initiative.deadline}`
      : `starts on ${initiative.startDate}; its deadline is ${initiative.deadline}`;
  const severity: NotificationSeverity = 'low';
  const causes: NotificationCause[] = [];
  for (const entity of options.entities) {
    if (!entity.owner) continue;
    const ref = normalizeRef(entity.entityRef);
    const state = STATE_TEXT[entity.state];
    causes.push({
      // One announcement per initiative and entity: created or started.
      key: `initiative:${initiative.id}:${ref}:${cause}`,
      topic: READINESS_NOTIFICATION_TOPICS.initiativeStarted,
      entityRef: ref,
      recipients: [entity.owner],
      payload: {
        title: `${nameOf(ref)} is in the initiative "${initiative.title}"`,
        description: `The initiative "${
          initiative.title
        }" ${when}. Goal: ${goalText(initiative)}. ${state}`,
        link: entityReadinessLink(ref),
        severity,
        scope: `readiness:initiative:${initiative.id}:${ref}`,
      },
      digestible: true,
    });
  }
  causes.push({
    key: `initiative:${initiative.id}:owner:${cause}`,
    topic: READINESS_NOTIFICATION_TOPICS.initiativeStarted,
    recipients: [initiative.owner],
    payload: {
      title: `Your initiative "${initiative.title}" ${
        cause === 'started' ? 'started' : 'was created'
      }`,
      description: `"${initiative.title}" ${when}. ${plural(
        options.total,
        'entity',
        'entities',
      )} in scope.`,
      link: initiativeLink(initiative.id),
      severity,
      scope: `readiness:initiative:${initiative.id}:owner`,
    },
    digestible: true,
  });
  return causes;
}

/**
 * The reminder due for an initiative at `now`: the smallest of its
 * reminders (days before the deadline) that the days left have reached, or
 * `undefined` (none reached yet, or the deadline passed).
 */
export function dueReminder(
  initiative: Pick<Initiative, 'deadline' | 'reminders'>,
  now: Date,
): { reminder: number; daysLeft: number } | undefined {
  const daysLeft = initiativeDaysLeft(initiative, now);
  if (daysLeft < 0) return undefined;
  const reminders = [...(initiative.reminders ?? DEFAULT_INITIATIVE_REMINDERS)]
    .filter(days => Number.isFinite(days) && days >= 0)
    .sort((a, b) => a - b);
  const reminder = reminders.find(days => daysLeft <= days);
  return reminder === undefined ? undefined : { reminder, daysLeft };
}

/**
 * Deadline reminders of an active initiative for the entities not met: one
 * per entity and reminder (the window), and one summary per reminder to the
 * initiative's owner. Severity high on the last day, normal before.
 */
export function deadlineCauses(options: {
  initiative: Initiative;
  /** The entities in scope not met (with what they lack). */
  notMet: ReadonlyArray<
    Pick<InitiativeEntity, 'entityRef' | 'owner' | 'missing'>
  >;
  /** How many entities are not met in all (`notMet` may be one page). */
  notMetTotal: number;
  now: Date;
}): NotificationCause[] {
  const { initiative, now } = options;
  if (initiativePhase(initiative, now) !== 'active') return [];
  const due = dueReminder(initiative, now);
  if (!due) return [];
  const { reminder, daysLeft } = due;
  const severity: NotificationSeverity = daysLeft <= 1 ? 'high' : 'normal';
  const left = daysLeft === 0 ? 'is today' : `is in ${plural(daysLeft, 'day')}`;
  const causes: NotificationCause[] = [];
  for (const entity of options.notMet) {
    if (!entity.owner) continue;
    const ref = normalizeRef(entity.entityRef);
    const missing = entity.missing.map(m => m.title).slice(0, 5);
    const first = entity.missing[0];
    causes.push({
      key: `deadline:${initiative.id}:${ref}:${reminder}`,
      topic: READINESS_NOTIFICATION_TOPICS.initiativeDeadline,
      entityRef: ref,
      recipients: [entity.owner],
      payload: {
        title: `${nameOf(ref)}: the deadline of "${initiative.title}" ${left}`,
        description: `${nameOf(ref)} does not meet "${
          initiative.title
        }" yet (due ${initiative.deadline}).${
          missing.length > 0 ? ` Missing: ${missing.join('; ')}.` : ''
        }`,
        link: entityReadinessLink(ref, shortfallTarget(first)),
        severity,
        scope: `readiness:deadline:${initiative.id}:${ref}`,
      },
      digestible: true,
    });
  }
  if (options.notMetTotal > 0) {
    causes.push({
      key: `deadline:${initiative.id}:owner:${reminder}`,
      topic: READINESS_NOTIFICATION_TOPICS.initiativeDeadline,
      recipients: [initiative.owner],
      payload: {
        title: `"${initiative.title}": the deadline ${left}, ${plural(
          options.notMetTotal,
          'entity',
          'entities',
        )} not met`,
        description: `${options.notMetTotal} of ${initiative.progress.total} in scope do not meet "${initiative.title}" yet (due ${initiative.deadline}).`,
        link: initiativeLink(initiative.id),
        severity,
        scope: `readiness:deadline:${initiative.id}:owner`,
      },
      digestible: true,
    });
  }
  return causes;
}

/** A waiver request that needs approval: to the approvers, at once. */
export function waiverRequestedCause(
  request: WaiverRequest,
  approvers: ReadonlyArray<string>,
): NotificationCause {
  const ref = normalizeRef(request.entityRef);
  return {
    key: `waiver:${request.id}:requested`,
    topic: READINESS_NOTIFICATION_TOPICS.waiver,
    entityRef: ref,
    recipients: [...approvers],
    payload: {
      title: `Waiver request for ${nameOf(ref)}: ${request.phaseId}/${
        request.itemId
      }`,
      description: `${request.requestedBy} asks to waive ${request.phaseId}/${request.itemId} of ${ref} until ${request.expiresAt}: ${request.justification}`,
      link: entityReadinessLink(ref, {
        item: { phaseId: request.phaseId, itemId: request.itemId },
      }),
      severity: 'normal',
      scope: `readiness:waiver:${request.id}`,
    },
    digestible: false,
  };
}

/** A decision on a waiver request: to the requester, at once. */
export function waiverDecidedCause(request: WaiverRequest): NotificationCause {
  const ref = normalizeRef(request.entityRef);
  // approved, denied, revoked or withdrawn.
  const decision = request.status;
  return {
    key: `waiver:${request.id}:${request.status}`,
    topic: READINESS_NOTIFICATION_TOPICS.waiver,
    entityRef: ref,
    recipients: [request.requestedBy],
    payload: {
      title: `Your waiver request for ${nameOf(ref)} was ${decision}`,
      description: `The waiver of ${request.phaseId}/${
        request.itemId
      } of ${ref} was ${decision}${
        request.decidedBy ? ` by ${request.decidedBy}` : ''
      }${request.reason ? `: ${request.reason}` : '.'}`,
      link: entityReadinessLink(ref, {
        item: { phaseId: request.phaseId, itemId: request.itemId },
      }),
      severity: request.status === 'denied' ? 'high' : 'normal',
      scope: `readiness:waiver:${request.id}`,
    },
    digestible: false,
  };
}

const SEVERITY_ORDER: NotificationSeverity[] = [
  'low',
  'normal',
  'high',
  'critical',
];

/** What a digest holds of one queued notification. */
export interface DigestEntry {
  title: string;
  severity: NotificationSeverity;
  link: string;
}

/** Most entries listed in a digest's description. */
const DIGEST_LISTED = 10;

/**
 * The daily digest of one recipient: one notification for the day's
 * queued ones, with the highest of their severities.
 */
export function digestCause(options: {
  recipient: string;
  day: string;
  entries: ReadonlyArray<DigestEntry>;
}): NotificationCause {
  const { recipient, day, entries } = options;
  const severity = entries.reduce<NotificationSeverity>(
    (max, entry) =>
      SEVERITY_ORDER.indexOf(entry.severity) > SEVERITY_ORDER.indexOf(max)
        ? entry.severity
        : max,
    'low',
  );
  const listed = entries.slice(0, DIGEST_LISTED).map(e => `- ${e.title}`);
  if (entries.length > DIGEST_LISTED) {
    listed.push(`- and ${entries.length - DIGEST_LISTED} more`);
  }
  const links = new Set(entries.map(e => e.link));
  return {
    key: `digest:${normalizeRef(recipient)}:${day}`,
    topic: READINESS_NOTIFICATION_TOPICS.digest,
    recipients: [recipient],
    payload: {
      title: `Readiness: ${plural(entries.length, 'update')} for ${day}`,
      description: listed.join('\n'),
      link: links.size === 1 ? [...links][0] : '/readiness',
      severity,
      scope: `readiness:digest:${normalizeRef(recipient)}`,
    },
    digestible: false,
  };
}
