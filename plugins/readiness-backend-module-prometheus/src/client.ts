import { isError } from '@backstage/errors';
import type { Limiter } from '@prodready/plugin-readiness-engine';
import type { PrometheusEndpoint } from './config';

/**
 * An error from a Prometheus query: unreachable, timed out, refused, or an
 * answer that is not what the query should return. The message names the
 * endpoint and says what happened.
 */
export class PrometheusQueryError extends Error {
  override name = 'PrometheusQueryError';
  /** Prometheus' own `errorType` (`bad_data` for a PromQL error), when it answered. */
  readonly errorType?: string;

  constructor(message: string, errorType?: string) {
    super(message);
    this.errorType = errorType;
  }
}

/** Options of {@link PrometheusClient}. */
export interface PrometheusClientOptions {
  endpoint: PrometheusEndpoint;
  /** The timeout of one query, in milliseconds. */
  timeoutMs: number;
  /** Shared by every query of every endpoint: bounds the load on Prometheus. */
  limiter: Limiter;
  /** For tests; defaults to the global fetch. */
  fetch?: typeof fetch;
}

/** A sample's value: a number, or null for NaN and ±Inf (0/0, no traffic). */
function sampleValue(raw: unknown): number | null {
  const value = typeof raw === 'string' ? Number(raw) : NaN;
  return Number.isFinite(value) ? value : null;
}

function causeOf(error: unknown): string {
  if (!isError(error)) return String(error);
  const cause = (error as { cause?: unknown }).cause;
  return isError(cause) && cause.message && cause.message !== error.message
    ? `${error.message}: ${cause.message}`
    : error.message;
}

/**
 * Queries one Prometheus-compatible endpoint over its HTTP API
 * (`/api/v1/query` and `/api/v1/query_range`), with a timeout per query and
 * a shared concurrency limit. Queries must aggregate to one series (`sum`):
 * an instant query gives one number or null (no data, NaN).
 */
export class PrometheusClient {
  readonly endpoint: PrometheusEndpoint;
  private readonly timeoutMs: number;
  private readonly limiter: Limiter;
  private readonly fetch: typeof fetch;
  /** How many requests were sent (for the benchmark and the logs). */
  sent = 0;

  constructor(options: PrometheusClientOptions) {
    this.endpoint = options.endpoint;
    this.timeoutMs = options.timeoutMs;
    this.limiter = options.limiter;
    this.fetch = options.fetch ?? fetch;
  }

  /** An instant query at `time`: its one value, or null when there is no sample. */
  async query(
    promql: string,
    time: Date,
    signal?: AbortSignal,
  ): Promise<number | null> {
    const data = await this.request(
      'query',
      { query: promql, time: (time.getTime() / 1000).toFixed(3) },
      signal,
    );
    if (data.resultType === 'scalar') {
      return sampleValue((data.result as unknown[])?.[1]);
    }
    if (data.resultType !== 'vector' || !Array.isArray(data.result)) {
      throw new PrometheusQueryError(
        `Prometheus (${this.endpoint.name}) returned a ${String(
          data.resultType,
        )} for ${promql}; expected a vector of one series`,
      );
    }
    if (data.result.length === 0) {
      return null;
    }
    if (data.result.length > 1) {
      throw new PrometheusQueryError(
        `Prometheus (${this.endpoint.name}) returned ${data.result.length} series for ${promql}; the query must aggregate to one (sum(...))`,
      );
    }
    return sampleValue((data.result[0] as { value?: unknown[] }).value?.[1]);
  }

  /** A range query: one value per step (null where NaN), or [] without data. */
  async queryRange(
    promql: string,
    start: Date,
    end: Date,
    stepSeconds: number,
    signal?: AbortSignal,
  ): Promise<Array<{ time: number; value: number | null }>> {
    const data = await this.request(
      'query_range',
      {
        query: promql,
        start: (start.getTime() / 1000).toFixed(3),
        end: (end.getTime() / 1000).toFixed(3),
        step: String(stepSeconds),
      },
      signal,
    );
    if (data.resultType !== 'matrix' || !Array.isArray(data.result)) {
      throw new PrometheusQueryError(
        `Prometheus (${this.endpoint.name}) returned a ${String(
          data.resultType,
        )} for the range of ${promql}; expected a matrix`,
      );
    }
    if (data.result.length === 0) {
      return [];
    }
    if (data.result.length > 1) {
      throw new PrometheusQueryError(
        `Prometheus (${this.endpoint.name}) returned ${data.result.length} series for ${promql}; the query must aggregate to one (sum(...))`,
      );
    }
    const values = (data.result[0] as { values?: unknown[] }).values ?? [];
    return values.map(pair => {
      const [time, raw] = pair as [number, unknown];
      return { time: Number(time) * 1000, value: sampleValue(raw) };
    });
  }

  private async request(
    path: 'query' | 'query_range',
    params: Record<string, string>,
    signal?: AbortSignal,
  ): Promise<{ resultType?: unknown; result?: unknown }> {
    return this.limiter(async () => {
      signal?.throwIfAborted();
      const { name, baseUrl, headers } = this.endpoint;
      const timeout = AbortSignal.timeout(this.timeoutMs);
      const body = new URLSearchParams({
        ...params,
        // Prometheus stops evaluating too, instead of going on for nobody.
        timeout: `${Math.max(1, Math.floor(this.timeoutMs / 1000))}s`,
      });
      this.sent++;
      let response: Response;
      try {
        response = await this.fetch(`${baseUrl}/api/v1/${path}`, {
          method: 'POST',
          headers: {
            ...headers,
            'Content-Type': 'application/x-www-form-urlencoded',
          },
          body,
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
        });
      } catch (error) {
        if (timeout.aborted) {
          throw new PrometheusQueryError(
            `Prometheus (${name}) did not answer within ${this.timeoutMs} ms (readiness.prometheus.timeout) at ${baseUrl}`,
          );
        }
        if (signal?.aborted) {
          throw error;
        }
        throw new PrometheusQueryError(
          `Prometheus (${name}) is unreachable at ${baseUrl}: ${causeOf(
            error,
          )}`,
        );
      }
      const text = await response.text();
      let json: {
        status?: unknown;
        data?: { resultType?: unknown; result?: unknown };
        errorType?: string;
        error?: string;
      };
      try {
        json = JSON.parse(text);
      } catch {
        throw new PrometheusQueryError(
          `Prometheus (${name}) answered ${
            response.status
          } at ${baseUrl}/api/v1/${path} with something that is not JSON: ${text.slice(
            0,
            200,
          )}`,
        );
      }
      if (!response.ok || json.status !== 'success') {
        const said = json.error
          ? `${json.errorType ?? 'error'}: ${json.error}`
          : `status ${String(json.status)}`;
        throw new PrometheusQueryError(
          `Prometheus (${name}) answered ${response.status} for ${params.query}: ${said}`,
          json.errorType,
        );
      }
      return json.data ?? {};
    });
  }
}
