import {
  LoggerService,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { EventParams, EventsService } from '@backstage/plugin-events-node';
import { durationToMilliseconds, HumanDuration } from '@backstage/types';
import { CatalogValidationProblem } from '@prodready/plugin-readiness-common';
import { CatalogProblemStore } from '../database';

/**
 * The topic on which the catalog publishes the errors of every entity it
 * could not process (`CATALOG_ERRORS_TOPIC` of
 * `@backstage/plugin-catalog-backend`, not imported so that this plugin does
 * not depend on the whole catalog backend).
 */
export const CATALOG_ERRORS_TOPIC = 'experimental.catalog.errors';

/** The events subscriber id of this service, scoped to the readiness plugin. */
export const CATALOG_PROBLEMS_SUBSCRIBER_ID = 'readiness-catalog-problems';

/** The config key of the retention window. */
export const CATALOG_PROBLEMS_RETENTION_KEY =
  'readiness.catalogProblems.retention';

/**
 * How long a problem is shown after the catalog last reported it. The catalog
 * reports a broken entity again on every processing cycle (every 100–200 s by
 * default) and stops once it is fixed, so a problem disappears at most this
 * long after the fix.
 */
export const DEFAULT_CATALOG_PROBLEMS_RETENTION: HumanDuration = {
  minutes: 10,
};

/** Old rows are pruned at most this often. */
const PRUNE_INTERVAL_MS = 60_000;

/** Retention shorter than the catalog's slowest default cycle. */
const SHORT_RETENTION_MS = 200_000;

/** What one catalog errors event says, once read defensively. */
export interface CatalogErrorsReport {
  entityRef: string;
  location?: string;
  messages: string[];
}

/**
 * Reads the payload of a catalog errors event, `{ entity, location?, errors }`.
 * Never throws: returns a reason instead when the payload is unusable. Errors
 * that are not `Error` objects are described as well as they can be.
 */
export function readCatalogErrorsPayload(
  payload: unknown,
): { report: CatalogErrorsReport } | { reason: string } {
  if (!isRecord(payload)) {
    return { reason: 'the payload is not an object' };
  }
  const { entity, location, errors } = payload;
  if (typeof entity !== 'string' || entity.trim() === '') {
    return { reason: 'the payload has no entity ref' };
  }
  const list = Array.isArray(errors) ? errors : [errors];
  const messages = [
    ...new Set(
      list
        .filter(error => error !== undefined && error !== null)
        .map(describeError)
        .filter(message => message !== ''),
    ),
  ];
  if (messages.length === 0) {
    return { reason: 'the payload has no errors' };
  }
  return {
    report: {
      entityRef: entity.trim(),
      ...(typeof location === 'string' &&
        location !== '' && { location: location }),
      messages,
    },
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeError(error: unknown): string {
  if (typeof error === 'string') {
    return error.trim();
  }
  if (isRecord(error) && typeof error.message === 'string') {
    // An Error, or an error serialized to JSON by a remote events bus.
    const message = error.message.trim();
    return message || (typeof error.name === 'string' ? error.name : '');
  }
  try {
    return JSON.stringify(error) ?? String(error);
  } catch {
    return String(error);
  }
}

/**
 * The entities that the catalog could not process, from the catalog's errors
 * events: recorded as they arrive, shown while they are recent.
 */
export interface CatalogProblemsService {
  /**
   * The problems reported within the retention window, most recently seen
   * first, optionally of one entity only.
   */
  listProblems(options?: {
    entityRef?: string;
  }): Promise<CatalogValidationProblem[]>;

  /**
   * Records one catalog errors event. Never throws: unusable payloads and
   * storage failures are logged.
   */
  handleEvent(event: EventParams): Promise<void>;
}

/** Options of {@link createCatalogProblemsService}. */
export interface CatalogProblemsServiceOptions {
  store: CatalogProblemStore;
  events: EventsService;
  logger: LoggerService;
  config: RootConfigService;
  /** The clock; for tests. */
  now?: () => Date;
}

/** Reads `readiness.catalogProblems.retention`, in milliseconds. */
export function readCatalogProblemsRetention(
  config: RootConfigService,
): number {
  const duration = config.has(CATALOG_PROBLEMS_RETENTION_KEY)
    ? readDurationFromConfig(config, { key: CATALOG_PROBLEMS_RETENTION_KEY })
    : DEFAULT_CATALOG_PROBLEMS_RETENTION;
  const ms = durationToMilliseconds(duration);
  if (!Number.isFinite(ms) || ms <= 0) {
    throw new Error(
      `Invalid config at ${CATALOG_PROBLEMS_RETENTION_KEY}: the retention must be longer than zero`,
    );
  }
  return ms;
}

/**
 * Creates the service and subscribes it to the catalog's errors topic.
 */
export async function createCatalogProblemsService(
  options: CatalogProblemsServiceOptions,
): Promise<CatalogProblemsService> {
  const { store, events, logger } = options;
  const now = options.now ?? (() => new Date());
  const retentionMs = readCatalogProblemsRetention(options.config);
  if (retentionMs < SHORT_RETENTION_MS) {
    logger.warn(
      `${CATALOG_PROBLEMS_RETENTION_KEY} is shorter than the catalog's processing cycle; problems may come and go between cycles`,
      { retentionMs },
    );
  }
  let lastPrunedAt: number | undefined;

  async function pruneIfDue(at: Date): Promise<void> {
    if (
      lastPrunedAt !== undefined &&
      at.getTime() - lastPrunedAt < PRUNE_INTERVAL_MS
    ) {
      return;
    }
    lastPrunedAt = at.getTime();
    const deleted = await store.prune(new Date(at.getTime() - retentionMs));
    if (deleted > 0) {
      logger.debug('Pruned catalog problems that were not seen again', {
        deleted,
      });
    }
  }

  const service: CatalogProblemsService = {
    async listProblems(listOptions) {
      const problems = await store.list({
        entityRef: listOptions?.entityRef,
        seenSince: new Date(now().getTime() - retentionMs),
      });
      return problems.map(problem => ({
        entityRef: problem.entityRef,
        ...(problem.location !== undefined && { location: problem.location }),
        messages: problem.messages,
        firstSeenAt: problem.firstSeenAt.toISOString(),
        lastSeenAt: problem.lastSeenAt.toISOString(),
      }));
    },

    async handleEvent(event) {
      const result = readCatalogErrorsPayload(event.eventPayload);
      if ('reason' in result) {
        logger.debug(`Ignored a catalog errors event: ${result.reason}`, {
          topic: event.topic,
        });
        return;
      }
      const { report } = result;
      const seenAt = now();
      try {
        await store.record({ ...report, seenAt });
        await pruneIfDue(seenAt);
      } catch (error) {
        logger.warn('Failed to record a catalog validation problem', {
          entity: report.entityRef,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    },
  };

  await events.subscribe({
    id: CATALOG_PROBLEMS_SUBSCRIBER_ID,
    topics: [CATALOG_ERRORS_TOPIC],
    onEvent: event => service.handleEvent(event),
  });

  return service;
}
