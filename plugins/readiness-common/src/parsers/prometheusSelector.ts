import { fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * One label matcher of a Prometheus selector, such as `job="payments-api"`.
 *
 * @public
 */
export interface PrometheusLabelMatcher {
  label: string;
  operator: '=' | '!=' | '=~' | '!~';
  value: string;
}

/**
 * A parsed Prometheus label selector.
 *
 * @public
 */
export interface PrometheusSelector {
  matchers: PrometheusLabelMatcher[];
  /**
   * The matchers in PromQL, without braces, such as
   * `job="payments-api",namespace="payments"`: what a query template's
   * `$selector` becomes.
   */
  text: string;
}

/**
 * The form of a selector, as used in error messages.
 *
 * @public
 */
export const PROMETHEUS_SELECTOR_FORM =
  'comma-separated label matchers, optionally in braces, such as \'job="payments-api",namespace="payments"\'';

const LABEL_START = /[A-Za-z_]/;
const LABEL_PART = /[A-Za-z0-9_]/;
const QUOTES = new Set(['"', "'", '`']);
const ESCAPES: Record<string, string> = {
  n: '\n',
  t: '\t',
  r: '\r',
  '\\': '\\',
  '"': '"',
  "'": "'",
  '`': '`',
};
/** Longest selector accepted. */
const MAX_LENGTH = 1024;

/**
 * A PromQL string literal for a value (Go escapes are a superset of JSON's).
 *
 * @public
 */
export function promqlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Parses a Prometheus label selector, the form of the
 * `prodready.dev/prometheus-selector` annotation: label matchers such as
 * `job="payments-api",namespace=~"pay.*"` (`=`, `!=`, `=~`, `!~`), with or
 * without the braces of a PromQL vector selector. Regular expressions must
 * compile, and at least one matcher must not match the empty string (as
 * Prometheus requires of a selector).
 *
 * @public
 */
export function parsePrometheusSelector(
  value: unknown,
  options?: ParserOptions,
): ParseResult<PrometheusSelector> {
  if (typeof value !== 'string') {
    return fail(options, value, 'is not a string', PROMETHEUS_SELECTOR_FORM);
  }
  let text = value.trim();
  if (text.length > MAX_LENGTH) {
    return fail(
      options,
      value,
      `is longer than ${MAX_LENGTH} characters`,
      PROMETHEUS_SELECTOR_FORM,
    );
  }
  if (text.startsWith('{') || text.endsWith('}')) {
    if (!(text.startsWith('{') && text.endsWith('}'))) {
      return fail(
        options,
        value,
        'has an unbalanced brace',
        PROMETHEUS_SELECTOR_FORM,
      );
    }
    text = text.slice(1, -1);
  }
  const matchers: PrometheusLabelMatcher[] = [];
  /** Whether each matcher's value (or pattern) matches the empty string. */
  const matchesEmpty: boolean[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  const problem = (what: string) =>
    fail<PrometheusSelector>(
      options,
      value,
      `${what} at character ${i + 1}`,
      PROMETHEUS_SELECTOR_FORM,
    );
  skipSpace();
  while (i < text.length) {
    // label name
    if (!LABEL_START.test(text[i])) {
      return problem(`has no label name ('${text[i]}' cannot start one)`);
    }
    const start = i;
    while (i < text.length && LABEL_PART.test(text[i])) i++;
    const label = text.slice(start, i);
    skipSpace();
    // operator
    let operator: PrometheusLabelMatcher['operator'];
    const two = text.slice(i, i + 2);
    if (two === '=~' || two === '!=' || two === '!~') {
      operator = two;
      i += 2;
    } else if (text[i] === '=') {
      operator = '=';
      i += 1;
    } else {
      return problem(
        `has no operator after '${label}' (=, !=, =~ or !~ expected)`,
      );
    }
    skipSpace();
    // quoted value
    const quote = text[i];
    if (!QUOTES.has(quote)) {
      return problem(`has an unquoted value for '${label}'`);
    }
    i++;
    let content = '';
    let closed = false;
    while (i < text.length) {
      const c = text[i];
      if (c === quote) {
        closed = true;
        i++;
        break;
      }
      if (c === '\\' && quote !== '`') {
        const next = text[i + 1];
        if (next === undefined || !(next in ESCAPES)) {
          return problem(`has an unknown escape '\\${next ?? ''}'`);
        }
        content += ESCAPES[next];
        i += 2;
        continue;
      }
      if (c === '\n') {
        return problem('has a line break inside a value');
      }
      content += c;
      i++;
    }
    if (!closed) {
      return problem(`has an unterminated value for '${label}'`);
    }
    let pattern: RegExp | undefined;
    if (operator === '=~' || operator === '!~') {
      try {
        // Prometheus anchors regular expressions at both ends.
        pattern = new RegExp(`^(?:${content})$`);
      } catch (error) {
        return fail(
          options,
          value,
          `has an invalid regular expression for '${label}' (${
            (error as Error).message
          })`,
          PROMETHEUS_SELECTOR_FORM,
        );
      }
    }
    matchers.push({ label, operator, value: content });
    matchesEmpty.push(pattern ? pattern.test('') : content === '');
    skipSpace();
    if (i < text.length) {
      if (text[i] !== ',') {
        return problem(`has '${text[i]}' where a comma was expected`);
      }
      i++;
      skipSpace();
    }
  }
  if (matchers.length === 0) {
    return fail(
      options,
      value,
      'has no label matcher',
      PROMETHEUS_SELECTOR_FORM,
    );
  }
  // `=` and `=~` must not match '', `!=` and `!~` must match it: the
  // selector then needs a label to be set.
  const matchesNonEmpty = matchers.some((m, index) =>
    m.operator === '=' || m.operator === '=~'
      ? !matchesEmpty[index]
      : matchesEmpty[index],
  );
  if (!matchesNonEmpty) {
    return fail(
      options,
      value,
      'has only matchers that match the empty label (Prometheus refuses such a selector)',
      PROMETHEUS_SELECTOR_FORM,
    );
  }
  return succeed({
    matchers,
    text: matchers
      .map(m => `${m.label}${m.operator}${promqlString(m.value)}`)
      .join(','),
  });
}

/**
 * The form of a Prometheus endpoint name.
 *
 * @public
 */
export const PROMETHEUS_ENDPOINT_NAME_FORM =
  "a name of letters, digits, '-' and '_', such as 'thanos-eu'";

const ENDPOINT_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}$/;

/**
 * Parses the name of a configured Prometheus endpoint (the
 * `prodready.dev/prometheus-endpoint` annotation).
 *
 * @public
 */
export function parsePrometheusEndpointName(
  value: unknown,
  options?: ParserOptions,
): ParseResult<string> {
  const text = typeof value === 'string' ? value.trim() : value;
  if (typeof text !== 'string' || !ENDPOINT_NAME.test(text)) {
    return fail(
      options,
      value,
      'is not an endpoint name',
      PROMETHEUS_ENDPOINT_NAME_FORM,
    );
  }
  return succeed(text);
}

/**
 * The error for a `prodready.dev/prometheus-endpoint` that names no
 * configured endpoint, shared by the catalog module and the collector.
 *
 * @public
 */
export function unknownPrometheusEndpointMessage(
  name: string,
  configured: ReadonlyArray<string>,
): string {
  return `prodready.dev/prometheus-endpoint: '${name}' is not a configured Prometheus endpoint; expected one of ${configured.join(
    ', ',
  )} (readiness.prometheus.endpoints)`;
}
