import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CheckResult,
  CheckResultStatus,
  DEFAULT_LEVELS,
  JsonObject,
  Scorecard,
} from '@prodready/plugin-readiness-common';
import {
  EXAMPLES_NOW,
  collectFacts,
  createExampleCollectors,
  exampleServices,
  loadExampleEntities,
} from '../__testUtils__/examples';
import { compileChecks } from '../rules';
import { buildScorecard, evaluateChecks } from '../scoring';
import { BUILT_IN_CHECKS, OPTIONAL_FACT_DOCUMENTS } from './checks';

/**
 * The proof: every example service of examples/entities.yaml, collected with
 * the three built-in collectors (a fake catalog of the example entities; the
 * deployment files read from disk through the `file` location of
 * entities.yaml), evaluated with every built-in check at 2026-11-26, gets
 * the statuses and level that examples/README.md describes.
 */

type Evaluated = {
  entity: Entity;
  facts: Record<string, JsonObject>;
  results: Record<string, CheckResult>;
  scorecard: Scorecard;
};

const checks = compileChecks(BUILT_IN_CHECKS, {
  levels: DEFAULT_LEVELS,
  knownFacts: [
    'entity',
    'serviceLevels',
    'deployment',
    ...OPTIONAL_FACT_DOCUMENTS,
  ],
});
const levelOf = new Map(BUILT_IN_CHECKS.map(c => [c.id, c.level]));
const severityOf = new Map(BUILT_IN_CHECKS.map(c => [c.id, c.severity]));

const evaluated = new Map<string, Evaluated>();

beforeAll(async () => {
  const entities = loadExampleEntities();
  const collectors = createExampleCollectors(entities);
  for (const entity of exampleServices(entities)) {
    const facts = await collectFacts(entity, collectors);
    const entityRef = stringifyEntityRef(entity);
    const list = evaluateChecks(checks, {
      entity,
      entityRef,
      facts,
      now: EXAMPLES_NOW,
    });
    evaluated.set(entity.metadata.name, {
      entity,
      facts,
      results: Object.fromEntries(list.map(r => [r.checkId, r])),
      scorecard: buildScorecard({
        entityRef,
        checks: BUILT_IN_CHECKS,
        results: list,
        evaluatedAt: EXAMPLES_NOW,
      }),
    });
  }
});

function get(service: string): Evaluated {
  const found = evaluated.get(service);
  if (!found) {
    throw new Error(`no example service ${service}`);
  }
  return found;
}

function status(service: string, checkId: string): CheckResultStatus {
  const result = get(service).results[checkId];
  if (!result) {
    throw new Error(`no result of ${checkId} for ${service}`);
  }
  return result.status;
}

function message(service: string, checkId: string): string {
  return get(service).results[checkId].message;
}

/** The checks of a service that have a given status. */
function withStatus(service: string, wanted: CheckResultStatus): string[] {
  return Object.values(get(service).results)
    .filter(r => r.status === wanted)
    .map(r => r.checkId)
    .sort();
}

const P = 'pass';
const F = 'fail';
const W = 'warn';
const NA = 'not-applicable';

/**
 * One row per example service: the level reached and the statuses of the
 * key checks, as examples/README.md describes the service.
 */
const EXPECTED: Array<{
  service: string;
  level: string | null;
  checks: Record<string, CheckResultStatus>;
}> = [
  {
    // Fully ready; gold is missed only for want of SLO alerts as code.
    service: 'payments-api',
    level: 'silver',
    checks: {
      'sla-defined': P,
      'hpa-configured': P,
      'hpa-capacity': P,
      'pdb-configured': P,
      'probes-configured': P,
      'ingress-tls': P,
      'network-policy': P,
      'compliance-tagged': P, // pci-dss
      'dr-tested': P,
      'backup-meets-rpo': P,
      'metrics-scraped': P, // prometheus.io/scrape
      'rate-limiting': P,
      'no-removed-api-versions': P,
      'slo-alerts': F,
    },
  },
  {
    // Helm values; inline p95 250ms is fine: it provides no API.
    service: 'ledger-service',
    level: 'silver',
    checks: {
      'deployment-manifests-found': P,
      'sla-meets-seed-targets': P,
      'hpa-capacity': P, // 18 × 50 = 900 = 600 × 1.5
      'pdb-configured': P,
      'dr-plan-linked': P, // from dr-plan-critical
      'dr-tested': P,
      'compliance-tagged': F,
      'slo-alerts': F,
    },
  },
  {
    service: 'checkout-api',
    level: 'silver',
    checks: {
      'sla-meets-seed-targets': P, // error-rate 0.02% inline
      'hpa-capacity': P,
      'network-policy': P,
      'dr-tested': P,
      'slo-alerts': F,
    },
  },
  {
    service: 'auth-service',
    level: 'silver',
    checks: {
      'hpa-capacity': P,
      'network-policy-egress': P,
      'rate-limiting': P,
      'dr-tested': P,
      'slo-alerts': F,
    },
  },
  {
    // DR test overdue: a gold check.
    service: 'refund-service',
    level: 'silver',
    checks: {
      'hpa-capacity': P, // 6 × 50 = 300 = 200 × 1.5
      'ingress-tls': P,
      'tls-certificate-managed': P, // internal-ca
      'dr-plan-linked': P,
      'backup-meets-rpo': P,
      'dr-tested': F,
    },
  },
  {
    service: 'fraud-detection',
    level: null,
    checks: {
      'sla-defined': P,
      'runbook-linked': P,
      'probes-configured': P,
      'resource-requests': P,
      'hpa-configured': P,
      'pdb-configured': F,
      'network-policy': F,
      'zone-spread': F,
      'hpa-capacity': F,
      'ingress-tls': P, // internal: no Ingress
      'dr-plan-linked': F,
      'dr-objectives-defined': F,
      'backup-scheduled': F,
      'dr-tested': F,
    },
  },
  {
    service: 'cart-service',
    level: null,
    checks: {
      'sla-defined': P,
      'sla-meets-seed-targets': F, // 99.5%
      'probes-configured': F,
      'pdb-configured': F,
      'network-policy': F,
      'ingress-tls': F,
      'tls-certificate-managed': F,
      'hpa-configured': P,
      'hpa-capacity': P,
      'dr-objectives-defined': P, // RTO 2h, RPO 30m
      'backup-scheduled': F,
      'dr-plan-linked': F,
      'runbook-linked': F,
      caching: P, // depends on resource:default/cart-cache
    },
  },
  {
    service: 'user-profile-service',
    level: null,
    checks: {
      'startup-probe': W,
      'probes-configured': P,
      'hpa-configured': P,
      'hpa-utilization-targets': F, // CPU only
      'hpa-scaling-behavior': F, // no behavior
      'hpa-capacity': P,
      'pdb-configured': P,
      'ingress-tls': P,
      'network-policy': F,
      'backup-scheduled': P,
      'dr-objectives-defined': F,
      'dr-plan-linked': F,
    },
  },
  {
    service: 'reporting-service',
    level: null,
    checks: {
      'sla-defined': P,
      'dr-objectives-defined': P,
      'backup-scheduled': P,
      'backup-meets-rpo': P,
      'dr-plan-linked': F,
      'runbook-linked': F,
      'dr-tested': F,
      'deployment-manifests-found': F,
      'no-removed-api-versions': F, // no manifests to check
      'compliance-tagged': NA, // tier-3
    },
  },
  {
    service: 'tax-calculator',
    level: null,
    checks: {
      'sla-defined': F,
      'tier-declared': F,
      'runbook-linked': F,
      'dr-plan-linked': F,
      'deployment-manifests-found': F,
      'compliance-tagged': NA, // no tier
    },
  },
  {
    service: 'recommendations-service',
    level: null,
    checks: {
      'sla-defined': F,
      'tier-declared': F,
      'service-levels-valid': P,
      'runbook-linked': NA, // experimental
      'hpa-configured': NA,
      'dr-tested': NA,
    },
  },
  {
    service: 'payouts-worker',
    level: null,
    checks: {
      'service-levels-valid': F, // rto '4 hours', backup-schedule 'every 6 hours'
      'dr-objectives-defined': P, // from dr-plan-critical
      'deployment-manifests-found': F,
    },
  },
  {
    service: 'product-search',
    level: null,
    checks: {
      'service-levels-valid': F, // availability '110%'
      'resource-requests': F,
      'utilization-targets-have-requests': F,
      'zone-spread': F,
      'hpa-configured': P,
      'hpa-capacity': P, // 23 × 100 ≥ 2250
      'pdb-configured': P,
      'ingress-tls': P,
      'network-policy': P,
    },
  },
  {
    service: 'inventory-service',
    level: null,
    checks: {
      'service-levels-valid': F, // bad date, ftp runbook
      'runbook-linked': P, // from dr-plan-standard
      'dr-tested': F,
    },
  },
  {
    service: 'order-service',
    level: null,
    checks: {
      'service-levels-valid': F, // dr-plan-gold is missing
      'dr-plan-linked': F,
      'hpa-configured': F, // min 1
      'pdb-configured': F, // blocks every drain
      'zone-spread': F,
      'hpa-capacity': P, // 6 × 100 = 600 = 400 × 1.5
      'ingress-tls': P,
      'network-policy': P,
    },
  },
  {
    service: 'notifications-service',
    level: null,
    checks: {
      'tier-declared': F, // tier-0
      'service-levels-valid': F,
      'dr-objectives-defined': P,
      'backup-scheduled': P,
      'backup-meets-rpo': F, // daily backups, RPO 1h
      'compliance-tagged': NA,
    },
  },
  {
    service: 'mfa-service',
    level: null,
    checks: {
      'service-levels-valid': F, // 'SLA Tier 1', a Group as DR plan
      'sla-defined': F,
      'tier-declared': P, // tier-4
      'dr-plan-linked': NA, // experimental
      'compliance-tagged': NA,
    },
  },
  {
    service: 'audit-log-service',
    level: null,
    checks: {
      'service-levels-valid': F, // sla-legacy, dr-plan-legacy
      'sla-defined': F, // availability 'high' is not defaulted silently
      'dr-objectives-defined': F, // rto 'soon'
      'runbook-linked': P,
      'dr-tested': P, // 2026-08-20 within dr-plan-legacy's 365d
    },
  },
  {
    // A website: the deployment and DR-data checks do not apply.
    service: 'storefront-web',
    level: null,
    checks: {
      'sla-defined': P,
      'runbook-linked': P,
      'sla-meets-seed-targets': P,
      'dr-plan-linked': F,
      'compliance-tagged': F,
      'cdn-static-assets': W,
      'hpa-configured': NA,
      'probes-configured': NA,
      'dr-objectives-defined': NA,
    },
  },
];

describe('the built-in checks on the example services (2026-11-26)', () => {
  it('covers every example service', () => {
    expect([...evaluated.keys()].sort()).toEqual(
      EXPECTED.map(e => e.service).sort(),
    );
  });

  it.each(EXPECTED.map(e => [e.service, e] as const))(
    '%s',
    (service, expected) => {
      const { scorecard } = get(service);
      const actual = Object.fromEntries(
        Object.keys(expected.checks).map(id => [id, status(service, id)]),
      );
      expect(actual).toEqual(expected.checks);
      expect(scorecard.level).toBe(expected.level);
      // No rule ever errors on the examples: every fact document is there.
      expect(withStatus(service, 'error')).toEqual([]);
    },
  );

  it.each([
    'payments-api',
    'ledger-service',
    'checkout-api',
    'auth-service',
    'refund-service',
  ])('the fully ready %s passes every bronze and silver check', service => {
    const blocking = Object.values(get(service).results).filter(
      r =>
        (levelOf.get(r.checkId) === 'bronze' ||
          levelOf.get(r.checkId) === 'silver') &&
        r.status !== 'pass' &&
        r.status !== 'not-applicable' &&
        !(r.status === 'warn' && severityOf.get(r.checkId) !== 'error'),
    );
    expect(blocking).toEqual([]);
    expect(
      Object.values(get(service).results)
        .filter(r => levelOf.get(r.checkId) !== 'gold')
        .filter(r => r.status === 'fail' || r.status === 'error'),
    ).toEqual([]);
  });

  it('payments-api misses gold only for want of SLO alerts as code', () => {
    expect(withStatus('payments-api', 'fail')).toEqual(['slo-alerts']);
    expect(withStatus('payments-api', 'warn')).toEqual([
      'caching',
      'compression',
      'network-policy-egress',
      'progressive-delivery',
      'waf',
    ]);
    const areas = Object.fromEntries(
      get('payments-api').scorecard.areas.map(a => [a.area, a.score]),
    );
    expect(areas).toMatchObject({
      'load-balancing': 100,
      'auto-scaling': 100,
      compliance: 100,
      'disaster-recovery': 100,
      sla: 100,
    });
  });

  it('with SLO alerts as code, payments-api reaches gold', () => {
    const { entity, facts } = get('payments-api');
    const deployment = facts.deployment;
    const withAlerts = {
      ...facts,
      deployment: {
        ...deployment,
        monitoring: {
          ...(deployment.monitoring as JsonObject),
          prometheusRules: 1,
          alertRules: 2,
        },
      },
    };
    const entityRef = stringifyEntityRef(entity);
    const results = evaluateChecks(checks, {
      entity,
      entityRef,
      facts: withAlerts,
      now: EXAMPLES_NOW,
    });
    expect(
      buildScorecard({
        entityRef,
        checks: BUILT_IN_CHECKS,
        results,
        evaluatedAt: EXAMPLES_NOW,
      }).level,
    ).toBe('gold');
  });

  it('says why in words, with the facts as details', () => {
    expect(get('fraud-detection').results['hpa-capacity']).toMatchObject({
      message:
        'At 6 replicas of 80 rps, the service serves 480 rps, less than the 1200 rps that the peak of 800 rps plus 50% needs.',
      details:
        'deployment.capacity.atMaxReplicasRps is 480; expected ≥ serviceLevels.requiredCapacityRps (1200).',
    });
    expect(get('fraud-detection').facts.deployment.capacity).toMatchObject({
      perPodRps: 80,
      perPodRpsSource: 'comment',
      maxReplicas: 6,
    });
    expect(get('payments-api').results['hpa-capacity']).toMatchObject({
      message:
        'At 18 replicas of 100 rps, the service serves 1800 rps, enough for the peak of 1200 rps plus 50% (1800 rps).',
      details:
        'serviceLevels.peakRps is present; deployment.capacity.perPodRps is present; deployment.capacity.atMaxReplicasRps is 1800 (≥ serviceLevels.requiredCapacityRps (1800)).',
    });
    expect(get('fraud-detection').results['pdb-configured']).toMatchObject({
      message: 'No PodDisruptionBudget selects the pods of `fraud-detection`.',
      details:
        'deployment.pdb is null; deployment.pdb.matchesWorkload is missing; expected true; deployment.pdb.allowedDisruptions is missing; expected ≥ 1.',
    });
    expect(get('order-service').results['pdb-configured']).toMatchObject({
      message:
        'PodDisruptionBudget `order-service` lets no pod of `order-service` be evicted (1 replica(s) considered), so it blocks every node drain.',
      details: 'deployment.pdb.allowedDisruptions is 0; expected ≥ 1.',
    });
    expect(message('payments-api', 'pdb-configured')).toBe(
      'PodDisruptionBudget `payments-api` lets 1 of the 3 pod(s) of `payments-api` be evicted at a time.',
    );
    expect(get('order-service').results['hpa-configured']).toMatchObject({
      message:
        'HorizontalPodAutoscaler `order-service` lets `order-service` scale down to 1 replica(s): keep at least 2, never a single one.',
      details: 'deployment.hpa.minReplicas is 1; expected ≥ 2.',
    });
    expect(message('payments-api', 'hpa-configured')).toBe(
      'HorizontalPodAutoscaler `payments-api` keeps `payments-api` between 3 and 18 replicas.',
    );
    expect(get('order-service').results['service-levels-valid']).toMatchObject({
      message:
        'A plan the entity references is not in the catalog: DR plan resource:default/dr-plan-gold.',
      details: `serviceLevels.findings is ["referenced-plan-missing","missing-dr-plan"]; expected not to contain 'referenced-plan-missing'.`,
    });
    expect(get('cart-service').results['probes-configured']).toMatchObject({
      message:
        'Not every container of Deployment `cart-service` has a readiness probe and a liveness probe.',
      details:
        'deployment.probes.readiness is false; expected true; deployment.probes.liveness is false; expected true.',
    });
    expect(get('cart-service').results['ingress-tls']).toMatchObject({
      message: 'Ingress cart-service serves cart.example.com without TLS.',
      details:
        'deployment.ingress.present is true; expected false; deployment.ingress.tls is false; expected true.',
    });
    expect(message('fraud-detection', 'ingress-tls')).toBe(
      'No Ingress: the service is not exposed outside the cluster.',
    );
    expect(get('cart-service').results['sla-meets-seed-targets']).toMatchObject(
      {
        message: "The availability target of 99.5% is below the seed's 99.9%.",
        details:
          'serviceLevels.availabilityPercent is 99.5%; expected at least 99.9%.',
      },
    );
    expect(get('refund-service').results['dr-tested']).toMatchObject({
      message:
        'The last DR test was on 2026-02-10, 289 days ago: longer ago than the interval of 180d.',
      details:
        'serviceLevels.drLastTested is 2026-02-10, 289d ago; expected within the last serviceLevels.drTestInterval (180d).',
    });
    expect(
      get('notifications-service').results['backup-meets-rpo'],
    ).toMatchObject({
      message: 'Backups on `0 2 * * *` leave gaps longer than the RPO of 1h.',
      details:
        'serviceLevels.backupScheduleMaxIntervalMs is 1d; expected at most serviceLevels.rpo (1h).',
    });
    expect(
      get('user-profile-service').results['hpa-utilization-targets'],
    ).toMatchObject({
      message:
        "HorizontalPodAutoscaler `user-profile-service` does not scale on memory utilisation (the seed's target is 80%).",
      details: 'deployment.hpa.memoryTargetPercent is null; expected ≤ 80.',
    });
    expect(
      get('user-profile-service').results['hpa-scaling-behavior'].message,
    ).toBe(
      "HorizontalPodAutoscaler `user-profile-service` waits the default 0 s after scaling up, less than the seed's 300 s.",
    );
    expect(get('product-search').results['service-levels-valid']).toMatchObject(
      {
        message:
          "Invalid readiness annotations are ignored: prodready.dev/availability: '110%' is out of range; expected a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'.",
        details:
          'serviceLevels.errorAnnotations is ["prodready.dev/availability"]; expected [].',
      },
    );
    expect(get('product-search').results['resource-requests'].message).toBe(
      'Not every container of Deployment `product-search` requests both CPU and memory, so its pods may land on nodes without room for them.',
    );
    expect(get('payouts-worker').results['service-levels-valid']).toMatchObject(
      {
        details:
          'serviceLevels.errorAnnotations is ["prodready.dev/backup-schedule","prodready.dev/rto"]; expected [].',
      },
    );
    expect(get('tax-calculator').results['sla-defined']).toMatchObject({
      message:
        'These SLA targets fall back to the seed defaults: availability, latencyP95, errorRate. Declare them, or reference an SLA.',
      details:
        "serviceLevels.availabilitySource is 'default'; expected not 'default'; serviceLevels.latencyP95Source is 'default'; expected not 'default'; serviceLevels.errorRateSource is 'default'; expected not 'default'.",
    });
    expect(get('reporting-service').results['runbook-linked']).toMatchObject({
      message: 'No runbook is linked, by the service or its DR plan.',
      details: 'serviceLevels.runbookUrl is null.',
    });
    expect(
      get('reporting-service').results['deployment-manifests-found'],
    ).toMatchObject({
      message:
        'No Deployment, StatefulSet or Rollout found: the entity has neither prodready.dev/deployment-path nor backstage.io/source-location.',
      details: 'deployment.mainWorkload is null.',
    });
    expect(message('reporting-service', 'pdb-configured')).toBe(
      'No Deployment, StatefulSet or Rollout found in the deployment files.',
    );
    expect(message('payments-api', 'no-removed-api-versions')).toBe(
      'Every manifest uses an API version that Kubernetes still serves.',
    );
    expect(message('recommendations-service', 'hpa-configured')).toBe(
      "Not applicable: it applies to lifecycle production; this entity's lifecycle is experimental.",
    );
    expect(message('reporting-service', 'compliance-tagged')).toBe(
      "Not applicable: it applies to tiers tier-1, tier-2; this entity's tier is tier-3.",
    );
    expect(
      get('ledger-service').results['sla-meets-seed-targets'],
    ).toMatchObject({
      message:
        "Availability 99.95%, error rate 0.05% and p95 latency 250 ms meet the seed's targets.",
      details:
        'serviceLevels.availabilityPercent is 99.95% (at least 99.9%); serviceLevels.errorRatePercent is 0.05% (at most 0.1%); entity.providesApiCount is 0 (= 0).',
    });
  });

  it('says every result of every built-in check in words, never in fact paths alone', () => {
    for (const { results } of evaluated.values()) {
      for (const result of Object.values(results)) {
        expect(result.message).not.toMatch(/^(Passed|Failed|Warning):/);
        expect(result.message).not.toMatch(/`none`|\{|\}|undefined|null/);
        expect(result.message).not.toMatch(/\s\s|\s[.,:;]/);
        expect(result.details === undefined).toBe(
          result.status === 'not-applicable',
        );
      }
    }
  });

  it('reads the deployment files from disk, next to entities.yaml', () => {
    const { deployment } = get('checkout-api').facts;
    expect(deployment.location).toMatchObject({
      type: 'file',
      explicit: true,
      found: true,
    });
    expect(String((deployment.location as JsonObject).target)).toMatch(
      /^file:.*examples[/\\]repos[/\\]checkout-api[/\\]deploy$/,
    );
    expect(deployment.files).toEqual(['k8s.yaml']);
    expect(get('ledger-service').facts.deployment.source).toBe('helm');
    expect(get('tax-calculator').facts.deployment).toMatchObject({
      source: 'none',
      location: { type: 'none', found: false },
    });
  });
});

describe('the observed service level checks', () => {
  const observedIds = [
    'request-metrics-emitted',
    'observed-availability',
    'observed-latency-p95',
    'observed-error-rate',
    'error-budget-healthy',
  ];

  it('do not apply where no Prometheus is configured, and say so', () => {
    const { results } = get('payments-api');
    for (const id of observedIds) {
      expect(results[id]).toMatchObject({ status: 'not-applicable' });
      expect(results[id].message).toMatch(
        /^No Prometheus is configured for this service \(readiness\.prometheus\)/,
      );
    }
  });
});
