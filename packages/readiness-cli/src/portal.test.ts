import path from 'path';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import readinessPlugin from '@prodready/plugin-readiness-backend';
import { runCli } from './cli';

jest.setTimeout(120_000);

const EXAMPLES = path.resolve(__dirname, '../../../examples');

/** A check of the portal's own configuration: only tier-1 services pass. */
const TIER_ONE = {
  id: 'tier-one-only',
  title: 'Tier 1',
  area: 'sla',
  level: 'bronze',
  severity: 'error',
  rule: {
    fact: 'serviceLevels',
    path: '$.tier',
    operator: 'equal',
    value: 'tier-1',
  },
  messages: {
    pass: 'Tier 1.',
    fail: 'Tier {serviceLevels.tier|none}, not tier 1.',
  },
  remediation: 'Only tier 1 here.',
};
const PUSHED = {
  id: 'load-test-passed',
  title: 'Load test passed',
  area: 'performance',
  level: 'silver',
  severity: 'error',
  source: 'external',
  remediation: 'Push it from the pipeline.',
};

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

describe('readiness check --backend (the checks in force in a portal)', () => {
  it('evaluates the portal’s checks (its own configured ones included, pushed ones left out) and gates on them', async () => {
    const backend = await startTestBackend({
      features: [
        readinessPlugin,
        mockServices.rootConfig.factory({
          data: { readiness: { checks: [TIER_ONE, PUSHED] } },
        }),
        catalogServiceMock.factory({ entities: [] }),
      ],
    });
    try {
      const url = `http://localhost:${backend.server.port()}`;
      const args = (service: string, ...more: string[]) => [
        'check',
        EXAMPLES,
        '--catalog-file',
        'entities.yaml',
        '--entities',
        'service-levels.yaml',
        '--entity',
        service,
        '--now',
        '2026-11-26',
        '--backend',
        url,
        '--token',
        mockCredentials.user.token(),
        '--require',
        'tier-one-only',
        ...more,
      ];
      const tierOne = await run(args('payments-api', '--format', 'json'));
      expect(tierOne.stderr).toBe('');
      expect(tierOne.code).toBe(0);
      const report = JSON.parse(tierOne.stdout);
      const ids = report.scorecard.results.map((r: any) => r.checkId);
      expect(ids).toContain('tier-one-only');
      expect(ids).toContain('pdb-configured');
      expect(ids).not.toContain('load-test-passed');

      const tierTwo = await run(args('fraud-detection'));
      expect(tierTwo.code).toBe(1);
      expect(tierTwo.stdout).toContain(
        'note: left out, their results are pushed to the portal: load-test-passed',
      );
      expect(tierTwo.stdout).toMatch(
        /- tier-one-only is fail: Tier tier-2, not tier 1\./,
      );

      const noToken = await run([
        'check',
        EXAMPLES,
        '--backend',
        url,
        '--token',
        'not-a-token',
      ]);
      expect(noToken.code).toBe(2);
      expect(noToken.stderr).toMatch(
        /^readiness: the portal answered 401 to GET \/api\/readiness\/checks: /,
      );
    } finally {
      await backend.stop();
    }
    const unreachable = await run([
      'check',
      EXAMPLES,
      '--backend',
      'http://127.0.0.1:9',
      '--token',
      't',
    ]);
    expect(unreachable.code).toBe(2);
    expect(unreachable.stderr).toMatch(
      /^readiness: the portal at http:\/\/127\.0\.0\.1:9 cannot be reached: /,
    );
  });
});
