import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { CheckDefinition } from '@prodready/plugin-readiness-common';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import { DatabaseReadinessStore } from '../../database';
import { DefaultReadinessEngine } from './DefaultReadinessEngine';

jest.setTimeout(60_000);

const CHECKS: CheckDefinition[] = [
  {
    id: 'replicas',
    title: 'At least two replicas',
    area: 'auto-scaling',
    level: 'bronze',
    severity: 'error',
    rule: {
      all: [
        {
          fact: 'probe',
          path: '$.replicas',
          operator: 'greaterThanInclusive',
          value: 2,
        },
      ],
    },
    remediation: 'Run at least two replicas.',
  },
  {
    id: 'tls',
    title: 'TLS is on',
    area: 'security',
    level: 'silver',
    severity: 'error',
    rule: {
      all: [{ fact: 'probe', path: '$.tls', operator: 'equal', value: true }],
    },
    remediation: 'Terminate TLS at the ingress.',
  },
];

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'checkout', namespace: 'default' },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
};

const probe: FactCollector = {
  id: 'probe',
  version: 1,
  async collect() {
    return { replicas: 3, tls: false };
  },
};

describe('DefaultReadinessEngine scheduled (deferred) checks', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

  it('does not lower the level for a deferred check, until its day comes', async () => {
    const knex = await databases.init('SQLITE_3');
    const store = await DatabaseReadinessStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    let now = new Date('2026-12-01T10:00:00Z');
    const engine = await DefaultReadinessEngine.create({
      config: new ConfigReader({}),
      logger: mockServices.logger.mock(),
      auth: mockServices.auth(),
      catalog: catalogServiceMock({ entities: [entity] }),
      store,
      collectors: [probe],
      builtInChecks: CHECKS,
      now: () => now,
    });
    const enforcedFrom = Date.parse('2026-12-03T00:00:00Z');
    engine.setDeferredChecks(at =>
      at.getTime() < enforcedFrom ? new Set(['tls']) : new Set(),
    );

    await engine.runCycle();
    let scores = await store.getScorecard('component:default/checkout');
    expect(scores?.scores.level).toBe('gold');
    expect(scores?.results.find(r => r.checkId === 'tls')?.status).toBe(
      'fail',
    );

    // The day before: the facts did not change, nothing is re-evaluated.
    now = new Date('2026-12-02T10:00:00Z');
    expect((await engine.runCycle()).skipped).toBe(1);

    // The day enforcement starts: the hash changed, the level drops.
    now = new Date('2026-12-03T00:30:00Z');
    const summary = await engine.runCycle();
    expect(summary.evaluated).toBe(1);
    scores = await store.getScorecard('component:default/checkout');
    expect(scores?.scores.level).toBe('bronze');
  });
});
