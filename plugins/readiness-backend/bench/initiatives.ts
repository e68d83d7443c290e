/*
 * The world of `yarn bench initiatives` (not a test; CI does not run it):
 * N services with D days of history (scores, check transitions, checklist
 * attestations) written through the real stores, 20 initiatives over them,
 * and the real InitiativeService, so that the benchmark at the root
 * (bench/src/initiatives.ts) measures what the backend does.
 */
import type { Knex } from 'knex';
import type { DatabaseService } from '@backstage/backend-plugin-api';
import type { InitiativeDefinition } from '@prodready/plugin-readiness-common';
import {
  PHASE_4_DEPLOYMENT_AND_SCALING,
  validateInitiativeDefinition,
} from '@prodready/plugin-readiness-common';
import { DatabaseReadinessStore } from '../src/database';
import { DatabaseChecklistStore } from '../src/database/DatabaseChecklistStore';
import { DatabaseInitiativeStore } from '../src/initiatives/DatabaseInitiativeStore';
import { InitiativeService } from '../src/initiatives/InitiativeService';
import { initiativeValidationOptions } from '../src/initiatives/loadInitiatives';
import type { GroupHierarchy } from '../src/groups';
import { ConfigReader } from '@backstage/config';
import { DatabaseNotificationStore } from '../src/notifications/DatabaseNotificationStore';
import {
  ReadinessNotifier,
  readNotificationSettings,
} from '../src/notifications';
import {
  CheckSet,
  Item,
  Target,
  createBenchEngine,
  collectTemplates,
  createRandom,
  evaluateItem,
  generatePopulation,
  loadBuiltInCheckSet,
  mutate,
  silentLogger,
} from './generate';

const DAY_MS = 86_400_000;
/** Teams `team-1..60` (the generated owners) sit under 6 departments. */
const DEPARTMENTS = 6;
const TEAMS = 60;

/** `YYYY-MM-DD` of a time, UTC. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

/**
 * The group tree of the generated owners: `group:default/org` over six
 * departments over 60 teams.
 */
export const benchGroups: GroupHierarchy = {
  async descendantsOf(groupRef: string) {
    const ref = groupRef.toLocaleLowerCase('en-US');
    const teams = (from: number, to: number) =>
      Array.from(
        { length: to - from + 1 },
        (_, i) => `group:default/team-${from + i}`,
      );
    if (ref === 'group:default/org') {
      return [
        ref,
        ...Array.from(
          { length: DEPARTMENTS },
          (_, i) => `group:default/department-${i + 1}`,
        ),
        ...teams(1, TEAMS),
      ];
    }
    const department = /^group:default\/department-(\d+)$/.exec(ref);
    if (department) {
      const n = Number(department[1]);
      const size = TEAMS / DEPARTMENTS;
      return [ref, ...teams((n - 1) * size + 1, n * size)];
    }
    return [ref];
  },
};

/**
 * Twenty initiatives of every goal type and scope condition, started
 * `days` days before `today`, due 10 to 60 days after it.
 */
export function benchInitiatives(
  today: Date,
  days: number,
): InitiativeDefinition[] {
  const start = dayOf(new Date(today.getTime() - days * DAY_MS));
  const due = (n: number) => dayOf(new Date(today.getTime() + n * DAY_MS));
  const base = (id: string, n: number) => ({
    id,
    title: id.replace(/-/g, ' '),
    owner: 'group:default/org',
    startDate: start,
    deadline: due(10 + (n % 6) * 10),
  });
  const list: InitiativeDefinition[] = [];
  const levels = ['bronze', 'silver', 'gold'];
  const tiers = ['tier-1', 'tier-2', 'tier-3'];
  // Levels by tier (9).
  for (const tier of tiers) {
    for (const level of levels) {
      list.push({
        ...base(`${tier}-${level}`, list.length),
        scope: { tiers: [tier], kinds: ['Component'] },
        goal: { type: 'level', level },
      });
    }
  }
  // Levels by department, over the group tree (3).
  for (const n of [1, 2, 3]) {
    list.push({
      ...base(`department-${n}-silver`, list.length),
      scope: { owners: [`group:default/department-${n}`] },
      goal: { type: 'level', level: 'silver' },
    });
  }
  // Checks (4), one of them scheduled.
  list.push({
    ...base('backups-meet-rpo', list.length),
    scope: { lifecycles: ['production'] },
    goal: { type: 'checks', checks: ['backup-scheduled', 'backup-meets-rpo'] },
  });
  list.push({
    ...base('tls-and-network-policy', list.length),
    scope: { tiers: ['tier-1', 'tier-2'], lifecycles: ['production'] },
    goal: { type: 'checks', checks: ['ingress-tls', 'network-policy'] },
  });
  list.push({
    ...base('autoscaling', list.length),
    scope: { owners: ['group:default/org'] },
    goal: {
      type: 'checks',
      checks: ['hpa-configured', 'hpa-utilization-targets', 'pdb-configured'],
    },
  });
  list.push({
    ...base('probes-everywhere', list.length),
    scope: { kinds: ['Component'], types: ['service'] },
    goal: { type: 'checks', checks: ['probes-configured', 'startup-probe'] },
    enforcedFrom: due(5),
  });
  // Checklists (2).
  list.push({
    ...base('backups-attested', list.length),
    scope: { lifecycles: ['production'] },
    goal: {
      type: 'checklists',
      phase: 'phase-4',
      items: ['backup-dr-tested', 'post-backups-verified'],
    },
  });
  list.push({
    ...base('pre-deployment-complete', list.length),
    scope: { systems: ['system:default/system-1', 'system:default/system-2'] },
    goal: {
      type: 'checklists',
      phase: 'phase-4',
      checklists: ['pre-deployment'],
    },
  });
  // Level by system (2).
  for (const n of [3, 4]) {
    list.push({
      ...base(`system-${n}-gold`, list.length),
      scope: { systems: [`system:default/system-${n}`] },
      goal: { type: 'level', level: 'gold' },
    });
  }
  return list;
}

/** The items of Phase 4 that the seeded owners attest. */
const ATTESTED = PHASE_4_DEPLOYMENT_AND_SCALING.checklists.flatMap(checklist =>
  checklist.items
    .filter(item =>
      [
        'backup-dr-tested',
        'post-backups-verified',
        'pre-production-environment',
        'pre-domain-dns',
      ].includes(item.id),
    )
    .map(item => ({ checklistId: checklist.id, itemId: item.id })),
);

/**
 * Writes `entities` services and `days` days of their history through the
 * real stores: every service evaluated on the first day, then each day
 * `changeRate` of them change a fact and are evaluated again, and owners
 * attest backup and pre-deployment items of a few services.
 */
export async function seedInitiativeWorld(options: {
  knex: Knex;
  entities: number;
  days: number;
  today: Date;
  changeRate?: number;
  onDay?: (day: number) => void;
}): Promise<{ items: Item[]; set: CheckSet; evaluations: number }> {
  const random = createRandom(7);
  const database: DatabaseService = { getClient: async () => options.knex };
  const store = await DatabaseReadinessStore.create({ database });
  const checklists = await DatabaseChecklistStore.create({ database });
  const items = await generatePopulation(
    options.entities,
    await collectTemplates(),
    random,
  );
  const set = loadBuiltInCheckSet();
  const start = options.today.getTime() - options.days * DAY_MS;
  const perDay = Math.max(
    1,
    Math.round(items.length * (options.changeRate ?? 0.03)),
  );
  let evaluations = 0;
  const saveAll = async (batch: Item[], at: Date) => {
    for (let i = 0; i < batch.length; i += 500) {
      await store.saveEvaluations(
        batch.slice(i, i + 500).map(item => evaluateItem(item, set, at)),
      );
    }
    evaluations += batch.length;
  };
  await saveAll(items, new Date(start + 60_000));
  const versions = new Map<string, number>();
  for (let day = 1; day <= options.days; day++) {
    const at = new Date(start + day * DAY_MS + 3_600_000);
    const changed = new Set<Item>();
    while (changed.size < perDay) changed.add(random.pick(items));
    for (const item of changed) mutate(item, random);
    await saveAll([...changed], at);
    // Owners attest an item of 1 % of the services each day.
    for (let i = 0; i < Math.ceil(items.length / 100); i++) {
      const item = random.pick(items);
      const target = random.pick(ATTESTED);
      const key = `${item.ref}/${target.itemId}`;
      const expectedVersion = versions.get(key) ?? 0;
      const outcome = await checklists.updateItem({
        entityRef: item.ref,
        phaseId: 'phase-4',
        ...target,
        status: 'done',
        actor: 'user:default/bench',
        at,
        expectedVersion,
      });
      if (outcome.ok) versions.set(key, outcome.state.version);
    }
    await store.carryForwardSnapshots({ at });
    options.onDay?.(day);
  }
  return { items, set, evaluations };
}

/** One evaluation cycle at `at`: `share` of the services changed. */
export async function simulateCycle(options: {
  knex: Knex;
  items: Item[];
  set: CheckSet;
  at: Date;
  share: number;
  seed: number;
}): Promise<number> {
  const random = createRandom(options.seed);
  const store = await DatabaseReadinessStore.create({
    database: { getClient: async () => options.knex },
  });
  const changed = new Set<Item>();
  const count = Math.max(1, Math.round(options.items.length * options.share));
  while (changed.size < count) changed.add(random.pick(options.items));
  const batch = [...changed];
  for (const item of batch) mutate(item, random);
  for (let i = 0; i < batch.length; i += 500) {
    await store.saveEvaluations(
      batch
        .slice(i, i + 500)
        .map(item => evaluateItem(item, options.set, options.at)),
    );
  }
  return batch.length;
}

/** The real InitiativeService over the seeded database, with its clock. */
export async function createBenchInitiativeService(options: {
  knex: Knex;
  initiatives: InitiativeDefinition[];
  now: () => Date;
}): Promise<InitiativeService> {
  const database: DatabaseService = { getClient: async () => options.knex };
  const set = loadBuiltInCheckSet();
  const definition = { checks: set.definitions, levels: set.levels };
  const validation = initiativeValidationOptions(definition, [
    PHASE_4_DEPLOYMENT_AND_SCALING,
  ]);
  for (const initiative of options.initiatives) {
    const result = validateInitiativeDefinition(initiative, validation);
    if (!result.ok) throw new Error(result.errors.join('; '));
  }
  return new InitiativeService({
    store: await DatabaseInitiativeStore.create({ database }),
    readinessStore: await DatabaseReadinessStore.create({ database }),
    checklistStore: await DatabaseChecklistStore.create({ database }),
    configInitiatives: options.initiatives,
    getDefinition: () => ({
      id: 'built-in',
      title: 'Production readiness',
      checks: set.definitions,
      levels: set.levels,
    }),
    phases: [PHASE_4_DEPLOYMENT_AND_SCALING],
    groups: benchGroups,
    logger: silentLogger,
    now: options.now,
  });
}

/** What {@link simulateNotificationMonth} counted. */
export interface NotificationMonthFigures {
  days: number;
  /** Distinct causes (entity, cause, window) that either replica found. */
  causes: number;
  /** How often the replicas found a cause (hourly tasks find them again). */
  occurrences: number;
  /** Notifications sent, by both replicas. */
  sends: number;
  /** Causes sent more than once (must be 0). */
  duplicates: number;
  /** Causes found but never sent (must be 0). */
  unsent: number;
  /** Sends by topic. */
  byTopic: Record<string, number>;
  /** Evaluation cycles run, alternately by each replica. */
  cycles: number;
  /** Hourly task runs (both replicas, every hour). */
  taskRuns: number;
  durationMs: number;
}

/**
 * A simulated month of notifications with two backend replicas on one
 * database, each with the real engine, notifier (and its dedupe store) and
 * initiatives service, sharing one clock: each day one replica (in turn)
 * runs an evaluation cycle in which `changeRate` of the services change,
 * then recomputes initiative progress; every hour BOTH replicas run the
 * notifier's task (the scheduler would pick one: both is harder); mid-month
 * an initiative is created through the service. Sends are recorded at the
 * notifications service; causes where the replicas claim them.
 */
export async function simulateNotificationMonth(options: {
  knex: Knex;
  items: Item[];
  initiatives: InitiativeDefinition[];
  start: Date;
  days: number;
  changeRate?: number;
  onDay?: (day: number) => void;
}): Promise<NotificationMonthFigures> {
  const started = Date.now();
  const database: DatabaseService = { getClient: async () => options.knex };
  let now = options.start;
  const clock = () => now;
  const sentKeys = new Map<string, number>();
  const seenKeys = new Map<string, number>();
  const byTopic: Record<string, number> = {};
  let sends = 0;
  const settings = readNotificationSettings(new ConfigReader({}));
  const checklistStore = await DatabaseChecklistStore.create({ database });
  const replicas = await Promise.all(
    ['a', 'b'].map(async () => {
      const { store, engine } = await createBenchEngine(
        { knex: options.knex } as Target,
        options.items,
        now,
        clock,
      );
      const initiatives = await createBenchInitiativeService({
        knex: options.knex,
        initiatives: options.initiatives,
        now: clock,
      });
      const notificationStore = await DatabaseNotificationStore.create({
        database,
      });
      // Every cause a replica finds goes through claim(): count them there.
      const claim = notificationStore.claim.bind(notificationStore);
      notificationStore.claim = async (causes, claimOptions) => {
        for (const cause of causes) {
          seenKeys.set(cause.key, (seenKeys.get(cause.key) ?? 0) + 1);
        }
        const claimed = await claim(causes, claimOptions);
        for (const cause of claimed) {
          sentKeys.set(cause.key, (sentKeys.get(cause.key) ?? 0) + 1);
        }
        return claimed;
      };
      const notifier = new ReadinessNotifier({
        settings,
        store: notificationStore,
        notifications: {
          async send(request) {
            sends += 1;
            const topic = request.payload.topic ?? 'none';
            byTopic[topic] = (byTopic[topic] ?? 0) + 1;
          },
        },
        signals: { async publish() {} },
        events: {
          async publish() {},
          async subscribe() {},
        },
        logger: silentLogger,
        titles: { check: id => id, level: id => id ?? 'no level' },
        listExpiringItems: query => checklistStore.listExpiringItems(query),
        readinessStore: store,
        initiatives,
        now: clock,
      });
      engine.addListener(notifier);
      engine.addListener({ onCycleFinished: () => initiatives.recompute() });
      return { engine, notifier, initiatives };
    }),
  );
  await replicas[0].initiatives.recompute();

  const random = createRandom(11);
  const perDay = Math.max(
    1,
    Math.round(options.items.length * (options.changeRate ?? 0.03)),
  );
  let cycles = 0;
  let taskRuns = 0;
  for (let day = 0; day < options.days; day++) {
    for (let hour = 0; hour < 24; hour++) {
      now = new Date(options.start.getTime() + day * DAY_MS + hour * 3_600_000);
      if (hour === 2) {
        const changed = new Set<Item>();
        while (changed.size < perDay) changed.add(random.pick(options.items));
        for (const item of changed) mutate(item, random);
        await replicas[day % 2].engine.runCycle();
        cycles += 1;
      }
      if (day === Math.floor(options.days / 2) && hour === 10) {
        await replicas[1].initiatives.create(
          {
            id: 'mid-month-slo-alerts',
            title: 'SLO alerts on every production service',
            owner: 'group:default/org',
            startDate: dayOf(now),
            deadline: dayOf(new Date(now.getTime() + 20 * DAY_MS)),
            scope: { lifecycles: ['production'] },
            goal: { type: 'checks', checks: ['slo-alerts'] },
          },
          'user:default/bench',
        );
      }
      await Promise.all(replicas.map(r => r.notifier.runTask()));
      taskRuns += 2;
    }
    options.onDay?.(day + 1);
  }
  let duplicates = 0;
  for (const count of sentKeys.values()) if (count > 1) duplicates += 1;
  let unsent = 0;
  for (const key of seenKeys.keys()) if (!sentKeys.has(key)) unsent += 1;
  let occurrences = 0;
  for (const count of seenKeys.values()) occurrences += count;
  return {
    days: options.days,
    causes: seenKeys.size,
    occurrences,
    sends,
    duplicates,
    unsent,
    byTopic,
    cycles,
    taskRuns,
    durationMs: Date.now() - started,
  };
}
