import type { Config } from '@backstage/config';
import {
  parseDuration,
  parseHttpUrl,
  parsePrometheusEndpointName,
} from '@prodready/plugin-readiness-common';
import {
  DEFAULT_QUERIES,
  ObservedQueryName,
  ObservedQueryTemplates,
  queryTemplateProblems,
} from './queries';

/**
 * One configured Prometheus-compatible endpoint (Prometheus, Thanos, Mimir).
 *
 * @public
 */
export interface PrometheusEndpoint {
  name: string;
  /** The base URL, without a trailing slash; the API is under `/api/v1`. */
  baseUrl: string;
  /** Headers sent with every query, such as `Authorization` or `X-Scope-OrgID`. */
  headers: Record<string, string>;
}

/**
 * The settings of the Prometheus module, from `readiness.prometheus`.
 *
 * @public
 */
export interface PrometheusSettings {
  endpoints: PrometheusEndpoint[];
  /** The window, in milliseconds. */
  windowMs: number;
  /** The window as a PromQL duration, such as `28d`. */
  window: string;
  /** The window in words, such as `28 d`. */
  windowText: string;
  /** The timeout of one query, in milliseconds. */
  timeoutMs: number;
  /** How many queries may run at once, over every service. */
  concurrency: number;
  /** The query templates. */
  queries: ObservedQueryTemplates;
}

const KEY = 'readiness.prometheus';
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** The defaults: 28 days, 10 s per query, 4 queries at once. */
export const PROMETHEUS_DEFAULTS = Object.freeze({
  window: '28d',
  timeout: '10s',
  concurrency: 4,
});

/** A whole number of days, hours, minutes or seconds, as PromQL writes it. */
export function toPromDuration(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY}d`;
  if (ms % HOUR === 0) return `${ms / HOUR}h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE}m`;
  return `${Math.round(ms / 1000)}s`;
}

/** A window in words: `28 d`, `6 h`, `90 min`. */
export function windowInWords(ms: number): string {
  if (ms % DAY === 0) return `${ms / DAY} d`;
  if (ms % HOUR === 0) return `${ms / HOUR} h`;
  if (ms % MINUTE === 0) return `${ms / MINUTE} min`;
  return `${Math.round(ms / 1000)} s`;
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/**
 * Reads and validates `readiness.prometheus`; undefined when it is absent
 * (the module then adds no collector, and the observed checks do not
 * apply). Every problem throws an error that names the key, so that the
 * backend does not start with a Prometheus it cannot query.
 *
 * @public
 */
export function readPrometheusSettings(
  config: Config,
): PrometheusSettings | undefined {
  if (!config.has(KEY)) {
    return undefined;
  }
  const section = config.getConfig(KEY);
  const endpointConfigs = section.getOptionalConfigArray('endpoints');
  if (!endpointConfigs || endpointConfigs.length === 0) {
    throw new Error(
      `${KEY}.endpoints is required: list at least one Prometheus, Thanos or Mimir endpoint, such as [{ name: main, baseUrl: 'http://prometheus:9090' }]`,
    );
  }
  const endpoints: PrometheusEndpoint[] = [];
  endpointConfigs.forEach((endpoint, index) => {
    const at = `${KEY}.endpoints[${index}]`;
    const rawName = endpoint.getOptional('name');
    const name = parsePrometheusEndpointName(rawName, {
      annotation: `${at}.name`,
    });
    if (!name.ok) {
      throw new Error(name.error);
    }
    if (endpoints.some(e => e.name === name.value)) {
      throw new Error(
        `${at}.name '${name.value}' is used twice; endpoint names must be unique`,
      );
    }
    const url = parseHttpUrl(endpoint.getOptional('baseUrl'), {
      annotation: `${at}.baseUrl`,
    });
    if (!url.ok) {
      throw new Error(url.error);
    }
    const headers: Record<string, string> = {};
    const rawHeaders = endpoint.getOptional('headers');
    if (rawHeaders !== undefined) {
      if (
        rawHeaders === null ||
        typeof rawHeaders !== 'object' ||
        Array.isArray(rawHeaders)
      ) {
        throw new Error(
          `${at}.headers must be an object of header names and values; got ${describe(
            rawHeaders,
          )}`,
        );
      }
      for (const [header, value] of Object.entries(rawHeaders)) {
        if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/.test(header)) {
          throw new Error(`${at}.headers: '${header}' is not a header name`);
        }
        if (typeof value !== 'string') {
          throw new Error(
            `${at}.headers.${header} must be a string; got ${describe(value)}`,
          );
        }
        headers[header] = value;
      }
    }
    endpoints.push({
      name: name.value,
      baseUrl: url.value.replace(/\/+$/, ''),
      headers,
    });
  });

  const windowRaw = section.getOptional('window') ?? PROMETHEUS_DEFAULTS.window;
  const window = parseDuration(windowRaw, { annotation: `${KEY}.window` });
  if (!window.ok) {
    throw new Error(window.error);
  }
  if (window.value < HOUR || window.value % 1000 !== 0) {
    throw new Error(
      `${KEY}.window ${describe(
        windowRaw,
      )} is too short; expected a whole number of seconds of at least 1h, such as '28d'`,
    );
  }
  const timeoutRaw =
    section.getOptional('timeout') ?? PROMETHEUS_DEFAULTS.timeout;
  const timeout = parseDuration(timeoutRaw, { annotation: `${KEY}.timeout` });
  if (!timeout.ok) {
    throw new Error(timeout.error);
  }
  if (timeout.value > 5 * MINUTE) {
    throw new Error(`${KEY}.timeout ${describe(timeoutRaw)} is longer than 5m`);
  }
  const concurrency =
    section.getOptional('concurrency') ?? PROMETHEUS_DEFAULTS.concurrency;
  if (
    typeof concurrency !== 'number' ||
    !Number.isInteger(concurrency) ||
    concurrency < 1 ||
    concurrency > 64
  ) {
    throw new Error(
      `${KEY}.concurrency must be a whole number from 1 to 64; got ${describe(
        concurrency,
      )}`,
    );
  }

  const queries: ObservedQueryTemplates = { ...DEFAULT_QUERIES };
  const rawQueries = section.getOptional('queries');
  if (rawQueries !== undefined) {
    if (
      rawQueries === null ||
      typeof rawQueries !== 'object' ||
      Array.isArray(rawQueries)
    ) {
      throw new Error(
        `${KEY}.queries must be an object of query templates; got ${describe(
          rawQueries,
        )}`,
      );
    }
    const names = Object.keys(DEFAULT_QUERIES) as ObservedQueryName[];
    const problems: string[] = [];
    for (const [name, template] of Object.entries(rawQueries)) {
      if (!(names as string[]).includes(name)) {
        problems.push(
          `${KEY}.queries.${name} is not a known query; expected one of ${names.join(
            ', ',
          )}`,
        );
        continue;
      }
      for (const problem of queryTemplateProblems(
        name as ObservedQueryName,
        template,
      )) {
        problems.push(`${KEY}.queries.${name} ${problem}`);
      }
      queries[name as ObservedQueryName] = template as string;
    }
    if (problems.length > 0) {
      throw new Error(problems.join('; '));
    }
  }

  return {
    endpoints,
    windowMs: window.value,
    window: toPromDuration(window.value),
    windowText: windowInWords(window.value),
    timeoutMs: timeout.value,
    concurrency,
    queries,
  };
}
