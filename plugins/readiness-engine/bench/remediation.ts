/*
 * Benchmark of computeRemediation (not a test; CI does not run it): the time
 * to compute, validate and re-score the patch of one service, for the example
 * services and for generated ones; and the share of the examples' failing
 * checks that get an automatic fix.
 *
 *   yarn bench:remediation [--services 1000] [--iterations 20]
 *
 * Target (issue 14): < 50 ms median per service. The facts are collected
 * once, as the backend has them stored; each measured call parses the files,
 * computes every fix, validates it and evaluates the checks again.
 */
import fs from 'fs';
import os from 'os';
import path from 'path';
import { performance } from 'perf_hooks';
import type { Entity } from '@backstage/catalog-model';
import type { JsonObject } from '@prodready/plugin-readiness-common';
import {
  BUILT_IN_CHECKS,
  DeploymentFileInput,
  REMEDIABLE_AREAS,
  computeRemediation,
  collectFacts,
  createFsDeploymentFilesReader,
  createOfflineFactCollectors,
  locateDeploymentFiles,
  readCatalogFile,
} from '../src';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');
const NOW = new Date('2026-11-26T00:00:00Z');

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer`);
  }
  return value;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

const ms = (value: number) => `${value.toFixed(1)} ms`;

/** A seeded PRNG (mulberry32), so that runs are comparable. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Service {
  entity: Entity;
  files: DeploymentFileInput[];
  facts: Record<string, JsonObject>;
}

async function exampleServices(): Promise<Service[]> {
  const entities = ['entities.yaml', 'service-levels.yaml', 'org.yaml'].flatMap(
    file => readCatalogFile(path.join(EXAMPLES_DIR, file)),
  );
  const collectors = createOfflineFactCollectors({
    entities,
    now: () => NOW,
  }).filter(c => c.id !== 'deployment');
  const reader = createFsDeploymentFilesReader();
  const services: Service[] = [];
  for (const entity of entities.filter(e => e.kind === 'Component')) {
    const target = locateDeploymentFiles(entity).target;
    if (!target || target.type !== 'file' || !fs.existsSync(target.path)) {
      continue;
    }
    const read = await reader.read(target);
    if (read.status !== 'ok') continue;
    const facts = await collectFacts(entity, collectors);
    services.push({ entity, files: read.files, facts });
  }
  return services;
}

/** A variant of an example service: renamed, with some of its files left out. */
function generate(base: Service, index: number, next: () => number): Service {
  const name = `svc-${index}`;
  const from = base.entity.metadata.name;
  const rename = (text: string) => text.split(from).join(name);
  const keep = base.files.filter(
    (file, i) => i === 0 || next() > 0.25 || !/\.ya?ml$/.test(file.path),
  );
  return {
    entity: JSON.parse(rename(JSON.stringify(base.entity))),
    files: keep.map(file => ({
      path: file.path,
      content: rename(file.content),
    })),
    facts: JSON.parse(rename(JSON.stringify(base.facts))),
  };
}

function time(service: Service): {
  ms: number;
  plan: ReturnType<typeof computeRemediation>;
} {
  const started = performance.now();
  const plan = computeRemediation({ ...service, now: NOW });
  return { ms: performance.now() - started, plan };
}

async function main() {
  const iterations = option('iterations', 20);
  const count = option('services', 1000);
  console.log(
    `computeRemediation: ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map(l => l.toFixed(2))
      .join(' ')}, node ${process.version}`,
  );
  const examples = await exampleServices();
  // Warm-up: the schemas compile on first use.
  for (const service of examples) time(service);

  console.log('\n## Example services (median of %d runs each)\n', iterations);
  console.log('| service | source | median | failing* | fixed | no fix |');
  console.log('|---|---|---|---|---|---|');
  const medians: number[] = [];
  let failing = 0;
  let fixed = 0;
  const deploymentIds = new Set(
    BUILT_IN_CHECKS.filter(check =>
      JSON.stringify(check.rule).includes('"fact":"deployment"'),
    ).map(check => check.id),
  );
  let deploymentFailing = 0;
  let deploymentFixed = 0;
  for (const service of examples) {
    const runs: number[] = [];
    let plan = time(service).plan;
    for (let i = 0; i < iterations; i++) {
      const run = time(service);
      runs.push(run.ms);
      plan = run.plan;
    }
    const median = percentile(runs, 0.5);
    medians.push(median);
    const total = plan.fixes.length + plan.unfixable.length;
    failing += total;
    fixed += plan.fixes.length;
    deploymentFailing += [...plan.fixes, ...plan.unfixable].filter(c =>
      deploymentIds.has(c.checkId),
    ).length;
    deploymentFixed += plan.fixes.filter(f =>
      deploymentIds.has(f.checkId),
    ).length;
    console.log(
      `| ${service.entity.metadata.name} | ${plan.source} | ${ms(
        median,
      )} | ${total} | ${plan.fixes.length} | ${plan.unfixable
        .map(u => u.checkId)
        .join(', ')} |`,
    );
  }
  console.log(
    `\n*failing or warning checks of the remediable areas (${REMEDIABLE_AREAS.join(
      ', ',
    )})`,
  );
  console.log(
    `\nExamples: median of the medians ${ms(
      percentile(medians, 0.5),
    )}, slowest ${ms(Math.max(...medians))}`,
  );
  console.log(
    `Automatic fixes: ${fixed} of ${failing} failing checks of the remediable areas (${(
      (100 * fixed) /
      failing
    ).toFixed(
      0,
    )}%); of the checks that read the deployment files: ${deploymentFixed} of ${deploymentFailing} (${(
      (100 * deploymentFixed) /
      deploymentFailing
    ).toFixed(0)}%)`,
  );

  const next = random(42);
  const generated = Array.from({ length: count }, (_, i) =>
    generate(examples[Math.floor(next() * examples.length)], i, next),
  );
  const times: number[] = [];
  let fixes = 0;
  const started = performance.now();
  for (const service of generated) {
    const run = time(service);
    times.push(run.ms);
    fixes += run.plan.fixes.length;
  }
  const elapsed = performance.now() - started;
  console.log(
    `\nGenerated services: ${count} (variants of the examples with files left out), ${fixes} fixes`,
  );
  console.log(
    `per service: median ${ms(percentile(times, 0.5))}, p95 ${ms(
      percentile(times, 0.95),
    )}, max ${ms(Math.max(...times))}; all ${count} in ${(
      elapsed / 1000
    ).toFixed(1)} s`,
  );
  console.log(
    `Target: < 50 ms median per service: ${
      percentile(medians, 0.5) < 50 && percentile(times, 0.5) < 50
        ? 'met'
        : 'MISSED'
    }`,
  );
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
