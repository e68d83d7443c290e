/**
 * The PromQL query templates of the observed service levels, and their
 * structural validation. Templates read the service's label matchers as
 * `$selector`, the window as `$window` and, for the latency, the quantile as
 * `$quantile`.
 */

/**
 * The names of the queries.
 *
 * @public
 */
export type ObservedQueryName =
  | 'requests'
  | 'errorRatio'
  | 'latency'
  | 'recentSamples';

/**
 * The queries, by name.
 *
 * @public
 */
export type ObservedQueryTemplates = Record<ObservedQueryName, string>;

/**
 * The default queries. They match what the scaffolder generates: a
 * ServiceMonitor whose job label is the service's name, and the metrics its
 * SLO rules read (`http_requests_total` with a `code` label, the
 * `http_request_duration_seconds` histogram).
 *
 * @public
 */
export const DEFAULT_QUERIES: Readonly<ObservedQueryTemplates> = Object.freeze({
  requests: 'sum(increase(http_requests_total{$selector}[$window]))',
  errorRatio:
    '(sum(rate(http_requests_total{$selector,code=~"5.."}[$window])) or vector(0))' +
    ' / sum(rate(http_requests_total{$selector}[$window]))',
  latency:
    'histogram_quantile($quantile, sum by (le) (rate(http_request_duration_seconds_bucket{$selector}[$window])))',
  recentSamples: 'sum(count_over_time(http_requests_total{$selector}[24h]))',
});

/** What each query returns, for config.d.ts and error messages. */
export const QUERY_MEANINGS: Readonly<Record<ObservedQueryName, string>> = {
  requests: 'the number of requests over $window',
  errorRatio:
    'the share of requests answered with a 5xx over $window, from 0 to 1',
  latency:
    'the $quantile quantile of the response time over $window, in seconds',
  recentSamples:
    'the number of request-metric samples of the last 24 hours (0 or no data: nothing was emitted)',
};

const REQUIRED: Readonly<Record<ObservedQueryName, string[]>> = {
  requests: ['selector', 'window'],
  errorRatio: ['selector', 'window'],
  latency: ['selector', 'window', 'quantile'],
  recentSamples: ['selector'],
};

const PLACEHOLDER = /\$([A-Za-z_][A-Za-z0-9_]*)/g;
const KNOWN = new Set(['selector', 'window', 'quantile']);
const PAIRS: Record<string, string> = { '(': ')', '[': ']', '{': '}' };

/**
 * Validates one query template without Prometheus: its placeholders (the
 * required ones present, no unknown one), its brackets and its string
 * literals. Returns the problems; Prometheus itself is asked at start-up
 * when it can be reached (see `validateQueriesWithPrometheus`).
 */
export function queryTemplateProblems(
  name: ObservedQueryName,
  template: unknown,
): string[] {
  if (typeof template !== 'string' || template.trim() === '') {
    return [`must be a PromQL query; got ${JSON.stringify(template)}`];
  }
  const problems: string[] = [];
  const used = new Set<string>();
  for (const match of template.matchAll(PLACEHOLDER)) {
    if (!KNOWN.has(match[1])) {
      problems.push(
        `has an unknown placeholder $${match[1]}; expected ${[...KNOWN]
          .map(k => `$${k}`)
          .join(', ')}`,
      );
    }
    used.add(match[1]);
  }
  for (const required of REQUIRED[name]) {
    if (!used.has(required)) {
      problems.push(
        `has no $${required}: it must read ${QUERY_MEANINGS[name]}`,
      );
    }
  }
  const stack: Array<{ char: string; at: number }> = [];
  let quote: string | undefined;
  for (let i = 0; i < template.length; i++) {
    const c = template[i];
    if (quote) {
      if (c === '\\' && quote !== '`') {
        i++;
      } else if (c === quote) {
        quote = undefined;
      }
      continue;
    }
    if (c === '"' || c === "'" || c === '`') {
      quote = c;
    } else if (c in PAIRS) {
      stack.push({ char: c, at: i });
    } else if (c === ')' || c === ']' || c === '}') {
      const open = stack.pop();
      if (!open || PAIRS[open.char] !== c) {
        problems.push(`has an unmatched '${c}' at character ${i + 1}`);
        return problems;
      }
    }
  }
  if (quote) {
    problems.push(`has an unterminated string (${quote})`);
  } else if (stack.length > 0) {
    const open = stack[stack.length - 1];
    problems.push(`has an unclosed '${open.char}' at character ${open.at + 1}`);
  }
  return problems;
}

/** The values of a query's placeholders. */
export interface QueryVariables {
  /** Label matchers without braces, such as `job="payments-api"`. */
  selector: string;
  /** A PromQL duration, such as `28d`. */
  window: string;
  /** A quantile, such as `0.95`. */
  quantile?: number;
}

/** Fills a template's placeholders. */
export function renderQuery(template: string, variables: QueryVariables) {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (name === 'selector') return variables.selector;
    if (name === 'window') return variables.window;
    if (name === 'quantile' && variables.quantile !== undefined) {
      return String(variables.quantile);
    }
    return whole;
  });
}
