/*
 * Benchmark of readiness:deployment:generate's pure part (not a test; CI does
 * not run it): the time to generate, validate (kubernetes-models schemas, the
 * unknown-field probe, the semantic checks) and render the manifests of one
 * service, per preset.
 *
 *   yarn bench:scaffolder [--iterations 200] [--warmup 30]
 *
 * Target (DESIGN.md): < 20 ms per service. Prints the median and p95 per
 * preset, and the objects each preset generates.
 */
import os from 'os';
import { performance } from 'perf_hooks';
import {
  DeploymentGeneratorInput,
  describeObjects,
  generateDeployment,
} from '../src/generate';

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  const value = index >= 0 ? Number(process.argv[index + 1]) : fallback;
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`--${name} must be a positive integer`);
  }
  return value;
}

const base: DeploymentGeneratorInput = {
  name: 'checkout',
  image: 'registry.example.com/shop/checkout:1.4.2',
  peakRps: 1200,
  perPodRps: 100,
};

const PRESETS: Record<string, DeploymentGeneratorInput> = {
  'internal, rolling update, PostgreSQL': {
    ...base,
    dataStores: ['postgresql'],
  },
  'public, blue-green, PostgreSQL + Redis': {
    ...base,
    exposure: 'public',
    host: 'checkout.example.com',
    rollout: 'blue-green',
    dataStores: ['postgresql', 'redis'],
    rpo: '15m',
  },
  'public, canary, 4 data stores, huge traffic': {
    ...base,
    peakRps: 1_000_000,
    perPodRps: 250,
    exposure: 'public',
    host: 'checkout.example.com',
    rollout: 'canary',
    dataStores: ['postgresql', 'mysql', 'mongodb', 'redis'],
  },
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];
}

const iterations = option('iterations', 200);
const warmup = option('warmup', 30);
console.log(
  `readiness:deployment:generate: ${iterations} runs per preset after ${warmup} warm-up runs (node ${
    process.version
  }, ${os.cpus().length} CPUs, load ${os
    .loadavg()
    .map(l => l.toFixed(1))
    .join(' ')})`,
);
let worstMedian = 0;
for (const [name, input] of Object.entries(PRESETS)) {
  const first = performance.now();
  const generation = generateDeployment(input);
  const firstMs = performance.now() - first;
  for (let i = 0; i < warmup; i++) {
    generateDeployment(input);
  }
  const times: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const started = performance.now();
    generateDeployment(input);
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  const median = percentile(times, 0.5);
  worstMedian = Math.max(worstMedian, median);
  console.log(`\n${name}`);
  console.log(
    `  per service: median ${median.toFixed(2)} ms, p95 ${percentile(
      times,
      0.95,
    ).toFixed(2)} ms (first run, with schema compilation: ${firstMs.toFixed(
      0,
    )} ms)`,
  );
  console.log(
    `  replicas ${generation.capacity.minReplicas}..${
      generation.capacity.maxReplicas
    }${generation.capacity.clampedToMax ? ' (clamped)' : ''}, backups '${
      generation.backup.cron
    }', ${generation.files.length} files, ${
      generation.objects.length
    } objects:`,
  );
  for (const line of describeObjects(generation.objects)) {
    console.log(`    ${line}`);
  }
}
console.log(
  `\nWorst median ${worstMedian.toFixed(2)} ms per service: ${
    worstMedian < 20 ? 'meets' : 'MISSES'
  } the < 20 ms target.`,
);
