import type { Entity } from '@backstage/catalog-model';
import {
  ApplicabilitySubject,
  ReadinessApplicability,
  isApplicable,
} from '@prodready/plugin-readiness-common';
import {
  FAILURE_STATUS_BY_SEVERITY,
  compileCheck,
  compileChecks,
} from './compileCheck';
import { BUILT_IN_OPERATOR_NAMES } from './operators';
import * as api from '.';

const NOW = Date.parse('2025-06-15T12:00:00Z');
const context = { now: NOW };

const hpaCheck = {
  id: 'hpa-max-replicas',
  title: 'HPA allows enough replicas',
  description: 'The HorizontalPodAutoscaler can scale to the expected peak.',
  area: 'auto-scaling',
  level: 'silver',
  applicability: {
    kinds: ['Component'],
    types: ['service'],
    lifecycles: ['production'],
    tiers: ['tier-1', 'tier-2'],
  },
  rule: {
    fact: 'deployment',
    path: '$.hpa.maxReplicas',
    operator: 'greaterThanInclusive',
    value: 6,
  },
  severity: 'error',
  remediation: 'Raise spec.maxReplicas of the HorizontalPodAutoscaler.',
  docsUrl: 'https://docs.example.com/readiness/hpa',
};

function withSeverity(severity: string) {
  return compileCheck({ ...hpaCheck, severity });
}

describe('compileCheck', () => {
  it('keeps the validated definition', () => {
    const check = compileCheck({ ...hpaCheck });
    expect(check.id).toBe('hpa-max-replicas');
    expect(check.definition).toEqual(hpaCheck);
    expect(check.rule.factDocuments).toEqual(['deployment']);
    expect(check.failureStatus).toBe('fail');
    expect(Object.isFrozen(check)).toBe(true);
  });

  it('leaves optional fields out of the definition', () => {
    const { description, applicability, docsUrl, ...minimal } = hpaCheck;
    const check = compileCheck(minimal);
    expect(check.definition).toEqual(minimal);
    expect(Object.keys(check.definition)).not.toContain('docsUrl');
  });

  it('passes with a message that says why', () => {
    expect(
      compileCheck(hpaCheck).evaluate(
        { deployment: { hpa: { maxReplicas: 18 } } },
        context,
      ),
    ).toEqual({
      status: 'pass',
      message: 'Passed: deployment.hpa.maxReplicas is 18 (≥ 6).',
      missingFacts: [],
    });
  });

  it.each([
    ['error', 'fail', 'Failed'],
    ['warning', 'warn', 'Warning'],
    ['info', 'warn', 'Warning'],
  ])('maps a failure of severity %s to %s', (severity, status, prefix) => {
    const check = withSeverity(severity);
    expect(check.failureStatus).toBe(status);
    expect(
      check.evaluate({ deployment: { hpa: { maxReplicas: 4 } } }, context),
    ).toEqual({
      status,
      message: `${prefix}: deployment.hpa.maxReplicas is 4; expected ≥ 6.`,
      missingFacts: [],
    });
  });

  it('documents the severity mapping', () => {
    expect(FAILURE_STATUS_BY_SEVERITY).toEqual({
      error: 'fail',
      warning: 'warn',
      info: 'warn',
    });
  });

  it('fails when the value is missing from the facts', () => {
    expect(
      compileCheck(hpaCheck).evaluate({ deployment: { hpa: {} } }, context),
    ).toEqual({
      status: 'fail',
      message: 'Failed: deployment.hpa.maxReplicas is missing; expected ≥ 6.',
      missingFacts: [],
    });
  });

  it('errors when a fact document is missing, whatever the severity', () => {
    for (const severity of ['error', 'warning', 'info']) {
      expect(withSeverity(severity).evaluate({ sla: {} }, context)).toEqual({
        status: 'error',
        message: "Could not evaluate: there are no 'deployment' facts.",
        missingFacts: ['deployment'],
      });
    }
  });

  it('errors when a custom operator throws', () => {
    const check = compileCheck(
      {
        ...hpaCheck,
        rule: { fact: 'deployment.hpa', operator: 'boom', value: 1 },
      },
      {
        operators: [
          {
            name: 'boom',
            evaluate: () => {
              throw new TypeError('x is not a function');
            },
          },
        ],
      },
    );
    expect(check.evaluate({ deployment: { hpa: 1 } }, context)).toEqual({
      status: 'error',
      message:
        "Could not evaluate: deployment.hpa could not be checked: operator 'boom' failed: x is not a function.",
      missingFacts: [],
    });
  });

  it('never throws, even on facts that are not an object', () => {
    const check = compileCheck(hpaCheck);
    for (const facts of [undefined, null, 5, 'x', [], { deployment: 5 }]) {
      expect(() => check.evaluate(facts as any, context)).not.toThrow();
    }
    expect(check.evaluate({ deployment: 'x' }, context).status).toBe('fail');
  });

  it('shows at most ten reasons', () => {
    const check = compileCheck({
      ...hpaCheck,
      rule: {
        all: Array.from({ length: 12 }, (_, i) => ({
          fact: `deployment.c${i}`,
          operator: 'exists',
        })),
      },
    });
    const { message } = check.evaluate({ deployment: {} }, context);
    expect(message).toBe(
      `Failed: ${Array.from(
        { length: 10 },
        (_, i) => `deployment.c${i} is missing`,
      ).join('; ')}; and 2 more.`,
    );
  });
});

describe('CompiledCheck.appliesTo', () => {
  const subject: ApplicabilitySubject = {
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    tier: 'tier-1',
  };

  it('decides by kind, type, lifecycle and tier, case-insensitively', () => {
    const check = compileCheck(hpaCheck);
    expect(check.appliesTo(subject)).toBe(true);
    expect(
      check.appliesTo({ ...subject, kind: 'component', type: 'SERVICE' }),
    ).toBe(true);
    expect(check.appliesTo({ ...subject, kind: 'API' })).toBe(false);
    expect(check.appliesTo({ ...subject, type: 'website' })).toBe(false);
    expect(check.appliesTo({ ...subject, lifecycle: 'experimental' })).toBe(
      false,
    );
    expect(check.appliesTo({ ...subject, tier: 'tier-3' })).toBe(false);
    expect(check.appliesTo({ ...subject, tier: undefined })).toBe(false);
  });

  it('applies to everything without applicability or with empty lists', () => {
    const { applicability, ...rest } = hpaCheck;
    for (const definition of [
      rest,
      { ...rest, applicability: {} },
      { ...rest, applicability: { kinds: [], tiers: [] } },
    ]) {
      const check = compileCheck(definition);
      expect(check.appliesTo({ kind: 'Group' })).toBe(true);
    }
  });

  it('agrees with isApplicable', () => {
    const applicabilities: ReadinessApplicability[] = [
      {},
      { kinds: ['Component'] },
      { kinds: ['component', 'Resource'], types: ['service'] },
      { lifecycles: ['production'], tiers: ['tier-1'] },
      { tiers: ['tier-2', 'tier-3'] },
    ];
    const subjects: ApplicabilitySubject[] = [
      subject,
      { kind: 'Resource' },
      { kind: 'Component', type: 'website', tier: 'tier-2' },
      { kind: 'component', lifecycle: 'Production', tier: 'tier-1' },
    ];
    for (const applicability of applicabilities) {
      const check = compileCheck({ ...hpaCheck, applicability });
      for (const s of subjects) {
        expect(check.appliesTo(s)).toBe(isApplicable(applicability, s));
      }
    }
  });

  it('decides for catalog entities', () => {
    const check = compileCheck(hpaCheck);
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: {
        name: 'payments',
        annotations: { 'prodready.dev/tier': 'tier-2' },
      },
      spec: { type: 'service', lifecycle: 'production', owner: 'team-a' },
    };
    expect(check.appliesToEntity(entity)).toBe(true);
    expect(
      check.appliesToEntity({
        ...entity,
        metadata: {
          name: 'payments',
          annotations: { 'prodready.dev/tier': 'x' },
        },
      }),
    ).toBe(false);
  });
});

describe('compileChecks', () => {
  it('compiles a set of checks in order', () => {
    const checks = compileChecks(
      [
        hpaCheck,
        {
          id: 'pdb-configured',
          title: 'A PodDisruptionBudget exists',
          area: 'load-balancing',
          level: 'silver',
          rule: { fact: 'deployment.pdb', operator: 'exists', value: true },
          severity: 'warning',
          remediation: 'Add a PodDisruptionBudget.',
        },
      ],
      {
        levels: ['bronze', 'silver', 'gold'],
        knownFacts: ['deployment', 'sla'],
      },
    );
    expect(checks.map(check => check.id)).toEqual([
      'hpa-max-replicas',
      'pdb-configured',
    ]);
    expect(checks.map(check => check.failureStatus)).toEqual(['fail', 'warn']);
  });

  it('compiles an empty set', () => {
    expect(compileChecks([])).toEqual([]);
  });

  it('migrates a Tech Insights json-rules-engine check', () => {
    // The rule of a TechInsightJsonRuleCheck, with its conditions wrapper.
    const [check] = compileChecks([
      {
        id: 'groupOwnerCheck',
        title: 'Group Owner Check',
        area: 'monitoring',
        level: 'bronze',
        severity: 'error',
        remediation: 'Set spec.owner to a group.',
        rule: {
          conditions: {
            all: [
              {
                fact: 'entityOwnershipFactRetriever',
                path: '$.hasGroupOwner',
                operator: 'equal',
                value: true,
              },
            ],
          },
        },
      },
    ]);
    expect(
      check.evaluate(
        { entityOwnershipFactRetriever: { hasGroupOwner: false } },
        context,
      ),
    ).toEqual({
      status: 'fail',
      message:
        'Failed: entityOwnershipFactRetriever.hasGroupOwner is false; expected true.',
      missingFacts: [],
    });
  });

  it('uses custom operators in every check', () => {
    const checks = compileChecks(
      [
        {
          ...hpaCheck,
          rule: {
            fact: 'deployment.hpa.maxReplicas',
            operator: 'isEven',
            value: true,
          },
        },
        {
          ...hpaCheck,
          id: 'replicas-even',
          rule: {
            fact: 'deployment.replicas',
            operator: 'isEven',
            value: true,
          },
        },
      ],
      {
        operators: [
          {
            name: 'isEven',
            evaluate: (fact, value) =>
              typeof fact === 'number' && (fact % 2 === 0) === value,
          },
        ],
      },
    );
    const facts = { deployment: { replicas: 3, hpa: { maxReplicas: 18 } } };
    expect(checks.map(check => check.evaluate(facts, context))).toEqual([
      {
        status: 'pass',
        message: 'Passed: deployment.hpa.maxReplicas is 18 (isEven true).',
        missingFacts: [],
      },
      {
        status: 'fail',
        message: 'Failed: deployment.replicas is 3; expected isEven true.',
        missingFacts: [],
      },
    ]);
  });
});

describe('the module API', () => {
  it('exports the compiler', () => {
    expect(Object.keys(api).sort()).toEqual([
      'BUILT_IN_OPERATOR_NAMES',
      'CheckDefinitionError',
      'FAILURE_STATUS_BY_SEVERITY',
      'compileCheck',
      'compileChecks',
      'compileRule',
      'formatValue',
    ]);
    expect(BUILT_IN_OPERATOR_NAMES).toEqual([
      'equal',
      'notEqual',
      'lessThan',
      'lessThanInclusive',
      'greaterThan',
      'greaterThanInclusive',
      'in',
      'notIn',
      'contains',
      'doesNotContain',
      'exists',
      'notExists',
      'durationAtMost',
      'durationAtLeast',
      'percentageAtLeast',
      'percentageAtMost',
      'dateWithin',
      'semverAtLeast',
      'semverLessThan',
      'matches',
    ]);
  });
});
