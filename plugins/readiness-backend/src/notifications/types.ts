import type {
  Initiative,
  InitiativeDefinition,
  InitiativeEntityPage,
  InitiativeEntityState,
  ReadinessNotificationTopic,
} from '@prodready/plugin-readiness-common';
import type { NotificationSeverity } from '@backstage/plugin-notifications-common';

/** A change to an initiative, as the initiatives service announces it. */
export interface InitiativeChange {
  type: 'created' | 'updated' | 'deleted';
  /** The definition (its progress is computed after the change). */
  initiative: InitiativeDefinition;
}

/**
 * What the notifier needs of the initiatives: implemented by the
 * initiatives service.
 */
export interface InitiativeSource {
  /** Every initiative, with its phase and progress. */
  list(): Promise<Initiative[]>;
  /** A page of the entities in scope of an initiative. */
  listEntities(
    id: string,
    options: {
      states?: InitiativeEntityState[];
      limit: number;
      cursor?: string;
    },
  ): Promise<InitiativeEntityPage>;
  /** Calls the listener after each change to an initiative. */
  subscribe(listener: (event: InitiativeChange) => void): void;
}

/**
 * One reason to notify: an entity, what happened, and its window. The
 * dedupe key names all three, so that a cause is sent once however many
 * times (or by however many backend replicas) it is seen.
 */
export interface NotificationCause {
  /** Entity, cause and window, e.g. `regression:<ref>:<check>:<day>`. */
  key: string;
  topic: ReadinessNotificationTopic;
  /** The entity the cause is about, if any. */
  entityRef?: string;
  /** Entity refs of the users or groups to notify. */
  recipients: string[];
  payload: {
    title: string;
    description: string;
    /** A path of the portal: the entity's readiness tab, a check, an item. */
    link: string;
    severity: NotificationSeverity;
    /**
     * Repeats with the same scope replace the earlier notification of a
     * user instead of adding one (the notifications backend's `scope`).
     */
    scope: string;
  };
  /** Whether the daily digest may hold it (waiver requests never wait). */
  digestible: boolean;
}
