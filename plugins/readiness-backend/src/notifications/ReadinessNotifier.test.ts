import {
  mockServices,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { NotificationSendOptions } from '@backstage/plugin-notifications-node';
import type { Initiative } from '@prodready/plugin-readiness-common';
import knexFactory, { Knex } from 'knex';
import type { ExpiringItemsPage } from '../checklists/ChecklistStore';
import type { EntityEvaluation } from '../database';
import type { PreviousEvaluation } from '../service/engine/types';
import { readNotificationSettings } from './config';
import { DatabaseNotificationStore } from './DatabaseNotificationStore';
import { ReadinessNotifier } from './ReadinessNotifier';
import type { InitiativeChange, InitiativeSource } from './types';

jest.setTimeout(120_000);

const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

const TEAM_A = 'group:default/team-a';
const TEAM_B = 'group:default/team-b';
const PLATFORM = 'group:default/platform';
const ENTITY_COUNT = 40;
const refOf = (i: number) =>
  `component:default/svc-${String(i).padStart(2, '0')}`;
const ownerOf = (i: number) => (i % 2 === 0 ? TEAM_A : TEAM_B);

/**
 * A second connection to the same database, as a second backend replica
 * has (on SQLite, the same connection: an embedded database has one).
 */
function secondConnection(knex: Knex): Knex {
  const config = knex.client.config as Knex.Config;
  return String(config.client).includes('sqlite') ? knex : knexFactory(config);
}

/** The send boundary: records what the notifications service was asked. */
function recordingNotifications(options: { failing?: boolean } = {}) {
  const sent: NotificationSendOptions[] = [];
  const state = { failing: options.failing ?? false };
  return {
    sent,
    state,
    service: {
      async send(notification: NotificationSendOptions) {
        // Let the replicas interleave.
        await new Promise(resolve => setTimeout(resolve, Math.random() * 5));
        if (state.failing) {
          throw new Error('Request failed with status 404');
        }
        sent.push(notification);
      },
    },
  };
}

function evaluations(at: Date): EntityEvaluation[] {
  return Array.from({ length: ENTITY_COUNT }, (_, i) => ({
    entityRef: refOf(i),
    results: [
      { checkId: 'hpa', status: 'fail' as const, message: 'No HPA' },
      { checkId: 'tls', status: 'pass' as const, message: 'TLS' },
    ],
    scores: {
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      owner: ownerOf(i),
      system: null,
      tier: 'tier-1',
      level: 'bronze',
      levelRank: 1,
      score: 50,
      areaScores: [],
      passed: 1,
      failed: 1,
      factsHash: 'h',
      stale: false,
    },
    evaluatedAt: at,
  }));
}

/** Every entity passed hpa and was Silver: each regressed and dropped. */
const previous = new Map<string, PreviousEvaluation>(
  Array.from({ length: ENTITY_COUNT }, (_, i) => [
    refOf(i),
    {
      level: 'silver',
      levelRank: 2,
      statuses: new Map([
        ['hpa', 'pass'],
        ['tls', 'pass'],
      ]) as PreviousEvaluation['statuses'],
    },
  ]),
);

/** Items expiring in 5 days (the 7-day warning), one per entity, paged by 15. */
function expiringItems(now: Date) {
  const items = Array.from({ length: ENTITY_COUNT }, (_, i) => ({
    entityRef: refOf(i),
    phaseId: 'phase-4',
    checklistId: 'completion',
    itemId: 'backup-dr-tested',
    status: 'done' as const,
    version: 1,
    expiresAt: new Date(now.getTime() + 5 * 86_400_000).toISOString(),
  }));
  return async (query: {
    limit: number;
    cursor?: string;
  }): Promise<ExpiringItemsPage> => {
    const start = query.cursor ? Number(query.cursor) : 0;
    const end = Math.min(start + 15, items.length);
    return {
      items: items.slice(start, end),
      ...(end < items.length && { nextCursor: String(end) }),
    };
  };
}

const readinessStore = {
  async listScores(request: { filter?: { entityRefs?: string[] } }) {
    const refs = request.filter?.entityRefs ?? [];
    return {
      items: refs.map(ref => ({
        entityRef: ref,
        owner: ownerOf(Number(ref.slice(-2))),
      })) as any[],
      totalCount: refs.length,
    };
  },
};

function initiative(overrides: Partial<Initiative> = {}): Initiative {
  return {
    id: 'tier1-silver',
    title: 'All tier-1 services Silver',
    owner: PLATFORM,
    startDate: '2026-12-01',
    deadline: '2026-12-14',
    scope: { tiers: ['tier-1'] },
    goal: { type: 'level', level: 'silver' },
    source: 'config',
    version: 0,
    phase: 'active',
    daysLeft: 7,
    progress: {
      total: ENTITY_COUNT,
      met: 0,
      notMet: ENTITY_COUNT,
      exempt: 0,
      percent: 0,
    },
    ...overrides,
  };
}

/** An initiatives service with every entity not met, paged by 15. */
function initiativeSource(list: Initiative[]) {
  const listeners: Array<(event: InitiativeChange) => void> = [];
  const source: InitiativeSource = {
    async list() {
      return list;
    },
    async listEntities(_id, options) {
      const start = options.cursor ? Number(options.cursor) : 0;
      const end = Math.min(start + Math.min(options.limit, 15), ENTITY_COUNT);
      return {
        items: Array.from({ length: end - start }, (_, k) => ({
          entityRef: refOf(start + k),
          owner: ownerOf(start + k),
          state: 'not-met' as const,
          missing: [{ type: 'level' as const, id: 'silver', title: 'Silver' }],
          waived: [],
          level: 'bronze',
          score: 50,
        })),
        totalCount: ENTITY_COUNT,
        ...(end < ENTITY_COUNT && { nextCursor: String(end) }),
      };
    },
    subscribe(listener) {
      listeners.push(listener);
    },
  };
  return {
    source,
    emit: (event: InitiativeChange) => listeners.forEach(l => l(event)),
  };
}

async function createReplica(options: {
  knex: Knex;
  notifications: { send(n: NotificationSendOptions): Promise<void> };
  now: () => Date;
  config?: object;
  initiatives?: InitiativeSource;
}) {
  const logger = mockServices.logger.mock();
  const events = { publish: jest.fn(async () => {}), subscribe: jest.fn() };
  const signals = { publish: jest.fn(async () => {}) };
  const store = await DatabaseNotificationStore.create({
    database: mockServices.database({
      knex: options.knex,
      migrations: { skip: false },
    }),
  });
  const notifier = new ReadinessNotifier({
    settings: readNotificationSettings(
      new ConfigReader({ readiness: { notifications: options.config ?? {} } }),
    ),
    store,
    notifications: options.notifications,
    signals,
    events: events as any,
    logger,
    titles: { check: id => id, level: id => id ?? 'none' },
    listExpiringItems: expiringItems(options.now()),
    readinessStore,
    initiatives: options.initiatives,
    now: options.now,
  });
  return { notifier, logger, events, signals, store };
}

/** The dedupe identity of a send: its recipients and scope-and-title. */
const identity = (n: NotificationSendOptions) =>
  `${JSON.stringify(n.recipients)} ${n.payload.scope} ${n.payload.title}`;

describe.each(databases.eachSupportedId())(
  'ReadinessNotifier (%s)',
  (databaseId: TestDatabaseId) => {
    it('sends each cause exactly once with two replicas processing the same causes at once', async () => {
      const knex = await databases.init(databaseId);
      const other = secondConnection(knex);
      try {
        const now = () => new Date('2026-12-07T10:00:00Z');
        const recorder = recordingNotifications();
        const { source } = initiativeSource([initiative()]);
        const replicas = [];
        for (const connection of [knex, other]) {
          replicas.push(
            await createReplica({
              knex: connection,
              notifications: recorder.service,
              now,
              initiatives: source,
            }),
          );
        }

        // Both see the same batch and run their task at the same time, twice.
        const batch = evaluations(now());
        await Promise.all(
          replicas.flatMap(({ notifier }) => [
            notifier.onEvaluated(batch, { previous }),
            notifier.onEvaluated(batch, { previous }),
            notifier.runTask(),
            notifier.runTask(),
          ]),
        );

        // Per entity: a regression, a level drop, an expiry warning, the
        // initiative's start and its 7-day reminder; and to the initiative's
        // owner, its start and its reminder.
        const causes = ENTITY_COUNT * 5 + 2;
        const identities = recorder.sent.map(identity);
        expect(new Set(identities).size).toBe(causes);
        expect(recorder.sent).toHaveLength(causes);

        // Each went to the owner, with a topic.
        const regression = recorder.sent.find(
          n => n.payload.scope === `readiness:check:${refOf(3)}:hpa`,
        );
        expect(regression).toEqual({
          recipients: { type: 'entity', entityRef: [TEAM_B] },
          payload: expect.objectContaining({
            topic: 'readiness-regression',
            severity: 'high',
            link: '/catalog/default/component/svc-03/readiness?check=hpa',
          }),
        });
        const topics = new Map<string, number>();
        for (const n of recorder.sent) {
          topics.set(n.payload.topic!, (topics.get(n.payload.topic!) ?? 0) + 1);
        }
        expect(Object.fromEntries(topics)).toEqual({
          'readiness-regression': ENTITY_COUNT * 2,
          'readiness-expiry': ENTITY_COUNT,
          'readiness-initiative-started': ENTITY_COUNT + 1,
          'readiness-initiative-deadline': ENTITY_COUNT + 1,
        });

        // Seen again later: nothing new.
        await replicas[1].notifier.onEvaluated(batch, { previous });
        await replicas[0].notifier.runTask();
        expect(recorder.sent).toHaveLength(causes);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    it('announces once an initiative first seen well after its start (added to app-config later), once its progress is computed', async () => {
      const knex = await databases.init(databaseId);
      const other = secondConnection(knex);
      try {
        const now = () => new Date('2026-12-07T10:00:00Z');
        const recorder = recordingNotifications();
        const list = [initiative({ id: 'under-way', startDate: '2026-11-01' })];
        const { source } = initiativeSource(list);
        const replicas = [];
        for (const connection of [knex, other]) {
          replicas.push(
            await createReplica({
              knex: connection,
              notifications: recorder.service,
              now,
              initiatives: source,
            }),
          );
        }
        // Not computed yet: nothing to announce (its entities are unknown).
        await Promise.all(replicas.map(r => r.notifier.runTask()));
        const started = () =>
          recorder.sent.filter(
            n => n.payload.topic === 'readiness-initiative-started',
          );
        expect(started()).toHaveLength(0);

        list[0] = { ...list[0], computedAt: '2026-12-07T09:00:00Z' };
        await Promise.all(replicas.map(r => r.notifier.runTask()));
        expect(started()).toHaveLength(ENTITY_COUNT + 1);
        expect(started()[0].payload.title).toMatch(
          /is in the initiative "All tier-1 services Silver"/,
        );
        // The next runs announce nothing again.
        await Promise.all(replicas.map(r => r.notifier.runTask()));
        expect(started()).toHaveLength(ENTITY_COUNT + 1);
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    it('announces a new initiative once, even when both replicas hear of it', async () => {
      const knex = await databases.init(databaseId);
      const other = secondConnection(knex);
      try {
        const now = () => new Date('2026-12-07T10:00:00Z');
        const recorder = recordingNotifications();
        const created = initiative({
          id: 'next',
          startDate: '2027-01-01',
          deadline: '2027-02-01',
        });
        const sources = [initiativeSource([]), initiativeSource([])];
        for (const [i, connection] of [knex, other].entries()) {
          await createReplica({
            knex: connection,
            notifications: recorder.service,
            now,
            initiatives: sources[i].source,
          });
        }
        sources.forEach(s => s.emit({ type: 'created', initiative: created }));
        await waitFor(() => recorder.sent.length >= ENTITY_COUNT + 1);
        await new Promise(resolve => setTimeout(resolve, 200));
        expect(recorder.sent).toHaveLength(ENTITY_COUNT + 1);
        expect(recorder.sent[0].payload).toEqual(
          expect.objectContaining({
            topic: 'readiness-initiative-started',
            severity: 'low',
          }),
        );
        expect(recorder.sent[0].payload.description).toMatch(
          /starts on 2027-01-01/,
        );
      } finally {
        if (other !== knex) await other.destroy();
      }
    });

    it('sends nothing of a topic switched off, nor anything when disabled', async () => {
      const knex = await databases.init(databaseId);
      const now = () => new Date('2026-12-07T10:00:00Z');
      const recorder = recordingNotifications();
      const { notifier } = await createReplica({
        knex,
        notifications: recorder.service,
        now,
        config: { topics: { 'readiness-regression': false, expiry: true } },
      });
      await notifier.onEvaluated(evaluations(now()), { previous });
      await notifier.runTask();
      expect(
        recorder.sent
          .map(n => n.payload.topic)
          .every(t => t === 'readiness-expiry'),
      ).toBe(true);
      expect(recorder.sent).toHaveLength(ENTITY_COUNT);

      const off = recordingNotifications();
      const disabled = await createReplica({
        knex: await databases.init(databaseId),
        notifications: off.service,
        now,
        config: { enabled: false },
      });
      await disabled.notifier.onEvaluated(evaluations(now()), { previous });
      await disabled.notifier.runTask();
      expect(off.sent).toEqual([]);
      // Events and signals are published all the same.
      expect(disabled.events.publish).toHaveBeenCalled();
      expect(disabled.signals.publish).toHaveBeenCalled();
    });

    it('groups a team’s notifications of a day into one digest, sent once the next day', async () => {
      const knex = await databases.init(databaseId);
      let time = new Date('2026-12-07T10:00:00Z');
      const now = () => time;
      const recorder = recordingNotifications();
      const { notifier } = await createReplica({
        knex,
        notifications: recorder.service,
        now,
        config: { digest: 'daily' },
      });
      await notifier.onEvaluated(evaluations(now()), { previous });
      await notifier.runTask();
      // A waiver request does not wait for the digest.
      await notifier.waiverRequested(
        {
          id: 'w1',
          entityRef: refOf(0),
          phaseId: 'phase-4',
          checklistId: 'pre',
          itemId: 'load-test',
          justification: 'No traffic yet',
          expiresAt: '2027-03-01T00:00:00.000Z',
          requestedBy: 'user:default/alice',
          requestedAt: time.toISOString(),
          status: 'pending',
        },
        [PLATFORM],
      );
      expect(recorder.sent.map(n => n.payload.topic)).toEqual([
        'readiness-waiver',
      ]);

      // Later the same day: still waiting.
      time = new Date('2026-12-07T23:00:00Z');
      expect((await notifier.runTask()).digests).toBe(0);

      // The next day: one digest per team (20 entities × 3 causes each).
      time = new Date('2026-12-08T00:30:00Z');
      expect((await notifier.runTask()).digests).toBe(2);
      const digests = recorder.sent.filter(
        n => n.payload.topic === 'readiness-digest',
      );
      expect(
        digests.map(n => [n.recipients, n.payload.title, n.payload.severity]),
      ).toEqual(
        expect.arrayContaining([
          [
            { type: 'entity', entityRef: [TEAM_A] },
            'Readiness: 60 updates for 2026-12-08',
            'high',
          ],
          [
            { type: 'entity', entityRef: [TEAM_B] },
            'Readiness: 60 updates for 2026-12-08',
            'high',
          ],
        ]),
      );
      expect(digests[0].payload.description).toMatch(/and 50 more$/);

      // Once a day.
      time = new Date('2026-12-08T01:30:00Z');
      expect((await notifier.runTask()).digests).toBe(0);
      expect(recorder.sent).toHaveLength(3);
    });

    it('keeps working without the notifications backend: logs once and retries later', async () => {
      const knex = await databases.init(databaseId);
      const now = () => new Date('2026-12-07T10:00:00Z');
      const recorder = recordingNotifications({ failing: true });
      const { notifier, logger } = await createReplica({
        knex,
        notifications: recorder.service,
        now,
      });
      await notifier.onEvaluated(evaluations(now()), { previous });
      await notifier.runTask();
      expect(recorder.sent).toEqual([]);
      expect(logger.warn).toHaveBeenCalledTimes(1);
      expect(logger.warn).toHaveBeenCalledWith(
        expect.stringMatching(
          /Could not send readiness notifications \(is @backstage\/plugin-notifications-backend installed\?\).*404/,
        ),
      );

      // The backend comes back: the causes seen again are sent, once.
      recorder.state.failing = false;
      await notifier.onEvaluated(evaluations(now()), { previous });
      await notifier.runTask();
      expect(recorder.sent).toHaveLength(ENTITY_COUNT * 3);
      expect(logger.info).toHaveBeenCalledWith(
        'Readiness notifications are sent again',
      );
    });

    it('publishes the events of each batch and one signal per batch and per cycle', async () => {
      const knex = await databases.init(databaseId);
      const now = () => new Date('2026-12-07T10:00:00Z');
      const { notifier, events, signals } = await createReplica({
        knex,
        notifications: recordingNotifications().service,
        now,
      });
      await notifier.onEvaluated(evaluations(now()), { previous });
      const topics = (events.publish.mock.calls as any[]).map(
        ([event]) => event.topic,
      );
      expect(
        topics.filter(t => t === 'readiness.check-status-changed'),
      ).toHaveLength(ENTITY_COUNT);
      expect(topics.filter(t => t === 'readiness.level-changed')).toHaveLength(
        ENTITY_COUNT,
      );
      expect(events.publish).toHaveBeenCalledWith({
        topic: 'readiness.level-changed',
        eventPayload: {
          entityRef: refOf(0),
          fromLevel: 'silver',
          toLevel: 'bronze',
          dropped: true,
          changedAt: '2026-12-07T10:00:00.000Z',
        },
      });
      expect(signals.publish).toHaveBeenCalledTimes(1);
      expect(signals.publish).toHaveBeenCalledWith({
        recipients: { type: 'broadcast' },
        channel: 'readiness:entity',
        message: {
          entityRefs: Array.from({ length: ENTITY_COUNT }, (_, i) => refOf(i)),
          evaluatedAt: '2026-12-07T10:00:00.000Z',
        },
      });

      const summary = {
        total: 40,
        evaluated: 0,
        skipped: 40,
        failed: 0,
        removed: 0,
        durationMs: 5,
      };
      await notifier.onCycleFinished(summary);
      expect(signals.publish).toHaveBeenCalledTimes(1);
      await notifier.onCycleFinished({ ...summary, evaluated: 3 });
      expect(signals.publish).toHaveBeenLastCalledWith({
        recipients: { type: 'broadcast' },
        channel: 'readiness:overview',
        message: { changed: 3, at: '2026-12-07T10:00:00.000Z' },
      });
    });
  },
);

describe('readNotificationSettings', () => {
  const read = (notifications: object) =>
    readNotificationSettings(
      new ConfigReader({ readiness: { notifications } }),
    );

  it('has defaults', () => {
    expect(read({})).toEqual({
      enabled: true,
      disabledTopics: new Set(),
      digest: 'none',
      expiryWarningDays: 14,
    });
  });

  it('fails start-up with a message naming the key', () => {
    expect(() => read({ digest: 'weekly' })).toThrow(
      "Invalid readiness.notifications.digest: 'weekly'; expected 'none' or 'daily'",
    );
    expect(() => read({ expiryWarningDays: 0 })).toThrow(
      /^Invalid readiness.notifications.expiryWarningDays: 0/,
    );
    expect(() => read({ topics: { nope: false } })).toThrow(
      /^Invalid readiness.notifications.topics.nope: unknown topic; expected one of readiness-regression, /,
    );
    expect(() => read({ topics: { regression: 'maybe' } })).toThrow(
      /^Invalid readiness.notifications.topics.regression/,
    );
    expect(() => read({ enabled: 'yes please' })).toThrow(
      /^Invalid readiness.notifications.enabled/,
    );
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('Timed out');
    await new Promise(resolve => setTimeout(resolve, 20));
  }
}
