import { Entity } from '@backstage/catalog-model';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { GroupRollup, RollupGroup } from '@prodready/plugin-readiness-common';
import readinessPlugin from '../../alpha';
import { ReadinessApi, readinessApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  mockReadinessApi,
  responseError,
  service,
} from '../../testUtils/fixtures';
import { EntityGroupReadinessCard } from './EntityGroupReadinessCard';

const GROUP: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Group',
  metadata: { name: 'engineering' },
  spec: { type: 'department', children: ['payments', 'checkout'] },
};

function figures(services: number, averageScore: number | null) {
  return {
    services,
    averageScore,
    levels: [
      { level: 'gold', count: Math.floor(services / 2) },
      { level: null, count: services - Math.floor(services / 2) },
    ],
  };
}

function group(name: string, services: number, descendants = 0): RollupGroup {
  return {
    group: `group:default/${name}`,
    direct: figures(0, null),
    total: figures(services, 60),
    descendants,
  };
}

function rollup(
  name: string,
  children: RollupGroup[],
  overrides: Partial<GroupRollup> = {},
): GroupRollup {
  return {
    ...group(name, 12, children.length),
    title: name === 'engineering' ? 'Engineering' : undefined,
    direct: figures(2, 70),
    children,
    initiativesDue: [],
    worstServices: [],
    ...overrides,
  };
}

async function renderCard(api: ReadinessApi) {
  await renderInTestApp(
    <TestApiProvider apis={[[readinessApiRef, api]]}>
      <EntityProvider entity={GROUP}>
        <EntityGroupReadinessCard />
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/readiness': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
}

const CHECKS = async () => ({
  scorecard: { id: 'default', title: 'Default' },
  levels: [{ id: 'gold', title: 'Gold', rank: 3 }],
  checks: [],
});

describe('EntityGroupReadinessCard', () => {
  it('shows the figures of the whole tree, the levels, sub-teams (drill down), initiatives due and the least ready services', async () => {
    const getGroupRollup = jest.fn(async (ref: unknown) => {
      if (ref === 'group:default/payments') {
        return rollup('payments', [group('payments-core', 3)]);
      }
      return rollup(
        'engineering',
        [group('payments', 7, 1), group('checkout', 3)],
        {
          initiativesDue: [
            {
              id: 'backups-rpo',
              title: 'Backups meet RPO everywhere',
              deadline: '2026-12-31',
              daysLeft: 5,
              inScope: 9,
              notMet: 4,
            },
          ],
          worstServices: [
            {
              entityRef: 'component:default/ledger',
              owner: 'group:default/payments',
              level: null,
              score: 12,
            },
          ],
        },
      );
    });
    await renderCard(mockReadinessApi({ getGroupRollup, getChecks: CHECKS }));

    expect(
      await screen.findByRole('img', { name: 'Levels: Gold 6 · No level 6' }),
    ).toBeInTheDocument();
    expect(getGroupRollup).toHaveBeenCalledWith('group:default/engineering');
    expect(screen.getByText('12')).toBeInTheDocument();
    expect(screen.getByText('60%')).toBeInTheDocument();

    const teams = screen.getByRole('list', { name: 'Sub-teams' });
    const payments = within(teams).getByRole('listitem', { name: 'payments' });
    expect(payments).toHaveTextContent(
      '7 services · average 60% · Gold 3 · No level 4 · 1 sub-group',
    );
    expect(
      within(payments).getByRole('link', { name: 'payments' }),
    ).toHaveAttribute('href', '/catalog/default/group/payments');
    // A leaf has nothing to expand.
    const checkout = within(teams).getByRole('listitem', { name: 'checkout' });
    expect(within(checkout).queryByRole('button')).toBeNull();

    // Drill down into payments.
    const expand = within(payments).getByRole('button', {
      name: 'Expand payments',
    });
    expect(expand).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(expand);
    const nested = await within(payments).findByRole('list', {
      name: 'Sub-groups of payments',
    });
    expect(getGroupRollup).toHaveBeenCalledWith('group:default/payments');
    expect(
      within(nested).getByRole('listitem', { name: 'payments-core' }),
    ).toHaveTextContent('3 services');
    await userEvent.click(
      within(payments).getByRole('button', { name: 'Collapse payments' }),
    );
    expect(
      within(payments).queryByRole('list', { name: 'Sub-groups of payments' }),
    ).toBeNull();

    const due = screen.getByRole('list', { name: 'Initiatives due' });
    expect(due).toHaveTextContent('4 of 9 not met');
    expect(due).toHaveTextContent('5 days left');
    expect(
      within(due).getByRole('link', { name: 'Backups meet RPO everywhere' }),
    ).toHaveAttribute('href', '/readiness/initiatives/backups-rpo');

    const worst = screen.getByRole('list', { name: 'Least ready services' });
    expect(within(worst).getByRole('link', { name: 'ledger' })).toHaveAttribute(
      'href',
      '/catalog/default/component/ledger/readiness',
    );
    expect(within(worst).getByLabelText('Level: No level')).toBeInTheDocument();
    expect(worst).toHaveTextContent('12%');
  });

  it('says when there is nothing due and no service evaluated', async () => {
    await renderCard(
      mockReadinessApi({
        getGroupRollup: async () => rollup('engineering', []),
        getChecks: CHECKS,
      }),
    );
    expect(await screen.findByText('No sub-group.')).toBeInTheDocument();
    expect(
      screen.getByText('No initiative is waiting on these services.'),
    ).toBeInTheDocument();
    expect(screen.getByText('No service evaluated yet.')).toBeInTheDocument();
  });

  it('says why in words when the roll-up cannot be loaded, and tries again', async () => {
    const error = await responseError(500, 'Internal Server Error', 'Boom');
    const getGroupRollup = jest
      .fn()
      .mockRejectedValueOnce(error)
      .mockResolvedValue(rollup('engineering', []));
    await renderCard(mockReadinessApi({ getGroupRollup, getChecks: CHECKS }));

    expect(await screen.findByRole('alert')).toHaveTextContent(
      /The readiness of this team cannot be shown: The readiness backend did not answer/,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('No sub-group.')).toBeInTheDocument();
  });

  it('is an entity card of groups only in the new frontend system', () => {
    const tester = createExtensionTester(
      readinessPlugin.getExtension('entity-card:readiness/group-readiness'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(GROUP)).toBe(true);
    expect(filter?.(service('payments-api'))).toBe(false);
  });
});
