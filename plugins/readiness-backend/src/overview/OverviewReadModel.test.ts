import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import {
  DEFAULT_LEVELS,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import { ChecklistService } from '../checklists/ChecklistService';
import { DatabaseChecklistStore } from '../database/DatabaseChecklistStore';
import { DatabaseReadinessStore } from '../database/DatabaseReadinessStore';
import { DatabaseOverviewChanges } from '../database/overviewChanges';
import {
  EntityEvaluation,
  ListScoresRequest,
} from '../database/ReadinessStore';
import { ScorecardDefinition } from '../service/engine/types';
import { OverviewReadModel } from './OverviewReadModel';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

const DAY = 86_400_000;
const START = Date.parse('2026-11-26T12:00:00.000Z');

/** One phase: a manual item and an item done when `hpa-configured` passes. */
const PHASE: PhaseDefinition = {
  id: 'phase-4',
  title: 'Deployment & Scaling',
  applicability: { kinds: ['Component'] },
  checklists: [
    {
      id: 'deployment',
      title: 'Deployment',
      items: [
        { id: 'runbook', text: 'Runbook written', kind: 'manual' },
        {
          id: 'autoscaling',
          text: 'Auto-scaling configured',
          kind: 'automatic',
          checks: ['hpa-configured'],
        },
      ],
    },
  ],
};

const DEFINITION: ScorecardDefinition = {
  id: 'production-readiness',
  title: 'Production readiness',
  levels: [...DEFAULT_LEVELS],
  checks: ['hpa-configured', 'dr-tested'].map(id => ({
    id,
    title: `Title of ${id}`,
    area: 'deployment',
    level: 'bronze',
    rule: { fact: 'entity', operator: 'equal', value: true },
    severity: 'error',
    remediation: `Fix ${id}`,
  })),
};

const ref = (i: number) =>
  `component:default/service-${String(i).padStart(3, '0')}`;

function evaluation(
  entityRef: string,
  options: { score: number; hpa: 'pass' | 'fail'; at: number; owner?: string },
): EntityEvaluation {
  return {
    entityRef,
    evaluatedAt: new Date(options.at),
    results: [
      { checkId: 'hpa-configured', status: options.hpa, message: 'HPA' },
      { checkId: 'dr-tested', status: 'fail', message: 'No DR test' },
    ],
    scores: {
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      owner: options.owner ?? `group:default/team-${entityRef.length % 3}`,
      system: null,
      tier: null,
      level: options.score >= 50 ? 'bronze' : null,
      levelRank: options.score >= 50 ? 1 : 0,
      score: options.score,
      areaScores: [],
      passed: options.hpa === 'pass' ? 1 : 0,
      failed: options.hpa === 'pass' ? 1 : 2,
      factsHash: `hash-${options.score}`,
      stale: false,
    },
  };
}

describe.each(databases.eachSupportedId())('OverviewReadModel (%s)', id => {
  async function setup(databaseId: TestDatabaseId) {
    const knex = await databases.init(databaseId);
    const database = mockServices.database({
      knex,
      migrations: { skip: false },
    });
    const store = await DatabaseReadinessStore.create({ database });
    const checklistStore = await DatabaseChecklistStore.create({ database });
    const clock = { now: START };
    const checklists = new ChecklistService({
      phases: [PHASE],
      settings: { waiverMaxAgeMs: 90 * DAY, expiringSoonMs: 30 * DAY },
      store: checklistStore,
      readinessStore: store,
      getDefinition: () => DEFINITION,
      now: () => new Date(clock.now),
    });
    const changes = new DatabaseOverviewChanges(knex);
    const createModel = () =>
      new OverviewReadModel({
        store,
        changes,
        progress: items => checklists.getOverviewProgress(items),
        logger: mockServices.logger.mock(),
        pageSize: 7,
        now: () => clock.now,
      });
    return { knex, store, checklistStore, changes, clock, createModel };
  }

  it('serves what the store lists, with each entity’s phase progress', async () => {
    const { store, createModel } = await setup(id);
    await store.saveEvaluations(
      Array.from({ length: 30 }, (_, i) =>
        evaluation(ref(i), {
          score: (i * 37) % 101,
          hpa: i % 2 ? 'pass' : 'fail',
          at: START,
        }),
      ),
    );
    const model = createModel();

    for (const request of [
      { limit: 10 },
      { limit: 100, orderBy: 'score', order: 'desc' },
      { limit: 5, filter: { owners: ['group:default/team-1'] } },
      { limit: 100, filter: { levels: [null] }, orderBy: 'level' },
    ] as ListScoresRequest[]) {
      const page = await model.list(request);
      const expected = await store.listScores(request);
      expect(page.totalCount).toBe(expected.totalCount);
      expect(page.nextCursor).toBe(expected.nextCursor);
      expect(page.items.map(({ phases: _, ...item }) => item)).toEqual(
        expected.items,
      );
    }
    expect(await model.summarise()).toEqual(await store.summariseScores());

    // The automatic item is done exactly where hpa-configured passes.
    const { items } = await model.list({ limit: 30 });
    expect(items).toHaveLength(30);
    for (const item of items) {
      const i = Number(item.entityRef.slice(-3));
      expect(item.phases).toEqual([
        { phaseId: 'phase-4', done: i % 2 ? 1 : 0, total: 2 },
      ]);
    }
  });

  it('sees every write committed before a request, from any instance', async () => {
    const { store, checklistStore, changes, createModel } = await setup(id);
    // 20 entities, so that 4 changes are read one by one, not reloaded.
    await store.saveEvaluations([
      evaluation(ref(1), { score: 40, hpa: 'fail', at: START }),
      evaluation(ref(2), { score: 60, hpa: 'pass', at: START }),
      ...Array.from({ length: 18 }, (_, i) =>
        evaluation(ref(100 + i), { score: 50, hpa: 'fail', at: START }),
      ),
    ]);
    // Two backend instances on one database.
    const first = createModel();
    const second = createModel();
    expect((await first.list({ limit: 10 })).totalCount).toBe(20);
    expect((await second.list({ limit: 10 })).totalCount).toBe(20);
    const since = jest.spyOn(changes, 'getChangesSince');

    // A new entity, a changed score, a deletion and a checklist update.
    await store.saveEvaluations([
      evaluation(ref(3), { score: 90, hpa: 'pass', at: START + 1000 }),
      evaluation(ref(1), { score: 80, hpa: 'pass', at: START + 1000 }),
    ]);
    await store.deleteEntity(ref(2));
    const written = await checklistStore.updateItem({
      entityRef: ref(3),
      phaseId: 'phase-4',
      checklistId: 'deployment',
      itemId: 'runbook',
      status: 'done',
      evidenceUrl: 'https://wiki.example.com/runbook',
      actor: 'user:default/alice',
      at: new Date(START),
      expectedVersion: 0,
    });
    expect(written.ok).toBe(true);

    for (const model of [first, second]) {
      const { items, totalCount } = await model.list({
        limit: 10,
        filter: { entityRefs: [ref(1), ref(2), ref(3)] },
      });
      expect(totalCount).toBe(2);
      expect(
        items.map(item => [item.entityRef, item.score, item.phases[0].done]),
      ).toEqual([
        [ref(1), 80, 1],
        [ref(3), 90, 2],
      ]);
      expect((await model.list({ limit: 1 })).totalCount).toBe(20);
    }
    // Each instance read the 4 changes from the log, and no more.
    const read = await Promise.all(
      since.mock.results.map(result => result.value),
    );
    expect(read[0]).toEqual({
      generation: expect.any(Number),
      entityRefs: [ref(1), ref(2), ref(3)],
    });
  });

  it('recomputes progress when an attestation expires, without any write', async () => {
    const { store, checklistStore, clock, createModel } = await setup(id);
    await store.saveEvaluations([
      evaluation(ref(1), { score: 80, hpa: 'fail', at: START }),
    ]);
    await checklistStore.updateItem({
      entityRef: ref(1),
      phaseId: 'phase-4',
      checklistId: 'deployment',
      itemId: 'runbook',
      status: 'done',
      evidenceUrl: 'https://wiki.example.com/runbook',
      expiresAt: new Date(START + DAY).toISOString(),
      actor: 'user:default/alice',
      at: new Date(START),
      expectedVersion: 0,
    });
    const model = createModel();
    const progress = async () =>
      (await model.list({ limit: 1 })).items[0].phases[0].done;
    expect(await progress()).toBe(1);
    clock.now = START + DAY - 1;
    expect(await progress()).toBe(1);
    clock.now = START + DAY;
    expect(await progress()).toBe(0);
  });

  it('shares one sync among concurrent requests, each started after it arrived', async () => {
    const { store, changes, createModel } = await setup(id);
    await store.saveEvaluations([
      evaluation(ref(1), { score: 80, hpa: 'pass', at: START }),
    ]);
    const model = createModel();
    await model.list({ limit: 1 });
    const since = jest.spyOn(changes, 'getChangesSince');
    const pages = await Promise.all(
      Array.from({ length: 40 }, () => model.list({ limit: 1 })),
    );
    expect(pages.every(page => page.totalCount === 1)).toBe(true);
    // The first request's sync, and one more for all who came during it.
    expect(since).toHaveBeenCalledTimes(2);
  });

  it('does not answer a request with a sync that started before it arrived', async () => {
    const { store, changes, createModel } = await setup(id);
    const model = createModel();
    expect((await model.list({ limit: 10 })).totalCount).toBe(0);

    // A sync that has read the change log, and is held there.
    const original = changes.getChangesSince.bind(changes);
    let reached!: () => void;
    const readTheLog = new Promise<void>(resolve => {
      reached = resolve;
    });
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    jest
      .spyOn(changes, 'getChangesSince')
      .mockImplementationOnce(async since => {
        const result = await original(since);
        reached();
        await held;
        return result;
      });
    const early = model.list({ limit: 10 });
    await readTheLog;

    // A write commits, then a request arrives, while that sync runs.
    await store.saveEvaluations([
      evaluation(ref(1), { score: 80, hpa: 'pass', at: START }),
    ]);
    const late = model.list({ limit: 10 });
    release();
    expect((await early).totalCount).toBe(0);
    expect((await late).totalCount).toBe(1);
  });

  it('never misses a write that committed before a request, under concurrent writes', async () => {
    const { store, createModel } = await setup(id);
    const model = createModel();
    expect((await model.list({ limit: 1 })).totalCount).toBe(0);
    let stop = false;
    const committed: number[] = [];
    const writer = (async () => {
      for (let i = 0; i < 40; i++) {
        await store.saveEvaluations([
          evaluation(ref(i), { score: i, hpa: 'pass', at: START }),
        ]);
        committed.push(i);
      }
      stop = true;
    })();
    // Readers overlap, so requests arrive while a sync that started before
    // the latest commit is still running.
    let stale = 0;
    let checks = 0;
    const reader = async () => {
      while (!stop) {
        const before = committed.length;
        const { totalCount } = await model.list({ limit: 1 });
        if (totalCount < before) stale++;
        checks++;
      }
    };
    await Promise.all([writer, ...Array.from({ length: 6 }, reader)]);
    expect(checks).toBeGreaterThan(0);
    expect(stale).toBe(0);
    expect((await model.list({ limit: 1 })).totalCount).toBe(40);
  });

  it('reloads everything when the change log was pruned past it', async () => {
    const { store, changes, createModel } = await setup(id);
    await store.saveEvaluations([
      evaluation(ref(1), { score: 10, hpa: 'fail', at: START }),
    ]);
    const model = createModel();
    expect((await model.list({ limit: 5 })).totalCount).toBe(1);
    await store.saveEvaluations([
      evaluation(ref(2), { score: 20, hpa: 'fail', at: START }),
    ]);
    await store.deleteEntity(ref(1));
    // Pruned before this instance looked again.
    expect(await changes.prune(new Date(Date.now() + DAY))).toBeGreaterThan(0);
    const { items } = await model.list({ limit: 5 });
    expect(items.map(item => item.entityRef)).toEqual([ref(2)]);
  });
});
