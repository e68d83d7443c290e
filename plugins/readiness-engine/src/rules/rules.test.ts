import type { CheckOperator } from '../types';
import { CheckRule, parseIsoDate } from '@prodready/plugin-readiness-common';
import { RuleFacts, RuleOutcome, compileRule } from './compileRule';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = Date.parse('2025-06-15T12:00:00Z');
const context = { now: NOW };

const facts: RuleFacts = {
  deployment: {
    replicas: 3,
    hpa: { minReplicas: 2, maxReplicas: 18, cpuTargetPercent: 70 },
    pdb: { minAvailable: 1 },
    containers: [
      {
        name: 'app',
        image: 'registry.example.com/payments:1.4.2',
        version: '1.4.2',
        probes: ['liveness', 'readiness'],
      },
      { name: 'envoy', version: 'v1.30.0-rc.1' },
    ],
    labels: { 'app.kubernetes.io/name': 'payments' },
    strategy: 'blue-green',
    ingress: { tls: true, hosts: ['pay.example.com'] },
    networkPolicy: null,
  },
  sla: {
    availability: 99.95,
    availabilityText: '99.95%',
    errorBudget: '0.1%',
    rtoMs: 4 * HOUR,
    rto: '4h',
    rpo: '15m',
    lastDrTest: '2025-03-01',
    lastDrTestParsed: { iso: '2025-03-01', epochMs: Date.parse('2025-03-01') },
    lastBackupAt: '2025-06-15T06:00:00Z',
  },
  catalog: {
    kind: 'Component',
    metadata: {
      name: 'payments',
      tags: ['java', 'payments'],
      annotations: { 'prodready.dev/tier': 'tier-1' },
    },
    spec: { lifecycle: 'production', type: 'service' },
  },
  capacity: { requiredReplicas: 6, peakRps: 1200, budget: 'lots' },
};

function evaluate(
  rule: unknown,
  options: { facts?: RuleFacts; operators?: CheckOperator[] } = {},
): RuleOutcome {
  return compileRule(rule, {
    checkId: 'test',
    operators: options.operators,
  }).evaluate(options.facts ?? facts, context);
}

function passing(reasons: string[]): RuleOutcome {
  return { verdict: 'pass', passed: true, reasons, missingFacts: [] };
}

function failing(reasons: string[]): RuleOutcome {
  return { verdict: 'fail', passed: false, reasons, missingFacts: [] };
}

describe('compileRule operators', () => {
  it.each<[string, CheckRule, string[]]>([
    // json-rules-engine defaults
    [
      'equal',
      { fact: 'deployment.strategy', operator: 'equal', value: 'blue-green' },
      ["deployment.strategy is 'blue-green' (= 'blue-green')"],
    ],
    [
      'equal with an object value (deep)',
      {
        fact: 'deployment.pdb',
        operator: 'equal',
        value: { minAvailable: 1 },
      },
      ['deployment.pdb is {"minAvailable":1} (= {"minAvailable":1})'],
    ],
    [
      'notEqual',
      {
        fact: 'catalog.spec.lifecycle',
        operator: 'notEqual',
        value: 'experimental',
      },
      ["catalog.spec.lifecycle is 'production' (≠ 'experimental')"],
    ],
    [
      'lessThan',
      { fact: 'deployment.hpa.minReplicas', operator: 'lessThan', value: 3 },
      ['deployment.hpa.minReplicas is 2 (< 3)'],
    ],
    [
      'lessThanInclusive',
      {
        fact: 'deployment.hpa.maxReplicas',
        operator: 'lessThanInclusive',
        value: 18,
      },
      ['deployment.hpa.maxReplicas is 18 (≤ 18)'],
    ],
    [
      'greaterThan',
      { fact: 'deployment.replicas', operator: 'greaterThan', value: 2 },
      ['deployment.replicas is 3 (> 2)'],
    ],
    [
      'greaterThanInclusive',
      {
        fact: 'deployment',
        path: '$.hpa.maxReplicas',
        operator: 'greaterThanInclusive',
        value: 6,
      },
      ['deployment.hpa.maxReplicas is 18 (≥ 6)'],
    ],
    [
      'in',
      {
        fact: 'catalog.spec.lifecycle',
        operator: 'in',
        value: ['production', 'staging'],
      },
      [
        "catalog.spec.lifecycle is 'production' (one of 'production', 'staging')",
      ],
    ],
    [
      'notIn',
      { fact: 'deployment.strategy', operator: 'notIn', value: ['recreate'] },
      ["deployment.strategy is 'blue-green' (none of 'recreate')"],
    ],
    [
      'contains on a list',
      { fact: 'catalog.metadata.tags', operator: 'contains', value: 'java' },
      ['catalog.metadata.tags is ["java","payments"] (contains \'java\')'],
    ],
    [
      'contains on a string',
      {
        fact: 'deployment.containers[0].image',
        operator: 'contains',
        value: 'payments',
      },
      [
        "deployment.containers[0].image is 'registry.example.com/payments:1.4.2' (contains 'payments')",
      ],
    ],
    [
      'doesNotContain',
      {
        fact: 'catalog.metadata.tags',
        operator: 'doesNotContain',
        value: 'deprecated',
      },
      [
        'catalog.metadata.tags is ["java","payments"] (does not contain \'deprecated\')',
      ],
    ],
    // ours
    [
      'exists',
      { fact: 'deployment.pdb', operator: 'exists', value: true },
      ['deployment.pdb is present'],
    ],
    [
      'exists without a value',
      { fact: 'deployment.pdb', operator: 'exists' } as unknown as CheckRule,
      ['deployment.pdb is present'],
    ],
    [
      'notExists (null counts as missing)',
      { fact: 'deployment.networkPolicy', operator: 'notExists', value: true },
      ['deployment.networkPolicy is null'],
    ],
    [
      'durationAtMost on milliseconds',
      { fact: 'sla.rtoMs', operator: 'durationAtMost', value: '4h' },
      ['sla.rtoMs is 4h (at most 4h)'],
    ],
    [
      'durationAtMost on a duration string',
      { fact: 'sla.rpo', operator: 'durationAtMost', value: '1h' },
      ["sla.rpo is '15m' (at most 1h)"],
    ],
    [
      'durationAtLeast',
      { fact: 'sla.rto', operator: 'durationAtLeast', value: 'PT1H' },
      ["sla.rto is '4h' (at least 1h)"],
    ],
    [
      'percentageAtLeast on a number',
      {
        fact: 'sla.availability',
        operator: 'percentageAtLeast',
        value: '99.9%',
      },
      ['sla.availability is 99.95% (at least 99.9%)'],
    ],
    [
      'percentageAtLeast on a string, with a number operand',
      {
        fact: 'sla.availabilityText',
        operator: 'percentageAtLeast',
        value: 99.9,
      },
      ["sla.availabilityText is '99.95%' (at least 99.9%)"],
    ],
    [
      'percentageAtMost',
      { fact: 'sla.errorBudget', operator: 'percentageAtMost', value: '0.5' },
      ["sla.errorBudget is '0.1%' (at most 0.5%)"],
    ],
    [
      'dateWithin on a date string',
      { fact: 'sla.lastDrTest', operator: 'dateWithin', value: '365d' },
      ['sla.lastDrTest is 2025-03-01, 106d ago (within the last 365d)'],
    ],
    [
      'dateWithin on a parsed date',
      { fact: 'sla.lastDrTestParsed', operator: 'dateWithin', value: 'P365D' },
      ['sla.lastDrTestParsed is 2025-03-01, 106d ago (within the last 365d)'],
    ],
    [
      'dateWithin on a timestamp',
      { fact: 'sla.lastBackupAt', operator: 'dateWithin', value: '1d' },
      ['sla.lastBackupAt is 2025-06-15T06:00:00Z, 6h ago (within the last 1d)'],
    ],
    [
      'semverAtLeast',
      {
        fact: 'deployment.containers[0].version',
        operator: 'semverAtLeast',
        value: '1.4.0',
      },
      ["deployment.containers[0].version is '1.4.2' (≥ 1.4.0)"],
    ],
    [
      'semverLessThan with a pre-release',
      {
        fact: 'deployment.containers[1].version',
        operator: 'semverLessThan',
        value: '1.30.0',
      },
      ["deployment.containers[1].version is 'v1.30.0-rc.1' (< 1.30.0)"],
    ],
    [
      'matches',
      {
        fact: 'deployment.containers[0].image',
        operator: 'matches',
        value: ':\\d+\\.\\d+\\.\\d+$',
      },
      [
        "deployment.containers[0].image is 'registry.example.com/payments:1.4.2' (matches /:\\d+\\.\\d+\\.\\d+$/)",
      ],
    ],
    [
      'matches with flags',
      { fact: 'deployment.strategy', operator: 'matches', value: '/^BLUE/i' },
      ["deployment.strategy is 'blue-green' (matches /^BLUE/i)"],
    ],
  ])('%s passes', (_, rule, reasons) => {
    expect(evaluate(rule)).toEqual(passing(reasons));
  });

  it.each<[string, CheckRule, string[]]>([
    [
      'equal',
      {
        fact: 'catalog.spec.lifecycle',
        operator: 'equal',
        value: 'experimental',
      },
      ["catalog.spec.lifecycle is 'production'; expected 'experimental'"],
    ],
    [
      'equal (strict: no type coercion)',
      { fact: 'deployment.replicas', operator: 'equal', value: '3' },
      ["deployment.replicas is 3; expected '3'"],
    ],
    [
      'notEqual',
      {
        fact: 'deployment.strategy',
        operator: 'notEqual',
        value: 'blue-green',
      },
      ["deployment.strategy is 'blue-green'; expected not 'blue-green'"],
    ],
    [
      'lessThan',
      { fact: 'deployment.replicas', operator: 'lessThan', value: 3 },
      ['deployment.replicas is 3; expected < 3'],
    ],
    [
      'lessThanInclusive',
      {
        fact: 'deployment.hpa.maxReplicas',
        operator: 'lessThanInclusive',
        value: 10,
      },
      ['deployment.hpa.maxReplicas is 18; expected ≤ 10'],
    ],
    [
      'greaterThan',
      { fact: 'deployment.replicas', operator: 'greaterThan', value: 3 },
      ['deployment.replicas is 3; expected > 3'],
    ],
    [
      'greaterThanInclusive',
      {
        fact: 'deployment.hpa.minReplicas',
        operator: 'greaterThanInclusive',
        value: 6,
      },
      ['deployment.hpa.minReplicas is 2; expected ≥ 6'],
    ],
    [
      'in',
      {
        fact: 'catalog.spec.type',
        operator: 'in',
        value: ['website', 'library'],
      },
      ["catalog.spec.type is 'service'; expected one of 'website', 'library'"],
    ],
    [
      'notIn',
      { fact: 'catalog.spec.type', operator: 'notIn', value: ['service'] },
      ["catalog.spec.type is 'service'; expected none of 'service'"],
    ],
    [
      'contains',
      {
        fact: 'deployment.containers[0].probes',
        operator: 'contains',
        value: 'startup',
      },
      [
        'deployment.containers[0].probes is ["liveness","readiness"]; expected to contain \'startup\'',
      ],
    ],
    [
      'doesNotContain',
      {
        fact: 'catalog.metadata.tags',
        operator: 'doesNotContain',
        value: 'java',
      },
      [
        'catalog.metadata.tags is ["java","payments"]; expected not to contain \'java\'',
      ],
    ],
    [
      'exists',
      { fact: 'deployment.hpa.behavior', operator: 'exists', value: true },
      ['deployment.hpa.behavior is missing'],
    ],
    [
      'exists on null',
      { fact: 'deployment.networkPolicy', operator: 'exists', value: true },
      ['deployment.networkPolicy is null'],
    ],
    [
      'notExists',
      { fact: 'deployment.pdb', operator: 'notExists', value: true },
      ['deployment.pdb is present; expected it to be missing'],
    ],
    [
      'durationAtMost',
      { fact: 'sla.rtoMs', operator: 'durationAtMost', value: '1h' },
      ['sla.rtoMs is 4h; expected at most 1h'],
    ],
    [
      'durationAtLeast',
      { fact: 'sla.rpo', operator: 'durationAtLeast', value: '1h 30m' },
      ["sla.rpo is '15m'; expected at least 1h 30m"],
    ],
    [
      'percentageAtLeast',
      {
        fact: 'sla.availability',
        operator: 'percentageAtLeast',
        value: '99.99',
      },
      ['sla.availability is 99.95%; expected at least 99.99%'],
    ],
    [
      'percentageAtMost',
      { fact: 'sla.errorBudget', operator: 'percentageAtMost', value: '0.05%' },
      ["sla.errorBudget is '0.1%'; expected at most 0.05%"],
    ],
    [
      'dateWithin',
      { fact: 'sla.lastDrTest', operator: 'dateWithin', value: '90d' },
      ['sla.lastDrTest is 2025-03-01, 106d ago; expected within the last 90d'],
    ],
    [
      'semverAtLeast',
      {
        fact: 'deployment.containers[1].version',
        operator: 'semverAtLeast',
        value: '1.30.0',
      },
      ["deployment.containers[1].version is 'v1.30.0-rc.1'; expected ≥ 1.30.0"],
    ],
    [
      'semverLessThan',
      {
        fact: 'deployment.containers[0].version',
        operator: 'semverLessThan',
        value: '1.4.2',
      },
      ["deployment.containers[0].version is '1.4.2'; expected < 1.4.2"],
    ],
    [
      'matches',
      { fact: 'deployment.strategy', operator: 'matches', value: '^canary' },
      ["deployment.strategy is 'blue-green'; expected to match /^canary/"],
    ],
  ])('%s fails', (_, rule, reasons) => {
    expect(evaluate(rule)).toEqual(failing(reasons));
  });
});

describe('compileRule paths', () => {
  it.each<[string, Partial<CheckRule>, string]>([
    [
      'a JSONPath',
      { fact: 'deployment', path: '$.hpa.maxReplicas' },
      'deployment.hpa.maxReplicas is 18 (= 18)',
    ],
    [
      'a dotted fact',
      { fact: 'deployment.hpa.maxReplicas' },
      'deployment.hpa.maxReplicas is 18 (= 18)',
    ],
    [
      'a dotted fact and a path',
      { fact: 'deployment.hpa', path: '$.maxReplicas' },
      'deployment.hpa.maxReplicas is 18 (= 18)',
    ],
    [
      'a path without $',
      { fact: 'deployment', path: 'hpa.maxReplicas' },
      'deployment.hpa.maxReplicas is 18 (= 18)',
    ],
    [
      'a bracket key',
      { fact: 'deployment', path: "$['hpa']['maxReplicas']" },
      'deployment.hpa.maxReplicas is 18 (= 18)',
    ],
  ])('reads %s', (_, where, reason) => {
    expect(evaluate({ ...where, operator: 'equal', value: 18 })).toEqual(
      passing([reason]),
    );
  });

  it('reads array indexes in the path and in the dotted fact', () => {
    expect(
      evaluate({
        fact: 'deployment',
        path: '$.containers[1].name',
        operator: 'equal',
        value: 'envoy',
      }),
    ).toEqual(
      passing(["deployment.containers[1].name is 'envoy' (= 'envoy')"]),
    );
    expect(
      evaluate({
        fact: 'deployment.containers[0].probes[1]',
        operator: 'equal',
        value: 'readiness',
      }),
    ).toEqual(
      passing([
        "deployment.containers[0].probes[1] is 'readiness' (= 'readiness')",
      ]),
    );
    expect(
      evaluate({
        fact: 'deployment',
        path: '$.containers.0.name',
        operator: 'equal',
        value: 'app',
      }),
    ).toEqual(passing(["deployment.containers[0].name is 'app' (= 'app')"]));
  });

  it('reads keys with dots and slashes, and shows them in brackets', () => {
    expect(
      evaluate({
        fact: 'catalog',
        path: "$.metadata.annotations['prodready.dev/tier']",
        operator: 'in',
        value: ['tier-1', 'tier-2'],
      }),
    ).toEqual(
      passing([
        "catalog.metadata.annotations['prodready.dev/tier'] is 'tier-1' (one of 'tier-1', 'tier-2')",
      ]),
    );
    expect(
      evaluate({
        fact: 'deployment.labels["app.kubernetes.io/name"]',
        operator: 'equal',
        value: 'payments',
      }),
    ).toEqual(
      passing([
        "deployment.labels['app.kubernetes.io/name'] is 'payments' (= 'payments')",
      ]),
    );
  });

  it('reads the length of lists and strings', () => {
    expect(
      evaluate({
        fact: 'deployment',
        path: '$.containers.length',
        operator: 'greaterThanInclusive',
        value: 2,
      }),
    ).toEqual(passing(['deployment.containers.length is 2 (≥ 2)']));
    expect(
      evaluate({
        fact: 'catalog.metadata.name.length',
        operator: 'lessThanInclusive',
        value: 63,
      }),
    ).toEqual(passing(['catalog.metadata.name.length is 8 (≤ 63)']));
  });

  it('reads the whole document with $', () => {
    expect(
      evaluate({
        fact: 'capacity',
        path: '$',
        operator: 'exists',
        value: true,
      }),
    ).toEqual(passing(['capacity is present']));
  });

  it('treats out-of-range indexes, missing keys and scalars as missing', () => {
    expect(
      evaluate({
        fact: 'deployment.containers[5].name',
        operator: 'exists',
        value: true,
      }),
    ).toEqual(failing(['deployment.containers[5].name is missing']));
    expect(
      evaluate({
        fact: 'deployment.strategy.name',
        operator: 'exists',
        value: true,
      }),
    ).toEqual(failing(['deployment.strategy.name is missing']));
    expect(
      evaluate({ fact: 'deployment.hpa[0]', operator: 'exists', value: true }),
    ).toEqual(failing(['deployment.hpa[0] is missing']));
    expect(
      evaluate({
        fact: 'deployment.containers.name',
        operator: 'exists',
        value: true,
      }),
    ).toEqual(failing(['deployment.containers.name is missing']));
  });

  it('does not read inherited properties', () => {
    expect(
      evaluate({
        fact: 'deployment.hpa.constructor',
        operator: 'exists',
        value: true,
      }),
    ).toEqual(failing(['deployment.hpa.constructor is missing']));
    expect(
      evaluate({
        fact: 'deployment.hpa.toString',
        operator: 'exists',
        value: true,
      }),
    ).toEqual(failing(['deployment.hpa.toString is missing']));
    expect(
      evaluate({ fact: 'constructor.name', operator: 'exists', value: true }),
    ).toEqual({
      verdict: 'unknown',
      passed: false,
      reasons: ["there are no 'constructor' facts"],
      missingFacts: ['constructor'],
    });
    expect(
      compileRule(
        { fact: 'constructor.name', operator: 'equal', value: 'x' },
        { checkId: 'test' },
      ).evaluate({ constructor: { name: 'x' } }, context).passed,
    ).toBe(true);
  });
});

describe('compileRule fact-to-fact comparisons', () => {
  it('compares with another fact', () => {
    expect(
      evaluate({
        fact: 'deployment.hpa.maxReplicas',
        operator: 'greaterThanInclusive',
        value: { fact: 'capacity', path: '$.requiredReplicas' },
      }),
    ).toEqual(
      passing([
        'deployment.hpa.maxReplicas is 18 (≥ capacity.requiredReplicas (6))',
      ]),
    );
    expect(
      evaluate({
        fact: 'deployment',
        path: '$.replicas',
        operator: 'greaterThanInclusive',
        value: { fact: 'capacity.requiredReplicas' },
      }),
    ).toEqual(
      failing([
        'deployment.replicas is 3; expected ≥ capacity.requiredReplicas (6)',
      ]),
    );
  });

  it('parses the referenced fact at evaluation time', () => {
    const rule = {
      fact: 'sla.rtoMs',
      operator: 'durationAtMost',
      value: { fact: 'policy.maxRto' },
    };
    const compiled = compileRule(rule, { checkId: 'test' });
    expect(
      compiled.evaluate({ ...facts, policy: { maxRto: '1d' } }, context),
    ).toEqual({
      verdict: 'pass',
      passed: true,
      reasons: ['sla.rtoMs is 4h (at most policy.maxRto (1d))'],
      missingFacts: [],
    });
    expect(
      compiled.evaluate({ ...facts, policy: { maxRto: 'soon' } }, context),
    ).toEqual({
      verdict: 'fail',
      passed: false,
      reasons: [
        "sla.rtoMs cannot be compared: policy.maxRto 'soon' is not a duration; expected a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
      ],
      missingFacts: [],
    });
    expect(compiled.evaluate({ ...facts, policy: {} }, context)).toEqual({
      verdict: 'fail',
      passed: false,
      reasons: ['sla.rtoMs cannot be compared: policy.maxRto is missing'],
      missingFacts: [],
    });
    expect(compiled.evaluate(facts, context)).toEqual({
      verdict: 'unknown',
      passed: false,
      reasons: ["there are no 'policy' facts"],
      missingFacts: ['policy'],
    });
  });

  it('fails on a referenced fact of the wrong type', () => {
    expect(
      evaluate({
        fact: 'capacity.peakRps',
        operator: 'lessThan',
        value: { fact: 'capacity.budget' },
      }),
    ).toEqual(
      failing([
        "capacity.peakRps cannot be compared: capacity.budget must be a number for operator 'lessThan'; got 'lots'",
      ]),
    );
  });

  it('compares lists and equality with another fact', () => {
    expect(
      evaluate({
        fact: 'catalog.metadata.name',
        operator: 'in',
        value: { fact: 'catalog.metadata.tags' },
      }),
    ).toEqual(
      passing([
        "catalog.metadata.name is 'payments' (one of catalog.metadata.tags ('java', 'payments'))",
      ]),
    );
    expect(
      evaluate({
        fact: 'deployment.labels["app.kubernetes.io/name"]',
        operator: 'equal',
        value: { fact: 'catalog.metadata.name' },
      }),
    ).toEqual(
      passing([
        "deployment.labels['app.kubernetes.io/name'] is 'payments' (= catalog.metadata.name ('payments'))",
      ]),
    );
  });
});

describe('compileRule all, any and not', () => {
  const minReplicas = {
    fact: 'deployment.hpa.minReplicas',
    operator: 'greaterThanInclusive',
    value: 2,
  };
  const maxReplicas = {
    fact: 'deployment.hpa.maxReplicas',
    operator: 'lessThanInclusive',
    value: 50,
  };
  const tooFewMax = {
    fact: 'deployment.hpa.maxReplicas',
    operator: 'greaterThanInclusive',
    value: 20,
  };
  const noPdb = { fact: 'deployment.pdb', operator: 'notExists', value: true };

  it('all: passes with every reason, fails with the failing ones', () => {
    expect(evaluate({ all: [minReplicas, maxReplicas] })).toEqual(
      passing([
        'deployment.hpa.minReplicas is 2 (≥ 2)',
        'deployment.hpa.maxReplicas is 18 (≤ 50)',
      ]),
    );
    expect(evaluate({ all: [minReplicas, tooFewMax, noPdb] })).toEqual(
      failing([
        'deployment.hpa.maxReplicas is 18; expected ≥ 20',
        'deployment.pdb is present; expected it to be missing',
      ]),
    );
  });

  it('any: passes with the first passing reason, fails with all reasons', () => {
    expect(
      evaluate({ any: [tooFewMax, noPdb, maxReplicas, minReplicas] }),
    ).toEqual(passing(['deployment.hpa.maxReplicas is 18 (≤ 50)']));
    expect(evaluate({ any: [tooFewMax, noPdb] })).toEqual(
      failing([
        'deployment.hpa.maxReplicas is 18; expected ≥ 20',
        'deployment.pdb is present; expected it to be missing',
      ]),
    );
  });

  it('not: phrases what was expected of the negated conditions', () => {
    expect(evaluate({ not: tooFewMax })).toEqual(
      passing(['deployment.hpa.maxReplicas is 18 (< 20)']),
    );
    expect(evaluate({ not: minReplicas })).toEqual(
      failing(['deployment.hpa.minReplicas is 2; expected < 2']),
    );
    expect(evaluate({ not: noPdb })).toEqual(
      passing(['deployment.pdb is present']),
    );
    expect(
      evaluate({
        not: { fact: 'deployment.pdb', operator: 'exists', value: true },
      }),
    ).toEqual(
      failing(['deployment.pdb is present; expected it to be missing']),
    );
    expect(
      evaluate({
        not: {
          fact: 'deployment.strategy',
          operator: 'equal',
          value: 'canary',
        },
      }),
    ).toEqual(passing(["deployment.strategy is 'blue-green' (≠ 'canary')"]));
    expect(
      evaluate({
        not: {
          fact: 'deployment.strategy',
          operator: 'equal',
          value: 'blue-green',
        },
      }),
    ).toEqual(
      failing([
        "deployment.strategy is 'blue-green'; expected not 'blue-green'",
      ]),
    );
    expect(
      evaluate({
        not: { fact: 'catalog.spec.type', operator: 'in', value: ['service'] },
      }),
    ).toEqual(
      failing(["catalog.spec.type is 'service'; expected none of 'service'"]),
    );
    expect(
      evaluate({
        not: {
          fact: 'deployment.strategy',
          operator: 'matches',
          value: 'green',
        },
      }),
    ).toEqual(
      failing([
        "deployment.strategy is 'blue-green'; expected not to match /green/",
      ]),
    );
    expect(evaluate({ not: { not: minReplicas } })).toEqual(
      passing(['deployment.hpa.minReplicas is 2 (≥ 2)']),
    );
  });

  it('nests all, any and not', () => {
    const rule = {
      all: [
        {
          fact: 'catalog.spec.lifecycle',
          operator: 'equal',
          value: 'production',
        },
        {
          any: [
            { fact: 'deployment.strategy', operator: 'equal', value: 'canary' },
            {
              all: [
                {
                  fact: 'deployment.strategy',
                  operator: 'equal',
                  value: 'blue-green',
                },
                { not: noPdb },
              ],
            },
          ],
        },
      ],
    };
    expect(evaluate(rule)).toEqual(
      passing([
        "catalog.spec.lifecycle is 'production' (= 'production')",
        "deployment.strategy is 'blue-green' (= 'blue-green')",
        'deployment.pdb is present',
      ]),
    );
    const outcome = compileRule(rule, { checkId: 'test' }).evaluate(
      {
        ...facts,
        deployment: { strategy: 'recreate', pdb: { minAvailable: 1 } },
      },
      context,
    );
    expect(outcome).toEqual({
      verdict: 'fail',
      passed: false,
      reasons: [
        "deployment.strategy is 'recreate'; expected 'canary'",
        "deployment.strategy is 'recreate'; expected 'blue-green'",
      ],
      missingFacts: [],
    });
  });

  it('accepts the Tech Insights wrapper and ignores names and priorities', () => {
    expect(
      evaluate({
        conditions: {
          all: [{ ...minReplicas, name: 'min', priority: 2 }],
          name: 'group',
        },
        name: 'rule',
        priority: 1,
      }),
    ).toEqual(passing(['deployment.hpa.minReplicas is 2 (≥ 2)']));
  });

  it('removes duplicate reasons', () => {
    expect(evaluate({ all: [minReplicas, minReplicas] })).toEqual(
      passing(['deployment.hpa.minReplicas is 2 (≥ 2)']),
    );
  });
});

describe('compileRule missing fact documents', () => {
  const hpa = {
    fact: 'deployment.hpa.maxReplicas',
    operator: 'greaterThanInclusive',
    value: 6,
  };
  const sla = {
    fact: 'sla.availability',
    operator: 'percentageAtLeast',
    value: '99.9',
  };
  const withoutDeployment = { sla: facts.sla };

  it('is unknown when the rule depends on a missing document', () => {
    expect(evaluate(hpa, { facts: withoutDeployment })).toEqual({
      verdict: 'unknown',
      passed: false,
      reasons: ["there are no 'deployment' facts"],
      missingFacts: ['deployment'],
    });
    expect(evaluate({ not: hpa }, { facts: withoutDeployment }).verdict).toBe(
      'unknown',
    );
    expect(
      evaluate({ all: [sla, hpa] }, { facts: withoutDeployment }).verdict,
    ).toBe('unknown');
    expect(evaluate(hpa, { facts: { deployment: null } }).verdict).toBe(
      'unknown',
    );
  });

  it('is decided when the outcome does not depend on the missing document', () => {
    expect(evaluate({ any: [hpa, sla] }, { facts: withoutDeployment })).toEqual(
      {
        verdict: 'pass',
        passed: true,
        reasons: ['sla.availability is 99.95% (at least 99.9%)'],
        missingFacts: ['deployment'],
      },
    );
    expect(
      evaluate(
        { all: [hpa, { ...sla, value: '99.99' }] },
        { facts: withoutDeployment },
      ),
    ).toEqual({
      verdict: 'fail',
      passed: false,
      reasons: ['sla.availability is 99.95%; expected at least 99.99%'],
      missingFacts: ['deployment'],
    });
  });

  it('reports each missing document once, in rule order', () => {
    expect(
      evaluate(
        { all: [hpa, { fact: 'deployment.pdb', operator: 'exists' }, sla] },
        {
          facts: {},
        },
      ),
    ).toEqual({
      verdict: 'unknown',
      passed: false,
      reasons: ["there are no 'deployment' facts", "there are no 'sla' facts"],
      missingFacts: ['deployment', 'sla'],
    });
  });

  it('lists the documents the rule refers to', () => {
    expect(
      compileRule(
        {
          any: [
            hpa,
            sla,
            { fact: 'x', operator: 'equal', value: { fact: 'y.z' } },
          ],
        },
        { checkId: 'test' },
      ).factDocuments,
    ).toEqual(['deployment', 'sla', 'x', 'y']);
  });
});

describe('compileRule on facts of the wrong type', () => {
  const oddFacts: RuleFacts = {
    deployment: {
      replicas: '3',
      hpa: 'yes',
      containers: { app: {} },
      probes: 'liveness',
      version: 12,
      image: 42,
      pdb: [],
    },
    sla: {
      rto: 'soon',
      rtoMs: -5,
      availability: 120,
      lastDrTest: 'last year',
      drObject: { when: 'then' },
      nan: NaN,
    },
  };

  it.each<[CheckRule, string]>([
    [
      {
        fact: 'deployment.replicas',
        operator: 'greaterThanInclusive',
        value: 2,
      },
      "deployment.replicas is '3' (a string); expected a number ≥ 2",
    ],
    [
      { fact: 'deployment.hpa.maxReplicas', operator: 'lessThan', value: 2 },
      'deployment.hpa.maxReplicas is missing; expected < 2',
    ],
    [
      { fact: 'deployment.containers', operator: 'contains', value: 'app' },
      'deployment.containers is {"app":{}} (an object); expected a list to contain \'app\'',
    ],
    [
      { fact: 'deployment.probes', operator: 'contains', value: 1 },
      "deployment.probes is 'liveness' (a string); expected a list to contain 1",
    ],
    [
      { fact: 'deployment.image', operator: 'doesNotContain', value: 'x' },
      "deployment.image is 42 (a number); expected a list not to contain 'x'",
    ],
    [
      { fact: 'deployment.probes', operator: 'contains', value: 'live' },
      "deployment.probes is 'liveness' (contains 'live')",
    ],
    [
      { fact: 'sla.rto', operator: 'durationAtMost', value: '4h' },
      "sla.rto is 'soon' (a string); expected a duration at most 4h",
    ],
    [
      { fact: 'sla.rtoMs', operator: 'durationAtLeast', value: '4h' },
      'sla.rtoMs is -5 (a number); expected a duration at least 4h',
    ],
    [
      { fact: 'sla.availability', operator: 'percentageAtLeast', value: '99' },
      'sla.availability is 120 (a number); expected a percentage at least 99%',
    ],
    [
      { fact: 'sla.lastDrTest', operator: 'dateWithin', value: '365d' },
      "sla.lastDrTest is 'last year' (a string); expected a date within the last 365d",
    ],
    [
      { fact: 'sla.drObject', operator: 'dateWithin', value: '365d' },
      'sla.drObject is {"when":"then"} (an object); expected a date within the last 365d',
    ],
    [
      { fact: 'deployment.hpa', operator: 'semverAtLeast', value: '1.0.0' },
      "deployment.hpa is 'yes' (a string); expected a version ≥ 1.0.0",
    ],
    [
      { fact: 'deployment.image', operator: 'matches', value: '^4' },
      'deployment.image is 42 (a number); expected a string to match /^4/',
    ],
    [
      { fact: 'sla.nan', operator: 'greaterThan', value: 0 },
      'sla.nan is NaN (a number); expected a number > 0',
    ],
  ])('%j is decided with a reason', (rule, reason) => {
    const outcome = evaluate(rule, { facts: oddFacts });
    expect(outcome).toEqual({
      verdict: outcome.passed ? 'pass' : 'fail',
      passed: reason.includes(' (contains'),
      reasons: [reason],
      missingFacts: [],
    });
  });

  it('explains a type mismatch under not', () => {
    expect(
      evaluate(
        {
          not: {
            fact: 'deployment.replicas',
            operator: 'greaterThan',
            value: 5,
          },
        },
        { facts: oddFacts },
      ).reasons,
    ).toEqual(["deployment.replicas is '3' (a string), not a number"]);
  });

  it('reads versions given as numbers', () => {
    expect(
      evaluate(
        {
          fact: 'deployment.version',
          operator: 'semverAtLeast',
          value: '12.0.0',
        },
        { facts: oddFacts },
      ).reasons,
    ).toEqual(['deployment.version is 12 (≥ 12.0.0)']);
  });

  it('never throws, whatever the facts', () => {
    const rule = compileRule(
      {
        all: [
          { fact: 'deployment.a.b[0].c', operator: 'greaterThan', value: 1 },
          { fact: 'deployment.a', operator: 'contains', value: { x: 1 } },
          { fact: 'deployment', path: '$.a', operator: 'matches', value: 'x' },
          { fact: 'deployment.a', operator: 'dateWithin', value: '1d' },
          { fact: 'deployment.a', operator: 'semverLessThan', value: '1.0.0' },
          { fact: 'deployment.a', operator: 'in', value: [{ x: 1 }, 1] },
          {
            fact: 'deployment.a',
            operator: 'equal',
            value: { fact: 'deployment.a' },
          },
        ],
      },
      { checkId: 'test' },
    );
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    const values: unknown[] = [
      undefined,
      null,
      0,
      -1,
      NaN,
      Infinity,
      '',
      'x',
      true,
      [],
      [null],
      {},
      { b: 'x' },
      { b: [null] },
      { b: [{ c: {} }] },
      Symbol('s'),
      () => 1,
      BigInt(1),
      cyclic,
      new Date(0),
      { iso: 5, epochMs: 'x' },
      Object.create(null),
    ];
    for (const value of values) {
      for (const document of [value, { a: value }]) {
        const f = { deployment: document } as RuleFacts;
        expect(() => rule.evaluate(f, context)).not.toThrow();
        expect(() => rule.test(f, context)).not.toThrow();
      }
    }
    expect(() => rule.evaluate(undefined as any, context)).not.toThrow();
    expect(() => rule.evaluate(null as any, undefined as any)).not.toThrow();
    expect(rule.evaluate(null as any, context).verdict).toBe('unknown');
  });

  it('treats a getter that throws as an unknown outcome', () => {
    const rule = compileRule(
      { fact: 'deployment.replicas', operator: 'equal', value: 1 },
      { checkId: 'test' },
    );
    const hostile = {
      get deployment(): unknown {
        throw new Error('boom');
      },
    };
    expect(rule.evaluate(hostile, context)).toEqual({
      verdict: 'unknown',
      passed: false,
      reasons: ['the rule could not be evaluated: boom'],
      missingFacts: [],
    });
    expect(rule.test(hostile, context)).toBe('unknown');
  });
});

describe('compileRule.test', () => {
  it('agrees with evaluate', () => {
    const rules = [
      { fact: 'deployment.hpa.maxReplicas', operator: 'greaterThan', value: 6 },
      {
        fact: 'deployment.hpa.maxReplicas',
        operator: 'greaterThan',
        value: 60,
      },
      { fact: 'nothing.here', operator: 'exists' },
    ];
    for (const rule of rules) {
      const compiled = compileRule(rule, { checkId: 'test' });
      expect(compiled.test(facts, context)).toBe(
        compiled.evaluate(facts, context).verdict,
      );
    }
  });

  it('uses the evaluation time for dates', () => {
    const compiled = compileRule(
      { fact: 'sla.lastDrTest', operator: 'dateWithin', value: '365d' },
      { checkId: 'test' },
    );
    const drTest = Date.parse('2025-03-01');
    expect(compiled.test(facts, { now: drTest + 365 * DAY })).toBe('pass');
    expect(compiled.test(facts, { now: drTest + 365 * DAY + 1 })).toBe('fail');
    expect(
      compiled.evaluate(facts, { now: drTest + 400 * DAY }).reasons,
    ).toEqual([
      'sla.lastDrTest is 2025-03-01, 400d ago; expected within the last 365d',
    ]);
    expect(compiled.evaluate(facts, { now: drTest - 2 * DAY }).reasons).toEqual(
      ['sla.lastDrTest is 2025-03-01, in 2d (within the last 365d)'],
    );
  });
});

describe('compileRule custom operators', () => {
  const multipleOf: CheckOperator = {
    name: 'multipleOf',
    validateOperand: value =>
      typeof value === 'number' && value > 0
        ? undefined
        : 'must be a positive number',
    evaluate: (fact, value) =>
      typeof fact === 'number' && fact % (value as number) === 0,
  };
  const explosive: CheckOperator = {
    name: 'explosive',
    evaluate: () => {
      throw new Error('kaboom');
    },
  };
  const truthy: CheckOperator = {
    name: 'truthy',
    evaluate: fact => fact as boolean,
  };

  it('evaluates a custom operator with a literal operand', () => {
    const options = { operators: [multipleOf] };
    expect(
      evaluate(
        {
          fact: 'deployment.hpa.maxReplicas',
          operator: 'multipleOf',
          value: 6,
        },
        options,
      ),
    ).toEqual({
      verdict: 'pass',
      passed: true,
      reasons: ['deployment.hpa.maxReplicas is 18 (multipleOf 6)'],
      missingFacts: [],
    });
    expect(
      evaluate(
        { fact: 'deployment.replicas', operator: 'multipleOf', value: 2 },
        options,
      ).reasons,
    ).toEqual(['deployment.replicas is 3; expected multipleOf 2']);
    expect(
      evaluate(
        {
          not: {
            fact: 'deployment.replicas',
            operator: 'multipleOf',
            value: 3,
          },
        },
        options,
      ).reasons,
    ).toEqual(['deployment.replicas is 3; expected not multipleOf 3']);
  });

  it('validates a fact operand of a custom operator at evaluation time', () => {
    const rule = compileRule(
      {
        fact: 'deployment.hpa.maxReplicas',
        operator: 'multipleOf',
        value: { fact: 'capacity.step' },
      },
      { checkId: 'test', operators: [multipleOf] },
    );
    expect(
      rule.evaluate({ ...facts, capacity: { step: 9 } }, context).reasons,
    ).toEqual([
      'deployment.hpa.maxReplicas is 18 (multipleOf capacity.step (9))',
    ]);
    expect(
      rule.evaluate({ ...facts, capacity: { step: -1 } }, context),
    ).toEqual({
      verdict: 'fail',
      passed: false,
      reasons: [
        "deployment.hpa.maxReplicas cannot be compared: capacity.step -1 is not valid for operator 'multipleOf': must be a positive number",
      ],
      missingFacts: [],
    });
  });

  it('only counts true as passing', () => {
    const options = { operators: [truthy] };
    expect(
      evaluate(
        { fact: 'deployment.replicas', operator: 'truthy', value: null },
        options,
      ).passed,
    ).toBe(false);
    expect(
      evaluate(
        { fact: 'deployment.ingress.tls', operator: 'truthy', value: null },
        options,
      ).passed,
    ).toBe(true);
  });

  it('makes the outcome unknown when a custom operator throws', () => {
    const outcome = evaluate(
      {
        all: [{ fact: 'deployment.replicas', operator: 'explosive', value: 1 }],
      },
      { operators: [explosive] },
    );
    expect(outcome).toEqual({
      verdict: 'unknown',
      passed: false,
      reasons: [
        "deployment.replicas could not be checked: operator 'explosive' failed: kaboom",
      ],
      missingFacts: [],
    });
    expect(
      evaluate(
        {
          any: [
            { fact: 'deployment.replicas', operator: 'explosive', value: 1 },
            { fact: 'deployment.replicas', operator: 'equal', value: 3 },
          ],
        },
        { operators: [explosive] },
      ).verdict,
    ).toBe('pass');
  });

  it('passes the value at the path to the operator, and undefined when absent', () => {
    const seen: unknown[] = [];
    const spy: CheckOperator = {
      name: 'spy',
      evaluate: (fact, value) => {
        seen.push([fact, value]);
        return true;
      },
    };
    evaluate(
      {
        all: [
          {
            fact: 'deployment.hpa',
            path: '$.minReplicas',
            operator: 'spy',
            value: 'a',
          },
          { fact: 'deployment.nope', operator: 'spy', value: ['b'] },
        ],
      },
      { operators: [spy] },
    );
    expect(seen).toEqual([
      [2, 'a'],
      [undefined, ['b']],
    ]);
  });
});

describe('dateWithin date parsing', () => {
  const rule = compileRule(
    { fact: 'dr.lastTest', operator: 'dateWithin', value: '1d' },
    { checkId: 'test' },
  );

  it.each([
    '2024-02-29',
    '2023-02-28',
    '2025-12-31',
    '2025-06-15',
    '2000-02-29',
    '0050-01-01',
    ' 2025-06-14 ',
  ])('reads %j as parseIsoDate does', date => {
    const epochMs = parseIsoDate(date.trim(), { allowFuture: true });
    if (!epochMs.ok) {
      throw new Error(epochMs.error);
    }
    const at = (now: number) => rule.test({ dr: { lastTest: date } }, { now });
    expect(at(epochMs.value.epochMs + DAY)).toBe('pass');
    expect(at(epochMs.value.epochMs + DAY + 1)).toBe('fail');
  });

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-04-31',
    '2025-1-01',
    '2025/01/01',
    '20250101',
    '2025-01-01T',
    'yesterday',
    '',
  ])('rejects %j as not a date', date => {
    expect(rule.evaluate({ dr: { lastTest: date } }, context)).toEqual({
      verdict: 'fail',
      passed: false,
      reasons: [
        `dr.lastTest is '${date}' (a string); expected a date within the last 1d`,
      ],
      missingFacts: [],
    });
  });

  it('reads timestamps with offsets and epochMs objects', () => {
    const test = (lastTest: unknown) =>
      rule.test(
        { dr: { lastTest } },
        { now: Date.parse('2025-06-15T12:00:00Z') },
      );
    expect(test('2025-06-14T13:00:00+01:00')).toBe('pass');
    expect(test('2025-06-14T11:59:59Z')).toBe('fail');
    expect(test('2025-06-14t12:30:00.123z')).toBe('pass');
    expect(test({ epochMs: Date.parse('2025-06-15T00:00:00Z') })).toBe('pass');
    expect(test({ iso: '2025-06-15' })).toBe('pass');
    expect(test({ iso: '2025-06-01' })).toBe('fail');
    expect(test(Date.parse('2025-06-15T00:00:00Z'))).toBe('fail');
  });
});
