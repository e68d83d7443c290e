import {
  DEFAULT_QUERIES,
  ObservedQueryName,
  queryTemplateProblems,
  renderQuery,
} from './queries';

describe('renderQuery', () => {
  it('fills the selector, the window and the quantile of the default queries', () => {
    const vars = { selector: 'job="payments-api"', window: '28d' };
    expect(renderQuery(DEFAULT_QUERIES.requests, vars)).toBe(
      'sum(increase(http_requests_total{job="payments-api"}[28d]))',
    );
    expect(renderQuery(DEFAULT_QUERIES.errorRatio, vars)).toBe(
      '(sum(rate(http_requests_total{job="payments-api",code=~"5.."}[28d])) or vector(0)) / sum(rate(http_requests_total{job="payments-api"}[28d]))',
    );
    expect(
      renderQuery(DEFAULT_QUERIES.latency, { ...vars, quantile: 0.99 }),
    ).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket{job="payments-api"}[28d])))',
    );
    expect(renderQuery(DEFAULT_QUERIES.recentSamples, vars)).toBe(
      'sum(count_over_time(http_requests_total{job="payments-api"}[24h]))',
    );
  });

  it('leaves what is not a placeholder alone', () => {
    expect(
      renderQuery('label_replace(x{$selector}, "a", "$1", "b", "(.*)")', {
        selector: 'job="a"',
        window: '1d',
      }),
    ).toBe('label_replace(x{job="a"}, "a", "$1", "b", "(.*)")');
  });
});

describe('queryTemplateProblems', () => {
  it('finds none in the defaults', () => {
    for (const name of Object.keys(DEFAULT_QUERIES) as ObservedQueryName[]) {
      expect(queryTemplateProblems(name, DEFAULT_QUERIES[name])).toEqual([]);
    }
  });

  it.each([
    ['requests', '', ['must be a PromQL query; got ""']],
    ['requests', 42, ['must be a PromQL query; got 42']],
    [
      'requests',
      'sum(x{job="a"}[$window])',
      ['has no $selector: it must read the number of requests over $window'],
    ],
    [
      'latency',
      'histogram_quantile(0.95, x{$selector}[$window])',
      [
        'has no $quantile: it must read the $quantile quantile of the response time over $window, in seconds',
      ],
    ],
    [
      'requests',
      'sum(x{$selector}[$window]))',
      ["has an unmatched ')' at character 27"],
    ],
    [
      'requests',
      'sum(x{$selector,code="5}[$window])',
      ['has an unterminated string (")'],
    ],
    [
      'requests',
      'sum(x{$selector}[$window] by (job)',
      ["has an unclosed '(' at character 4"],
    ],
    [
      'errorRatio',
      'sum(rate(x{$selector}[$range]))',
      [
        'has an unknown placeholder $range; expected $selector, $window, $quantile',
        'has no $window: it must read the share of requests answered with a 5xx over $window, from 0 to 1',
      ],
    ],
  ])('%s %j: %j', (name, template, problems) => {
    expect(
      queryTemplateProblems(name as ObservedQueryName, template as string),
    ).toEqual(problems);
  });
});
