import { spawnSync } from 'child_process';
import fs from 'fs';
import os from 'os';
import path from 'path';
import { runCli } from './cli';

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES = path.join(ROOT, 'examples');
const NOW = '2026-11-26';

async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, {
    stdout: text => {
      stdout += text;
    },
    stderr: text => {
      stderr += text;
    },
  });
  return { code, stdout, stderr };
}

/** `readiness check` on the example catalog, for one service. */
function exampleArgs(service: string, ...more: string[]) {
  return [
    'check',
    EXAMPLES,
    '--catalog-file',
    'entities.yaml',
    '--entities',
    'service-levels.yaml',
    '--entity',
    service,
    '--now',
    NOW,
    ...more,
  ];
}

const SERVICES_WITH_REPOSITORIES = fs
  .readdirSync(path.join(EXAMPLES, 'repos'))
  .sort();

/** The levels of the example services (examples/README.md). */
const LEVELS: Record<string, string | null> = {
  'auth-service': 'silver',
  'cart-service': null,
  'checkout-api': 'silver',
  'fraud-detection': null,
  'ledger-service': 'silver',
  'order-service': null,
  'payments-api': 'silver',
  'product-search': null,
  'refund-service': 'silver',
  'user-profile-service': null,
};

describe('readiness check', () => {
  it('covers every example repository', () => {
    expect(SERVICES_WITH_REPOSITORIES).toEqual(Object.keys(LEVELS).sort());
  });

  it.each(SERVICES_WITH_REPOSITORIES)(
    '%s: scores its repository and gates on silver',
    async service => {
      const { code, stdout, stderr } = await run(
        exampleArgs(service, '--format', 'json', '--min-level', 'silver'),
      );
      const report = JSON.parse(stdout);
      expect(report.entityRef).toBe(`component:default/${service}`);
      expect(report.level).toBe(LEVELS[service]);
      // Its deployment files were read from disk.
      expect(report.facts.deployment.location.found).toBe(true);
      expect(report.scorecard.results).toHaveLength(44);
      const silver = LEVELS[service] === 'silver';
      expect({
        code,
        passed: report.gate.passed,
        failures: report.gate.failures.map((f: string) =>
          f.replace(/: [a-z-]+(, [a-z-]+)* must pass$/, ': <checks> must pass'),
        ),
        stderr: stderr.startsWith('readiness: the gate failed:'),
      }).toEqual(
        silver
          ? { code: 0, passed: true, failures: [], stderr: false }
          : {
              code: 1,
              passed: false,
              failures: ['the level is none, below silver: <checks> must pass'],
              stderr: true,
            },
      );
    },
  );

  it('prints a table with the failing checks first, and fails on a named check', async () => {
    const { code, stdout } = await run(
      exampleArgs('fraud-detection', '--require', 'pdb-configured,ingress-tls'),
    );
    expect(code).toBe(1);
    const lines = stdout.split('\n');
    expect(lines[0]).toMatch(
      /^component:default\/fraud-detection: no level \(\d+ pass, \d+ fail, \d+ warn, 0 error, \d+ not applicable\)$/,
    );
    expect(lines[3]).toMatch(/^status\s+check\s+level\s+message$/);
    expect(lines[4]).toMatch(/^fail\s/);
    expect(stdout).toMatch(
      /fail\s+pdb-configured\s+silver\s+No PodDisruptionBudget selects the pods of `fraud-detection`/,
    );
    // ingress-tls does not apply to an internal service: it passes the gate.
    expect(stdout).toMatch(
      /gate: FAILED\n {2}- pdb-configured is fail: No PodDisruptionBudget selects the pods of `fraud-detection`/,
    );
    expect(stdout).not.toMatch(/- ingress-tls is/);
  });

  it('writes SARIF for code scanning: a rule per check, a result per failing check at the catalog file', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-cli-'));
    const output = path.join(dir, 'readiness.sarif');
    const { code, stderr } = await run(
      exampleArgs('cart-service', '--format', 'sarif', '--output', output),
    );
    expect(code).toBe(0); // no gate asked for
    expect(stderr).toBe(
      `readiness: component:default/cart-service is below every level; the sarif report is in ${output}\n`,
    );
    const sarif = JSON.parse(fs.readFileSync(output, 'utf8'));
    expect(sarif.version).toBe('2.1.0');
    const run0 = sarif.runs[0];
    expect(run0.tool.driver.rules).toHaveLength(44);
    expect(run0.tool.driver.rules[0]).toMatchObject({
      id: 'sla-defined',
      shortDescription: { text: expect.any(String) },
      help: { text: expect.any(String) },
    });
    const probes = run0.results.find(
      (r: { ruleId: string }) => r.ruleId === 'probes-configured',
    );
    expect(probes).toMatchObject({
      level: 'error',
      locations: [
        { physicalLocation: { artifactLocation: { uri: 'entities.yaml' } } },
      ],
    });
    expect(
      run0.results.every((r: { level: string }) =>
        ['error', 'warning'].includes(r.level),
      ),
    ).toBe(true);
  });

  it('fails a broken repository with the reasons, and refuses bad commands with exit code 2', async () => {
    const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-broken-'));
    fs.mkdirSync(path.join(repo, 'deploy'));
    fs.writeFileSync(
      path.join(repo, 'catalog-info.yaml'),
      `apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: broken-service
  annotations:
    prodready.dev/rto: '4 hours'
    prodready.dev/deployment-path: deploy
spec:
  type: service
  lifecycle: production
  owner: team-a
`,
    );
    fs.writeFileSync(
      path.join(repo, 'deploy', 'deployment.yaml'),
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: [unclosed\n',
    );
    const broken = await run([
      'check',
      repo,
      '--min-level',
      'bronze',
      '--require',
      'manifests-consistent',
      '--now',
      NOW,
    ]);
    expect(broken.code).toBe(1);
    expect(broken.stdout).toMatch(/gate: FAILED/);
    expect(broken.stdout).toMatch(
      /- manifests-consistent is fail: .*deployment\.yaml/,
    );
    expect(broken.stdout).toMatch(
      /fail\s+service-levels-valid\s+bronze\s+.*prodready\.dev\/rto/,
    );

    const usage = async (args: string[], message: string) => {
      const result = await run(args);
      expect({ code: result.code, stderr: result.stderr }).toEqual({
        code: 2,
        stderr: expect.stringContaining(message),
      });
    };
    await usage(
      ['check', path.join(repo, 'nope')],
      `${path.join(repo, 'nope')} is not a directory`,
    );
    await usage(
      ['check', EXAMPLES],
      `${path.join(EXAMPLES, 'catalog-info.yaml')} does not exist`,
    );
    await usage(
      ['check', EXAMPLES, '--catalog-file', 'entities.yaml'],
      'entities.yaml has 19 Components',
    );
    await usage(
      exampleArgs('fraud-detection', '--min-level', 'platinum'),
      "--min-level 'platinum' is not a level; expected one of bronze, silver, gold",
    );
    await usage(
      exampleArgs('fraud-detection', '--require', 'pdb'),
      "--require names unknown check 'pdb'",
    );
    await usage(
      exampleArgs('fraud-detection', '--format', 'xml'),
      "--format 'xml' is not a format",
    );
    await usage(
      exampleArgs('fraud-detection', '--now', 'yesterday'),
      "--now 'yesterday' is not a date",
    );
    await usage(
      ['check', EXAMPLES, '--frobnicate'],
      "Unknown option '--frobnicate'",
    );
    await usage(['deploy'], "unknown arguments 'deploy'");
  });

  it('runs as a program: bin/readiness exits with the gate', () => {
    const bin = path.resolve(__dirname, '../bin/readiness');
    const result = spawnSync(
      process.execPath,
      [bin, ...exampleArgs('payments-api', '--min-level', 'silver')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^component:default\/payments-api: Silver /);
    expect(result.stdout).toContain('gate: passed');
    const failing = spawnSync(
      process.execPath,
      [bin, ...exampleArgs('order-service', '--min-level', 'bronze')],
      { encoding: 'utf8', timeout: 60_000 },
    );
    expect(failing.status).toBe(1);
    expect(failing.stdout).toContain('gate: FAILED');
  });
});
