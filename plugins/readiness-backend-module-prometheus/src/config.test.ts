import { ConfigReader } from '@backstage/config';
import {
  readPrometheusSettings,
  toPromDuration,
  windowInWords,
} from './config';
import { DEFAULT_QUERIES } from './queries';

function read(prometheus: unknown) {
  return readPrometheusSettings(
    new ConfigReader({ readiness: { prometheus } } as any),
  );
}

const endpoint = { name: 'main', baseUrl: 'http://prometheus:9090/' };

describe('readPrometheusSettings', () => {
  it('is undefined without readiness.prometheus', () => {
    expect(readPrometheusSettings(new ConfigReader({}))).toBeUndefined();
    expect(
      readPrometheusSettings(new ConfigReader({ readiness: {} })),
    ).toBeUndefined();
  });

  it('reads the endpoints and applies the defaults', () => {
    expect(
      read({
        endpoints: [
          endpoint,
          {
            name: 'mimir',
            baseUrl: 'https://mimir.example.com/prometheus',
            headers: { 'X-Scope-OrgID': 'shop', Authorization: 'Bearer t' },
          },
        ],
      }),
    ).toEqual({
      endpoints: [
        { name: 'main', baseUrl: 'http://prometheus:9090', headers: {} },
        {
          name: 'mimir',
          baseUrl: 'https://mimir.example.com/prometheus',
          headers: { 'X-Scope-OrgID': 'shop', Authorization: 'Bearer t' },
        },
      ],
      windowMs: 28 * 24 * 3600_000,
      window: '28d',
      windowText: '28 d',
      timeoutMs: 10_000,
      concurrency: 4,
      queries: DEFAULT_QUERIES,
    });
  });

  it('reads the window, timeout, concurrency and query overrides', () => {
    const settings = read({
      endpoints: [endpoint],
      window: '7d',
      timeout: '30s',
      concurrency: 16,
      queries: {
        requests: 'sum(increase(requests_total{$selector}[$window]))',
      },
    });
    expect(settings).toMatchObject({
      window: '7d',
      windowText: '7 d',
      timeoutMs: 30_000,
      concurrency: 16,
      queries: {
        ...DEFAULT_QUERIES,
        requests: 'sum(increase(requests_total{$selector}[$window]))',
      },
    });
  });

  it.each([
    [
      {},
      'readiness.prometheus.endpoints is required: list at least one Prometheus, Thanos or Mimir endpoint',
    ],
    [{ endpoints: [] }, 'readiness.prometheus.endpoints is required'],
    [
      { endpoints: [{ baseUrl: 'http://p:9090' }] },
      'readiness.prometheus.endpoints[0].name: undefined is not an endpoint name',
    ],
    [
      { endpoints: [{ name: 'main' }] },
      'readiness.prometheus.endpoints[0].baseUrl: undefined',
    ],
    [
      { endpoints: [{ name: 'main', baseUrl: 'prometheus:9090' }] },
      "readiness.prometheus.endpoints[0].baseUrl: 'prometheus:9090'",
    ],
    [
      { endpoints: [endpoint, endpoint] },
      "readiness.prometheus.endpoints[1].name 'main' is used twice",
    ],
    [
      { endpoints: [{ ...endpoint, headers: { 'Bad Header': 'x' } }] },
      "readiness.prometheus.endpoints[0].headers: 'Bad Header' is not a header name",
    ],
    [
      { endpoints: [endpoint], window: 'a month' },
      "readiness.prometheus.window: 'a month'",
    ],
    [
      { endpoints: [endpoint], window: '5m' },
      'readiness.prometheus.window "5m" is too short',
    ],
    [
      { endpoints: [endpoint], timeout: '1h' },
      'readiness.prometheus.timeout "1h" is longer than 5m',
    ],
    [
      { endpoints: [endpoint], concurrency: 0 },
      'readiness.prometheus.concurrency must be a whole number from 1 to 64; got 0',
    ],
    [
      { endpoints: [endpoint], queries: { request: 'sum(x{$selector})' } },
      'readiness.prometheus.queries.request is not a known query; expected one of requests, errorRatio, latency, recentSamples',
    ],
    [
      { endpoints: [endpoint], queries: { requests: 'sum(x[$window])' } },
      'readiness.prometheus.queries.requests has no $selector: it must read the number of requests over $window',
    ],
    [
      {
        endpoints: [endpoint],
        queries: { latency: 'histogram_quantile(0.95, x{$selector}[$window])' },
      },
      'readiness.prometheus.queries.latency has no $quantile',
    ],
    [
      {
        endpoints: [endpoint],
        queries: { requests: 'sum(rate(x{$selector}[$window])' },
      },
      "readiness.prometheus.queries.requests has an unclosed '(' at character 4",
    ],
    [
      {
        endpoints: [endpoint],
        queries: { requests: 'sum(x{$selector,$namespace}[$window])' },
      },
      'readiness.prometheus.queries.requests has an unknown placeholder $namespace',
    ],
  ])('refuses %j: %s', (prometheus, message) => {
    expect(() => read(prometheus)).toThrow(message);
  });
});

describe('windows', () => {
  it('are written as PromQL writes them, and in words', () => {
    expect(toPromDuration(28 * 86400_000)).toBe('28d');
    expect(toPromDuration(6 * 3600_000)).toBe('6h');
    expect(toPromDuration(90 * 60_000)).toBe('90m');
    expect(toPromDuration(61_000)).toBe('61s');
    expect(windowInWords(28 * 86400_000)).toBe('28 d');
    expect(windowInWords(90 * 60_000)).toBe('90 min');
  });
});
