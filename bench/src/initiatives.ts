/*
 * `yarn bench initiatives`: initiatives at scale (not a test; CI does not
 * run it). For each database (SQLite file, PostgreSQL when it answers):
 *
 * 1. writes N services (default 10,000) and D days (default 30) of history
 *    through the real stores: scores, check transitions, attestations;
 * 2. the real InitiativeService with 20 initiatives (every goal type; scopes
 *    by tier, department over a group tree, lifecycle, type, system):
 *    - the first computation, which also rebuilds each burn-up from history;
 *    - then, three times, one evaluation cycle (3 % of the services change)
 *      followed by the recomputation of every initiative (target < 2 s);
 * 3. on the SQLite file, the real backend (packages/backend, the repo's
 *    app-config.yaml, the same 20 initiatives in readiness.initiatives):
 *    autocannon at 32 connections on an initiative's progress with its
 *    burn-up (GET /initiatives/{id}, the 20 at random) and on the list with
 *    every initiative's progress (GET /initiatives); target p95 < 50 ms.
 *
 *   yarn bench initiatives [--entities 10000] [--days 30]
 *                          [--engines sqlite,postgres] [--duration 15]
 *                          [--connections 32] [--port 7202] [--no-http]
 *                          [--no-month]
 *
 * 4. on PostgreSQL (else SQLite), a simulated month of notifications with
 *    two replicas on one database (see simulateNotificationMonth): the
 *    causes found against the notifications sent (each must be sent once).
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import knexFactory, { Knex } from 'knex';
import {
  Item,
  formatMs,
  log,
  percentile,
  postgresReachable,
  postgresTarget,
  printTable,
} from '@prodready/plugin-readiness-backend/bench/generate';
import {
  benchInitiatives,
  NotificationMonthFigures,
  createBenchInitiativeService,
  seedInitiativeWorld,
  simulateNotificationMonth,
  simulateCycle,
} from '@prodready/plugin-readiness-backend/bench/initiatives';
import {
  LoadFigure,
  cannon,
  json,
  startBackend,
  stopBackend,
  waitFor,
} from './load';

export interface InitiativeBenchOptions {
  entities: number;
  days: number;
  engines: Array<'SQLite' | 'PostgreSQL'>;
  durationSeconds: number;
  connections: number;
  port: number;
  http: boolean;
  /** Also simulate a month of notifications with two replicas. */
  month: boolean;
}

interface EngineFigures {
  engine: string;
  seedMs: number;
  evaluations: number;
  firstMs: number;
  recomputeMs: number[];
  changed: number;
  readP95: { list: number; detail: number };
  counts: string;
}

const DAY_MS = 86_400_000;

async function timeInProcess(
  knex: Knex,
  engine: string,
  options: InitiativeBenchOptions,
  today: Date,
): Promise<{ figures: EngineFigures; items: Item[] }> {
  const started = performance.now();
  const { items, set, evaluations } = await seedInitiativeWorld({
    knex,
    entities: options.entities,
    days: options.days,
    today,
    onDay: day => {
      if (day % 10 === 0) log(`[${engine}] seeded day ${day}/${options.days}`);
    },
  });
  const seedMs = performance.now() - started;
  const initiatives = benchInitiatives(today, options.days);
  let now = new Date(today.getTime() + 2 * 3_600_000);
  const service = await createBenchInitiativeService({
    knex,
    initiatives,
    now: () => now,
  });

  log(`[${engine}] first computation of ${initiatives.length} initiatives...`);
  let t = performance.now();
  await service.recompute();
  const firstMs = performance.now() - t;

  const recomputeMs: number[] = [];
  let changed = 0;
  for (let cycle = 1; cycle <= 3; cycle++) {
    now = new Date(now.getTime() + 3_600_000);
    changed = await simulateCycle({
      knex,
      items,
      set,
      at: now,
      share: 0.03,
      seed: 100 + cycle,
    });
    t = performance.now();
    await service.recompute();
    recomputeMs.push(performance.now() - t);
    log(
      `[${engine}] cycle ${cycle}: ${changed} services changed, recomputed in ${formatMs(
        recomputeMs[recomputeMs.length - 1],
      )}`,
    );
  }

  // In-process reads, for reference (the HTTP figures are the target).
  const time = async (fn: () => Promise<unknown>, n: number) => {
    const samples: number[] = [];
    for (let i = 0; i < n; i++) {
      const s = performance.now();
      await fn();
      samples.push(performance.now() - s);
    }
    samples.sort((a, b) => a - b);
    return percentile(samples, 95);
  };
  const list = await time(() => service.list(), 50);
  let i = 0;
  const detail = await time(
    () => service.get(initiatives[i++ % initiatives.length].id),
    100,
  );
  const all = await service.list();
  const counts = all
    .slice(0, 4)
    .map(
      x => `${x.id} ${x.progress.met + x.progress.exempt}/${x.progress.total}`,
    )
    .join(', ');
  return {
    figures: {
      engine,
      seedMs,
      evaluations,
      firstMs,
      recomputeMs,
      changed,
      readP95: { list, detail },
      counts,
    },
    items,
  };
}

async function runMonth(
  knex: Knex,
  items: Item[],
  engine: string,
  options: InitiativeBenchOptions,
  today: Date,
) {
  log(`[${engine}] a simulated month of notifications, two replicas...`);
  const figures = await simulateNotificationMonth({
    knex,
    items,
    initiatives: benchInitiatives(today, options.days),
    start: new Date(today.getTime() + DAY_MS),
    days: 30,
    onDay: day => {
      if (day % 5 === 0) log(`[${engine}] simulated day ${day}/30`);
    },
  });
  return { ...figures, engine };
}

async function httpReads(
  dir: string,
  file: string,
  options: InitiativeBenchOptions,
  today: Date,
): Promise<LoadFigure[]> {
  const base = `http://localhost:${options.port}`;
  const initiatives = benchInitiatives(today, options.days);
  const configFile = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: base,
        listen: { port: options.port },
        database: {
          plugin: {
            readiness: {
              connection: { directory: dir, filename: path.basename(file) },
            },
          },
        },
      },
      readiness: {
        // Its first cycle would delete the seeded services (not in the catalog).
        schedule: {
          frequency: { hours: 24 },
          initialDelay: { hours: 12 },
          timeout: { minutes: 15 },
        },
        notifications: { enabled: false },
        // Only the benchmark's initiatives, not the portal's examples.
        initiativeFiles: [],
        initiatives,
      },
    }),
  );
  const child = startBackend(dir, configFile);
  try {
    await waitFor(
      'readiness',
      child,
      async () => (await fetch(`${base}/.backstage/health/v1/readiness`)).ok,
      300_000,
    );
    const token = (
      (await json(`${base}/api/auth/guest/refresh`, undefined, {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      })) as { backstageIdentity: { token: string } }
    ).backstageIdentity.token;
    const list = (await json(`${base}/api/readiness/initiatives`, token)) as {
      items: Array<{ id: string; progress: { total: number } }>;
    };
    const total = list.items.reduce((n, x) => n + x.progress.total, 0);
    if (list.items.length !== initiatives.length || total === 0) {
      throw new Error(
        `The backend serves ${list.items.length} initiatives over ${total} entities; expected ${initiatives.length} with progress`,
      );
    }
    log(
      `The backend serves ${list.items.length} initiatives over ${total} entity memberships`,
    );
    const common = {
      url: base,
      token,
      durationSeconds: options.durationSeconds,
      backendPid: child.pid,
      connections: options.connections,
    };
    // Unmeasured warm-up of both routes.
    await cannon('warm-up (not reported)', {
      ...common,
      durationSeconds: 5,
      requests: [{ method: 'GET', path: '/api/readiness/initiatives' }],
    });
    let next = 0;
    const figures: LoadFigure[] = [];
    figures.push(
      await cannon('GET /api/readiness/initiatives/{id} (progress + burn-up)', {
        ...common,
        requests: [
          {
            method: 'GET',
            setupRequest: (request: any) => ({
              ...request,
              path: `/api/readiness/initiatives/${
                initiatives[next++ % initiatives.length].id
              }`,
            }),
          },
        ],
      }),
    );
    figures.push(
      await cannon('GET /api/readiness/initiatives (20, with progress)', {
        ...common,
        requests: [{ method: 'GET', path: '/api/readiness/initiatives' }],
      }),
    );
    return figures;
  } finally {
    await stopBackend(child);
  }
}

export async function runInitiativeBench(options: InitiativeBenchOptions) {
  const today = new Date(Math.floor(Date.now() / DAY_MS) * DAY_MS);
  const figures: EngineFigures[] = [];
  let http: LoadFigure[] = [];
  let month: (NotificationMonthFigures & { engine: string }) | undefined;
  const engines = [...options.engines];
  if (engines.includes('PostgreSQL') && !(await postgresReachable())) {
    log('PostgreSQL does not answer: SQLite only.');
    engines.splice(engines.indexOf('PostgreSQL'), 1);
  }
  for (const engine of engines) {
    if (engine === 'SQLite') {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-init-'));
      const file = path.join(dir, 'readiness.sqlite');
      const knex = knexFactory({
        client: 'better-sqlite3',
        connection: { filename: file },
        useNullAsDefault: true,
      });
      try {
        const run = await timeInProcess(knex, engine, options, today);
        figures.push(run.figures);
        if (options.month && !engines.includes('PostgreSQL')) {
          month = await runMonth(knex, run.items, engine, options, today);
        }
      } finally {
        await knex.destroy();
      }
      if (options.http) {
        http = await httpReads(dir, file, options, today);
      }
      fs.rmSync(dir, { recursive: true, force: true });
    } else {
      const target = await postgresTarget('readiness');
      try {
        const run = await timeInProcess(target.knex, engine, options, today);
        figures.push(run.figures);
        if (options.month) {
          month = await runMonth(
            target.knex,
            run.items,
            engine,
            options,
            today,
          );
        }
      } finally {
        await target.dispose();
      }
    }
  }

  printTable(
    `Initiatives: ${options.entities.toLocaleString('en-US')} services, ${
      options.days
    } days of history, 20 initiatives (load average ${os
      .loadavg()[0]
      .toFixed(1)})`,
    [
      'Engine',
      'Seed',
      'First computation (with burn-up from history)',
      'Recompute after a cycle (3 runs)',
      'In-process p95 list / detail',
    ],
    figures.map(f => [
      f.engine,
      `${formatMs(f.seedMs)} (${f.evaluations.toLocaleString(
        'en-US',
      )} evaluations)`,
      formatMs(f.firstMs),
      `${f.recomputeMs.map(formatMs).join(', ')} (${f.changed} changed)`,
      `${f.readP95.list.toFixed(1)} / ${f.readP95.detail.toFixed(1)} ms`,
    ]),
  );
  for (const f of figures) log(`[${f.engine}] e.g. ${f.counts}`);
  if (month) {
    printTable(
      `A simulated month of notifications (${
        month.engine
      }, two replicas on one database, ${month.cycles} cycles, ${
        month.taskRuns
      } task runs, ${formatMs(month.durationMs)})`,
      [
        'Causes',
        'Found (times)',
        'Sent',
        'Sent twice',
        'Never sent',
        'By topic',
      ],
      [
        [
          String(month.causes),
          String(month.occurrences),
          String(month.sends),
          String(month.duplicates),
          String(month.unsent),
          Object.entries(month.byTopic)
            .map(([topic, n]) => `${topic} ${n}`)
            .join(', '),
        ],
      ],
    );
  }
  if (http.length > 0) {
    printTable(
      `The real backend (SQLite), ${options.connections} connections, ${options.durationSeconds} s each`,
      [
        'What',
        'Requests/s',
        'p50',
        'p95',
        'p99',
        'Errors',
        'CPU/request',
        'Load avg',
      ],
      http.map(f => [
        f.what,
        f.perSecond.toFixed(0),
        `${f.p50} ms`,
        `${f.p95} ms`,
        `${f.p99} ms`,
        String(f.errors + f.non2xx),
        f.backendCpuPerRequest === undefined
          ? ''
          : `${f.backendCpuPerRequest.toFixed(2)} ms`,
        f.loadAverage.map(l => l.toFixed(1)).join('-'),
      ]),
    );
  }
}
