import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { gzipSync } from 'zlib';
import type {
  AreaScore,
  CheckResultStatus,
} from '@prodready/plugin-readiness-common';
import { DatabaseReadinessStore } from './DatabaseReadinessStore';
import { DatabaseOverviewChanges } from './overviewChanges';
import {
  EntityEvaluation,
  EntityScores,
  ScoreFilter,
  ScoreOrderBy,
  ScoreListItem,
} from './ReadinessStore';

jest.setTimeout(120_000);

const databases = TestDatabases.create();

async function createStore(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const database = mockServices.database({ knex, migrations: { skip: false } });
  return { knex, store: await DatabaseReadinessStore.create({ database }) };
}

const PAYMENTS = 'component:default/payments-api';
const LEDGER = 'component:default/ledger-api';

/** A time on a day of November 2026, UTC. */
const at = (day: number, hour = 0, minute = 0) =>
  new Date(Date.UTC(2026, 10, day, hour, minute, 0, 0));

function area(id: AreaScore['area'], score: number | null): AreaScore {
  return {
    area: id,
    score,
    passed: 0,
    failed: 0,
    warned: 0,
    errored: 0,
    notApplicable: 0,
    waived: 0,
    total: 0,
  };
}

function scores(overrides: Partial<EntityScores> = {}): EntityScores {
  return {
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/payments',
    system: 'system:default/billing',
    tier: 'tier-1',
    level: 'silver',
    levelRank: 2,
    score: 75,
    areaScores: [area('auto-scaling', 100), area('security', 50)],
    passed: 3,
    failed: 1,
    factsHash: 'hash-1',
    stale: false,
    ...overrides,
  };
}

function evaluation(
  entityRef: string,
  evaluatedAt: Date,
  statuses: Record<string, CheckResultStatus>,
  overrides: Partial<EntityScores> = {},
): EntityEvaluation {
  return {
    entityRef,
    evaluatedAt,
    results: Object.entries(statuses).map(([checkId, status]) => ({
      checkId,
      status,
      message: `${checkId} is ${status}`,
    })),
    scores: scores(overrides),
  };
}

async function count(
  knex: Awaited<ReturnType<typeof createStore>>['knex'],
  table: string,
): Promise<number> {
  const [{ n }] = await knex(table).count({ n: '*' });
  return Number(n);
}

/** The number of current results: one per entity and check. */
async function countResults(
  knex: Awaited<ReturnType<typeof createStore>>['knex'],
): Promise<number> {
  const [{ n }] = await knex('readiness_entity_results').sum({
    n: 'check_count',
  });
  return Number(n ?? 0);
}

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe.each(databases.eachSupportedId())(
  'DatabaseReadinessStore (%s)',
  databaseId => {
    describe('evaluations', () => {
      it('appends history only when a status changes', async () => {
        const { store, knex } = await createStore(databaseId);

        await expect(
          store.saveEvaluation(
            evaluation(PAYMENTS, at(1, 10), { hpa: 'pass', pdb: 'fail' }),
          ),
        ).resolves.toEqual({ changed: 2, skipped: 0 });

        // The same results an hour later: nothing is appended.
        await expect(
          store.saveEvaluation(
            evaluation(PAYMENTS, at(1, 11), { hpa: 'pass', pdb: 'fail' }),
          ),
        ).resolves.toEqual({ changed: 0, skipped: 0 });
        // The first results are not transitions: the current results hold
        // them, with the time they were first evaluated.
        expect(await count(knex, 'readiness_result_history')).toBe(0);

        // One status changes: exactly one row, with from and to.
        await expect(
          store.saveEvaluation(
            evaluation(PAYMENTS, at(1, 12), { hpa: 'pass', pdb: 'pass' }),
          ),
        ).resolves.toEqual({ changed: 1, skipped: 0 });
        expect(await count(knex, 'readiness_result_history')).toBe(1);

        await expect(store.getHistory(PAYMENTS)).resolves.toEqual([
          {
            entityRef: PAYMENTS,
            checkId: 'pdb',
            fromStatus: 'fail',
            toStatus: 'pass',
            message: 'pdb is pass',
            changedAt: at(1, 12),
          },
        ]);
        const scorecard = await store.getScorecard(PAYMENTS);
        expect(
          scorecard?.results.map(r => [r.checkId, r.message, r.updatedAt]),
        ).toEqual([
          ['hpa', 'hpa is pass', at(1, 10)],
          ['pdb', 'pdb is pass', at(1, 12)],
        ]);
      });

      it('replaces the current results and drops checks no longer present', async () => {
        const { store, knex } = await createStore(databaseId);
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 10), {
            hpa: 'pass',
            pdb: 'fail',
            tls: 'warn',
          }),
        );

        // tls is gone; the message of hpa changes without its status.
        await store.saveEvaluation({
          ...evaluation(PAYMENTS, at(1, 11), { pdb: 'fail', probes: 'pass' }),
          results: [
            { checkId: 'hpa', status: 'pass', message: 'maxReplicas is 10' },
            { checkId: 'pdb', status: 'fail', message: 'pdb is fail' },
            { checkId: 'probes', status: 'pass', message: 'probes is pass' },
          ],
        });

        const scorecard = await store.getScorecard(PAYMENTS);
        expect(scorecard?.results).toEqual([
          {
            checkId: 'hpa',
            status: 'pass',
            message: 'maxReplicas is 10',
            evaluatedAt: at(1, 11),
            updatedAt: at(1, 11),
          },
          {
            checkId: 'pdb',
            status: 'fail',
            message: 'pdb is fail',
            evaluatedAt: at(1, 11),
            updatedAt: at(1, 10),
          },
          {
            checkId: 'probes',
            status: 'pass',
            message: 'probes is pass',
            evaluatedAt: at(1, 11),
            updatedAt: at(1, 11),
          },
        ]);
        expect(await countResults(knex)).toBe(3);
        // Neither the new check (a first result) nor the message change
        // made history.
        await expect(
          store.getHistory(PAYMENTS, { since: at(1, 11) }),
        ).resolves.toEqual([]);
      });

      it('keeps the details of a result, and updates them without a change of the result', async () => {
        const { store, knex } = await createStore(databaseId);
        const pdb = (details?: string) => ({
          ...evaluation(PAYMENTS, at(1, 10), {}),
          results: [
            {
              checkId: 'pdb',
              status: 'fail' as const,
              message: 'No PodDisruptionBudget selects the pods of `payments`.',
              ...(details !== undefined && { details }),
            },
            { checkId: 'hpa', status: 'pass' as const, message: 'hpa is pass' },
          ],
        });
        await store.saveEvaluation(pdb('deployment.pdb is null.'));
        expect((await store.getScorecard(PAYMENTS))?.results).toEqual([
          {
            checkId: 'hpa',
            status: 'pass',
            message: 'hpa is pass',
            evaluatedAt: at(1, 10),
            updatedAt: at(1, 10),
          },
          {
            checkId: 'pdb',
            status: 'fail',
            message: 'No PodDisruptionBudget selects the pods of `payments`.',
            details: 'deployment.pdb is null.',
            evaluatedAt: at(1, 10),
            updatedAt: at(1, 10),
          },
        ]);

        // Only the details change: they are kept, the result is not a change.
        await expect(
          store.saveEvaluation({
            ...pdb('deployment.pdb is missing.'),
            evaluatedAt: at(1, 11),
          }),
        ).resolves.toEqual({ changed: 0, skipped: 0 });
        let results = (await store.getScorecard(PAYMENTS))?.results ?? [];
        expect(results[1]).toMatchObject({
          details: 'deployment.pdb is missing.',
          updatedAt: at(1, 10),
        });

        // And they go when the result has none.
        await store.saveEvaluation({ ...pdb(), evaluatedAt: at(1, 12) });
        results = (await store.getScorecard(PAYMENTS))?.results ?? [];
        expect(results[1]).not.toHaveProperty('details');
        expect(await count(knex, 'readiness_result_history')).toBe(0);
      });

      it('reads results stored before details existed', async () => {
        const { store, knex } = await createStore(databaseId);
        await store.saveEvaluation(evaluation(PAYMENTS, at(1, 10), {}));
        await knex('readiness_entity_results')
          .insert({
            entity_ref: PAYMENTS,
            results: gzipSync(
              JSON.stringify({
                v: 1,
                r: [['pdb', 'fail', 'Failed: deployment.pdb is null.', 1000]],
              }),
            ),
            check_count: 1,
            updated_at: at(1, 10),
          })
          .onConflict('entity_ref')
          .merge();
        expect((await store.getScorecard(PAYMENTS))?.results).toEqual([
          {
            checkId: 'pdb',
            status: 'fail',
            message: 'Failed: deployment.pdb is null.',
            evaluatedAt: at(1, 10),
            updatedAt: new Date(1000),
          },
        ]);
      });

      it('upserts the scores and returns them with the scorecard', async () => {
        const { store, knex } = await createStore(databaseId);
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 10), { hpa: 'fail' }, { score: 40 }),
        );
        await store.saveEvaluation(
          evaluation(
            PAYMENTS,
            at(1, 11),
            { hpa: 'pass' },
            {
              score: 66.7,
              level: 'gold',
              levelRank: 3,
              owner: null,
              system: null,
              tier: null,
              stale: true,
              factsHash: 'hash-2',
            },
          ),
        );

        expect(await count(knex, 'readiness_scores')).toBe(1);
        const scorecard = await store.getScorecard(PAYMENTS);
        expect(scorecard?.scores).toEqual({
          entityRef: PAYMENTS,
          kind: 'Component',
          type: 'service',
          lifecycle: 'production',
          owner: null,
          system: null,
          tier: null,
          level: 'gold',
          levelRank: 3,
          score: 66.7,
          areaScores: [area('auto-scaling', 100), area('security', 50)],
          passed: 3,
          failed: 1,
          factsHash: 'hash-2',
          stale: true,
          evaluatedAt: at(1, 11),
        });
        await expect(store.getFactsHash(PAYMENTS)).resolves.toBe('hash-2');
        await expect(store.getFactsHash(LEDGER)).resolves.toBeUndefined();
        await expect(store.getFactsHashes([PAYMENTS, LEDGER])).resolves.toEqual(
          new Map([[PAYMENTS, 'hash-2']]),
        );
      });

      it('reads entity refs without regard to case', async () => {
        const { store } = await createStore(databaseId);
        await store.saveEvaluation(
          evaluation('Component:default/Payments-API', at(1, 10), {
            hpa: 'pass',
          }),
        );
        const scorecard = await store.getScorecard(PAYMENTS);
        expect(scorecard?.scores.entityRef).toBe(PAYMENTS);
        await expect(
          store.getScorecard('component:default/PAYMENTS-api'),
        ).resolves.toEqual(scorecard);
        await expect(store.getScorecard(LEDGER)).resolves.toBeUndefined();
      });

      it('returns a scorecard without results when no check applies', async () => {
        const { store } = await createStore(databaseId);
        await store.saveEvaluation(evaluation(PAYMENTS, at(1, 10), {}));
        const scorecard = await store.getScorecard(PAYMENTS);
        expect(scorecard?.results).toEqual([]);
        expect(scorecard?.scores.entityRef).toBe(PAYMENTS);
      });

      it('ignores an evaluation older than the stored one', async () => {
        const { store } = await createStore(databaseId);
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 12), { hpa: 'pass' }, { score: 90 }),
        );
        await expect(
          store.saveEvaluation(
            evaluation(PAYMENTS, at(1, 11), { hpa: 'fail' }, { score: 10 }),
          ),
        ).resolves.toEqual({ changed: 0, skipped: 1 });

        const scorecard = await store.getScorecard(PAYMENTS);
        expect(scorecard?.scores.score).toBe(90);
        expect(scorecard?.results[0].status).toBe('pass');
        // The older 'fail' was not applied, so no transition was written.
        await expect(store.getHistory(PAYMENTS)).resolves.toEqual([]);
        const trend = await store.getTrend(PAYMENTS, {
          days: 1,
          now: at(1, 23),
        });
        expect(trend.map(s => s.score)).toEqual([90]);
      });

      it('loses no transition when one entity is saved concurrently', async () => {
        const { store } = await createStore(databaseId);
        const checks = (status: CheckResultStatus) =>
          Object.fromEntries(
            Array.from({ length: 10 }, (_, i) => [`check-${i}`, status]),
          );
        const saves = await Promise.all([
          store.saveEvaluation(evaluation(PAYMENTS, at(1, 10), checks('fail'))),
          store.saveEvaluation(evaluation(PAYMENTS, at(1, 11), checks('pass'))),
          store.saveEvaluation(evaluation(PAYMENTS, at(1, 12), checks('warn'))),
        ]);

        // Whatever the interleaving, the latest evaluation wins and the
        // history is one unbroken chain per check.
        const scorecard = await store.getScorecard(PAYMENTS);
        expect(scorecard?.scores.evaluatedAt).toEqual(at(1, 12));
        expect(scorecard?.results.map(r => r.status)).toEqual(
          Array(10).fill('warn'),
        );
        // Each save counts its status changes, the first result of each of
        // the 10 checks included, which is not a transition.
        const history = await store.getHistory(PAYMENTS, { limit: 1000 });
        expect(history).toHaveLength(
          saves.reduce((sum, save) => sum + save.changed, 0) - 10,
        );
        for (let i = 0; i < 10; i++) {
          const chain = history
            .filter(h => h.checkId === `check-${i}`)
            .reverse();
          // The statuses the check went through; just 'warn' when the
          // latest evaluation was saved first and the others were older.
          const statuses =
            chain.length > 0
              ? [chain[0].fromStatus, ...chain.map(h => h.toStatus)]
              : ['warn'];
          expect(
            chain.every(
              (h, j) => j === 0 || h.fromStatus === chain[j - 1].toStatus,
            ),
          ).toBe(true);
          expect(['fail', 'pass', 'warn']).toContain(statuses[0]);
          expect(statuses[statuses.length - 1]).toBe('warn');
        }
      });

      it('reads the current results of many entities at once', async () => {
        const { store } = await createStore(databaseId);
        await store.saveEvaluations([
          evaluation(PAYMENTS, at(1, 10), { hpa: 'pass', pdb: 'fail' }),
          evaluation(LEDGER, at(1, 10), { tls: 'warn' }),
        ]);
        const upper = PAYMENTS.replace('component:', 'Component:');
        const results = await store.getResultsOfEntities([
          upper,
          LEDGER,
          'component:default/never-evaluated',
        ]);
        expect(Object.fromEntries(results)).toEqual({
          [upper]: [
            { checkId: 'hpa', status: 'pass', message: 'hpa is pass' },
            { checkId: 'pdb', status: 'fail', message: 'pdb is fail' },
          ],
          [LEDGER]: [
            { checkId: 'tls', status: 'warn', message: 'tls is warn' },
          ],
          'component:default/never-evaluated': [],
        });
      });

      it('saves many entities in one call, keeping the latest of duplicates', async () => {
        const { store, knex } = await createStore(databaseId);
        const refs = Array.from(
          { length: 700 },
          (_, i) => `component:default/service-${String(i).padStart(4, '0')}`,
        );
        await expect(
          store.saveEvaluations([
            ...refs.map(ref =>
              evaluation(ref, at(1, 10), { hpa: 'pass', pdb: 'fail' }),
            ),
            evaluation(refs[0], at(1, 9), { hpa: 'error', pdb: 'error' }),
          ]),
        ).resolves.toEqual({ changed: 1400, skipped: 1 });
        expect(await countResults(knex)).toBe(1400);
        expect(await count(knex, 'readiness_score_snapshots')).toBe(700);
        const hashes = await store.getFactsHashes(refs);
        expect(hashes.size).toBe(700);
        const first = await store.getScorecard(refs[0]);
        expect(first?.results.map(r => r.status)).toEqual(['pass', 'fail']);
      });

      it('keeps one snapshot per entity and UTC day, with the latest score', async () => {
        const { store, knex } = await createStore(databaseId);
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 1), { hpa: 'fail' }, { score: 10 }),
        );
        await store.saveEvaluation(
          evaluation(
            PAYMENTS,
            at(1, 23, 59),
            { hpa: 'pass' },
            { score: 20, level: 'gold', levelRank: 3 },
          ),
        );
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(2, 0, 1), { hpa: 'pass' }, { score: 30 }),
        );

        expect(await count(knex, 'readiness_score_snapshots')).toBe(2);
        await expect(
          store.getTrend(PAYMENTS, { days: 30, now: at(2, 12) }),
        ).resolves.toEqual([
          {
            day: '2026-11-01',
            level: 'gold',
            levelRank: 3,
            score: 20,
            areaScores: { 'auto-scaling': 100, security: 50 },
          },
          {
            day: '2026-11-02',
            level: 'silver',
            levelRank: 2,
            score: 30,
            areaScores: { 'auto-scaling': 100, security: 50 },
          },
        ]);
        // The window counts today as its last day.
        const lastDay = await store.getTrend(PAYMENTS, {
          days: 1,
          now: at(2, 12),
        });
        expect(lastDay.map(s => s.day)).toEqual(['2026-11-02']);
      });

      it('carries snapshots forward for entities that were not re-evaluated', async () => {
        const { store, knex } = await createStore(databaseId);
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 10), { hpa: 'pass' }, { score: 80 }),
        );
        await store.saveEvaluation(
          evaluation(LEDGER, at(1, 10), { hpa: 'fail' }, { score: 20 }),
        );
        await store.saveEvaluation(
          evaluation(LEDGER, at(2, 10), { hpa: 'pass' }, { score: 60 }),
        );

        // Nothing to write: the trends carry the latest snapshot forward.
        await expect(
          store.carryForwardSnapshots({ at: at(2, 11) }),
        ).resolves.toBe(0);
        await expect(
          store.carryForwardSnapshots({ at: at(3, 1), entityRefs: [LEDGER] }),
        ).resolves.toBe(0);
        // Only the changes are stored.
        expect(await count(knex, 'readiness_score_snapshots')).toBe(3);
        // An unchanged score on a later day adds nothing either.
        await store.saveEvaluation(
          evaluation(LEDGER, at(3, 10), { hpa: 'pass' }, { score: 60 }),
        );
        expect(await count(knex, 'readiness_score_snapshots')).toBe(3);

        const trend = await store.getTrend(PAYMENTS, {
          days: 7,
          now: at(3, 12),
        });
        expect(trend).toEqual([
          expect.objectContaining({ day: '2026-11-01', score: 80 }),
          {
            day: '2026-11-02',
            level: 'silver',
            levelRank: 2,
            score: 80,
            areaScores: { 'auto-scaling': 100, security: 50 },
          },
        ]);
        // A complete cycle carries every entity forward to its day, also in
        // a window that starts after the latest snapshot.
        await expect(
          store.carryForwardSnapshots({ at: at(5, 1) }),
        ).resolves.toBe(0);
        const later = await store.getTrend(PAYMENTS, {
          days: 2,
          now: at(5, 12),
        });
        expect(later.map(s => [s.day, s.score])).toEqual([
          ['2026-11-04', 80],
          ['2026-11-05', 80],
        ]);
        const portfolio = await store.getPortfolioTrend({
          days: 7,
          now: at(5, 12),
        });
        expect(portfolio.map(p => [p.day, p.count, p.averageScore])).toEqual([
          ['2026-11-01', 2, 50],
          ['2026-11-02', 2, 70],
          ['2026-11-03', 2, 70],
          ['2026-11-04', 2, 70],
          ['2026-11-05', 2, 70],
        ]);
        expect(await count(knex, 'readiness_score_snapshots')).toBe(3);
        const ledger = await store.getTrend(LEDGER, {
          days: 7,
          now: at(3, 12),
        });
        expect(ledger.map(s => [s.day, s.score])).toEqual([
          ['2026-11-01', 20],
          ['2026-11-02', 60],
          ['2026-11-03', 60],
        ]);
      });
    });

    describe('facts', () => {
      it('upserts facts, and marking them stale keeps them', async () => {
        const { store, knex } = await createStore(databaseId);
        await store.saveFacts(PAYMENTS, 'kubernetes', {
          version: 1,
          facts: { hpa: { minReplicas: 2, maxReplicas: 4 } },
          hash: 'a',
          collectedAt: at(1, 10),
        });
        await store.saveFacts(PAYMENTS, 'catalog', {
          version: 1,
          facts: { tier: 'tier-1', tags: ['pci'], nested: { ok: true } },
          hash: 'c',
          collectedAt: at(1, 10),
        });
        await store.saveFacts(PAYMENTS, 'kubernetes', {
          version: 2,
          facts: { hpa: { minReplicas: 3, maxReplicas: 10 } },
          hash: 'b',
          collectedAt: at(1, 11),
        });
        expect(await count(knex, 'readiness_facts')).toBe(2);

        await expect(
          store.markFactsStale(
            PAYMENTS,
            'kubernetes',
            'repository unreachable',
          ),
        ).resolves.toBe(true);
        // Nothing to keep: nothing is marked.
        await expect(
          store.markFactsStale(PAYMENTS, 'tech-insights', 'down'),
        ).resolves.toBe(false);

        const facts = await store.getFacts(PAYMENTS);
        expect([...facts.keys()]).toEqual(['catalog', 'kubernetes']);
        // Small documents are stored as JSON text (reading them is 4x
        // cheaper than inflating them).
        const raw = await knex('readiness_facts').select('facts');
        for (const row of raw) {
          expect(Buffer.isBuffer(row.facts)).toBe(true);
          expect(row.facts.toString('utf8')).toMatch(/^\{/);
        }
        // Documents over 2 KiB are gzip-compressed; and what earlier
        // versions stored (every document compressed) reads the same.
        const large = {
          items: Array.from({ length: 300 }, (_, i) => `item-${i}`),
        };
        await store.saveFacts(PAYMENTS, 'large', {
          version: 1,
          facts: large,
          hash: 'e',
          collectedAt: at(1, 11),
        });
        const [largeRow] = await knex('readiness_facts')
          .where({ collector_id: 'large' })
          .select('facts');
        expect([...largeRow.facts.subarray(0, 2)]).toEqual([0x1f, 0x8b]);
        expect(largeRow.facts.length).toBeLessThan(
          JSON.stringify(large).length / 2,
        );
        expect((await store.getFacts(PAYMENTS)).get('large')?.facts).toEqual(
          large,
        );
        const catalogFacts = (await store.getFacts(PAYMENTS)).get(
          'catalog',
        )?.facts;
        await knex('readiness_facts')
          .where({ collector_id: 'catalog' })
          .update({ facts: gzipSync(JSON.stringify(catalogFacts)) });
        expect((await store.getFacts(PAYMENTS)).get('catalog')?.facts).toEqual(
          catalogFacts,
        );
        await knex('readiness_facts').where({ collector_id: 'large' }).delete();
        expect(facts.get('kubernetes')).toEqual({
          version: 2,
          facts: { hpa: { minReplicas: 3, maxReplicas: 10 } },
          hash: 'b',
          collectedAt: at(1, 11),
          stale: true,
          error: 'repository unreachable',
        });
        expect(facts.get('catalog')).toEqual({
          version: 1,
          facts: { tier: 'tier-1', tags: ['pci'], nested: { ok: true } },
          hash: 'c',
          collectedAt: at(1, 10),
          stale: false,
        });

        // A successful collection clears the stale flag and the error.
        await store.saveFacts(PAYMENTS, 'kubernetes', {
          version: 2,
          facts: { hpa: null },
          hash: 'd',
          collectedAt: at(1, 12),
        });
        const recovered = (await store.getFacts(PAYMENTS)).get('kubernetes');
        expect(recovered).toEqual({
          version: 2,
          facts: { hpa: null },
          hash: 'd',
          collectedAt: at(1, 12),
          stale: false,
        });
        await expect(store.getFacts(LEDGER)).resolves.toEqual(new Map());
      });

      it('saves facts of many entities at once', async () => {
        const { store, knex } = await createStore(databaseId);
        const items = Array.from({ length: 600 }, (_, i) => ({
          entityRef: `component:default/service-${i}`,
          collectorId: 'catalog',
          version: 1,
          facts: { i },
          hash: `h${i}`,
          collectedAt: at(1, 10),
        }));
        await store.saveManyFacts(items);
        await store.saveManyFacts(items.map(item => ({ ...item, version: 2 })));
        expect(await count(knex, 'readiness_facts')).toBe(600);
        const facts = await store.getFacts('component:default/service-599');
        expect(facts.get('catalog')).toMatchObject({
          version: 2,
          facts: { i: 599 },
        });
      });

      it('reads the facts of many entities in chunks, as getFacts does', async () => {
        const { store } = await createStore(databaseId);
        // 1,200 entities: more than two chunks of refs.
        const refs = Array.from(
          { length: 1_200 },
          (_, i) => `component:default/service-${i}`,
        );
        await store.saveManyFacts(
          refs.flatMap((entityRef, i) => [
            {
              entityRef,
              collectorId: 'catalog',
              version: 1,
              facts: { i, tags: i % 2 ? ['pci'] : [] },
              hash: `c${i}`,
              collectedAt: at(1, 10),
            },
            ...(i % 3 === 0
              ? [
                  {
                    entityRef,
                    collectorId: 'kubernetes',
                    version: 2,
                    facts: { hpa: { minReplicas: i } },
                    hash: `k${i}`,
                    collectedAt: at(1, 11),
                  },
                ]
              : []),
          ]),
        );
        await store.markFactsStale(refs[3], 'kubernetes', 'unreachable');

        const unknown = 'component:default/never-collected';
        const facts = await store.getFactsOfEntities([...refs, unknown]);
        expect(facts.size).toBe(1_200);
        expect(facts.has(unknown)).toBe(false);
        for (const ref of refs) {
          expect(facts.get(ref)).toEqual(await store.getFacts(ref));
        }
        expect([...facts.get(refs[3])!.keys()]).toEqual([
          'catalog',
          'kubernetes',
        ]);
        expect(facts.get(refs[3])!.get('kubernetes')).toEqual({
          version: 2,
          facts: { hpa: { minReplicas: 3 } },
          hash: 'k3',
          collectedAt: at(1, 11),
          stale: true,
          error: 'unreachable',
        });
        expect([...facts.get(refs[4])!.keys()]).toEqual(['catalog']);
        await expect(store.getFactsOfEntities([])).resolves.toEqual(new Map());
        await expect(store.getFactsOfEntities([unknown])).resolves.toEqual(
          new Map(),
        );
      });

      it('reads the facts of many entities keyed by lower-cased ref', async () => {
        const { store } = await createStore(databaseId);
        await store.saveFacts('Component:Default/Payments-API', 'catalog', {
          version: 1,
          facts: { tier: 'tier-1' },
          hash: 'a',
          collectedAt: at(1, 10),
        });
        await store.saveFacts(LEDGER, 'catalog', {
          version: 1,
          facts: { tier: 'tier-2' },
          hash: 'b',
          collectedAt: at(1, 10),
        });
        const facts = await store.getFactsOfEntities([
          'COMPONENT:default/payments-api',
          PAYMENTS,
          'Component:Default/Ledger-Api',
        ]);
        expect([...facts.keys()].sort()).toEqual([LEDGER, PAYMENTS]);
        expect(facts.get(PAYMENTS)).toEqual(await store.getFacts(PAYMENTS));
        expect(facts.get(PAYMENTS)!.get('catalog')?.facts).toEqual({
          tier: 'tier-1',
        });
        expect(facts.get(LEDGER)!.get('catalog')?.hash).toBe('b');
      });
    });

    describe('overview', () => {
      type Seed = Partial<EntityScores> & { name: string };
      const seeds: Seed[] = [
        {
          name: 'alpha',
          owner: 'group:default/team-a',
          level: 'gold',
          levelRank: 3,
          score: 100,
          tier: 'tier-1',
          lifecycle: 'production',
          system: 'system:default/shop',
        },
        {
          name: 'bravo',
          owner: 'group:default/team-a',
          level: 'silver',
          levelRank: 2,
          score: 80,
          tier: 'tier-2',
          lifecycle: 'production',
          system: 'system:default/shop',
        },
        {
          name: 'charlie',
          owner: 'group:default/team-b',
          level: 'silver',
          levelRank: 2,
          score: 80,
          tier: 'tier-1',
          lifecycle: 'experimental',
          system: 'system:default/pay',
        },
        {
          name: 'delta',
          owner: 'group:default/team-b',
          level: 'bronze',
          levelRank: 1,
          score: 55.5,
          tier: 'tier-3',
          lifecycle: 'production',
          system: null,
        },
        {
          name: 'echo',
          owner: null,
          level: null,
          levelRank: 0,
          score: 12.5,
          tier: null,
          lifecycle: 'deprecated',
          system: null,
        },
        {
          name: 'foxtrot',
          owner: 'group:default/team-c',
          level: 'gold',
          levelRank: 3,
          score: 95,
          tier: 'tier-1',
          lifecycle: 'production',
          system: 'system:default/pay',
        },
        {
          name: 'golf',
          owner: 'group:default/team-a',
          level: null,
          levelRank: 0,
          score: 0,
          tier: 'tier-2',
          lifecycle: 'production',
          system: 'system:default/shop',
          kind: 'Resource',
          type: 'database',
        },
        {
          name: 'hotel',
          owner: 'group:default/team-c',
          level: 'bronze',
          levelRank: 1,
          score: 55.5,
          tier: 'tier-2',
          lifecycle: 'experimental',
          system: 'system:default/shop',
        },
        {
          name: 'india',
          owner: 'group:default/team-b',
          level: 'gold',
          levelRank: 3,
          score: 100,
          tier: 'tier-1',
          lifecycle: 'production',
          system: 'system:default/pay',
        },
        {
          name: 'juliet_1',
          owner: 'group:default/team-a',
          level: 'silver',
          levelRank: 2,
          score: 70,
          tier: 'tier-3',
          lifecycle: 'production',
          system: 'system:default/shop',
        },
        {
          name: 'juliet%2',
          owner: 'group:default/team-c',
          level: 'silver',
          levelRank: 2,
          score: 80,
          tier: 'tier-1',
          lifecycle: 'production',
          system: null,
        },
      ];
      const refOf = (name: string) =>
        `${name === 'golf' ? 'resource' : 'component'}:default/${name}`;

      async function seed() {
        const created = await createStore(databaseId);
        await created.store.saveEvaluations(
          seeds.map(({ name, ...overrides }) =>
            evaluation(refOf(name), at(1, 10), { hpa: 'pass' }, overrides),
          ),
        );
        return created;
      }

      const names = (items: ScoreListItem[]) =>
        items.map(item => item.entityRef.split('/')[1]);

      it.each<[string, ScoreFilter, string[]]>([
        [
          'owner',
          { owners: ['group:default/team-b'] },
          ['charlie', 'delta', 'india'],
        ],
        ['no owner', { owners: [null] }, ['echo']],
        [
          'two owners',
          { owners: ['group:default/team-c', null] },
          ['echo', 'foxtrot', 'hotel', 'juliet%2'],
        ],
        [
          'system',
          { systems: ['system:default/pay'] },
          ['charlie', 'foxtrot', 'india'],
        ],
        ['no system', { systems: [null] }, ['delta', 'echo', 'juliet%2']],
        [
          'lifecycle',
          { lifecycles: ['experimental', 'deprecated'] },
          ['charlie', 'echo', 'hotel'],
        ],
        ['tier', { tiers: ['tier-3'] }, ['delta', 'juliet_1']],
        ['level', { levels: ['gold'] }, ['alpha', 'foxtrot', 'india']],
        ['no level', { levels: [null] }, ['echo', 'golf']],
        ['kind', { kinds: ['Resource'] }, ['golf']],
        ['kind in another case', { kinds: ['resource'] }, ['golf']],
        [
          'entity refs',
          {
            entityRefs: ['Component:default/Alpha', 'resource:default/golf'],
          },
          ['alpha', 'golf'],
        ],
        [
          'entity refs and owner',
          {
            entityRefs: ['component:default/alpha', 'resource:default/golf'],
            owners: ['group:default/team-a'],
            tiers: ['tier-1'],
          },
          ['alpha'],
        ],
        ['no entity refs', { entityRefs: [] }, []],
        ['type', { types: ['database'] }, ['golf']],
        ['search', { search: 'LIET' }, ['juliet%2', 'juliet_1']],
        ['search with wildcards', { search: '_' }, ['juliet_1']],
        ['search with percent', { search: '%' }, ['juliet%2']],
        [
          'empty lists',
          { owners: [], tiers: [], search: ' ' },
          seeds.map(s => s.name),
        ],
        [
          'combined',
          {
            owners: ['group:default/team-a', 'group:default/team-b'],
            tiers: ['tier-1', 'tier-2'],
            lifecycles: ['production'],
          },
          ['alpha', 'bravo', 'golf', 'india'],
        ],
        ['combined, none', { levels: ['gold'], tiers: ['tier-3'] }, []],
      ])('filters by %s', async (_name, filter, expected) => {
        const { store } = await seed();
        const page = await store.listScores({ filter, limit: 100 });
        expect(names(page.items).sort()).toEqual([...expected].sort());
        expect(page.totalCount).toBe(expected.length);
        expect(page.nextCursor).toBeUndefined();
      });

      const sortKey: Record<
        ScoreOrderBy,
        (item: ScoreListItem) => Array<string | number>
      > = {
        entityRef: item => [item.entityRef],
        score: item => [item.score, item.entityRef],
        level: item => [item.levelRank, item.score, item.entityRef],
        owner: item => [item.owner ?? '', item.entityRef],
      };
      function compareKeys(
        a: Array<string | number>,
        b: Array<string | number>,
      ) {
        for (let i = 0; i < a.length; i++) {
          if (a[i] < b[i]) return -1;
          if (a[i] > b[i]) return 1;
        }
        return 0;
      }

      it('orders, and pages through with cursors without duplicates or gaps', async () => {
        const { store } = await seed();
        const all = (await store.listScores({ limit: 100 })).items;
        expect(all).toHaveLength(seeds.length);

        for (const orderBy of [
          'entityRef',
          'score',
          'level',
          'owner',
        ] as const) {
          for (const order of ['asc', 'desc'] as const) {
            const expected = [...all]
              .sort((a, b) =>
                compareKeys(sortKey[orderBy](a), sortKey[orderBy](b)),
              )
              .map(item => item.entityRef);
            if (order === 'desc') expected.reverse();

            const ordered = await store.listScores({
              orderBy,
              order,
              limit: 100,
            });
            expect(ordered.items.map(i => i.entityRef)).toEqual(expected);

            const seen: string[] = [];
            let cursor: string | undefined;
            let pages = 0;
            do {
              const page = await store.listScores({
                orderBy,
                order,
                limit: 3,
                cursor,
              });
              expect(page.totalCount).toBe(seeds.length);
              seen.push(...page.items.map(i => i.entityRef));
              cursor = page.nextCursor;
              pages += 1;
            } while (cursor && pages < 10);
            expect(seen).toEqual(expected);
            expect(pages).toBe(Math.ceil(seeds.length / 3));
          }
        }
      });

      it('restricts to many entity refs in one statement', async () => {
        const { store } = await seed();
        const entityRefs = [
          ...Array.from(
            { length: 5000 },
            (_, i) => `component:default/missing-${i}`,
          ),
          refOf('bravo'),
          refOf('hotel'),
        ];
        const page = await store.listScores({
          filter: { entityRefs },
          limit: 1,
        });
        expect(names(page.items)).toEqual(['bravo']);
        expect(page.totalCount).toBe(2);
        const next = await store.listScores({
          filter: { entityRefs },
          limit: 1,
          cursor: page.nextCursor,
        });
        expect(names(next.items)).toEqual(['hotel']);
        const summary = await store.summariseScores({ entityRefs });
        expect(summary.total).toBe(2);
        expect(await store.summariseScores({ entityRefs: [] })).toEqual({
          total: 0,
          averageScore: null,
          levels: [],
          owners: [],
        });
        const trend = await store.getPortfolioTrend({
          days: 3,
          now: at(2, 12),
          filter: { entityRefs },
        });
        expect(trend).toEqual([expect.objectContaining({ count: 2 })]);
        expect(
          await store.getPortfolioTrend({
            days: 3,
            now: at(2, 12),
            filter: { entityRefs: [] },
          }),
        ).toEqual([]);
      });

      it('lists the scores with the score of each area', async () => {
        const { store } = await seed();
        const page = await store.listScores({
          filter: { search: 'alpha' },
          limit: 10,
        });
        expect(page.items).toEqual([
          {
            entityRef: 'component:default/alpha',
            kind: 'Component',
            type: 'service',
            lifecycle: 'production',
            owner: 'group:default/team-a',
            system: 'system:default/shop',
            tier: 'tier-1',
            level: 'gold',
            levelRank: 3,
            score: 100,
            areaScores: { 'auto-scaling': 100, security: 50 },
            passed: 3,
            failed: 1,
            factsHash: 'hash-1',
            stale: false,
            evaluatedAt: at(1, 10),
          },
        ]);
        const echo = await store.listScores({
          filter: { search: 'echo' },
          limit: 1,
        });
        expect(echo.items[0]).toMatchObject({
          owner: null,
          level: null,
          tier: null,
        });
      });

      it('pages through a filtered listing', async () => {
        const { store } = await seed();
        const filter: ScoreFilter = {
          owners: ['group:default/team-a', 'group:default/team-b'],
        };
        const first = await store.listScores({
          filter,
          orderBy: 'level',
          order: 'desc',
          limit: 4,
        });
        expect(names(first.items)).toEqual([
          'india',
          'alpha',
          'charlie',
          'bravo',
        ]);
        expect(first.totalCount).toBe(7);
        const second = await store.listScores({
          filter,
          orderBy: 'level',
          order: 'desc',
          limit: 4,
          cursor: first.nextCursor,
        });
        expect(names(second.items)).toEqual(['juliet_1', 'delta', 'golf']);
        expect(second.nextCursor).toBeUndefined();
      });

      it('pages with an offset', async () => {
        const { store } = await seed();
        const page = await store.listScores({
          orderBy: 'score',
          order: 'desc',
          limit: 2,
          offset: 2,
        });
        expect(names(page.items)).toEqual(['foxtrot', 'juliet%2']);
        expect(page.totalCount).toBe(seeds.length);
        expect(page.nextCursor).toBeDefined();
        const next = await store.listScores({
          orderBy: 'score',
          order: 'desc',
          limit: 2,
          cursor: page.nextCursor,
        });
        expect(names(next.items)).toEqual(['charlie', 'bravo']);
        const end = await store.listScores({ limit: 5, offset: 10 });
        expect(names(end.items)).toEqual(['golf']);
        expect(end.nextCursor).toBeUndefined();
      });

      it('rejects a bad cursor, or one of another order', async () => {
        const { store } = await seed();
        await expect(
          store.listScores({ limit: 2, cursor: 'not a cursor' }),
        ).rejects.toThrow(InputError);
        const { nextCursor } = await store.listScores({
          orderBy: 'score',
          limit: 2,
        });
        await expect(
          store.listScores({ orderBy: 'owner', limit: 2, cursor: nextCursor }),
        ).rejects.toThrow(InputError);
        await expect(
          store.listScores({
            orderBy: 'score',
            order: 'desc',
            limit: 2,
            cursor: nextCursor,
          }),
        ).rejects.toThrow(InputError);
      });

      it('summarises per owner and per level', async () => {
        const { store } = await seed();
        const summary = await store.summariseScores();
        expect(summary.total).toBe(seeds.length);
        expect(summary.averageScore).toBeCloseTo(
          seeds.reduce((sum, s) => sum + (s.score ?? 0), 0) / seeds.length,
          1,
        );
        expect(summary.levels).toEqual([
          { level: 'gold', count: 3 },
          { level: 'silver', count: 4 },
          { level: 'bronze', count: 2 },
          { level: null, count: 2 },
        ]);
        expect(summary.owners).toEqual([
          {
            owner: null,
            count: 1,
            averageScore: 12.5,
            levels: [{ level: null, count: 1 }],
          },
          {
            owner: 'group:default/team-a',
            count: 4,
            averageScore: 62.5,
            levels: [
              { level: 'gold', count: 1 },
              { level: 'silver', count: 2 },
              { level: null, count: 1 },
            ],
          },
          {
            owner: 'group:default/team-b',
            count: 3,
            averageScore: 78.5,
            levels: [
              { level: 'gold', count: 1 },
              { level: 'silver', count: 1 },
              { level: 'bronze', count: 1 },
            ],
          },
          {
            owner: 'group:default/team-c',
            count: 3,
            averageScore: 76.8,
            levels: [
              { level: 'gold', count: 1 },
              { level: 'silver', count: 1 },
              { level: 'bronze', count: 1 },
            ],
          },
        ]);

        const filtered = await store.summariseScores({ tiers: ['tier-1'] });
        expect(filtered.total).toBe(5);
        expect(filtered.owners.map(o => [o.owner, o.count])).toEqual([
          ['group:default/team-a', 1],
          ['group:default/team-b', 2],
          ['group:default/team-c', 2],
        ]);
        const empty = await store.summariseScores({
          owners: ['group:default/nobody'],
        });
        expect(empty).toEqual({
          total: 0,
          averageScore: null,
          levels: [],
          owners: [],
        });
      });
    });

    describe('portfolio trend', () => {
      it('averages scores and counts levels per day, with filters', async () => {
        const { store } = await createStore(databaseId);
        const team = (owner: string) => ({ owner });
        await store.saveEvaluations([
          evaluation(
            PAYMENTS,
            at(1, 10),
            {},
            {
              ...team('group:default/a'),
              score: 40,
              level: 'bronze',
              levelRank: 1,
            },
          ),
          evaluation(
            LEDGER,
            at(1, 10),
            {},
            {
              ...team('group:default/b'),
              score: 60,
              level: null,
              levelRank: 0,
            },
          ),
        ]);
        await store.saveEvaluations([
          evaluation(
            PAYMENTS,
            at(2, 10),
            {},
            {
              ...team('group:default/a'),
              score: 80,
              level: 'gold',
              levelRank: 3,
            },
          ),
          evaluation(
            LEDGER,
            at(2, 10),
            {},
            {
              ...team('group:default/b'),
              score: 70,
              level: 'gold',
              levelRank: 3,
            },
          ),
        ]);
        await store.saveEvaluation(
          evaluation(
            PAYMENTS,
            at(3, 10),
            {},
            {
              ...team('group:default/a'),
              score: 90,
              level: 'gold',
              levelRank: 3,
            },
          ),
        );

        await expect(
          store.getPortfolioTrend({ days: 30, now: at(3, 12) }),
        ).resolves.toEqual([
          {
            day: '2026-11-01',
            count: 2,
            averageScore: 50,
            levels: [
              { level: 'bronze', count: 1 },
              { level: null, count: 1 },
            ],
          },
          {
            day: '2026-11-02',
            count: 2,
            averageScore: 75,
            levels: [{ level: 'gold', count: 2 }],
          },
          {
            day: '2026-11-03',
            count: 1,
            averageScore: 90,
            levels: [{ level: 'gold', count: 1 }],
          },
        ]);

        const lastTwo = await store.getPortfolioTrend({
          days: 2,
          now: at(3, 12),
        });
        expect(lastTwo.map(p => p.day)).toEqual(['2026-11-02', '2026-11-03']);

        const teamB = await store.getPortfolioTrend({
          days: 30,
          now: at(3, 12),
          filter: { owners: ['group:default/b'] },
        });
        expect(teamB.map(p => [p.day, p.count, p.averageScore])).toEqual([
          ['2026-11-01', 1, 60],
          ['2026-11-02', 1, 70],
        ]);
      });
    });

    describe('deletion', () => {
      it('applies retention only to what is older', async () => {
        const { store, knex } = await createStore(databaseId);
        // A first result on day 1, then one transition and one score change
        // per day, to day 10.
        for (let day = 1; day <= 10; day++) {
          await store.saveEvaluation(
            evaluation(
              PAYMENTS,
              at(day, 12),
              { hpa: day % 2 ? 'pass' : 'fail' },
              { score: day % 2 ? 80 : 20 },
            ),
          );
        }
        expect(await count(knex, 'readiness_result_history')).toBe(9);
        expect(await count(knex, 'readiness_score_snapshots')).toBe(10);

        // History older than 3 days before day 10 at noon (days 2-6); snapshots
        // of days before day 5 (days 1-4).
        await expect(
          store.applyRetention({
            historyDays: 3,
            snapshotDays: 5,
            now: at(10, 12),
          }),
          // The overview change log keeps 24 hours: the changes of days 1-8.
        ).resolves.toEqual({ history: 5, snapshots: 4, overviewChanges: 8 });
        const history = await store.getHistory(PAYMENTS);
        expect(history.map(h => h.changedAt)).toEqual([
          at(10, 12),
          at(9, 12),
          at(8, 12),
          at(7, 12),
        ]);
        const trend = await store.getTrend(PAYMENTS, {
          days: 30,
          now: at(10, 12),
        });
        expect(trend.map(s => s.day)).toEqual([
          '2026-11-05',
          '2026-11-06',
          '2026-11-07',
          '2026-11-08',
          '2026-11-09',
          '2026-11-10',
        ]);
        // An entity whose score has not changed since before the cutoff
        // keeps its latest snapshot, moved to the cutoff day.
        await store.saveEvaluation(
          evaluation(LEDGER, at(1, 12), { hpa: 'pass' }, { score: 42 }),
        );
        await store.saveEvaluation(
          evaluation(LEDGER, at(8, 12), { hpa: 'pass' }, { score: 42 }),
        );
        await expect(
          store.applyRetention({
            historyDays: 3,
            snapshotDays: 5,
            now: at(10, 12),
          }),
          // Ledger's changes (days 1 and 8) are older than 24 hours, and
          // with them every change of a generation before them (days 9, 10).
        ).resolves.toEqual({ history: 0, snapshots: 0, overviewChanges: 4 });
        const ledger = await store.getTrend(LEDGER, {
          days: 30,
          now: at(10, 12),
        });
        expect(ledger.map(s => [s.day, s.score])).toEqual([
          ['2026-11-05', 42],
          ['2026-11-06', 42],
          ['2026-11-07', 42],
          ['2026-11-08', 42],
        ]);
        // The current state is not history.
        expect(await countResults(knex)).toBe(2);
        expect(await count(knex, 'readiness_scores')).toBe(2);

        await expect(
          store.applyRetention({
            historyDays: 3,
            snapshotDays: 5,
            now: at(10, 12),
          }),
        ).resolves.toEqual({ history: 0, snapshots: 0, overviewChanges: 0 });
        await expect(
          store.applyRetention({ historyDays: -1, snapshotDays: 5 }),
        ).rejects.toThrow(InputError);
      });

      it('deletes an entity', async () => {
        const { store, knex } = await createStore(databaseId);
        for (const ref of [PAYMENTS, LEDGER]) {
          await store.saveFacts(ref, 'catalog', {
            version: 1,
            facts: {},
            hash: 'h',
            collectedAt: at(1, 10),
          });
          await store.saveEvaluation(
            evaluation(ref, at(1, 10), { hpa: 'pass' }),
          );
        }
        await store.saveFacts(
          'component:default/not-yet-evaluated',
          'catalog',
          {
            version: 1,
            facts: {},
            hash: 'h',
            collectedAt: at(1, 10),
          },
        );
        await expect(store.listEntityRefs()).resolves.toEqual([
          LEDGER,
          'component:default/not-yet-evaluated',
          PAYMENTS,
        ]);

        await store.deleteEntity('Component:default/Payments-API');

        await expect(store.getScorecard(PAYMENTS)).resolves.toBeUndefined();
        await expect(store.getFacts(PAYMENTS)).resolves.toEqual(new Map());
        await expect(store.getHistory(PAYMENTS)).resolves.toEqual([]);
        await expect(
          store.getTrend(PAYMENTS, { days: 30, now: at(1, 12) }),
        ).resolves.toEqual([]);
        for (const table of [
          'readiness_facts',
          'readiness_entity_results',
          'readiness_result_history',
          'readiness_scores',
          'readiness_score_snapshots',
        ]) {
          const rows = await knex(table).distinct('entity_ref');
          expect(rows.map(r => r.entity_ref)).not.toContain(PAYMENTS);
        }
        await expect(store.getScorecard(LEDGER)).resolves.toBeDefined();
      });
    });

    describe('overview changes', () => {
      it('logs the entities whose evaluations were saved, and nothing for one that lost', async () => {
        const { store, knex } = await createStore(databaseId);
        const changes = new DatabaseOverviewChanges(knex);
        const start = await changes.getGeneration();

        await store.saveEvaluations([
          evaluation('Component:default/Payments-API', at(1, 10), {
            hpa: 'pass',
          }),
          evaluation(LEDGER, at(1, 10), { hpa: 'fail' }),
        ]);
        const g1 = await changes.getGeneration();
        expect(g1).toBe(start + 1);
        await expect(changes.getChangesSince(start)).resolves.toEqual({
          generation: g1,
          entityRefs: [LEDGER, PAYMENTS],
        });

        // Older than the stored evaluation: ignored, nothing logged.
        await expect(
          store.saveEvaluation(evaluation(PAYMENTS, at(1, 9), { hpa: 'fail' })),
        ).resolves.toEqual({ changed: 0, skipped: 1 });
        await expect(changes.getGeneration()).resolves.toBe(g1);

        // One loses and one wins: only the winner is logged.
        await store.saveEvaluations([
          evaluation(PAYMENTS, at(1, 8), { hpa: 'fail' }),
          evaluation(LEDGER, at(1, 11), { hpa: 'pass' }),
        ]);
        const g2 = await changes.getGeneration();
        expect(g2).toBe(g1 + 1);
        await expect(changes.getChangesSince(g1)).resolves.toEqual({
          generation: g2,
          entityRefs: [LEDGER],
        });

        // The same results again still changes the evaluation time shown.
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 12), { hpa: 'pass' }),
        );
        const g3 = await changes.getGeneration();
        await expect(changes.getChangesSince(g2)).resolves.toEqual({
          generation: g3,
          entityRefs: [PAYMENTS],
        });
      });

      it('logs a deleted entity', async () => {
        const { store, knex } = await createStore(databaseId);
        const changes = new DatabaseOverviewChanges(knex);
        for (const ref of [PAYMENTS, LEDGER]) {
          await store.saveEvaluation(
            evaluation(ref, at(1, 10), { hpa: 'pass' }),
          );
        }
        const before = await changes.getGeneration();

        await store.deleteEntity('Component:default/Payments-API');

        const after = await changes.getGeneration();
        expect(after).toBe(before + 1);
        await expect(changes.getChangesSince(before)).resolves.toEqual({
          generation: after,
          entityRefs: [PAYMENTS],
        });
      });

      it('prunes the change log older than 24 hours with the retention', async () => {
        const { store, knex } = await createStore(databaseId);
        const changes = new DatabaseOverviewChanges(knex);
        await store.saveEvaluation(
          evaluation(PAYMENTS, at(1, 10), { hpa: 'pass' }),
        );
        await store.saveEvaluation(
          evaluation(LEDGER, at(1, 10), { hpa: 'pass' }),
        );
        const current = await changes.getGeneration();
        // An evaluation's change is stamped with the evaluation's time.
        const now = at(1, 10).getTime();

        await expect(
          store.applyRetention({
            historyDays: 30,
            snapshotDays: 30,
            now: new Date(now + 23 * 60 * 60 * 1000),
          }),
        ).resolves.toEqual({ history: 0, snapshots: 0, overviewChanges: 0 });
        await expect(changes.getChangesSince(0)).resolves.toEqual({
          generation: current,
          entityRefs: [LEDGER, PAYMENTS],
        });

        await expect(
          store.applyRetention({
            historyDays: 30,
            snapshotDays: 30,
            now: new Date(now + 25 * 60 * 60 * 1000),
          }),
        ).resolves.toEqual({ history: 0, snapshots: 0, overviewChanges: 2 });
        await expect(changes.getChangesSince(0)).resolves.toEqual({
          generation: current,
          reload: true,
        });
        await expect(changes.getChangesSince(current)).resolves.toEqual({
          generation: current,
          entityRefs: [],
        });
        // The scores themselves are current state, not log.
        expect(await count(knex, 'readiness_scores')).toBe(2);
      });
    });
  },
);

// Bulk: many entities, hourly, for a week. On SQLite only, to keep the suite
// fast; the change-only logic is the same on every engine.
describe('DatabaseReadinessStore history size', () => {
  it.each(
    databases.eachSupportedId().filter(([id]) => id.startsWith('SQLITE')),
  )(
    'grows the history with the changes, not with the evaluations (%s)',
    async databaseId => {
      const { store, knex } = await createStore(databaseId);
      const ENTITIES = 200;
      const CHECKS = 25;
      // A week: 30 days (3.6 million results) take over 20 s on a small
      // machine and prove nothing more; the benchmark measures 30 days.
      const DAYS = 7;
      const CHANGE_RATE = 0.02;
      const STATUSES: CheckResultStatus[] = ['pass', 'fail', 'warn'];
      const next = random(42);

      const refs = Array.from(
        { length: ENTITIES },
        (_, i) => `component:default/service-${String(i).padStart(3, '0')}`,
      );
      const state = refs.map(() =>
        Array.from({ length: CHECKS }, () => STATUSES[0]),
      );
      const start = Date.UTC(2026, 9, 1);
      let expectedChanges = 0; // the first results are not transitions
      let evaluations = 0;
      const changes: number[] = [];

      for (let hour = 0; hour < DAYS * 24; hour++) {
        if (hour > 0) {
          for (const checks of state) {
            for (let c = 0; c < CHECKS; c++) {
              if (next() < CHANGE_RATE) {
                checks[c] = STATUSES[(STATUSES.indexOf(checks[c]) + 1) % 3];
                expectedChanges += 1;
              }
            }
          }
        }
        const evaluatedAt = new Date(start + hour * 3_600_000);
        const { changed } = await store.saveEvaluations(
          refs.map((entityRef, e) => {
            const passed = state[e].filter(s => s === 'pass').length;
            return {
              entityRef,
              evaluatedAt,
              results: state[e].map((status, c) => ({
                checkId: `check-${c}`,
                status,
                message: `check-${c} is ${status}`,
              })),
              scores: scores({
                score: Math.round((passed / CHECKS) * 1000) / 10,
                passed,
                failed: CHECKS - passed,
              }),
            };
          }),
        );
        evaluations += ENTITIES;
        changes.push(changed);
      }
      // The first evaluation: every result is a change from nothing.
      expect(changes[0]).toBe(ENTITIES * CHECKS);

      const historyRows = await count(knex, 'readiness_result_history');
      expect(historyRows).toBe(expectedChanges);
      // About 2% of the results per evaluation, far fewer than the results
      // evaluated.
      expect(historyRows).toBeLessThan(evaluations * CHECKS * 0.03);
      expect(await countResults(knex)).toBe(ENTITIES * CHECKS);
      expect(await count(knex, 'readiness_scores')).toBe(ENTITIES);
      // A snapshot per entity and day at most: only when the score changed.
      const snapshotRows = await count(knex, 'readiness_score_snapshots');
      expect(snapshotRows).toBeGreaterThanOrEqual(ENTITIES);
      expect(snapshotRows).toBeLessThanOrEqual(ENTITIES * DAYS);
      // The trend still has a point per day.
      const trend = await store.getTrend(refs[0], {
        days: DAYS,
        now: new Date(start + (DAYS * 24 - 1) * 3_600_000),
      });
      expect(trend).toHaveLength(DAYS);
      const portfolio = await store.getPortfolioTrend({
        days: DAYS,
        now: new Date(start + (DAYS * 24 - 1) * 3_600_000),
      });
      expect(portfolio.map(p => p.count)).toEqual(Array(DAYS).fill(ENTITIES));
    },
  );
});
