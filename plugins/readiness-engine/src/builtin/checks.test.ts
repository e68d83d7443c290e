import {
  BUILT_IN_CHECK_IDS,
  CheckRule,
  DEFAULT_LEVELS,
  READINESS_AREAS,
  SEED_SCALING_DEFAULTS,
  SEED_SLA_DEFAULTS,
  parseDuration,
  parsePercentage,
} from '@prodready/plugin-readiness-common';
import { parse } from 'yaml';
import { compileChecks } from '../rules';
import {
  BUILT_IN_CHECKS,
  BUILT_IN_CHECKS_YAML,
  OPTIONAL_FACT_DOCUMENTS,
} from './checks';
import * as api from '.';

const NOW = { now: Date.parse('2026-11-26T00:00:00Z') };
const FACT_DOCUMENTS = [
  'entity',
  'serviceLevels',
  'deployment',
  ...OPTIONAL_FACT_DOCUMENTS,
];

const compiled = compileChecks(BUILT_IN_CHECKS, {
  levels: DEFAULT_LEVELS,
  knownFacts: FACT_DOCUMENTS,
});
const byId = new Map(compiled.map(c => [c.id, c]));

function definition(id: string) {
  const found = BUILT_IN_CHECKS.find(c => c.id === id);
  if (!found) {
    throw new Error(`no built-in check ${id}`);
  }
  return found;
}

/** Every leaf of a rule, with its fact and path. */
function leaves(rule: CheckRule): Array<Record<string, any>> {
  if ('all' in rule) return rule.all.flatMap(leaves);
  if ('any' in rule) return rule.any.flatMap(leaves);
  if ('not' in rule) return leaves(rule.not);
  return [rule as Record<string, any>];
}

function operand(id: string, path: string): unknown {
  const leaf = leaves(definition(id).rule).find(l => l.path === path);
  if (!leaf) {
    throw new Error(`${id} has no condition on ${path}`);
  }
  return leaf.value;
}

describe('BUILT_IN_CHECKS', () => {
  it('is the parsed YAML, frozen, and exported', () => {
    expect(BUILT_IN_CHECKS).toEqual(parse(BUILT_IN_CHECKS_YAML));
    expect(Object.isFrozen(BUILT_IN_CHECKS)).toBe(true);
    expect(Object.isFrozen(BUILT_IN_CHECKS[0].rule)).toBe(true);
    expect(api.BUILT_IN_CHECKS).toBe(BUILT_IN_CHECKS);
  });

  it('compiles: every check is valid, with known levels and fact documents', () => {
    expect(compiled).toHaveLength(BUILT_IN_CHECKS.length);
    for (const check of compiled) {
      expect(
        check.rule.factDocuments.every(d => FACT_DOCUMENTS.includes(d)),
      ).toBe(true);
    }
  });

  it('has unique ids, including every id the Phase 4 checklist is bound to', () => {
    const ids = BUILT_IN_CHECKS.map(c => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toEqual(
      expect.arrayContaining(Object.values(BUILT_IN_CHECK_IDS)),
    );
    expect(
      Object.fromEntries(
        Object.values(BUILT_IN_CHECK_IDS).map(id => [id, definition(id).area]),
      ),
    ).toEqual({
      'hpa-configured': 'auto-scaling',
      'probes-configured': 'load-balancing',
      'pdb-configured': 'load-balancing',
      'resource-requests': 'performance',
      'ingress-tls': 'security',
      'network-policy': 'security',
      'sla-defined': 'sla',
      'slo-alerts': 'monitoring',
      'runbook-linked': 'monitoring',
      'dr-plan-linked': 'disaster-recovery',
      'dr-tested': 'disaster-recovery',
      'backup-meets-rpo': 'disaster-recovery',
    });
  });

  it('covers every area of the seed and every level', () => {
    for (const area of READINESS_AREAS) {
      expect(BUILT_IN_CHECKS.filter(c => c.area === area.id)).not.toEqual([]);
    }
    for (const level of DEFAULT_LEVELS) {
      expect(BUILT_IN_CHECKS.filter(c => c.level === level.id)).not.toEqual([]);
    }
  });

  it('gives every check a title, a description, a remediation and an https docs link', () => {
    for (const check of BUILT_IN_CHECKS) {
      expect(check.title.trim()).not.toBe('');
      expect(check.description?.trim()).toBeTruthy();
      expect(check.remediation.trim().length).toBeGreaterThan(20);
      expect(check.docsUrl).toMatch(/^https:\/\//);
      expect(check.applicability?.kinds).toEqual(['Component']);
      expect(check.applicability?.types?.length).toBeGreaterThan(0);
    }
  });

  it('uses the seed thresholds', () => {
    const seed = SEED_SCALING_DEFAULTS;
    expect(operand('hpa-configured', '$.hpa.minReplicas')).toBe(
      seed.minReplicas,
    );
    expect(operand('hpa-configured', '$.hpa.maxReplicas')).toBe(
      seed.maxReplicas,
    );
    expect(operand('hpa-utilization-targets', '$.hpa.cpuTargetPercent')).toBe(
      seed.cpuUtilizationPercent,
    );
    expect(
      operand('hpa-utilization-targets', '$.hpa.memoryTargetPercent'),
    ).toBe(seed.memoryUtilizationPercent);
    expect(
      operand('hpa-scaling-behavior', '$.hpa.scaleUpStabilizationSeconds'),
    ).toBe(seed.scaleUpCooldownSeconds);
    expect(
      operand('hpa-scaling-behavior', '$.hpa.scaleDownStabilizationSeconds'),
    ).toBe(seed.scaleDownCooldownSeconds);

    const sla = SEED_SLA_DEFAULTS;
    const percent = (value: unknown) => {
      const parsed = parsePercentage(value);
      return parsed.ok ? parsed.value : NaN;
    };
    const duration = (value: unknown) => {
      const parsed = parseDuration(value);
      return parsed.ok ? parsed.value : NaN;
    };
    expect(
      percent(operand('sla-meets-seed-targets', '$.availabilityPercent')),
    ).toBe(sla.availability);
    expect(
      percent(operand('sla-meets-seed-targets', '$.errorRatePercent')),
    ).toBe(sla.errorRate);
    expect(duration(operand('sla-meets-seed-targets', '$.latencyP95Ms'))).toBe(
      sla.latencyP95,
    );
  });

  it('puts the basics at bronze and resilience at gold', () => {
    const levels = Object.fromEntries(
      BUILT_IN_CHECKS.map(c => [c.id, c.level]),
    );
    expect(levels).toMatchObject({
      'sla-defined': 'bronze',
      'runbook-linked': 'bronze',
      'dr-plan-linked': 'bronze',
      'probes-configured': 'bronze',
      'resource-requests': 'bronze',
      'hpa-configured': 'silver',
      'pdb-configured': 'silver',
      'ingress-tls': 'silver',
      'network-policy': 'silver',
      'dr-tested': 'gold',
      'backup-meets-rpo': 'gold',
      'slo-alerts': 'gold',
    });
    // Warnings never block a level: only the extras warn.
    for (const check of BUILT_IN_CHECKS.filter(c => c.severity !== 'error')) {
      expect(['silver', 'gold']).toContain(check.level);
    }
  });
});

describe('built-in check rules', () => {
  const manifests = (deployment: Record<string, unknown>) => ({
    deployment: { mainWorkload: { kind: 'Deployment' }, ...deployment },
  });

  it('ingress checks pass without an Ingress only when there are manifests', () => {
    const check = byId.get('ingress-tls')!;
    expect(
      check.evaluate(
        manifests({ ingress: { present: false, tls: false } }),
        NOW,
      ).status,
    ).toBe('pass');
    expect(
      check.evaluate(
        { deployment: { mainWorkload: null, ingress: { present: false } } },
        NOW,
      ),
    ).toEqual({
      status: 'fail',
      message:
        'No Deployment, StatefulSet or Rollout found in the deployment files.',
      details:
        'deployment.mainWorkload is null; deployment.ingress.tls is missing; expected true.',
      missingFacts: [],
    });
    expect(
      check.evaluate(
        manifests({
          ingress: {
            present: true,
            tls: false,
            names: ['web'],
            uncoveredHosts: ['web.example.com'],
          },
        }),
        NOW,
      ).message,
    ).toBe('Ingress web serves web.example.com without TLS.');
  });

  it('hpa-capacity compares the capacity at maxReplicas with the peak plus 50%', () => {
    const check = byId.get('hpa-capacity')!;
    const facts = (atMax: number) => ({
      serviceLevels: { peakRps: 400, requiredCapacityRps: 600 },
      deployment: { capacity: { perPodRps: 100, atMaxReplicasRps: atMax } },
    });
    expect(check.evaluate(facts(600), NOW).status).toBe('pass');
    expect(check.evaluate(facts(400), NOW)).toMatchObject({
      status: 'fail',
      message:
        'At an unknown number of replicas of 100 rps, the service serves 400 rps, less than the 600 rps that the peak of 400 rps plus 50% needs.',
      details:
        'deployment.capacity.atMaxReplicasRps is 400; expected ≥ serviceLevels.requiredCapacityRps (600).',
    });
  });

  it('sla-meets-seed-targets holds API providers to p95 ≤ 200ms', () => {
    const check = byId.get('sla-meets-seed-targets')!;
    const facts = (apis: number) => ({
      entity: { providesApiCount: apis },
      serviceLevels: {
        availabilityPercent: 99.95,
        errorRatePercent: 0.05,
        latencyP95Ms: 250,
      },
    });
    expect(check.evaluate(facts(0), NOW).status).toBe('pass');
    expect(check.evaluate(facts(1), NOW)).toMatchObject({
      status: 'fail',
      message:
        "The p95 latency target of 250 ms is above the seed's 200 ms for API calls, and the service provides 1 API(s).",
      details:
        'entity.providesApiCount is 1; expected 0; serviceLevels.latencyP95Ms is 250ms; expected at most 200ms.',
    });
  });

  it('no-removed-api-versions names each object in a removed API version', () => {
    const check = byId.get('no-removed-api-versions')!;
    expect(definition('no-removed-api-versions')).toMatchObject({
      area: 'deployment',
      level: 'silver',
      severity: 'error',
      docsUrl:
        'https://kubernetes.io/docs/reference/using-api/deprecation-guide/',
    });
    expect(check.evaluate(manifests({ removedApis: [] }), NOW)).toMatchObject({
      status: 'pass',
      message:
        'Every manifest uses an API version that Kubernetes still serves.',
    });
    // Facts collected before removedApis existed do not fail it.
    expect(check.evaluate(manifests({}), NOW).status).toBe('pass');
    const removed = (kind: string, name: string | null, path: string) => ({
      path,
      document: 1,
      kind,
      name,
      ...(kind === 'HorizontalPodAutoscaler'
        ? {
            apiVersion: 'autoscaling/v2beta2',
            replacement: 'autoscaling/v2',
            removedIn: '1.26',
            deprecatedIn: '1.23',
          }
        : {
            apiVersion: 'extensions/v1beta1',
            replacement: 'networking.k8s.io/v1',
            removedIn: '1.22',
            deprecatedIn: '1.14',
          }),
    });
    expect(
      check.evaluate(
        manifests({
          removedApis: [
            removed('HorizontalPodAutoscaler', 'web', 'hpa.yaml'),
            removed('Ingress', null, 'ingress.yaml'),
          ],
        }),
        NOW,
      ),
    ).toEqual({
      status: 'fail',
      message:
        'HorizontalPodAutoscaler `web` (hpa.yaml) uses autoscaling/v2beta2, removed in Kubernetes 1.26: use autoscaling/v2; Ingress `unnamed` (ingress.yaml) uses extensions/v1beta1, removed in Kubernetes 1.22: use networking.k8s.io/v1.',
      details:
        'deployment.removedApis[0] is present; expected it to be missing.',
      missingFacts: [],
    });
    expect(
      check.evaluate(
        { deployment: { mainWorkload: null, removedApis: [] } },
        NOW,
      ).message,
    ).toBe(
      'No Deployment, StatefulSet or Rollout found in the deployment files, so their API versions were not checked.',
    );
  });

  it('says why in words naming the workload, with the facts as details', () => {
    const workload = { kind: 'Deployment', name: 'podinfo' };
    expect(
      byId
        .get('pdb-configured')!
        .evaluate({ deployment: { mainWorkload: workload, pdb: null } }, NOW),
    ).toEqual({
      status: 'fail',
      message: 'No PodDisruptionBudget selects the pods of `podinfo`.',
      details:
        'deployment.pdb is null; deployment.pdb.matchesWorkload is missing; expected true; deployment.pdb.allowedDisruptions is missing; expected ≥ 1.',
      missingFacts: [],
    });
    const probes = (readiness: boolean, liveness: boolean) =>
      byId.get('probes-configured')!.evaluate(
        {
          deployment: {
            mainWorkload: workload,
            probes: { readiness, liveness },
          },
        },
        NOW,
      ).message;
    expect(probes(false, false)).toBe(
      'Not every container of Deployment `podinfo` has a readiness probe and a liveness probe.',
    );
    expect(probes(true, false)).toBe(
      'Not every container of Deployment `podinfo` has a liveness probe.',
    );
    expect(probes(false, true)).toBe(
      'Not every container of Deployment `podinfo` has a readiness probe.',
    );
    expect(probes(true, true)).toBe(
      'Every container of Deployment `podinfo` has readiness and liveness probes.',
    );
  });

  it('errors when a fact document is missing', () => {
    expect(byId.get('dr-tested')!.evaluate({}, NOW)).toEqual({
      status: 'error',
      message: "Could not evaluate: there are no 'serviceLevels' facts.",
      missingFacts: ['serviceLevels'],
    });
  });
});
