import { Entity } from '@backstage/catalog-model';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { readinessRefreshPermission } from '@prodready/plugin-readiness-common';
import readinessPlugin from '../../alpha';
import { ReadinessApi, readinessApiRef } from '../../api';
import {
  mockReadinessApi,
  responseError,
  scorecard,
  service,
} from '../../testUtils/fixtures';
import { EntityReadinessCard } from './EntityReadinessCard';

const NOW = new Date('2026-11-26T12:00:00Z');

async function renderCard(
  entity: Entity,
  api: ReadinessApi,
  allowRefresh: boolean,
) {
  const authorize = jest.fn(() =>
    allowRefresh ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [readinessApiRef, api],
        [permissionApiRef, mockApis.permission({ authorize })],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityReadinessCard now={NOW} />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  return { authorize };
}

describe('EntityReadinessCard', () => {
  it('shows the level in words, failing checks first with how to fix them, and the area scores', async () => {
    const getScorecard = jest.fn(async (ref: unknown) =>
      scorecard(String(ref)),
    );
    await renderCard(
      service('card-data'),
      mockReadinessApi({ getScorecard }),
      false,
    );

    expect(await screen.findByLabelText('Level: Bronze')).toHaveTextContent(
      'Bronze',
    );
    expect(getScorecard).toHaveBeenCalledWith('component:default/card-data');
    expect(screen.getByText('Score 63%')).toBeInTheDocument();
    expect(screen.getByText('Evaluated')).toHaveTextContent(
      'Evaluated 10 min ago',
    );

    const failing = screen.getByRole('list', { name: 'Failing checks' });
    const items = within(failing).getAllByRole('listitem');
    // Two failing and one warning; the passing check is not listed.
    expect(items.map(item => item.getAttribute('aria-label'))).toEqual([
      'Disaster recovery tested on schedule',
      'HPA max replicas covers the peak',
      'SLO alerts defined',
    ]);
    expect(within(items[0]).getByText('Failing')).toBeInTheDocument();
    expect(
      within(items[0]).getByText(
        /The last DR test \(2026-02-10\) is 289 days old/,
      ),
    ).toBeInTheDocument();
    expect(
      within(items[0]).getByText(
        /Run a DR test and set prodready.dev\/dr-last-tested/,
      ),
    ).toBeInTheDocument();
    expect(
      within(items[0]).getByRole('link', { name: /Read the guide/ }),
    ).toHaveAttribute('href', 'https://docs.example.com/dr-testing');
    expect(within(items[2]).getByText('Warning')).toBeInTheDocument();
    // The card gives the advice in words; examples are in the tab.
    expect(items[1]).toHaveTextContent(
      'How to fix: Raise maxReplicas to at least 15: …',
    );
    expect(items[2]).toHaveTextContent(
      'How to fix: see the example in the Readiness tab.',
    );
    expect(within(items[1]).queryByText(/maxReplicas: 15/)).toBeNull();
    expect(
      screen.getByRole('heading', { name: 'Failing checks (3)' }),
    ).toBeInTheDocument();

    const areas = screen.getByRole('table', { name: 'Scores per area' });
    expect(
      within(areas).getByRole('row', { name: /Auto-Scaling 50% 1/ }),
    ).toBeInTheDocument();
    expect(
      within(areas).getByRole('row', {
        name: /Disaster Recovery & Backup 0% 1/,
      }),
    ).toBeInTheDocument();

    // Owners only: no refresh button for this user; and no stale warning.
    expect(screen.queryByRole('button', { name: /Evaluate now/ })).toBeNull();
    expect(screen.queryByText(/may be out of date/)).toBeNull();
    // The card links to the full tab.
    expect(
      screen.getByRole('link', { name: /Open the Readiness tab/ }),
    ).toHaveAttribute('href', '/catalog/default/component/card-data/readiness');
  });

  it('lists at most maxFailing checks and links to the tab for the rest; warns when stale', async () => {
    const api = mockReadinessApi({
      getScorecard: async ref =>
        scorecard(String(ref), {
          stale: true,
          staleReason: 'The source repository could not be read: 503',
        }),
    });
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [readinessApiRef, api],
          [permissionApiRef, mockApis.permission()],
        ]}
      >
        <EntityProvider entity={service('card-stale')}>
          <EntityReadinessCard now={NOW} maxFailing={1} />
        </EntityProvider>
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );

    const failing = await screen.findByRole('list', { name: 'Failing checks' });
    expect(within(failing).getAllByRole('listitem')).toHaveLength(1);
    expect(
      screen.getByRole('link', {
        name: 'See all 3 failing checks in the Readiness tab',
      }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/card-stale/readiness',
    );
    const stale = screen.getByRole('status');
    expect(stale).toHaveTextContent('These results may be out of date.');
    expect(stale).toHaveTextContent(
      'The source repository could not be read: 503',
    );
  });

  it('lets an owner re-evaluate, and shows the fresh results', async () => {
    const refresh = jest.fn(async (ref: unknown) =>
      scorecard(String(ref), {
        level: 'silver',
        levelTitle: 'Silver',
        score: 90,
        evaluatedAt: '2026-11-26T11:59:30.000Z',
        results: [],
        areas: [],
      }),
    );
    const { authorize } = await renderCard(
      service('card-refresh'),
      mockReadinessApi({
        getScorecard: async ref => scorecard(String(ref)),
        refresh,
      }),
      true,
    );

    const button = await screen.findByRole('button', { name: 'Evaluate now' });
    expect(authorize).toHaveBeenCalledWith(
      expect.objectContaining({
        permission: expect.objectContaining({
          name: readinessRefreshPermission.name,
        }),
        resourceRef: 'component:default/card-refresh',
      }),
    );
    await userEvent.click(button);

    expect(await screen.findByLabelText('Level: Silver')).toBeInTheDocument();
    expect(refresh).toHaveBeenCalledWith('component:default/card-refresh');
    expect(screen.getByText('Score 90%')).toBeInTheDocument();
    expect(
      screen.getByText('Every applicable check passes.'),
    ).toBeInTheDocument();
  });

  it('says when the service was never evaluated, and a failed refresh in words', async () => {
    const notFound = await responseError(404, 'Not Found');
    const unavailable = await responseError(503, 'Service Unavailable');
    await renderCard(
      service('card-new'),
      mockReadinessApi({
        getScorecard: async () => {
          throw notFound;
        },
        refresh: async () => {
          throw unavailable;
        },
      }),
      true,
    );

    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Evaluate now' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /The evaluation failed: The readiness backend did not answer.*Request failed with 503 Service Unavailable/,
    );
  });

  it('shows progress, then an error in plain words that can be retried', async () => {
    let calls = 0;
    const unavailable = await responseError(503, 'Service Unavailable');
    let resolveFirst: () => void = () => {};
    const getScorecard = jest.fn(async (ref: unknown) => {
      calls += 1;
      if (calls === 1) {
        await new Promise<void>(resolve => {
          resolveFirst = resolve;
        });
        throw unavailable;
      }
      return scorecard(String(ref));
    });
    await renderCard(
      service('card-error'),
      mockReadinessApi({ getScorecard }),
      false,
    );

    expect(
      await screen.findByRole('progressbar', {
        name: 'Loading the readiness scorecard',
      }),
    ).toBeInTheDocument();
    resolveFirst();
    expect(
      await screen.findByText('Error: The readiness scorecard cannot be shown'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/The readiness backend did not answer/),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    await waitFor(() => expect(getScorecard).toHaveBeenCalledTimes(2));
  });

  it('is an entity card of components in the new frontend system', () => {
    const tester = createExtensionTester(
      readinessPlugin.getExtension('entity-card:readiness/readiness'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(service('payments-api'))).toBe(true);
    expect(filter?.({ ...service('payments-team'), kind: 'Group' })).toBe(
      false,
    );
  });
});
