#!/usr/bin/env node
/*
 * Proves that the published packages install into somebody else's Backstage
 * app: `yarn test:external-app` (and a stage of .ci/run).
 *
 *   1. Builds every publishable package (`backstage-cli repo build`) and packs
 *      it with `yarn pack`, exactly as it would be published (the packages'
 *      prepack rewrites package.json with publishConfig; yarn replaces the
 *      `workspace:` ranges with versions).
 *   2. Inspects each tarball: no `workspace:` range left, every file that
 *      package.json points at (main, types, exports, typesVersions, bin,
 *      configSchema) and every migration is in it, and every package that its
 *      dist code or types import is a declared dependency.
 *   3. Generates a separate, minimal Backstage app from external-app/template
 *      in a folder outside this repository (it is not a workspace of it), on
 *      the same Backstage release (the versions pinned by the root
 *      `resolutions`), with the tarballs as its @prodready dependencies, and
 *      installs it with its own lockfile.
 *   4. In that app: type checks its code against the packed types, checks
 *      its config strictly against the packed config schemas, builds its
 *      frontend (the new frontend system features of
 *      `@prodready/plugin-readiness/alpha`), runs the packed CLI, and starts
 *      its backend on SQLite, then checks the readiness API, the catalog
 *      module's validation of `prodready.dev/` annotations, the readiness
 *      scorecard of a registered service, the scaffolder's `readiness:*`
 *      actions and a dry run of two of them.
 *
 * Every step's output goes to a log file; a failure names the step, says why
 * and prints the end of its log. The backend is stopped at the end, also on
 * failure or Ctrl-C.
 *
 * Packing rewrites each package's package.json for a few seconds (prepack,
 * then postpack restores it; a leftover package.json-prepack is restored
 * too), so don't edit those files while this runs.
 *
 * Environment:
 *   PRODREADY_EXTERNAL_APP_DIR   where the app is generated (default: a folder
 *                                per checkout in the system's temp folder; its
 *                                node_modules is kept, so a second run is fast)
 *   PRODREADY_EXTERNAL_APP_PORT  the app's backend port (default 7107; the
 *                                portal of this repository uses 7007)
 */
'use strict';

const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const { builtinModules } = require('node:module');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const TEMPLATE = path.join(ROOT, 'external-app', 'template');
const APP_DIR = path.resolve(
  process.env.PRODREADY_EXTERNAL_APP_DIR ||
    path.join(
      os.tmpdir(),
      `prodready-external-app-${crypto
        .createHash('sha256')
        .update(ROOT)
        .digest('hex')
        .slice(0, 8)}`,
    ),
);
// Tarballs and logs live next to the app, not in it (the app is regenerated).
const WORK_DIR = `${APP_DIR}-work`;
const TARBALLS = path.join(WORK_DIR, 'tarballs');
const UNPACKED = path.join(WORK_DIR, 'unpacked');
const LOGS = path.join(WORK_DIR, 'logs');
const PORT = Number(process.env.PRODREADY_EXTERNAL_APP_PORT || 7107);
const BACKEND_URL = `http://localhost:${PORT}`;
/** A fresh static token for this run (backend.auth.externalAccess). */
const TOKEN = crypto.randomBytes(24).toString('hex');

/** The publishable packages: everything that is not private. */
const PACKAGE_GROUPS = ['plugins', 'packages'];

class StepError extends Error {}

const started = Date.now();
const timings = [];
let currentStep = 'starting';
let backend; // the backend's child process, while it runs

function seconds(ms) {
  return `${(ms / 1000).toFixed(1)}s`;
}

function log(message) {
  process.stdout.write(`[external-app] ${message}\n`);
}

function fail(reason) {
  throw new StepError(reason);
}

async function step(name, fn) {
  currentStep = name;
  const t0 = Date.now();
  log(`${name}...`);
  const result = await fn();
  timings.push(`${name}: ${seconds(Date.now() - t0)}`);
  return result;
}

function tail(file, lines = 60) {
  if (!fs.existsSync(file)) return '';
  const text = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  // Long lines (minified code in a stack trace) are cut.
  return text
    .slice(-lines)
    .map(line => (line.length > 300 ? `${line.slice(0, 300)}...` : line))
    .join('\n');
}

/** The environment of the commands run in the app, not in this repository. */
function appEnv(extra = {}) {
  const env = { ...process.env };
  for (const key of Object.keys(env)) {
    // Left behind by `yarn <script>` in this repository.
    if (/^npm_(package|lifecycle)_/.test(key)) delete env[key];
  }
  delete env.PROJECT_CWD;
  delete env.INIT_CWD;
  env.EXTERNAL_APP_TOKEN = TOKEN;
  if (process.env.PRODREADY_EXTERNAL_APP_PORT) {
    env.APP_CONFIG_backend_listen_port = String(PORT);
    env.APP_CONFIG_backend_baseUrl = BACKEND_URL;
  }
  return { ...env, ...extra };
}

/**
 * Runs a command with its output in a log file; fails the step with the end
 * of the log when it exits non-zero.
 */
function run(command, args, { cwd, env = process.env, logName }) {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `${logName}.log`);
  const fd = fs.openSync(logFile, 'w');
  try {
    const result = childProcess.spawnSync(command, args, {
      cwd,
      env,
      stdio: ['ignore', fd, fd],
    });
    if (result.error) {
      fail(`could not run \`${command}\`: ${result.error.message}`);
    }
    if (result.status !== 0) {
      fail(
        `\`${command} ${args.join(' ')}\` (in ${cwd}) exited with code ${
          result.status ?? result.signal
        }. End of ${logFile}:\n${tail(logFile)}`,
      );
    }
  } finally {
    fs.closeSync(fd);
  }
  return logFile;
}

function capture(command, args, options = {}) {
  const result = childProcess.spawnSync(command, args, {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    ...options,
  });
  if (result.status !== 0) {
    fail(
      `\`${command} ${args.join(' ')}\` exited with code ${result.status}: ${
        result.stderr || result.error || ''
      }`,
    );
  }
  return result.stdout;
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function writeJson(file, value) {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

// ---------------------------------------------------------------------------
// 1. Build and pack

function publishablePackages() {
  const found = [];
  for (const group of PACKAGE_GROUPS) {
    const dir = path.join(ROOT, group);
    for (const name of fs.readdirSync(dir).sort()) {
      const manifestPath = path.join(dir, name, 'package.json');
      if (!fs.existsSync(manifestPath)) continue;
      const manifest = readJson(manifestPath);
      if (manifest.private) continue;
      found.push({ dir: path.join(dir, name), name: manifest.name });
    }
  }
  if (found.length === 0) fail('no publishable package found');
  return found;
}

function restorePrepackedManifest(pkg) {
  // A pack that died between prepack and postpack leaves the rewritten
  // package.json behind, with the original in package.json-prepack.
  const backup = path.join(pkg.dir, 'package.json-prepack');
  if (fs.existsSync(backup)) {
    fs.copyFileSync(backup, path.join(pkg.dir, 'package.json'));
    fs.rmSync(backup);
  }
}

/** Like run(), but asynchronous. */
function runAsync(command, args, { cwd, env = process.env, logName }) {
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, `${logName}.log`);
  const fd = fs.openSync(logFile, 'w');
  return new Promise((resolve, reject) => {
    const child = childProcess.spawn(command, args, {
      cwd,
      env,
      stdio: ['ignore', fd, fd],
    });
    child.once('error', error => {
      fs.closeSync(fd);
      reject(new StepError(`could not run \`${command}\`: ${error.message}`));
    });
    child.once('exit', (code, signal) => {
      fs.closeSync(fd);
      if (code === 0) resolve(logFile);
      else {
        reject(
          new StepError(
            `\`${command} ${args.join(' ')}\` (in ${cwd}) exited with code ${
              code ?? signal
            }. End of ${logFile}:\n${tail(logFile)}`,
          ),
        );
      }
    });
  });
}

async function packOne(pkg) {
  const slug = pkg.name.replace(/^@/, '').replace('/', '-');
  const out = path.join(TARBALLS, `${slug}.tgz`);
  try {
    await runAsync('yarn', ['pack', '--out', out], {
      cwd: pkg.dir,
      logName: `pack-${slug}`,
    });
  } finally {
    restorePrepackedManifest(pkg);
  }
  // The content's hash in the file name: Yarn caches a `file:` tarball by
  // its path, so a rebuilt package must get a new one.
  const hash = crypto
    .createHash('sha256')
    .update(fs.readFileSync(out))
    .digest('hex')
    .slice(0, 10);
  const named = path.join(TARBALLS, `${slug}-${hash}.tgz`);
  fs.renameSync(out, named);
  return { ...pkg, tarball: named, slug };
}

async function packAll(packages) {
  fs.rmSync(TARBALLS, { recursive: true, force: true });
  fs.mkdirSync(TARBALLS, { recursive: true });
  // One at a time: prepack rewrites the package's package.json, which a
  // parallel `yarn pack` of another package would read half-written.
  const packed = [];
  for (const pkg of packages) packed.push(await packOne(pkg));
  const tarballs = new Map();
  for (const pkg of packages) {
    tarballs.set(
      pkg.name,
      packed.find(p => p.name === pkg.name),
    );
  }
  return tarballs;
}

// ---------------------------------------------------------------------------
// 2. Inspect the tarballs

function walk(dir, base = dir, out = []) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, base, out);
    else out.push(path.relative(base, full).split(path.sep).join('/'));
  }
  return out;
}

function stringsIn(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (value && typeof value === 'object') {
    for (const v of Object.values(value)) stringsIn(v, out);
  }
  return out;
}

function packageOfSpecifier(specifier) {
  if (
    specifier.startsWith('.') ||
    specifier.startsWith('/') ||
    specifier.startsWith('node:') ||
    /^[a-z]+:/.test(specifier)
  ) {
    return undefined;
  }
  const parts = specifier.split('/');
  const name = specifier.startsWith('@')
    ? parts.slice(0, 2).join('/')
    : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

const IMPORT_PATTERN =
  /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*|^\s*import\s+)(['"])([^'"\s]+)\1/gm;

/**
 * Imports that are not dependencies on purpose, per package and file: the
 * CLI's bin runs the sources with @backstage/cli's transform only in this
 * repository (when src/ exists, which is not shipped).
 */
const ALLOWED_UNDECLARED = {
  '@prodready/readiness-cli': { 'bin/readiness': ['@backstage/cli'] },
};

function inspectTarball(pkg) {
  const problems = [];
  const dir = path.join(UNPACKED, pkg.slug);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  capture('tar', ['-xzf', pkg.tarball, '-C', dir]);
  const root = path.join(dir, 'package');
  const manifest = readJson(path.join(root, 'package.json'));
  const files = new Set(walk(root));

  const dependencyFields = [
    'dependencies',
    'peerDependencies',
    'optionalDependencies',
  ];
  for (const field of dependencyFields) {
    for (const [name, range] of Object.entries(manifest[field] || {})) {
      if (/^(workspace|link|portal|file):/.test(range)) {
        problems.push(`${field}.${name} is '${range}', not a version range`);
      }
    }
  }

  const has = target => {
    const file = target.replace(/^\.\//, '');
    if (file.includes('*')) {
      const pattern = new RegExp(
        `^${file.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*')}$`,
      );
      return [...files].some(f => pattern.test(f));
    }
    return files.has(file);
  };
  const pointers = [];
  for (const field of ['main', 'types', 'module', 'configSchema']) {
    if (typeof manifest[field] === 'string') {
      pointers.push([field, manifest[field]]);
    }
  }
  for (const target of stringsIn(
    typeof manifest.bin === 'string' ? [manifest.bin] : manifest.bin,
  )) {
    pointers.push(['bin', target]);
  }
  for (const [key, value] of Object.entries(manifest.exports || {})) {
    for (const target of stringsIn(value)) {
      if (target.startsWith('./')) pointers.push([`exports["${key}"]`, target]);
    }
  }
  for (const [key, value] of Object.entries(
    (manifest.typesVersions || {})['*'] || {},
  )) {
    for (const target of stringsIn(value)) {
      pointers.push([`typesVersions["${key}"]`, target]);
    }
  }
  for (const [field, target] of pointers) {
    if (/^\.?\/?src\//.test(target)) {
      problems.push(`${field} points at the sources (${target}), not dist`);
    } else if (!has(target)) {
      problems.push(`${field} is ${target}, which is not in the tarball`);
    }
  }

  // Migrations that the package's code runs must be shipped.
  const migrationsDir = path.join(pkg.dir, 'migrations');
  if (fs.existsSync(migrationsDir)) {
    for (const file of fs.readdirSync(migrationsDir)) {
      if (!files.has(`migrations/${file}`)) {
        problems.push(`migrations/${file} is not in the tarball`);
      }
    }
  }

  // Every package that the shipped code (or its types) imports must be a
  // dependency: a user's app has only what the package declares.
  const declared = new Set([
    manifest.name,
    ...Object.keys(manifest.dependencies || {}),
    ...Object.keys(manifest.peerDependencies || {}),
    ...Object.keys(manifest.optionalDependencies || {}),
  ]);
  const undeclared = new Map();
  for (const file of files) {
    const isCode = /\.(c|m)?js$/.test(file) && !file.endsWith('.map');
    const isTypes = file.endsWith('.d.ts');
    const isBin = stringsIn(manifest.bin).some(
      b => b.replace(/^\.\//, '') === file,
    );
    if (!isCode && !isTypes && !isBin) continue;
    if (file.startsWith('migrations/') && isTypes) continue;
    const text = fs.readFileSync(path.join(root, file), 'utf8');
    for (const match of text.matchAll(IMPORT_PATTERN)) {
      const name = packageOfSpecifier(match[2]);
      if (!name || declared.has(name)) continue;
      if (ALLOWED_UNDECLARED[manifest.name]?.[file]?.includes(name)) continue;
      if (!undeclared.has(name)) undeclared.set(name, file);
    }
  }
  for (const [name, file] of undeclared) {
    problems.push(
      `${file} imports '${name}', which is not in dependencies or peerDependencies`,
    );
  }
  return { manifest, files, problems };
}

// ---------------------------------------------------------------------------
// 3. Generate and install the app

function copyTemplate(from, to) {
  for (const entry of fs.readdirSync(from, { withFileTypes: true })) {
    const source = path.join(from, entry.name);
    const target = path.join(to, entry.name);
    if (entry.isDirectory()) {
      fs.mkdirSync(target, { recursive: true });
      copyTemplate(source, target);
    } else {
      fs.copyFileSync(source, target);
    }
  }
}

/**
 * Fills in a template package.json: `backstage:^` becomes the caret range of
 * the version the repository pins for the release, `tarball:` the packed
 * package.
 */
function fillManifest(file, pins, tarballs) {
  const manifest = readJson(file);
  for (const field of ['dependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(manifest[field] || {})) {
      if (range === 'backstage:^') {
        if (!pins[name]) {
          fail(
            `${path.relative(
              TEMPLATE,
              file,
            )}: ${name} is not pinned in the root package.json's resolutions`,
          );
        }
        manifest[field][name] = `^${pins[name]}`;
      } else if (range === 'tarball:') {
        const pkg = tarballs.get(name);
        if (!pkg)
          fail(`${name} is not a publishable package of this repository`);
        manifest[field][name] = `file:${pkg.tarball}`;
      }
    }
  }
  writeJson(file, manifest);
  return manifest;
}

function yarnConfig(key) {
  return capture('yarn', ['config', 'get', key], { cwd: ROOT }).trim();
}

function generateApp(tarballs) {
  fs.mkdirSync(APP_DIR, { recursive: true });
  // Everything but node_modules (and Yarn's install state) is regenerated: a
  // second run only links what changed.
  for (const name of fs.readdirSync(APP_DIR)) {
    // .yarn holds the install state: which native addons are built.
    if (!['node_modules', '.yarn', 'packages'].includes(name)) {
      fs.rmSync(path.join(APP_DIR, name), { recursive: true, force: true });
    }
  }
  const packagesDir = path.join(APP_DIR, 'packages');
  if (fs.existsSync(packagesDir)) {
    for (const workspace of fs.readdirSync(packagesDir)) {
      for (const name of fs.readdirSync(path.join(packagesDir, workspace))) {
        if (name !== 'node_modules') {
          fs.rmSync(path.join(packagesDir, workspace, name), {
            recursive: true,
            force: true,
          });
        }
      }
    }
  }
  copyTemplate(TEMPLATE, APP_DIR);

  const rootManifest = readJson(path.join(ROOT, 'package.json'));
  const pins = rootManifest.resolutions || {};
  const manifests = [path.join(APP_DIR, 'package.json')];
  for (const workspace of fs.readdirSync(packagesDir)) {
    manifests.push(path.join(packagesDir, workspace, 'package.json'));
  }
  const used = new Set();
  for (const file of manifests) {
    const manifest = fillManifest(file, pins, tarballs);
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(manifest[field] || {})) used.add(name);
    }
  }
  // Every published plugin, module and CLI is installed (and added to the
  // backend or the app) in the external app, so that a new one cannot be
  // left out. Libraries come in as their dependencies (checkInstalled).
  const unused = [...tarballs.values()]
    .filter(
      pkg =>
        !/-library$/.test(
          readJson(path.join(pkg.dir, 'package.json')).backstage?.role ?? '',
        ),
    )
    .map(pkg => pkg.name)
    .filter(name => !used.has(name));
  if (unused.length) {
    fail(
      `${unused.join(', ')} ${
        unused.length > 1 ? 'are' : 'is'
      } published but not installed by external-app/template: add ${
        unused.length > 1 ? 'them' : 'it'
      } to a package.json there (as "tarball:") and to the backend or the app`,
    );
  }

  const appManifest = readJson(path.join(APP_DIR, 'package.json'));
  appManifest.packageManager = rootManifest.packageManager;
  // One coherent Backstage release, as a lockfile seeded by
  // @backstage/create-app would give: the versions the repository pins. The
  // @prodready packages depend on each other by version; these resolve them
  // to the tarballs, never to a registry.
  appManifest.resolutions = { ...pins };
  for (const [name, pkg] of tarballs) {
    appManifest.resolutions[name] = `file:${pkg.tarball}`;
  }
  writeJson(path.join(APP_DIR, 'package.json'), appManifest);

  // The lockfile is generated, not committed: the tarballs' checksums change
  // with every build, so a committed lockfile would always be stale. It is
  // seeded with this repository's yarn.lock, so that the app resolves every
  // package this repository already resolved to the same (tested) version,
  // and only the new entries (the tarballs) are resolved; Yarn drops the
  // entries the app does not use. (So a newer release of a third-party
  // dependency, which a user's fresh install could pick up, is not tested
  // here: that is what the repository's own lockfile updates are for.)
  fs.copyFileSync(
    path.join(ROOT, 'yarn.lock'),
    path.join(APP_DIR, 'yarn.lock'),
  );
  // Yarn's settings for the app. The cache is this repository's, so nothing
  // is downloaded twice.
  const cacheFolder = yarnConfig('cacheFolder');
  fs.writeFileSync(
    path.join(APP_DIR, '.yarnrc.yml'),
    [
      'nodeLinker: node-modules',
      'enableTelemetry: false',
      'enableGlobalCache: false',
      `cacheFolder: ${JSON.stringify(cacheFolder)}`,
      '',
    ].join('\n'),
  );
  return { pins };
}

function installApp() {
  // The registry is whatever this repository's Yarn uses.
  const registry = yarnConfig('npmRegistryServer');
  run('yarn', ['install', '--no-immutable', '--inline-builds'], {
    cwd: APP_DIR,
    env: appEnv({
      YARN_NPM_REGISTRY_SERVER: registry,
      YARN_ENABLE_IMMUTABLE_INSTALLS: 'false',
    }),
    logName: 'yarn-install',
  });
}

function checkInstalled(pins, tarballs) {
  const problems = [];
  for (const [name, pkg] of tarballs) {
    const file = path.join(APP_DIR, 'node_modules', name, 'package.json');
    if (!fs.existsSync(file)) {
      problems.push(`${name} is not installed`);
      continue;
    }
    const installed = readJson(file);
    const packed = readJson(
      path.join(UNPACKED, pkg.slug, 'package', 'package.json'),
    );
    if (
      installed.version !== packed.version ||
      installed.main !== packed.main
    ) {
      problems.push(`${name} in node_modules is not the packed one`);
    }
  }
  // No second copy of a pinned @backstage package: drift between releases
  // breaks a backend at start (see TOOLCHAIN.md).
  for (const [name, version] of Object.entries(pins)) {
    if (!name.startsWith('@backstage/')) continue;
    const file = path.join(APP_DIR, 'node_modules', name, 'package.json');
    if (fs.existsSync(file) && readJson(file).version !== version) {
      problems.push(
        `${name} is ${readJson(file).version}, not ${version} of the release`,
      );
    }
  }
  if (problems.length) fail(problems.join('\n  '));
}

// ---------------------------------------------------------------------------
// 4. Use the app

function checkFrontendBuild() {
  const dist = path.join(APP_DIR, 'packages', 'app', 'dist');
  if (!fs.existsSync(path.join(dist, 'index.html'))) {
    fail(`the build wrote no ${path.join(dist, 'index.html')}`);
  }
  // The readiness plugin (from @prodready/plugin-readiness/alpha) must be in
  // the bundle.
  const bundled = walk(dist).filter(f => f.endsWith('.js'));
  const found = bundled.some(f =>
    /pluginId:\s*["']readiness["']/.test(
      fs.readFileSync(path.join(dist, f), 'utf8'),
    ),
  );
  if (!found) {
    fail('the built frontend does not contain the readiness plugin');
  }
}

function portInUse(port) {
  return new Promise(resolve => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

async function request(method, urlPath, { body, token = TOKEN } = {}) {
  const headers = {};
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  try {
    const response = await fetch(`${BACKEND_URL}${urlPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30000),
    });
    const text = await response.text();
    let json;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return { status: response.status, text, json };
  } catch (error) {
    return { status: 0, text: String(error.cause || error), json: undefined };
  }
}

async function startBackend() {
  if (await portInUse(PORT)) {
    fail(
      `port ${PORT} is in use; stop what listens there or set PRODREADY_EXTERNAL_APP_PORT`,
    );
  }
  fs.mkdirSync(LOGS, { recursive: true });
  const logFile = path.join(LOGS, 'backend.log');
  const fd = fs.openSync(logFile, 'w');
  // Its own process group, so that the whole tree can be stopped.
  backend = childProcess.spawn('yarn', ['start'], {
    cwd: path.join(APP_DIR, 'packages', 'backend'),
    env: appEnv(),
    stdio: ['ignore', fd, fd],
    detached: true,
  });
  fs.closeSync(fd);
  let exited = false;
  backend.once('exit', () => {
    exited = true;
  });
  const deadline = Date.now() + 240_000;
  while (Date.now() < deadline) {
    const readiness = await request('GET', '/.backstage/health/v1/readiness', {
      token: null,
    });
    if (readiness.status === 200) return logFile;
    if (exited) {
      fail(
        `the backend exited before it was ready. End of ${logFile}:\n${tail(
          logFile,
        )}`,
      );
    }
    await sleep(1000);
  }
  fail(
    `the backend was not ready after 240 s. End of ${logFile}:\n${tail(
      logFile,
    )}`,
  );
  return logFile;
}

function groupAlive(pgid) {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * Stops the backend's whole process group (yarn, backstage-cli and the
 * backend it runs) and waits until every process of it is gone: SIGTERM, and
 * SIGKILL after 20 s.
 */
async function stopBackend() {
  if (!backend) return;
  const pgid = backend.pid;
  backend = undefined;
  const signal = name => {
    try {
      process.kill(-pgid, name);
    } catch {
      // already gone
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + 20_000;
  while (groupAlive(pgid) && Date.now() < deadline) await sleep(250);
  if (groupAlive(pgid)) {
    signal('SIGKILL');
    while (groupAlive(pgid)) await sleep(250);
  }
}

async function waitFor(description, probe, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    last = await probe();
    if (last.ok) return last;
    await sleep(2000);
  }
  fail(`${description}: ${last ? last.reason : 'no answer'}`);
  return last;
}

function entityWith(name, annotations) {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, annotations },
    spec: {
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/team-a',
    },
  };
}

async function checkBackend(backendLog) {
  const health = await request('GET', '/api/readiness/health', { token: null });
  if (health.status !== 200) {
    fail(`GET /api/readiness/health answered ${health.status}: ${health.text}`);
  }

  // The catalog module: validation of one entity, as catalog-import does it.
  const location = `url:${BACKEND_URL}/external-app/catalog-info.yaml`;
  const bad = await request('POST', '/api/catalog/validate-entity', {
    body: {
      location,
      entity: entityWith('bad-availability', {
        'prodready.dev/availability': '150',
      }),
    },
  });
  if (bad.status !== 400 || !bad.text.includes('prodready.dev/availability')) {
    fail(
      `POST /api/catalog/validate-entity of an entity with prodready.dev/availability '150' answered ${bad.status} ` +
        `(expected 400 with an error about the annotation from the readiness catalog module): ${bad.text}`,
    );
  }
  const good = await request('POST', '/api/catalog/validate-entity', {
    body: {
      location,
      entity: entityWith('good-availability', {
        'prodready.dev/availability': '99.95%',
      }),
    },
  });
  if (good.status !== 200) {
    fail(
      `POST /api/catalog/validate-entity of a valid entity answered ${good.status}: ${good.text}`,
    );
  }

  // The catalog file of the app: the good service is in the catalog, the
  // broken one is a catalog problem that the readiness backend reports.
  await waitFor(
    'good-service from catalog/entities.yaml never appeared in the catalog',
    async () => {
      const r = await request(
        'GET',
        '/api/catalog/entities/by-name/component/default/good-service',
      );
      return { ok: r.status === 200, reason: `${r.status} ${r.text}` };
    },
  );
  const broken = await request(
    'GET',
    '/api/catalog/entities/by-name/component/default/broken-service',
  );
  if (broken.status !== 404) {
    fail(
      `broken-service (prodready.dev/availability '150') is in the catalog (${broken.status}); the readiness catalog module should have rejected it`,
    );
  }
  await waitFor(
    'GET /api/readiness/catalog-errors never listed broken-service with its prodready.dev/availability error',
    async () => {
      const r = await request(
        'GET',
        `/api/readiness/catalog-errors?entityRef=${encodeURIComponent(
          'component:default/broken-service',
        )}`,
      );
      return {
        ok: r.status === 200 && r.text.includes('prodready.dev/availability'),
        reason: `${r.status} ${r.text}`,
      };
    },
  );

  // The readiness backend evaluates the service (its tables, migrated from
  // the shipped migrations, hold the scorecard).
  await waitFor(
    'GET /api/readiness/scorecards/component/default/good-service never answered 200',
    async () => {
      const r = await request(
        'GET',
        '/api/readiness/scorecards/component/default/good-service',
      );
      return { ok: r.status === 200, reason: `${r.status} ${r.text}` };
    },
  );

  // The scaffolder module's actions.
  const expected = [];
  for (const file of walk(
    path.join(ROOT, 'plugins', 'scaffolder-backend-module-readiness', 'src'),
  )) {
    if (/\.test\.ts$/.test(file) || !file.endsWith('.ts')) continue;
    const text = fs.readFileSync(
      path.join(
        ROOT,
        'plugins',
        'scaffolder-backend-module-readiness',
        'src',
        file,
      ),
      'utf8',
    );
    for (const match of text.matchAll(/\bid: '(readiness:[^']+)'/g))
      expected.push(match[1]);
  }
  const actions = await request('GET', '/api/scaffolder/v2/actions');
  if (actions.status !== 200 || !Array.isArray(actions.json)) {
    fail(
      `GET /api/scaffolder/v2/actions answered ${actions.status}: ${actions.text}`,
    );
  }
  const listed = new Set(actions.json.map(a => a.id));
  const missing = expected.filter(id => !listed.has(id));
  if (expected.length === 0 || missing.length) {
    fail(
      `the scaffolder does not list the readiness actions ${missing.join(
        ', ',
      )} (it lists ${
        [...listed].filter(id => id.startsWith('readiness:')).join(', ') ||
        'none'
      })`,
    );
  }
  log(`  the scaffolder lists ${expected.join(', ')}`);

  // The actions run from the packed code: a dry run of a template that plans
  // the capacity and generates the Kubernetes manifests.
  const dryRun = await request('POST', '/api/scaffolder/v2/dry-run', {
    body: {
      values: {},
      secrets: {},
      directoryContents: [],
      template: {
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        metadata: { name: 'external-app-dry-run' },
        spec: {
          type: 'service',
          parameters: [],
          steps: [
            {
              id: 'plan',
              name: 'Plan the capacity',
              action: 'readiness:capacity:plan',
              // Given in full: the scaffolder does not fill in the defaults
              // of the action's input schema.
              input: {
                peakRps: 300,
                perPodRps: 50,
                capacityBufferPercent: 50,
                minReplicas: 2,
                maxReplicas: 50,
              },
            },
            {
              id: 'deploy',
              name: 'Generate the manifests',
              action: 'readiness:deployment:generate',
              input: {
                name: 'dry-run-service',
                image: 'example/dry-run-service:1.0.0',
                peakRps: 300,
                perPodRps: 50,
                targetPath: 'deploy',
              },
            },
          ],
          output: { maxReplicas: '${{ steps.plan.output.maxReplicas }}' },
        },
      },
    },
  });
  const generated = (dryRun.json?.directoryContents ?? []).find(
    file => file.path === 'deploy/hpa.yaml',
  );
  if (
    dryRun.status !== 200 ||
    !generated ||
    !Buffer.from(generated.base64Content, 'base64')
      .toString('utf8')
      .includes('HorizontalPodAutoscaler')
  ) {
    fail(
      `a scaffolder dry run of readiness:capacity:plan and readiness:deployment:generate answered ${
        dryRun.status
      }${generated ? '' : ' without deploy/hpa.yaml'}: ${dryRun.text.slice(
        0,
        2000,
      )}`,
    );
  }

  // The packed CLI, against the running backend's checks.
  const cli = childProcess.spawnSync(
    'yarn',
    [
      'readiness',
      'check',
      path.join(APP_DIR, 'catalog'),
      '--catalog-file',
      'entities.yaml',
      '--entity',
      'good-service',
      '--format',
      'json',
      '--backend',
      BACKEND_URL,
      '--token',
      TOKEN,
    ],
    { cwd: APP_DIR, env: appEnv(), encoding: 'utf8' },
  );
  let report;
  try {
    report = JSON.parse(cli.stdout);
  } catch {
    report = undefined;
  }
  if (cli.status !== 0 || !report) {
    fail(
      `\`readiness check\` of the packed @prodready/readiness-cli exited with ${cli.status}: ${cli.stdout}${cli.stderr}`,
    );
  }
  return backendLog;
}

// ---------------------------------------------------------------------------

async function main() {
  log(`the app: ${APP_DIR}`);
  log(`tarballs and logs: ${WORK_DIR}`);
  fs.rmSync(LOGS, { recursive: true, force: true });
  fs.mkdirSync(LOGS, { recursive: true });

  // Fail fast, before minutes of building, when the port is taken.
  if (await portInUse(PORT)) {
    fail(
      `port ${PORT} is in use; stop what listens there or set PRODREADY_EXTERNAL_APP_PORT`,
    );
  }
  const packages = publishablePackages();
  await step('build the packages (tsc, backstage-cli repo build)', () => {
    run('yarn', ['tsc'], { cwd: ROOT, logName: 'tsc' });
    run('yarn', ['backstage-cli', 'repo', 'build'], {
      cwd: ROOT,
      logName: 'repo-build',
    });
  });
  const tarballs = await step(
    `pack ${packages.length} packages (yarn pack)`,
    () => packAll(packages),
  );
  await step('inspect the tarballs', () => {
    const report = [];
    for (const pkg of tarballs.values()) {
      const { problems } = inspectTarball(pkg);
      for (const problem of problems) report.push(`${pkg.name}: ${problem}`);
    }
    if (report.length)
      fail(`the packed packages are incomplete:\n  ${report.join('\n  ')}`);
  });
  const { pins } = await step(
    'generate the app from external-app/template',
    () => generateApp(tarballs),
  );
  await step('yarn install in the app', () => {
    installApp();
    checkInstalled(pins, tarballs);
  });
  await step('type check the app (tsc)', () =>
    run('yarn', ['tsc'], { cwd: APP_DIR, env: appEnv(), logName: 'app-tsc' }),
  );
  await step(
    'check the app config against the packed schemas (config:check --strict)',
    () =>
      run('yarn', ['backstage-cli', 'config:check', '--strict'], {
        cwd: APP_DIR,
        env: appEnv(),
        logName: 'config-check',
      }),
  );
  await step('build the frontend (backstage-cli package build)', () => {
    run('yarn', ['build'], {
      cwd: path.join(APP_DIR, 'packages', 'app'),
      env: appEnv(),
      logName: 'app-build',
    });
    checkFrontendBuild();
  });
  const backendLog = await step(
    `start the backend on SQLite (port ${PORT})`,
    () => startBackend(),
  );
  await step(
    'check the backend (readiness, catalog module, scaffolder actions and a dry run, CLI)',
    () => checkBackend(backendLog),
  );
}

function summary() {
  log('step times:');
  for (const line of timings) log(`  ${line}`);
  log(`total: ${seconds(Date.now() - started)}`);
}

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    log(`${signal}: stopping`);
    stopBackend().then(() => process.exit(130));
  });
}

main().then(
  async () => {
    await stopBackend();
    summary();
    log(
      'PASSED: the packed packages install and run in a separate Backstage app.',
    );
  },
  async error => {
    await stopBackend();
    summary();
    if (error instanceof StepError) {
      log(`FAILED at "${currentStep}": ${error.message}`);
    } else {
      log(`FAILED at "${currentStep}" (unexpected error):`);
      console.error(error);
    }
    if (fs.existsSync(path.join(LOGS, 'backend.log'))) {
      log(`backend log: ${path.join(LOGS, 'backend.log')}`);
    }
    process.exitCode = 1;
  },
);
