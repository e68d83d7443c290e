/**
 * The topics of the notifications the readiness backend sends through the
 * Backstage notifications service. Each can be switched off with
 * `readiness.notifications.topics.<topic>: false`.
 *
 * @public
 */
export const READINESS_NOTIFICATION_TOPICS = {
  /** A check regressed (pass to fail) or a level dropped. */
  regression: 'readiness-regression',
  /** An attestation or waiver expires soon, or has expired. */
  expiry: 'readiness-expiry',
  /** An initiative that includes the entity started or was created. */
  initiativeStarted: 'readiness-initiative-started',
  /** An initiative's deadline is near and the entity does not meet it. */
  initiativeDeadline: 'readiness-initiative-deadline',
  /** A waiver request needs approval, or was approved or denied. */
  waiver: 'readiness-waiver',
  /** A team's notifications of one day, when `digest` is `daily`. */
  digest: 'readiness-digest',
} as const;

/**
 * A readiness notification topic.
 *
 * @public
 */
export type ReadinessNotificationTopic =
  (typeof READINESS_NOTIFICATION_TOPICS)[keyof typeof READINESS_NOTIFICATION_TOPICS];

/**
 * The topics the readiness backend publishes on the Backstage events
 * service, for other plugins to subscribe to.
 *
 * @public
 */
export const READINESS_EVENT_TOPICS = {
  /** Payload: {@link ReadinessCheckStatusChangedEvent}. */
  checkStatusChanged: 'readiness.check-status-changed',
  /** Payload: {@link ReadinessLevelChangedEvent}. */
  levelChanged: 'readiness.level-changed',
  /** Payload: {@link ReadinessInitiativeProgressEvent}. */
  initiativeProgress: 'readiness.initiative-progress',
} as const;

/**
 * The payload of `readiness.check-status-changed`.
 *
 * @public
 */
export interface ReadinessCheckStatusChangedEvent {
  entityRef: string;
  checkId: string;
  /** `null` for the first result of the check. */
  fromStatus: string | null;
  toStatus: string;
  message: string;
  /** ISO-8601. */
  changedAt: string;
}

/**
 * The payload of `readiness.level-changed`.
 *
 * @public
 */
export interface ReadinessLevelChangedEvent {
  entityRef: string;
  fromLevel: string | null;
  toLevel: string | null;
  /** Whether the new level is lower than the old one. */
  dropped: boolean;
  /** ISO-8601. */
  changedAt: string;
}

/**
 * The payload of `readiness.initiative-progress`.
 *
 * @public
 */
export interface ReadinessInitiativeProgressEvent {
  initiativeId: string;
  total: number;
  met: number;
  exempt: number;
  notMet: number;
  /** ISO-8601. */
  computedAt: string;
}

/**
 * The signals channel on which the readiness backend announces that an
 * entity was re-evaluated (message {@link ReadinessEntitySignal}); a
 * scorecard page subscribes to it to refresh.
 *
 * @public
 */
export const READINESS_ENTITY_SIGNAL_CHANNEL = 'readiness:entity';

/**
 * The signals channel on which the readiness backend announces that the
 * overview changed (message {@link ReadinessOverviewSignal}).
 *
 * @public
 */
export const READINESS_OVERVIEW_SIGNAL_CHANNEL = 'readiness:overview';

/**
 * The message of {@link READINESS_ENTITY_SIGNAL_CHANNEL}.
 *
 * @public
 */
export interface ReadinessEntitySignal {
  /** The entity refs re-evaluated, in lower case. */
  entityRefs: string[];
  /** ISO-8601. */
  evaluatedAt: string;
}

/**
 * The message of {@link READINESS_OVERVIEW_SIGNAL_CHANNEL}.
 *
 * @public
 */
export interface ReadinessOverviewSignal {
  /** How many entities changed. */
  changed: number;
  /** ISO-8601. */
  at: string;
}
