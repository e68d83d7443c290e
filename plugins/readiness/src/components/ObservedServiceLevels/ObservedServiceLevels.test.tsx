import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ObservedServiceLevelsFacts } from '@prodready/plugin-readiness-common';
import { ReadinessApi, readinessApiRef } from '../../api';
import {
  dailyAvailability,
  mockReadinessApi,
  observedFacts,
  responseError,
  storedFacts,
} from '../../testUtils/fixtures';
import {
  ObservedServiceLevels,
  ObservedServiceLevelsProps,
} from './ObservedServiceLevels';

const NOW = new Date('2026-11-26T12:00:00Z');
const REF = 'component:default/payments';

async function renderObserved(
  getFacts: ReadinessApi['getFacts'],
  props: Partial<ObservedServiceLevelsProps> = {},
) {
  const api = mockReadinessApi({ getFacts: jest.fn(getFacts) });
  await renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <ObservedServiceLevels entityRef={REF} now={NOW} {...props} />
    </TestApiProvider>,
  );
  return api;
}

function withObserved(
  overrides: Partial<ObservedServiceLevelsFacts> = {},
  options: { stale?: boolean; error?: string } = {},
): ReadinessApi['getFacts'] {
  return async () => storedFacts(REF, observedFacts(overrides), options);
}

/** The cells of a row of the target-vs-observed table: target, observed, status. */
async function row(label: string) {
  const table = await screen.findByRole('table', {
    name: 'Target vs observed',
  });
  const header = within(table).getByRole('rowheader', { name: label });
  const tableRow = header.closest('tr');
  if (!tableRow) {
    throw new Error(`No row for ${label}`);
  }
  const [target, observed, status] = Array.from(
    tableRow.querySelectorAll('td'),
  ).map(cell => cell.textContent);
  return { target, observed, status };
}

function sparkline() {
  const svg = screen.getByRole('img', {
    name: 'Availability per day over 28 d',
  });
  const points = within(svg as unknown as HTMLElement).queryAllByTestId(
    'availability-sparkline-point',
  );
  return {
    svg,
    points,
    below: points
      .filter(point => point.getAttribute('data-below-target') === 'true')
      .map(point => point.getAttribute('data-date')),
    segments: within(svg as unknown as HTMLElement).queryAllByTestId(
      'availability-sparkline-segment',
    ),
    target: within(svg as unknown as HTMLElement).getByTestId(
      'availability-sparkline-target',
    ),
  };
}

describe('ObservedServiceLevels', () => {
  it('shows each target next to what was observed, all met, with the budget, burn rates and the days', async () => {
    const api = await renderObserved(withObserved());

    expect(await row('Availability')).toEqual({
      target: '99.9%',
      observed: '99.97%',
      status: 'Met',
    });
    expect(await row('p95 latency')).toEqual({
      target: '200 ms',
      observed: '143 msp99 388 ms',
      status: 'Met',
    });
    expect(await row('5xx rate')).toEqual({
      target: '0.1%',
      observed: '0.03%',
      status: 'Met',
    });
    expect(screen.queryByText('Missed')).toBeNull();
    expect(api.getFacts).toHaveBeenCalledWith(REF);

    // Where and when it was read.
    const source = screen.getByTestId('observed-source');
    expect(source).toHaveTextContent(
      'Over the last 28 d · Prometheus http://prometheus.monitoring:9090 · job="payments" (default selector) · 12,345,678 requests · read 5 min ago',
    );

    // The error budget: a meter, and the same in words.
    const budget = screen.getByRole('meter', {
      name: 'Error budget used over 28 d',
    });
    expect(budget).toHaveAttribute('aria-valuenow', '30');
    expect(budget).toHaveAttribute(
      'aria-valuetext',
      '12m 5s of 40m 19s used (30%), 70% left',
    );
    expect(
      screen.getByText('12m 5s of 40m 19s used (30%) · 70% left'),
    ).toBeInTheDocument();
    expect(screen.queryByText(/Error budget exhausted/)).toBeNull();
    expect(screen.getByTestId('burn-rate-1h')).toHaveTextContent('1 h 0.4×');
    expect(screen.getByTestId('burn-rate-6h')).toHaveTextContent('6 h 0.25×');

    // 28 days with traffic, in one line, none below the dashed target.
    const days = sparkline();
    expect(days.points).toHaveLength(28);
    expect(days.segments).toHaveLength(1);
    expect(days.below).toEqual([]);
    expect(days.target).toBeInTheDocument();
    expect(
      screen.getByText(
        '28 of 28 days with traffic, 0 below the target of 99.9%, lowest 99.98%. Dashed: the target.',
      ),
    ).toBeInTheDocument();
  });

  it('marks a missed availability target, and the days below it', async () => {
    await renderObserved(
      withObserved({
        availabilityPercent: 99.8996,
        daily: dailyAvailability({
          '2026-11-20': 98.5,
          '2026-11-21': 99.85,
        }),
      }),
    );

    // Rounded down: 99.8996% does not read as the 99.9% target.
    expect(await row('Availability')).toEqual({
      target: '99.9%',
      observed: '99.899%',
      status: 'Missed',
    });
    expect((await row('5xx rate')).status).toBe('Met');
    const days = sparkline();
    expect(days.below).toEqual(['2026-11-20', '2026-11-21']);
    expect(
      screen.getByText(
        '28 of 28 days with traffic, 2 below the target of 99.9%, lowest 98.5%. Dashed: the target.',
      ),
    ).toBeInTheDocument();
  });

  it('marks a slow p95 latency, with the p99 next to it', async () => {
    await renderObserved(
      withObserved({ latencyP95Ms: 312.6, latencyP99Ms: 1250 }),
    );

    expect(await row('p95 latency')).toEqual({
      target: '200 ms',
      observed: '313 msp99 1,250 ms',
      status: 'Missed',
    });
    expect((await row('Availability')).status).toBe('Met');
    expect((await row('5xx rate')).status).toBe('Met');
  });

  it('says when the latency is not measured (no histogram)', async () => {
    await renderObserved(
      withObserved({ latencyP95Ms: undefined, latencyP99Ms: undefined }),
    );

    expect(await row('p95 latency')).toEqual({
      target: '200 ms',
      observed:
        'Not measuredNo http_request_duration_seconds histogram for job="payments"',
      status: 'Not measured',
    });
  });

  it('highlights an exhausted error budget, a high 5xx rate and fast burn rates', async () => {
    await renderObserved(
      withObserved({
        availabilityPercent: 99.7,
        errorRatePercent: 0.30001,
        errorBudget: {
          allowedMs: 2_419_200,
          usedMs: 7_257_600,
          consumedPercent: 300,
          remainingPercent: 0,
          exhausted: true,
          allowedText: '40m 19s',
          usedText: '2h 0m 57s',
        },
        burnRate: { oneHour: 14.4, sixHours: null },
      }),
    );

    expect(await row('Availability')).toMatchObject({ status: 'Missed' });
    // Rounded up: a 5xx rate just above 0.3% does not read as 0.3%.
    expect(await row('5xx rate')).toEqual({
      target: '0.1%',
      observed: '0.301%',
      status: 'Missed',
    });
    const budget = screen.getByRole('meter', {
      name: 'Error budget used over 28 d',
    });
    expect(budget).toHaveAttribute('aria-valuenow', '100');
    expect(
      screen.getByText('2h 0m 57s of 40m 19s used (300%) · 0% left'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Error budget exhausted: the service was down longer than its target allows over 28 d.',
      ),
    ).toBeInTheDocument();
    expect(screen.getByTestId('burn-rate-1h')).toHaveTextContent('1 h 14.4×');
    expect(screen.getByTestId('burn-rate-6h')).toHaveTextContent('6 h n/a');
  });

  it('draws days without traffic as gaps in the line', async () => {
    await renderObserved(
      withObserved({
        daily: dailyAvailability({
          '2026-10-29': null,
          '2026-11-10': null,
          '2026-11-11': null,
        }),
      }),
    );

    await screen.findByRole('table', { name: 'Target vs observed' });
    const days = sparkline();
    expect(days.points).toHaveLength(25);
    // 11-10 and 11-11 split the line in two; the first day only shortens it.
    expect(days.segments).toHaveLength(2);
    expect(
      days.points.map(point => point.getAttribute('data-date')),
    ).not.toContain('2026-11-10');
    expect(
      screen.getByText(
        '25 of 28 days with traffic, 0 below the target of 99.9%, lowest 99.98%, no traffic on 3 days. Dashed: the target.',
      ),
    ).toBeInTheDocument();
  });

  it('explains no-data and how to point the selector at the metrics', async () => {
    await renderObserved(
      withObserved({
        status: 'no-data',
        emittedLast24h: false,
        requests: undefined,
        availabilityPercent: undefined,
        errorRatePercent: undefined,
        latencyP95Ms: undefined,
        latencyP99Ms: undefined,
        errorBudget: undefined,
        burnRate: undefined,
        daily: undefined,
      }),
    );

    expect(
      await screen.findByText(
        (_, element) =>
          element?.tagName === 'SPAN' &&
          element.textContent ===
            'Prometheus (http://prometheus.monitoring:9090) has no request metrics for job="payments" over 28 d.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /say which with the prodready.dev\/prometheus-selector annotation/,
      ),
    ).toBeInTheDocument();
    const example = document.querySelector('code.language-yaml');
    expect(example).toHaveTextContent(
      `metadata: annotations: prodready.dev/prometheus-selector: 'service="my-service",namespace="shop"' # now: job="payments" (the default)`,
    );
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('meter')).toBeNull();
  });

  it('says to check the annotation when the no-data selector comes from it', async () => {
    await renderObserved(
      withObserved({
        status: 'no-data',
        selector: 'service="payments",namespace="shop"',
        selectorSource: 'annotation',
        availabilityPercent: undefined,
        daily: undefined,
      }),
    );

    expect(await screen.findByTestId('observed-source')).toHaveTextContent(
      'service="payments",namespace="shop" (prodready.dev/prometheus-selector)',
    );
    expect(
      screen.getByText(
        /The selector comes from the prodready.dev\/prometheus-selector annotation: check that it matches/,
      ),
    ).toBeInTheDocument();
  });

  it('warns that the values are stale when the last read failed', async () => {
    await renderObserved(
      withObserved(
        { readAt: '2026-11-26T09:00:00.000Z' },
        { stale: true, error: 'Prometheus did not answer: ECONNREFUSED' },
      ),
    );

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'The observed service levels may be out of date',
    );
    expect(alert).toHaveTextContent(
      'The last read of Prometheus failed: Prometheus did not answer: ECONNREFUSED. These values were read 3 h ago.',
    );
    // The older values are still shown.
    expect((await row('Availability')).observed).toBe('99.97%');
  });

  it('says in a line, with a link to the docs, that no Prometheus is configured', async () => {
    await renderObserved(async () => storedFacts(REF));

    expect(
      await screen.findByText(/no Prometheus is configured/),
    ).toHaveTextContent(
      /^Observed service levels: no Prometheus is configured, so what this service delivers is not known\. See Observed service levels \(Prometheus\)/,
    );
    expect(
      screen.getByRole('link', {
        name: /^Observed service levels \(Prometheus\)/,
      }),
    ).toHaveAttribute(
      'href',
      'https://github.com/prodready/backstage-readiness#observed-service-levels-prometheus',
    );
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('says when no facts were collected yet', async () => {
    const notFound = await responseError(404, 'Not Found');
    await renderObserved(async () => {
      throw notFound;
    });

    expect(
      await screen.findByText(/no facts were collected for this entity yet/),
    ).toBeInTheDocument();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows nothing where there is nothing to show, when asked to', async () => {
    await renderObserved(async () => storedFacts(REF), {
      whenAbsent: 'hide',
      title: 'Observed (Prometheus)',
    });

    // Wait for the facts, then expect no trace of the section.
    await new Promise(resolve => setTimeout(resolve, 50));
    expect(screen.queryByTestId('observed-service-levels')).toBeNull();
    expect(screen.queryByText(/Prometheus/)).toBeNull();
  });

  it('shows a titled section when asked to', async () => {
    await renderObserved(withObserved(), {
      whenAbsent: 'hide',
      title: 'Observed (Prometheus)',
    });

    const section = await screen.findByRole('region', {
      name: 'Observed (Prometheus)',
    });
    expect(
      within(section).getByRole('heading', {
        level: 3,
        name: 'Observed (Prometheus)',
      }),
    ).toBeInTheDocument();
    expect(
      within(section).getByRole('table', { name: 'Target vs observed' }),
    ).toBeInTheDocument();
  });

  it('shows progress while the facts load', async () => {
    await renderObserved(() => new Promise(() => {}));

    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading the observed service levels',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows the error, in plain words and as returned, and can try again', async () => {
    const forbidden = await responseError(
      403,
      'Forbidden',
      'You are not allowed to read the facts of component:default/payments',
    );
    const getFacts = jest
      .fn<ReturnType<ReadinessApi['getFacts']>, []>()
      .mockRejectedValueOnce(forbidden)
      .mockResolvedValue(storedFacts(REF, observedFacts()));
    await renderObserved(getFacts);

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent(
      'Error: The observed service levels cannot be shown',
    );
    expect(alert).toHaveTextContent(
      'You are not allowed to see the observed service levels.',
    );
    expect(alert).toHaveTextContent(
      'You are not allowed to read the facts of component:default/payments',
    );

    await userEvent.click(
      within(alert).getByRole('button', { name: 'Try again' }),
    );
    expect((await row('Availability')).status).toBe('Met');
    expect(screen.queryByRole('alert')).toBeNull();
  });
});
