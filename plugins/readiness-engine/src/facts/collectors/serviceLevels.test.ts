import { mockServices } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { resolveServiceLevels } from '@prodready/plugin-readiness-common';
import {
  createServiceLevelsFactCollector,
  toServiceLevelsFacts,
} from './serviceLevels';
import {
  EXAMPLES_NOW,
  exampleServices,
  loadExampleEntities,
} from '../../__testUtils__/examples';

const entities = loadExampleEntities();
const byName = (name: string) => entities.find(e => e.metadata.name === name)!;

function collector(catalog: CatalogService = catalogServiceMock({ entities })) {
  return createServiceLevelsFactCollector({
    catalog,
    auth: mockServices.auth(),
    now: () => EXAMPLES_NOW,
  });
}

describe('createServiceLevelsFactCollector', () => {
  it('flattens the effective service levels of a fully ready service', async () => {
    const facts = await collector().collect({ entity: byName('payments-api') });
    expect(facts).toEqual({
      tier: 'tier-1',
      availabilityPercent: 99.95,
      availabilitySource: 'annotation',
      latencyP95Ms: 150,
      latencyP95Source: 'annotation',
      latencyP99Ms: 400,
      errorRatePercent: 0.05,
      errorRateSource: 'annotation',
      slaDeclared: true,
      defaultedTargets: [],
      peakRps: 1200,
      requiredCapacityRps: 1800,
      rtoMs: 3_600_000,
      rto: '1h',
      rpoMs: 900_000,
      rpo: '15m',
      backupSchedule: '*/15 * * * *',
      backupScheduleMaxIntervalMs: 900_000,
      backupMeetsRpo: true,
      backupRetentionMs: 35 * 86_400_000,
      drLastTested: '2026-10-14',
      drTestAgeDays: 43,
      drTestIntervalMs: 90 * 86_400_000,
      drTestInterval: '90d',
      drTestOverdue: false,
      drPlanUrl: 'https://wiki.example.com/dr/payments-api',
      runbookUrl: 'https://wiki.example.com/runbooks/payments-api',
      slaRef: 'resource:default/sla-tier-1',
      drPlanRef: 'resource:default/dr-plan-critical',
      slaResolved: true,
      drPlanResolved: true,
      findings: [],
      findingMessages: [],
      errors: 0,
      errorAnnotations: [],
      errorMessages: [],
      empty: false,
    });
  });

  it('inherits from the referenced plans, with their source', async () => {
    const facts = await collector().collect({
      entity: byName('ledger-service'),
    });
    expect(facts).toMatchObject({
      availabilityPercent: 99.95,
      availabilitySource: 'sla',
      latencyP95Ms: 250,
      latencyP95Source: 'annotation',
      rto: '1h',
      drPlanUrl: 'https://wiki.example.com/dr/critical',
      drTestInterval: '90d',
    });
  });

  it('reports an overdue DR test and backups that cannot meet the RPO', async () => {
    expect(
      await collector().collect({ entity: byName('refund-service') }),
    ).toMatchObject({
      drLastTested: '2026-02-10',
      drTestAgeDays: 289,
      drTestOverdue: true,
      findings: ['dr-test-overdue'],
    });
    expect(
      await collector().collect({ entity: byName('notifications-service') }),
    ).toMatchObject({
      backupMeetsRpo: false,
      backupScheduleMaxIntervalMs: 86_400_000,
      rpo: '1h',
      findings: ['backup-exceeds-rpo', 'dr-never-tested'],
      errorAnnotations: ['prodready.dev/tier'],
      tier: null,
    });
  });

  it('says which targets are only seed defaults', async () => {
    expect(
      await collector().collect({ entity: byName('tax-calculator') }),
    ).toMatchObject({
      slaDeclared: false,
      defaultedTargets: ['availability', 'latencyP95', 'errorRate'],
      availabilityPercent: 99.9,
      latencyP95Ms: 200,
      errorRatePercent: 0.1,
      backupMeetsRpo: null,
      drLastTested: null,
      empty: true,
      slaRef: null,
    });
  });

  it('reports missing plans and plans of the wrong kind', async () => {
    expect(
      await collector().collect({ entity: byName('order-service') }),
    ).toMatchObject({
      drPlanRef: 'resource:default/dr-plan-gold',
      drPlanResolved: false,
      slaResolved: true,
      findings: ['referenced-plan-missing', 'missing-dr-plan'],
    });
    expect(
      await collector().collect({ entity: byName('mfa-service') }),
    ).toMatchObject({
      slaRef: null, // 'SLA Tier 1' is not a ref
      drPlanRef: 'group:default/platform-team',
      drPlanResolved: false,
      errorAnnotations: ['prodready.dev/sla-ref'],
    });
  });

  it('reads the plans with its own service credentials, and only when referenced', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async ref =>
        entities.find(
          e =>
            `resource:default/${e.metadata.name}` === ref &&
            e.kind === 'Resource',
        ),
    });
    await collector(catalog).collect({ entity: byName('checkout-api') });
    expect(catalog.getEntityByRef).toHaveBeenCalledTimes(2);
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'resource:default/sla-tier-1',
      {
        credentials: expect.objectContaining({ principal: expect.anything() }),
      },
    );
    expect(catalog.getEntityByRef).toHaveBeenCalledWith(
      'resource:default/dr-plan-critical',
      expect.anything(),
    );
    (catalog.getEntityByRef as jest.Mock).mockClear();
    await collector(catalog).collect({ entity: byName('tax-calculator') });
    expect(catalog.getEntityByRef).not.toHaveBeenCalled();
  });

  it('throws when the catalog cannot be reached, so the previous facts are kept', async () => {
    const catalog = catalogServiceMock.mock({
      getEntityByRef: async () => {
        throw new Error('ECONNREFUSED');
      },
    });
    await expect(
      collector(catalog).collect({ entity: byName('payments-api') }),
    ).rejects.toThrow('ECONNREFUSED');
  });

  it('applies to components by default, or to the given kinds', () => {
    const api: Entity = { ...byName('payments-api'), kind: 'API' };
    expect(collector().appliesTo!(byName('payments-api'))).toBe(true);
    expect(collector().appliesTo!(api)).toBe(false);
    expect(
      createServiceLevelsFactCollector({
        catalog: catalogServiceMock(),
        auth: mockServices.auth(),
        kinds: ['component', 'api'],
      }).appliesTo!(api),
    ).toBe(true);
  });

  it('returns plain JSON for every example service', async () => {
    const c = collector();
    expect(c).toMatchObject({ id: 'serviceLevels', version: 1 });
    for (const entity of exampleServices(entities)) {
      const facts = await c.collect({ entity });
      expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
      expect(Object.values(facts)).not.toContain(undefined);
    }
  });
});

describe('toServiceLevelsFacts', () => {
  it('leaves backupMeetsRpo null without an RPO or a schedule', () => {
    const facts = toServiceLevelsFacts(
      resolveServiceLevels(
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'x',
            annotations: { 'prodready.dev/backup-schedule': '0 * * * *' },
          },
        },
        { now: EXAMPLES_NOW },
      ),
    );
    expect(facts).toMatchObject({
      backupMeetsRpo: null,
      backupSchedule: '0 * * * *',
      backupScheduleMaxIntervalMs: 3_600_000,
      rpo: null,
    });
  });

  it('keeps an RPO of zero', () => {
    const facts = toServiceLevelsFacts(
      resolveServiceLevels({
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'x', annotations: { 'prodready.dev/rpo': '0s' } },
      }),
    );
    expect(facts).toMatchObject({ rpoMs: 0, rpo: '0ms' });
  });
});
