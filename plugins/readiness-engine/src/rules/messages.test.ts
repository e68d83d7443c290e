import { Entity } from '@backstage/catalog-model';
import { evaluateChecks } from '../scoring';
import { compileCheck } from './compileCheck';
import { compileRule } from './compileRule';
import { toSentence } from './messages';

const context = { now: Date.parse('2026-11-26T00:00:00Z') };

const pdbCheck = {
  id: 'pdb',
  title: 'A PodDisruptionBudget that leaves room to drain',
  area: 'load-balancing',
  level: 'silver',
  severity: 'error',
  remediation: 'Add a PodDisruptionBudget.',
  rule: {
    all: [
      {
        fact: 'deployment',
        path: '$.pdb',
        operator: 'exists',
        message:
          'No PodDisruptionBudget selects the pods of `{deployment.mainWorkload.name}`',
      },
      {
        fact: 'deployment',
        path: '$.pdb.matchesWorkload',
        operator: 'equal',
        value: true,
        message:
          'PodDisruptionBudget `{deployment.pdb.name}` does not select the pods of `{deployment.mainWorkload.name}`',
      },
      {
        fact: 'deployment',
        path: '$.pdb.allowedDisruptions',
        operator: 'greaterThanInclusive',
        value: 1,
      },
    ],
  },
  messages: {
    pass: 'PodDisruptionBudget `{deployment.pdb.name}` lets {deployment.pdb.allowedDisruptions} pod(s) of `{deployment.mainWorkload.name}` be evicted at a time',
    fail: 'PodDisruptionBudget `{deployment.pdb.name}` lets no pod of `{deployment.mainWorkload.name}` be evicted, which blocks node drains',
  },
};

const workload = { kind: 'Deployment', name: 'podinfo' };

function evaluate(check: unknown, deployment: unknown) {
  return compileCheck(check).evaluate({ deployment }, context);
}

describe('check messages', () => {
  it('says why in words, and keeps the facts as details', () => {
    expect(evaluate(pdbCheck, { mainWorkload: workload, pdb: null })).toEqual({
      status: 'fail',
      message: 'No PodDisruptionBudget selects the pods of `podinfo`.',
      details:
        'deployment.pdb is null; deployment.pdb.matchesWorkload is missing; expected true; deployment.pdb.allowedDisruptions is missing; expected ≥ 1.',
      missingFacts: [],
    });
  });

  it('takes the message of the first condition that failed, else the check’s', () => {
    expect(
      evaluate(pdbCheck, {
        mainWorkload: workload,
        pdb: { name: 'other', matchesWorkload: false, allowedDisruptions: 0 },
      }).message,
    ).toBe(
      'PodDisruptionBudget `other` does not select the pods of `podinfo`.',
    );
    expect(
      evaluate(pdbCheck, {
        mainWorkload: workload,
        pdb: { name: 'podinfo', matchesWorkload: true, allowedDisruptions: 0 },
      }),
    ).toEqual({
      status: 'fail',
      message:
        'PodDisruptionBudget `podinfo` lets no pod of `podinfo` be evicted, which blocks node drains.',
      details: 'deployment.pdb.allowedDisruptions is 0; expected ≥ 1.',
      missingFacts: [],
    });
  });

  it('passes in words', () => {
    expect(
      evaluate(pdbCheck, {
        mainWorkload: workload,
        pdb: { name: 'podinfo', matchesWorkload: true, allowedDisruptions: 2 },
      }),
    ).toEqual({
      status: 'pass',
      message:
        'PodDisruptionBudget `podinfo` lets 2 pod(s) of `podinfo` be evicted at a time.',
      details:
        'deployment.pdb is present; deployment.pdb.matchesWorkload is true (= true); deployment.pdb.allowedDisruptions is 2 (≥ 1).',
      missingFacts: [],
    });
  });

  it('uses the fail message for warnings', () => {
    expect(
      evaluate(
        { ...pdbCheck, severity: 'warning' },
        { mainWorkload: workload, pdb: null },
      ),
    ).toMatchObject({
      status: 'warn',
      message: 'No PodDisruptionBudget selects the pods of `podinfo`.',
    });
  });

  it('keeps the explanation when the facts are missing', () => {
    expect(compileCheck(pdbCheck).evaluate({}, context)).toEqual({
      status: 'error',
      message: "Could not evaluate: there are no 'deployment' facts.",
      missingFacts: ['deployment'],
    });
  });

  it('keeps the explanation of checks without messages, and of a status without one', () => {
    const { messages, ...plain } = pdbCheck;
    expect(
      evaluate(plain, {
        mainWorkload: workload,
        pdb: { name: 'podinfo', matchesWorkload: true, allowedDisruptions: 0 },
      }),
    ).toEqual({
      status: 'fail',
      message: 'Failed: deployment.pdb.allowedDisruptions is 0; expected ≥ 1.',
      missingFacts: [],
    });
    expect(
      evaluate(
        { ...pdbCheck, messages: { fail: messages.fail } },
        {
          mainWorkload: workload,
          pdb: { name: 'w', matchesWorkload: true, allowedDisruptions: 1 },
        },
      ).message,
    ).toBe(
      'Passed: deployment.pdb is present; deployment.pdb.matchesWorkload is true (= true); deployment.pdb.allowedDisruptions is 1 (≥ 1).',
    );
  });

  it('falls back to the explanation when a message renders nothing', () => {
    const check = {
      ...pdbCheck,
      rule: pdbCheck.rule.all[2],
      messages: { fail: '{#deployment.pdb.name}PDB {.}{/deployment.pdb.name}' },
    };
    expect(
      evaluate(check, { pdb: { name: '', allowedDisruptions: 0 } }),
    ).toEqual({
      status: 'fail',
      message: 'Failed: deployment.pdb.allowedDisruptions is 0; expected ≥ 1.',
      missingFacts: [],
    });
  });

  it('finds messages in any, and on not', () => {
    const check = {
      ...pdbCheck,
      rule: {
        all: [
          {
            any: [
              {
                fact: 'deployment',
                path: '$.ingress.present',
                operator: 'equal',
                value: false,
              },
              {
                fact: 'deployment',
                path: '$.ingress.tls',
                operator: 'equal',
                value: true,
                message:
                  'Hosts {deployment.ingress.uncoveredHosts} are served without TLS',
              },
            ],
          },
          {
            not: {
              fact: 'deployment',
              path: '$.service.types',
              operator: 'contains',
              value: 'NodePort',
            },
            message:
              'A NodePort Service exposes `{deployment.mainWorkload.name}`',
          },
        ],
      },
      messages: {},
    };
    expect(
      evaluate(check, {
        mainWorkload: workload,
        ingress: {
          present: true,
          tls: false,
          uncoveredHosts: ['a.io', 'b.io'],
        },
        service: { types: ['NodePort'] },
      }).message,
    ).toBe('Hosts a.io, b.io are served without TLS.');
    expect(
      evaluate(check, {
        mainWorkload: workload,
        ingress: { present: false },
        service: { types: ['ClusterIP', 'NodePort'] },
      }).message,
    ).toBe('A NodePort Service exposes `podinfo`.');
  });

  it('gives the rule outcome the message of the failing condition', () => {
    const rule = compileRule(pdbCheck.rule, { checkId: 'pdb' });
    expect(
      rule.evaluate({ deployment: { mainWorkload: workload } }, context),
    ).toMatchObject({
      verdict: 'fail',
      message: 'No PodDisruptionBudget selects the pods of `podinfo`.',
    });
    expect(
      rule.evaluate(
        {
          deployment: {
            pdb: { matchesWorkload: true, allowedDisruptions: 1 },
          },
        },
        context,
      ),
    ).not.toHaveProperty('message');
    expect(rule.evaluate({}, context)).not.toHaveProperty('message');
  });

  it('copies the details into the results', () => {
    const entity: Entity = {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'podinfo' },
    };
    const [result] = evaluateChecks([compileCheck(pdbCheck)], {
      entity,
      entityRef: 'component:default/podinfo',
      facts: { deployment: { mainWorkload: workload } },
      now: new Date(context.now),
    });
    expect(result).toMatchObject({
      status: 'fail',
      message: 'No PodDisruptionBudget selects the pods of `podinfo`.',
      details: expect.stringMatching(/^deployment\.pdb is missing;/),
    });
  });
});

describe('message templates', () => {
  /** Renders a pass message of a check that always passes. */
  function render(template: string, deployment: unknown): string {
    return compileCheck({
      ...pdbCheck,
      rule: { fact: 'deployment', operator: 'exists' },
      messages: { pass: template },
    }).evaluate({ deployment }, context).message;
  }

  it('fills in the facts of a document', () => {
    const facts = {
      name: 'web',
      replicas: 3,
      ratio: 0.5,
      tls: true,
      none: null,
      hosts: ['a.io', 'b.io'],
      many: Array.from({ length: 12 }, (_, i) => i + 1),
      empty: [],
      selector: { app: 'web' },
      long: 'x'.repeat(550),
    };
    const d = (field: string) => `{deployment.${field}}`;
    expect(
      render(
        ['name', 'replicas', 'ratio', 'tls', 'none', 'missing', 'hosts']
          .map(d)
          .join(' | '),
        facts,
      ),
    ).toBe('web | 3 | 0.5 | true | none | none | a.io, b.io.');
    expect(render(`${d('empty')}; ${d('selector')}; ${d('many')}`, facts)).toBe(
      'none; {"app":"web"}; 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more.',
    );
    expect(render(d('long'), facts)).toBe(`${'x'.repeat(500)}….`);
    expect(
      render(
        '{deployment.none|no PDB}, {deployment.empty|no hosts}, {deployment.name|unnamed}',
        facts,
      ),
    ).toBe('no PDB, no hosts, web.');
    expect(render('Braces: {{ {deployment.name} }}!', facts)).toBe(
      'Braces: { web }!',
    );
  });

  it('repeats a section for each item, and reads items', () => {
    const removedApis = [
      {
        kind: 'HorizontalPodAutoscaler',
        name: 'web',
        path: 'hpa.yaml',
        apiVersion: 'autoscaling/v2beta2',
        replacement: 'autoscaling/v2',
        removedIn: '1.26',
      },
      {
        kind: 'Ingress',
        name: null,
        path: 'ingress.yaml',
        apiVersion: 'extensions/v1beta1',
        replacement: 'networking.k8s.io/v1',
        removedIn: '1.22',
      },
    ];
    expect(
      render(
        '{#deployment.removedApis}{.kind} `{.name|unnamed}` ({.path}) uses {.apiVersion}, removed in Kubernetes {.removedIn}: use {.replacement}{/deployment.removedApis}',
        { removedApis },
      ),
    ).toBe(
      'HorizontalPodAutoscaler `web` (hpa.yaml) uses autoscaling/v2beta2, removed in Kubernetes 1.26: use autoscaling/v2; Ingress `unnamed` (ingress.yaml) uses extensions/v1beta1, removed in Kubernetes 1.22: use networking.k8s.io/v1.',
    );
    expect(
      render('Items: {#deployment.list}<{.}>{/deployment.list}', {
        list: Array.from({ length: 11 }, (_, i) => i),
      }),
    ).toBe(
      'Items: <0>; <1>; <2>; <3>; <4>; <5>; <6>; <7>; <8>; <9>; and 1 more.',
    );
    expect(
      render(
        '{#deployment.hpa}{.name}: {#.metrics}{.name} at {.target}{/.metrics}{/deployment.hpa}',
        {
          hpa: {
            name: 'web',
            metrics: [
              { name: 'cpu', target: 70 },
              { name: 'memory', target: 80 },
            ],
          },
        },
      ),
    ).toBe('web: cpu at 70; memory at 80.');
  });

  it('shows sections when a value is set, and inverted ones when not', () => {
    const template =
      '{#deployment.pdb}PDB {deployment.pdb.name}{/deployment.pdb}{^deployment.pdb}No PDB{/deployment.pdb}';
    expect(render(template, { pdb: { name: 'web' } })).toBe('PDB web.');
    for (const pdb of [null, undefined, false, 0, '', []]) {
      expect(render(template, { pdb })).toBe('No PDB.');
    }
  });

  it('makes sentences', () => {
    expect(toSentence('  HPA `web` scales  ')).toBe('HPA `web` scales.');
    expect(toSentence('Done!')).toBe('Done!');
    expect(toSentence('Done.')).toBe('Done.');
    expect(toSentence(' \n ')).toBe('');
  });
});
