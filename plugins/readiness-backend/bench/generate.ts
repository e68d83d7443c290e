/*
 * The entities and facts of the benchmarks (not a test; CI does not run it):
 * the example services' facts, collected by the built-in collectors, varied
 * into N entities; the databases (SQLite file, temporary PostgreSQL
 * database) and small utilities. Shared by `yarn bench:engine` (engine.ts)
 * and the side-by-side benchmark against Tech Insights (`yarn bench`).
 */
import fs from 'fs';
import net from 'net';
import os from 'os';
import path from 'path';
import knexFactory, { Knex } from 'knex';
import { performance } from 'perf_hooks';
import type {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConfigReader } from '@backstage/config';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type {
  JsonObject,
  LevelDefinition,
  CheckDefinition,
} from '@prodready/plugin-readiness-common';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import { DatabaseReadinessStore, EntityEvaluation } from '../src/database';
import {
  BUILT_IN_CHECKS,
  buildScorecard,
  collectFacts,
  CompiledCheck,
  OPTIONAL_FACT_DOCUMENTS,
  createEntityFactCollector,
  createOfflineFactCollectors,
  evaluateChecks,
  readCatalogFile,
} from '@prodready/plugin-readiness-engine';
import { DefaultReadinessEngine } from '../src/service/engine/DefaultReadinessEngine';
import { loadChecks } from '../src/service/engine/loadChecks';
import { hashJson } from '../src/service/engine/hash';
import { toEntityScores } from '../src/service/engine/scores';

// What the side-by-side benchmark (bench/ at the root) uses of the engine.
export { DatabaseReadinessStore } from '../src/database';
export type { EntityEvaluation } from '../src/database';
export { DefaultReadinessEngine } from '../src/service/engine/DefaultReadinessEngine';
export { hashJson } from '../src/service/engine/hash';
export { loadChecks } from '../src/service/engine/loadChecks';
export { OverviewIndex } from '../src/overview/OverviewIndex';
export { compileScoreFilter } from '../src/overview/filter';

// ---------------------------------------------------------------------------
// Utilities

/** A seeded PRNG (mulberry32), so that runs are comparable. */
export function createRandom(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min: number, max: number) =>
      min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: ReadonlyArray<T>): T =>
      items[Math.floor(next() * items.length)],
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.max(0, Math.ceil((p / 100) * sorted.length) - 1),
  );
  return sorted[index];
}

export const silentLogger: LoggerService = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child: () => silentLogger,
};

export const benchAuth = {
  async getOwnServiceCredentials() {
    return {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'service', subject: 'plugin:readiness' },
    };
  },
} as unknown as AuthService;

export function log(message: string) {
  process.stderr.write(`${message}\n`);
}

export const formatMs = (ms: number) =>
  ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(2)} ms`;
export const formatRate = (n: number, ms: number) =>
  `${Math.round(n / (ms / 1000)).toLocaleString('en-US')} entities/s`;
export const formatBytes = (bytes: number) =>
  `${(bytes / 1024 / 1024).toFixed(1)} MB`;

// ---------------------------------------------------------------------------
// Realistic facts: the example services, varied

const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');

export function loadExampleEntities(): Entity[] {
  return ['entities.yaml', 'service-levels.yaml', 'org.yaml'].flatMap(file =>
    readCatalogFile(path.join(EXAMPLES_DIR, file)),
  );
}

export interface Template {
  entity: Entity;
  serviceLevels: JsonObject;
  deployment: JsonObject;
}

/** The facts of every example Component, from the real collectors. */
export async function collectTemplates(): Promise<Template[]> {
  const entities = loadExampleEntities();
  const collectors = createOfflineFactCollectors({ entities });
  const templates: Template[] = [];
  for (const entity of entities.filter(e => e.kind === 'Component')) {
    const facts = await collectFacts(entity, collectors);
    templates.push({
      entity,
      serviceLevels: facts.serviceLevels,
      deployment: facts.deployment,
    });
  }
  return templates;
}

export interface Item {
  entity: Entity;
  ref: string;
  /** Collector id to facts; replaced, never mutated in place. */
  facts: Record<string, JsonObject>;
}

const TIERS = ['tier-1', 'tier-2', 'tier-3'];
const LIFECYCLES = ['production', 'production', 'production', 'experimental'];

export function isObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** N entities, each a varied copy of an example service. */
export async function generatePopulation(
  count: number,
  templates: Template[],
  random: ReturnType<typeof createRandom>,
): Promise<Item[]> {
  const entityCollector = createEntityFactCollector();
  const items: Item[] = [];
  for (let i = 0; i < count; i++) {
    const template = templates[i % templates.length];
    const name = `${template.entity.metadata.name}-${String(i).padStart(
      5,
      '0',
    )}`;
    const entity: Entity = {
      ...template.entity,
      metadata: {
        ...template.entity.metadata,
        name,
        uid: `bench-${i}`,
        annotations: {
          ...template.entity.metadata.annotations,
          'prodready.dev/tier': random.pick(TIERS),
        },
      },
      spec: {
        ...template.entity.spec,
        owner: `group:default/team-${random.int(1, 60)}`,
        system: `system:default/system-${random.int(1, 25)}`,
        lifecycle: random.pick(LIFECYCLES),
      },
    };
    const deployment: JsonObject = { ...template.deployment };
    if (isObject(deployment.hpa)) {
      const min = random.int(1, 4);
      deployment.hpa = {
        ...deployment.hpa,
        minReplicas: min,
        maxReplicas: random.int(min, 60),
      };
    }
    const serviceLevels: JsonObject = {
      ...template.serviceLevels,
      ...(typeof template.serviceLevels.peakRps === 'number' && {
        peakRps: random.int(50, 5000),
      }),
    };
    items.push({
      entity,
      ref: stringifyEntityRef(entity),
      facts: {
        entity: await entityCollector.collect({ entity }),
        serviceLevels,
        deployment,
      },
    });
  }
  return items;
}

/** Changes one fact that a check reads: the kind of change a deploy makes. */
export function mutate(item: Item, random: ReturnType<typeof createRandom>) {
  const deployment = item.facts.deployment;
  const toggles: Array<() => void> = [];
  if (isObject(deployment.probes)) {
    toggles.push(() => {
      const probes = deployment.probes as JsonObject;
      item.facts.deployment = {
        ...deployment,
        probes: { ...probes, liveness: !probes.liveness },
      };
    });
  }
  if (isObject(deployment.hpa)) {
    toggles.push(() => {
      const hpa = deployment.hpa as JsonObject;
      item.facts.deployment = {
        ...deployment,
        hpa: { ...hpa, minReplicas: hpa.minReplicas === 1 ? 3 : 1 },
      };
    });
  }
  if (isObject(deployment.monitoring)) {
    toggles.push(() => {
      const monitoring = deployment.monitoring as JsonObject;
      item.facts.deployment = {
        ...deployment,
        monitoring: {
          ...monitoring,
          alertRules: monitoring.alertRules === 0 ? 2 : 0,
        },
      };
    });
  }
  toggles.push(() => {
    item.facts.serviceLevels = {
      ...item.facts.serviceLevels,
      drTestOverdue: !item.facts.serviceLevels.drTestOverdue,
    };
  });
  random.pick(toggles)();
}

// ---------------------------------------------------------------------------
// Evaluation, as the engine does it (for the history simulation)

export interface CheckSet {
  checks: CompiledCheck[];
  definitions: CheckDefinition[];
  levels: LevelDefinition[];
}

/** The built-in checks and levels, compiled once, as the engine loads them. */
export function loadBuiltInCheckSet(): CheckSet {
  const { checks, levels } = loadChecks({
    config: new ConfigReader({}),
    logger: silentLogger,
    builtInChecks: BUILT_IN_CHECKS,
    // As the engine knows them: the collected documents and the optional
    // ones (not collected here: their checks are not applicable).
    knownFacts: [
      'entity',
      'serviceLevels',
      'deployment',
      ...OPTIONAL_FACT_DOCUMENTS,
    ],
  });
  return { checks, definitions: checks.map(c => c.definition), levels };
}

export function evaluateItem(
  item: Item,
  set: CheckSet,
  at: Date,
): EntityEvaluation {
  const results = evaluateChecks(set.checks, {
    entity: item.entity,
    entityRef: item.ref,
    facts: item.facts,
    now: at,
  });
  const scorecard = buildScorecard({
    entityRef: item.ref,
    checks: set.definitions,
    results,
    levels: set.levels,
    evaluatedAt: at,
  });
  const factsHash = hashJson({
    day: at.toISOString().slice(0, 10),
    f: item.facts,
  });
  return {
    entityRef: item.ref,
    results: scorecard.results.map(({ checkId, status, message }) => ({
      checkId,
      status,
      message,
    })),
    scores: toEntityScores(item.entity, scorecard, {
      levels: set.levels,
      factsHash,
    }),
    evaluatedAt: at,
  };
}

// ---------------------------------------------------------------------------
// Databases

export interface Target {
  name: string;
  knex: Knex;
  /** Bytes of the tables whose names start with the target's prefix (SQLite: the whole file). */
  size(): Promise<number>;
  /** Bytes per table (of the prefix), with its indexes. */
  tableSizes(): Promise<Map<string, number>>;
  dispose(): Promise<void>;
}

/**
 * A new SQLite file. `prefix` selects the tables that `tableSizes` reports
 * and names the file, so that one process can hold several.
 */
export async function sqliteTarget(prefix = 'readiness'): Promise<Target> {
  const file = path.join(
    os.tmpdir(),
    `${prefix || 'all'}-bench-${process.pid}.sqlite`,
  );
  fs.rmSync(file, { force: true });
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  return {
    name: 'SQLite',
    knex,
    async size() {
      let bytes = fs.statSync(file).size;
      if (fs.existsSync(`${file}-wal`))
        bytes += fs.statSync(`${file}-wal`).size;
      return bytes;
    },
    async tableSizes() {
      const rows: Array<{ name: string; bytes: number }> = await knex.raw(
        `select coalesce(m.tbl_name, d.name) as name, sum(d.pgsize) as bytes
           from dbstat d left join sqlite_master m on m.name = d.name
          group by 1`,
      );
      return new Map(
        rows
          .filter(row => row.name.startsWith(prefix))
          .map(row => [row.name, Number(row.bytes)]),
      );
    },
    async dispose() {
      await knex.destroy();
      fs.rmSync(file, { force: true });
    },
  };
}

export function postgresUrl(): string {
  return (
    process.env.BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING ??
    'postgresql://postgres@127.0.0.1:5432/postgres'
  );
}

export async function postgresReachable(): Promise<boolean> {
  const url = new URL(postgresUrl());
  return new Promise(resolve => {
    const socket = net.connect({
      host: url.hostname,
      port: Number(url.port || 5432),
    });
    socket.setTimeout(1000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A temporary PostgreSQL database, dropped by `dispose`. `prefix` selects the
 * tables that `size` and `tableSizes` count.
 */
export async function postgresTarget(prefix = 'readiness'): Promise<Target> {
  const adminUrl = postgresUrl();
  const database = `${prefix || 'all'}_bench_${process.pid}_${Date.now()}`;
  const admin = knexFactory({ client: 'pg', connection: adminUrl });
  await admin.raw('create database ??', [database]);
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  const knex = knexFactory({
    client: 'pg',
    connection: url.toString(),
    pool: { min: 0, max: 10 },
  });
  return {
    name: 'PostgreSQL',
    knex,
    async size() {
      const { rows } = await knex.raw(
        `select coalesce(sum(pg_total_relation_size(c.oid)), 0)::bigint as bytes
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'r' and n.nspname = 'public' and c.relname like ?`,
        [`${prefix}%`],
      );
      return Number(rows[0].bytes);
    },
    async tableSizes() {
      const { rows } = await knex.raw(
        `select c.relname as name, pg_total_relation_size(c.oid)::bigint as bytes
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where c.relkind = 'r' and n.nspname = 'public' and c.relname like ?`,
        [`${prefix}%`],
      );
      return new Map(
        (rows as Array<{ name: string; bytes: string }>).map(row => [
          row.name,
          Number(row.bytes),
        ]),
      );
    },
    async dispose() {
      await knex.destroy();
      await admin.raw('drop database if exists ?? with (force)', [database]);
      await admin.destroy();
    },
  };
}

// ---------------------------------------------------------------------------
// The engine over the generated entities, and the history simulation

/**
 * The real engine (DefaultReadinessEngine over the real store) on a
 * database; its collectors return the generated facts, and its clock is
 * `now`.
 */
export async function createBenchEngine(
  target: Pick<Target, 'knex'>,
  items: Item[],
  now: Date,
  /** A clock that moves, instead of `now`. */
  clock?: () => Date,
) {
  const byName = new Map(items.map(item => [item.entity.metadata.name, item]));
  const database: DatabaseService = { getClient: async () => target.knex };
  const store = await DatabaseReadinessStore.create({ database });
  const fakeCollector = (id: string): FactCollector => ({
    id,
    version: 1,
    async collect({ entity }) {
      return byName.get(entity.metadata.name)!.facts[id];
    },
  });
  const engine = await DefaultReadinessEngine.create({
    config: new ConfigReader({}),
    logger: silentLogger,
    auth: benchAuth,
    catalog: catalogServiceMock({ entities: items.map(item => item.entity) }),
    store,
    collectors: [
      fakeCollector('entity'),
      fakeCollector('serviceLevels'),
      fakeCollector('deployment'),
    ],
    now: clock ?? (() => now),
  });
  return { store, engine };
}

/** p50/p95/p99 (ms) of reading one random entity's scorecard from the store. */
export async function timeReads(
  store: DatabaseReadinessStore,
  items: Item[],
  reads: number,
  random: ReturnType<typeof createRandom>,
) {
  const durations: number[] = [];
  for (let i = 0; i < reads; i++) {
    const item = random.pick(items);
    const start = performance.now();
    const scorecard = await store.getScorecard(item.ref);
    durations.push(performance.now() - start);
    if (!scorecard) throw new Error(`No scorecard for ${item.ref}`);
  }
  durations.sort((a, b) => a - b);
  return {
    p50: percentile(durations, 50),
    p95: percentile(durations, 95),
    p99: percentile(durations, 99),
  };
}

/**
 * Simulates `days` of hourly evaluation with the engine's change-only
 * property: each hour `changeRate` of the entities change one fact and are
 * evaluated and saved; once a day every entity is re-evaluated (the UTC day
 * is part of the facts hash); daily snapshot carry-forward and retention.
 * Returns the number of evaluations written.
 */
export async function simulateHistory(options: {
  store: DatabaseReadinessStore;
  items: Item[];
  set: CheckSet;
  start: Date;
  days: number;
  changeRate: number;
  random: ReturnType<typeof createRandom>;
  onDay?: (day: number) => void;
  /**
   * The database's own upkeep after each simulated day: on PostgreSQL a
   * plain VACUUM, as autovacuum runs between cycles in real life (the
   * simulated days run back to back, so it would not get the chance).
   */
  afterDay?: () => Promise<unknown>;
}): Promise<number> {
  const { store, items, set, start, random } = options;
  const hours = options.days * 24;
  const perHour = Math.max(1, Math.round(items.length * options.changeRate));
  let written = 0;
  for (let hour = 1; hour < hours; hour++) {
    const at = new Date(start.getTime() + hour * 60 * 60 * 1000);
    const evaluations: EntityEvaluation[] = [];
    if (hour % 24 === 0) {
      // A new day: the engine re-evaluates every entity once (the day is
      // part of its facts hash), which writes its scores and snapshot.
      for (let i = 0; i < items.length; i += 500) {
        const batch = items
          .slice(i, i + 500)
          .map(item => evaluateItem(item, set, at));
        await store.saveEvaluations(batch);
        written += batch.length;
      }
    }
    const changed = new Set<Item>();
    while (changed.size < perHour) changed.add(random.pick(items));
    for (const item of changed) {
      mutate(item, random);
      evaluations.push(evaluateItem(item, set, at));
    }
    await store.saveManyFacts(
      [...changed].map(item => ({
        entityRef: item.ref,
        collectorId: 'deployment',
        version: 1,
        facts: item.facts.deployment,
        hash: hashJson(item.facts.deployment),
        collectedAt: at,
      })),
    );
    await store.saveEvaluations(evaluations);
    written += evaluations.length;
    if (hour % 24 === 23) {
      await store.carryForwardSnapshots({ at });
      await store.applyRetention({
        historyDays: 90,
        snapshotDays: 365,
        now: at,
      });
      await options.afterDay?.();
      options.onDay?.(Math.ceil(hour / 24));
    }
  }
  return written;
}

export function printTable(title: string, columns: string[], rows: string[][]) {
  const widths = columns.map((column, i) =>
    Math.max(column.length, ...rows.map(row => (row[i] ?? '').length)),
  );
  const line = (cells: string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  process.stdout.write(`\n${title}\n\n`);
  process.stdout.write(`${line(columns)}\n`);
  process.stdout.write(`|${widths.map(w => '-'.repeat(w + 2)).join('|')}|\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}
