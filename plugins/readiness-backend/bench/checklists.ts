/*
 * Benchmark of checklist attestations against the real backend (not a test;
 * CI does not run it).
 *
 *   yarn bench:checklists [--writers 16] [--attempts 40] [--items 6]
 *                         [--stale 0.5] [--port 7101]
 *
 * It starts packages/backend (without a file watcher) with the repo's
 * app-config.yaml on its own port and a temporary SQLite directory, signs in as the guest (an owner of
 * payments-api, so every write goes through the real permission policy and
 * its ownership condition), and lets W writers attest the same few items of
 * payments-api at once. Each writer reuses the version it last saw with
 * probability --stale instead of reading the item again, so conflicts are
 * forced; on a 409 it takes the version from the answer and retries.
 *
 * It prints the throughput, the latency percentiles of the PUTs, and the
 * number of lost updates, checked against the audit trail: every accepted
 * write must be in the trail exactly once, the trail of each item must be a
 * gap-free chain of versions, no version may be accepted twice, and the
 * final state of each item must be its last accepted write. It must be 0.
 */
import { ChildProcess, spawn } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import type {
  AuditEntry,
  ChecklistAuditPage,
  EntityChecklists,
} from '@prodready/plugin-readiness-common';

interface Options {
  writers: number;
  attempts: number;
  items: number;
  stale: number;
  port: number;
}

function parseArgs(argv: string[]): Options {
  const options: Options = {
    writers: 16,
    attempts: 40,
    items: 6,
    stale: 0.5,
    port: 7101,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = Number(argv[++i]);
    if (!Number.isFinite(value) || value < 0) {
      throw new Error(`${arg} needs a number`);
    }
    if (arg === '--writers') options.writers = Math.max(1, Math.floor(value));
    else if (arg === '--attempts')
      options.attempts = Math.max(1, Math.floor(value));
    else if (arg === '--items') options.items = Math.max(1, Math.floor(value));
    else if (arg === '--stale') options.stale = Math.min(1, value);
    else if (arg === '--port') options.port = Math.floor(value);
    else throw new Error(`Unknown argument ${arg}`);
  }
  return options;
}

const ROOT = path.resolve(__dirname, '../../..');
const ENTITY = 'component/default/payments-api';
const PHASE = 'phase-4';

function log(message: string) {
  process.stderr.write(`${message}\n`);
}

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const index = Math.min(
    sorted.length - 1,
    Math.ceil((p / 100) * sorted.length) - 1,
  );
  return sorted[Math.max(0, index)];
}

// ---------------------------------------------------------------------------
// The backend

function startBackend(port: number, dbDir: string, logFile: string) {
  const out = fs.openSync(logFile, 'w');
  // Not `yarn start`: its watcher would restart the backend mid-run when
  // any source file of the monorepo changes.
  const child = spawn(
    process.execPath,
    [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      path.join(ROOT, 'packages/backend/src/index.ts'),
      '--config',
      path.join(ROOT, 'app-config.yaml'),
    ],
    {
      cwd: path.join(ROOT, 'packages/backend'),
      detached: true,
      stdio: ['ignore', out, out],
      env: {
        ...process.env,
        NODE_ENV: 'development',
        APP_CONFIG_backend_listen_port: String(port),
        APP_CONFIG_backend_baseUrl: `http://localhost:${port}`,
        APP_CONFIG_backend_database_connection: JSON.stringify({
          directory: dbDir,
        }),
        // No evaluation cycle during the run: only the writes are measured.
        APP_CONFIG_readiness_schedule: JSON.stringify({
          frequency: { hours: 24 },
          timeout: { minutes: 15 },
          initialDelay: { hours: 1 },
        }),
      },
    },
  );
  return child;
}

function stopBackend(child: ChildProcess) {
  if (child.pid !== undefined && child.exitCode === null) {
    try {
      // The process group this script started.
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      // Already gone.
    }
  }
}

async function waitFor<T>(
  what: string,
  attempt: () => Promise<T | undefined>,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await attempt();
      if (value !== undefined) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out waiting for ${what}${
          lastError ? `; last error: ${String(lastError)}` : ''
        }`,
      );
    }
    await sleep(1000);
  }
}

// ---------------------------------------------------------------------------
// The run

interface Accepted {
  itemId: string;
  version: number;
  note: string;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  const base = `http://localhost:${options.port}`;
  const api = `${base}/api/readiness`;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-checklists-'));
  const logFile = path.join(tmp, 'backend.log');
  log(`Starting the backend on port ${options.port} (log: ${logFile})`);
  const backend = startBackend(options.port, tmp, logFile);
  const cleanup = () => stopBackend(backend);
  process.on('SIGINT', () => {
    cleanup();
    process.exit(130);
  });

  try {
    await waitFor(
      'the backend',
      async () =>
        (
          await fetch(`${base}/.backstage/health/v1/readiness`)
        ).ok
          ? true
          : undefined,
      240_000,
    );
    const guestToken = () =>
      waitFor(
        'a guest token',
        async () => {
          const response = await fetch(`${base}/api/auth/guest/refresh`, {
            headers: { 'X-Requested-With': 'XMLHttpRequest' },
          });
          return response.ok
            ? ((await response.json()).backstageIdentity.token as string)
            : undefined;
        },
        60_000,
      );
    // The guest's groups (payments-team, which owns payments-api) are in the
    // token only once the catalog has the guest: sign in again after that.
    const early = await guestToken();
    await waitFor(
      'the guest user in the catalog',
      async () =>
        (
          await fetch(
            `${base}/api/catalog/entities/by-name/user/default/guest`,
            {
              headers: { Authorization: `Bearer ${early}` },
            },
          )
        ).ok
          ? true
          : undefined,
      120_000,
    );
    const token = await guestToken();
    const headers = {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    };
    const checklists = await waitFor(
      'payments-api in the catalog',
      async () => {
        const response = await fetch(`${api}/checklists/${ENTITY}`, {
          headers,
        });
        return response.ok
          ? ((await response.json()) as EntityChecklists)
          : undefined;
      },
      120_000,
    );
    const phase = checklists.phases.find(p => p.id === PHASE);
    if (!phase) throw new Error(`${PHASE} does not apply to ${ENTITY}`);
    const items = phase.checklists
      .flatMap(c => c.items)
      .filter(i => i.definition.kind !== 'automatic')
      .slice(0, options.items)
      .map(i => i.definition.id);
    log(
      `${options.writers} writers × ${options.attempts} attestations on ${
        items.length
      } items (${items.join(', ')}), stale reads ${options.stale * 100}%`,
    );

    const run = `bench-${Date.now().toString(36)}`;
    const accepted: Accepted[] = [];
    const latencies: number[] = [];
    const statuses = new Map<number, number>();
    let conflicts409WithoutCurrent = 0;

    const put = async (itemId: string, version: number, note: string) => {
      const started = performance.now();
      const response = await fetch(
        `${api}/checklists/${ENTITY}/${PHASE}/items/${itemId}`,
        {
          method: 'PUT',
          headers: { ...headers, 'If-Match': `"${version}"` },
          body: JSON.stringify({
            status: 'done',
            evidenceUrl: `https://ci.example.com/${encodeURIComponent(note)}`,
            note,
          }),
        },
      );
      const body = await response.json();
      latencies.push(performance.now() - started);
      statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
      return { status: response.status, body };
    };

    const read = async (itemId: string): Promise<number> => {
      const response = await fetch(`${api}/checklists/${ENTITY}`, { headers });
      const body = (await response.json()) as EntityChecklists;
      const item = body.phases
        .find(p => p.id === PHASE)
        ?.checklists.flatMap(c => c.items)
        .find(i => i.definition.id === itemId);
      return item?.state.version ?? 0;
    };

    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.writers }, async (_, writer) => {
        const seen = new Map<string, number>();
        for (let attempt = 0; attempt < options.attempts; attempt++) {
          const itemId = items[(writer + attempt) % items.length];
          const note = `${run} w${writer} a${attempt}`;
          let version =
            seen.has(itemId) && Math.random() < options.stale
              ? seen.get(itemId)!
              : await read(itemId);
          // Retry on conflict with the version the 409 carries, 5 times at most.
          for (let retry = 0; retry < 5; retry++) {
            const { status, body } = await put(itemId, version, note);
            if (status === 200) {
              accepted.push({ itemId, version: body.state.version, note });
              seen.set(itemId, body.state.version);
              break;
            }
            if (status !== 409) {
              throw new Error(
                `PUT ${itemId} answered ${status}: ${JSON.stringify(body)}`,
              );
            }
            if (typeof body.current?.state?.version !== 'number') {
              conflicts409WithoutCurrent += 1;
              break;
            }
            version = body.current.state.version;
            seen.set(itemId, version);
          }
        }
      }),
    );
    const elapsedS = (performance.now() - started) / 1000;

    // -----------------------------------------------------------------------
    // Verification against the audit trail and the final states

    const audit: AuditEntry[] = [];
    let cursor: string | undefined;
    do {
      const query = new URLSearchParams({ phaseId: PHASE, limit: '500' });
      if (cursor) query.set('cursor', cursor);
      const response = await fetch(
        `${api}/checklists/${ENTITY}/audit?${query}`,
        { headers },
      );
      const page = (await response.json()) as ChecklistAuditPage;
      audit.push(...page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    const ours = audit.filter(e => e.after.note?.startsWith(run));
    const finalStates = await (
      await fetch(`${api}/checklists/${ENTITY}`, { headers })
    ).json();
    const finalById = new Map<string, { version: number; note?: string }>(
      (finalStates as EntityChecklists).phases
        .find(p => p.id === PHASE)!
        .checklists.flatMap(c => c.items)
        .map(i => [i.definition.id, i.state]),
    );

    const key = (itemId: string, version: number) => `${itemId}@${version}`;
    const acceptedByKey = new Map<string, Accepted[]>();
    for (const a of accepted) {
      const k = key(a.itemId, a.version);
      acceptedByKey.set(k, [...(acceptedByKey.get(k) ?? []), a]);
    }
    const auditByKey = new Map(
      ours.map(e => [key(e.itemId, e.after.version), e]),
    );
    let lost = 0;
    const problems: string[] = [];
    // The same version accepted twice: one of them was overwritten.
    for (const [k, list] of acceptedByKey) {
      if (list.length > 1) {
        lost += list.length - 1;
        problems.push(`${k} accepted ${list.length} times`);
      }
    }
    // An accepted write missing from the trail, or another write there.
    for (const a of accepted) {
      const entry = auditByKey.get(key(a.itemId, a.version));
      if (!entry || entry.after.note !== a.note) {
        lost += 1;
        problems.push(
          `${key(a.itemId, a.version)} (${a.note}) not in the audit trail`,
        );
      }
    }
    // Writes in the trail that no one was told were accepted.
    const unreported = ours.filter(
      e => !acceptedByKey.has(key(e.itemId, e.after.version)),
    );
    // Each item's trail is a gap-free chain, ending in the final state.
    for (const itemId of items) {
      const chain = ours
        .filter(e => e.itemId === itemId)
        .sort((a, b) => a.after.version - b.after.version);
      for (let i = 0; i < chain.length; i++) {
        const e = chain[i];
        if (
          (e.before?.version ?? 0) !== e.after.version - 1 ||
          (i > 0 && chain[i - 1].after.version !== e.after.version - 1)
        ) {
          lost += 1;
          problems.push(
            `${key(itemId, e.after.version)} does not follow version ${
              e.before?.version ?? 0
            }`,
          );
        }
      }
      const last = accepted
        .filter(a => a.itemId === itemId)
        .sort((a, b) => b.version - a.version)[0];
      const final = finalById.get(itemId);
      if (
        last &&
        (final?.version !== last.version || final?.note !== last.note)
      ) {
        lost += 1;
        problems.push(`${itemId}: final state is not the last accepted write`);
      }
    }

    const sorted = [...latencies].sort((a, b) => a - b);
    const fmt = (ms: number) => `${ms.toFixed(1)} ms`;
    const puts = latencies.length;
    const lines = [
      `Checklist attestations against the real backend (SQLite file, ${
        os.cpus().length
      } CPUs)`,
      `  writers ${options.writers}, attestations per writer ${
        options.attempts
      }, items ${items.length}, stale reads ${options.stale * 100}%`,
      `  PUT requests       ${puts} in ${elapsedS.toFixed(1)} s: ${(
        puts / elapsedS
      ).toFixed(1)} req/s`,
      `  accepted writes    ${accepted.length} (${(
        accepted.length / elapsedS
      ).toFixed(1)} writes/s)`,
      `  conflicts (409)    ${statuses.get(409) ?? 0}${
        conflicts409WithoutCurrent
          ? ` (${conflicts409WithoutCurrent} without the current item!)`
          : ''
      }`,
      `  other statuses     ${
        [...statuses]
          .filter(([s]) => s !== 200 && s !== 409)
          .map(([s, n]) => `${s}: ${n}`)
          .join(', ') || 'none'
      }`,
      `  PUT latency        p50 ${fmt(percentile(sorted, 50))}, p95 ${fmt(
        percentile(sorted, 95),
      )}, p99 ${fmt(percentile(sorted, 99))}, max ${fmt(
        sorted[sorted.length - 1],
      )}`,
      `  audit entries      ${ours.length} for ${
        accepted.length
      } accepted writes${
        unreported.length ? `, ${unreported.length} unreported` : ''
      }`,
      `  lost updates       ${lost}`,
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    for (const problem of problems.slice(0, 20)) {
      process.stdout.write(`    ${problem}\n`);
    }
    if (lost > 0 || unreported.length > 0 || conflicts409WithoutCurrent > 0) {
      process.exitCode = 1;
    }
  } catch (error) {
    log(`Failed: ${error instanceof Error ? error.stack : String(error)}`);
    log(`Last lines of the backend log (${logFile}):`);
    log(fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n'));
    process.exitCode = 1;
  } finally {
    cleanup();
  }
}

main();
