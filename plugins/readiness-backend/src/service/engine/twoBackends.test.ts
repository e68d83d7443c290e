import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { readinessFactCollectorsExtensionPoint } from '@prodready/plugin-readiness-node';
import { Knex } from 'knex';
import { readinessPlugin } from '../../plugin';
import { READINESS_EVALUATION_TASK_ID } from './schedule';

/*
 * Two backend replicas on one database: each runs the real readiness plugin
 * with the real scheduler (`DefaultSchedulerService`, as in production), on
 * the same knex. The evaluation task is global, so when it is triggered on
 * both at once, one replica claims the cycle and the other does not run it:
 * every entity is evaluated exactly once per cycle.
 *
 * The scenario is for PostgreSQL (replicas cannot share an embedded SQLite),
 * and runs there whenever PostgreSQL is configured; it runs on SQLite too,
 * over one shared connection, since the lock is the same UPDATE on the same
 * task table.
 */

jest.setTimeout(120_000);

const TASKS_TABLE = 'backstage_backend_tasks__tasks';
const ENTITY_COUNT = 24;
/** How often the scheduler's workers look for due tasks. */
const SCHEDULER_POLL_MS = 5_000;

const entities: Entity[] = Array.from({ length: ENTITY_COUNT }, (_, i) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: `svc-${String(i).padStart(2, '0')}`,
    namespace: 'default',
    uid: `uid-${i}`,
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
}));

const config = {
  readiness: {
    // Only when triggered, as the test does.
    schedule: { frequency: { trigger: 'manual' }, timeout: { minutes: 2 } },
    evaluation: { concurrency: 2 },
    checks: [
      {
        id: 'probe-ready',
        title: 'The probe says ready',
        area: 'monitoring',
        level: 'bronze',
        severity: 'error',
        remediation: 'Make it ready.',
        rule: {
          all: [
            { fact: 'probe', path: '$.ready', operator: 'equal', value: true },
          ],
        },
      },
    ],
  },
};

/** Facts of the `probe` collector, shared by both replicas: entity name to ready. */
const notReady = new Set<string>();

/** One replica: its scheduler, and how often it collected each entity's facts. */
interface Replica {
  name: string;
  scheduler: SchedulerService;
  calls: Map<string, number>;
  stop(): Promise<void>;
}

async function startReplica(name: string, knex: Knex): Promise<Replica> {
  const calls = new Map<string, number>();
  let scheduler: SchedulerService | undefined;
  const probeModule = createBackendModule({
    pluginId: 'readiness',
    moduleId: `probe-${name}`,
    register(env) {
      env.registerInit({
        deps: {
          collectors: readinessFactCollectorsExtensionPoint,
          scheduler: coreServices.scheduler,
        },
        async init(deps) {
          scheduler = deps.scheduler;
          deps.collectors.addFactCollector({
            id: 'probe',
            version: 1,
            async collect({ entity }) {
              const entityName = entity.metadata.name;
              calls.set(entityName, (calls.get(entityName) ?? 0) + 1);
              // Some work, so that a cycle takes a while.
              await new Promise(resolve => setTimeout(resolve, 5));
              return { ready: !notReady.has(entityName) };
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      readinessPlugin,
      probeModule,
      schedulerServiceFactory,
      mockServices.database.factory({ knex, migrations: { skip: false } }),
      mockServices.rootConfig.factory({ data: config }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return { name, scheduler: scheduler!, calls, stop: () => backend.stop() };
}

async function waitFor(
  condition: () => Promise<boolean> | boolean,
  timeoutMs = 30_000,
) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for a condition');
    }
    await new Promise(resolve => setTimeout(resolve, 50));
  }
}

const sum = (values: Iterable<number>) =>
  [...values].reduce((a, b) => a + b, 0);

describe('two backends sharing one database', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('on %s', databaseId => {
    let knex: Knex;
    let replicas: Replica[] = [];

    beforeEach(async () => {
      notReady.clear();
      knex = await databases.init(databaseId);
      // One after the other: the first one migrates the database.
      replicas = [await startReplica('a', knex), await startReplica('b', knex)];
    });

    afterEach(async () => {
      await Promise.all(replicas.map(r => r.stop()));
    });

    /** Triggers the task on both replicas at once and waits for the cycle to end. */
    async function runCycleOnBoth(cycle: number) {
      await Promise.all(
        replicas.map(r =>
          r.scheduler.triggerTask(READINESS_EVALUATION_TASK_ID).catch(error => {
            // The other replica may have claimed the task already.
            if (error.name !== 'ConflictError') throw error;
          }),
        ),
      );
      const total = () => sum(replicas.map(r => sum(r.calls.values())));
      await waitFor(() => total() >= cycle * ENTITY_COUNT);
      // The run is released when the cycle has written everything.
      await waitFor(async () => {
        const task = await knex(TASKS_TABLE)
          .where({ id: READINESS_EVALUATION_TASK_ID })
          .first();
        return task.current_run_ticket === null && !!task.last_run_ended_at;
      });
    }

    it('evaluates each entity exactly once per cycle', async () => {
      // Cycle 1: every entity is new.
      await runCycleOnBoth(1);
      // Cycle 2: five entities' facts changed.
      for (const entity of entities.slice(0, 5)) {
        notReady.add(entity.metadata.name);
      }
      await runCycleOnBoth(2);
      // Longer than the scheduler's poll interval: no replica runs a cycle late.
      await new Promise(resolve =>
        setTimeout(resolve, SCHEDULER_POLL_MS + 1_000),
      );

      for (const entity of entities) {
        const name = entity.metadata.name;
        const perReplica = replicas.map(r => r.calls.get(name) ?? 0);
        // Collected (and so evaluated) once in each of the two cycles...
        expect({ name, calls: sum(perReplica) }).toEqual({ name, calls: 2 });
        // ...and whole cycles ran on one replica: each replica collected
        // every entity as many times.
        expect(perReplica).toEqual(
          replicas.map(r => r.calls.get(entities[0].metadata.name) ?? 0),
        );
      }

      // One transition for each entity whose facts changed, and none for
      // the others (a first result is not a transition): a second
      // evaluation of an entity in a cycle would have written a second one.
      const history = await knex('readiness_result_history')
        .where({ check_id: 'probe-ready' })
        .orderBy(['entity_ref', 'id'])
        .select('entity_ref', 'from_status', 'to_status');
      const byEntity = new Map<string, string[]>();
      for (const row of history) {
        const chain = byEntity.get(row.entity_ref) ?? [];
        chain.push(`${row.from_status ?? 'none'}->${row.to_status}`);
        byEntity.set(row.entity_ref, chain);
      }
      expect(byEntity.size).toBe(5);
      entities.forEach((entity, index) => {
        expect(
          byEntity.get(`component:default/${entity.metadata.name}`),
        ).toEqual(index < 5 ? ['pass->fail'] : undefined);
      });
      const [{ results }] = await knex('readiness_entity_results').count({
        results: '*',
      });
      expect(Number(results)).toBe(ENTITY_COUNT);
      const [{ n }] = await knex('readiness_scores').count({ n: '*' });
      expect(Number(n)).toBe(ENTITY_COUNT);
    });
  });
});
