import {
  errorBudgetOf,
  formatApproxDuration,
  toObservedFacts,
} from './observe';

const DAY = 86400_000;

describe('formatApproxDuration', () => {
  it.each([
    [0, '0s'],
    [12_400, '12s'],
    [40 * 60_000 + 19_000, '40m 19s'],
    [2 * 3600_000 + 48 * 60_000 + 10_000, '2h 48m'],
    [59 * 60_000 + 59_700, '1h'],
    [3 * DAY + 4 * 3600_000, '3d 4h'],
  ])('%d ms is %s', (ms, text) => {
    expect(formatApproxDuration(ms)).toBe(text);
  });
});

describe('errorBudgetOf', () => {
  it('gives the issue example: 99.71% against 99.9% over 28 days', () => {
    expect(errorBudgetOf(99.9, 99.71, 28 * DAY)).toEqual({
      allowedMs: 2_419_200,
      usedMs: 7_015_680,
      consumedPercent: 290,
      remainingPercent: 0,
      exhausted: true,
      allowedText: '40m 19s',
      usedText: '1h 57m',
    });
  });

  it('is never divided by zero: a 100% target has no budget', () => {
    expect(errorBudgetOf(100, 100, DAY)).toMatchObject({
      consumedPercent: 0,
      exhausted: false,
    });
    expect(errorBudgetOf(100, 99.99, DAY)).toMatchObject({
      consumedPercent: 100,
      exhausted: true,
    });
  });
});

describe('toObservedFacts', () => {
  const base = {
    endpoint: 'main',
    selector: 'job="a"',
    selectorSource: 'default' as const,
    window: '28d',
    windowMs: 28 * DAY,
    windowText: '28 d',
    readAt: new Date('2026-12-06T10:00:00Z'),
    targets: {
      availabilityPercent: 99.9,
      latencyP95Ms: 200,
      errorRatePercent: 0.1,
    },
    queries: [],
  };

  it('is no-data when Prometheus has no series over the window', () => {
    expect(
      toObservedFacts({
        ...base,
        readings: { requests: null, recentSamples: null },
      }),
    ).toEqual({
      ...base,
      readAt: '2026-12-06T10:00:00.000Z',
      status: 'no-data',
      emittedLast24h: false,
    });
  });

  it('leaves out what it cannot know: no availability without traffic, no latency without a histogram', () => {
    const facts = toObservedFacts({
      ...base,
      readings: {
        requests: 0,
        recentSamples: 12,
        errorRatio: null,
        errorRatio1h: null,
        errorRatio6h: null,
        latencyP95Seconds: null,
        latencyP99Seconds: null,
        daily: [{ time: Date.parse('2026-12-06T10:00:00Z'), value: null }],
      },
    });
    expect(facts).toMatchObject({
      status: 'ok',
      requests: 0,
      emittedLast24h: true,
      burnRate: { oneHour: null, sixHours: null },
      daily: [{ date: '2026-12-06', availabilityPercent: null }],
    });
    expect(facts.availabilityPercent).toBeUndefined();
    expect(facts.errorBudget).toBeUndefined();
    expect(facts.latencyP95Ms).toBeUndefined();
  });

  it('clamps ratios into 0..1 and converts seconds to milliseconds', () => {
    const facts = toObservedFacts({
      ...base,
      readings: {
        requests: 1000,
        recentSamples: 5,
        errorRatio: 1.2,
        errorRatio1h: 0.0144,
        errorRatio6h: 0.006,
        latencyP95Seconds: 0.12345,
        latencyP99Seconds: 0.5,
      },
    });
    expect(facts).toMatchObject({
      availabilityPercent: 0,
      errorRatePercent: 100,
      latencyP95Ms: 123.5,
      latencyP99Ms: 500,
      burnRate: { oneHour: 14.4, sixHours: 6 },
    });
  });
});
