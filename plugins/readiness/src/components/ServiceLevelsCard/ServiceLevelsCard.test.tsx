import { Entity } from '@backstage/catalog-model';
import { AlphaEntity } from '@backstage/catalog-model/alpha';
import {
  catalogApiRef,
  entityRouteRef,
  EntityProvider,
} from '@backstage/plugin-catalog-react';
import { EntityCardBlueprint } from '@backstage/plugin-catalog-react/alpha';
import { catalogApiMock } from '@backstage/plugin-catalog-react/testUtils';
import { createExtensionTester } from '@backstage/frontend-test-utils';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { screen, waitFor, within } from '@testing-library/react';
import {
  DR_PLAN_RESOURCE_TYPE,
  SLA_RESOURCE_TYPE,
} from '@prodready/plugin-readiness-common';
import readinessPlugin from '../../alpha';
import { ReadinessApi, readinessApiRef } from '../../api';
import {
  mockReadinessApi,
  observedFacts,
  storedFacts,
} from '../../testUtils/fixtures';
import { ServiceLevelsCard } from './ServiceLevelsCard';

const NOW = new Date('2026-11-26T12:00:00Z');

function component(
  name: string,
  annotations: Record<string, string> = {},
  extra: Partial<AlphaEntity> = {},
): AlphaEntity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', lifecycle: 'production', owner: 'team-payments' },
    ...extra,
  };
}

const SLA_GOLD: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'sla-gold', namespace: 'default' },
  spec: {
    type: SLA_RESOURCE_TYPE,
    owner: 'team-sre',
    targets: {
      availability: '99.9',
      latencyP95: '200ms',
      latencyP99: '500ms',
      errorRate: '0.05%',
      peakRps: '1200',
    },
  },
};

const DR_PLAN_PAYMENTS: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Resource',
  metadata: { name: 'dr-plan-payments', namespace: 'default' },
  spec: {
    type: DR_PLAN_RESOURCE_TYPE,
    owner: 'team-payments',
    rto: '8h',
    rpo: '1h',
    backupRetention: '30d',
    drTestInterval: '180d',
    lastTested: '2026-01-01',
    planUrl: 'https://docs.example.com/payments/disaster-recovery',
  },
};

async function renderCard(
  entity: Entity,
  catalogApi: Partial<typeof catalogApiRef.T> = catalogApiMock({
    entities: [SLA_GOLD, DR_PLAN_PAYMENTS],
  }),
  // No Prometheus is configured unless a test says otherwise.
  readinessApi: ReadinessApi = mockReadinessApi({
    getFacts: async ref => storedFacts(String(ref)),
  }),
) {
  return renderInTestApp(
    <TestApiProvider
      apis={[
        [catalogApiRef, catalogApi],
        [readinessApiRef, readinessApi],
      ]}
    >
      <EntityProvider entity={entity}>
        <ServiceLevelsCard now={NOW} />
      </EntityProvider>
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

/** The list item that holds an element. */
function itemOf(element: HTMLElement) {
  const item = element.closest('li');
  if (!item) {
    throw new Error('Not in a list item');
  }
  return item;
}

/** The row of a values table whose header cell is `label`. */
function row(table: string, label: string) {
  const header = within(screen.getByRole('table', { name: table })).getByRole(
    'rowheader',
    { name: label },
  );
  const tableRow = header.closest('tr');
  if (!tableRow) {
    throw new Error(`No row for ${label}`);
  }
  return tableRow;
}

describe('ServiceLevelsCard', () => {
  it('shows inline values and values of the resolved SLA and DR plan, with their sources and links', async () => {
    await renderCard(
      component('payments', {
        'prodready.dev/tier': 'tier-1',
        'prodready.dev/availability': '99.95',
        'prodready.dev/latency-p95': '150ms',
        'prodready.dev/rto': '4h',
        'prodready.dev/backup-schedule': '0 * * * *',
        'prodready.dev/dr-last-tested': '2026-10-01',
        'prodready.dev/runbook-url': 'https://runbooks.example.com/payments',
        'prodready.dev/sla-ref': 'sla-gold',
        'prodready.dev/dr-plan-ref': 'dr-plan-payments',
      }),
    );

    expect(
      await screen.findByRole('table', { name: 'Targets' }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', {
        level: 2,
        name: 'Service levels & recovery',
      }),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('heading', { level: 3, name: 'Disaster recovery' }),
    ).toBeInTheDocument();

    // Inline annotations win over the plans.
    expect(row('Targets', 'Tier')).toHaveTextContent('tier-1Inline annotation');
    expect(row('Targets', 'Availability')).toHaveTextContent(
      '99.95%Inline annotation',
    );
    expect(row('Targets', 'p95 latency')).toHaveTextContent(
      '150msInline annotation',
    );
    // The rest comes from the shared SLA, linked to its entity page.
    const p99 = row('Targets', 'p99 latency');
    expect(p99).toHaveTextContent('500ms');
    expect(p99).toHaveTextContent('Shared SLA');
    expect(within(p99).getByRole('link', { name: /sla-gold/ })).toHaveAttribute(
      'href',
      '/catalog/default/resource/sla-gold',
    );
    expect(row('Targets', 'Error-rate budget (5xx)')).toHaveTextContent(
      '0.05%Shared SLA',
    );
    expect(row('Targets', 'Peak throughput')).toHaveTextContent(
      '1,200 requests/s',
    );

    // RTO inline, RPO and retention from the DR plan.
    const recovery = 'Recovery & backups';
    expect(row(recovery, 'Recovery time objective (RTO)')).toHaveTextContent(
      '4hInline annotation',
    );
    const rpo = row(recovery, 'Recovery point objective (RPO)');
    expect(rpo).toHaveTextContent('1hDisaster recovery plan');
    expect(
      within(rpo).getByRole('link', { name: /dr-plan-payments/ }),
    ).toHaveAttribute('href', '/catalog/default/resource/dr-plan-payments');
    expect(row(recovery, 'Backup schedule')).toHaveTextContent(
      'Every hour, on the hour (0 * * * *), at most 1h apart',
    );
    expect(row(recovery, 'Backup retention')).toHaveTextContent('30d');
    expect(
      screen.getByText(
        'Meets the RPO: backups are at most 1h apart and the RPO is 1h.',
      ),
    ).toBeInTheDocument();

    // DR testing: the inline date wins over the plan's.
    expect(
      screen.getByText(
        'Last tested 2026-10-01, 56 days ago. Up to date: tested every 180d, next due by 2027-03-30.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('link', { name: /^Disaster recovery plan/ }),
    ).toHaveAttribute(
      'href',
      'https://docs.example.com/payments/disaster-recovery',
    );
    expect(screen.getByRole('link', { name: /^Runbook/ })).toHaveAttribute(
      'href',
      'https://runbooks.example.com/payments',
    );

    expect(screen.getByText('No problems found.')).toBeInTheDocument();
  });

  it('marks seed defaults and reports a missing DR plan and an SLA that is not in the catalog', async () => {
    await renderCard(
      component('search', {
        'prodready.dev/availability': '99.5%',
        'prodready.dev/sla-ref': 'resource:default/sla-missing',
      }),
    );

    expect(await screen.findByRole('table', { name: 'Targets' })).toBeVisible();
    expect(row('Targets', 'Availability')).toHaveTextContent(
      '99.5%Inline annotation',
    );
    expect(row('Targets', 'p95 latency')).toHaveTextContent(
      '200msSeed default',
    );
    expect(row('Targets', 'Error-rate budget (5xx)')).toHaveTextContent(
      '0.1%Seed default',
    );
    expect(row('Targets', 'p99 latency')).toHaveTextContent('Not set');
    expect(
      row('Recovery & backups', 'Recovery time objective (RTO)'),
    ).toHaveTextContent('Not set');

    const findings = within(screen.getByRole('list', { name: 'Findings' }));
    expect(
      findings.getByText(/^No recovery objective \(RTO or RPO\) is set/),
    ).toBeInTheDocument();
    // A plan that is not found is a finding, not a crash.
    expect(
      findings.getByText(
        /resource:default\/sla-missing .* was not found in the catalog/,
      ),
    ).toBeInTheDocument();
    expect(findings.getAllByTitle('Error')).toHaveLength(1);
    expect(findings.getAllByTitle('Warning')).toHaveLength(1);
  });

  it('explains bad annotation values and catalog processing errors in plain words', async () => {
    await renderCard(
      component(
        'legacy-billing',
        {
          'prodready.dev/availability': 'high',
          'prodready.dev/rto': '4 hours',
          'prodready.dev/backup-schedule': '0 25 * * *',
          'prodready.dev/tierr': 'tier-2',
        },
        {
          status: {
            items: [
              {
                type: 'backstage.io/catalog-processing',
                level: 'error',
                message:
                  'InputError: Processor ReadinessEntityProcessor threw an error',
                error: {
                  name: 'InputError',
                  message:
                    'prodready.dev/dr-plan-ref: resource:default/dr-plan-legacy is not a disaster-recovery-plan',
                },
              },
              {
                type: 'example.com/unrelated',
                level: 'info',
                message: 'Not a processing error',
              },
            ],
          },
        },
      ),
    );

    const annotations = within(
      await screen.findByRole('list', {
        name: 'Annotations that could not be read',
      }),
    );
    expect(annotations.getAllByRole('listitem')).toHaveLength(4);
    expect(
      annotations.getByText(
        /^prodready.dev\/availability: 'high' is not a percentage/,
      ),
    ).toBeInTheDocument();
    expect(
      annotations.getByText(/^prodready.dev\/rto: '4 hours' is not a duration/),
    ).toBeInTheDocument();
    expect(
      annotations.getByText(/prodready.dev\/backup-schedule: '0 25 \* \* \*'/),
    ).toBeInTheDocument();
    expect(
      annotations.getByText(/did you mean prodready.dev\/tier\?/),
    ).toBeInTheDocument();
    expect(
      annotations.getByText(
        "Fix prodready.dev/rto in the entity's catalog-info.yaml.",
      ),
    ).toBeInTheDocument();

    const processing = within(
      screen.getByRole('list', { name: 'Catalog processing errors' }),
    );
    expect(processing.getAllByRole('listitem')).toHaveLength(1);
    expect(
      processing.getByText(
        'prodready.dev/dr-plan-ref: resource:default/dr-plan-legacy is not a disaster-recovery-plan',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByText('Not a processing error')).toBeNull();

    // Bad values are not used: the seed default applies instead.
    expect(row('Targets', 'Availability')).toHaveTextContent(
      '99.9%Seed default',
    );
  });

  it('explains how to add annotations when the entity declares none', async () => {
    const catalogApi = catalogApiMock.mock();
    await renderCard(component('new-service'), catalogApi);

    expect(
      await screen.findByText('No service levels declared'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(/declares no prodready.dev annotations/),
    ).toBeInTheDocument();
    const example = screen
      .getByText('prodready.dev/availability:')
      .closest('code');
    expect(example).toHaveTextContent("prodready.dev/availability: '99.9'");
    expect(example).toHaveTextContent('prodready.dev/sla-ref');
    expect(screen.queryByRole('table')).toBeNull();
    expect(catalogApi.getEntityByRef).not.toHaveBeenCalled();
  });

  it('warns, in words and with an icon, when the DR test is overdue and backups cannot meet the RPO', async () => {
    await renderCard(
      component('ledger', {
        'prodready.dev/rto': '4h',
        'prodready.dev/rpo': '15m',
        'prodready.dev/backup-schedule': '0 2 * * *',
        'prodready.dev/dr-last-tested': '2026-02-10',
        'prodready.dev/dr-test-interval': '180d',
      }),
    );

    expect(
      await screen.findByText(
        'Last tested 2026-02-10, 289 days ago. Overdue: it must be tested every 180d and was due on 2026-08-09.',
      ),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Does not meet the RPO: backups can be up to 1d apart, but the RPO is 15m.',
      ),
    ).toBeInTheDocument();
    expect(row('Recovery & backups', 'Backup schedule')).toHaveTextContent(
      'Every day at 02:00 UTC (0 2 * * *), at most 1d apart',
    );

    const findings = within(screen.getByRole('list', { name: 'Findings' }));
    const overdue = itemOf(
      findings.getByText(/^The last DR test was on 2026-02-10, 289 days ago/),
    );
    expect(within(overdue).getByTitle('Warning')).toBeInTheDocument();
    const backups = itemOf(findings.getByText(/^Backups run only every 24h/));
    expect(within(backups).getByTitle('Error')).toBeInTheDocument();
  });

  it('shows progress while the SLA and DR plan are fetched', async () => {
    await renderCard(
      component('payments', { 'prodready.dev/sla-ref': 'sla-gold' }),
      catalogApiMock.mock({ getEntityByRef: () => new Promise(() => {}) }),
    );

    // core-components' Progress appears after a short delay.
    expect(await screen.findByRole('progressbar')).toBeInTheDocument();
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('shows an error when the SLA or DR plan cannot be fetched', async () => {
    await renderCard(
      component('payments', {
        'prodready.dev/dr-plan-ref': 'dr-plan-payments',
      }),
      catalogApiMock.mock({
        getEntityByRef: async () => {
          throw new Error('Request failed with 503 Service Unavailable');
        },
      }),
    );

    expect(
      await screen.findByText(
        /The SLA or disaster recovery plan could not be loaded/,
      ),
    ).toBeInTheDocument();
    expect(
      screen.getAllByText(/Request failed with 503 Service Unavailable/).length,
    ).toBeGreaterThan(0);
    expect(screen.queryByRole('table')).toBeNull();
  });
});

describe('ServiceLevelsCard with observed service levels', () => {
  const PAYMENTS = component('payments', {
    'prodready.dev/availability': '99.9',
    'prodready.dev/latency-p95': '200ms',
  });

  it('shows what Prometheus observed right after the targets', async () => {
    const getFacts = jest.fn(async (ref: unknown) =>
      storedFacts(
        String(ref),
        observedFacts({
          latencyP95Ms: 250,
          errorBudget: {
            ...observedFacts().errorBudget!,
            consumedPercent: 130,
            remainingPercent: 0,
            exhausted: true,
            usedText: '52m 25s',
          },
        }),
      ),
    );
    await renderCard(PAYMENTS, undefined, mockReadinessApi({ getFacts }));

    const section = await screen.findByRole('region', {
      name: 'Observed service levels',
    });
    expect(getFacts).toHaveBeenCalledWith('component:default/payments');
    // Between the targets and the recovery objectives.
    const headings = screen
      .getAllByRole('heading', { level: 3 })
      .map(heading => heading.textContent);
    expect(headings.slice(0, 3)).toEqual([
      'Targets',
      'Observed service levels',
      'Recovery & backups',
    ]);
    const latency = within(
      within(section).getByRole('table', { name: 'Target vs observed' }),
    )
      .getByRole('rowheader', { name: 'p95 latency' })
      .closest('tr');
    expect(latency).toHaveTextContent('200 ms250 msp99 388 msMissed');
    expect(
      within(section).getByRole('meter', {
        name: 'Error budget used over 28 d',
      }),
    ).toHaveAttribute('aria-valuenow', '100');
    expect(
      within(section).getByText(/^Error budget exhausted/),
    ).toBeInTheDocument();
    expect(
      within(section).getByRole('img', {
        name: 'Availability per day over 28 d',
      }),
    ).toBeInTheDocument();
    expect(within(section).getByTestId('observed-source')).toHaveTextContent(
      'read 5 min ago',
    );
  });

  it('shows no observed section where no Prometheus is configured', async () => {
    const getFacts = jest.fn(async (ref: unknown) => storedFacts(String(ref)));
    await renderCard(PAYMENTS, undefined, mockReadinessApi({ getFacts }));

    expect(
      await screen.findByRole('table', { name: 'Targets' }),
    ).toBeInTheDocument();
    await waitFor(() => expect(getFacts).toHaveBeenCalled());
    expect(
      screen.queryByRole('region', { name: 'Observed service levels' }),
    ).toBeNull();
    expect(screen.queryByText(/Prometheus/)).toBeNull();
  });

  it('explains no-data in the card too', async () => {
    await renderCard(
      PAYMENTS,
      undefined,
      mockReadinessApi({
        getFacts: async ref =>
          storedFacts(
            String(ref),
            observedFacts({
              status: 'no-data',
              availabilityPercent: undefined,
              daily: undefined,
            }),
          ),
      }),
    );

    const section = await screen.findByRole('region', {
      name: 'Observed service levels',
    });
    expect(section).toHaveTextContent(
      'Prometheus (http://prometheus.monitoring:9090) has no request metrics for job="payments" over 28 d.',
    );
    expect(within(section).queryByRole('table')).toBeNull();
  });
});

describe('the service levels entity card of the new frontend system', () => {
  it('is offered on Component entities only', () => {
    const tester = createExtensionTester(
      readinessPlugin.getExtension('entity-card:readiness/service-levels'),
    );
    const filter = tester.get(EntityCardBlueprint.dataRefs.filterFunction);

    expect(filter?.(component('payments'))).toBe(true);
    expect(filter?.(SLA_GOLD)).toBe(false);
  });
});
