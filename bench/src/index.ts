/*
 * Side-by-side benchmark against Backstage Tech Insights, and load tests of
 * the real backend. Not a test; CI does not run it.
 *
 *   yarn bench [compare] [--entities 1000,10000] [--engines sqlite,postgres]
 *              [--days 30] [--change-rate 0.02] [--reads 200]
 *              [--ti-hours N] [--ti-max-items 7] [--concurrency 100]
 *              [--stock-equal] [--skip-bulk] [--no-history]
 *   yarn bench load [--entities 10000] [--duration 20] [--port 7201]
 *                   [--connections 32] [--profile-backend <dir>]
 *                   [--only floor,overview,scorecard,checklist]
 *                   [--warmup <seconds>]
 *   node --cpu-prof --require @backstage/cli/config/nodeTransform.cjs \
 *     bench/src/index.ts profile [--entities 1000] [--engines sqlite]
 *   yarn bench top <file.cpuprofile> [--focus runCycle] [--last <seconds>]
 *   yarn bench index [--entities 10000] [--requests 6000]
 *   yarn bench initiatives [--entities 10000] [--days 30] [--no-http]
 *                          [--engines sqlite,postgres] [--duration 15]
 *
 * Without a command it runs `compare`, then `load`. See bench/RESULTS.md.
 */
import os from 'os';
import {
  collectTemplates,
  createRandom,
  generatePopulation,
  loadBuiltInCheckSet,
  log,
  postgresReachable,
  printTable,
} from '@prodready/plugin-readiness-backend/bench/generate';
import {
  Agreement,
  CompareOptions,
  EngineName,
  Figure,
  compareOn,
} from './compare';
import { LoadOptions, runLoadTests } from './load';
import { benchOverviewIndex } from './overviewIndex';
import { runInitiativeBench } from './initiatives';
import { profileCycle, topFunctions } from './profile';

function numbers(flag: string, raw: string | undefined): number[] {
  const values = (raw ?? '').split(',').map(Number);
  if (values.length === 0 || values.some(v => !Number.isFinite(v) || v < 0)) {
    throw new Error(
      `${flag} needs a number or a comma-separated list; got '${raw}'`,
    );
  }
  return values;
}

interface Options {
  commands: Array<'compare' | 'load' | 'profile' | 'index' | 'initiatives'>;
  http: boolean;
  month: boolean;
  requests?: number;
  profileFile?: string;
  focus?: string;
  last?: number;
  entities?: number[];
  engines: EngineName[];
  compare: CompareOptions;
  load: Partial<LoadOptions>;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    commands: [],
    http: true,
    month: true,
    engines: ['SQLite', 'PostgreSQL'],
    compare: {
      days: 30,
      changeRate: 0.02,
      reads: 200,
      tiMaxItems: 7,
      concurrency: 100,
      history: true,
    },
    load: {},
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const next = () => argv[++i];
    const one = () => numbers(arg, next())[0];
    if (
      arg === 'compare' ||
      arg === 'load' ||
      arg === 'profile' ||
      arg === 'index' ||
      arg === 'initiatives'
    )
      options.commands.push(arg);
    else if (arg === '--requests') options.requests = one();
    else if (arg === 'top') options.profileFile = next();
    else if (arg === '--focus') options.focus = next();
    else if (arg === '--last') options.last = one();
    else if (arg === '--entities') options.entities = numbers(arg, next());
    else if (arg === '--engines') {
      options.engines = (next() ?? '').split(',').map(name => {
        if (name === 'sqlite') return 'SQLite';
        if (name === 'postgres') return 'PostgreSQL';
        throw new Error(
          `--engines takes sqlite and/or postgres; got '${name}'`,
        );
      });
    } else if (arg === '--days') options.compare.days = one();
    else if (arg === '--change-rate') options.compare.changeRate = one();
    else if (arg === '--reads') options.compare.reads = one();
    else if (arg === '--ti-hours') options.compare.tiHours = one();
    else if (arg === '--ti-max-items') options.compare.tiMaxItems = one();
    else if (arg === '--concurrency') options.compare.concurrency = one();
    else if (arg === '--stock-equal') options.compare.stockEqual = true;
    else if (arg === '--skip-bulk') options.compare.skipBulk = true;
    else if (arg === '--no-history') options.compare.history = false;
    else if (arg === '--no-http') options.http = false;
    else if (arg === '--no-month') options.month = false;
    else if (arg === '--duration') options.load.durationSeconds = one();
    else if (arg === '--connections') options.load.connections = one();
    else if (arg === '--port') options.load.port = one();
    else if (arg === '--profile-backend') options.load.profileDir = next();
    else if (arg === '--only') options.load.only = (next() ?? '').split(',');
    else if (arg === '--warmup') options.load.warmupSeconds = one();
    else throw new Error(`Unknown argument '${arg}'`);
  }
  if (options.commands.length === 0) options.commands = ['compare', 'load'];
  return options;
}

export function machine(): string {
  const cpus = os.cpus();
  return `${cpus.length} CPUs (${cpus[0]?.model.trim()}), ${(
    os.totalmem() /
    1024 ** 3
  ).toFixed(0)} GB RAM, Node ${process.version}, ${os.type()} ${os.release()}`;
}

const tally = (counts: Record<string, number>) =>
  Object.entries(counts)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key} ${value.toLocaleString('en-US')}`)
    .join(', ');

function printAgreement(agreements: Agreement[]) {
  printTable(
    'Same verdicts? (ours pass ↔ jsonfc true, fail/warn ↔ false, not-applicable ↔ filtered out)',
    ['Engine', 'N', 'Results compared', 'Mismatches', 'Ours', 'Tech Insights'],
    agreements.map(a => [
      a.engine,
      a.entities.toLocaleString('en-US'),
      a.compared.toLocaleString('en-US'),
      a.mismatches.toLocaleString('en-US'),
      tally(a.ours),
      tally(a.techInsights),
    ]),
  );
  for (const a of agreements) {
    for (const [kind, { count, example }] of a.byKind) {
      process.stdout.write(
        `  [${a.engine} ${a.entities}] ${count} × ${kind} (e.g. ${example})\n`,
      );
    }
  }
}

function printFigures(figures: Figure[]) {
  printTable(
    'Readiness engine vs Tech Insights (jsonfc)',
    [
      'Engine',
      'N',
      'What',
      'Ours',
      'Tech Insights',
      'Ours × (wall)',
      'Ours × (CPU)',
    ],
    figures.map(f => [
      f.engine,
      f.entities.toLocaleString('en-US'),
      f.what,
      f.ours,
      f.techInsights,
      f.ratio === undefined ? '' : `${f.ratio.toFixed(1)}×`,
      f.cpuRatio === undefined ? '' : `${f.cpuRatio.toFixed(1)}×`,
    ]),
  );
}

async function compare(options: Options) {
  const sizes = options.entities ?? [1000, 10000];
  const engines = [...options.engines];
  if (engines.includes('PostgreSQL') && !(await postgresReachable())) {
    log('PostgreSQL does not answer: SQLite only.');
    engines.splice(engines.indexOf('PostgreSQL'), 1);
  }
  log('Collecting the facts of the example services...');
  const templates = await collectTemplates();
  const population = await generatePopulation(
    Math.max(...sizes),
    templates,
    createRandom(42),
  );
  const set = loadBuiltInCheckSet();
  const figures: Figure[] = [];
  const agreements: Agreement[] = [];
  for (const engine of engines) {
    for (const n of sizes) {
      const result = await compareOn(
        engine,
        population.slice(0, n),
        set,
        options.compare,
      );
      figures.push(...result.figures);
      agreements.push(result.agreement);
    }
  }
  process.stdout.write(
    `\nMachine: ${machine()}; load average ${os
      .loadavg()
      .map(l => l.toFixed(1))
      .join(' ')}\nChecks: ${set.checks.length} built-in, ${
      templates.length
    } example services as templates\n`,
  );
  printAgreement(agreements);
  printFigures(figures);
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  if (options.profileFile) {
    topFunctions(options.profileFile, options.focus, 40, options.last);
    return;
  }
  if (options.commands.includes('profile')) {
    const templates = await collectTemplates();
    const items = await generatePopulation(
      options.entities?.[0] ?? 1000,
      templates,
      createRandom(42),
    );
    for (const engine of options.engines) await profileCycle(engine, items);
    return;
  }
  if (options.commands.includes('index')) {
    process.stdout.write(
      `Machine: ${machine()}; load average ${os
        .loadavg()
        .map(l => l.toFixed(1))
        .join(' ')}\n`,
    );
    benchOverviewIndex({
      entities: options.entities?.[0] ?? 10_000,
      requests: options.requests ?? 6_000,
    });
    return;
  }
  if (options.commands.includes('initiatives')) {
    log(machine());
    await runInitiativeBench({
      entities: options.entities?.[0] ?? 10_000,
      days: options.compare.days,
      engines: options.engines,
      durationSeconds: options.load.durationSeconds ?? 15,
      connections: options.load.connections ?? 32,
      port: options.load.port ?? 7202,
      http: options.http,
      month: options.month,
    });
  }
  if (options.commands.includes('compare')) await compare(options);
  if (options.commands.includes('load')) {
    await runLoadTests({
      ...options.load,
      entities: options.entities?.[0] ?? 10_000,
    });
  }
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exit(1);
});
