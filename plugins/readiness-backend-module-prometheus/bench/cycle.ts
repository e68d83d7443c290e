/*
 * One collection cycle of the observed service levels over 1,000 services,
 * against a real Prometheus (Debian's package) holding request metrics for
 * them: how many queries, how long, and how many at once, for several
 * concurrency limits, measured side by side in one run.
 *
 *   yarn bench:prometheus [--services 1000] [--with-data 800] [--limits 1,4,16]
 *
 * The engine collects 4 entities at once (readiness.evaluation.concurrency);
 * the collector's limit (readiness.prometheus.concurrency) bounds the
 * queries over all of them.
 */
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import os from 'node:os';
import {
  RecordedService,
  prometheusInstalled,
  recordedSamples,
  startPrometheus,
} from '../src/__testUtils__/prometheus';
import { createLimiter } from '@prodready/plugin-readiness-engine';
import { createObservedServiceLevelsCollector } from '../src/collector';
import { readPrometheusSettings } from '../src/config';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at >= 0 ? process.argv[at + 1] : fallback;
}

async function main() {
  if (!prometheusInstalled()) {
    throw new Error('Prometheus is not installed: apt-get install prometheus');
  }
  const total = Number(option('services', '1000'));
  const withData = Number(option('with-data', String(Math.round(total * 0.8))));
  const limits = option('limits', '1,4,16').split(',').map(Number);
  const entityConcurrency = 4;

  const services: RecordedService[] = Array.from(
    { length: withData },
    (_, i) => ({
      job: `svc-${i}`,
      requestsPerStep: 1000 + i,
      errorsPerStep: i % 7,
      buckets: [
        [0.05, 0.6],
        [0.1, 0.9],
        [0.2, 0.97],
        [0.5, 0.995],
        [1, 1],
      ],
    }),
  );
  const entities: Entity[] = Array.from({ length: total }, (_, i) => ({
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: `svc-${i}` },
    spec: { type: 'service', lifecycle: 'production', owner: 'team' },
  }));

  const loadStarted = Date.now();
  const prometheus = await startPrometheus(
    recordedSamples({
      services,
      endMs: Date.now() - 30_000,
      spanMs: 2 * DAY,
      stepMs: 15 * MINUTE,
    }),
  );
  const loadSeconds = (Date.now() - loadStarted) / 1000;

  const rows: string[] = [];
  try {
    for (const limit of limits) {
      const settings = readPrometheusSettings(
        new ConfigReader({
          readiness: {
            prometheus: {
              endpoints: [{ name: 'bench', baseUrl: prometheus.baseUrl }],
              window: '1d',
              concurrency: limit,
              timeout: '30s',
            },
          },
        }),
      )!;
      let inFlight = 0;
      let mostInFlight = 0;
      const latencies: number[] = [];
      const countingFetch: typeof fetch = async (input, init) => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        const started = performance.now();
        try {
          return await fetch(input, init);
        } finally {
          latencies.push(performance.now() - started);
          inFlight--;
        }
      };
      const collector = createObservedServiceLevelsCollector({
        settings,
        catalog: catalogServiceMock({ entities }),
        auth: mockServices.auth(),
        fetch: countingFetch,
      });
      const byEntity = createLimiter(entityConcurrency);
      const cpuStart = process.cpuUsage();
      const started = performance.now();
      let noData = 0;
      await Promise.all(
        entities.map(entity =>
          byEntity(async () => {
            const facts = await collector.collect({ entity });
            if (facts.status === 'no-data') noData++;
          }),
        ),
      );
      const seconds = (performance.now() - started) / 1000;
      const cpu = process.cpuUsage(cpuStart);
      latencies.sort((a, b) => a - b);
      const p95 = latencies[Math.floor(latencies.length * 0.95)];
      rows.push(
        `| ${limit} | ${collector.queriesSent()} | ${(
          collector.queriesSent() / total
        ).toFixed(2)} | ${mostInFlight} | ${seconds.toFixed(2)} | ${(
          (cpu.user + cpu.system) /
          1e6
        ).toFixed(2)} | ${p95.toFixed(1)} | ${total - noData} / ${noData} |`,
      );
    }
  } finally {
    await prometheus.dispose();
  }

  const load = os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');
  process.stdout.write(
    [
      `Observed service levels: one cycle over ${total} services (${withData} with request metrics), ` +
        `${entityConcurrency} entities at once, window 1d, Prometheus ${prometheus.baseUrl}`,
      `${os.cpus().length} CPUs (${
        os.cpus()[0]?.model
      }), load average ${load}, loading the samples took ${loadSeconds.toFixed(
        1,
      )} s`,
      '',
      '| readiness.prometheus.concurrency | queries | per service | most at once | cycle (s) | bench CPU (s) | query p95 (ms) | ok / no-data |',
      '|---|---|---|---|---|---|---|---|',
      ...rows,
      '',
    ].join('\n'),
  );
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
