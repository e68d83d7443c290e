import { CheckDefinitionError, compileCheck, compileChecks } from '.';

const external = {
  id: 'load-test-passed',
  title: 'Load test passed at peak',
  area: 'performance',
  level: 'silver',
  severity: 'error',
  source: 'external',
  remediation: 'Run the load test in the pipeline and push its result.',
};
const NOW = Date.parse('2026-12-06T12:00:00Z');
const pushed = (over: object = {}) => ({
  external: {
    results: {
      'load-test-passed': {
        status: 'pass',
        message: 'p95 180 ms at 1200 rps',
        value: 180,
        detailsUrl: 'https://ci.example.com/runs/42',
        pushedBy: 'ci-pipeline',
        pushedAt: '2026-12-06T11:00:00Z',
        expiresAt: '2026-12-07T11:00:00Z',
        ...over,
      },
    },
  },
});

describe('external checks (source: external)', () => {
  const [check] = compileChecks([external]);

  it('stand for a rule over the external facts, and take the pushed result until it expires', () => {
    expect(check.definition).toMatchObject({
      source: 'external',
      rule: {
        fact: 'external',
        path: '$.results.load-test-passed.status',
        operator: 'equal',
        value: 'pass',
      },
    });
    expect(check.rule.factDocuments).toEqual(['external']);
    expect(check.evaluate(pushed(), { now: NOW })).toEqual({
      status: 'pass',
      message: 'p95 180 ms at 1200 rps',
      details:
        'Pushed by ci-pipeline at 2026-12-06T11:00:00Z; value 180; https://ci.example.com/runs/42.',
      missingFacts: [],
    });
    expect(
      check.evaluate(pushed({ status: 'fail', message: 'p95 450 ms' }), {
        now: NOW,
      }),
    ).toMatchObject({ status: 'fail', message: 'p95 450 ms' });
    // A warning check warns where a pushed result fails.
    const [warning] = compileChecks([{ ...external, severity: 'warning' }]);
    expect(
      warning.evaluate(pushed({ status: 'fail' }), { now: NOW }).status,
    ).toBe('warn');
    // Nothing pushed yet, and a result past its expiry.
    expect(check.evaluate({}, { now: NOW })).toMatchObject({
      status: 'error',
      message:
        'No result has been pushed for load-test-passed yet: a pipeline pushes it with POST /api/readiness/results/{kind}/{namespace}/{name}.',
    });
    expect(
      check.evaluate(pushed(), { now: Date.parse('2026-12-07T11:00:00Z') }),
    ).toMatchObject({
      status: 'error',
      message:
        'Stale: the result pushed at 2026-12-06T11:00:00Z expired at 2026-12-07T11:00:00Z; push a new one (it said: p95 180 ms at 1200 rps)',
    });
  });

  it('are invalid with a rule, messages, a dotted id or another source', () => {
    const problems = (raw: object) => {
      try {
        compileCheck(raw);
        return [];
      } catch (error) {
        return (error as CheckDefinitionError).problems;
      }
    };
    expect(
      problems({
        ...external,
        rule: { fact: 'entity', path: '$.a', operator: 'exists' },
      }),
    ).toEqual([
      expect.stringContaining(
        'an external check has no rule: its results are pushed',
      ),
    ]);
    expect(problems({ ...external, messages: { pass: 'ok' } })).toEqual([
      expect.stringContaining('an external check has no messages'),
    ]);
    expect(problems({ ...external, id: 'load.test' })).toEqual([
      expect.stringContaining(
        "the id of an external check may not contain '.'",
      ),
    ]);
    expect(problems({ ...external, source: 'pipeline' })).toEqual([
      expect.stringContaining(
        "source must be 'rule' or 'external'; got 'pipeline'",
      ),
      "Invalid readiness check 'load-test-passed': rule is required",
    ]);
  });
});
