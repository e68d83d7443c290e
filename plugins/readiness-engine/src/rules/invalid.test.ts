import type { CheckOperator } from '../types';
import { compileCheck, compileChecks } from './compileCheck';
import { compileRule } from './compileRule';
import { CheckDefinitionError } from './errors';

const OPERATORS =
  'equal, notEqual, lessThan, lessThanInclusive, greaterThan, greaterThanInclusive, in, notIn, contains, doesNotContain, exists, notExists, durationAtMost, durationAtLeast, percentageAtLeast, percentageAtMost, dateWithin, semverAtLeast, semverLessThan, matches';
const CONDITION_KEYS =
  'fact, operator, value, path, params, name, priority, message';
const PATH_FORM =
  "expected a path such as '$.hpa.maxReplicas' or '$.containers[0].image'";
const FACT_FORM =
  "expected a fact name with an optional path, such as 'deployment.hpa.maxReplicas'";
const DURATION_FORM =
  "expected a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const PERCENTAGE_FORM =
  "expected a number from 0 to 100, optionally followed by '%', such as '0.1%'";
const REGEX_FORM =
  "expected a regular expression such as '^v\\d+$', or '/^prod/i' with flags i, m, s or u";
const AREAS =
  'deployment, load-balancing, auto-scaling, performance, cdn, security, compliance, disaster-recovery, sla, monitoring';
const FIELDS =
  'id, title, description, area, level, applicability, appliesWhen, rule, source, messages, severity, remediation, docsUrl';

const multipleOf: CheckOperator = {
  name: 'multipleOf',
  validateOperand: value =>
    typeof value === 'number' && value > 0
      ? undefined
      : 'must be a positive number',
  evaluate: (fact, value) =>
    typeof fact === 'number' && fact % (value as number) === 0,
};
const fussy: CheckOperator = {
  name: 'fussy',
  validateOperand: () => {
    throw new Error('nope');
  },
  evaluate: () => true,
};

/** Runs `compile`, which must throw a CheckDefinitionError, and returns it. */
function thrown(compile: () => unknown): CheckDefinitionError {
  let error: unknown;
  try {
    compile();
  } catch (e) {
    error = e;
  }
  expect(error).toBeInstanceOf(CheckDefinitionError);
  return error as CheckDefinitionError;
}

function ruleProblems(rule: unknown, knownFacts?: string[]) {
  const error = thrown(() =>
    compileRule(rule, {
      checkId: 'hpa-max-replicas',
      operators: [multipleOf, fussy],
      knownFacts,
    }),
  );
  return error.problems.map(problem => {
    const prefix = "Invalid readiness check 'hpa-max-replicas': ";
    expect(problem.startsWith(prefix)).toBe(true);
    return problem.slice(prefix.length);
  });
}

const pdb = { fact: 'x', operator: 'exists' };
const leaf = {
  fact: 'deployment',
  path: '$.hpa.maxReplicas',
  operator: 'greaterThanInclusive',
  value: 6,
};

describe('compileRule rejects invalid rules', () => {
  it.each<[string, unknown, string[]]>([
    [
      'an unknown operator, with a suggestion',
      { all: [leaf, { ...leaf, operator: 'greaterThen' }] },
      [
        `rule.all[1].operator 'greaterThen' is not a known operator (did you mean 'greaterThan'?); expected one of ${OPERATORS}, multipleOf, fussy`,
      ],
    ],
    [
      'an unknown operator',
      { ...leaf, operator: 'bigger' },
      [
        `rule.operator 'bigger' is not a known operator; expected one of ${OPERATORS}, multipleOf, fussy`,
      ],
    ],
    [
      'an operator that is not a string',
      { ...leaf, operator: 5 },
      ['rule.operator must be a string; got 5'],
    ],
    [
      'a missing operator',
      { fact: 'deployment.replicas', value: 2 },
      ['rule.operator is required'],
    ],
    [
      'a missing fact',
      { any: [{ operator: 'equal', value: 1 }] },
      ['rule.any[0].fact is required'],
    ],
    [
      'a fact that is not a string',
      { ...leaf, fact: 5 },
      ['rule.fact must be a non-empty string; got 5'],
    ],
    [
      'an empty fact',
      { ...leaf, fact: ' ' },
      ["rule.fact must be a non-empty string; got ' '"],
    ],
    [
      'a fact with a bad path',
      { fact: 'deployment..hpa', operator: 'exists' },
      [
        `rule.fact 'deployment..hpa' is not a valid fact reference: recursive descent ('..') is not supported; ${FACT_FORM}`,
      ],
    ],
    [
      'a fact that starts with a bracket',
      { fact: "['deployment']", operator: 'exists' },
      [
        `rule.fact '['deployment']' is not a valid fact reference: it must start with a fact name; ${FACT_FORM}`,
      ],
    ],
    [
      'a recursive descent path',
      { ...leaf, path: '$..maxReplicas' },
      [
        `rule.path '$..maxReplicas' is not a supported path: recursive descent ('..') is not supported; ${PATH_FORM}`,
      ],
    ],
    [
      'a wildcard path',
      { ...leaf, path: '$.containers[*].image' },
      [
        `rule.path '$.containers[*].image' is not a supported path: wildcards ('*') are not supported; ${PATH_FORM}`,
      ],
    ],
    [
      'a filter path',
      { ...leaf, path: "$.containers[?(@.name=='app')]" },
      [
        `rule.path '$.containers[?(@.name=='app')]' is not a supported path: filters and scripts ('[?(...)]') are not supported; ${PATH_FORM}`,
      ],
    ],
    [
      'a slice path',
      { ...leaf, path: '$.containers[0:2]' },
      [
        `rule.path '$.containers[0:2]' is not a supported path: slices ('[start:end]') are not supported; ${PATH_FORM}`,
      ],
    ],
    [
      'a negative index',
      { ...leaf, path: '$.containers[-1]' },
      [
        `rule.path '$.containers[-1]' is not a supported path: negative indexes are not supported; ${PATH_FORM}`,
      ],
    ],
    [
      'an unterminated bracket',
      { ...leaf, path: '$.containers[0' },
      [
        `rule.path '$.containers[0' is not a supported path: unterminated '[' at character 13; ${PATH_FORM}`,
      ],
    ],
    [
      'an unterminated quote',
      { ...leaf, path: "$['hpa" },
      [
        `rule.path '$['hpa' is not a supported path: unterminated quote at character 3; ${PATH_FORM}`,
      ],
    ],
    [
      'a trailing dot',
      { ...leaf, path: '$.hpa.' },
      [
        `rule.path '$.hpa.' is not a supported path: a name is expected after '.' at character 6; ${PATH_FORM}`,
      ],
    ],
    [
      'an unexpected character in a path',
      { ...leaf, path: '$.hpa max' },
      [
        `rule.path '$.hpa max' is not a supported path: unexpected ' ' at character 6; ${PATH_FORM}`,
      ],
    ],
    [
      'an empty path',
      { ...leaf, path: '' },
      [`rule.path '' is not a supported path: it is empty; ${PATH_FORM}`],
    ],
    [
      'a path that is not a string',
      { ...leaf, path: 5 },
      ['rule.path must be a string; got 5'],
    ],
    [
      'a rule that is not an object',
      'deployment.hpa.maxReplicas >= 6',
      [
        "rule must be a condition object with all, any, not or fact; got 'deployment.hpa.maxReplicas >= 6'",
      ],
    ],
    [
      'a condition that is a list',
      { all: [[pdb]] },
      [
        'rule.all[0] must be a condition object with all, any, not or fact; got [{"fact":"x","operator":"exists"}]',
      ],
    ],
    ['a missing rule', undefined, ['rule is required']],
    ['an empty all', { all: [] }, ['rule.all must not be empty']],
    ['an empty any', { not: { any: [] } }, ['rule.not.any must not be empty']],
    [
      'an all that is not a list',
      { all: pdb },
      [
        'rule.all must be a list of conditions; got {"fact":"x","operator":"exists"}',
      ],
    ],
    [
      'both all and any',
      { all: [leaf], any: [leaf] },
      ['rule must have exactly one of all, any, not or fact; got all and any'],
    ],
    [
      'a condition with both all and fact',
      { any: [{ ...leaf, all: [leaf] }] },
      [
        'rule.any[0] must have exactly one of all, any, not or fact; got all and fact',
      ],
    ],
    [
      'an empty object',
      { all: [leaf, {}] },
      [
        'rule.all[1] must have one of all, any, not or fact; got an empty object',
      ],
    ],
    [
      'an object without a combinator',
      { some: [leaf] },
      ['rule must have one of all, any, not or fact; got keys some'],
    ],
    [
      'a not with a list',
      { not: [pdb] },
      [
        'rule.not must be a condition object with all, any, not or fact; got [{"fact":"x","operator":"exists"}]',
      ],
    ],
    [
      'an unknown key in a condition',
      { fact: 'deployment.replicas', operator: 'equal', valu: 3 },
      [
        "rule.value is required for operator 'equal'",
        `rule.valu is not a known key (did you mean 'value'?); expected one of ${CONDITION_KEYS}`,
      ],
    ],
    [
      'an unknown key next to all',
      { all: [leaf], when: 'always' },
      [
        'rule.when is not a known key; expected one of all, name, priority, message',
      ],
    ],
    [
      'an odd unknown key',
      { not: leaf, 'x y': 1 },
      [
        "rule['x y'] is not a known key; expected one of not, name, priority, message",
      ],
    ],
    [
      'a shared condition reference',
      { all: [{ condition: 'hpaConfigured' }] },
      [
        'rule.all[0].condition refers to a shared condition, which is not supported; write the condition out instead',
      ],
    ],
    [
      'a missing value',
      { fact: 'deployment.replicas', operator: 'greaterThan' },
      ["rule.value is required for operator 'greaterThan'"],
    ],
    [
      'a string operand of a numeric operator',
      { ...leaf, value: '6' },
      [
        "rule.value must be a number for operator 'greaterThanInclusive'; got '6'",
      ],
    ],
    [
      'a list operand of in that is not a list',
      { fact: 'catalog.spec.lifecycle', operator: 'in', value: 'production' },
      [
        "rule.value must be a non-empty list for operator 'in'; got 'production'",
      ],
    ],
    [
      'an empty list operand of notIn',
      { fact: 'catalog.spec.lifecycle', operator: 'notIn', value: [] },
      ["rule.value must be a non-empty list for operator 'notIn'; got []"],
    ],
    [
      'exists with false',
      { fact: 'deployment.pdb', operator: 'exists', value: false },
      [
        "rule.value must be true (or left out) for operator 'exists'; got false",
      ],
    ],
    [
      'notExists with a fact operand',
      { fact: 'deployment.pdb', operator: 'notExists', value: { fact: 'x' } },
      ["rule.value cannot refer to a fact for operator 'notExists'"],
    ],
    [
      'a bad duration operand',
      { fact: 'sla.rto', operator: 'durationAtMost', value: '4 hours' },
      [`rule.value '4 hours' is not a duration; ${DURATION_FORM}`],
    ],
    [
      'a duration operand in months',
      { fact: 'sla.lastDrTest', operator: 'dateWithin', value: 'P1Y' },
      [
        "rule.value 'P1Y' uses years or months, which have no fixed length; use days or weeks instead; expected a duration such as 'P365D'",
      ],
    ],
    [
      'a numeric duration operand',
      { fact: 'sla.rto', operator: 'durationAtLeast', value: 3600 },
      [`rule.value 3600 is not a duration; ${DURATION_FORM}`],
    ],
    [
      'a percentage operand out of range',
      {
        fact: 'sla.availability',
        operator: 'percentageAtLeast',
        value: '101%',
      },
      [`rule.value '101%' is out of range; ${PERCENTAGE_FORM}`],
    ],
    [
      'a percentage operand that is not a percentage',
      { fact: 'sla.availability', operator: 'percentageAtMost', value: 'high' },
      [`rule.value 'high' is not a percentage; ${PERCENTAGE_FORM}`],
    ],
    [
      'a negative numeric percentage operand',
      { fact: 'sla.availability', operator: 'percentageAtLeast', value: -1 },
      [`rule.value '-1' is not a percentage; ${PERCENTAGE_FORM}`],
    ],
    [
      'a bad regular expression',
      { fact: 'deployment.strategy', operator: 'matches', value: '([a-z' },
      [
        `rule.value '([a-z' is not a valid regular expression (Unterminated character class); ${REGEX_FORM}`,
      ],
    ],
    [
      'a stateful regular expression flag',
      { fact: 'deployment.strategy', operator: 'matches', value: '/blue/g' },
      [
        `rule.value '/blue/g' has unsupported regular expression flags 'g'; ${REGEX_FORM}`,
      ],
    ],
    [
      'a regular expression that is not a string',
      { fact: 'deployment.strategy', operator: 'matches', value: 5 },
      [
        "rule.value must be a regular expression string for operator 'matches'; got 5",
      ],
    ],
    [
      'a bad semantic version',
      { fact: 'runtime.version', operator: 'semverAtLeast', value: '1.x' },
      [
        "rule.value '1.x' is not a semantic version; expected a version such as '1.2.3' or 'v2.0.0-rc.1'",
      ],
    ],
    [
      'a semantic version given as a number',
      { fact: 'runtime.version', operator: 'semverLessThan', value: 1.2 },
      [
        "rule.value 1.2 is not a semantic version; expected a version such as '1.2.3' or 'v2.0.0-rc.1'",
      ],
    ],
    [
      'a custom operand that validateOperand rejects',
      { fact: 'deployment.replicas', operator: 'multipleOf', value: -2 },
      [
        "rule.value -2 is not valid for operator 'multipleOf': must be a positive number",
      ],
    ],
    [
      'a custom operand whose validateOperand throws',
      { fact: 'deployment.replicas', operator: 'fussy', value: 'x' },
      [
        "rule.value 'x' is not valid for operator 'fussy': validateOperand threw: nope",
      ],
    ],
    [
      'a fact operand with an unknown key',
      { ...leaf, value: { fact: 'capacity', pth: '$.replicas' } },
      [
        "rule.value.pth is not a known key (did you mean 'path'?); expected one of fact, path, params",
      ],
    ],
    [
      'a fact operand with a bad path',
      { ...leaf, value: { fact: 'capacity', path: '$.replicas[' } },
      [
        `rule.value.path '$.replicas[' is not a supported path: unterminated '[' at character 11; ${PATH_FORM}`,
      ],
    ],
    [
      'params that are not an object',
      { ...leaf, params: 'x' },
      ["rule.params must be an object; got 'x'"],
    ],
    [
      'a priority that is not a number',
      { all: [leaf], priority: 'high' },
      ["rule.priority must be a number; got 'high'"],
    ],
    [
      'a name that is not a string',
      { ...leaf, name: 5 },
      ['rule.name must be a string; got 5'],
    ],
    [
      'an unknown key in the Tech Insights wrapper',
      { conditions: { all: [leaf] }, event: { type: 'x' } },
      [
        'rule.event is not a known key; expected one of conditions, name, priority',
      ],
    ],
    [
      'a bad condition in the Tech Insights wrapper',
      { conditions: { all: 'x' } },
      ["rule.conditions.all must be a list of conditions; got 'x'"],
    ],
  ])('rejects %s', (_, rule, problems) => {
    expect(ruleProblems(rule)).toEqual(problems);
  });

  it('rejects facts that are not known, when the known facts are given', () => {
    const known = ['catalog', 'deployment', 'sla'];
    expect(
      ruleProblems({ fact: 'deplyment.hpa', operator: 'exists' }, known),
    ).toEqual([
      "rule.fact 'deplyment.hpa' refers to an unknown fact document 'deplyment' (did you mean 'deployment'?); expected one of catalog, deployment, sla",
    ]);
    expect(
      ruleProblems(
        { ...leaf, value: { fact: 'capacity', path: '$.replicas' } },
        known,
      ),
    ).toEqual([
      "rule.value.fact 'capacity' refers to an unknown fact document 'capacity'; expected one of catalog, deployment, sla",
    ]);
  });

  it('rejects rules nested too deeply', () => {
    let rule: unknown = leaf;
    for (let i = 0; i < 40; i++) {
      rule = { not: rule };
    }
    expect(ruleProblems(rule)).toEqual([
      `rule${'.not'.repeat(33)} is nested more than 32 levels deep`,
    ]);
  });

  it('lists every problem of a rule in one error', () => {
    const error = thrown(() =>
      compileRule(
        {
          all: [
            { ...leaf, operator: 'greaterThen' },
            { fact: 'sla.rto', operator: 'durationAtMost', value: 'soon' },
            { any: [] },
          ],
        },
        { checkId: 'hpa-max-replicas' },
      ),
    );
    expect(error.problems).toEqual([
      `Invalid readiness check 'hpa-max-replicas': rule.all[0].operator 'greaterThen' is not a known operator (did you mean 'greaterThan'?); expected one of ${OPERATORS}`,
      `Invalid readiness check 'hpa-max-replicas': rule.all[1].value 'soon' is not a duration; ${DURATION_FORM}`,
      "Invalid readiness check 'hpa-max-replicas': rule.all[2].any must not be empty",
    ]);
    expect(error.message).toBe(
      `Found 3 problems in readiness checks:\n${error.problems
        .map(problem => `- ${problem}`)
        .join('\n')}`,
    );
    expect(error.name).toBe('CheckDefinitionError');
  });

  it('uses the only problem as the message', () => {
    const error = thrown(() =>
      compileRule({ all: [] }, { checkId: 'hpa-max-replicas' }),
    );
    expect(error.message).toBe(
      "Invalid readiness check 'hpa-max-replicas': rule.all must not be empty",
    );
  });
});

describe('compileRule rejects invalid custom operators', () => {
  it.each<[string, unknown[], string[]]>([
    [
      'a built-in name',
      [{ name: 'equal', evaluate: () => true }],
      [
        "Invalid readiness operator 'equal': the name is used by a built-in operator",
      ],
    ],
    [
      'a duplicate name',
      [multipleOf, { ...multipleOf }],
      [
        "Invalid readiness operator 'multipleOf': the name is used by another custom operator",
      ],
    ],
    [
      'a missing name',
      [{ evaluate: () => true }],
      ['Invalid readiness operator #1: name is required'],
    ],
    [
      'a name that is not a string',
      [multipleOf, { name: 5, evaluate: () => true }],
      ['Invalid readiness operator #2: name must be a non-empty string; got 5'],
    ],
    [
      'a missing evaluate',
      [{ name: 'isEven' }],
      ["Invalid readiness operator 'isEven': evaluate must be a function"],
    ],
    [
      'a validateOperand that is not a function',
      [{ name: 'isEven', evaluate: () => true, validateOperand: 'number' }],
      [
        "Invalid readiness operator 'isEven': validateOperand must be a function",
      ],
    ],
    [
      'an operator that is not an object',
      ['isEven'],
      ["Invalid readiness operator #1: it must be an object; got 'isEven'"],
    ],
  ])('rejects %s', (_, operators, problems) => {
    const error = thrown(() =>
      compileRule(leaf, {
        checkId: 'x',
        operators: operators as CheckOperator[],
      }),
    );
    expect(error.problems).toEqual(problems);
  });
});

const valid = {
  id: 'hpa-max-replicas',
  title: 'HPA allows enough replicas',
  area: 'auto-scaling',
  level: 'silver',
  rule: leaf,
  severity: 'error',
  remediation: 'Raise spec.maxReplicas of the HorizontalPodAutoscaler.',
  docsUrl: 'https://docs.example.com/readiness/hpa',
};

function checkProblems(definition: unknown, options = {}) {
  return thrown(() => compileCheck(definition, options)).problems;
}

describe('compileCheck rejects invalid check definitions', () => {
  const label = "Invalid readiness check 'hpa-max-replicas'";
  it.each<[string, Record<string, unknown>, string[]]>([
    [
      'a missing id',
      { id: undefined },
      ['Invalid readiness check #1 (no id): id is required'],
    ],
    [
      'an id that is not a string',
      { id: 42 },
      [
        'Invalid readiness check #1 (no id): id must be a non-empty string; got 42',
      ],
    ],
    [
      'an id with spaces',
      { id: 'hpa max' },
      [
        "Invalid readiness check 'hpa max': id 'hpa max' must start with a letter or digit and contain only letters, digits, '.', '_' and '-'",
      ],
    ],
    [
      'an id that is too long',
      { id: 'x'.repeat(101) },
      [
        `Invalid readiness check '${'x'.repeat(
          101,
        )}': id must be at most 100 characters long`,
      ],
    ],
    ['a missing title', { title: undefined }, [`${label}: title is required`]],
    [
      'an empty title',
      { title: '' },
      [`${label}: title must be a non-empty string; got ''`],
    ],
    [
      'a description that is not a string',
      { description: ['x'] },
      [`${label}: description must be a string; got ["x"]`],
    ],
    ['a missing area', { area: undefined }, [`${label}: area is required`]],
    [
      'an unknown area',
      { area: 'autoscaling' },
      [
        `${label}: area 'autoscaling' is not a known area (did you mean 'auto-scaling'?); expected one of ${AREAS}`,
      ],
    ],
    [
      'an area that is not a string',
      { area: 3 },
      [`${label}: area 3 is not a known area; expected one of ${AREAS}`],
    ],
    ['a missing level', { level: undefined }, [`${label}: level is required`]],
    [
      'a level that is not a string',
      { level: 1 },
      [`${label}: level must be a non-empty string; got 1`],
    ],
    [
      'a missing severity',
      { severity: undefined },
      [`${label}: severity is required`],
    ],
    [
      'a bad severity',
      { severity: 'critical' },
      [
        `${label}: severity 'critical' is not a known severity; expected one of info, warning, error`,
      ],
    ],
    [
      'a misspelt severity',
      { severity: 'eror' },
      [
        `${label}: severity 'eror' is not a known severity (did you mean 'error'?); expected one of info, warning, error`,
      ],
    ],
    [
      'a missing remediation',
      { remediation: undefined },
      [`${label}: remediation is required`],
    ],
    [
      'a non-http docs link',
      { docsUrl: 'ftp://docs.example.com/hpa' },
      [
        `${label}: docsUrl 'ftp://docs.example.com/hpa' is not an http(s) URL; expected an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'`,
      ],
    ],
    [
      'a javascript docs link',
      { docsUrl: `${'javascript'}:alert(1)` },
      [
        `${label}: docsUrl 'javascript:alert(1)' is not an http(s) URL; expected an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'`,
      ],
    ],
    ['a missing rule', { rule: undefined }, [`${label}: rule is required`]],
    [
      'an invalid rule',
      { rule: { all: [leaf, { ...leaf, operator: 'greaterThen' }] } },
      [
        `${label}: rule.all[1].operator 'greaterThen' is not a known operator (did you mean 'greaterThan'?); expected one of ${OPERATORS}`,
      ],
    ],
    [
      'applicability that is not an object',
      { applicability: ['Component'] },
      [
        `${label}: applicability must be an object with kinds, types, lifecycles or tiers; got ["Component"]`,
      ],
    ],
    [
      'an applicability list that is not a list',
      { applicability: { kinds: 'Component' } },
      [
        `${label}: applicability.kinds must be a list of strings; got 'Component'`,
      ],
    ],
    [
      'an applicability list with a bad item',
      { applicability: { lifecycles: ['production', 7] } },
      [
        `${label}: applicability.lifecycles[1] must be a non-empty string; got 7`,
      ],
    ],
    [
      'an unknown tier',
      { applicability: { tiers: ['gold'] } },
      [
        `${label}: applicability.tiers[0] 'gold' is not a known tier; expected one of tier-1, tier-2, tier-3, tier-4`,
      ],
    ],
    [
      'an unknown applicability key',
      { applicability: { kind: ['Component'] } },
      [
        `${label}: applicability.kind is not a known key (did you mean 'kinds'?); expected one of kinds, types, lifecycles, tiers`,
      ],
    ],
    [
      'an unknown field',
      { docs: 'https://docs.example.com' },
      [
        `${label}: docs is not a known field (did you mean 'docsUrl'?); expected one of ${FIELDS}`,
      ],
    ],
    [
      'a misspelt field',
      { remedation: 'x' },
      [
        `${label}: remedation is not a known field (did you mean 'remediation'?); expected one of ${FIELDS}`,
      ],
    ],
  ])('rejects %s', (_, change, problems) => {
    const definition: Record<string, unknown> = { ...valid, ...change };
    for (const [key, value] of Object.entries(change)) {
      if (value === undefined) {
        delete definition[key];
      }
    }
    expect(checkProblems(definition)).toEqual(problems);
  });

  it('rejects a definition that is not an object', () => {
    expect(checkProblems('hpa-max-replicas')).toEqual([
      "Invalid readiness check #1 (no id): the check must be an object; got 'hpa-max-replicas'",
    ]);
    expect(checkProblems(null)).toEqual([
      'Invalid readiness check #1 (no id): the check must be an object; got null',
    ]);
  });

  it('rejects an unknown level when the levels are given', () => {
    expect(
      checkProblems(
        { ...valid, level: 'platinum' },
        { levels: ['bronze', 'silver', { id: 'gold' }] },
      ),
    ).toEqual([
      `${label}: level 'platinum' is not a known level; expected one of bronze, silver, gold`,
    ]);
    expect(
      checkProblems(
        { ...valid, level: 'silvr' },
        { levels: ['bronze', 'silver', 'gold'] },
      ),
    ).toEqual([
      `${label}: level 'silvr' is not a known level (did you mean 'silver'?); expected one of bronze, silver, gold`,
    ]);
  });

  it('rejects a custom operand that validateOperand rejects', () => {
    expect(
      checkProblems(
        {
          ...valid,
          rule: {
            fact: 'deployment.replicas',
            operator: 'multipleOf',
            value: 0,
          },
        },
        { operators: [multipleOf] },
      ),
    ).toEqual([
      `${label}: rule.value 0 is not valid for operator 'multipleOf': must be a positive number`,
    ]);
  });

  it('lists every problem of a definition, in field order', () => {
    expect(
      checkProblems({
        id: 'hpa-max-replicas',
        area: 'scaling',
        rule: { all: [] },
        severity: 'fatal',
        docsUrl: 'docs/hpa.md',
        owner: 'team-a',
      }),
    ).toEqual([
      `${label}: title is required`,
      `${label}: area 'scaling' is not a known area; expected one of ${AREAS}`,
      `${label}: level is required`,
      `${label}: rule.all must not be empty`,
      `${label}: severity 'fatal' is not a known severity; expected one of info, warning, error`,
      `${label}: remediation is required`,
      `${label}: docsUrl 'docs/hpa.md' is not an http(s) URL; expected an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'`,
      `${label}: owner is not a known field; expected one of ${FIELDS}`,
    ]);
  });
});

describe('compileCheck rejects invalid messages', () => {
  const label = "Invalid readiness check 'hpa-max-replicas'";
  const RULE_READS = 'a fact document the rule reads: deployment';

  it.each<[string, unknown, string[]]>([
    [
      'messages that are not an object',
      'HPA is fine',
      [
        `${label}: messages must be an object with pass, fail or notApplicable; got 'HPA is fine'`,
      ],
    ],
    [
      'an unknown key',
      { failed: 'No HPA' },
      [
        `${label}: messages.failed is not a known key (did you mean 'fail'?); expected one of pass, fail, notApplicable`,
      ],
    ],
    [
      'an empty message',
      { pass: ' ' },
      [`${label}: messages.pass must be a non-empty string; got ' '`],
    ],
    [
      'a placeholder of an unknown fact document',
      {
        fail: 'HPA `{deplyment.hpa.name}` scales up to {deployment.hpa.maxReplicas}',
      },
      [
        `${label}: messages.fail placeholder '{deplyment.hpa.name}' refers to an unknown fact document 'deplyment' (did you mean 'deployment'?); expected ${RULE_READS}`,
      ],
    ],
    [
      'a placeholder of a document the rule does not read',
      { pass: 'Tier {entity.tier}' },
      [
        `${label}: messages.pass placeholder '{entity.tier}' refers to an unknown fact document 'entity'; expected ${RULE_READS}`,
      ],
    ],
    [
      'a placeholder with a bad path',
      { fail: 'HPA {deployment.hpa..name}' },
      [
        `${label}: messages.fail placeholder '{deployment.hpa..name}' is not a valid fact reference: recursive descent ('..') is not supported; expected a fact such as '{deployment.hpa.name}'`,
      ],
    ],
    [
      'an empty placeholder',
      { fail: 'HPA { } is too small' },
      [`${label}: messages.fail placeholder '{ }' names no fact`],
    ],
    [
      'an unclosed brace',
      { fail: 'HPA {deployment.hpa.name is too small' },
      [
        `${label}: messages.fail has an unclosed '{' at character 5; write '{{' for a brace`,
      ],
    ],
    [
      'a brace inside a placeholder',
      { fail: 'HPA {deployment.{hpa}.name}' },
      [
        `${label}: messages.fail has an unclosed '{' at character 5; write '{{' for a brace`,
      ],
    ],
    [
      'a closing brace alone',
      { fail: 'HPA } is too small' },
      [
        `${label}: messages.fail has a '}' without '{' at character 5; write '}}' for a brace`,
      ],
    ],
    [
      'an unclosed section',
      { fail: '{#deployment.hpa.metrics}{.name} ' },
      [
        `${label}: messages.fail section '{#deployment.hpa.metrics}' is not closed; expected '{/deployment.hpa.metrics}'`,
      ],
    ],
    [
      'a section closed by another name',
      { fail: '{#deployment.hpa.metrics}{.name}{/deployment.hpa}' },
      [
        `${label}: messages.fail '{/deployment.hpa}' does not close '{#deployment.hpa.metrics}'; expected '{/deployment.hpa.metrics}'`,
      ],
    ],
    [
      'a section closed twice',
      { fail: '{^deployment.hpa}No HPA{/deployment.hpa}{/deployment.hpa}' },
      [`${label}: messages.fail '{/deployment.hpa}' closes no section`],
    ],
    [
      'an item outside a section',
      { fail: 'HPA {.name}' },
      [
        `${label}: messages.fail placeholder '{.name}' reads an item, but is not inside a section such as '{#deployment.removedApis}'`,
      ],
    ],
    [
      'an item with a bad path',
      { fail: '{#deployment.hpa.metrics}{.[x]}{/deployment.hpa.metrics}' },
      [
        `${label}: messages.fail placeholder '{.[x]}' is not a valid path: unexpected '[' at character 3`,
      ],
    ],
  ])('rejects %s', (_, messages, problems) => {
    expect(checkProblems({ ...valid, messages })).toEqual(problems);
  });

  it('reads the known fact documents when they are given', () => {
    expect(
      compileCheck(
        {
          ...valid,
          messages: { pass: '{entity.name}: {deployment.hpa.name}' },
        },
        { knownFacts: ['entity', 'deployment'] },
      ).definition.messages,
    ).toEqual({ pass: '{entity.name}: {deployment.hpa.name}' });
    expect(
      checkProblems(
        { ...valid, messages: { pass: '{sla.tier}' } },
        { knownFacts: ['entity', 'deployment'] },
      ),
    ).toEqual([
      `${label}: messages.pass placeholder '{sla.tier}' refers to an unknown fact document 'sla'; expected one of entity, deployment`,
    ]);
  });

  it('rejects bad condition messages, and messages under not', () => {
    expect(
      checkProblems({
        ...valid,
        rule: {
          all: [
            { ...leaf, message: 42 },
            { not: { ...leaf, message: 'HPA {deployment.hpa.name}' } },
            { any: [leaf, leaf], message: 'No {deployment.hpa.nme|HPA' },
            { ...leaf, message: 'Tier {entity.tier}' },
          ],
        },
      }),
    ).toEqual([
      `${label}: rule.all[1].not.message is under 'not', where it would never be shown; put it on the 'not' condition`,
      `${label}: rule.all[0].message must be a non-empty string; got 42`,
      `${label}: rule.all[2].message has an unclosed '{' at character 4; write '{{' for a brace`,
      `${label}: rule.all[3].message placeholder '{entity.tier}' refers to an unknown fact document 'entity'; expected ${RULE_READS}`,
    ]);
  });
});

describe('compileChecks rejects invalid sets of checks', () => {
  it('rejects duplicate ids', () => {
    const error = thrown(() =>
      compileChecks([valid, { ...valid, id: 'other' }, valid, valid]),
    );
    expect(error.problems).toEqual([
      "Invalid readiness check 'hpa-max-replicas' (#3): id is already used by check #1",
      "Invalid readiness check 'hpa-max-replicas' (#4): id is already used by check #1",
    ]);
  });

  it('numbers the checks without an id', () => {
    const { id: _id, ...withoutId } = valid;
    const error = thrown(() =>
      compileChecks([valid, { ...valid, id: 'b' }, withoutId]),
    );
    expect(error.message).toBe(
      'Invalid readiness check #3 (no id): id is required',
    );
  });

  it('lists every problem of every check in one error', () => {
    const error = thrown(() =>
      compileChecks([
        { ...valid, severity: 'high' },
        {
          ...valid,
          id: 'pdb',
          rule: { fact: 'deployment.pdb', operator: 'exist' },
        },
        'not a check',
        { ...valid, id: 'pdb', title: undefined },
      ]),
    );
    expect(error.problems).toEqual([
      "Invalid readiness check 'hpa-max-replicas': severity 'high' is not a known severity; expected one of info, warning, error",
      `Invalid readiness check 'pdb': rule.operator 'exist' is not a known operator (did you mean 'exists'?); expected one of ${OPERATORS}`,
      "Invalid readiness check #3 (no id): the check must be an object; got 'not a check'",
      "Invalid readiness check 'pdb': title is required",
      "Invalid readiness check 'pdb' (#4): id is already used by check #2",
    ]);
    expect(error.message.split('\n')[0]).toBe(
      'Found 5 problems in readiness checks:',
    );
  });

  it('rejects something that is not a list', () => {
    expect(
      thrown(() => compileChecks({ checks: [] } as unknown as unknown[]))
        .problems,
    ).toEqual([
      'Invalid readiness checks: expected a list of checks; got {"checks":[]}',
    ]);
  });

  it('rejects bad custom operators once, before the checks', () => {
    expect(
      thrown(() =>
        compileChecks([valid], {
          operators: [{ name: 'in', evaluate: () => true }],
        }),
      ).problems,
    ).toEqual([
      "Invalid readiness operator 'in': the name is used by a built-in operator",
    ]);
  });
});
