import type { AuthService } from '@backstage/backend-plugin-api';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  OBSERVED_SERVICE_LEVELS_FACT_ID,
  ObservedQuery,
  READINESS_ANNOTATION_PROMETHEUS_ENDPOINT,
  READINESS_ANNOTATION_PROMETHEUS_SELECTOR,
  SEED_SLA_DEFAULTS,
  isObservedServiceLevelsEntity,
  parseAnnotation,
  promqlString,
  unknownPrometheusEndpointMessage,
} from '@prodready/plugin-readiness-common';
import { createServiceLevelsFactCollector } from '@prodready/plugin-readiness-engine';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import type { JsonObject } from '@backstage/types';
import { createLimiter } from '@prodready/plugin-readiness-engine';
import { PrometheusClient } from './client';
import type { PrometheusSettings } from './config';
import { ObservedReadings, ObservedTargets, toObservedFacts } from './observe';
import { renderQuery } from './queries';

const DAY_SECONDS = 24 * 60 * 60;

/**
 * Options of {@link createObservedServiceLevelsCollector}.
 *
 * @public
 */
export interface ObservedServiceLevelsCollectorOptions {
  settings: PrometheusSettings;
  /** Reads the SLA entities that hold a service's targets. */
  catalog: Pick<CatalogService, 'getEntityByRef'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  /** For tests and the benchmark; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** For tests; defaults to the current time. */
  now?: () => Date;
}

/**
 * The collector, with the count of queries it sent.
 *
 * @public
 */
export interface ObservedServiceLevelsCollector extends FactCollector {
  /** How many requests were sent to Prometheus, over every endpoint. */
  queriesSent(): number;
}

/**
 * The `observedServiceLevels` fact collector: for each Component of type
 * service or website, reads from Prometheus what it delivered over the
 * window (availability, 5xx rate, p95/p99 latency, burn rates, the daily
 * availability) and compares it with the targets it declares (its
 * annotations, its SLA entity, else the seed defaults).
 *
 * @remarks
 *
 * The service's metrics are selected by `prodready.dev/prometheus-selector`,
 * else `job="<name>"`, on the endpoint `prodready.dev/prometheus-endpoint`,
 * else the first. A bad annotation, an unknown endpoint or an unreachable
 * Prometheus throws: the engine then keeps the previous facts, marks the
 * results stale with the reason, and tries again next cycle. No series over
 * the window is a `no-data` document, not an error. Two queries are sent for
 * a service without data, eight for one with data, with at most
 * `concurrency` at once over all services.
 *
 * @public
 */
export function createObservedServiceLevelsCollector(
  options: ObservedServiceLevelsCollectorOptions,
): ObservedServiceLevelsCollector {
  const { settings, auth } = options;
  const now = options.now ?? (() => new Date());
  const limiter = createLimiter(settings.concurrency);
  const clients = new Map(
    settings.endpoints.map(endpoint => [
      endpoint.name,
      new PrometheusClient({
        endpoint,
        timeoutMs: settings.timeoutMs,
        limiter,
        fetch: options.fetch,
      }),
    ]),
  );
  const serviceLevels = createServiceLevelsFactCollector({
    catalog: options.catalog,
    auth,
  });

  function clientOf(entity: Entity): PrometheusClient {
    const raw =
      entity.metadata.annotations?.[READINESS_ANNOTATION_PROMETHEUS_ENDPOINT];
    if (raw === undefined) {
      return clients.values().next().value as PrometheusClient;
    }
    const parsed = parseAnnotation(
      READINESS_ANNOTATION_PROMETHEUS_ENDPOINT,
      raw,
    );
    if (!parsed.ok) {
      throw new Error(parsed.error);
    }
    const client = clients.get(parsed.value);
    if (!client) {
      throw new Error(
        unknownPrometheusEndpointMessage(parsed.value, [...clients.keys()]),
      );
    }
    return client;
  }

  function selectorOf(entity: Entity): {
    selector: string;
    source: 'annotation' | 'default';
  } {
    const raw =
      entity.metadata.annotations?.[READINESS_ANNOTATION_PROMETHEUS_SELECTOR];
    if (raw === undefined) {
      return {
        selector: `job=${promqlString(entity.metadata.name)}`,
        source: 'default',
      };
    }
    const parsed = parseAnnotation(
      READINESS_ANNOTATION_PROMETHEUS_SELECTOR,
      raw,
    );
    if (!parsed.ok) {
      throw new Error(parsed.error);
    }
    return { selector: parsed.value.text, source: 'annotation' };
  }

  async function targetsOf(entity: Entity): Promise<ObservedTargets> {
    const facts = (await serviceLevels.collect({ entity })) as JsonObject;
    const number = (value: unknown, fallback: number) =>
      typeof value === 'number' && Number.isFinite(value) ? value : fallback;
    return {
      availabilityPercent: number(
        facts.availabilityPercent,
        SEED_SLA_DEFAULTS.availability,
      ),
      latencyP95Ms: number(facts.latencyP95Ms, SEED_SLA_DEFAULTS.latencyP95),
      errorRatePercent: number(
        facts.errorRatePercent,
        SEED_SLA_DEFAULTS.errorRate,
      ),
    };
  }

  return {
    id: OBSERVED_SERVICE_LEVELS_FACT_ID,
    version: 1,
    queriesSent() {
      let sent = 0;
      for (const client of clients.values()) sent += client.sent;
      return sent;
    },
    appliesTo: isObservedServiceLevelsEntity,
    async collect({ entity, signal }) {
      const client = clientOf(entity);
      const { selector, source } = selectorOf(entity);
      const targets = await targetsOf(entity);
      const time = now();
      const queries: ObservedQuery[] = [];
      const run = async (
        name: string,
        template: string,
        window: string,
        quantile?: number,
      ) => {
        const query = renderQuery(template, { selector, window, quantile });
        const value = await client.query(query, time, signal);
        queries.push({ name, query, value, readAt: new Date().toISOString() });
        return value;
      };
      const { queries: templates, window } = settings;
      const [requests, recentSamples] = await Promise.all([
        run('requests', templates.requests, window),
        run('recentSamples', templates.recentSamples, '24h'),
      ]);
      const readings: ObservedReadings = { requests, recentSamples };
      if (requests !== null) {
        const dailyQuery = renderQuery(templates.errorRatio, {
          selector,
          window: '1d',
        });
        const start = new Date(
          time.getTime() - settings.windowMs + DAY_SECONDS * 1000,
        );
        const [ratio, ratio1h, ratio6h, p95, p99, daily] = await Promise.all([
          run('errorRatio', templates.errorRatio, window),
          run('errorRatio1h', templates.errorRatio, '1h'),
          run('errorRatio6h', templates.errorRatio, '6h'),
          run('latencyP95', templates.latency, window, 0.95),
          run('latencyP99', templates.latency, window, 0.99),
          client.queryRange(dailyQuery, start, time, DAY_SECONDS, signal),
        ]);
        queries.push({
          name: 'dailyErrorRatio',
          query: dailyQuery,
          value: daily.filter(p => p.value !== null).length,
          readAt: new Date().toISOString(),
        });
        Object.assign(readings, {
          errorRatio: ratio,
          errorRatio1h: ratio1h,
          errorRatio6h: ratio6h,
          latencyP95Seconds: p95,
          latencyP99Seconds: p99,
          daily,
        });
      }
      const order = [
        'requests',
        'recentSamples',
        'errorRatio',
        'errorRatio1h',
        'errorRatio6h',
        'latencyP95',
        'latencyP99',
        'dailyErrorRatio',
      ];
      queries.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
      return toObservedFacts({
        endpoint: client.endpoint.name,
        selector,
        selectorSource: source,
        window,
        windowMs: settings.windowMs,
        windowText: settings.windowText,
        readAt: time,
        targets,
        readings,
        queries,
      }) as unknown as JsonObject;
    },
  };
}
