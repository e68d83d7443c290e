import { ResponseError } from '@backstage/errors';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import {
  BUILT_IN_PHASES,
  CatalogValidationProblems,
  PHASE_4_DEPLOYMENT_AND_SCALING,
} from '@prodready/plugin-readiness-common';
import { ReadinessApi, readinessApiRef } from '../../api';
import { ReadinessPage } from './ReadinessPage';

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
    {
      entityRef: 'component:default/ledger-api',
      messages: ['Policy check failed for component:default/ledger-api'],
      firstSeenAt: '2026-11-26T11:58:00.000Z',
      lastSeenAt: '2026-11-26T12:01:00.000Z',
    },
  ],
};

/** The page uses the health and the catalog problems only. */
const unused = () => Promise.reject(new Error('Not used by the page'));

function mockApi(overrides: Partial<ReadinessApi> = {}): ReadinessApi {
  return {
    getHealth: async () => ({ status: 'ok' }),
    getCatalogProblems: async () => ({ items: [] }),
    getChecks: unused,
    getScorecard: unused,
    getHistory: unused,
    getTrend: unused,
    refresh: unused,
    getOverview: unused,
    getOverviewSummary: unused,
    getPortfolioTrend: unused,
    getOverviewCsvUrl: unused,
    downloadOverviewCsv: unused,
    getStatus: unused,
    ...overrides,
  };
}

function renderPage(api: ReadinessApi) {
  return renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <ReadinessPage />
    </TestApiProvider>,
  );
}

describe('ReadinessPage', () => {
  it('shows the Phase 4 checklists once the backend answers', async () => {
    await renderPage(mockApi());

    expect(
      await screen.findByText('Readiness backend connected'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { name: /Deployment & Scaling/ }),
    ).toBeInTheDocument();
    for (const checklist of PHASE_4_DEPLOYMENT_AND_SCALING.checklists) {
      const list = screen.getByRole('list', { name: checklist.title });
      expect(within(list).getAllByRole('listitem')).toHaveLength(
        checklist.items.length,
      );
    }
  });

  it('shows progress while the backend is being asked', async () => {
    await renderPage(
      mockApi({
        getHealth: () => new Promise(() => {}),
        getCatalogProblems: () => new Promise(() => {}),
      }),
    );

    // core-components' Progress appears after a short delay.
    expect(
      await screen.findByRole('progressbar', {
        name: 'Checking the readiness backend',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('progressbar', {
        name: 'Loading the catalog validation problems',
      }),
    ).toBeInTheDocument();
    expect(screen.queryByText('Readiness backend connected')).toBeNull();
  });

  it('explains in plain words when the backend cannot be reached', async () => {
    const unavailable = async () => {
      throw new Error('Request failed with 503 Service Unavailable');
    };
    await renderPage(
      mockApi({ getHealth: unavailable, getCatalogProblems: unavailable }),
    );

    expect(
      await screen.findByText('Error: The readiness backend cannot be reached'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/Request failed with 503 Service Unavailable/)[0],
    ).toBeVisible();
    // The programme itself still shows: it does not depend on the backend.
    expect(
      screen.getByRole('list', { name: 'Phase Completion Checklist' }),
    ).toBeInTheDocument();
  });

  describe('catalog validation problems', () => {
    it('lists the entities the catalog cannot process, above the phases', async () => {
      await renderPage(mockApi({ getCatalogProblems: async () => PROBLEMS }));

      const table = await screen.findByRole('table', {
        name: 'Catalog validation problems',
      });
      const headers = within(table)
        .getAllByRole('columnheader')
        .map(header => header.textContent);
      expect(headers).toEqual(['Entity', 'Defined in', 'Problem', 'Last seen']);

      const rows = within(table).getAllByRole('row').slice(1);
      expect(rows).toHaveLength(2);

      const [entity, definedIn, problem, lastSeen] = within(
        rows[0],
      ).getAllByRole('cell');
      expect(entity).toHaveTextContent('component:default/payouts-worker');
      expect(
        within(definedIn).getByRole('link', {
          name: /https:\/\/git\.example\.com\/payouts\/catalog-info\.yaml/,
        }),
      ).toHaveAttribute(
        'href',
        'https://git.example.com/payouts/catalog-info.yaml',
      );
      // Each message on its own line.
      expect(within(problem).getByText(RTO_ERROR)).toBeInTheDocument();
      expect(
        within(problem).getByText('prodready.dev/tier: tier-9 is not a tier'),
      ).toBeInTheDocument();
      expect(within(problem).getByText(RTO_ERROR)).not.toBe(
        within(problem).getByText('prodready.dev/tier: tier-9 is not a tier'),
      );
      expect(lastSeen.querySelector('time')).toHaveAttribute(
        'datetime',
        '2026-11-26T12:03:00.000Z',
      );

      const second = within(rows[1]).getAllByRole('cell');
      expect(second[0]).toHaveTextContent('component:default/ledger-api');
      expect(second[1]).toHaveTextContent('Unknown');

      // The section comes before the first phase.
      const section = screen.getByRole('region', {
        name: 'Catalog validation problems',
      });
      const firstPhase = screen.getByRole('region', {
        name: BUILT_IN_PHASES[0].title,
      });
      expect(
        section.compareDocumentPosition(firstPhase) &
          Node.DOCUMENT_POSITION_FOLLOWING,
      ).toBeTruthy();
    });

    it('says so when no entity fails validation', async () => {
      await renderPage(mockApi());

      expect(
        await screen.findByText('No entity fails catalog validation.'),
      ).toBeInTheDocument();
      expect(
        screen.queryByRole('table', { name: 'Catalog validation problems' }),
      ).toBeNull();
    });

    it('explains a refusal in plain words', async () => {
      const forbidden = await ResponseError.fromResponse(
        new Response(
          JSON.stringify({
            error: { name: 'NotAllowedError', message: 'Not allowed' },
            request: { method: 'GET', url: '/api/readiness/catalog-errors' },
            response: { statusCode: 403 },
          }),
          {
            status: 403,
            statusText: 'Forbidden',
            headers: { 'Content-Type': 'application/json' },
          },
        ),
      );
      await renderPage(
        mockApi({
          getCatalogProblems: async () => {
            throw forbidden;
          },
        }),
      );

      expect(
        await screen.findByText(
          'Error: The catalog validation problems cannot be shown',
        ),
      ).toBeInTheDocument();
      expect(
        screen.getByText(/You are not allowed to see them/),
      ).toBeInTheDocument();
      expect(
        screen.getByText('Request failed with 403 Forbidden'),
      ).toBeVisible();
      // The rest of the page still works.
      expect(
        await screen.findByText('Readiness backend connected'),
      ).toBeInTheDocument();
    });
  });
});
