#!/usr/bin/env node
/*
 * Runs every test of the repository: the Jest suites of all packages (backend
 * storage tests on better-sqlite3 and, when it answers, the local PostgreSQL),
 * then the end-to-end tests in real Chromium against the local portal.
 *
 * Started by `npm test` / `yarn test` through scripts/toolchain.js, so Node 22
 * and Yarn are on PATH. Environment:
 *   PRODREADY_TEST_POSTGRES=0   do not use PostgreSQL even if it answers
 *   PRODREADY_SKIP_E2E=1        skip the end-to-end tests
 *   PRODREADY_SKIP_PROMETHEUS=1 skip the tests against a real Prometheus
 *                               (else Debian's prometheus is installed when missing)
 *   PLAYWRIGHT_CHROMIUM_PATH    the Chromium binary (default /usr/bin/chromium)
 */
'use strict';

const childProcess = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const PG_VAR = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const timings = [];

function log(message) {
  process.stdout.write(`[test] ${message}\n`);
}

function canConnect(host, port, timeoutMs = 1500) {
  return new Promise(resolve => {
    const socket = net.connect({ host, port });
    const done = ok => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

function stage(name, command, args, env) {
  log(`${name}: ${command} ${args.join(' ')}`);
  const started = Date.now();
  const result = childProcess.spawnSync(command, args, {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  timings.push(
    `${name}: ${seconds}s (${result.status === 0 ? 'passed' : 'FAILED'})`,
  );
  return result.status === 0;
}

/** Installs a Debian package when its binary is missing and we are root. */
function ensureDebianPackage(pkg, executable) {
  if (fs.existsSync(executable)) return true;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) return false;
  log(`${executable} is missing: installing Debian's ${pkg} package (apt-get)...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const update = childProcess.spawnSync('apt-get', ['update', '-qq'], {
    stdio: 'inherit',
    env,
  });
  if (update.status !== 0) return false;
  const install = childProcess.spawnSync(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', pkg],
    { stdio: 'inherit', env },
  );
  return install.status === 0 && fs.existsSync(executable);
}

function ensureChromium(executable) {
  if (fs.existsSync(executable)) return true;
  if (executable !== '/usr/bin/chromium') return false;
  return ensureDebianPackage('chromium', executable);
}

async function main() {
  const env = {
    ...process.env,
    // Jest runs once (no watch mode); TestDatabases must not look for Docker.
    CI: process.env.CI || 'true',
    BACKSTAGE_TEST_DISABLE_DOCKER: '1',
  };

  const engines = ['better-sqlite3'];
  if (process.env.PRODREADY_TEST_POSTGRES !== '0') {
    if (!env[PG_VAR] && (await canConnect('127.0.0.1', 5432))) {
      env[PG_VAR] = 'postgresql://postgres@127.0.0.1:5432/postgres';
    }
    if (env[PG_VAR]) engines.push('PostgreSQL');
  }
  log(`Database engines for backend tests: ${engines.join(', ')}`);
  if (!engines.includes('PostgreSQL')) {
    log(
      'PostgreSQL is not reachable on 127.0.0.1:5432: storage tests run on better-sqlite3 only.',
    );
  }

  // The Prometheus module is tested against a real Prometheus.
  if (
    env.PRODREADY_SKIP_PROMETHEUS !== '1' &&
    !ensureDebianPackage('prometheus', '/usr/bin/prometheus')
  ) {
    log(
      "FAILED: no Prometheus at /usr/bin/prometheus. Install Debian's prometheus package (apt-get install prometheus), " +
        'or set PRODREADY_SKIP_PROMETHEUS=1 to skip the tests against a real Prometheus.',
    );
    process.exit(1);
  }

  let ok = stage(
    'unit and integration tests (jest)',
    'yarn',
    // --verbose lists every test by name, so the log shows the database
    // engines the storage tests ran on (names end in SQLITE_3 / POSTGRES_15).
    ['backstage-cli', 'repo', 'test', '--verbose'],
    env,
  );

  if (process.env.PRODREADY_SKIP_E2E === '1') {
    log('End-to-end tests skipped (PRODREADY_SKIP_E2E=1).');
  } else {
    const chromium =
      process.env.PLAYWRIGHT_CHROMIUM_PATH || '/usr/bin/chromium';
    if (!ensureChromium(chromium)) {
      log(
        `FAILED: no Chromium at ${chromium}. Install Debian's chromium package (apt-get install chromium), ` +
          'or set PLAYWRIGHT_CHROMIUM_PATH, or set PRODREADY_SKIP_E2E=1 to skip the end-to-end tests.',
      );
      ok = false;
    } else {
      ok =
        stage(
          'end-to-end tests (playwright, chromium)',
          'yarn',
          ['playwright', 'test'],
          {
            ...env,
            PLAYWRIGHT_CHROMIUM_PATH: chromium,
          },
        ) && ok;
    }
  }

  log('Summary:');
  for (const line of timings) log(`  ${line}`);
  process.exit(ok ? 0 : 1);
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
