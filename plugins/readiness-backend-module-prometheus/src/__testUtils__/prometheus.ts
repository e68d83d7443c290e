/*
 * A real Prometheus for tests: Debian's `prometheus` package (CI installs it;
 * see .ci/run), loaded with recorded samples through
 * `promtool tsdb create-blocks-from openmetrics`, then started on a free
 * port of 127.0.0.1 with its data directory in a temporary folder.
 */
import { ChildProcess, execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const PROMETHEUS = process.env.PROMETHEUS_BIN ?? '/usr/bin/prometheus';
const PROMTOOL = process.env.PROMTOOL_BIN ?? '/usr/bin/promtool';

/**
 * Whether Prometheus is installed. Under `npm test` and in CI (CI=true) it
 * must be, so a missing install fails instead of skipping the tests, unless
 * PRODREADY_SKIP_PROMETHEUS=1 says to skip them.
 */
export function prometheusInstalled(): boolean {
  const installed = fs.existsSync(PROMETHEUS) && fs.existsSync(PROMTOOL);
  if (
    !installed &&
    process.env.CI &&
    process.env.PRODREADY_SKIP_PROMETHEUS !== '1'
  ) {
    throw new Error(
      `Prometheus is not installed (${PROMETHEUS}, ${PROMTOOL}): install Debian's prometheus package (npm test and .ci/run do), or set PRODREADY_SKIP_PROMETHEUS=1`,
    );
  }
  return installed;
}

/** One recorded service: its request rate, 5xx share and latency buckets. */
export interface RecordedService {
  /** The `job` label. */
  job: string;
  /** Requests per step. */
  requestsPerStep: number;
  /** 5xx responses per step (part of the requests). */
  errorsPerStep: number;
  /** 5xx responses in the step that ends at this time, instead of errorsPerStep (an incident). */
  errorsAt?: (timeMs: number) => number;
  /** Cumulative share of requests at or under each bucket bound (seconds); +Inf is 1. */
  buckets: Array<[le: number, share: number]>;
}

/** Options of {@link recordedSamples}. */
export interface RecordedSamplesOptions {
  services: RecordedService[];
  /** The last sample's time, in milliseconds. */
  endMs: number;
  /** How far back the samples go, in milliseconds. */
  spanMs: number;
  /** The step between samples, in milliseconds. */
  stepMs: number;
}

/**
 * OpenMetrics text of counters that grow linearly: `http_requests_total`
 * by `code` and the `http_request_duration_seconds` histogram, so that the
 * ratios and quantiles Prometheus computes from them are known exactly.
 */
export function recordedSamples(options: RecordedSamplesOptions): string {
  const { services, endMs, spanMs, stepMs } = options;
  const times: number[] = [];
  for (let t = endMs - spanMs; t <= endMs; t += stepMs) {
    times.push(Math.floor(t / 1000));
  }
  const lines: string[] = [
    '# HELP http_requests Requests by status code.',
    '# TYPE http_requests counter',
  ];
  for (const s of services) {
    // Cumulative 5xx counts, step by step.
    const errors: number[] = [];
    times.forEach((t, i) => {
      const step = s.errorsAt ? s.errorsAt(t * 1000) : s.errorsPerStep;
      errors.push(i === 0 ? 0 : errors[i - 1] + step);
    });
    const hasErrors = errors[errors.length - 1] > 0;
    times.forEach((t, i) => {
      lines.push(
        `http_requests_total{job="${s.job}",code="200"} ${
          s.requestsPerStep * i - errors[i]
        } ${t}`,
      );
    });
    if (hasErrors) {
      times.forEach((t, i) => {
        lines.push(
          `http_requests_total{job="${s.job}",code="500"} ${errors[i]} ${t}`,
        );
      });
    }
  }
  lines.push(
    '# HELP http_request_duration_seconds Response time.',
    '# TYPE http_request_duration_seconds histogram',
  );
  for (const s of services) {
    const bounds: Array<[string, number]> = [
      ...s.buckets.map(([le, share]): [string, number] => [String(le), share]),
      ['+Inf', 1],
    ];
    times.forEach((t, i) => {
      for (const [le, share] of bounds) {
        lines.push(
          `http_request_duration_seconds_bucket{job="${s.job}",le="${le}"} ${
            Math.round(s.requestsPerStep * share) * i
          } ${t}`,
        );
      }
      lines.push(
        `http_request_duration_seconds_count{job="${s.job}"} ${
          s.requestsPerStep * i
        } ${t}`,
        `http_request_duration_seconds_sum{job="${s.job}"} ${
          s.requestsPerStep * 0.05 * i
        } ${t}`,
      );
    });
  }
  lines.push('# EOF');
  return `${lines.join('\n')}\n`;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** A running Prometheus. */
export interface TestPrometheus {
  baseUrl: string;
  /** Stops it (the data stays, for a restart). */
  stop(): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and removes its data. */
  dispose(): Promise<void>;
}

/**
 * Loads the samples into a new TSDB and starts Prometheus on it, with a
 * retention long enough for them and nothing to scrape.
 */
export async function startPrometheus(
  openMetrics: string,
  options?: {
    /** The port on 127.0.0.1; default a free one. */
    port?: number;
  },
): Promise<TestPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-prometheus-'));
  const data = path.join(dir, 'data');
  const input = path.join(dir, 'samples.om');
  fs.writeFileSync(input, openMetrics);
  execFileSync(
    PROMTOOL,
    ['tsdb', 'create-blocks-from', 'openmetrics', '--quiet', input, data],
    { stdio: 'pipe' },
  );
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, 'global:\n  scrape_interval: 1m\n');
  const port = options?.port ?? (await freePort());
  const baseUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  let log = '';

  const start = async () => {
    log = '';
    child = spawn(
      PROMETHEUS,
      [
        `--config.file=${configFile}`,
        `--storage.tsdb.path=${data}`,
        '--storage.tsdb.retention.time=3650d',
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', d => (log += d));
    child.stderr?.on('data', d => (log += d));
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) {
        throw new Error(`Prometheus exited at start-up:\n${log.slice(-2000)}`);
      }
      try {
        const response = await fetch(`${baseUrl}/-/ready`);
        if (response.ok) return;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) {
        throw new Error(
          `Prometheus was not ready in 60 s:\n${log.slice(-2000)}`,
        );
      }
      await new Promise(r => setTimeout(r, 200));
    }
  };
  const stop = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    await new Promise<void>(resolve => {
      running.once('exit', () => resolve());
      running.kill('SIGTERM');
      setTimeout(() => running.kill('SIGKILL'), 10_000).unref();
    });
  };
  await start();
  return {
    baseUrl,
    start,
    stop,
    async dispose() {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
