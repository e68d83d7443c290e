import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { InitiativeEntity } from '@prodready/plugin-readiness-common';
import { ReadinessApi, readinessApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  initiative,
  mockReadinessApi,
  responseError,
} from '../../testUtils/fixtures';
import { ReadinessRouter } from '../ReadinessPage';
import { InitiativePage } from './InitiativePage';
import { InitiativesSection } from './InitiativesSection';
import { describeBurnUp } from './InitiativeWidgets';
import { daysLeftText, goalText, scopeText } from './initiativeText';

const ROUTES = {
  '/readiness': rootRouteRef,
  '/catalog/:namespace/:kind/:name': entityRouteRef,
};

function notMet(
  name: string,
  owner: string | null,
  missing: InitiativeEntity['missing'] = [],
): InitiativeEntity {
  return {
    entityRef: `component:default/${name}`,
    owner,
    state: 'not-met',
    missing,
    waived: [],
    level: 'bronze',
    score: 55,
  };
}

async function render(api: ReadinessApi, element: JSX.Element, path = '/') {
  return renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      {element}
    </TestApiProvider>,
    { mountedRoutes: ROUTES, routeEntries: [path] },
  );
}

describe('initiative texts', () => {
  it('says the goal, the scope and the time left in words', () => {
    expect(goalText({ type: 'level', level: 'silver' })).toBe(
      'Reach Silver or better',
    );
    expect(goalText({ type: 'checks', checks: ['a', 'b', 'c'] })).toBe(
      'Pass the checks a, b and c (or have them not apply)',
    );
    expect(goalText({ type: 'checklists', phase: 'phase-4' })).toBe(
      'Complete every checklist of phase phase-4',
    );
    expect(
      goalText({
        type: 'checklists',
        phase: 'phase-4',
        items: ['post-backups-verified'],
      }),
    ).toBe('Complete the item post-backups-verified of phase phase-4');
    expect(
      scopeText({ tiers: ['tier-1'], owners: ['group:default/payments'] }),
    ).toBe('Entities of tier tier-1; owned by payments');
    expect(daysLeftText(3)).toBe('3 days left');
    expect(daysLeftText(1)).toBe('1 day left');
    expect(daysLeftText(0)).toBe('Due today');
    expect(daysLeftText(-2)).toBe('2 days overdue');
    expect(describeBurnUp(initiative('x').burnUp, '2026-12-31')).toBe(
      '4 of 10 services met or exempt on Nov 26, 2026, 1 behind the ideal line (all 10 by Dec 31, 2026).',
    );
    expect(describeBurnUp([])).toBe('No progress recorded yet.');
  });
});

describe('InitiativesSection', () => {
  it('shows each initiative with progress, deadline, days left, phase and burn-up', async () => {
    const getInitiative = jest.fn(async (id: string) =>
      initiative(id, { title: 'All tier-1 services Silver' }),
    );
    const api = mockReadinessApi({
      getInitiatives: async () => ({
        items: [
          initiative('tier-1-silver', { title: 'All tier-1 services Silver' }),
          initiative('backups-rpo', {
            title: 'Backups meet RPO everywhere',
            goal: { type: 'checks', checks: ['backup-rpo'] },
            phase: 'ended',
            daysLeft: -3,
            progress: { total: 4, met: 2, exempt: 0, notMet: 2, percent: 50 },
          }),
        ],
      }),
      getInitiative,
    });
    await render(api, <InitiativesSection />);

    const silver = await screen.findByRole('article', {
      name: 'All tier-1 services Silver',
    });
    expect(
      within(silver).getByRole('progressbar', {
        name: 'Progress of All tier-1 services Silver: 4 of 10 met or exempt (40%)',
      }),
    ).toHaveAttribute('aria-valuenow', '40');
    expect(silver).toHaveTextContent('Reach Silver or better');
    expect(silver).toHaveTextContent('Deadline: Dec 31, 2026');
    expect(silver).toHaveTextContent('35 days left');
    expect(within(silver).getByLabelText('Phase: Active')).toBeInTheDocument();
    expect(
      await within(silver).findByText(/4 of 10 services met or exempt/),
    ).toBeInTheDocument();
    expect(
      within(silver).getByRole('img', {
        name: /^Burn-up of All tier-1 services Silver: 4 of 10/,
      }),
    ).toBeInTheDocument();
    expect(
      within(silver).getByRole('link', { name: 'All tier-1 services Silver' }),
    ).toHaveAttribute('href', '/readiness/initiatives/tier-1-silver');

    const backups = screen.getByRole('article', {
      name: 'Backups meet RPO everywhere',
    });
    expect(within(backups).getByText('3 days overdue')).toBeInTheDocument();
    expect(within(backups).getByLabelText('Phase: Ended')).toBeInTheDocument();
    expect(getInitiative).toHaveBeenCalledWith('backups-rpo');
  });

  it('says how to define initiatives when there are none', async () => {
    await render(
      mockReadinessApi({ getInitiatives: async () => ({ items: [] }) }),
      <InitiativesSection />,
    );
    expect(
      await screen.findByText(/No initiatives: define them in/),
    ).toHaveTextContent('readiness.initiatives');
  });

  it('says why in words when the initiatives cannot be loaded, and tries again', async () => {
    const error = await responseError(500, 'Internal Server Error', 'Boom');
    const getInitiatives = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue({ items: [] });
    await render(mockReadinessApi({ getInitiatives }), <InitiativesSection />);

    expect(await screen.findByRole('alert')).toHaveTextContent(
      /The initiatives cannot be shown: The readiness backend did not answer/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText(/No initiatives/)).toBeInTheDocument();
  });
});

describe('InitiativePage', () => {
  const CHECKS = async () => ({
    scorecard: { id: 'default', title: 'Default' },
    levels: [
      { id: 'bronze', title: 'Bronze', rank: 1 },
      { id: 'silver', title: 'Silver', rank: 2 },
    ],
    checks: [],
  });

  it('shows the goal, dates and progress, and the services not met by owner with what each lacks; loads more and exports CSV', async () => {
    const getInitiativeEntities = jest.fn(
      async (_id: string, query?: { cursor?: string }) =>
        query?.cursor
          ? {
              items: [notMet('ledger', 'group:default/payments')],
              totalCount: 3,
            }
          : {
              items: [
                notMet('payments-api', 'group:default/payments', [
                  {
                    type: 'check',
                    id: 'backup-rpo',
                    title: 'Backups meet the RPO',
                    message: 'No backup schedule',
                  },
                  {
                    type: 'checklist-item',
                    id: 'completion/dr-tested',
                    phaseId: 'phase-4',
                    title: 'Disaster recovery plan tested',
                  },
                ]),
                notMet('orphan', null, [
                  { type: 'level', id: 'silver', title: 'Silver' },
                ]),
              ],
              totalCount: 3,
              nextCursor: 'page-2',
            },
    );
    const downloadInitiativeEntitiesCsv = jest.fn(
      async () => new Blob(['entityRef\n'], { type: 'text/csv' }),
    );
    const createObjectURL = jest.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    const api = mockReadinessApi({
      getChecks: CHECKS,
      getInitiative: async id =>
        initiative(id, {
          title: 'All tier-1 services Silver',
          description: 'Tier-1 services must reach Silver.',
        }),
      getInitiativeEntities,
      downloadInitiativeEntitiesCsv,
      getInitiativeAudit: async () => ({
        entries: [
          {
            id: '1',
            initiativeId: 'tier-1-silver',
            action: 'created',
            who: 'user:default/alice',
            when: '2026-11-01T10:00:00.000Z',
            before: null,
            after: null,
          },
        ],
      }),
    });
    await render(api, <InitiativePage id="tier-1-silver" />);

    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'All tier-1 services Silver',
      }),
    ).toBeInTheDocument();
    expect(screen.getByText('Reach Silver or better')).toBeInTheDocument();
    expect(
      screen.getByText('Tier-1 services must reach Silver.'),
    ).toBeInTheDocument();
    expect(
      screen.getByText('Entities of kind Component; tier tier-1'),
    ).toBeInTheDocument();
    expect(screen.getByText('Nov 1, 2026 to Dec 31, 2026')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: 'platform' })).toHaveAttribute(
      'href',
      '/catalog/default/group/platform',
    );
    expect(
      screen.getByRole('progressbar', { name: /4 of 10 met or exempt/ }),
    ).toBeInTheDocument();

    // Not met, by owner, with what each lacks, linked to the tab.
    const payments = await screen.findByRole('list', {
      name: 'Services of payments not met',
    });
    const lacks = within(payments).getByRole('list', {
      name: 'What payments-api lacks',
    });
    expect(lacks).toHaveTextContent(
      'Check: Backups meet the RPO — No backup schedule',
    );
    expect(
      within(lacks).getByRole('link', { name: 'Backups meet the RPO' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/readiness#readiness-check-backup-rpo',
    );
    expect(
      within(lacks).getByRole('link', {
        name: 'Disaster recovery plan tested',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/readiness#readiness-item-phase-4--dr-tested',
    );
    expect(
      screen.getByRole('list', { name: 'Services of No owner not met' }),
    ).toHaveTextContent('Level: Silver');
    expect(
      screen.getByText('Showing 2 of 3 services not met, by owner.'),
    ).toBeInTheDocument();
    expect(getInitiativeEntities).toHaveBeenCalledWith('tier-1-silver', {
      state: ['not-met'],
      limit: 100,
      cursor: undefined,
    });

    // Owners collapse.
    const ownerToggle = screen.getByRole('button', {
      name: 'payments: 1 not met',
    });
    expect(ownerToggle).toHaveAttribute('aria-expanded', 'true');
    await userEvent.click(ownerToggle);
    expect(ownerToggle).toHaveAttribute('aria-expanded', 'false');

    // Load more.
    await userEvent.click(screen.getByRole('button', { name: 'Load more' }));
    expect(
      await screen.findByRole('button', { name: 'payments: 2 not met' }),
    ).toBeInTheDocument();
    expect(getInitiativeEntities).toHaveBeenLastCalledWith('tier-1-silver', {
      state: ['not-met'],
      limit: 100,
      cursor: 'page-2',
    });
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();

    // CSV export.
    await userEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() =>
      expect(downloadInitiativeEntitiesCsv).toHaveBeenCalledWith(
        'tier-1-silver',
      ),
    );
    expect(createObjectURL).toHaveBeenCalled();

    // The changes, loaded when opened.
    await userEvent.click(
      screen.getByRole('button', { name: 'Changes to this initiative' }),
    );
    expect(
      await screen.findByRole('list', { name: 'Changes to this initiative' }),
    ).toHaveTextContent(/Created by alice/);
  });

  it('says there is no such initiative on a 404, and why on other errors', async () => {
    const missing = await responseError(404, 'Not Found', 'No initiative');
    const { unmount } = await render(
      mockReadinessApi({
        getChecks: CHECKS,
        getInitiative: async () => {
          throw missing;
        },
      }),
      <InitiativePage id="gone" />,
    );
    expect(await screen.findByText('No such initiative')).toBeInTheDocument();
    unmount();

    const forbidden = await responseError(403, 'Forbidden', 'Not allowed');
    await render(
      mockReadinessApi({
        getChecks: CHECKS,
        getInitiative: async () => {
          throw forbidden;
        },
      }),
      <InitiativePage id="secret" />,
    );
    expect(
      await screen.findByText(/The initiative cannot be shown/),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/You are not allowed to see this initiative/),
    ).toBeInTheDocument();
  });

  it('says so when every service in scope is met', async () => {
    await render(
      mockReadinessApi({
        getChecks: CHECKS,
        getInitiative: async id =>
          initiative(id, {
            progress: { total: 2, met: 2, exempt: 0, notMet: 0, percent: 100 },
          }),
        getInitiativeEntities: async () => ({ items: [], totalCount: 0 }),
      }),
      <InitiativePage id="done" />,
    );
    expect(
      await screen.findByText(
        'Every service in scope meets this initiative or is exempt.',
      ),
    ).toBeInTheDocument();
  });

  it('is routed under the readiness page at initiatives/:id', async () => {
    await render(
      mockReadinessApi({
        getChecks: CHECKS,
        getInitiative: async id => initiative(id, { title: `Routed ${id}` }),
        getInitiativeEntities: async () => ({ items: [], totalCount: 0 }),
      }),
      <ReadinessRouter />,
      '/initiatives/backups-rpo',
    );
    expect(
      await screen.findByRole('heading', {
        level: 1,
        name: 'Routed backups-rpo',
      }),
    ).toBeInTheDocument();
  });
});
