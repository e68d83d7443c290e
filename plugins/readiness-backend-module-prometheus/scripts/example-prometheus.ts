/*
 * A Prometheus for the local portal: Debian's prometheus, loaded with 28
 * days of recorded request metrics for some of the example services, on
 * 127.0.0.1:9090 (app-config.prometheus.yaml points the readiness backend
 * at it).
 *
 *   yarn prometheus:example                 # Prometheus only, until Ctrl-C
 *   yarn prometheus:example --start-portal  # and the portal, configured for it
 *
 * The services: payments-api, ledger-service, auth-service and
 * storefront-web meet their SLAs; checkout-api misses its availability (an
 * incident 9 days ago, and 0.3% of 5xx since); product-search has a slow
 * p95. The other services have no metrics: their request-metrics-emitted
 * check fails, and the observed checks do not apply to them.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import {
  RecordedService,
  prometheusInstalled,
  recordedSamples,
  startPrometheus,
} from '../src/__testUtils__/prometheus';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const ROOT = path.resolve(__dirname, '../../..');

const FAST: RecordedService['buckets'] = [
  [0.025, 0.4],
  [0.05, 0.7],
  [0.1, 0.97],
  [0.2, 0.995],
  [0.5, 1],
];
const SLOW: RecordedService['buckets'] = [
  [0.05, 0.1],
  [0.1, 0.3],
  [0.2, 0.5],
  [0.5, 0.96],
  [1, 1],
];

function services(now: number): RecordedService[] {
  const healthy = (job: string, requestsPerStep: number): RecordedService => ({
    job,
    requestsPerStep,
    errorsPerStep: 0,
    // About 0.02% of 5xx.
    errorsAt: t => (Math.floor(t / (15 * MINUTE)) % 10 === 0 ? 2 : 0),
    buckets: FAST,
  });
  return [
    healthy('payments-api', 9000),
    healthy('ledger-service', 3000),
    healthy('auth-service', 12000),
    healthy('storefront-web', 15000),
    {
      job: 'checkout-api',
      requestsPerStep: 6000,
      errorsPerStep: 18,
      // A bad day 9 days ago: a quarter of the requests failed for 2 hours.
      errorsAt: t =>
        t > now - 9 * DAY && t <= now - 9 * DAY + 2 * 60 * MINUTE ? 1500 : 18,
      buckets: FAST,
    },
    {
      job: 'product-search',
      requestsPerStep: 8000,
      errorsPerStep: 2,
      buckets: SLOW,
    },
  ];
}

async function main() {
  if (!prometheusInstalled()) {
    throw new Error(
      "Prometheus is not installed: apt-get install prometheus (Debian's package)",
    );
  }
  const now = Date.now() - 30_000;
  process.stdout.write('Loading 28 days of example request metrics...\n');
  const prometheus = await startPrometheus(
    recordedSamples({
      services: services(now),
      endMs: now,
      spanMs: 28 * DAY + 2 * 60 * MINUTE,
      stepMs: 15 * MINUTE,
    }),
    { port: 9090 },
  );
  process.stdout.write(`Prometheus is ready at ${prometheus.baseUrl}\n`);

  let portal: ReturnType<typeof spawn> | undefined;
  const stop = async () => {
    portal?.kill('SIGTERM');
    await prometheus.dispose();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  if (process.argv.includes('--start-portal')) {
    portal = spawn(
      'yarn',
      [
        'start:portal',
        // Absolute: each package resolves a relative path from its own folder.
        '--config',
        path.join(ROOT, 'app-config.yaml'),
        '--config',
        path.join(ROOT, 'app-config.prometheus.yaml'),
      ],
      { cwd: ROOT, stdio: 'inherit' },
    );
    portal.on('exit', code => {
      prometheus.dispose().finally(() => process.exit(code ?? 0));
    });
  }
}

main().catch(error => {
  process.stderr.write(`${error.stack ?? error}\n`);
  process.exit(1);
});
