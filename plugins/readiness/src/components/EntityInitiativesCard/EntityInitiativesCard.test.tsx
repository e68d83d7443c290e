import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { signalApiRef } from '@backstage/plugin-signals-react';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { act, screen, waitFor, within } from '@testing-library/react';
import {
  EntityInitiatives,
  READINESS_ENTITY_SIGNAL_CHANNEL,
  READINESS_OVERVIEW_SIGNAL_CHANNEL,
} from '@prodready/plugin-readiness-common';
import readinessPlugin from '../../alpha';
import { ReadinessApi, readinessApiRef } from '../../api';
import { rootRouteRef } from '../../routes';
import {
  mockReadinessApi,
  mockSignals,
  responseError,
  scorecard,
  service,
} from '../../testUtils/fixtures';
import { EntityReadinessCard } from '../EntityReadinessCard';
import { EntityInitiativesCard } from './EntityInitiativesCard';

const ENTITY_REF = 'component:default/payments-api';

const IN_TWO: EntityInitiatives = {
  entityRef: ENTITY_REF,
  items: [
    {
      initiative: {
        id: 'backups-rpo',
        title: 'Backups meet RPO everywhere',
        owner: 'group:default/platform',
        startDate: '2026-11-01',
        deadline: '2026-12-15',
        phase: 'active',
        daysLeft: -2,
        goal: { type: 'checks', checks: ['backup-rpo'] },
      },
      state: 'not-met',
      missing: [
        {
          type: 'check',
          id: 'backup-rpo',
          title: 'Backups meet the RPO',
          message: 'No backup schedule',
        },
      ],
      waived: [],
    },
    {
      initiative: {
        id: 'tier-1-silver',
        title: 'All tier-1 services Silver',
        owner: 'group:default/platform',
        startDate: '2026-11-01',
        deadline: '2027-01-31',
        phase: 'active',
        daysLeft: 40,
        goal: { type: 'level', level: 'silver' },
      },
      state: 'met',
      missing: [],
      waived: [],
    },
  ],
};

async function renderCard(
  api: ReadinessApi,
  signals = mockSignals(),
  element: JSX.Element = <EntityInitiativesCard />,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [readinessApiRef, api],
        [signalApiRef, signals.api],
        [permissionApiRef, mockApis.permission()],
      ]}
    >
      <EntityProvider entity={service('payments-api')}>
        {element}
      </EntityProvider>
    </TestApiProvider>,
    {
      mountedRoutes: {
        '/readiness': rootRouteRef,
        '/catalog/:namespace/:kind/:name': entityRouteRef,
      },
    },
  );
  return signals;
}

describe('EntityInitiativesCard', () => {
  it("shows each initiative with its due date, days left, the service's state and what is left, linked to the tab", async () => {
    const getEntityInitiatives = jest.fn(async () => IN_TWO);
    await renderCard(
      mockReadinessApi({
        getEntityInitiatives,
        getChecks: async () => {
          throw new Error('no checks');
        },
      }),
    );

    const list = await screen.findByRole('list', {
      name: 'Initiatives of this service',
    });
    const backups = within(list).getByRole('listitem', {
      name: 'Backups meet RPO everywhere',
    });
    expect(backups).toHaveTextContent('Due Dec 15, 2026');
    expect(within(backups).getByText('2 days overdue')).toBeInTheDocument();
    expect(
      within(backups).getByLabelText('State: Not met'),
    ).toBeInTheDocument();
    expect(
      within(backups).getByRole('link', {
        name: 'Backups meet RPO everywhere',
      }),
    ).toHaveAttribute('href', '/readiness/initiatives/backups-rpo');
    expect(
      within(backups).getByRole('link', { name: 'Backups meet the RPO' }),
    ).toHaveAttribute(
      'href',
      '/catalog/default/component/payments-api/readiness#readiness-check-backup-rpo',
    );
    expect(backups).toHaveTextContent('No backup schedule');

    const silver = within(list).getByRole('listitem', {
      name: 'All tier-1 services Silver',
    });
    expect(within(silver).getByLabelText('State: Met')).toBeInTheDocument();
    expect(silver).toHaveTextContent('40 days left');
    expect(silver).toHaveTextContent('Reach Silver or better');
    expect(getEntityInitiatives).toHaveBeenCalledWith(ENTITY_REF);
  });

  it('says when the service is in no initiative', async () => {
    await renderCard(
      mockReadinessApi({
        getEntityInitiatives: async () => ({
          entityRef: ENTITY_REF,
          items: [],
        }),
        getChecks: async () => {
          throw new Error('no checks');
        },
      }),
    );
    expect(
      await screen.findByText('This service is in no initiative.'),
    ).toBeInTheDocument();
  });

  it('says why in words when the initiatives cannot be loaded', async () => {
    const error = await responseError(403, 'Forbidden', 'Denied');
    await renderCard(
      mockReadinessApi({
        getEntityInitiatives: async () => {
          throw error;
        },
        getChecks: async () => {
          throw new Error('no checks');
        },
      }),
    );
    expect(await screen.findByRole('alert')).toHaveTextContent(
      /You are not allowed to see the initiatives of this service/,
    );
  });

  it('reloads when the backend signals that this entity was re-evaluated, not another', async () => {
    const getEntityInitiatives = jest.fn(async () => IN_TWO);
    const signals = await renderCard(
      mockReadinessApi({
        getEntityInitiatives,
        getChecks: async () => {
          throw new Error('no checks');
        },
      }),
    );
    await screen.findByRole('list', { name: 'Initiatives of this service' });
    expect(getEntityInitiatives).toHaveBeenCalledTimes(1);

    act(() =>
      signals.publish(READINESS_ENTITY_SIGNAL_CHANNEL, {
        entityRefs: ['component:default/other'],
        evaluatedAt: '2026-11-26T12:00:00.000Z',
      }),
    );
    act(() =>
      signals.publish(READINESS_OVERVIEW_SIGNAL_CHANNEL, {
        changed: 3,
        at: '2026-11-26T12:00:00.000Z',
      }),
    );
    expect(getEntityInitiatives).toHaveBeenCalledTimes(1);

    act(() =>
      signals.publish(READINESS_ENTITY_SIGNAL_CHANNEL, {
        entityRefs: ['Component:default/Payments-API'],
        evaluatedAt: '2026-11-26T12:01:00.000Z',
      }),
    );
    await waitFor(() => expect(getEntityInitiatives).toHaveBeenCalledTimes(2));
    // The list stays shown while it reloads.
    expect(
      screen.getByRole('list', { name: 'Initiatives of this service' }),
    ).toBeInTheDocument();
  });

  it('re-fetches the scorecard on a signal for its entity, keeping it shown', async () => {
    const getScorecard = jest.fn(async (ref: unknown) =>
      scorecard(String(ref)),
    );
    const signals = await renderCard(
      mockReadinessApi({ getScorecard }),
      mockSignals(),
      <EntityReadinessCard />,
    );
    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(signals.subscribers(READINESS_ENTITY_SIGNAL_CHANNEL)).toBe(1);

    act(() =>
      signals.publish(READINESS_ENTITY_SIGNAL_CHANNEL, {
        entityRefs: [ENTITY_REF],
        evaluatedAt: '2026-11-26T12:01:00.000Z',
      }),
    );
    await waitFor(() => expect(getScorecard).toHaveBeenCalledTimes(2));
    expect(screen.getByLabelText('Level: Bronze')).toBeInTheDocument();
  });

  it('works without a signals API', async () => {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [
            readinessApiRef,
            mockReadinessApi({
              getEntityInitiatives: async () => IN_TWO,
              getChecks: async () => {
                throw new Error('no checks');
              },
            }),
          ],
        ]}
      >
        <EntityProvider entity={service('payments-api')}>
          <EntityInitiativesCard />
        </EntityProvider>
      </TestApiProvider>,
    );
    const list = await screen.findByRole('list', {
      name: 'Initiatives of this service',
    });
    // Without the routes, the titles are plain text.
    expect(within(list).queryByRole('link')).toBeNull();
  });

  it('is an entity card of components in the new frontend system', () => {
    const tester = createExtensionTester(
      readinessPlugin.getExtension('entity-card:readiness/initiatives'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);
    expect(filter?.(service('payments-api'))).toBe(true);
    expect(filter?.({ ...service('payments-team'), kind: 'Group' })).toBe(
      false,
    );
  });
});
