import {
  CheckDefinitionError,
  compileCheck,
  fromTechInsightsCheck,
} from '@prodready/plugin-readiness-engine';

const options = { area: 'security', level: 'silver' } as const;

/** A jsonfc check with the given conditions. */
function jsonfcCheck(conditions: unknown, extra: Record<string, unknown> = {}) {
  return {
    id: 'secure-service',
    type: 'json-rules-engine',
    name: 'Secure service',
    description: 'The service is scanned and owned',
    factIds: ['scans'],
    rule: { conditions },
    ...extra,
  };
}

/** Evaluates a converted check on the `techInsights` document. */
function evaluate(definition: unknown, techInsights: Record<string, unknown>) {
  return compileCheck(definition, { knownFacts: ['techInsights'] }).evaluate(
    { techInsights },
    { now: Date.now() },
  ).status;
}

describe('fromTechInsightsCheck', () => {
  it('converts an `all` check into a readiness check on the techInsights facts', () => {
    const check = jsonfcCheck(
      {
        all: [
          { fact: 'scanned', operator: 'equal', value: true },
          { fact: 'criticalVulnerabilities', operator: 'lessThan', value: 1 },
        ],
      },
      { links: [{ title: 'Why', url: 'https://docs.example.com/scans' }] },
    );
    const before = JSON.stringify(check);

    const definition = fromTechInsightsCheck(check, options);

    expect(JSON.stringify(check)).toBe(before);
    expect(definition).toEqual({
      id: 'secure-service',
      title: 'Secure service',
      description: 'The service is scanned and owned',
      area: 'security',
      level: 'silver',
      severity: 'error',
      remediation:
        "Make the facts of the Tech Insights check 'Secure service' hold.",
      docsUrl: 'https://docs.example.com/scans',
      rule: {
        all: [
          {
            fact: 'techInsights',
            path: '$.scans.scanned',
            operator: 'equal',
            value: true,
          },
          {
            fact: 'techInsights',
            path: '$.scans.criticalVulnerabilities',
            operator: 'lessThan',
            value: 1,
          },
        ],
      },
    });
    expect(
      evaluate(definition, {
        scans: { scanned: true, criticalVulnerabilities: 0 },
      }),
    ).toBe('pass');
    expect(
      evaluate(definition, {
        scans: { scanned: true, criticalVulnerabilities: 2 },
      }),
    ).toBe('fail');
  });

  it('converts `any` and nested `all`/`any`/`not`, with retrievers from params or factRetrieverOf', () => {
    const check = jsonfcCheck(
      {
        any: [
          {
            all: [
              {
                fact: 'hasOwner',
                operator: 'equal',
                value: true,
                params: { factRetrieverId: 'ownership' },
              },
              {
                not: {
                  fact: 'lifecycle',
                  operator: 'in',
                  value: ['experimental', 'deprecated'],
                },
              },
            ],
          },
          { fact: 'waived', operator: 'equal', value: true },
        ],
      },
      { factIds: ['ownership', 'metadata', 'exceptions'] },
    );
    const retrievers: Record<string, string> = {
      lifecycle: 'metadata',
      waived: 'exceptions',
    };

    const definition = fromTechInsightsCheck(check, {
      ...options,
      severity: 'warning',
      remediation: 'Ask the platform team.',
      factRetrieverOf: name => retrievers[name],
    });

    expect(definition.rule).toEqual({
      any: [
        {
          all: [
            {
              fact: 'techInsights',
              path: '$.ownership.hasOwner',
              operator: 'equal',
              value: true,
            },
            {
              not: {
                fact: 'techInsights',
                path: '$.metadata.lifecycle',
                operator: 'in',
                value: ['experimental', 'deprecated'],
              },
            },
          ],
        },
        {
          fact: 'techInsights',
          path: '$.exceptions.waived',
          operator: 'equal',
          value: true,
        },
      ],
    });
    expect(definition.severity).toBe('warning');
    expect(definition.remediation).toBe('Ask the platform team.');
    const facts = (owner: boolean, lifecycle: string, waived: boolean) => ({
      ownership: { hasOwner: owner },
      metadata: { lifecycle },
      exceptions: { waived },
    });
    expect(evaluate(definition, facts(true, 'production', false))).toBe('pass');
    expect(evaluate(definition, facts(true, 'deprecated', false))).toBe('warn');
    expect(evaluate(definition, facts(false, 'deprecated', true))).toBe('pass');
  });

  it('appends a json-rules-engine path, converts fact operands and quotes odd names', () => {
    const definition = fromTechInsightsCheck(
      jsonfcCheck(
        {
          all: [
            {
              fact: 'hpa',
              path: '$.spec.maxReplicas',
              operator: 'greaterThanInclusive',
              value: { fact: 'hpa', path: '$.spec.minReplicas' },
            },
            { fact: 'ci status', operator: 'equal', value: 'green' },
          ],
        },
        { factIds: ['k8s.facts'] },
      ),
      options,
    );
    expect(definition.rule).toEqual({
      all: [
        {
          fact: 'techInsights',
          path: "$['k8s.facts'].hpa.spec.maxReplicas",
          operator: 'greaterThanInclusive',
          value: {
            fact: 'techInsights',
            path: "$['k8s.facts'].hpa.spec.minReplicas",
          },
        },
        {
          fact: 'techInsights',
          path: "$['k8s.facts']['ci status']",
          operator: 'equal',
          value: 'green',
        },
      ],
    });
    const facts = (max: number) => ({
      'k8s.facts': {
        hpa: { spec: { minReplicas: 2, maxReplicas: max } },
        'ci status': 'green',
      },
    });
    expect(evaluate(definition, facts(6))).toBe('pass');
    expect(evaluate(definition, facts(1))).toBe('fail');
  });

  it("turns jsonfc's entity filter into applicability", () => {
    const definition = fromTechInsightsCheck(
      jsonfcCheck(
        { all: [{ fact: 'scanned', operator: 'equal', value: true }] },
        {
          filter: {
            kind: 'component',
            'spec.type': ['service', 'website'],
            'spec.lifecycle': 'production',
          },
        },
      ),
      options,
    );
    expect(definition.applicability).toEqual({
      kinds: ['component'],
      types: ['service', 'website'],
      lifecycles: ['production'],
    });
  });

  it('rejects an unsupported operator with a clear error', () => {
    const convert = () =>
      fromTechInsightsCheck(
        jsonfcCheck({
          all: [
            { fact: 'scanned', operator: 'equal', value: true },
            { fact: 'score', operator: 'isEven', value: true },
          ],
        }),
        options,
      );
    expect(convert).toThrow(CheckDefinitionError);
    expect(convert).toThrow(
      "Tech Insights check 'secure-service': rule.conditions.all[1].operator 'isEven' is not supported by the readiness engine; expected one of equal, notEqual,",
    );
    // A custom operator registered with the readiness engine is accepted.
    expect(
      fromTechInsightsCheck(
        jsonfcCheck({
          all: [{ fact: 'score', operator: 'isEven', value: true }],
        }),
        { ...options, operators: ['isEven'] },
      ).rule,
    ).toEqual({
      all: [
        {
          fact: 'techInsights',
          path: '$.scans.score',
          operator: 'isEven',
          value: true,
        },
      ],
    });
  });

  it('rejects what it cannot convert, naming the check and the condition', () => {
    const problems = (check: unknown) => {
      try {
        fromTechInsightsCheck(check as any, options);
      } catch (error) {
        return (error as CheckDefinitionError).problems;
      }
      throw new Error('expected an error');
    };
    expect(
      problems(
        jsonfcCheck(
          { all: [{ fact: 'hasOwner', operator: 'equal', value: true }] },
          { factIds: ['a', 'b'] },
        ),
      ),
    ).toEqual([
      "Tech Insights check 'secure-service': rule.conditions.all[0]: cannot tell which fact retriever provides fact 'hasOwner' (factIds: a, b); set params.factRetrieverId on the condition or pass factRetrieverOf",
    ]);
    expect(problems(jsonfcCheck({ condition: 'sharedScanned' }))).toEqual([
      "Tech Insights check 'secure-service': rule.conditions.condition: shared conditions ('condition: sharedScanned') are not supported; write the condition out in the rule",
    ]);
    expect(
      problems(
        jsonfcCheck(
          { any: [{ fact: 'x', operator: 'equal', value: 1, event: {} }] },
          { filter: [{ kind: 'component' }, { kind: 'api' }] },
        ),
      ),
    ).toEqual([
      "Tech Insights check 'secure-service': rule.conditions.any[0] has unsupported field event",
      "Tech Insights check 'secure-service': filter: a list of filters (any of them) is not supported; use one filter, or one readiness check per filter",
    ]);
    expect(
      problems(
        jsonfcCheck(
          { all: [{ fact: 'x', operator: 'equal', value: 1 }] },
          { filter: { 'metadata.name': 'x' } },
        ),
      ),
    ).toEqual([
      `Tech Insights check 'secure-service': filter.metadata.name is not supported; a filter may use kind, spec.type, spec.lifecycle and metadata.annotations["prodready.dev/tier"]`,
    ]);
    expect(problems({ id: 'x', name: 'x', factIds: [], rule: {} })).toEqual([
      "Tech Insights check 'x': rule.conditions is required",
    ]);
  });
});
