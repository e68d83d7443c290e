import fs from 'fs';
import os from 'os';
import path from 'path';
import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import type { JsonObject } from '@backstage/types';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { CheckDefinition } from '@prodready/plugin-readiness-common';
import type {
  CheckOperator,
  FactCollector,
} from '@prodready/plugin-readiness-node';
import { DatabaseReadinessStore } from '../../database';
import { CheckDefinitionError } from '@prodready/plugin-readiness-engine';
import { createEntityFactCollector } from '@prodready/plugin-readiness-engine';
import { DefaultReadinessEngine } from './DefaultReadinessEngine';

jest.setTimeout(60_000);

/** Small checks on a `probe` fact document, and one on the entity. */
const TEST_CHECKS: CheckDefinition[] = [
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
  {
    id: 'described',
    title: 'Has a description',
    area: 'monitoring',
    level: 'gold',
    severity: 'warning',
    applicability: { lifecycles: ['production'] },
    rule: {
      all: [
        {
          fact: 'entity',
          path: '$.hasDescription',
          operator: 'equal',
          value: true,
        },
      ],
    },
    remediation: 'Describe the service.',
  },
];

function service(name: string, extra: Partial<Entity['spec']> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: { 'prodready.dev/tier': 'tier-1' },
    },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'Team-Payments',
      system: 'payments',
      ...extra,
    },
  };
}

/**
 * A `probe` collector whose facts the test sets per entity name, counting
 * its calls; it throws when the facts are an Error.
 */
function createProbe(initial: Record<string, JsonObject | Error> = {}) {
  const facts = new Map(Object.entries(initial));
  const calls = new Map<string, number>();
  let active = 0;
  let maxActive = 0;
  let gate: Promise<void> | undefined;
  const collector: FactCollector = {
    id: 'probe',
    version: 1,
    async collect({ entity }) {
      const name = entity.metadata.name;
      calls.set(name, (calls.get(name) ?? 0) + 1);
      active += 1;
      maxActive = Math.max(maxActive, active);
      try {
        await new Promise(resolve => setImmediate(resolve));
        if (gate) await gate;
        const value = facts.get(name) ?? { replicas: 3, tls: true };
        if (value instanceof Error) throw value;
        return value;
      } finally {
        active -= 1;
      }
    },
  };
  return {
    collector,
    facts,
    calls,
    maxActive: () => maxActive,
    totalCalls: () => [...calls.values()].reduce((a, b) => a + b, 0),
    hold() {
      let release = () => {};
      gate = new Promise(resolve => {
        release = resolve;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
  };
}

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

async function setup(
  options: {
    entities?: Entity[];
    config?: JsonObject;
    probe?: ReturnType<typeof createProbe>;
    builtInChecks?: CheckDefinition[];
    operators?: CheckOperator[];
    now?: () => Date;
    workingDirectory?: string;
  } = {},
) {
  const knex = await databases.init('SQLITE_3');
  const store = await DatabaseReadinessStore.create({
    database: mockServices.database({ knex, migrations: { skip: false } }),
  });
  const catalog = catalogServiceMock({
    entities: options.entities ?? [service('checkout'), service('ledger')],
  });
  const probe = options.probe ?? createProbe();
  const logger = mockServices.logger.mock();
  const create = (config: JsonObject = options.config ?? {}) =>
    DefaultReadinessEngine.create({
      config: new ConfigReader(config),
      logger,
      auth: mockServices.auth(),
      catalog,
      store,
      collectors: [createEntityFactCollector(), probe.collector],
      builtInChecks: options.builtInChecks ?? TEST_CHECKS,
      operators: options.operators,
      now: options.now,
      workingDirectory: options.workingDirectory,
    });
  const engine = await create();
  return { knex, store, catalog, probe, logger, engine, create };
}

describe('DefaultReadinessEngine', () => {
  describe('runCycle', () => {
    it('evaluates every entity and stores its scorecard with the overview columns', async () => {
      const probe = createProbe({ ledger: { replicas: 1, tls: true } });
      const { engine, store } = await setup({ probe });

      const summary = await engine.runCycle();

      expect(summary).toEqual({
        total: 2,
        evaluated: 2,
        skipped: 0,
        failed: 0,
        removed: 0,
        durationMs: expect.any(Number),
      });
      const checkout = await store.getScorecard('component:default/checkout');
      expect(checkout?.scores).toEqual(
        expect.objectContaining({
          entityRef: 'component:default/checkout',
          kind: 'Component',
          type: 'service',
          lifecycle: 'production',
          owner: 'group:default/team-payments',
          system: 'system:default/payments',
          tier: 'tier-1',
          // A warning does not block a level.
          level: 'gold',
          levelRank: 3,
          // replicas and tls pass; the description warns.
          score: 66.7,
          passed: 2,
          failed: 0,
          stale: false,
          factsHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        }),
      );
      expect(checkout?.results.map(r => [r.checkId, r.status])).toEqual([
        ['described', 'warn'],
        ['replicas', 'pass'],
        ['tls', 'pass'],
      ]);

      const ledger = await store.getScorecard('component:default/ledger');
      expect(ledger?.scores).toEqual(
        expect.objectContaining({ level: null, levelRank: 0, failed: 1 }),
      );
      expect(
        ledger?.results.find(r => r.checkId === 'replicas')?.message,
      ).toMatch(/^Failed: probe.replicas is 1/);

      // The facts are stored per collector.
      const facts = await store.getFacts('component:default/ledger');
      expect([...facts.keys()]).toEqual(['entity', 'probe']);
      expect(facts.get('probe')?.facts).toEqual({ replicas: 1, tls: true });
    });

    it('stores the message in words of a check that has one, with the facts as details', async () => {
      const probe = createProbe({ ledger: { replicas: 1, tls: true } });
      const worded: CheckDefinition = {
        ...TEST_CHECKS[0],
        messages: {
          pass: 'Runs {probe.replicas} replicas',
          fail: 'Runs {probe.replicas} replica(s): run at least two',
        },
      };
      const { engine, store } = await setup({
        probe,
        builtInChecks: [worded, ...TEST_CHECKS.slice(1)],
      });
      await engine.runCycle();

      const ledger = await store.getScorecard('component:default/ledger');
      expect(ledger?.results.find(r => r.checkId === 'replicas')).toMatchObject(
        {
          status: 'fail',
          message: 'Runs 1 replica(s): run at least two.',
          details: 'probe.replicas is 1; expected ≥ 2.',
        },
      );
      const checkout = await store.getScorecard('component:default/checkout');
      expect(
        checkout?.results.find(r => r.checkId === 'replicas'),
      ).toMatchObject({
        status: 'pass',
        message: 'Runs 3 replicas.',
        details: 'probe.replicas is 3 (≥ 2).',
      });
      // Checks without messages keep the explanation, with no details.
      expect(
        checkout?.results.find(r => r.checkId === 'tls'),
      ).not.toHaveProperty('details');
    });

    it('skips entities whose facts did not change', async () => {
      const { engine, store, probe } = await setup();
      await engine.runCycle();
      const before = await store.getScorecard('component:default/checkout');

      const second = await engine.runCycle();

      expect(second).toEqual(
        expect.objectContaining({ total: 2, evaluated: 0, skipped: 2 }),
      );
      // The facts are collected, to compare them, but nothing is evaluated.
      expect(probe.calls.get('checkout')).toBe(2);
      const after = await store.getScorecard('component:default/checkout');
      expect(after?.scores.evaluatedAt).toEqual(before?.scores.evaluatedAt);

      // One entity's facts change: only it is evaluated again.
      probe.facts.set('ledger', { replicas: 1, tls: true });
      const third = await engine.runCycle();
      expect(third).toEqual(
        expect.objectContaining({ evaluated: 1, skipped: 1 }),
      );
      const history = await store.getHistory('component:default/ledger', {
        checkId: 'replicas',
      });
      expect(history.map(h => [h.fromStatus, h.toStatus])).toEqual([
        ['pass', 'fail'],
      ]);
    });

    it('evaluates again on a new day when a rule depends on the date, and when the checks change', async () => {
      let now = new Date('2026-11-26T10:00:00Z');
      const dated: CheckDefinition = {
        id: 'deployed-recently',
        title: 'Deployed in the last 30 days',
        area: 'deployment',
        level: 'gold',
        severity: 'warning',
        rule: {
          all: [
            {
              fact: 'probe',
              path: '$.deployedAt',
              operator: 'dateWithin',
              value: '30d',
            },
          ],
        },
        remediation: 'Deploy.',
      };
      const { engine, create } = await setup({
        now: () => now,
        builtInChecks: [...TEST_CHECKS, dated],
      });
      await engine.runCycle();
      expect(await engine.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 0, skipped: 2 }),
      );

      // The date rule may give another result today.
      now = new Date('2026-11-27T00:30:00Z');
      expect(await engine.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 2, skipped: 0 }),
      );

      // Another engine with other checks, on the same store: everything is
      // evaluated again, once.
      const undated = await create({
        readiness: { disabledChecks: ['deployed-recently'] },
      });
      expect(await undated.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 2, skipped: 0 }),
      );
      // Without date rules, a new day changes nothing.
      now = new Date('2026-11-28T00:30:00Z');
      expect(await undated.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 0, skipped: 2 }),
      );
    });

    it('keeps the previous facts of a failing collector and marks the scorecard stale', async () => {
      const { engine, store, probe } = await setup();
      await engine.runCycle();

      probe.facts.set('checkout', new Error('git.example.com: ECONNREFUSED'));
      const summary = await engine.runCycle();

      expect(summary).toEqual(
        expect.objectContaining({ evaluated: 1, skipped: 1, failed: 0 }),
      );
      const facts = await store.getFacts('component:default/checkout');
      expect(facts.get('probe')).toEqual(
        expect.objectContaining({
          facts: { replicas: 3, tls: true },
          stale: true,
          error: 'git.example.com: ECONNREFUSED',
        }),
      );
      const scorecard = await store.getScorecard('component:default/checkout');
      expect(scorecard?.scores.stale).toBe(true);
      // Evaluated on the previous facts: the results are those of before.
      expect(scorecard?.scores.level).toBe('gold');

      // A refresh says why.
      const refreshed = await engine.refresh('component:default/checkout', {
        credentials: mockCredentials.user(),
      });
      expect(refreshed.stale).toBe(true);
      expect(refreshed.staleReason).toMatch(
        /^The 'probe' fact collector failed: git\.example\.com: ECONNREFUSED; the facts collected at \d{4}-\d\d-\d\dT[\d:.]+Z are used\.$/,
      );

      // The same failure again changes nothing; recovery clears the flag.
      expect(await engine.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 0, skipped: 2 }),
      );
      probe.facts.delete('checkout');
      expect(await engine.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 1 }),
      );
      expect(
        (await store.getScorecard('component:default/checkout'))?.scores.stale,
      ).toBe(false);
      expect(
        (await store.getFacts('component:default/checkout')).get('probe'),
      ).toEqual(expect.objectContaining({ stale: false }));
    });

    it('marks the scorecard stale when a collector fails with no earlier facts', async () => {
      const probe = createProbe({ checkout: new Error('timeout') });
      const { engine, store } = await setup({ probe });

      await engine.runCycle();

      const scorecard = await store.getScorecard('component:default/checkout');
      expect(scorecard?.scores.stale).toBe(true);
      expect(scorecard?.scores.level).toBeNull();
      expect(
        scorecard?.results.find(r => r.checkId === 'replicas')?.status,
      ).toBe('error');
      const refreshed = await engine.refresh('component:checkout', {
        credentials: mockCredentials.user(),
      });
      expect(refreshed.staleReason).toBe(
        "The 'probe' fact collector failed: timeout; there are no earlier facts, so the checks that need them could not be evaluated.",
      );
    });

    it('deletes the results of entities that left the catalog', async () => {
      const { engine, store, catalog } = await setup({
        entities: [service('checkout'), service('ledger'), service('refunds')],
      });
      await engine.runCycle();
      expect(await store.listEntityRefs()).toHaveLength(3);

      await catalog.removeEntityByUid(
        (await catalog.getEntityByRef('component:default/ledger'))!.metadata
          .uid!,
      );
      const summary = await engine.runCycle();

      expect(summary.removed).toBe(1);
      expect(await store.listEntityRefs()).toEqual([
        'component:default/checkout',
        'component:default/refunds',
      ]);
    });

    it('keeps every result when the catalog cannot be read', async () => {
      const { engine, store, catalog } = await setup();
      await engine.runCycle();
      jest
        .spyOn(catalog, 'queryEntities')
        .mockRejectedValueOnce(new Error('connect ECONNREFUSED 10.0.0.1:7007'));

      await expect(engine.runCycle()).rejects.toThrow(
        'Readiness evaluation cycle failed; caused by Error: Could not read the entities of the catalog; caused by Error: connect ECONNREFUSED 10.0.0.1:7007',
      );

      expect(await store.listEntityRefs()).toHaveLength(2);
      expect(engine.getStatus()).toEqual(
        expect.objectContaining({
          running: false,
          lastCycleError: expect.stringContaining('ECONNREFUSED'),
        }),
      );
      // And recovers by itself.
      await engine.runCycle();
      expect(engine.getStatus().lastCycleError).toBeUndefined();
    });

    it('stops when aborted, deleting nothing', async () => {
      const { engine, store, catalog, probe } = await setup({
        entities: [service('checkout'), service('ledger')],
      });
      await engine.runCycle();
      await catalog.removeEntityByUid(
        (await catalog.getEntityByRef('component:default/ledger'))!.metadata
          .uid!,
      );
      const controller = new AbortController();
      const release = probe.hold();
      const cycle = engine.runCycle({ signal: controller.signal });
      await waitFor(() => engine.getStatus().progress.total === 1);
      controller.abort();
      release();

      await expect(cycle).rejects.toThrow(
        'Readiness evaluation cycle failed; caused by Error: The evaluation cycle was aborted',
      );
      expect(await store.listEntityRefs()).toHaveLength(2);
    });

    it('reports its progress, and evaluates with bounded concurrency', async () => {
      const entities = Array.from({ length: 12 }, (_, i) =>
        service(`svc-${i}`),
      );
      const { engine, probe } = await setup({
        entities,
        config: { readiness: { evaluation: { concurrency: 3 } } },
      });
      expect(engine.getStatus()).toEqual({
        running: false,
        progress: { done: 0, total: 0, skipped: 0, failed: 0 },
      });

      const release = probe.hold();
      const cycle = engine.runCycle();
      await waitFor(() => probe.totalCalls() === 3);
      const running = engine.getStatus();
      expect(running).toEqual(
        expect.objectContaining({
          running: true,
          progress: { done: 0, total: 12, skipped: 0, failed: 0 },
          lastCycleStartedAt: expect.any(String),
        }),
      );
      await expect(engine.runCycle()).rejects.toThrow(
        'A readiness evaluation cycle is already running in this instance',
      );
      release();
      await cycle;

      expect(probe.maxActive()).toBe(3);
      expect(engine.getStatus()).toEqual(
        expect.objectContaining({
          running: false,
          progress: { done: 12, total: 12, skipped: 0, failed: 0 },
          lastCycleFinishedAt: expect.any(String),
        }),
      );
    });

    it('pages through the catalog', async () => {
      const entities = Array.from({ length: 501 }, (_, i) =>
        service(`svc-${String(i).padStart(3, '0')}`),
      );
      const { engine, store, catalog } = await setup({
        entities: [...entities, { ...service('an-api'), kind: 'API' }],
        config: { readiness: { evaluation: { concurrency: 8 } } },
      });
      const query = jest.spyOn(catalog, 'queryEntities');
      const getFacts = jest.spyOn(store, 'getFacts');
      const getFactsOfEntities = jest.spyOn(store, 'getFactsOfEntities');

      const summary = await engine.runCycle();

      expect(summary).toEqual(
        expect.objectContaining({ total: 501, evaluated: 501 }),
      );
      expect(query).toHaveBeenCalledTimes(2);
      expect(query.mock.calls[0][0]).toEqual({
        filter: { kind: ['Component'] },
        limit: 500,
      });
      expect((await store.listScores({ limit: 1 })).totalCount).toBe(501);
      // The previous facts are read per page, not per entity.
      expect(getFacts).not.toHaveBeenCalled();
      expect(getFactsOfEntities).toHaveBeenCalledTimes(2);
      expect(
        getFactsOfEntities.mock.calls.map(([refs]) => refs.length),
      ).toEqual([500, 1]);
    });

    it('hands each entity the previous facts read for its page', async () => {
      const probe = createProbe({
        checkout: { replicas: 1, tls: true },
        ledger: { replicas: 4, tls: false },
      });
      const { engine, store } = await setup({ probe });
      await engine.runCycle();
      const getFacts = jest.spyOn(store, 'getFacts');

      // Both collectors fail: each entity keeps its own previous facts.
      probe.facts.set('checkout', new Error('down'));
      probe.facts.set('ledger', new Error('down'));
      expect(await engine.runCycle()).toEqual(
        expect.objectContaining({ evaluated: 2, failed: 0 }),
      );

      expect(getFacts).not.toHaveBeenCalled();
      const checkout = await store.getScorecard('component:default/checkout');
      const ledger = await store.getScorecard('component:default/ledger');
      expect(checkout?.scores.stale).toBe(true);
      expect(ledger?.scores.stale).toBe(true);
      const statuses = (card: typeof checkout) =>
        Object.fromEntries(
          card!.results
            .filter(r => r.checkId !== 'described')
            .map(r => [r.checkId, r.status]),
        );
      expect(statuses(checkout)).toEqual({ replicas: 'fail', tls: 'pass' });
      expect(statuses(ledger)).toEqual({ replicas: 'pass', tls: 'fail' });
    });
  });

  describe('listeners', () => {
    it('tells listeners each batch with the levels and statuses stored before it', async () => {
      const probe = createProbe();
      const { engine, store } = await setup({ probe });
      const batches: Array<{ refs: string[]; previous: unknown }> = [];
      engine.addListener({
        async onEvaluated(evaluations, { previous }) {
          batches.push({
            refs: evaluations.map(e => e.entityRef),
            previous: Object.fromEntries(
              [...previous].map(([ref, p]) => [
                ref,
                { level: p.level, statuses: Object.fromEntries(p.statuses) },
              ]),
            ),
          });
        },
      });
      const getResults = jest.spyOn(store, 'getResultsOfEntities');

      await engine.runCycle();
      // First evaluations: nothing before.
      expect(batches).toEqual([
        {
          refs: ['component:default/checkout', 'component:default/ledger'],
          previous: {},
        },
      ]);
      expect(getResults).toHaveBeenCalledTimes(1);

      probe.facts.set('ledger', { replicas: 1, tls: true });
      await engine.runCycle();
      expect(batches[1]).toEqual({
        refs: ['component:default/ledger'],
        previous: {
          'component:default/ledger': {
            level: 'gold',
            statuses: { described: 'warn', replicas: 'pass', tls: 'pass' },
          },
        },
      });
      // One read of the stored results per batch, not per entity.
      expect(getResults).toHaveBeenCalledTimes(2);
    });
  });

  describe('refresh', () => {
    it('evaluates the entity even when its facts did not change', async () => {
      const { engine, store, probe } = await setup();
      await engine.runCycle();
      const before = await store.getScorecard('component:default/checkout');

      const scorecard = await engine.refresh('component:default/checkout', {
        credentials: mockCredentials.user(),
      });

      expect(probe.calls.get('checkout')).toBe(2);
      expect(scorecard).toEqual(
        expect.objectContaining({
          entityRef: 'component:default/checkout',
          level: 'gold',
          stale: false,
          evaluatedAt: expect.any(String),
        }),
      );
      expect(scorecard.results).toHaveLength(3);
      const after = await store.getScorecard('component:default/checkout');
      expect(after!.scores.evaluatedAt.getTime()).toBeGreaterThanOrEqual(
        before!.scores.evaluatedAt.getTime(),
      );
      expect(after!.scores.evaluatedAt.toISOString()).toBe(
        scorecard.evaluatedAt,
      );
    });

    it('reads the entity with the caller’s credentials', async () => {
      const { engine, catalog } = await setup();
      const credentials = mockCredentials.user('user:default/mallory');
      // The catalog hides the entity from this caller.
      const getEntityByRef = jest
        .spyOn(catalog, 'getEntityByRef')
        .mockResolvedValueOnce(undefined);

      await expect(
        engine.refresh('component:default/checkout', { credentials }),
      ).rejects.toMatchObject({
        name: 'NotFoundError',
        message: "No entity 'component:default/checkout' found in the catalog",
      });
      expect(getEntityByRef).toHaveBeenCalledWith(
        'component:default/checkout',
        {
          credentials,
        },
      );
      await expect(
        engine.refresh('component:default/nope', {
          credentials: mockCredentials.user(),
        }),
      ).rejects.toMatchObject({ name: 'NotFoundError' });
      await expect(
        engine.refresh('checkout', { credentials: mockCredentials.user() }),
      ).rejects.toMatchObject({ name: 'InputError' });
    });
  });

  describe('checks from configuration', () => {
    it('fails start-up on an invalid check, naming the check and the field', async () => {
      const { create } = await setup();
      const config = {
        readiness: {
          checks: [
            {
              id: 'hpa-max-replicas',
              title: 'HPA max replicas',
              area: 'auto-scaling',
              level: 'silver',
              severity: 'error',
              remediation: 'Raise it.',
              rule: {
                all: [
                  {
                    fact: 'probe',
                    path: '$.replicas',
                    operator: 'greaterThen',
                    value: 6,
                  },
                ],
              },
            },
          ],
        },
      };

      const error = await create(config).catch(e => e);

      expect(error).toBeInstanceOf(CheckDefinitionError);
      expect(error.message).toBe(
        "Invalid readiness check 'hpa-max-replicas': rule.all[0].operator 'greaterThen' is not a known operator (did you mean 'greaterThan'?); expected one of equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain, exists, notExists, durationAtMost, durationAtLeast, percentageAtLeast, percentageAtMost, dateWithin, semverAtLeast, semverLessThan, matches",
      );
    });

    it('lists every problem, from config and files, and rejects unknown facts', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-checks-'));
      fs.writeFileSync(
        path.join(dir, 'bad.yaml'),
        '- id: typo\n  title: Typo\n  area: security\n  level: platinum\n  severity: error\n  remediation: Fix it.\n  rule: { all: [{ fact: probe, path: $.tls, operator: equal, value: true }] }\n',
      );
      const { create } = await setup({ workingDirectory: dir });

      const error = await create({
        readiness: {
          checkFiles: ['bad.yaml', 'missing.yaml'],
          checks: [
            {
              id: 'unknown-fact',
              title: 'Unknown fact',
              area: 'security',
              level: 'gold',
              severity: 'error',
              remediation: 'Fix it.',
              rule: { all: [{ fact: 'github', operator: 'exists' }] },
            },
          ],
        },
      }).catch(e => e);

      expect(error).toBeInstanceOf(CheckDefinitionError);
      expect(error.problems).toEqual([
        expect.stringMatching(
          /^Invalid readiness check file 'missing\.yaml': it could not be read: ENOENT: no such file or directory/,
        ),
        "Invalid readiness check 'typo': level 'platinum' is not a known level; expected one of bronze, silver, gold (in readiness check file 'bad.yaml')",
        "Invalid readiness check 'unknown-fact': rule.all[0].fact 'github' refers to an unknown fact document 'github'; expected one of entity, probe, observedServiceLevels",
      ]);
      expect(error.message).toMatch(
        /^Found 3 problems in readiness checks:\n- /,
      );
    });

    it('replaces built-in checks by id, adds checks from files and disables checks', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-checks-'));
      fs.writeFileSync(
        path.join(dir, 'extra.yaml'),
        [
          'checks:',
          '  - id: five-replicas',
          '    title: Five replicas',
          '    area: auto-scaling',
          '    level: gold',
          '    severity: error',
          '    remediation: Scale out.',
          '    rule: { all: [{ fact: probe, path: $.replicas, operator: multipleOf, value: 5 }] }',
        ].join('\n'),
      );
      const multipleOf: CheckOperator = {
        name: 'multipleOf',
        validateOperand: v => (typeof v === 'number' ? undefined : 'a number'),
        evaluate: (fact, value) =>
          typeof fact === 'number' && fact % (value as number) === 0,
      };
      const { create, store } = await setup({
        workingDirectory: dir,
        operators: [multipleOf],
      });

      const engine = await create({
        readiness: {
          checkFiles: ['extra.yaml'],
          disabledChecks: ['described', 'no-such-check'],
          checks: [
            {
              id: 'replicas',
              title: 'At least three replicas',
              area: 'auto-scaling',
              level: 'bronze',
              severity: 'error',
              remediation: 'Run three.',
              rule: {
                all: [
                  {
                    fact: 'probe',
                    path: '$.replicas',
                    operator: 'greaterThanInclusive',
                    value: 4,
                  },
                ],
              },
            },
          ],
        },
      });

      const definition = engine.getDefinition();
      expect(definition.id).toBe('production-readiness');
      expect(definition.checks.map(c => [c.id, c.title])).toEqual([
        ['replicas', 'At least three replicas'],
        ['tls', 'TLS is on'],
        ['five-replicas', 'Five replicas'],
      ]);
      expect(definition.levels.map(l => l.id)).toEqual([
        'bronze',
        'silver',
        'gold',
      ]);

      await engine.runCycle();
      const scorecard = await store.getScorecard('component:default/checkout');
      // replicas is 3: the replaced check fails, the custom operator too.
      expect(scorecard?.results.map(r => [r.checkId, r.status])).toEqual([
        ['five-replicas', 'fail'],
        ['replicas', 'fail'],
        ['tls', 'pass'],
      ]);
    });

    it('uses the levels of the configuration', async () => {
      const { create } = await setup();
      const engine = await create({
        readiness: {
          levels: [
            { id: 'bronze', title: 'Entry', rank: 1 },
            { id: 'silver', title: 'Ready', rank: 5 },
            { id: 'gold', title: 'Exemplary', rank: 9, color: '#ffd700' },
          ],
        },
      });
      expect(engine.getDefinition().levels).toEqual([
        { id: 'bronze', title: 'Entry', rank: 1 },
        { id: 'silver', title: 'Ready', rank: 5 },
        { id: 'gold', title: 'Exemplary', rank: 9, color: '#ffd700' },
      ]);
      await engine.runCycle();

      // Built-in checks of a level that the configuration does not define
      // fail start-up, naming the level.
      const error = await create({
        readiness: { levels: [{ id: 'launch', title: 'Launch', rank: 1 }] },
      }).catch(e => e);
      expect(error.problems).toContain(
        "Invalid readiness check 'replicas': level 'bronze' is not a known level; expected one of launch (built in)",
      );
    });

    it('rejects two fact collectors with one id', async () => {
      const { store } = await setup();
      await expect(
        DefaultReadinessEngine.create({
          config: new ConfigReader({}),
          logger: mockServices.logger.mock(),
          auth: mockServices.auth(),
          catalog: catalogServiceMock(),
          store,
          collectors: [createProbe().collector, createProbe().collector],
          builtInChecks: [],
        }),
      ).rejects.toThrow(
        "Two readiness fact collectors have the id 'probe'; fact collector ids must be unique",
      );
    });
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for a condition');
    }
    await new Promise(resolve => setTimeout(resolve, 5));
  }
}
