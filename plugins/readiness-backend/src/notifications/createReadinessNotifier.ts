import type {
  DatabaseService,
  LoggerService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import type { EventsService } from '@backstage/plugin-events-node';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { SignalsService } from '@backstage/plugin-signals-node';
import type { PhaseDefinition } from '@prodready/plugin-readiness-common';
import type { ChecklistStore } from '../checklists/ChecklistStore';
import type { ReadinessStore } from '../database';
import type { ReadinessEngine } from '../service/engine/types';
import { readNotificationSettings } from './config';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { ReadinessNotifier } from './ReadinessNotifier';
import type { InitiativeSource } from './types';

/** The id of the notifier's scheduled task. */
export const NOTIFICATIONS_TASK_ID = 'readiness-notifications';

/**
 * Creates the readiness notifier: validates `readiness.notifications`
 * (start-up fails on a bad value, naming the key), listens to the engine,
 * and schedules its hourly task (`scope: 'global'`: one replica at a time).
 */
export async function createReadinessNotifier(options: {
  config: Config;
  logger: LoggerService;
  database: DatabaseService;
  scheduler: SchedulerService;
  notifications: NotificationService;
  signals: SignalsService;
  events: EventsService;
  engine: ReadinessEngine;
  checklistStore: Pick<ChecklistStore, 'listExpiringItems'>;
  readinessStore: Pick<ReadinessStore, 'listScores'>;
  /** The phases in force, for the texts of checklist items. */
  getPhases?: () => ReadonlyArray<PhaseDefinition>;
  initiatives?: InitiativeSource;
  now?: () => Date;
}): Promise<ReadinessNotifier> {
  const logger = options.logger.child({ component: 'notifications' });
  const settings = readNotificationSettings(options.config);
  const store = await DatabaseNotificationStore.create({
    database: options.database,
  });
  const definition = () => options.engine.getDefinition();
  const notifier = new ReadinessNotifier({
    settings,
    store,
    notifications: options.notifications,
    signals: options.signals,
    events: options.events,
    logger,
    titles: {
      check: id => definition().checks.find(c => c.id === id)?.title ?? id,
      level: id =>
        id === null
          ? 'no level'
          : definition().levels.find(l => l.id === id)?.title ?? id,
    },
    listExpiringItems: query => options.checklistStore.listExpiringItems(query),
    readinessStore: options.readinessStore,
    itemText: (phaseId, itemId) =>
      options
        .getPhases?.()
        .find(phase => phase.id === phaseId)
        ?.checklists.flatMap(checklist => checklist.items)
        .find(item => item.id === itemId)?.text,
    initiatives: options.initiatives,
    now: options.now,
  });
  options.engine.addListener(notifier);

  await options.scheduler.scheduleTask({
    id: NOTIFICATIONS_TASK_ID,
    frequency: { hours: 1 },
    timeout: { minutes: 30 },
    initialDelay: { minutes: 1 },
    scope: 'global',
    fn: async () => {
      const result = await notifier.runTask();
      if (result.claimed > 0 || result.digests > 0) {
        logger.info(
          `Readiness notifications: ${result.claimed} of ${result.causes} causes notified or queued, ${result.digests} digests sent`,
        );
      }
    },
  });
  if (!settings.enabled) {
    logger.info(
      'Readiness notifications are off (readiness.notifications.enabled: false); events and signals are still published',
    );
  }
  return notifier;
}
