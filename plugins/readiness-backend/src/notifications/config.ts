import type { Config } from '@backstage/config';
import {
  READINESS_NOTIFICATION_TOPICS,
  ReadinessNotificationTopic,
} from '@prodready/plugin-readiness-common';

/** How readiness notifies, from `readiness.notifications`. */
export interface NotificationSettings {
  /** Whether notifications are sent at all (events and signals always are). */
  enabled: boolean;
  /** Topics switched off with `topics.<topic>: false`. */
  disabledTopics: ReadonlySet<ReadinessNotificationTopic>;
  /** `daily`: one digest per recipient per day instead of each notification. */
  digest: 'none' | 'daily';
  /** Warn this many days before an attestation or waiver expires. */
  expiryWarningDays: number;
}

/** The default of `readiness.notifications.expiryWarningDays`. */
export const DEFAULT_EXPIRY_WARNING_DAYS = 14;

const KEY = 'readiness.notifications';

/**
 * Reads and validates `readiness.notifications`; throws at start-up with a
 * message that names the key.
 */
export function readNotificationSettings(config: Config): NotificationSettings {
  const root = config.getOptionalConfig(KEY);
  const read = <T>(key: string, get: () => T | undefined): T | undefined => {
    try {
      return get();
    } catch (error) {
      throw new Error(
        `Invalid ${KEY}.${key}: ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
  };

  const enabled =
    read('enabled', () => root?.getOptionalBoolean('enabled')) ?? true;

  const digest =
    read('digest', () => root?.getOptionalString('digest')) ?? 'none';
  if (digest !== 'none' && digest !== 'daily') {
    throw new Error(
      `Invalid ${KEY}.digest: '${digest}'; expected 'none' or 'daily'`,
    );
  }

  const expiryWarningDays =
    read('expiryWarningDays', () =>
      root?.getOptionalNumber('expiryWarningDays'),
    ) ?? DEFAULT_EXPIRY_WARNING_DAYS;
  if (!Number.isInteger(expiryWarningDays) || expiryWarningDays < 1) {
    throw new Error(
      `Invalid ${KEY}.expiryWarningDays: ${expiryWarningDays}; expected a whole number of days of at least 1`,
    );
  }

  // Topics by their name (`readiness-regression`) or their key (`regression`).
  const byName = new Map<string, ReadinessNotificationTopic>();
  for (const [key, topic] of Object.entries(READINESS_NOTIFICATION_TOPICS)) {
    byName.set(key, topic);
    byName.set(topic, topic);
  }
  const disabledTopics = new Set<ReadinessNotificationTopic>();
  const topics = read('topics', () => root?.getOptionalConfig('topics'));
  for (const name of topics?.keys() ?? []) {
    const topic = byName.get(name);
    if (!topic) {
      throw new Error(
        `Invalid ${KEY}.topics.${name}: unknown topic; expected one of ${Object.values(
          READINESS_NOTIFICATION_TOPICS,
        ).join(', ')}`,
      );
    }
    const on = read(`topics.${name}`, () => topics!.getBoolean(name));
    if (!on) disabledTopics.add(topic);
  }

  return {
    enabled,
    disabledTopics,
    digest,
    expiryWarningDays,
  };
}
