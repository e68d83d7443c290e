import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
  readSchedulerServiceTaskScheduleDefinitionFromConfig,
} from '@backstage/backend-plugin-api';
import { Config, ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import type { CycleSummary } from './types';

/** The id of the scheduled evaluation task. */
export const READINESS_EVALUATION_TASK_ID = 'readiness-evaluation';

/** The schedule when `readiness.schedule` is not configured. */
export const DEFAULT_EVALUATION_SCHEDULE: SchedulerServiceTaskScheduleDefinition =
  Object.freeze({
    frequency: { minutes: 30 },
    timeout: { minutes: 15 },
    initialDelay: { seconds: 15 },
  });

/**
 * Schedules the evaluation cycle with the scheduler, on the schedule of
 * `readiness.schedule` as given (its timeout defaults to 15 minutes), or
 * else {@link DEFAULT_EVALUATION_SCHEDULE}.
 *
 * @remarks
 *
 * The scope is always `global`: when several backend replicas share one
 * database, the scheduler's lock on the task row lets one replica at a time
 * run a cycle, so an entity is not evaluated twice in one cycle. The task's
 * abort signal (on timeout, cancellation or shutdown) stops the cycle.
 */
export async function scheduleReadinessEvaluation(options: {
  scheduler: SchedulerService;
  config: Config;
  logger: LoggerService;
  engine: {
    runCycle(options?: { signal?: AbortSignal }): Promise<CycleSummary>;
  };
}): Promise<void> {
  const { scheduler, config, logger, engine } = options;
  // `frequency` is required; the timeout defaults to 15 minutes.
  const configured = config.has('readiness.schedule')
    ? readSchedulerServiceTaskScheduleDefinitionFromConfig(
        new ConfigReader(
          {
            timeout: { minutes: 15 },
            ...config.getConfig('readiness.schedule').get<JsonObject>(),
          },
          undefined,
          undefined,
          'readiness.schedule',
        ),
      )
    : undefined;
  if (configured?.scope === 'local') {
    logger.warn(
      "readiness.schedule.scope 'local' is ignored: the evaluation always runs with scope 'global', one backend instance at a time",
    );
  }
  const schedule = configured ?? DEFAULT_EVALUATION_SCHEDULE;
  await scheduler.scheduleTask({
    id: READINESS_EVALUATION_TASK_ID,
    frequency: schedule.frequency,
    timeout: schedule.timeout,
    ...(schedule.initialDelay && { initialDelay: schedule.initialDelay }),
    scope: 'global',
    fn: async signal => {
      await engine.runCycle({ signal });
    },
  });
}
