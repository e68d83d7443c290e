#!/usr/bin/env node
/*
 * Pins every @backstage/* package in the tree to one Backstage release.
 *
 *   node scripts/pin-backstage-release.js [--write]
 *
 * `backstage-cli versions:bump` reads the release manifests from a host this
 * machine cannot reach, and the registry's `latest` tags are not a coherent
 * set (some packages of a release may be missing). So this script rebuilds the
 * release from the registry itself: for each @backstage/* package found in
 * yarn.lock it takes the highest non-prerelease version published before the
 * cut-off in backstage.json (`releaseCutoff`, the day after the release). It
 * writes those versions to the root `resolutions`, and updates the ranges of
 * direct dependencies to match. Run `yarn install` afterwards.
 *
 * Without --write it prints the differences only.
 */
'use strict';

const { execFile } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { promisify } = require('node:util');

const ROOT = path.resolve(__dirname, '..');
const run = promisify(execFile);

function compareSemver(a, b) {
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < 3; i++) {
    if (pa[i] !== pb[i]) return pa[i] - pb[i];
  }
  return 0;
}

async function versionAt(name, cutoff) {
  const { stdout } = await run('npm', ['view', name, 'time', '--json'], {
    maxBuffer: 64 * 1024 * 1024,
  });
  const times = JSON.parse(stdout);
  const candidates = Object.entries(times)
    .filter(([v, t]) => /^\d+\.\d+\.\d+$/.test(v) && new Date(t) < cutoff)
    .map(([v]) => v)
    .sort(compareSemver);
  return candidates[candidates.length - 1];
}

async function mapLimit(items, limit, fn) {
  const results = new Array(items.length);
  let next = 0;
  async function worker() {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  }
  await Promise.all(Array.from({ length: limit }, worker));
  return results;
}

function workspaceManifests() {
  const files = [path.join(ROOT, 'package.json')];
  for (const group of ['packages', 'plugins', 'bench']) {
    const dir = path.join(ROOT, group);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const file = path.join(dir, name, 'package.json');
      if (fs.existsSync(file)) files.push(file);
    }
  }
  return files;
}

async function main() {
  const write = process.argv.includes('--write');
  const backstageJson = JSON.parse(
    fs.readFileSync(path.join(ROOT, 'backstage.json'), 'utf8'),
  );
  const cutoff = new Date(backstageJson.releaseCutoff);
  if (Number.isNaN(cutoff.getTime())) {
    throw new Error('backstage.json needs `releaseCutoff` (an ISO date)');
  }
  const names = new Set();
  const lock = fs.readFileSync(path.join(ROOT, 'yarn.lock'), 'utf8');
  for (const match of lock.matchAll(/^"?(@backstage\/[a-z0-9-]+)@/gm)) {
    names.add(match[1]);
  }
  for (const file of workspaceManifests()) {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    for (const field of ['dependencies', 'devDependencies']) {
      for (const name of Object.keys(pkg[field] || {})) {
        if (name.startsWith('@backstage/')) names.add(name);
      }
    }
  }
  const sorted = [...names].sort();
  const versions = await mapLimit(sorted, 12, name => versionAt(name, cutoff));
  const pins = {};
  sorted.forEach((name, i) => {
    if (versions[i]) pins[name] = versions[i];
    else process.stderr.write(`no release of ${name} before the cut-off\n`);
  });

  for (const file of workspaceManifests()) {
    const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
    let changed = false;
    for (const field of ['dependencies', 'devDependencies']) {
      for (const [name, range] of Object.entries(pkg[field] || {})) {
        const want = pins[name] && `^${pins[name]}`;
        if (want && range !== want) {
          process.stdout.write(
            `${path.relative(ROOT, file)}: ${name} ${range} -> ${want}\n`,
          );
          pkg[field][name] = want;
          changed = true;
        }
      }
    }
    if (file === path.join(ROOT, 'package.json')) {
      const resolutions = { ...(pkg.resolutions || {}) };
      for (const key of Object.keys(resolutions)) {
        if (key.startsWith('@backstage/')) delete resolutions[key];
      }
      pkg.resolutions = { ...resolutions, ...pins };
      changed = true;
    }
    if (changed && write) {
      fs.writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
    }
  }
  process.stdout.write(
    `${
      Object.keys(pins).length
    } @backstage packages pinned to the release before ${
      backstageJson.releaseCutoff
    }${write ? '' : ' (dry run; pass --write)'}\n`,
  );
}

main().catch(error => {
  process.stderr.write(`${error.stack || error}\n`);
  process.exit(1);
});
