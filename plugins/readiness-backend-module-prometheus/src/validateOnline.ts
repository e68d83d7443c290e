import type { LoggerService } from '@backstage/backend-plugin-api';
import { createLimiter } from '@prodready/plugin-readiness-engine';
import { PrometheusClient, PrometheusQueryError } from './client';
import type { PrometheusSettings } from './config';
import { ObservedQueryName, renderQuery } from './queries';

/** A selector that matches no series: the queries are parsed, not run over data. */
const NO_SERIES = 'job="__readiness_config_check__"';

/**
 * Asks each configured Prometheus to parse every query template (with a
 * selector that matches nothing), so that bad PromQL in the config stops
 * the backend at start-up with Prometheus' own message. An endpoint that
 * cannot be reached is logged and left to the collector, which keeps the
 * previous facts until it answers.
 */
export async function validateQueriesWithPrometheus(
  settings: PrometheusSettings,
  logger: Pick<LoggerService, 'warn' | 'info'>,
  options?: { fetch?: typeof fetch; timeoutMs?: number },
): Promise<void> {
  const limiter = createLimiter(4);
  const problems: string[] = [];
  await Promise.all(
    settings.endpoints.map(async endpoint => {
      const client = new PrometheusClient({
        endpoint,
        timeoutMs: Math.min(settings.timeoutMs, options?.timeoutMs ?? 5_000),
        limiter,
        fetch: options?.fetch,
      });
      const names = Object.keys(settings.queries) as ObservedQueryName[];
      for (const name of names) {
        const query = renderQuery(settings.queries[name], {
          selector: NO_SERIES,
          window: settings.window,
          quantile: 0.95,
        });
        try {
          await client.query(query, new Date());
        } catch (error) {
          if (
            error instanceof PrometheusQueryError &&
            error.errorType === 'bad_data'
          ) {
            problems.push(
              `readiness.prometheus.queries.${name} is not valid PromQL; Prometheus (${endpoint.name}) says: ${error.message}`,
            );
            continue;
          }
          logger.warn(
            `Could not check the readiness queries with Prometheus (${
              endpoint.name
            }) at start-up; the collector will retry each cycle: ${
              (error as Error).message
            }`,
          );
          return;
        }
      }
    }),
  );
  if (problems.length > 0) {
    throw new Error(problems.join('; '));
  }
}
