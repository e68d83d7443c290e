import type { Entity } from '@backstage/catalog-model';
import { compileChecks } from '../rules';
import { describeNotApplicable, evaluateChecks } from './evaluate';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'svc',
    annotations: { 'prodready.dev/tier': 'tier-3' },
  },
  spec: { type: 'service', lifecycle: 'experimental', owner: 'team' },
};

const base = {
  area: 'auto-scaling',
  level: 'silver',
  severity: 'error',
  remediation: 'Raise maxReplicas.',
  rule: {
    fact: 'deployment',
    path: '$.hpa.maxReplicas',
    operator: 'lessThanInclusive',
    value: 50,
  },
};

const checks = compileChecks([
  { ...base, id: 'everywhere', title: 'Everywhere' },
  {
    ...base,
    id: 'production',
    title: 'Production only',
    applicability: { kinds: ['Component'], lifecycles: ['production'] },
  },
  {
    ...base,
    id: 'warn',
    title: 'Warns',
    severity: 'warning',
  },
]);

describe('evaluateChecks', () => {
  const now = new Date('2026-11-26T10:00:00Z');

  it('evaluates applicable checks and says why the others do not apply', () => {
    expect(
      evaluateChecks(checks, {
        entity,
        entityRef: 'component:default/svc',
        facts: { deployment: { hpa: { maxReplicas: 80 } } },
        now,
        factsVersion: 'abc',
      }),
    ).toEqual([
      {
        checkId: 'everywhere',
        entityRef: 'component:default/svc',
        status: 'fail',
        message: 'Failed: deployment.hpa.maxReplicas is 80; expected ≤ 50.',
        evaluatedAt: '2026-11-26T10:00:00.000Z',
        factsVersion: 'abc',
      },
      {
        checkId: 'production',
        entityRef: 'component:default/svc',
        status: 'not-applicable',
        message:
          "Not applicable: it applies to lifecycle production; this entity's lifecycle is experimental.",
        evaluatedAt: '2026-11-26T10:00:00.000Z',
        factsVersion: 'abc',
      },
      {
        checkId: 'warn',
        entityRef: 'component:default/svc',
        status: 'warn',
        message: 'Warning: deployment.hpa.maxReplicas is 80; expected ≤ 50.',
        evaluatedAt: '2026-11-26T10:00:00.000Z',
        factsVersion: 'abc',
      },
    ]);
  });

  it('reports missing fact documents as errors', () => {
    const [result] = evaluateChecks(checks, {
      entity,
      entityRef: 'component:default/svc',
      facts: {},
      now,
    });
    expect(result).toMatchObject({
      status: 'error',
      message: "Could not evaluate: there are no 'deployment' facts.",
    });
    expect(result).not.toHaveProperty('factsVersion');
  });
});

describe('describeNotApplicable', () => {
  it('names the first list the entity is not in', () => {
    expect(
      describeNotApplicable(
        { kinds: ['Component'], types: ['service', 'website'] },
        { kind: 'Component', type: 'library' },
      ),
    ).toBe(
      "it applies to types service, website; this entity's type is library",
    );
    expect(
      describeNotApplicable(
        { tiers: ['tier-1', 'tier-2'] },
        { kind: 'Component' },
      ),
    ).toBe('it applies to tiers tier-1, tier-2; this entity has no tier');
    expect(
      describeNotApplicable({ kinds: ['component'] }, { kind: 'API' }),
    ).toBe("it applies to kind component; this entity's kind is API");
    expect(describeNotApplicable(undefined, { kind: 'API' })).toBe(
      'it does not apply to this entity',
    );
  });
});
