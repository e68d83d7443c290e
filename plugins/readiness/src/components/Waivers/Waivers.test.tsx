import { EntityProvider } from '@backstage/plugin-catalog-react';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  EntityChecklistItem,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessWaiverApprovePermission,
  WaiverRequest,
} from '@prodready/plugin-readiness-common';
import { ReadinessApi, readinessApiRef } from '../../api';
import {
  checklists,
  mockReadinessApi,
  openItem,
  responseError,
  service,
  waiverRequest,
} from '../../testUtils/fixtures';
import { ChecklistsSection } from '../EntityReadinessContent/ChecklistsSection';
import { WaiverRequestsPanel } from './WaiverRequestsPanel';

const ENTITY_REF = 'component:default/payments-api';
const LOAD_TESTED = 'Load testing completed';
const DR_TESTED = 'Disaster recovery plan tested';

async function fill(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}

function permissions(allowed: string[]) {
  return mockApis.permission({
    authorize: (({ permission }: { permission: { name: string } }) =>
      allowed.includes(permission.name)
        ? AuthorizeResult.ALLOW
        : AuthorizeResult.DENY) as any,
  });
}

// usePermission caches its answers by permission and resource across tests:
// each test uses its own entity.
async function renderChecklists(
  api: ReadinessApi,
  allowed: string[],
  entityRef = ENTITY_REF,
) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [readinessApiRef, api],
        [permissionApiRef, permissions(allowed)],
      ]}
    >
      <EntityProvider entity={service('payments-api')}>
        <ChecklistsSection entityRef={entityRef} />
      </EntityProvider>
    </TestApiProvider>,
  );
}

function withRequest(
  item: EntityChecklistItem,
  request: WaiverRequest,
): EntityChecklistItem {
  return { ...item, waiverRequest: request } as EntityChecklistItem;
}

describe('waiver requests on checklist items', () => {
  it('lets an owner who may not waive request a waiver with a justification and an expiry, then shows it pending', async () => {
    const requestWaiver = jest.fn(
      async (
        _ref: unknown,
        item: { phaseId: string; itemId: string },
        input: { justification: string; expiresAt?: string },
      ) =>
        waiverRequest(item.itemId, {
          justification: input.justification,
          ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        }),
    );
    await renderChecklists(
      mockReadinessApi({
        getChecklists: async () =>
          checklists(ENTITY_REF, [
            openItem('load-tested', LOAD_TESTED),
            openItem('dr-tested', DR_TESTED),
          ]),
        requestWaiver,
      }),
      [readinessChecklistUpdatePermission.name],
    );

    expect(
      await screen.findByRole('button', {
        name: `Mark as done: ${LOAD_TESTED}`,
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByRole('button', { name: `Waive: ${LOAD_TESTED}` }),
    ).toBeNull();
    await userEvent.click(
      screen.getByRole('button', { name: `Request a waiver: ${LOAD_TESTED}` }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Request a waiver' });

    // The justification is required.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    expect(
      within(dialog).getByText(
        'Say why this item does not apply to this service.',
      ),
    ).toBeInTheDocument();
    expect(requestWaiver).not.toHaveBeenCalled();

    await fill(
      within(dialog).getByLabelText(/Justification/),
      'A batch job with no user traffic',
    );
    await fill(within(dialog).getByLabelText(/Expires on/), '2099-01-31');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(requestWaiver).toHaveBeenCalledWith(
      ENTITY_REF,
      { phaseId: 'phase-4', itemId: 'load-tested' },
      {
        justification: 'A batch job with no user traffic',
        expiresAt: '2099-01-31T23:59:59.000Z',
      },
    );
    expect(await screen.findByRole('status')).toHaveTextContent(
      `Waiver requested for "${LOAD_TESTED}"`,
    );
    const item = screen.getByRole('listitem', { name: LOAD_TESTED });
    expect(
      within(item).getByLabelText('Waiver request: pending'),
    ).toHaveTextContent(/Waiver requested by alice .*waiting for approval/);
    // No second request while one is pending.
    expect(
      within(item).queryByRole('button', { name: /Request a waiver/ }),
    ).toBeNull();
  });

  it("shows the item's request as the backend sends it: approved, denied or revoked, with the reason", async () => {
    await renderChecklists(
      mockReadinessApi({
        getChecklists: async () =>
          checklists('component:default/decided-api', [
            withRequest(
              openItem('load-tested', LOAD_TESTED),
              waiverRequest('load-tested', {
                status: 'denied',
                decidedBy: 'user:default/root',
                decidedAt: '2026-11-26T11:00:00.000Z',
                reason: 'Load tests are required for tier-1',
              }),
            ),
            withRequest(
              openItem('dr-tested', DR_TESTED),
              waiverRequest('dr-tested', {
                status: 'revoked',
                decidedBy: 'user:default/root',
                reason: 'Now in scope',
              }),
            ),
          ]),
      }),
      [readinessChecklistUpdatePermission.name],
      'component:default/decided-api',
    );

    const load = await screen.findByRole('listitem', { name: LOAD_TESTED });
    expect(
      within(load).getByLabelText('Waiver request: denied'),
    ).toHaveTextContent(
      /Waiver denied by root .*: Load tests are required for tier-1/,
    );
    // Denied: the owner may ask again.
    expect(
      within(load).getByRole('button', {
        name: `Request a waiver: ${LOAD_TESTED}`,
      }),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Waiver request: revoked')).toHaveTextContent(
      'Waiver revoked by root: Now in scope',
    );
  });

  it('offers to request a waiver when the backend refuses a direct waiver (403)', async () => {
    const forbidden = await responseError(
      403,
      'Forbidden',
      'Waivers need the approval of a readiness admin: request one',
    );
    const requestWaiver = jest.fn(async () => waiverRequest('load-tested'));
    const entityRef = 'component:default/refused-api';
    await renderChecklists(
      mockReadinessApi({
        getChecklists: async () =>
          checklists(entityRef, [openItem('load-tested', LOAD_TESTED)]),
        updateChecklistItem: async () => {
          throw forbidden;
        },
        requestWaiver,
      }),
      [
        readinessChecklistUpdatePermission.name,
        readinessChecklistWaivePermission.name,
      ],
      entityRef,
    );

    await userEvent.click(
      await screen.findByRole('button', { name: `Waive: ${LOAD_TESTED}` }),
    );
    let dialog = screen.getByRole('dialog');
    await fill(within(dialog).getByLabelText(/Justification/), 'Batch job');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Waive (not applicable)' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /Not saved: You are not allowed/,
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request a waiver instead' }),
    );

    dialog = screen.getByRole('dialog', { name: 'Request a waiver' });
    await fill(within(dialog).getByLabelText(/Justification/), 'Batch job');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Request waiver' }),
    );
    await waitFor(() => expect(requestWaiver).toHaveBeenCalledTimes(1));
    expect(requestWaiver).toHaveBeenCalledWith(
      entityRef,
      { phaseId: 'phase-4', itemId: 'load-tested' },
      { justification: 'Batch job' },
    );
  });
});

describe('WaiverRequestsPanel', () => {
  async function renderPanel(api: ReadinessApi, allowed: string[]) {
    await renderInTestApp(
      <TestApiProvider
        apis={[
          [readinessApiRef, api],
          [permissionApiRef, permissions(allowed)],
        ]}
      >
        <WaiverRequestsPanel />
      </TestApiProvider>,
    );
  }

  it('lists the pending requests for admins, and approves one with a reason', async () => {
    const pending = [
      waiverRequest('load-tested', { initiatives: ['tier-1-silver'] }),
      waiverRequest('dr-tested', { id: 'w-2' }),
    ];
    const getWaiverRequests = jest
      .fn()
      .mockResolvedValueOnce({ items: pending })
      .mockResolvedValue({ items: [pending[1]] });
    const decideWaiver = jest.fn(async (_id: string) => ({
      ...pending[0],
      status: 'approved' as const,
    }));
    await renderPanel(mockReadinessApi({ getWaiverRequests, decideWaiver }), [
      readinessWaiverApprovePermission.name,
    ]);

    const list = await screen.findByRole('list', {
      name: 'Pending waiver requests',
    });
    expect(getWaiverRequests).toHaveBeenCalledWith({ status: 'pending' });
    const first = within(list).getByRole('listitem', {
      name: 'payments-api: load-tested',
    });
    expect(first).toHaveTextContent('“A batch job with no user traffic”');
    expect(first).toHaveTextContent(/Requested by alice/);
    expect(first).toHaveTextContent('required by tier-1-silver');

    await userEvent.click(
      within(first).getByRole('button', {
        name: 'Approve the waiver of payments-api: load-tested',
      }),
    );
    const dialog = screen.getByRole('dialog');
    expect(dialog).toHaveTextContent('Approve the waiver of payments-api');
    // A reason is required.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );
    expect(within(dialog).getByText('Give a reason.')).toBeInTheDocument();
    expect(decideWaiver).not.toHaveBeenCalled();

    await fill(within(dialog).getByLabelText(/Reason/), 'No user traffic');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Approve' }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(decideWaiver).toHaveBeenCalledWith('w-load-tested', {
      decision: 'approve',
      reason: 'No user traffic',
    });
    expect(await screen.findByRole('status')).toHaveTextContent(
      'The waiver of payments-api: load-tested is approved.',
    );
    await waitFor(() =>
      expect(
        screen.queryByRole('listitem', { name: 'payments-api: load-tested' }),
      ).toBeNull(),
    );
  });

  it('denies with a reason and shows a refusal in the dialog', async () => {
    const forbidden = await responseError(403, 'Forbidden', 'Not an admin');
    const decideWaiver = jest.fn(async () => {
      throw forbidden;
    });
    await renderPanel(
      mockReadinessApi({
        getWaiverRequests: async () => ({
          items: [waiverRequest('load-tested')],
        }),
        decideWaiver,
      }),
      [readinessWaiverApprovePermission.name],
    );
    await userEvent.click(
      await screen.findByRole('button', {
        name: 'Deny the waiver of payments-api: load-tested',
      }),
    );
    const dialog = screen.getByRole('dialog');
    await fill(within(dialog).getByLabelText(/Reason/), 'Needed');
    await userEvent.click(within(dialog).getByRole('button', { name: 'Deny' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /Not saved: You are not allowed/,
    );
    expect(decideWaiver).toHaveBeenCalledWith('w-load-tested', {
      decision: 'deny',
      reason: 'Needed',
    });
  });

  it('is hidden on a 403', async () => {
    const forbidden = await responseError(403, 'Forbidden', 'Denied');
    await renderPanel(
      mockReadinessApi({
        getWaiverRequests: async () => {
          throw forbidden;
        },
      }),
      [readinessWaiverApprovePermission.name],
    );
    await waitFor(() =>
      expect(screen.queryByText('Waiver requests')).toBeNull(),
    );
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('says when nothing is waiting', async () => {
    await renderPanel(
      mockReadinessApi({ getWaiverRequests: async () => ({ items: [] }) }),
      [readinessWaiverApprovePermission.name],
    );
    expect(
      await screen.findByText('No waiver request is waiting.'),
    ).toBeInTheDocument();
  });
});
