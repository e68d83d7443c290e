import { CheckDefinitionError, compileChecks } from '.';
import { evaluateChecks } from '../scoring/evaluate';

const check = {
  id: 'observed-latency',
  title: 'Observed p95 latency meets the target',
  area: 'performance',
  level: 'silver',
  severity: 'error',
  appliesWhen: {
    fact: 'observed',
    path: '$.status',
    operator: 'equal',
    value: 'ok',
  },
  rule: {
    fact: 'observed',
    path: '$.p95Ms',
    operator: 'lessThanInclusive',
    value: 200,
  },
  messages: {
    pass: 'p95 {observed.p95Ms} ms',
    fail: 'p95 {observed.p95Ms} ms, above 200 ms',
    notApplicable: 'No request metrics in {observed.window|the window}',
  },
  remediation: 'Make it faster.',
};
const now = Date.parse('2026-12-06T12:00:00Z');

describe('appliesWhen', () => {
  const [compiled] = compileChecks([check]);

  it('evaluates the rule only where appliesWhen holds', () => {
    expect(
      compiled.evaluate({ observed: { status: 'ok', p95Ms: 120 } }, { now }),
    ).toMatchObject({ status: 'pass', message: 'p95 120 ms.' });
    expect(
      compiled.evaluate({ observed: { status: 'ok', p95Ms: 450 } }, { now }),
    ).toMatchObject({ status: 'fail', message: 'p95 450 ms, above 200 ms.' });
  });

  it('is not applicable, with its message, where appliesWhen does not hold', () => {
    expect(
      compiled.evaluate(
        { observed: { status: 'no-data', window: '28d' } },
        { now },
      ),
    ).toEqual({
      status: 'not-applicable',
      message: 'No request metrics in 28d.',
      missingFacts: [],
    });
  });

  it('is not applicable where the fact document was not collected, and says which', () => {
    const [plain] = compileChecks([
      { ...check, messages: { pass: 'p95 {observed.p95Ms} ms' } },
    ]);
    expect(plain.evaluate({}, { now })).toEqual({
      status: 'not-applicable',
      message:
        'Not applicable: no observed facts were collected for this entity.',
      missingFacts: [],
    });
  });

  it('gives not-applicable results through evaluateChecks', () => {
    const entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'svc' },
      spec: {},
    };
    expect(
      evaluateChecks([compiled], {
        entity,
        entityRef: 'component:default/svc',
        facts: { observed: { status: 'no-data' } },
        now: new Date(now),
      }),
    ).toEqual([
      expect.objectContaining({
        checkId: 'observed-latency',
        status: 'not-applicable',
        message: 'No request metrics in the window.',
      }),
    ]);
  });

  it('keeps appliesWhen in the validated definition', () => {
    expect(compiled.definition.appliesWhen).toEqual(check.appliesWhen);
  });

  it('is validated like a rule, with problems under appliesWhen', () => {
    expect(() =>
      compileChecks([
        {
          ...check,
          appliesWhen: { fact: 'observed', path: '$.status', operator: 'eq' },
        },
      ]),
    ).toThrow(CheckDefinitionError);
    expect(() =>
      compileChecks([
        {
          ...check,
          appliesWhen: { fact: 'observed', path: '$.status', operator: 'eq' },
        },
      ]),
    ).toThrow(/appliesWhen/);
    expect(() =>
      compileChecks([
        {
          ...check,
          source: 'external',
          rule: undefined,
          messages: undefined,
        },
      ]),
    ).toThrow(
      'an external check has no appliesWhen: it applies wherever a result is pushed',
    );
  });
});
