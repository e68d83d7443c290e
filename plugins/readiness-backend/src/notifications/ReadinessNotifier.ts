import type { LoggerService } from '@backstage/backend-plugin-api';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import {
  READINESS_ENTITY_SIGNAL_CHANNEL,
  READINESS_EVENT_TOPICS,
  READINESS_NOTIFICATION_TOPICS,
  READINESS_OVERVIEW_SIGNAL_CHANNEL,
  Initiative,
  ReadinessEntitySignal,
  ReadinessOverviewSignal,
  WaiverRequest,
  initiativePhase,
} from '@prodready/plugin-readiness-common';
import { createLimiter } from '@prodready/plugin-readiness-engine';
import type { ExpiringItemsPage } from '../checklists/ChecklistStore';
import type { EntityEvaluation, ReadinessStore } from '../database';
import type {
  CycleSummary,
  EvaluatedBatch,
  ReadinessEvaluationListener,
} from '../service/engine/types';
import {
  CauseTitles,
  ExpiringItem,
  dayOf,
  deadlineCauses,
  dueReminder,
  digestCause,
  evaluationCauses,
  evaluationEvents,
  expiryCauses,
  initiativeStartCauses,
  waiverDecidedCause,
  waiverRequestedCause,
  EXPIRED_NOTICE_DAYS,
  STARTED_NOTICE_DAYS,
} from './causes';
import type { NotificationSettings } from './config';
import type { DatabaseNotificationStore } from './DatabaseNotificationStore';
import type {
  InitiativeChange,
  InitiativeSource,
  NotificationCause,
} from './types';

const DAY_MS = 86_400_000;
/** Sends at once. */
const SEND_CONCURRENCY = 4;
/** Items and entities per page read by the scheduled task. */
const PAGE_SIZE = 500;
/** Queued causes read per digest run. */
const DIGEST_LIMIT = 10_000;
/** How long the record of a sent cause is kept (longer than any window). */
const RETENTION_DAYS = 400;

/** Options of {@link ReadinessNotifier}. */
export interface ReadinessNotifierOptions {
  settings: NotificationSettings;
  store: DatabaseNotificationStore;
  notifications: NotificationService;
  signals: SignalsService;
  events: EventsService;
  logger: LoggerService;
  /** Titles of checks and levels. */
  titles: CauseTitles;
  /** Items that expire in a window (the checklist store). */
  listExpiringItems(query: {
    from: Date;
    to: Date;
    limit: number;
    cursor?: string;
  }): Promise<ExpiringItemsPage>;
  /** The stored scores, for the owners of entities. */
  readinessStore: Pick<ReadinessStore, 'listScores'>;
  /** The text of a checklist item, if known. */
  itemText?(phaseId: string, itemId: string): string | undefined;
  /** The initiatives, when the initiatives service runs. */
  initiatives?: InitiativeSource;
  /** The clock; for tests. */
  now?: () => Date;
}

/** What one scheduled run did. */
export interface NotifierTaskResult {
  /** Causes seen. */
  causes: number;
  /** Causes this run claimed (sent, or queued for the digest). */
  claimed: number;
  /** Digest notifications sent. */
  digests: number;
}

/**
 * Readiness's notifications, events and signals.
 *
 * As an engine listener it publishes the events of each batch
 * (`readiness.check-status-changed`, `readiness.level-changed`), one signal
 * per batch with the entities re-evaluated and one per cycle with changes,
 * and notifies the owners of regressions and level drops. Its scheduled
 * task (see {@link ReadinessNotifier.runTask}) finds expiring attestations
 * and waivers, started initiatives and deadline reminders, and sends the
 * daily digest. Waiver requests and decisions are notified by the waiver
 * service.
 *
 * Every cause is claimed in the database before it is sent, so that it is
 * sent once even with several backend replicas. A send that fails releases
 * the claim (a later occurrence retries) and is logged once, so the backend
 * keeps working without the notifications backend.
 */
export class ReadinessNotifier implements ReadinessEvaluationListener {
  private readonly options: ReadinessNotifierOptions;
  private readonly now: () => Date;
  private readonly logger: LoggerService;
  private initiatives?: InitiativeSource;
  private sendFailing = false;

  constructor(options: ReadinessNotifierOptions) {
    this.options = options;
    this.now = options.now ?? (() => new Date());
    this.logger = options.logger;
    if (options.initiatives) {
      this.attachInitiatives(options.initiatives);
    }
  }

  /**
   * Notifies about the initiatives of this source: new ones at once, and
   * starts and deadline reminders in the scheduled task.
   */
  attachInitiatives(initiatives: InitiativeSource): void {
    this.initiatives = initiatives;
    initiatives.subscribe(change => {
      this.onInitiativeChange(change).catch(error =>
        this.logger.warn(
          `Failed to notify the change of initiative ${change.initiative.id}: ${error}`,
        ),
      );
    });
  }

  async onEvaluated(
    evaluations: ReadonlyArray<EntityEvaluation>,
    batch: EvaluatedBatch,
  ): Promise<void> {
    const { previous } = batch;
    await this.publishEvents(evaluations, previous);
    // One signal per batch, not per entity: a cycle over 10,000 entities
    // sends 100 messages.
    const message: ReadinessEntitySignal = {
      entityRefs: evaluations.map(e => e.entityRef.toLocaleLowerCase('en-US')),
      evaluatedAt: this.now().toISOString(),
    };
    await this.publishSignal(READINESS_ENTITY_SIGNAL_CHANNEL, message);
    await this.dispatch(
      evaluationCauses({ evaluations, previous, titles: this.options.titles }),
    );
  }

  async onCycleFinished(summary: CycleSummary): Promise<void> {
    const changed = summary.evaluated + summary.removed;
    if (changed === 0) return;
    const message: ReadinessOverviewSignal = {
      changed,
      at: this.now().toISOString(),
    };
    await this.publishSignal(READINESS_OVERVIEW_SIGNAL_CHANNEL, message);
  }

  /** Notifies the approvers of a waiver request. */
  async waiverRequested(
    request: WaiverRequest,
    approvers: ReadonlyArray<string>,
  ): Promise<void> {
    if (approvers.length === 0) return;
    await this.dispatch([waiverRequestedCause(request, approvers)]);
  }

  /** Notifies the requester of the decision on a waiver request. */
  async waiverDecided(request: WaiverRequest): Promise<void> {
    if (request.status === 'pending') return;
    await this.dispatch([waiverDecidedCause(request)]);
  }

  /**
   * The scheduled task (hourly, one replica at a time): expiring and
   * expired attestations and waivers, started initiatives, deadline
   * reminders, then the daily digest and the retention of old records.
   */
  async runTask(): Promise<NotifierTaskResult> {
    const result: NotifierTaskResult = { causes: 0, claimed: 0, digests: 0 };
    const tally = async (causes: NotificationCause[]) => {
      result.causes += causes.length;
      result.claimed += await this.dispatch(causes);
    };
    const now = this.now();

    // Attestations and waivers: expired in the last days, or expiring soon.
    const from = new Date(now.getTime() - EXPIRED_NOTICE_DAYS * DAY_MS);
    const to = new Date(
      now.getTime() + (this.options.settings.expiryWarningDays + 1) * DAY_MS,
    );
    let cursor: string | undefined;
    do {
      const page = await this.options.listExpiringItems({
        from,
        to,
        limit: PAGE_SIZE,
        cursor,
      });
      const owners = await this.ownersOf(page.items.map(i => i.entityRef));
      const items: ExpiringItem[] = page.items.map(item => ({
        entityRef: item.entityRef,
        owner: owners.get(item.entityRef.toLocaleLowerCase('en-US')) ?? null,
        phaseId: item.phaseId,
        itemId: item.itemId,
        status: item.status,
        expiresAt: item.expiresAt,
        text: this.options.itemText?.(item.phaseId, item.itemId),
      }));
      await tally(
        expiryCauses({
          items,
          now,
          warningDays: this.options.settings.expiryWarningDays,
        }),
      );
      cursor = page.nextCursor;
    } while (cursor);

    // Initiatives: started, and deadline reminders. Their entities are read
    // only in a window (the days after the start, a reminder due).
    const { initiatives } = this;
    if (initiatives) {
      for (const initiative of await initiatives.list()) {
        if (initiativePhase(initiative, now) !== 'active') continue;
        const started = Date.parse(`${initiative.startDate}T00:00:00Z`);
        const recent = now.getTime() - started <= STARTED_NOTICE_DAYS * DAY_MS;
        // An initiative first seen while already under way (one added to
        // app-config after its start day) is announced once, too.
        const firstSeen =
          !recent && (await this.claimFirstSight(initiative, now));
        if (recent || firstSeen) {
          await this.forEachEntityPage(initiative.id, undefined, async page =>
            tally(
              initiativeStartCauses({
                initiative,
                entities: page.items,
                total: page.totalCount,
                now,
                created: firstSeen,
              }),
            ),
          );
        }
        if (dueReminder(initiative, now)) {
          await this.forEachEntityPage(initiative.id, ['not-met'], async page =>
            tally(
              deadlineCauses({
                initiative,
                notMet: page.items,
                notMetTotal: page.totalCount,
                now,
              }),
            ),
          );
        }
      }
    }

    if (this.options.settings.digest === 'daily') {
      result.digests = await this.sendDigests(now);
    }
    await this.options.store.deleteSentBefore(
      new Date(now.getTime() - RETENTION_DAYS * DAY_MS),
    );
    return result;
  }

  /**
   * Whether this is the first time any replica sees the initiative under
   * way with its progress computed (then it is announced): claims a marker
   * once per initiative.
   */
  private async claimFirstSight(
    initiative: Initiative,
    now: Date,
  ): Promise<boolean> {
    if (!initiative.computedAt) return false;
    const claimed = await this.options.store.claim(
      [
        {
          key: `initiative:${initiative.id}:seen`,
          topic: READINESS_NOTIFICATION_TOPICS.initiativeStarted,
          recipients: [],
          payload: {
            title: initiative.title,
            description: 'Announced',
            link: '',
            severity: 'low',
            scope: `readiness:initiative:${initiative.id}:seen`,
          },
          digestible: false,
        },
      ],
      { state: 'sent', now },
    );
    return claimed.length === 1;
  }

  /** A new initiative is announced to the owners of its entities. */
  private async onInitiativeChange(change: InitiativeChange): Promise<void> {
    if (change.type !== 'created') return;
    const now = this.now();
    await this.forEachEntityPage(change.initiative.id, undefined, page =>
      this.dispatch(
        initiativeStartCauses({
          initiative: change.initiative,
          entities: page.items,
          total: page.totalCount,
          now,
          created: true,
        }),
      ).then(() => undefined),
    );
  }

  /** Reads the entities of an initiative page by page. */
  private async forEachEntityPage(
    id: string,
    states: Array<'met' | 'not-met' | 'exempt'> | undefined,
    fn: (page: {
      items: Awaited<ReturnType<InitiativeSource['listEntities']>>['items'];
      totalCount: number;
    }) => Promise<void>,
  ): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.initiatives!.listEntities(id, {
        ...(states && { states }),
        limit: PAGE_SIZE,
        ...(cursor && { cursor }),
      });
      await fn(page);
      cursor = page.nextCursor;
    } while (cursor);
  }

  /** The owners of entities, by lower-case ref, from the stored scores. */
  private async ownersOf(refs: string[]): Promise<Map<string, string>> {
    const owners = new Map<string, string>();
    const unique = [...new Set(refs.map(r => r.toLocaleLowerCase('en-US')))];
    if (unique.length === 0) return owners;
    const { items } = await this.options.readinessStore.listScores({
      filter: { entityRefs: unique },
      limit: unique.length,
    });
    for (const item of items) {
      if (item.owner) {
        owners.set(item.entityRef.toLocaleLowerCase('en-US'), item.owner);
      }
    }
    return owners;
  }

  /**
   * Claims causes and sends those this replica claimed, or queues them for
   * the digest. Returns how many were claimed.
   */
  private async dispatch(
    causes: ReadonlyArray<NotificationCause>,
  ): Promise<number> {
    const { settings, store } = this.options;
    if (!settings.enabled) return 0;
    const wanted = causes.filter(
      cause =>
        !settings.disabledTopics.has(cause.topic) &&
        cause.recipients.length > 0,
    );
    if (wanted.length === 0) return 0;
    const now = this.now();
    const digest = settings.digest === 'daily';
    const queued = digest ? wanted.filter(c => c.digestible) : [];
    const immediate = digest ? wanted.filter(c => !c.digestible) : wanted;
    const claimedQueued = await store.claim(queued, { state: 'queued', now });
    const claimed = await store.claim(immediate, { state: 'sent', now });
    const limit = createLimiter(SEND_CONCURRENCY);
    const failed: NotificationCause[] = [];
    await Promise.all(
      claimed.map(cause =>
        limit(async () => {
          if (!(await this.send(cause))) failed.push(cause);
        }),
      ),
    );
    if (failed.length > 0) {
      await store.release(failed);
    }
    return claimedQueued.length + claimed.length - failed.length;
  }

  /** Sends one notification; logs the first failure of a series. */
  private async send(cause: NotificationCause): Promise<boolean> {
    try {
      await this.options.notifications.send({
        recipients: { type: 'entity', entityRef: cause.recipients },
        payload: { ...cause.payload, topic: cause.topic },
      });
      if (this.sendFailing) {
        this.sendFailing = false;
        this.logger.info('Readiness notifications are sent again');
      }
      return true;
    } catch (error) {
      if (!this.sendFailing) {
        this.sendFailing = true;
        this.logger.warn(
          `Could not send readiness notifications (is @backstage/plugin-notifications-backend installed?); they are retried when their cause is seen again, and further failures are logged at debug level: ${error}`,
        );
      } else {
        this.logger.debug(
          `Could not send the readiness notification ${cause.key}: ${error}`,
        );
      }
      return false;
    }
  }

  /**
   * Sends one digest per recipient of the causes queued before today (UTC),
   * at most once per recipient and day.
   */
  private async sendDigests(now: Date): Promise<number> {
    const { store } = this.options;
    const day = dayOf(now);
    const queued = await store.listQueued({
      before: new Date(`${day}T00:00:00.000Z`),
      limit: DIGEST_LIMIT,
    });
    const byRecipient = new Map<
      string,
      { recipient: string; ids: string[]; causes: NotificationCause[] }
    >();
    for (const { id, cause } of queued) {
      if (this.options.settings.disabledTopics.has(cause.topic)) continue;
      for (const recipient of cause.recipients) {
        const key = recipient.toLocaleLowerCase('en-US');
        const group = byRecipient.get(key) ?? {
          recipient,
          ids: [],
          causes: [],
        };
        group.ids.push(id);
        group.causes.push(cause);
        byRecipient.set(key, group);
      }
    }
    let sent = 0;
    const done = new Set<string>();
    for (const { recipient, ids, causes } of byRecipient.values()) {
      const digest = digestCause({
        recipient,
        day,
        entries: causes.map(c => ({
          title: c.payload.title,
          severity: c.payload.severity,
          link: c.payload.link,
        })),
      });
      if (this.options.settings.disabledTopics.has(digest.topic)) {
        ids.forEach(id => done.add(id));
        continue;
      }
      const [claimed] = await store.claim([digest], { state: 'sent', now });
      if (!claimed) {
        // Sent today already (by another run): the rest waits a day.
        continue;
      }
      if (await this.send(digest)) {
        sent += 1;
        ids.forEach(id => done.add(id));
      } else {
        await store.release([digest]);
      }
    }
    await store.markSent([...done], now);
    return sent;
  }

  private async publishEvents(
    evaluations: ReadonlyArray<EntityEvaluation>,
    previous: EvaluatedBatch['previous'],
  ) {
    const { events } = this.options;
    const { checkStatusChanged, levelChanged } = evaluationEvents({
      evaluations,
      previous,
    });
    for (const eventPayload of checkStatusChanged) {
      await events.publish({
        topic: READINESS_EVENT_TOPICS.checkStatusChanged,
        eventPayload,
      });
    }
    for (const eventPayload of levelChanged) {
      await events.publish({
        topic: READINESS_EVENT_TOPICS.levelChanged,
        eventPayload,
      });
    }
  }

  private async publishSignal(
    channel: string,
    message: ReadinessEntitySignal | ReadinessOverviewSignal,
  ) {
    try {
      await this.options.signals.publish({
        recipients: { type: 'broadcast' },
        channel,
        message: { ...message },
      });
    } catch (error) {
      this.logger.debug(`Could not publish the signal ${channel}: ${error}`);
    }
  }
}
