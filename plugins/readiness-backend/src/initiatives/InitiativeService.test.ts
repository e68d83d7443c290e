import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import {
  DEFAULT_LEVELS,
  InitiativeDefinition,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import { DatabaseReadinessStore, EntityEvaluation } from '../database';
import { DatabaseChecklistStore } from '../database/DatabaseChecklistStore';
import type { ScoreListItem } from '../database/ReadinessStore';
import { DatabaseInitiativeStore } from './DatabaseInitiativeStore';
import { InitiativeService } from './InitiativeService';

jest.setTimeout(60_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

function item(name: string, levelRank: number, owner: string): ScoreListItem {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    owner,
    system: null,
    tier: 'tier-1',
    level: DEFAULT_LEVELS.find(l => l.rank === levelRank)?.id ?? null,
    levelRank,
    score: 50,
    areaScores: {},
    passed: 1,
    failed: 1,
    factsHash: 'h',
    stale: false,
    evaluatedAt: new Date(),
  };
}

const silver: InitiativeDefinition = {
  id: 'tier-1-silver',
  title: 'Tier-1 Silver',
  owner: 'group:default/platform-team',
  startDate: '2026-12-01',
  deadline: '2026-12-31',
  scope: { owners: ['group:default/eng'] },
  goal: { type: 'level', level: 'silver' },
  requireWaiverApproval: true,
};

async function setup(options: { readCacheTtlMs?: number } = {}) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseInitiativeStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const items = [
    item('a', 2, 'group:default/team-a'),
    item('b', 1, 'group:default/team-b'),
    item('c', 3, 'group:default/other'),
  ];
  let now = new Date('2026-12-05T10:00:00Z');
  const events = { publish: jest.fn(), subscribe: jest.fn() };
  const service = new InitiativeService({
    store,
    readinessStore: {
      listScores: async () => ({ items, totalCount: items.length }),
      getResultsOfEntities: async refs =>
        new Map(
          refs.map(ref => [
            ref,
            [{ checkId: 'hpa', status: 'fail' as const, message: 'No HPA' }],
          ]),
        ),
    },
    checklistStore: { getItemsOfEntities: async () => new Map() },
    configInitiatives: [silver],
    getDefinition: () => ({
      id: 's',
      title: 'S',
      checks: [
        {
          id: 'hpa',
          title: 'Autoscaling',
          area: 'auto-scaling',
          level: 'silver',
          severity: 'error',
          rule: {},
          remediation: '',
        } as any,
      ],
      levels: [...DEFAULT_LEVELS],
    }),
    phases: [],
    groups: {
      descendantsOf: async ref =>
        ref === 'group:default/eng'
          ? [ref, 'group:default/team-a', 'group:default/team-b']
          : [ref],
    },
    events: events as any,
    logger: mockServices.logger.mock(),
    now: () => now,
    ...options,
  });
  return { service, store, items, events, setNow: (d: Date) => (now = d) };
}

describe('InitiativeService', () => {
  it('serves reads from memory for a moment, and at once anew after its own writes', async () => {
    const { service, store, items } = await setup({ readCacheTtlMs: 200 });
    await service.recompute();
    const counts = jest.spyOn(store, 'getLatestCounts');
    const burnUps = jest.spyOn(store, 'getBurnUp');
    await Promise.all([service.list(), service.get('tier-1-silver')]);
    await service.get('tier-1-silver');
    expect(counts).toHaveBeenCalledTimes(1);
    expect(burnUps).toHaveBeenCalledTimes(1);

    // A recomputation that changes the progress is seen at once.
    items[1] = { ...items[1], level: 'silver', levelRank: 2 };
    await service.recompute();
    counts.mockClear();
    expect((await service.get('tier-1-silver')).progress.met).toBe(2);
    expect(counts).toHaveBeenCalledTimes(1);

    // Otherwise the store is read again once the moment has passed.
    await new Promise(resolve => setTimeout(resolve, 250));
    await service.list();
    expect(counts).toHaveBeenCalledTimes(2);
  });

  it('computes progress over the owner sub-groups, publishes it, and serves it', async () => {
    const { service, items, events, setNow } = await setup();
    await service.recompute();

    const [listed] = await service.list();
    expect(listed).toMatchObject({
      id: 'tier-1-silver',
      source: 'config',
      version: 0,
      phase: 'active',
      daysLeft: 26,
      progress: { total: 2, met: 1, notMet: 1, exempt: 0, percent: 50 },
    });
    expect(events.publish).toHaveBeenCalledWith({
      topic: 'readiness.initiative-progress',
      eventPayload: expect.objectContaining({
        initiativeId: 'tier-1-silver',
        met: 1,
        notMet: 1,
      }),
    });

    const page = await service.listEntities('tier-1-silver', {
      states: ['not-met'],
      limit: 10,
    });
    expect(page).toEqual({
      totalCount: 1,
      items: [
        expect.objectContaining({
          entityRef: 'component:default/b',
          owner: 'group:default/team-b',
          state: 'not-met',
          missing: [
            expect.objectContaining({ type: 'level', id: 'silver' }),
            expect.objectContaining({ type: 'check', id: 'hpa' }),
          ],
        }),
      ],
    });
    const first = await service.listEntities('tier-1-silver', { limit: 1 });
    expect(first.nextCursor).toBeDefined();
    const second = await service.listEntities('tier-1-silver', {
      limit: 1,
      cursor: first.nextCursor,
    });
    expect(second.items.map(i => i.entityRef)).toEqual(['component:default/b']);

    const detail = await service.get('tier-1-silver');
    expect(detail.burnUp.at(-1)).toMatchObject({
      day: '2026-12-05',
      met: 1,
      total: 2,
    });
    expect(await service.requiresWaiverApproval('component:default/b')).toEqual(
      ['tier-1-silver'],
    );
    expect(await service.requiresWaiverApproval('component:default/c')).toEqual(
      [],
    );

    // b reaches Silver the next day: the progress moves, once.
    items[1] = { ...items[1], level: 'silver', levelRank: 2 };
    setNow(new Date('2026-12-06T10:00:00Z'));
    events.publish.mockClear();
    await service.recompute();
    expect((await service.list())[0].progress.met).toBe(2);
    expect(events.publish).toHaveBeenCalledTimes(1);
    await service.recompute();
    expect(events.publish).toHaveBeenCalledTimes(1);
    expect(
      (await service.get('tier-1-silver')).burnUp.map(p => [p.day, p.met]),
    ).toEqual(
      expect.arrayContaining([
        ['2026-12-05', 1],
        ['2026-12-06', 2],
      ]),
    );
    expect(
      (await service.getEntityInitiatives('Component:default/B')).items,
    ).toEqual([
      expect.objectContaining({
        initiative: expect.objectContaining({ id: 'tier-1-silver' }),
        state: 'met',
      }),
    ]);
  });

  it('creates, updates and deletes API initiatives, tells subscribers, and keeps config ones read-only', async () => {
    const { service } = await setup();
    const changes: string[] = [];
    service.subscribe(change =>
      changes.push(`${change.type} ${change.initiative.id}`),
    );
    const checks: InitiativeDefinition = {
      id: 'autoscaling',
      title: 'Autoscaling everywhere',
      owner: 'group:default/platform-team',
      startDate: '2026-12-01',
      deadline: '2026-12-20',
      enforcedFrom: '2026-12-10',
      scope: { kinds: ['Component'] },
      goal: { type: 'checks', checks: ['hpa'] },
    };
    const created = await service.create(checks, 'user:default/admin');
    expect(created).toMatchObject({
      source: 'api',
      version: 1,
      progress: { total: 3, met: 0 },
    });
    expect(service.deferredChecks(new Date('2026-12-09T23:00:00Z'))).toEqual(
      new Set(['hpa']),
    );
    expect(service.deferredChecks(new Date('2026-12-10T00:00:00Z'))).toEqual(
      new Set(),
    );
    await expect(service.create(checks, 'user:default/admin')).rejects.toThrow(
      /already exists/,
    );
    await expect(
      service.create({ ...checks, id: 'tier-1-silver' }, 'user:default/admin'),
    ).rejects.toThrow(/defined in app-config/);
    await expect(
      service.create(
        { ...checks, id: 'bad', goal: { type: 'checks', checks: ['nope'] } },
        'user:default/admin',
      ),
    ).rejects.toThrow(/goal.checks 'nope' is not a check in force/);
    await expect(
      service.update('tier-1-silver', silver, {
        actor: 'user:default/admin',
        expectedVersion: 0,
      }),
    ).rejects.toThrow(/defined in app-config, read-only/);

    const stale = await service.update(
      'autoscaling',
      { ...checks, title: 'x' },
      { actor: 'user:default/admin', expectedVersion: 7 },
    );
    expect(stale).toMatchObject({ ok: false, current: { version: 1 } });
    const updated = await service.update(
      'autoscaling',
      { ...checks, title: 'Autoscaling, really' },
      { actor: 'user:default/admin', expectedVersion: 1 },
    );
    expect(updated).toMatchObject({ ok: true, initiative: { version: 2 } });
    expect(
      await service.delete('autoscaling', { actor: 'user:default/admin' }),
    ).toEqual({ ok: true });
    expect((await service.list()).map(i => i.id)).toEqual(['tier-1-silver']);
    const audit = await service.listAudit('autoscaling', { limit: 10 });
    expect(audit.entries.map(e => e.action)).toEqual([
      'deleted',
      'updated',
      'created',
    ]);
    expect(changes).toEqual([
      'created autoscaling',
      'updated autoscaling',
      'deleted autoscaling',
    ]);
  });
});

const bothDatabases = TestDatabases.create({
  ids: ['POSTGRES_15', 'SQLITE_3'],
});

describe.each(bothDatabases.eachSupportedId())(
  'InitiativeService on the real stores (%s)',
  databaseId => {
    const at = new Date('2026-12-05T10:00:00Z');
    const evaluation = (
      name: string,
      hpa: 'pass' | 'fail',
      evaluatedAt: Date,
    ): EntityEvaluation => ({
      entityRef: `component:default/${name}`,
      results: [{ checkId: 'hpa', status: hpa, message: `HPA ${hpa}` }],
      scores: {
        kind: 'Component',
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-a',
        system: null,
        tier: 'tier-1',
        level: hpa === 'pass' ? 'silver' : 'bronze',
        levelRank: hpa === 'pass' ? 2 : 1,
        score: hpa === 'pass' ? 100 : 50,
        areaScores: [],
        passed: hpa === 'pass' ? 1 : 0,
        failed: hpa === 'fail' ? 1 : 0,
        factsHash: `${name}-${hpa}`,
        stale: false,
      },
      evaluatedAt,
    });

    it('reads the results and checklist states of an entity again only after it changed', async () => {
      const knex = await bothDatabases.init(databaseId);
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const readinessStore = await DatabaseReadinessStore.create({ database });
      const checklistStore = await DatabaseChecklistStore.create({ database });
      await readinessStore.saveEvaluations([
        evaluation('a', 'fail', at),
        evaluation('b', 'fail', at),
      ]);
      const reads = jest.spyOn(readinessStore, 'getResultsOfEntities');
      const phase: PhaseDefinition = {
        id: 'phase-3',
        title: 'Phase 3',
        checklists: [
          {
            id: 'infra',
            title: 'Infrastructure',
            items: [
              {
                id: 'autoscaling',
                text: 'Autoscaling',
                kind: 'automatic',
                checks: ['hpa'],
              },
            ],
          },
        ],
      };
      const service = new InitiativeService({
        store: await DatabaseInitiativeStore.create({ database }),
        readinessStore,
        checklistStore,
        configInitiatives: [
          {
            id: 'autoscaling',
            title: 'Autoscaling',
            owner: 'group:default/platform-team',
            startDate: '2026-12-01',
            deadline: '2026-12-31',
            scope: { kinds: ['Component'] },
            goal: { type: 'checks', checks: ['hpa'] },
          },
        ],
        getDefinition: () => ({
          id: 's',
          title: 'S',
          checks: [
            {
              id: 'hpa',
              title: 'Autoscaling',
              area: 'auto-scaling',
              level: 'silver',
              severity: 'error',
              rule: {},
              remediation: '',
            } as any,
          ],
          levels: [...DEFAULT_LEVELS],
        }),
        phases: [phase],
        logger: mockServices.logger.mock(),
        now: () => at,
      });
      const states = async () =>
        Object.fromEntries(
          (await service.listEntities('autoscaling', { limit: 10 })).items.map(
            i => [i.entityRef, i.state],
          ),
        );
      const readRefs = () =>
        reads.mock.calls.flatMap(([refs]) => [...refs]).sort();

      await service.recompute();
      expect(await states()).toEqual({
        'component:default/a': 'not-met',
        'component:default/b': 'not-met',
      });
      expect(readRefs()).toEqual([
        'component:default/a',
        'component:default/b',
      ]);

      // Nothing changed: nothing is read again.
      reads.mockClear();
      await service.recompute();
      expect(readRefs()).toEqual([]);

      // a is evaluated again: only a is read, and it now meets the goal.
      await readinessStore.saveEvaluations([
        evaluation('a', 'pass', new Date(at.getTime() + 60_000)),
      ]);
      reads.mockClear();
      await service.recompute();
      expect(readRefs()).toEqual(['component:default/a']);
      expect(await states()).toEqual({
        'component:default/a': 'met',
        'component:default/b': 'not-met',
      });

      // b's item bound to the check is waived: only b is read, now exempt.
      const waived = await checklistStore.updateItem({
        entityRef: 'component:default/b',
        phaseId: 'phase-3',
        checklistId: 'infra',
        itemId: 'autoscaling',
        status: 'not-applicable',
        justification: 'Fixed size by design',
        expiresAt: '2027-01-31T00:00:00.000Z',
        actor: 'user:default/alice',
        at: new Date(at.getTime() + 120_000),
        expectedVersion: 0,
      });
      expect(waived.ok).toBe(true);
      reads.mockClear();
      await service.recompute();
      expect(readRefs()).toEqual(['component:default/b']);
      expect(await states()).toEqual({
        'component:default/a': 'met',
        'component:default/b': 'exempt',
      });
    });
  },
);
