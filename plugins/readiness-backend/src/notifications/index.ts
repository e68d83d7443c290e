export {
  createReadinessNotifier,
  NOTIFICATIONS_TASK_ID,
} from './createReadinessNotifier';
export { ReadinessNotifier } from './ReadinessNotifier';
export type {
  ReadinessNotifierOptions,
  NotifierTaskResult,
} from './ReadinessNotifier';
export { readNotificationSettings } from './config';
export type { NotificationSettings } from './config';
export type {
  InitiativeChange,
  InitiativeSource,
  NotificationCause,
} from './types';
