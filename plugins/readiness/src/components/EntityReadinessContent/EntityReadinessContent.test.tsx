import { Entity } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import {
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { EntityContentBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import {
  AuditEntry,
  ChecklistItemUpdateRequest,
  EntityChecklistItem,
  RemediationPlan,
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
} from '@prodready/plugin-readiness-common';
import readinessPlugin from '../../alpha';
import {
  ChecklistConflictError,
  ReadinessApi,
  readinessApiRef,
} from '../../api';
import {
  checklists,
  DEPLOYMENT_RESULTS,
  mockReadinessApi,
  observedFacts,
  openItem,
  remediationPlan,
  responseError,
  scorecard,
  service,
  storedFacts,
} from '../../testUtils/fixtures';
import { parseUnifiedDiff } from '../common/DiffView';
import { EntityReadinessContent } from './EntityReadinessContent';

const NOW = new Date('2026-11-26T12:00:00Z');

/** Types into a field at once (key by key is slow in jsdom). */
async function fill(field: HTMLElement, text: string) {
  await userEvent.click(field);
  await userEvent.paste(text);
}
const DR_TESTED = 'Disaster recovery plan tested';
const LOAD_TESTED = 'Load testing completed';

async function renderTab(
  entity: Entity,
  api: ReadinessApi,
  allowed: { update: boolean; waive: boolean },
) {
  const authorize = jest.fn(
    ({ permission }: { permission: { name: string } }) => {
      if (permission.name === readinessChecklistUpdatePermission.name) {
        return allowed.update ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
      }
      if (permission.name === readinessChecklistWaivePermission.name) {
        return allowed.waive ? AuthorizeResult.ALLOW : AuthorizeResult.DENY;
      }
      return AuthorizeResult.DENY;
    },
  );
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [readinessApiRef, api],
        [
          permissionApiRef,
          mockApis.permission({ authorize: authorize as any }),
        ],
      ]}
    >
      <EntityProvider entity={entity}>
        <EntityReadinessContent now={NOW} />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** An API with a scorecard, a trend, two open items and an empty audit trail. */
function tabApi(overrides: Partial<ReadinessApi> = {}): ReadinessApi {
  return mockReadinessApi({
    getScorecard: async ref => scorecard(String(ref)),
    getTrend: async () => ({
      items: [
        { day: '2026-11-01', level: null, levelRank: 0, score: 40, areas: {} },
        {
          day: '2026-11-26',
          level: 'bronze',
          levelRank: 1,
          score: 62.5,
          areas: {},
        },
      ],
    }),
    getChecklists: async ref =>
      checklists(String(ref), [
        openItem('dr-tested', DR_TESTED),
        openItem('load-tested', LOAD_TESTED),
      ]),
    getChecklistAudit: async () => ({ entries: [] }),
    getRemediation: async ref =>
      remediationPlan(String(ref), { fixes: [], unfixable: [], files: [] }),
    // No Prometheus is configured.
    getFacts: async ref => storedFacts(String(ref)),
    getEntityInitiatives: async ref => ({ entityRef: String(ref), items: [] }),
    ...overrides,
  });
}

/** The scorecard of {@link tabApi} with two more failing deployment checks. */
async function deploymentScorecard(ref: unknown) {
  const base = scorecard(String(ref));
  return { ...base, results: [...base.results, ...DEPLOYMENT_RESULTS] };
}

const PDB = 'A PodDisruptionBudget that leaves room to drain';
const HPA_MAX = 'HPA max replicas covers the peak';
const HPA_CAPACITY = 'HPA capacity covers the peak';

/** The lines of a rendered diff: the element each is in, and its text. */
function renderedDiff(diff: HTMLElement): string[][] {
  return Array.from(diff.querySelectorAll('code > *')).map(line => [
    line.tagName.toLowerCase(),
    line.textContent ?? '',
  ]);
}

function doneItem(
  item: EntityChecklistItem,
  update: Partial<EntityChecklistItem['state']>,
): EntityChecklistItem {
  return {
    ...item,
    state: { ...item.state, status: 'done', ...update },
    effectiveStatus: 'done',
  };
}

describe('EntityReadinessContent', () => {
  it('shows the whole scorecard by area, failing areas open, and the trend in words', async () => {
    await renderTab(service('tab-scorecard'), tabApi(), {
      update: false,
      waive: false,
    });

    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    // Areas in the programme's order, with score and what to fix.
    const drArea = screen.getByRole('button', {
      name: /Disaster Recovery & Backup 0% · 1 to fix/,
    });
    expect(drArea).toHaveAttribute('aria-expanded', 'true');
    const monitoring = screen.getByRole('button', {
      name: /Monitoring & Alerting 100% · 1 to fix/,
    });
    expect(monitoring).toHaveAttribute('aria-expanded', 'true');
    // Failing first; the passing ones on request.
    const scalingList = screen.getByRole('list', {
      name: 'Auto-Scaling checks',
    });
    expect(within(scalingList).getAllByRole('listitem')).toHaveLength(1);
    await userEvent.click(
      screen.getByRole('button', {
        name: 'Show 1 passing or not applicable check',
      }),
    );
    const scaling = within(scalingList).getAllByRole('listitem');
    expect(scaling.map(i => i.getAttribute('aria-label'))).toEqual([
      'HPA max replicas covers the peak',
      'HorizontalPodAutoscaler configured',
    ]);
    expect(within(scaling[1]).getByText('Passing')).toBeInTheDocument();
    // The advice in words, then the example as code.
    expect(scaling[0]).toHaveTextContent(
      'How to fix: Raise maxReplicas to at least 15:',
    );
    expect(
      within(scaling[0]).getByLabelText(
        'Example for HPA max replicas covers the peak',
      ),
    ).toHaveTextContent('spec: maxReplicas: 15');
    expect(
      screen.getByRole('listitem', { name: 'SLO alerts defined' }),
    ).toHaveTextContent('How to fix: follow this example.');
    // A passing check has no "how to fix".
    expect(within(scaling[1]).queryByText(/How to fix/)).toBeNull();

    expect(
      await screen.findByText(
        'The score up 23 points: 40% on 2026-11-01, 63% on 2026-11-26.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('img', { name: /Chart: The score up 23 points/ }),
    ).toBeInTheDocument();

    // Without permission: the items are listed, with no action.
    const list = await screen.findByRole('list', {
      name: 'Phase Completion Checklist',
    });
    expect(within(list).getAllByRole('listitem')).toHaveLength(2);
    expect(within(list).queryByRole('button')).toBeNull();
    expect(
      screen.getByText(
        /Only the owners of this service and readiness administrators/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'No checklist item of this service has been changed yet.',
      ),
    ).toBeInTheDocument();
  });

  it('attests an item with evidence, rejecting a link that is not http(s), and reloads progress and audit', async () => {
    const entityRef = 'component:default/tab-attest';
    const item = openItem('dr-tested', DR_TESTED);
    let saved: EntityChecklistItem | undefined;
    const updateChecklistItem = jest.fn(
      async (
        _ref: unknown,
        _which: { phaseId: string; itemId: string },
        update: ChecklistItemUpdateRequest,
      ) => {
        saved = doneItem(item, {
          version: 1,
          attestedBy: 'user:default/guest',
          attestedAt: '2026-11-26T11:59:00.000Z',
          evidenceUrl: update.evidenceUrl,
          note: update.note,
        });
        return saved;
      },
    );
    const audit: AuditEntry[] = [];
    const api = tabApi({
      getChecklists: async () =>
        checklists(entityRef, [
          saved ?? item,
          openItem('load-tested', LOAD_TESTED),
        ]),
      updateChecklistItem,
      getChecklistAudit: async () => ({ entries: [...audit] }),
    });
    await renderTab(service('tab-attest'), api, { update: true, waive: false });

    await userEvent.click(
      await screen.findByRole('button', { name: `Mark as done: ${DR_TESTED}` }),
    );
    const dialog = screen.getByRole('dialog', { name: 'Mark as done' });
    // Waiving is not offered without the waive permission.
    expect(
      screen.queryByRole('button', { name: `Waive: ${DR_TESTED}` }),
    ).toBeNull();

    const evidence = within(dialog).getByLabelText(/Evidence URL/);
    await fill(evidence, 'ftp://files.example.com/dr.pdf');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark as done' }),
    );
    expect(
      within(dialog).getByText(
        /Evidence URL: 'ftp:\/\/files.example.com\/dr.pdf' is not an http\(s\) URL/,
      ),
    ).toBeInTheDocument();
    expect(updateChecklistItem).not.toHaveBeenCalled();

    await userEvent.clear(evidence);
    await fill(evidence, 'https://wiki.example.com/dr-test-2026');
    await fill(within(dialog).getByLabelText('Note'), 'Failover in 38 min');
    audit.push({
      id: '1',
      entityRef,
      phaseId: 'phase-4',
      checklistId: 'completion',
      itemId: 'dr-tested',
      who: 'user:default/guest',
      when: '2026-11-26T11:59:00.000Z',
      before: null,
      after: {
        status: 'done',
        version: 1,
        evidenceUrl: 'https://wiki.example.com/dr-test-2026',
        note: 'Failover in 38 min',
      },
    });
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark as done' }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(updateChecklistItem).toHaveBeenCalledWith(
      entityRef,
      { phaseId: 'phase-4', itemId: 'dr-tested' },
      {
        status: 'done',
        evidenceUrl: 'https://wiki.example.com/dr-test-2026',
        note: 'Failover in 38 min',
        expectedVersion: 0,
      },
    );
    expect(
      await screen.findByText(`Saved: "${DR_TESTED}" is now done.`),
    ).toBeInTheDocument();
    expect(
      await screen.findByRole('heading', {
        name: /Phase Completion Checklist — 1 of 2 done/,
      }),
    ).toBeInTheDocument();
    const row = screen.getByRole('listitem', { name: DR_TESTED });
    expect(within(row).getByLabelText('Status: Done')).toBeInTheDocument();
    expect(within(row).getByText(/Attested by guest/)).toBeInTheDocument();
    expect(within(row).getByRole('link', { name: /Evidence/ })).toHaveAttribute(
      'href',
      'https://wiki.example.com/dr-test-2026',
    );

    const trail = await screen.findByRole('table', { name: 'Audit trail' });
    const entry = within(trail).getAllByRole('row')[1];
    expect(entry).toHaveTextContent(DR_TESTED);
    expect(entry).toHaveTextContent('Never set → Done');
    expect(entry).toHaveTextContent('guest');
    expect(entry).toHaveTextContent('Note: Failover in 38 min');
  });

  it("shows someone else's conflicting change and applies the user's on top when asked", async () => {
    const entityRef = 'component:default/tab-conflict';
    const item = openItem('load-tested', LOAD_TESTED);
    const theirs = doneItem(item, {
      version: 3,
      attestedBy: 'user:default/alice',
      attestedAt: '2026-11-26T11:58:00.000Z',
      evidenceUrl: 'https://perf.example.com/run/41',
      note: 'p95 180ms at 1.5x peak',
    });
    const updateChecklistItem = jest
      .fn()
      .mockImplementationOnce(async () => {
        throw new ChecklistConflictError('Version 0 is stale', theirs);
      })
      .mockImplementationOnce(
        async (_r, _w, update: ChecklistItemUpdateRequest) => ({
          ...item,
          state: {
            ...item.state,
            status: 'not-applicable',
            version: 4,
            justification: update.justification,
          },
          effectiveStatus: 'not-applicable',
        }),
      );
    await renderTab(
      service('tab-conflict'),
      tabApi({
        getChecklists: async () => checklists(entityRef, [item]),
        updateChecklistItem,
      }),
      { update: true, waive: true },
    );

    await userEvent.click(
      await screen.findByRole('button', { name: `Waive: ${LOAD_TESTED}` }),
    );
    const dialog = screen.getByRole('dialog', {
      name: 'Waive (not applicable)',
    });
    // A justification is required.
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Waive (not applicable)' }),
    );
    expect(
      within(dialog).getByText(
        'Say why this item does not apply to this service.',
      ),
    ).toBeInTheDocument();
    await fill(
      within(dialog).getByLabelText(/Justification/),
      'Batch job: no user traffic',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Waive (not applicable)' }),
    );

    const conflict = await within(dialog).findByRole('alert', {
      name: 'Someone else changed this item',
    });
    expect(conflict).toHaveTextContent('It is now Done — by alice');
    expect(conflict).toHaveTextContent('Note: p95 180ms at 1.5x peak');
    expect(
      within(conflict).getByRole('link', { name: /perf.example.com\/run\/41/ }),
    ).toBeInTheDocument();
    // The user's input is kept; the retry is based on their version.
    expect(within(dialog).getByLabelText(/Justification/)).toHaveValue(
      'Batch job: no user traffic',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Apply my change on top' }),
    );

    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
    expect(updateChecklistItem).toHaveBeenCalledTimes(2);
    expect(updateChecklistItem.mock.calls[0][2]).toEqual({
      status: 'not-applicable',
      justification: 'Batch job: no user traffic',
      expectedVersion: 0,
    });
    expect(updateChecklistItem.mock.calls[1][2]).toEqual({
      status: 'not-applicable',
      justification: 'Batch job: no user traffic',
      expectedVersion: 3,
    });
  });

  it('keeps the dialog open with the reason in words when the backend refuses', async () => {
    const entityRef = 'component:default/tab-refused';
    const forbidden = await responseError(403, 'Forbidden', 'Not allowed');
    await renderTab(
      service('tab-refused'),
      tabApi({
        getChecklists: async () =>
          checklists(entityRef, [openItem('dr-tested', DR_TESTED)]),
        updateChecklistItem: async () => {
          throw forbidden;
        },
      }),
      { update: true, waive: false },
    );
    await userEvent.click(
      await screen.findByRole('button', { name: `Mark as done: ${DR_TESTED}` }),
    );
    const dialog = screen.getByRole('dialog');
    await fill(
      within(dialog).getByLabelText(/Evidence URL/),
      'https://wiki.example.com/dr',
    );
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Mark as done' }),
    );
    expect(await within(dialog).findByRole('alert')).toHaveTextContent(
      /Not saved: You are not allowed to see this checklist|Not saved: You are not allowed/,
    );
  });

  it('says in plain words when nothing was evaluated and the checklists cannot be loaded', async () => {
    const notFound = await responseError(404, 'Not Found');
    const unavailable = await responseError(503, 'Service Unavailable');
    await renderTab(
      service('tab-errors'),
      mockReadinessApi({
        getScorecard: async () => {
          throw notFound;
        },
        getChecklists: async () => {
          throw unavailable;
        },
        getChecklistAudit: async () => {
          throw unavailable;
        },
      }),
      { update: false, waive: false },
    );

    expect(await screen.findByText('Not evaluated yet')).toBeInTheDocument();
    expect(
      await screen.findByText('Error: The checklists cannot be shown'),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Error: The audit trail cannot be shown'),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/The readiness backend did not answer/).length,
    ).toBeGreaterThanOrEqual(2);
  });

  it("shows this service's patch under each check it fixes, why the others get none, and a prefilled link to the fix template", async () => {
    const entityRef = 'component:default/fraud-detection';
    let resolvePlan: (plan: RemediationPlan) => void = () => {};
    const getRemediation = jest.fn(
      () =>
        new Promise<RemediationPlan>(resolve => {
          resolvePlan = resolve;
        }),
    );
    await renderTab(
      service('fraud-detection'),
      tabApi({ getScorecard: deploymentScorecard, getRemediation }),
      { update: false, waive: false },
    );

    // The scorecard does not wait for the plan; the generic examples show
    // while it loads.
    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(
      screen.getByText('Working out the patch for this service…'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText(`Example for ${PDB}`)).toHaveTextContent(
      'name: my-service',
    );
    expect(getRemediation).toHaveBeenCalledWith(entityRef);

    act(() => resolvePlan(remediationPlan('fraud-detection')));

    const pdb = screen.getByRole('listitem', { name: PDB });
    const pdbFix = await within(pdb).findByRole('group', {
      name: `Fix for this service: ${PDB}`,
    });
    expect(
      screen.queryByText('Working out the patch for this service…'),
    ).toBeNull();
    expect(pdbFix).toHaveTextContent(
      'Fix for this service: Add a PodDisruptionBudget (maxUnavailable 1) that selects the pods of fraud-detection Read the guide',
    );
    expect(
      within(pdbFix).getByRole('link', { name: /Read the guide/ }),
    ).toHaveAttribute(
      'href',
      'https://kubernetes.io/docs/tasks/run-application/configure-pdb/',
    );
    // The service's diff, line by line: added lines are insertions, the
    // appended document's `---` included; no generic example any more.
    expect(
      renderedDiff(within(pdb).getByLabelText(`Patch for ${PDB}`)),
    ).toEqual([
      ['span', '--- a/deployment.yaml'],
      ['span', '+++ b/deployment.yaml'],
      ['span', '@@ -18,2 +18,10 @@'],
      ['span', '       - name: app'],
      ['span', '         image: registry.example.com/fraud-detection:1.4.2'],
      ['ins', '+---'],
      ['ins', '+apiVersion: policy/v1'],
      ['ins', '+kind: PodDisruptionBudget'],
      ['ins', '+metadata:'],
      ['ins', '+  name: fraud-detection'],
      ['ins', '+spec:'],
      ['ins', '+  maxUnavailable: 1'],
      [
        'ins',
        '+  selector: { matchLabels: { app.kubernetes.io/name: fraud-detection } }',
      ],
    ]);
    expect(within(pdb).queryByText(/my-service/)).toBeNull();
    expect(within(pdb).queryByLabelText(`Example for ${PDB}`)).toBeNull();
    expect(within(pdb).queryByText(/How to fix/)).toBeNull();

    const hpaMax = screen.getByRole('listitem', { name: HPA_MAX });
    expect(hpaMax).toHaveTextContent(
      'Fix for this service: Raise maxReplicas of fraud-detection from 6 to 15',
    );
    expect(
      renderedDiff(within(hpaMax).getByLabelText(`Patch for ${HPA_MAX}`)),
    ).toEqual([
      ['span', '--- a/hpa.yaml'],
      ['span', '+++ b/hpa.yaml'],
      ['span', '@@ -6,3 +6,3 @@'],
      ['span', '   minReplicas: 2'],
      ['del', '-  maxReplicas: 6'],
      ['ins', '+  maxReplicas: 15'],
      ['span', '   metrics:'],
    ]);
    expect(
      within(hpaMax).queryByLabelText(`Example for ${HPA_MAX}`),
    ).toBeNull();

    // A check the patch cannot fix: why, then the generic advice.
    const capacity = screen.getByRole('listitem', { name: HPA_CAPACITY });
    expect(capacity).toHaveTextContent(
      'No automatic fix: the capacity of one pod is unknown; only a load test can tell it.How to fix: Load test one pod and record its capacity:',
    );
    expect(
      within(capacity).getByLabelText(`Example for ${HPA_CAPACITY}`),
    ).toHaveTextContent('prodready.dev/per-pod-rps: "120"');
    // A check outside the plan keeps its generic advice only.
    const dr = screen.getByRole('listitem', {
      name: 'Disaster recovery tested on schedule',
    });
    expect(dr).toHaveTextContent(
      'How to fix: Run a DR test and set prodready.dev/dr-last-tested.',
    );
    expect(
      within(dr).queryByText(/No automatic fix|Fix for this service/),
    ).toBeNull();

    // One button for the whole patch, to the template prefilled with the entity.
    expect(
      screen.getByText(
        /A patch of 2 files fixes 2 failing checks of this service/,
      ),
    ).toBeInTheDocument();
    // A LinkButton: a link that looks (and is announced) like a button.
    const fixAll = screen.getByRole('button', {
      name: 'Fix all deployment checks (2)',
    });
    const href = fixAll.getAttribute('href') ?? '';
    expect(href).toBe(
      '/create/templates/default/fix-readiness?formData=%7B%22entity%22%3A%22component%3Adefault%2Ffraud-detection%22%7D',
    );
    const url = new URL(href, 'http://localhost');
    expect(JSON.parse(url.searchParams.get('formData') ?? '')).toEqual({
      entity: entityRef,
    });
    expect(getRemediation).toHaveBeenCalledTimes(1);
  });

  it('keeps the scorecard and the generic examples when the patch cannot be computed, and tries again', async () => {
    const unavailable = await responseError(503, 'Service Unavailable');
    const getRemediation = jest
      .fn()
      .mockRejectedValueOnce(unavailable)
      .mockResolvedValueOnce(remediationPlan('tab-plan-error'));
    await renderTab(
      service('tab-plan-error'),
      tabApi({ getScorecard: deploymentScorecard, getRemediation }),
      { update: false, waive: false },
    );

    const alert = await screen.findByText(
      /The fixes for this service cannot be shown/,
    );
    expect(alert.closest('[role="alert"]')).toHaveTextContent(
      /The readiness backend did not answer, so the patch for this service cannot be shown\..*The generic examples are shown instead\./,
    );
    // The rest of the tab is there: the scorecard and every generic example.
    expect(screen.getByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(screen.getByLabelText(`Example for ${PDB}`)).toHaveTextContent(
      'name: my-service',
    );
    expect(screen.getByLabelText(`Example for ${HPA_MAX}`)).toBeInTheDocument();
    expect(
      screen.queryByRole('group', { name: /Fix for this service/ }),
    ).toBeNull();
    expect(
      screen.queryByRole('button', { name: /Fix all deployment checks/ }),
    ).toBeNull();
    expect(
      await screen.findByRole('list', { name: 'Phase Completion Checklist' }),
    ).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Try again' }));

    expect(
      await screen.findByRole('button', {
        name: 'Fix all deployment checks (2)',
      }),
    ).toBeInTheDocument();
    expect(
      screen.queryByText(/The fixes for this service cannot be shown/),
    ).toBeNull();
    expect(screen.getByLabelText(`Patch for ${PDB}`)).toBeInTheDocument();
  });

  it('asks for no patch when every check passes', async () => {
    const getRemediation = jest.fn();
    await renderTab(
      service('tab-all-pass'),
      tabApi({
        getScorecard: async ref => {
          const base = scorecard(String(ref));
          return {
            ...base,
            results: base.results.map(r => ({ ...r, status: 'pass' as const })),
          };
        },
        getRemediation,
      }),
      { update: false, waive: false },
    );

    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: /Auto-Scaling 50% · nothing to fix/ }),
    ).toBeInTheDocument();
    expect(getRemediation).not.toHaveBeenCalled();
    expect(screen.queryByText(/patch/)).toBeNull();
    expect(screen.queryByRole('button', { name: /Fix all/ })).toBeNull();
  });

  it('shows what the service delivered next to its targets, read from Prometheus', async () => {
    const getFacts = jest.fn(async (ref: unknown) =>
      storedFacts(
        String(ref),
        observedFacts({
          availabilityPercent: 99.82,
          errorRatePercent: 0.18,
          errorBudget: {
            ...observedFacts().errorBudget!,
            consumedPercent: 180,
            remainingPercent: 0,
            exhausted: true,
            usedText: '1h 12m 35s',
          },
          burnRate: { oneHour: 3.2, sixHours: 2.1 },
        }),
        { stale: true, error: 'Prometheus timed out after 10 s' },
      ),
    );
    await renderTab(service('tab-observed'), tabApi({ getFacts }), {
      update: false,
      waive: false,
    });

    const card = (
      await screen.findByRole('heading', {
        level: 2,
        name: 'Observed service levels',
      })
    ).closest('.MuiCard-root') as HTMLElement;
    expect(getFacts).toHaveBeenCalledWith('component:default/tab-observed');
    const table = await within(card).findByRole('table', {
      name: 'Target vs observed',
    });
    const rowText = (label: string) =>
      within(table).getByRole('rowheader', { name: label }).closest('tr')
        ?.textContent;
    expect(rowText('Availability')).toBe('Availability99.9%99.82%Missed');
    expect(rowText('p95 latency')).toBe('p95 latency200 ms143 msp99 388 msMet');
    expect(rowText('5xx rate')).toBe('5xx rate0.1%0.18%Missed');
    expect(
      within(card).getByText('1h 12m 35s of 40m 19s used (180%) · 0% left'),
    ).toBeInTheDocument();
    expect(
      within(card).getByText(/^Error budget exhausted/),
    ).toBeInTheDocument();
    expect(within(card).getByTestId('burn-rate-1h')).toHaveTextContent('3.2×');
    expect(
      within(card).getAllByTestId('availability-sparkline-point'),
    ).toHaveLength(28);
    expect(within(card).getByRole('alert')).toHaveTextContent(
      'The last read of Prometheus failed: Prometheus timed out after 10 s. These values were read 5 min ago.',
    );
  });

  it('says, in a line, when no Prometheus is configured', async () => {
    await renderTab(service('tab-no-prometheus'), tabApi(), {
      update: false,
      waive: false,
    });

    expect(
      await screen.findByText(
        /^Observed service levels: no Prometheus is configured/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', {
        name: /^Observed service levels \(Prometheus\)/,
      }),
    ).toBeInTheDocument();
  });

  it('shows no observed service levels for what Prometheus does not observe', async () => {
    const getFacts = jest.fn(async (ref: unknown) => storedFacts(String(ref)));
    const library = {
      ...service('tab-library'),
      spec: {
        type: 'library',
        lifecycle: 'production',
        owner: 'payments-team',
      },
    };
    await renderTab(library, tabApi({ getFacts }), {
      update: false,
      waive: false,
    });

    expect(await screen.findByLabelText('Level: Bronze')).toBeInTheDocument();
    expect(
      screen.queryByRole('heading', { name: 'Observed service levels' }),
    ).toBeNull();
    expect(getFacts).not.toHaveBeenCalled();
  });

  it('is the Readiness tab of components in the new frontend system', () => {
    const tester = createExtensionTester(
      readinessPlugin.getExtension('entity-content:readiness/readiness'),
    );
    expect(tester.get(EntityContentBlueprint.dataRefs.title)).toBe('Readiness');
    const filter = tester.get(EntityContentBlueprint.dataRefs.filterFunction);
    expect(filter?.(service('payments-api'))).toBe(true);
    expect(filter?.({ ...service('payments-team'), kind: 'Group' })).toBe(
      false,
    );
  });
});

describe('parseUnifiedDiff', () => {
  it('tells file headers from removed lines by the counts of the hunks', () => {
    const diff = [
      'diff --git a/app.yaml b/app.yaml',
      'index 1a2b3c4..5d6e7f8 100644',
      '--- a/app.yaml',
      '+++ b/app.yaml',
      '@@ -1,3 +1,1 @@',
      ' kind: Deployment',
      '----',
      '--- x',
      '\\ No newline at end of file',
      '--- a/hpa.yaml',
      '+++ b/hpa.yaml',
      '@@ -2 +2 @@',
      '-  maxReplicas: 6',
      '+++ counter',
      '',
    ].join('\n');

    expect(parseUnifiedDiff(diff).map(l => [l.kind, l.text])).toEqual([
      ['file', 'diff --git a/app.yaml b/app.yaml'],
      ['file', 'index 1a2b3c4..5d6e7f8 100644'],
      ['file', '--- a/app.yaml'],
      ['file', '+++ b/app.yaml'],
      ['hunk', '@@ -1,3 +1,1 @@'],
      ['context', ' kind: Deployment'],
      ['removed', '----'],
      ['removed', '--- x'],
      ['note', '\\ No newline at end of file'],
      ['file', '--- a/hpa.yaml'],
      ['file', '+++ b/hpa.yaml'],
      ['hunk', '@@ -2 +2 @@'],
      ['removed', '-  maxReplicas: 6'],
      ['added', '+++ counter'],
    ]);
  });
});
