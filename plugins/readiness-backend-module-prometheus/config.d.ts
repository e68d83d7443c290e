export interface Config {
  readiness?: {
    /**
     * Observed service levels
     * (`@prodready/plugin-readiness-backend-module-prometheus`): what each
     * service delivers, read from Prometheus, next to what it declares. Without
     * this section the module adds nothing, and the observed checks
     * (`observed-availability`, `observed-latency-p95`, `observed-error-rate`,
     * `error-budget-healthy`, `request-metrics-emitted`) do not apply.
     *
     * A service's metrics are selected by its `prodready.dev/prometheus-selector`
     * annotation (label matchers such as `job="payments-api",namespace="shop"`),
     * else `job="<entity name>"`, as the scaffolder's ServiceMonitor labels them;
     * `prodready.dev/prometheus-endpoint` picks the endpoint by name.
     */
    prometheus?: {
      /**
       * Prometheus-compatible endpoints (Prometheus, Thanos Query, Mimir), by
       * name. The first is the default.
       */
      endpoints: Array<{
        /** A name of letters, digits, '-' and '_', such as `main` or `thanos-eu`. */
        name: string;
        /**
         * The base URL; the HTTP API is under `<baseUrl>/api/v1`. For Mimir,
         * include its Prometheus prefix, such as `http://mimir/prometheus`.
         */
        baseUrl: string;
        /**
         * Headers sent with every query, such as `Authorization: Bearer ...`
         * or Mimir's `X-Scope-OrgID`.
         * @visibility secret
         */
        headers?: { [name: string]: string };
      }>;
      /** The window of the observed levels, such as `28d` (the default) or `7d`; at least `1h`. */
      window?: string;
      /** The timeout of one query, such as `10s` (the default); at most `5m`. */
      timeout?: string;
      /**
       * How many queries may run at once, over all services and endpoints
       * (default 4, at most 64), so that a cycle over 10,000 services does not
       * flood Prometheus. A service without data costs 2 queries, one with
       * data 8.
       */
      concurrency?: number;
      /**
       * The PromQL templates, to override the defaults, which read
       * `http_requests_total` (with a `code` label) and the
       * `http_request_duration_seconds` histogram. Placeholders: `$selector`
       * (the label matchers, without braces), `$window` (a PromQL duration)
       * and `$quantile`. Each must aggregate to one series (`sum(...)`).
       * Checked at start-up: the required placeholders, the brackets, and
       * Prometheus' own parser when it answers.
       */
      queries?: {
        /** The number of requests over `$window`. Default: `sum(increase(http_requests_total{$selector}[$window]))`. */
        requests?: string;
        /** The share of 5xx responses over `$window`, 0 to 1. */
        errorRatio?: string;
        /** The `$quantile` quantile of the response time over `$window`, in seconds. */
        latency?: string;
        /** The number of request-metric samples of the last 24 hours. */
        recentSamples?: string;
      };
    };
  };
}
