/*
 * Benchmark of the readiness engine (not a test; CI does not run it).
 *
 *   yarn bench:engine [--entities 10000] [--days 30] [--change-rate 0.02]
 *                     [--reads 1000] [--no-postgres] [--no-history]
 *
 * It generates N Component entities with realistic facts (the facts of the
 * example services in examples/, collected by the built-in collectors, then
 * varied), compiles the built-in checks once and measures, on SQLite (a file)
 * and on PostgreSQL (a temporary database, when 127.0.0.1:5432 answers or
 * BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING is set):
 *
 * - the evaluation of every entity, in memory (compiled checks + scorecard);
 * - a full evaluation cycle of the real engine (DefaultReadinessEngine over
 *   the real store; collectors return the generated facts), cold and then
 *   with nothing changed (incremental: every entity skipped);
 * - the p50/p95 of reading one entity's scorecard from the store;
 * - the size of the database after 30 days of hourly evaluation.
 */
import os from 'os';
import { performance } from 'perf_hooks';
import {
  CheckSet,
  Item,
  Target,
  collectTemplates,
  createBenchEngine,
  createRandom,
  evaluateItem,
  formatBytes,
  formatMs,
  formatRate,
  generatePopulation,
  loadBuiltInCheckSet,
  log,
  postgresReachable,
  postgresTarget,
  printTable,
  simulateHistory,
  sqliteTarget,
  timeReads,
} from './generate';
import { evaluateChecks } from '@prodready/plugin-readiness-engine';

// ---------------------------------------------------------------------------
// Arguments

interface Options {
  entities: number;
  days: number;
  changeRate: number;
  reads: number;
  postgres: boolean;
  history: boolean;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    entities: 10_000,
    days: 30,
    changeRate: 0.02,
    reads: 1_000,
    postgres: true,
    history: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = Number(argv[++i]);
      if (!Number.isFinite(v) || v < 0) {
        throw new Error(`${arg} needs a number`);
      }
      return v;
    };
    if (arg === '--entities') options.entities = Math.floor(value());
    else if (arg === '--days') options.days = Math.floor(value());
    else if (arg === '--change-rate') options.changeRate = value();
    else if (arg === '--reads') options.reads = Math.floor(value());
    else if (arg === '--no-postgres') options.postgres = false;
    else if (arg === '--no-history') options.history = false;
    else throw new Error(`Unknown argument ${arg}`);
  }
  return options;
}

// ---------------------------------------------------------------------------
// The measurements on one database

type Metrics = Record<string, string>;

async function runOn(
  target: Target,
  population: Item[],
  set: CheckSet,
  options: Options,
): Promise<Metrics> {
  const metrics: Metrics = {};
  const random = createRandom(7);
  // Copies: the simulation changes facts.
  const items = population.map(item => ({ ...item, facts: { ...item.facts } }));
  const day = 24 * 60 * 60 * 1000;
  const start = new Date(
    Math.floor(Date.now() / day) * day - options.days * day,
  );
  const { store, engine } = await createBenchEngine(target, items, start);

  log(`[${target.name}] full evaluation cycle of ${items.length} entities...`);
  let t0 = performance.now();
  const cold = await engine.runCycle();
  let ms = performance.now() - t0;
  if (cold.evaluated !== items.length) {
    throw new Error(
      `Expected ${items.length} evaluations, got ${cold.evaluated}`,
    );
  }
  metrics['Engine cycle, every entity new'] = `${formatMs(ms)} (${formatRate(
    items.length,
    ms,
  )})`;

  t0 = performance.now();
  const warm = await engine.runCycle();
  ms = performance.now() - t0;
  metrics['Engine cycle, nothing changed'] = `${formatMs(ms)} (${formatRate(
    items.length,
    ms,
  )}, ${warm.skipped} skipped)`;

  const reads = await timeReads(store, items, options.reads, random);
  metrics['Scorecard read p50 / p95'] = `${reads.p50.toFixed(
    2,
  )} / ${reads.p95.toFixed(2)} ms`;
  metrics['Database size after one cycle'] = formatBytes(await target.size());

  if (options.history) {
    const perHour = Math.max(1, Math.round(items.length * options.changeRate));
    log(
      `[${target.name}] ${options.days} days of hourly evaluation, ${perHour} entities changing per hour...`,
    );
    t0 = performance.now();
    const written = await simulateHistory({
      store,
      items,
      set,
      start,
      days: options.days,
      changeRate: options.changeRate,
      random,
      afterDay:
        target.name === 'PostgreSQL'
          ? () => target.knex.raw('vacuum analyze')
          : undefined,
      onDay: (d: number) =>
        log(`[${target.name}]   day ${d} of ${options.days}`),
    });
    ms = performance.now() - t0;
    const count = async (table: string) =>
      Number((await target.knex(table).count({ n: '*' }))[0].n);
    if (target.name === 'PostgreSQL') {
      // A plain VACUUM (not FULL), as autovacuum would run between the
      // hourly cycles in real life: it makes dead tuples' space reusable.
      await target.knex.raw('vacuum analyze');
    }
    metrics[
      `Simulated ${options.days} days × 24 h`
    ] = `${written.toLocaleString('en-US')} evaluations written in ${formatMs(
      ms,
    )}`;
    metrics['Rows: entity results / history / snapshots'] = `${(
      await count('readiness_entity_results')
    ).toLocaleString('en-US')} / ${(
      await count('readiness_result_history')
    ).toLocaleString('en-US')} / ${(
      await count('readiness_score_snapshots')
    ).toLocaleString('en-US')}`;
    metrics[`Database size after ${options.days} days`] = formatBytes(
      await target.size(),
    );
    const sizes = await target.tableSizes();
    for (const table of [
      'readiness_facts',
      'readiness_entity_results',
      'readiness_result_history',
      'readiness_scores',
      'readiness_score_snapshots',
      'readiness_overview_changes',
    ]) {
      metrics[`… ${table}`] = formatBytes(sizes.get(table) ?? 0);
    }
    const after = await timeReads(store, items, options.reads, random);
    metrics['Scorecard read p50 / p95, with history'] = `${after.p50.toFixed(
      2,
    )} / ${after.p95.toFixed(2)} ms`;
  }
  return metrics;
}

// ---------------------------------------------------------------------------

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const random = createRandom(42);

  log('Collecting the facts of the example services...');
  const templates = await collectTemplates();
  const population = await generatePopulation(
    options.entities,
    templates,
    random,
  );

  let t0 = performance.now();
  const set = loadBuiltInCheckSet();
  const compileMs = performance.now() - t0;

  // In memory: compiled once, every entity evaluated (after a warm-up).
  const now = new Date();
  for (const item of population.slice(0, 1000)) {
    evaluateItem(item, set, now);
  }
  t0 = performance.now();
  let results = 0;
  for (const item of population) {
    results += evaluateChecks(set.checks, {
      entity: item.entity,
      entityRef: item.ref,
      facts: item.facts,
      now,
    }).length;
  }
  const evaluateMs = performance.now() - t0;
  t0 = performance.now();
  for (const item of population) {
    evaluateItem(item, set, now);
  }
  const scorecardMs = performance.now() - t0;

  const common: string[][] = [
    ['Entities', options.entities.toLocaleString('en-US')],
    [
      'Checks (built-in) / example templates',
      `${set.checks.length} / ${templates.length}`,
    ],
    ['Compile the checks, once', formatMs(compileMs)],
    [
      'Evaluate every check of every entity',
      `${formatMs(evaluateMs)} (${formatRate(
        population.length,
        evaluateMs,
      )}; ${results.toLocaleString('en-US')} results)`,
    ],
    [
      '… plus scorecard, scores and facts hash',
      `${formatMs(scorecardMs)} (${formatRate(
        population.length,
        scorecardMs,
      )})`,
    ],
  ];

  const targets: Array<() => Promise<Target>> = [sqliteTarget];
  if (options.postgres) {
    if (await postgresReachable()) {
      targets.push(postgresTarget);
    } else {
      log('PostgreSQL does not answer: SQLite only.');
    }
  }
  const columns: string[] = [];
  const perTarget: Metrics[] = [];
  for (const createTarget of targets) {
    const target = await createTarget();
    try {
      perTarget.push(await runOn(target, population, set, options));
      columns.push(target.name);
    } finally {
      await target.dispose();
    }
  }

  printTable(
    `Readiness engine benchmark (Node ${process.version}, ${
      os.cpus().length
    } CPUs)`,
    ['In memory', ''],
    common,
  );
  const keys = [...new Set(perTarget.flatMap(m => Object.keys(m)))];
  printTable(
    'On the database',
    ['', ...columns],
    keys.map(key => [key, ...perTarget.map(m => m[key] ?? '')]),
  );
  if (options.history) {
    process.stdout.write(
      `\nHistory: ${
        options.days
      } days of hourly cycles, simulated with the engine's change-only
property: each hour ${Math.round(
        options.entities * options.changeRate,
      )} entities (${(options.changeRate * 100).toFixed(
        1,
      )}%) change one fact and are evaluated and saved; the other
entities' cycles write nothing (their facts hash is unchanged), so they are not replayed. Once a
day every entity is re-evaluated and saved (the UTC day is part of the facts hash), which writes
its scores (a snapshot only when the score changed). Retention: 90 days of history, 365 of
snapshots; the overview change log keeps 24 hours. On PostgreSQL, a plain VACUUM ANALYZE (not FULL)
runs after each simulated day and before the sizes are measured, as autovacuum would between the
cycles in real life (the simulated 30 days run back to back, so it would not get the chance).
`,
    );
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
