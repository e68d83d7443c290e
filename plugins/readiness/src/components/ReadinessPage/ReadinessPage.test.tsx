import { catalogApiRef, entityRouteRef } from '@backstage/plugin-catalog-react';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
  TestApiProviderProps,
} from '@backstage/test-utils';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  act,
  fireEvent,
  screen,
  waitFor,
  within,
} from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  CatalogValidationProblems,
  OverviewPage,
  OverviewQuery,
  OverviewSummary,
  READINESS_OVERVIEW_SIGNAL_CHANNEL,
} from '@prodready/plugin-readiness-common';
import { useLocation } from 'react-router-dom';
import { ReadinessApi, readinessApiRef } from '../../api';
import {
  initiative,
  mockReadinessApi,
  mockSignals,
  overviewItem,
  responseError,
} from '../../testUtils/fixtures';
import { ReadinessPage } from './ReadinessPage';
import { ROW_HEIGHT } from './OverviewTable';

const RTO_ERROR =
  "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";

const PROBLEMS: CatalogValidationProblems = {
  items: [
    {
      entityRef: 'component:default/payouts-worker',
      location: 'url:https://git.example.com/payouts/catalog-info.yaml',
      messages: [RTO_ERROR, 'prodready.dev/tier: tier-9 is not a tier'],
      firstSeenAt: '2026-11-26T12:00:00.000Z',
      lastSeenAt: '2026-11-26T12:03:00.000Z',
    },
  ],
};

const SUMMARY: OverviewSummary = {
  total: 3,
  averageScore: 58.3,
  levels: [
    { level: 'gold', count: 1 },
    { level: 'bronze', count: 1 },
    { level: null, count: 1 },
  ],
  owners: [
    {
      owner: 'group:default/checkout-team',
      count: 1,
      averageScore: 95,
      levels: [{ level: 'gold', count: 1 }],
    },
    {
      owner: 'group:default/payments-team',
      count: 2,
      averageScore: 40,
      levels: [
        { level: 'bronze', count: 1 },
        { level: null, count: 1 },
      ],
    },
  ],
};

const PAGE: OverviewPage = {
  items: [
    overviewItem('fraud-detection'),
    overviewItem('refund-service', {
      level: 'bronze',
      score: 80,
      failed: 1,
      areas: { 'disaster-recovery': 50, security: 100 },
      phases: [{ phaseId: 'phase-4', done: 12, total: 29 }],
      stale: true,
    }),
    overviewItem('checkout-api', {
      owner: 'group:default/checkout-team',
      level: 'gold',
      score: 100,
      failed: 0,
      areas: { security: 100 },
      phases: [{ phaseId: 'phase-4', done: 29, total: 29 }],
    }),
  ],
  totalCount: 3,
};

/** Shows the page URL's query, to check what the filters write. */
function Search() {
  return <output aria-label="Page query">{useLocation().search}</output>;
}

function overviewApi(overrides: Partial<ReadinessApi> = {}) {
  const getOverview = jest.fn(async (_query?: OverviewQuery) => PAGE);
  const getOverviewSummary = jest.fn(async () => SUMMARY);
  const getPortfolioTrend = jest.fn(async () => ({
    items: [
      { day: '2026-10-01', count: 3, averageScore: 41, levels: [] },
      { day: '2026-11-26', count: 3, averageScore: 58.3, levels: [] },
    ],
  }));
  const downloadOverviewCsv = jest.fn(
    async () => new Blob(['entityRef\n'], { type: 'text/csv' }),
  );
  const api = mockReadinessApi({
    getCatalogProblems: async () => ({ items: [] }),
    getInitiatives: async () => ({ items: [] }),
    getWaiverRequests: async () => ({ items: [] }),
    getChecks: async () => ({
      scorecard: { id: 'default', title: 'Default' },
      levels: [
        { id: 'bronze', title: 'Bronze', rank: 1 },
        { id: 'silver', title: 'Silver', rank: 2 },
        { id: 'gold', title: 'Gold', rank: 3 },
      ],
      checks: [],
    }),
    getPhases: async () => ({
      phases: [
        {
          id: 'phase-4',
          title: 'Phase 4',
          checklists: [
            { id: 'completion', title: 'Completion', itemCount: 29 },
          ],
        },
      ],
    }),
    getOverview,
    getOverviewSummary,
    getPortfolioTrend,
    downloadOverviewCsv,
    ...overrides,
  });
  return {
    api,
    getOverview,
    getOverviewSummary,
    getPortfolioTrend,
    downloadOverviewCsv,
  };
}

async function renderPage(
  api: ReadinessApi,
  path = '/readiness',
  more: TestApiProviderProps<any>['apis'] = [],
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        ...more,
        [readinessApiRef, api],
        // Not an admin: no waiver requests panel.
        [
          permissionApiRef,
          mockApis.permission({ authorize: AuthorizeResult.DENY }),
        ],
        [
          catalogApiRef,
          catalogApiMock.mock({
            getEntityFacets: async () => ({
              facets: {
                'spec.owner': [
                  { value: 'payments-team', count: 9 },
                  { value: 'checkout-team', count: 5 },
                ],
                'spec.system': [{ value: 'payments', count: 7 }],
                'spec.lifecycle': [
                  { value: 'production', count: 15 },
                  { value: 'experimental', count: 2 },
                ],
              },
            }),
          }),
        ],
      ]}
    >
      <ReadinessPage />
      <Search />
    </TestApiProvider>,
    {
      routeEntries: [path],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
    },
  );
}

describe('ReadinessPage (overview)', () => {
  beforeAll(() => {
    // jsdom has no layout: give the virtualised body its height.
    jest
      .spyOn(HTMLElement.prototype, 'clientHeight', 'get')
      .mockImplementation(() => 560);
    jest
      .spyOn(HTMLElement.prototype, 'clientWidth', 'get')
      .mockImplementation(() => 1200);
  });
  afterAll(() => jest.restoreAllMocks());

  it('answers which services are not ready and why: least ready first, failing counts, weakest areas, phases, link to the tab', async () => {
    const { api, getOverview } = overviewApi();
    await renderPage(api);

    const table = await screen.findByRole('table', { name: 'Services' });
    await within(table).findByRole('rowheader', { name: 'fraud-detection' });
    expect(getOverview).toHaveBeenCalledWith({
      orderBy: 'level',
      order: 'asc',
      limit: 200,
      cursor: undefined,
    });
    const headers = within(table)
      .getAllByRole('columnheader')
      .map(h => h.textContent);
    expect(headers).toEqual([
      'Service',
      'Owner',
      'System',
      'Tier',
      'Level',
      'Score',
      'Failing checks',
      'Phase 4',
      'Weakest areas',
      'Lifecycle',
      'Evaluated',
    ]);
    expect(
      within(table).getByRole('columnheader', { name: /Level/ }),
    ).toHaveAttribute('aria-sort', 'ascending');

    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows).toHaveLength(3);
    const cells = within(rows[0]).getAllByRole('cell');
    expect(
      within(rows[0]).getByRole('link', { name: 'fraud-detection' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/fraud-detection/readiness',
    );
    expect(cells[0]).toHaveTextContent('payments-team');
    expect(cells[3]).toHaveTextContent('No level');
    expect(cells[4]).toHaveTextContent('40%');
    expect(cells[5]).toHaveTextContent('6 failing');
    expect(cells[7]).toHaveTextContent(
      'Disaster Recovery & Backup 0%, Auto-Scaling 50%',
    );
    expect(cells[6]).toHaveTextContent('3/29 (10%)');
    expect(cells[8]).toHaveTextContent('production');
    expect(within(rows[1]).getByTitle(/Stale/)).toBeInTheDocument();
    expect(within(rows[2]).getAllByRole('cell')[5]).toHaveTextContent('None');
    expect(screen.getByText('3 services')).toBeInTheDocument();

    // The summary per owner group and the portfolio trend.
    const owners = await screen.findByRole('table', {
      name: 'Summary per owner',
    });
    expect(
      within(owners).getByRole('row', {
        name: /payments-team 2 40% Bronze 1 · No level 1/,
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByText('reach no level').previousSibling,
    ).toHaveTextContent('1');
    expect(
      await screen.findByText(
        'The average score up 17 points: 41% on 2026-10-01, 58% on 2026-11-26.',
      ),
    ).toBeInTheDocument();
    // The catalog problems are still on the page.
    expect(
      await screen.findByText('No entity fails catalog validation.'),
    ).toBeInTheDocument();
  });

  it('filters by initiative, kept in the URL, and shows the initiatives and the live refresh of the overview', async () => {
    const signals = mockSignals();
    const { api, getOverview, getOverviewSummary } = overviewApi({
      getInitiatives: async () => ({
        items: [
          initiative('tier-1-silver', { title: 'All tier-1 services Silver' }),
          initiative('backups-rpo', { title: 'Backups meet RPO everywhere' }),
        ],
      }),
      getInitiative: async id => initiative(id),
    });
    await renderPage(api, '/readiness?initiative=backups-rpo', [
      [signalApiRef, signals.api],
    ]);

    await screen.findByRole('rowheader', { name: 'fraud-detection' });
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ initiative: 'backups-rpo' }),
    );
    expect(getOverviewSummary).toHaveBeenLastCalledWith({
      initiative: 'backups-rpo',
    });
    expect(
      await screen.findByRole('article', {
        name: 'All tier-1 services Silver',
      }),
    ).toBeInTheDocument();

    const select = screen.getByRole('button', { name: /Initiative/ });
    expect(select).toHaveTextContent('Backups meet RPO everywhere');
    await userEvent.click(select);
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'All tier-1 services Silver',
      }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Page query')).toHaveTextContent(
        '?initiative=tier-1-silver',
      ),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ initiative: 'tier-1-silver' }),
      ),
    );

    // A signal that the overview changed re-fetches it.
    const calls = getOverviewSummary.mock.calls.length;
    act(() =>
      signals.publish(READINESS_OVERVIEW_SIGNAL_CHANNEL, {
        changed: 2,
        at: '2026-11-26T12:00:00.000Z',
      }),
    );
    await waitFor(() =>
      expect(getOverviewSummary.mock.calls.length).toBeGreaterThan(calls),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Page query')).toHaveTextContent(''),
    );
  });

  it('reads the filters from the URL, writes changes back, and sorts', async () => {
    const { api, getOverview, getOverviewSummary, getPortfolioTrend } =
      overviewApi();
    await renderPage(api, '/readiness?owner=payments-team&tier=tier-1');

    await screen.findByRole('rowheader', { name: 'fraud-detection' });
    expect(getOverview).toHaveBeenLastCalledWith(
      expect.objectContaining({ owner: ['payments-team'], tier: ['tier-1'] }),
    );
    expect(getOverviewSummary).toHaveBeenLastCalledWith({
      owner: ['payments-team'],
      tier: ['tier-1'],
    });
    expect(getPortfolioTrend).toHaveBeenLastCalledWith({
      owner: ['payments-team'],
      tier: ['tier-1'],
      days: 90,
    });

    // Pick a level with the keyboard-accessible select.
    await userEvent.click(screen.getByRole('button', { name: /Level/ }));
    await userEvent.click(
      within(screen.getByRole('listbox')).getByRole('option', {
        name: 'No level',
      }),
    );
    await userEvent.keyboard('{Escape}');
    await waitFor(() =>
      expect(screen.getByLabelText('Page query')).toHaveTextContent(
        '?owner=payments-team&tier=tier-1&level=none',
      ),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ level: ['none'], owner: ['payments-team'] }),
      ),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by score' }),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ orderBy: 'score', order: 'asc' }),
      ),
    );
    expect(screen.getByLabelText('Page query')).toHaveTextContent(
      'orderBy=score&order=asc',
    );
    await userEvent.click(
      screen.getByRole('button', { name: 'Sort by score, now ascending' }),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ orderBy: 'score', order: 'desc' }),
      ),
    );

    await userEvent.click(
      screen.getByRole('button', { name: 'Clear filters' }),
    );
    await waitFor(() =>
      expect(screen.getByLabelText('Page query')).toHaveTextContent(
        '?orderBy=score&order=desc',
      ),
    );
  });

  it('filters to an owner group from the summary, and exports the view as CSV', async () => {
    const { api, downloadOverviewCsv, getOverview } = overviewApi();
    const createObjectURL = jest.fn(() => 'blob:readiness');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const click = jest
      .spyOn(HTMLAnchorElement.prototype, 'click')
      .mockImplementation(() => {});
    await renderPage(api);

    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Show only the services of checkout-team',
      }),
    );
    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ owner: ['group:default/checkout-team'] }),
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(downloadOverviewCsv).toHaveBeenCalledWith({
      owner: ['group:default/checkout-team'],
      orderBy: 'level',
      order: 'asc',
    });
    const link = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(link.download).toBe('readiness-overview.csv');
    expect(link.href).toBe('blob:readiness');
    click.mockRestore();
  });

  it('renders only the rows in view and fetches the next page before the end', async () => {
    const first: OverviewPage = {
      items: Array.from({ length: 200 }, (_, i) =>
        overviewItem(`service-${String(i).padStart(5, '0')}`),
      ),
      totalCount: 10_000,
      nextCursor: 'cursor-1',
    };
    const second: OverviewPage = {
      items: Array.from({ length: 200 }, (_, i) =>
        overviewItem(`service-${String(i + 200).padStart(5, '0')}`),
      ),
      totalCount: 10_000,
      nextCursor: 'cursor-2',
    };
    const getOverview = jest.fn(async (query?: OverviewQuery) =>
      query?.cursor === 'cursor-1' ? second : first,
    );
    const { api } = overviewApi({ getOverview });
    await renderPage(api);

    const table = await screen.findByRole('table', { name: 'Services' });
    await within(table).findByRole('rowheader', { name: 'service-00000' });
    expect(table).toHaveAttribute('aria-rowcount', '10001');
    // A window of rows, not 200.
    const rendered = within(table).getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(40);
    expect(
      screen.getByText('200 of 10,000 services loaded; scroll for more'),
    ).toBeInTheDocument();
    expect(getOverview).toHaveBeenCalledTimes(1);

    const body = screen.getByRole('rowgroup', {
      name: 'Services, scroll for more',
    });
    body.scrollTop = 170 * ROW_HEIGHT;
    fireEvent.scroll(body);

    await waitFor(() =>
      expect(getOverview).toHaveBeenLastCalledWith(
        expect.objectContaining({ cursor: 'cursor-1', limit: 200 }),
      ),
    );
    expect(
      await screen.findByText('400 of 10,000 services loaded; scroll for more'),
    ).toBeInTheDocument();
    // The rows scrolled to are rendered; the first ones are gone.
    expect(
      within(table).getByRole('link', { name: 'service-00170' }),
    ).toHaveAttribute('title', 'component:default/service-00170');
    expect(
      within(table).queryByRole('rowheader', { name: 'service-00000' }),
    ).toBeNull();
  });

  it('says so in plain words when nothing matches or the backend fails', async () => {
    const unavailable = await responseError(503, 'Service Unavailable');
    const failing = overviewApi({
      getOverview: async () => {
        throw unavailable;
      },
      getOverviewSummary: async () => {
        throw unavailable;
      },
      getCatalogProblems: async () => PROBLEMS,
    });
    await renderPage(failing.api);
    expect(
      await screen.findByText(
        /The services cannot be shown: The readiness backend did not answer/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        /The summary cannot be shown: The readiness backend did not answer/,
      ),
    ).toBeInTheDocument();
    const problems = await screen.findByRole('table', {
      name: 'Catalog validation problems',
    });
    expect(within(problems).getByText(RTO_ERROR)).toBeInTheDocument();
  });

  it('says when no service matches the filters', async () => {
    const empty = overviewApi({
      getOverview: async () => ({ items: [], totalCount: 0 }),
      getOverviewSummary: async () => ({
        total: 0,
        averageScore: null,
        levels: [],
        owners: [],
      }),
    });
    await renderPage(empty.api, '/readiness?system=nothing');
    expect(
      await screen.findByText(
        'No service matches these filters. Clear a filter to see more.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText('No service matches these filters.'),
    ).toBeInTheDocument();
  });
});
