import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import notificationsPlugin from '@backstage/plugin-notifications-backend';
import { BUILT_IN_CHECKS } from '@prodready/plugin-readiness-engine';
import { readinessFactCollectorsExtensionPoint } from '@prodready/plugin-readiness-node';
import type { Knex } from 'knex';
import request from 'supertest';
import { readinessPlugin } from '../plugin';
import { READINESS_EVALUATION_TASK_ID } from '../service/engine/schedule';
import { NOTIFICATIONS_TASK_ID } from './createReadinessNotifier';

/*
 * Two full backends (as two replicas of the portal) on ONE PostgreSQL
 * database: each runs the real readiness plugin and the real notifications
 * backend, and every plugin of both reaches the same database through the
 * real database service (`backend.database` with `pluginDivisionMode:
 * schema`: one schema per plugin, `readiness` and `notifications`, shared by
 * the two backends, as in production).
 *
 * Both backends see every cause at the same time: both evaluate (scheduled
 * cycles and a refresh by the owner on each), and both run the notifier's
 * task. Each backend has its own in-memory scheduler, so both really run
 * each task (a worst case: in production the task is `global` and one
 * replica runs it at a time); only the claim of each cause in
 * `readiness_notifications` keeps a cause from being sent twice. The proof
 * is read where users read it: the notifications REST API.
 *
 * PostgreSQL only (two replicas cannot share an embedded SQLite): skipped
 * unless BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set.
 */

jest.setTimeout(60_000);

const databases = TestDatabases.create({
  ids: ['POSTGRES_15'],
  disableDocker: true,
});
const onPostgres = databases.supports('POSTGRES_15');

const DAY_MS = 86_400_000;
const dayAfter = (days: number) =>
  new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10);

const INITIATIVE = 'all-tiered';
const INITIATIVE_TITLE = 'Every service declares its tier';
const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const PLATFORM = 'group:default/platform';
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';

function group(name: string, members: string[]): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Group',
    metadata: { name, namespace: 'default' },
    spec: { type: 'team', children: [] },
    relations: members.map(targetRef => ({ type: 'hasMember', targetRef })),
  };
}

function user(name: string, team: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'User',
    metadata: { name, namespace: 'default' },
    spec: { memberOf: [team] },
    relations: [{ type: 'memberOf', targetRef: team }],
  };
}

function service(name: string, owner: string): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      annotations: { 'prodready.dev/tier': 'tier-1' },
    },
    spec: { type: 'service', lifecycle: 'production', owner },
    relations: [{ type: 'ownedBy', targetRef: owner }],
  };
}

/** The catalog of both backends (the same objects: a change is seen by both). */
const entities: Entity[] = [
  service('svc-a', TEAM_A),
  service('svc-b', TEAM_A),
  service('svc-c', TEAM_B),
  group('team-a', [ALICE]),
  group('team-b', [BOB]),
  group('platform', [CAROL]),
  user('alice', TEAM_A),
  user('bob', TEAM_B),
  user('carol', PLATFORM),
];

/** The built-in checks but one, so that a level depends on the tier only. */
const TIER_CHECK = 'tier-declared';
const TIER_CHECK_TITLE = 'Service tier is declared';

/** A manual item of the built-in Phase 4, attested with an expiry. */
const ITEM = { phaseId: 'phase-4', itemId: 'post-security-scans' };
const ITEM_TEXT = 'Security scans completed';

function config(connection: Knex.ConnectionConfig) {
  return {
    app: { baseUrl: 'http://localhost:3000' },
    backend: {
      database: {
        client: 'pg',
        connection: JSON.parse(JSON.stringify(connection)),
        pluginDivisionMode: 'schema',
        ensureSchemaExists: true,
      },
    },
    readiness: {
      // Cycles only when the test triggers them; no Prometheus.
      schedule: { frequency: { trigger: 'manual' }, timeout: { minutes: 2 } },
      disabledChecks: BUILT_IN_CHECKS.map(check => check.id).filter(
        id => id !== TIER_CHECK,
      ),
      initiatives: [
        {
          id: INITIATIVE,
          title: INITIATIVE_TITLE,
          owner: PLATFORM,
          // Started yesterday (announced), due in 10 days (the 14-day
          // reminder is due for the entities not met).
          startDate: dayAfter(-1),
          deadline: dayAfter(10),
          scope: { kinds: ['Component'], types: ['service'] },
          goal: { type: 'checks', checks: [TIER_CHECK] },
        },
      ],
    },
  };
}

/**
 * Holds the evaluations of svc-a, on both backends, until `expected` of
 * them are under way, then lets them all go on at once: each then reads the
 * stored state (before the change) and sees the same regression.
 */
const gate = {
  expected: 0,
  met: false,
  waiting: new Array<() => void>(),
  timer: undefined as NodeJS.Timeout | undefined,
};

function openGate() {
  clearTimeout(gate.timer);
  gate.expected = 0;
  gate.waiting.splice(0).forEach(resolve => resolve());
}

function armGate(expected: number) {
  gate.expected = expected;
  gate.met = false;
  // Never a deadlock: the test then fails on `gate.met`.
  gate.timer = setTimeout(openGate, 15_000);
}

async function passGate(entity: Entity) {
  if (gate.expected === 0 || entity.metadata.name !== 'svc-a') return;
  await new Promise<void>(resolve => {
    gate.waiting.push(resolve);
    if (gate.waiting.length >= gate.expected) {
      gate.met = true;
      openGate();
    }
  });
}

/** One replica: the test backend and its own scheduler. */
interface Replica {
  server: Awaited<ReturnType<typeof startTestBackend>>['server'];
  scheduler: SchedulerService;
  stop(): Promise<void>;
}

/**
 * A module that hands a plugin's database client to the test: the test
 * closes it when the backend stops. (The database service of
 * @backstage/backend-defaults does not close PostgreSQL connections on
 * shutdown: its `connection.client.config.includes('sqlite3')` throws on a
 * config object, so the test database could not be dropped.)
 */
function captureDatabase(pluginId: string, clients: Knex[]) {
  return createBackendModule({
    pluginId,
    moduleId: 'test-database',
    register(env) {
      env.registerInit({
        deps: { database: coreServices.database },
        async init({ database }) {
          clients.push(await database.getClient());
        },
      });
    },
  });
}

async function startReplica(
  name: string,
  connection: Knex.ConnectionConfig,
): Promise<Replica> {
  let scheduler: SchedulerService | undefined;
  const clients: Knex[] = [];
  const testModule = createBackendModule({
    pluginId: 'readiness',
    moduleId: `test-${name}`,
    register(env) {
      env.registerInit({
        deps: {
          taskScheduler: coreServices.scheduler,
          collectors: readinessFactCollectorsExtensionPoint,
        },
        async init({ taskScheduler, collectors }) {
          scheduler = taskScheduler;
          collectors.addFactCollector({
            id: 'gate',
            version: 1,
            async collect({ entity }) {
              await passGate(entity);
              return {};
            },
          });
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      readinessPlugin,
      testModule,
      captureDatabase('readiness', clients),
      notificationsPlugin,
      captureDatabase('notifications', clients),
      // A scheduler of its own: the default one of startTestBackend is one
      // instance for every backend of the test file.
      mockServices.scheduler.factory({ skipTaskRunOnStartup: true }),
      // The real database service, on the shared database.
      mockServices.database.factory(),
      mockServices.rootConfig.factory({ data: config(connection) }),
      catalogServiceMock.factory({ entities }),
    ],
  });
  return {
    server: backend.server,
    scheduler: scheduler!,
    async stop() {
      await backend.stop();
      await Promise.all(clients.map(client => client.destroy()));
    },
  };
}

interface ReceivedNotification {
  user: string;
  origin: string;
  updated?: string | null;
  payload: { title: string; topic?: string; scope?: string };
}

/** The readiness notifications of a user, through the notifications REST API. */
async function notificationsOf(
  replica: Replica,
  userRef: string,
): Promise<ReceivedNotification[]> {
  const response = await request(replica.server)
    .get('/api/notifications/notifications')
    .query({ limit: 100 })
    .set('Authorization', mockCredentials.user.header(userRef));
  expect(response.status).toBe(200);
  expect(response.body.totalCount).toBe(response.body.notifications.length);
  return (response.body.notifications as ReceivedNotification[]).filter(
    n => n.origin === 'plugin:readiness',
  );
}

const entityPath = (name: string) => `component/default/${name}`;

(onPostgres ? describe : describe.skip)(
  `readiness notifications with two backends on one PostgreSQL database${
    onPostgres
      ? ''
      : ' (skipped: BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is not set)'
  }`,
  () => {
    let replicas: Replica[] = [];

    afterEach(async () => {
      // Before the test database is dropped.
      await Promise.all(replicas.map(r => r.stop()));
      replicas = [];
    });

    /** Triggers a task on both replicas at once; each runs it. */
    const runOnBoth = (taskId: string) =>
      Promise.all(replicas.map(r => r.scheduler.triggerTask(taskId)));

    it('sends each cause once when both backends see it at the same time', async () => {
      const knex = await databases.init('POSTGRES_15');
      const connection = knex.client.config.connection as Knex.ConnectionConfig;
      // One after the other: the first one creates the schemas and migrates.
      replicas.push(await startReplica('a', connection));
      replicas.push(await startReplica('b', connection));

      // 1. Both evaluate the catalog (first results: nothing regressed),
      // and the initiative's progress is computed.
      await runOnBoth(READINESS_EVALUATION_TASK_ID);

      // An owner attests an item (on the second backend), valid for 5 more
      // days.
      const expiresAt = new Date(Date.now() + 5 * DAY_MS);
      const attested = await request(replicas[1].server)
        .put(
          `/api/readiness/checklists/${entityPath('svc-b')}/${
            ITEM.phaseId
          }/items/${ITEM.itemId}`,
        )
        .set('Authorization', mockCredentials.user.header(ALICE))
        .set('If-Match', '"0"')
        .send({
          status: 'done',
          evidenceUrl: 'https://ci.example.com/scans/1',
          expiresAt: expiresAt.toISOString(),
        });
      expect(attested.status).toBe(200);

      // Both run the notifier's task at the same time (the initiative
      // started, the attestation expires within 7 days), and again later.
      await runOnBoth(NOTIFICATIONS_TASK_ID);
      await runOnBoth(NOTIFICATIONS_TASK_ID);

      // 2. svc-a loses its tier: its check regresses. Both backends refresh
      // it for its owner and run a cycle, all at once: four evaluations of
      // svc-a under way together.
      const svcA = entities[0];
      delete svcA.metadata.annotations!['prodready.dev/tier'];
      armGate(4);
      const refreshed = await Promise.all([
        ...replicas.map(r =>
          request(r.server)
            .post(`/api/readiness/scorecards/${entityPath('svc-a')}/refresh`)
            .set('Authorization', mockCredentials.user.header(ALICE)),
        ),
        runOnBoth(READINESS_EVALUATION_TASK_ID),
      ]);
      expect(gate.met).toBe(true);
      for (const response of refreshed.slice(0, 2) as request.Response[]) {
        expect(response.status).toBe(200);
      }
      // Seen once more by each (a later refresh): nothing new.
      await Promise.all(
        replicas.map(r =>
          request(r.server)
            .post(`/api/readiness/scorecards/${entityPath('svc-a')}/refresh`)
            .set('Authorization', mockCredentials.user.header(ALICE)),
        ),
      );
      // Both run the task again: the deadline reminders of svc-a, now not met.
      await runOnBoth(NOTIFICATIONS_TASK_ID);
      await runOnBoth(NOTIFICATIONS_TASK_ID);

      // Each cause arrived once, to the members of the owner, and was never
      // sent again (a second send with the same scope would have set
      // `updated`), whichever backend serves the API.
      const expected: Record<string, string[]> = {
        [ALICE]: [
          `svc-a is in the initiative "${INITIATIVE_TITLE}"`,
          `svc-b is in the initiative "${INITIATIVE_TITLE}"`,
          `svc-b: the attestation of "${ITEM_TEXT}" expires in 5 days`,
          `svc-a: "${TIER_CHECK_TITLE}" now fails`,
          'svc-a dropped from Gold to no level',
          `svc-a: the deadline of "${INITIATIVE_TITLE}" is in 10 days`,
        ],
        [BOB]: [`svc-c is in the initiative "${INITIATIVE_TITLE}"`],
        [CAROL]: [
          `Your initiative "${INITIATIVE_TITLE}" started`,
          `"${INITIATIVE_TITLE}": the deadline is in 10 days, 1 entity not met`,
        ],
      };
      for (const replica of replicas) {
        for (const [userRef, titles] of Object.entries(expected)) {
          const received = await notificationsOf(replica, userRef);
          expect({
            user: userRef,
            titles: received.map(n => n.payload.title).sort(),
          }).toEqual({ user: userRef, titles: [...titles].sort() });
          expect(received.filter(n => n.updated)).toEqual([]);
          // One per scope, too.
          const scopes = received.map(n => n.payload.scope);
          expect(new Set(scopes).size).toBe(scopes.length);
        }
      }

      // The dedupe table holds each cause once, and no other.
      const rows = await knex
        .withSchema('readiness')
        .from('readiness_notifications')
        .select('dedupe_key', 'state');
      const day = /\d{4}-\d{2}-\d{2}/.source;
      const iso = /\d{4}-\d{2}-\d{2}T[\d:.]+Z/.source;
      const ref = (name: string) => escape(`component:default/${name}`);
      const keys = [
        `initiative:${INITIATIVE}:${ref('svc-a')}:started`,
        `initiative:${INITIATIVE}:${ref('svc-b')}:started`,
        `initiative:${INITIATIVE}:${ref('svc-c')}:started`,
        `initiative:${INITIATIVE}:owner:started`,
        `expiring:${ref('svc-b')}:phase-4/post-security-scans:${iso}:7`,
        `regression:${ref('svc-a')}:${TIER_CHECK}:${day}`,
        `level-drop:${ref('svc-a')}:gold>:${day}`,
        `deadline:${INITIATIVE}:${ref('svc-a')}:14`,
        `deadline:${INITIATIVE}:owner:14`,
      ];
      expect(rows.map(r => r.dedupe_key)).toEqual(
        expect.arrayContaining(
          keys.map(key => expect.stringMatching(`^${key}$`)),
        ),
      );
      expect(rows).toHaveLength(keys.length);
      expect(rows.every(r => r.state === 'sent')).toBe(true);
      const [counts] = await knex
        .withSchema('readiness')
        .from('readiness_notifications')
        .select(
          knex.raw('count(*)::int as total'),
          knex.raw('count(distinct dedupe_key)::int as unique_keys'),
        );
      expect(counts).toEqual({ total: keys.length, unique_keys: keys.length });
    });
  },
);

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
