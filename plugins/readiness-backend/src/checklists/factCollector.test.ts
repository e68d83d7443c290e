import { Entity } from '@backstage/catalog-model';
import {
  ChecklistItemState,
  PHASE_4_DEPLOYMENT_AND_SCALING,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import { createChecklistFactCollector } from './factCollector';

const NOW = new Date('2026-11-26T12:00:00.000Z');

const SMALL: PhaseDefinition = {
  id: 'phase-3',
  title: 'DevOps & Infrastructure',
  applicability: { lifecycles: ['production'] },
  checklists: [
    {
      id: 'infra',
      title: 'Infra',
      items: [
        { id: 'iac', text: 'IaC', kind: 'manual' },
        {
          id: 'hpa',
          text: 'HPA',
          kind: 'automatic',
          checks: ['hpa-configured'],
        },
        { id: 'dr', text: 'DR', kind: 'manual' },
      ],
    },
  ],
};

const entity = (spec: object): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'Payments-API', namespace: 'default' },
  spec,
});

const state = (
  itemId: string,
  status: ChecklistItemState['status'],
  expiresAt?: string,
): ChecklistItemState => ({
  entityRef: 'component:default/payments-api',
  phaseId: 'phase-3',
  checklistId: 'infra',
  itemId,
  status,
  version: 1,
  ...(expiresAt && { expiresAt }),
});

describe('createChecklistFactCollector', () => {
  const getItems = jest.fn(async (_ref: string) => [
    state('iac', 'done', '2027-01-01T00:00:00Z'),
    state('hpa', 'not-applicable', '2027-01-01T00:00:00Z'),
    state('dr', 'done', '2026-11-01T00:00:00Z'),
  ]);
  const collector = createChecklistFactCollector({
    store: { getItems },
    getPhases: () => [SMALL, PHASE_4_DEPLOYMENT_AND_SCALING],
    now: () => NOW,
  });

  it('exposes the attested state of each phase that applies, expiry applied', async () => {
    const facts = await collector.collect({
      entity: entity({ type: 'library', lifecycle: 'production' }),
    });
    expect(getItems).toHaveBeenCalledWith('component:default/payments-api');
    expect(collector.id).toBe('checklists');
    expect(facts).toEqual({
      phases: {
        'phase-3': {
          attested: 1,
          waived: 1,
          open: 1,
          total: 3,
          complete: false,
          items: { iac: 'done', hpa: 'not-applicable', dr: 'open' },
        },
      },
    });
  });

  it('lists every item of Phase 4 for a service, open when never attested', async () => {
    const facts = (await collector.collect({
      entity: entity({ type: 'service', lifecycle: 'experimental' }),
    })) as any;
    expect(Object.keys(facts.phases)).toEqual(['phase-4']);
    expect(facts.phases['phase-4']).toMatchObject({
      attested: 0,
      waived: 0,
      open: 29,
      total: 29,
      complete: false,
    });
  });

  it('reads nothing when no phase applies', async () => {
    getItems.mockClear();
    await expect(
      collector.collect({ entity: entity({ type: 'library' }) }),
    ).resolves.toEqual({ phases: {} });
    expect(getItems).not.toHaveBeenCalled();
  });
});
