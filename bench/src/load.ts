/*
 * Load tests of the real backend (packages/backend, the repo's
 * app-config.yaml plus a few overrides), with autocannon on loopback:
 *
 * - the readiness database is a temporary SQLite file, seeded beforehand
 *   with N services' scorecards through the real store;
 * - the backend listens on a port of its own (7201 by default), and its
 *   scheduled evaluation is pushed out of the test's way (its first cycle
 *   would delete the seeded services, which are not in the catalog);
 * - a guest token, as CI's smoke step gets it.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import autocannon from 'autocannon';
import knexFactory from 'knex';
import {
  DatabaseReadinessStore,
  collectTemplates,
  createRandom,
  evaluateItem,
  formatMs,
  generatePopulation,
  loadBuiltInCheckSet,
  log,
  percentile,
  printTable,
} from '@prodready/plugin-readiness-backend/bench/generate';

export interface LoadOptions {
  entities: number;
  durationSeconds: number;
  connections: number;
  port: number;
  /** Some of the runs only: floor, overview, scorecard, checklist. */
  only?: string[];
  /** Run the backend under `node --cpu-prof`, writing the profile here. */
  profileDir?: string;
  /**
   * Seconds of unmeasured load (the overview's first page) before the
   * first measured run, so that the backend's start-up work (the catalog's
   * first processing, compilation) is out of the way. Default 0.
   */
  warmupSeconds?: number;
}

// The repository: this file is run from source, in bench/src.
// eslint-disable-next-line no-restricted-syntax
const ROOT = path.resolve(__dirname, '../..');

/** One load test's figures. */
export interface LoadFigure {
  what: string;
  connections: number;
  requests: number;
  perSecond: number;
  p50: number;
  p95: number;
  p99: number;
  errors: number;
  non2xx: number;
  statuses: Record<string, number>;
  /**
   * The backend's CPU time (user + system) during the run, per request, in
   * ms: unlike the latencies, it does not count waiting for a core, so it
   * compares runs on a busy machine. Undefined where /proc is not there.
   */
  backendCpuPerRequest?: number;
  /** The load average (1 min) at the start and at the end of the run. */
  loadAverage: [number, number];
}

/**
 * The CPU time (user + system) a process has used, in ms, from
 * /proc/<pid>/stat (Linux; clock ticks of 10 ms); undefined elsewhere.
 */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After "pid (comm) ": state is field 3, utime 14 and stime 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

async function seed(file: string, entities: number) {
  log(`Seeding ${entities} services' scorecards into ${file}...`);
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file },
    useNullAsDefault: true,
  });
  try {
    const store = await DatabaseReadinessStore.create({
      database: { getClient: async () => knex },
    });
    const templates = await collectTemplates();
    const items = await generatePopulation(
      entities,
      templates,
      createRandom(42),
    );
    const set = loadBuiltInCheckSet();
    const now = new Date();
    for (let i = 0; i < items.length; i += 500) {
      await store.saveEvaluations(
        items.slice(i, i + 500).map(item => evaluateItem(item, set, now)),
      );
    }
    return items.map(item => item.entity.metadata.name);
  } finally {
    await knex.destroy();
  }
}

export function startBackend(
  dir: string,
  configFile: string,
  profileDir?: string,
): ChildProcess {
  const logFile = path.join(dir, 'backend.log');
  const out = fs.openSync(logFile, 'w');
  log(`Starting the backend (log: ${logFile})...`);
  // What `yarn start` (backstage-cli package start) runs, without its file
  // watcher: other work in the tree would restart the backend mid-test.
  return spawn(
    process.execPath,
    [
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
      '--enable-source-maps',
      '--require',
      require.resolve('@backstage/cli-node/config/nodeTransform.cjs'),
      'src/index',
      '--config',
      path.join(ROOT, 'app-config.yaml'),
      '--config',
      configFile,
    ],
    {
      cwd: path.join(ROOT, 'packages/backend'),
      // Its own process group, so that the whole tree can be stopped.
      detached: true,
      stdio: ['ignore', out, out],
      env: { ...process.env, NODE_ENV: 'development' },
    },
  );
}

export async function stopBackend(child: ChildProcess) {
  if (child.exitCode !== null || child.pid === undefined) return;
  const exited = new Promise<void>(resolve =>
    child.once('exit', () => resolve()),
  );
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {
    return;
  }
  const timeout = new Promise<'timeout'>(resolve =>
    setTimeout(() => resolve('timeout'), 20_000),
  );
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    try {
      process.kill(-child.pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export async function waitFor(
  what: string,
  child: ChildProcess,
  probe: () => Promise<boolean>,
  timeoutMs: number,
) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`The backend exited (${child.exitCode}) before ${what}`);
    }
    try {
      if (await probe()) return;
    } catch {
      // not yet
    }
    await new Promise(resolve => setTimeout(resolve, 2000));
  }
  throw new Error(`Timed out waiting for ${what}`);
}

export interface CannonRequest {
  method?: string;
  path?: string;
  setupRequest?: (request: any, context: any) => any;
  onResponse?: (
    status: number,
    body: string,
    context: any,
    headers: any,
  ) => void;
}

export async function cannon(
  what: string,
  options: {
    url: string;
    token: string;
    connections: number;
    durationSeconds: number;
    requests: CannonRequest[];
    /** The backend's process, whose CPU time is measured. */
    backendPid?: number;
  },
): Promise<LoadFigure> {
  // Let the requests of the previous run drain first.
  await new Promise(resolve => setTimeout(resolve, 5000));
  const loadAtStart = os.loadavg()[0];
  log(
    `autocannon: ${what}, ${options.connections} connections, ${
      options.durationSeconds
    } s (load average ${loadAtStart.toFixed(1)})...`,
  );
  const cpuAtStart = processCpuMs(options.backendPid);
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        duration: options.durationSeconds,
        headers: { authorization: `Bearer ${options.token}` },
        requests: options.requests as autocannon.Request[],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      latencies.push(responseTime);
      statuses[statusCode] = (statuses[statusCode] ?? 0) + 1;
    });
  });
  const cpuAtEnd = processCpuMs(options.backendPid);
  latencies.sort((a, b) => a - b);
  return {
    what,
    connections: options.connections,
    requests: latencies.length,
    perSecond: latencies.length / options.durationSeconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statuses,
    backendCpuPerRequest:
      cpuAtStart === undefined ||
      cpuAtEnd === undefined ||
      latencies.length === 0
        ? undefined
        : (cpuAtEnd - cpuAtStart) / latencies.length,
    loadAverage: [loadAtStart, os.loadavg()[0]],
  };
}

export async function json(
  url: string,
  token?: string,
  init: RequestInit = {},
) {
  const response = await fetch(url, {
    ...init,
    headers: {
      ...(token && { authorization: `Bearer ${token}` }),
      ...(init.headers as Record<string, string>),
    },
  });
  if (!response.ok) {
    throw new Error(
      `${init.method ?? 'GET'} ${url}: ${
        response.status
      } ${await response.text()}`,
    );
  }
  return response.json();
}

/** Items a guest (member of payments-team) may attest: manual, unordered. */
async function checklistTargets(base: string, token: string) {
  const { items } = (await json(
    `${base}/api/catalog/entities/by-query?filter=kind=component&fields=metadata.name,spec.owner&limit=500`,
    token,
  )) as {
    items: Array<{ metadata: { name: string }; spec?: { owner?: string } }>;
  };
  const owned = items
    .filter(e => /(^|\/)payments-team$/.test(e.spec?.owner ?? ''))
    .map(e => e.metadata.name);
  const targets: Array<{
    name: string;
    phaseId: string;
    itemId: string;
    version: number;
  }> = [];
  const seen = new Set<string>();
  for (const name of owned) {
    const checklists = (await json(
      `${base}/api/readiness/checklists/component/default/${name}`,
      token,
    )) as {
      phases: Array<{
        id: string;
        checklists: Array<{
          ordered: boolean;
          items: Array<{
            definition: { id: string; kind: string };
            state?: { version?: number };
          }>;
        }>;
      }>;
    };
    for (const phase of checklists.phases) {
      for (const checklist of phase.checklists) {
        if (checklist.ordered) continue;
        for (const item of checklist.items) {
          if (item.definition.kind === 'automatic') continue;
          // An item listed twice would be shared by two connections.
          const key = `${name}/${phase.id}/${item.definition.id}`;
          if (seen.has(key)) continue;
          seen.add(key);
          targets.push({
            name,
            phaseId: phase.id,
            itemId: item.definition.id,
            version: item.state?.version ?? 0,
          });
        }
      }
    }
  }
  return targets;
}

export async function runLoadTests(partial: Partial<LoadOptions>) {
  const options: LoadOptions = {
    entities: partial.entities ?? 10_000,
    durationSeconds: partial.durationSeconds ?? 20,
    connections: partial.connections ?? 32,
    port: partial.port ?? 7201,
    profileDir: partial.profileDir,
    only: partial.only,
    warmupSeconds: partial.warmupSeconds ?? 0,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-load-'));
  const file = path.join(dir, 'readiness.sqlite');
  const names = await seed(file, options.entities);
  const base = `http://localhost:${options.port}`;
  const configFile = path.join(dir, 'app-config.bench.yaml');
  fs.writeFileSync(
    configFile,
    JSON.stringify({
      backend: {
        baseUrl: base,
        listen: { port: options.port },
        database: {
          // Backstage joins the directory (default '.') and the file name.
          plugin: {
            readiness: {
              connection: { directory: dir, filename: path.basename(file) },
            },
          },
        },
      },
      readiness: {
        schedule: {
          frequency: { hours: 24 },
          initialDelay: { hours: 12 },
          timeout: { minutes: 15 },
        },
      },
    }),
  );
  const child = startBackend(dir, configFile, partial.profileDir);
  const figures: LoadFigure[] = [];
  const notes: string[] = [];
  let warmupNote: string | undefined;
  try {
    const started = Date.now();
    await waitFor(
      'readiness',
      child,
      async () => (await fetch(`${base}/.backstage/health/v1/readiness`)).ok,
      300_000,
    );
    log(`Backend ready in ${formatMs(Date.now() - started)}`);
    const guestToken = async () =>
      (
        (await json(`${base}/api/auth/guest/refresh`, undefined, {
          headers: { 'X-Requested-With': 'XMLHttpRequest' },
        })) as { backstageIdentity: { token: string } }
      ).backstageIdentity.token;
    // The token's ownership claims come from the catalog at sign-in: sign
    // in again once the example catalog (with the guest's group) is loaded.
    const first = await guestToken();
    await waitFor(
      'the example catalog',
      child,
      async () =>
        (
          await fetch(
            `${base}/api/catalog/entities/by-name/user/default/guest`,
            { headers: { authorization: `Bearer ${first}` } },
          )
        ).ok &&
        (
          await fetch(
            `${base}/api/catalog/entities/by-name/component/default/payments-api`,
            { headers: { authorization: `Bearer ${first}` } },
          )
        ).ok,
      180_000,
    );
    const token = await guestToken();
    const overview = (await json(
      `${base}/api/readiness/overview?limit=1`,
      token,
    )) as {
      totalCount: number;
    };
    if (overview.totalCount < options.entities) {
      throw new Error(
        `The overview lists ${overview.totalCount} services; expected at least ${options.entities}`,
      );
    }
    const common = {
      url: base,
      token,
      durationSeconds: options.durationSeconds,
      backendPid: child.pid,
    };
    const runs = new Set(
      options.only ?? ['floor', 'overview', 'scorecard', 'checklist'],
    );
    if (options.warmupSeconds! > 0) {
      const warmup = await cannon('warm-up (not reported)', {
        ...common,
        durationSeconds: options.warmupSeconds!,
        connections: options.connections,
        requests: [{ method: 'GET', path: '/api/readiness/overview' }],
      });
      warmupNote = `Warm-up: ${options.warmupSeconds} s of GET /api/readiness/overview (${warmup.requests} requests) before the runs, not reported.`;
    }
    // The framework's floor: what any request to the plugin costs before
    // its own work (no authentication, then a user token verified).
    if (runs.has('floor')) {
      for (const [what, requestPath] of [
        [
          'GET /api/readiness/health (no authentication)',
          '/api/readiness/health',
        ],
        [
          'GET /api/readiness/phases (user token, no permission)',
          '/api/readiness/phases',
        ],
      ]) {
        figures.push(
          await cannon(what, {
            ...common,
            connections: options.connections,
            requests: [{ method: 'GET', path: requestPath }],
          }),
        );
      }
    }
    if (runs.has('overview'))
      figures.push(
        await cannon('GET /api/readiness/overview (first page of 100)', {
          ...common,
          connections: options.connections,
          requests: [{ method: 'GET', path: '/api/readiness/overview' }],
        }),
      );
    // Not only the first page: every order, both directions, and half of
    // the requests filtered by an owner, a level or a name (as the page's
    // filters do), each request drawn at random.
    if (runs.has('overview')) {
      const summary = (await json(
        `${base}/api/readiness/overview/summary`,
        token,
      )) as {
        owners: Array<{ owner: string | null }>;
        levels: Array<{ level: string | null }>;
      };
      const owners = summary.owners.map(o => o.owner ?? 'none');
      const levels = summary.levels.map(l => l.level ?? 'none');
      const mixed = createRandom(5);
      const orders = ['entityRef', 'score', 'level', 'owner'];
      figures.push(
        await cannon(
          'GET /api/readiness/overview (random order, filter and page size)',
          {
            ...common,
            connections: options.connections,
            requests: [
              {
                method: 'GET',
                setupRequest: request => {
                  const query = new URLSearchParams({
                    orderBy: mixed.pick(orders),
                    order: mixed.pick(['asc', 'desc']),
                    limit: String(mixed.pick([50, 100, 200])),
                  });
                  const filter = mixed.pick([
                    '',
                    '',
                    '',
                    'owner',
                    'level',
                    'q',
                  ]);
                  if (filter === 'owner')
                    query.set('owner', mixed.pick(owners));
                  if (filter === 'level')
                    query.set('level', mixed.pick(levels));
                  if (filter === 'q')
                    query.set('q', mixed.pick(names).slice(0, 4));
                  return {
                    ...request,
                    path: `/api/readiness/overview?${query}`,
                  };
                },
              },
            ],
          },
        ),
      );
    }
    const random = createRandom(3);
    const scorecard = (): CannonRequest[] => [
      {
        method: 'GET',
        setupRequest: request => ({
          ...request,
          path: `/api/readiness/scorecards/component/default/${random.pick(
            names,
          )}`,
        }),
      },
    ];
    for (const connections of runs.has('scorecard')
      ? [options.connections, 1]
      : []) {
      figures.push(
        await cannon(
          'GET /api/readiness/scorecards/component/default/{random}',
          {
            ...common,
            connections,
            requests: scorecard(),
          },
        ),
      );
    }

    // Checklist updates: each request takes an item no other request has
    // in flight, and toggles it between done and open with the version of
    // its last response. (autocannon resets a connection's context after
    // every request of a one-request list, so the state lives on the item.)
    let targets: Awaited<ReturnType<typeof checklistTargets>> = [];
    try {
      if (runs.has('checklist')) targets = await checklistTargets(base, token);
    } catch (error) {
      notes.push(`Checklist updates not measured: ${(error as Error).message}`);
    }
    if (targets.length > 0) {
      const connections = Math.min(8, targets.length);
      type Target = (typeof targets)[number] & {
        busy?: boolean;
        done?: boolean;
      };
      const items: Target[] = targets;
      let nextTarget = 0;
      figures.push(
        await cannon(
          'PUT /api/readiness/checklists/…/items/{itemId} (attest / reopen)',
          {
            ...common,
            connections,
            requests: [
              {
                method: 'PUT',
                setupRequest: (request, context) => {
                  let t = items[nextTarget++ % items.length];
                  for (let i = 0; t.busy && i < items.length; i++) {
                    t = items[nextTarget++ % items.length];
                  }
                  t.busy = true;
                  t.done = !t.done;
                  context.target = t;
                  return {
                    ...request,
                    path: `/api/readiness/checklists/component/default/${t.name}/${t.phaseId}/items/${t.itemId}`,
                    headers: {
                      ...request.headers,
                      'content-type': 'application/json',
                    },
                    body: JSON.stringify(
                      t.done
                        ? {
                            status: 'done',
                            evidenceUrl: 'https://example.com/evidence/bench',
                            expectedVersion: t.version,
                          }
                        : { status: 'open', expectedVersion: t.version },
                    ),
                  };
                },
                onResponse: (status, body, context) => {
                  context.target.busy = false;
                  try {
                    const parsed = JSON.parse(body);
                    const state =
                      status === 200 ? parsed.state : parsed.current?.state;
                    if (typeof state?.version === 'number') {
                      context.target.version = state.version;
                    }
                  } catch {
                    // not JSON
                  }
                },
              },
            ],
          },
        ),
      );
    } else if (notes.length === 0 && runs.has('checklist')) {
      notes.push('Checklist updates not measured: no attestable item found');
    }
  } finally {
    await stopBackend(child);
  }
  process.stdout.write(
    `\nLoad tests: ${options.entities.toLocaleString(
      'en-US',
    )} services seeded, backend on SQLite (${file}), autocannon ${
      options.durationSeconds
    } s each on loopback\n`,
  );
  printTable(
    'Real backend under load',
    [
      'Endpoint',
      'Conns',
      'Requests',
      'req/s',
      'p50',
      'p95',
      'p99',
      'Errors',
      'Non-2xx',
      'Statuses',
      'Backend CPU/req',
      'Load avg',
    ],
    figures.map(f => [
      f.what,
      String(f.connections),
      f.requests.toLocaleString('en-US'),
      f.perSecond.toFixed(0),
      `${f.p50.toFixed(1)} ms`,
      `${f.p95.toFixed(1)} ms`,
      `${f.p99.toFixed(1)} ms`,
      String(f.errors),
      String(f.non2xx),
      Object.entries(f.statuses)
        .map(([s, c]) => `${s}: ${c}`)
        .join(', '),
      f.backendCpuPerRequest === undefined
        ? ''
        : `${f.backendCpuPerRequest.toFixed(3)} ms`,
      f.loadAverage.map(value => value.toFixed(1)).join(' → '),
    ]),
  );
  for (const note of [warmupNote, ...notes]) {
    if (note) process.stdout.write(`\n${note}\n`);
  }
  fs.rmSync(dir, { recursive: true, force: true });
  return figures;
}
