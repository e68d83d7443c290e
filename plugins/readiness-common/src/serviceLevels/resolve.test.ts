import { Entity } from '@backstage/catalog-model';
import { resolveServiceLevels } from './resolve';

const H = 3_600_000;
const D = 24 * H;
const NOW = new Date('2026-11-26T09:00:00Z');

function service(annotations: Record<string, string> = {}): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'svc', annotations },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
  };
}

function plan(name: string, spec: Record<string, unknown>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: { name },
    spec: { owner: 'group:default/platform-team', ...spec },
  };
}

const SLA_TIER_1 = plan('sla-tier-1', {
  type: 'service-level-agreement',
  targets: {
    availability: '99.95',
    latencyP95: '150ms',
    latencyP99: '400ms',
    errorRate: '0.05%',
  },
});
const DR_PLAN_CRITICAL = plan('dr-plan-critical', {
  type: 'disaster-recovery-plan',
  rto: '1h',
  rpo: '15m',
  backupSchedule: '*/15 * * * *',
  backupRetention: '35d',
  drTestInterval: '90d',
  planUrl: 'https://wiki.example.com/dr/critical',
  runbookUrl: 'https://wiki.example.com/runbooks/dr-critical-failover',
});
const SLA_LEGACY = plan('sla-legacy', {
  type: 'service-level-agreement',
  targets: {
    availability: 'high',
    latencyP95: '300ms',
    latencyP99: '1s',
    errorRate: '0.5%',
  },
});
const DR_PLAN_LEGACY = plan('dr-plan-legacy', {
  type: 'disaster-recovery-plan',
  rto: 'soon',
  rpo: '24h',
  backupSchedule: '0 0 * * *',
  backupRetention: '7d',
  drTestInterval: '365d',
});
const SLA_1 = 'resource:default/sla-tier-1';
const DR_1 = 'resource:default/dr-plan-critical';

describe('resolveServiceLevels', () => {
  it('takes the referenced plans, overridden by the annotations (ledger-service)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/tier': 'tier-1',
        'prodready.dev/sla-ref': SLA_1,
        'prodready.dev/dr-plan-ref': 'dr-plan-critical',
        'prodready.dev/latency-p95': '250ms',
        'prodready.dev/peak-rps': '600',
        'prodready.dev/dr-last-tested': '2026-11-03',
        'prodready.dev/runbook-url': 'https://wiki.example.com/runbooks/ledger',
      }),
      { sla: SLA_TIER_1, drPlan: DR_PLAN_CRITICAL, now: NOW },
    );
    expect(levels).toEqual({
      tier: { value: 'tier-1', source: 'annotation' },
      availability: { value: 99.95, source: 'sla', sourceRef: SLA_1 },
      latencyP95: { value: 250, source: 'annotation' },
      latencyP99: { value: 400, source: 'sla', sourceRef: SLA_1 },
      errorRate: { value: 0.05, source: 'sla', sourceRef: SLA_1 },
      peakRps: { value: 600, source: 'annotation' },
      rto: { value: H, source: 'dr-plan', sourceRef: DR_1 },
      rpo: { value: 15 * 60_000, source: 'dr-plan', sourceRef: DR_1 },
      backupSchedule: {
        value: expect.objectContaining({ expression: '*/15 * * * *' }),
        source: 'dr-plan',
        sourceRef: DR_1,
      },
      backupRetention: { value: 35 * D, source: 'dr-plan', sourceRef: DR_1 },
      drLastTested: {
        value: { iso: '2026-11-03', epochMs: Date.UTC(2026, 10, 3) },
        source: 'annotation',
      },
      drTestInterval: { value: 90 * D, source: 'dr-plan', sourceRef: DR_1 },
      drPlanUrl: {
        value: 'https://wiki.example.com/dr/critical',
        source: 'dr-plan',
        sourceRef: DR_1,
      },
      runbookUrl: {
        value: 'https://wiki.example.com/runbooks/ledger',
        source: 'annotation',
      },
      slaRef: SLA_1,
      drPlanRef: DR_1,
      drTestAgeDays: 23,
      drTestOverdue: false,
      errors: [],
      findings: [],
      empty: false,
    });
  });

  it('leaves out the values that are not set, so it survives JSON', () => {
    const levels = resolveServiceLevels(service(), { now: NOW });
    expect(JSON.parse(JSON.stringify(levels))).toStrictEqual(levels);
    expect(Object.keys(levels).sort()).toEqual([
      'availability',
      'drTestOverdue',
      'empty',
      'errorRate',
      'errors',
      'findings',
      'latencyP95',
    ]);
  });

  it('falls back to the seed defaults and reports what is missing (tax-calculator)', () => {
    const levels = resolveServiceLevels(service(), { now: NOW });
    expect(levels.availability).toEqual({ value: 99.9, source: 'default' });
    expect(levels.latencyP95).toEqual({ value: 200, source: 'default' });
    expect(levels.errorRate).toEqual({ value: 0.1, source: 'default' });
    expect(levels.empty).toBe(true);
    expect(levels.drTestOverdue).toBe(false);
    expect(levels.findings).toEqual([
      {
        kind: 'missing-sla',
        severity: 'warning',
        message:
          'No availability target is set (neither prodready.dev/availability nor an SLA sets one), so the seed default of 99.9% applies.',
      },
      {
        kind: 'missing-dr-plan',
        severity: 'warning',
        message:
          'No recovery objective (RTO or RPO) is set: neither prodready.dev/rto, prodready.dev/rpo nor a DR plan sets one.',
      },
    ]);
  });

  it('is not empty with any prodready.dev annotation, or with a plan', () => {
    expect(
      resolveServiceLevels(service({ 'prodready.dev/tier': 'tier-4' })).empty,
    ).toBe(false);
    expect(resolveServiceLevels(service(), { sla: SLA_TIER_1 }).empty).toBe(
      false,
    );
    expect(
      resolveServiceLevels(service({ 'backstage.io/techdocs-ref': 'dir:.' }))
        .empty,
    ).toBe(true);
  });

  it('reports a referenced plan that was not found (order-service)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/sla-ref': SLA_1,
        'prodready.dev/dr-plan-ref': 'resource:default/dr-plan-gold',
        'prodready.dev/dr-last-tested': '2026-08-30',
      }),
      { sla: SLA_TIER_1, now: NOW },
    );
    expect(levels.drPlanRef).toBe('resource:default/dr-plan-gold');
    expect(levels.rto).toBeUndefined();
    expect(levels.drTestAgeDays).toBe(88);
    expect(levels.findings).toEqual([
      {
        kind: 'referenced-plan-missing',
        severity: 'error',
        message:
          'The DR plan resource:default/dr-plan-gold named by prodready.dev/dr-plan-ref was not found in the catalog, so none of its values apply.',
      },
      {
        kind: 'missing-dr-plan',
        severity: 'warning',
        message:
          'No recovery objective (RTO or RPO) is set: the DR plan resource:default/dr-plan-gold gives no valid one.',
      },
    ]);
  });

  it('ignores the bad values of invalid plans and says so (audit-log-service)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/sla-ref': 'resource:default/sla-legacy',
        'prodready.dev/dr-plan-ref': 'resource:default/dr-plan-legacy',
        'prodready.dev/dr-last-tested': '2026-08-20',
      }),
      { sla: SLA_LEGACY, drPlan: DR_PLAN_LEGACY, now: NOW },
    );
    expect(levels.availability).toEqual({ value: 99.9, source: 'default' });
    expect(levels.latencyP95).toEqual({
      value: 300,
      source: 'sla',
      sourceRef: 'resource:default/sla-legacy',
    });
    expect(levels.rto).toBeUndefined();
    expect(levels.rpo).toEqual({
      value: 24 * H,
      source: 'dr-plan',
      sourceRef: 'resource:default/dr-plan-legacy',
    });
    expect(levels.findings).toEqual([
      {
        kind: 'referenced-plan-invalid',
        severity: 'error',
        message:
          "The SLA resource:default/sla-legacy is invalid, so this value is ignored: spec.targets.availability: 'high' is not a percentage; expected a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'",
      },
      {
        kind: 'referenced-plan-invalid',
        severity: 'error',
        message:
          "The DR plan resource:default/dr-plan-legacy is invalid, so this value is ignored: spec.rto: 'soon' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
      },
      {
        kind: 'missing-sla',
        severity: 'warning',
        message:
          'No availability target is set (the SLA resource:default/sla-legacy gives no valid one), so the seed default of 99.9% applies.',
      },
    ]);
  });

  it('ignores a plan entity of the wrong type', () => {
    const levels = resolveServiceLevels(
      service({ 'prodready.dev/sla-ref': 'dr-plan-critical' }),
      { sla: DR_PLAN_CRITICAL, now: NOW },
    );
    expect(levels.availability.source).toBe('default');
    expect(levels.findings[0]).toEqual({
      kind: 'referenced-plan-invalid',
      severity: 'error',
      message:
        'resource:default/dr-plan-critical is not a Resource of spec.type service-level-agreement, so none of its values apply.',
    });
  });

  it('reports an overdue DR test (refund-service)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/availability': '99.9',
        'prodready.dev/rto': '4h',
        'prodready.dev/rpo': '1h',
        'prodready.dev/backup-schedule': '0 * * * *',
        'prodready.dev/dr-last-tested': '2026-02-10',
        'prodready.dev/dr-test-interval': '180d',
      }),
      { now: NOW },
    );
    expect(levels.drTestAgeDays).toBe(289);
    expect(levels.drTestOverdue).toBe(true);
    expect(levels.findings).toEqual([
      {
        kind: 'dr-test-overdue',
        severity: 'warning',
        message:
          'The last DR test was on 2026-02-10, 289 days ago; the interval is 180 days, so it was due on 2026-08-09.',
      },
    ]);
  });

  it('uses the interval of the DR plan for a test date set on the service', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/dr-plan-ref': DR_1,
        'prodready.dev/dr-last-tested': '2026-06-01',
      }),
      { drPlan: DR_PLAN_CRITICAL, now: NOW },
    );
    expect(levels.drTestOverdue).toBe(true);
    expect(levels.findings.map(f => f.kind)).toEqual([
      'missing-sla',
      'dr-test-overdue',
    ]);
  });

  it('reports a DR plan that has never been tested', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/availability': '99.9',
        'prodready.dev/dr-plan-ref': DR_1,
      }),
      { drPlan: DR_PLAN_CRITICAL, now: NOW },
    );
    expect(levels.drTestAgeDays).toBeUndefined();
    expect(levels.drTestOverdue).toBe(false);
    expect(levels.findings).toEqual([
      {
        kind: 'dr-never-tested',
        severity: 'warning',
        message:
          'Disaster recovery has never been tested: no date of a last test is set (prodready.dev/dr-last-tested); it must be tested every 90 days.',
      },
    ]);
  });

  it('reports an RPO inline that the backups of the plan cannot meet', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/availability': '99.9',
        'prodready.dev/dr-plan-ref': 'dr-plan-legacy',
        'prodready.dev/rto': '4h',
        'prodready.dev/rpo': '1h',
        'prodready.dev/dr-last-tested': '2026-10-01',
      }),
      { drPlan: DR_PLAN_LEGACY, now: NOW },
    );
    expect(levels.findings).toContainEqual({
      kind: 'backup-exceeds-rpo',
      severity: 'error',
      message:
        "Backups run only every 24h ('0 0 * * *', from the DR plan resource:default/dr-plan-legacy) but the RPO is 1h (from prodready.dev/rpo), so up to 24h of data could be lost; backups must run at least every 1h.",
    });
  });

  it('reports an RPO that the inline backups cannot meet (notifications-service)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/tier': 'tier-0',
        'prodready.dev/rto': '4h',
        'prodready.dev/rpo': '1h',
        'prodready.dev/backup-schedule': '0 2 * * *',
      }),
      { now: NOW },
    );
    expect(levels.tier).toBeUndefined();
    expect(levels.errors).toEqual([
      {
        annotation: 'prodready.dev/tier',
        value: 'tier-0',
        message:
          "prodready.dev/tier: 'tier-0' is not a tier; expected one of 'tier-1', 'tier-2', 'tier-3', 'tier-4' (tier-1 is the most critical)",
      },
    ]);
    expect(levels.findings.map(f => f.message)).toEqual([
      'No availability target is set (neither prodready.dev/availability nor an SLA sets one), so the seed default of 99.9% applies.',
      "Backups run only every 24h ('0 2 * * *', from prodready.dev/backup-schedule) but the RPO is 1h (from prodready.dev/rpo), so up to 24h of data could be lost; backups must run at least every 1h.",
      'Disaster recovery has never been tested: no date of a last test is set (prodready.dev/dr-last-tested).',
    ]);
  });

  it('skips bad annotations in favour of the plan, and reports them (product-search)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/sla-ref': SLA_1,
        'prodready.dev/availability': '110%',
      }),
      { sla: SLA_TIER_1, now: NOW },
    );
    expect(levels.availability).toEqual({
      value: 99.95,
      source: 'sla',
      sourceRef: SLA_1,
    });
    expect(levels.errors.map(e => e.annotation)).toEqual([
      'prodready.dev/availability',
    ]);
  });

  it('does not claim "never tested" when the test date is malformed (inventory-service)', () => {
    const levels = resolveServiceLevels(
      service({
        'prodready.dev/availability': '99.9',
        'prodready.dev/rto': '4h',
        'prodready.dev/dr-last-tested': '2026-13-45',
      }),
      { now: NOW },
    );
    expect(levels.errors).toHaveLength(1);
    expect(levels.findings).toEqual([]);
  });

  it('uses the current time by default', () => {
    const yesterday = new Date(Date.now() - D).toISOString().slice(0, 10);
    const levels = resolveServiceLevels(
      service({ 'prodready.dev/dr-last-tested': yesterday }),
    );
    expect(levels.drTestAgeDays).toBe(1);
  });

  it('never throws on malformed entities', () => {
    expect(() =>
      resolveServiceLevels({} as unknown as Entity, {
        sla: {} as unknown as Entity,
        drPlan: plan('x', { type: 'disaster-recovery-plan', rto: [] }),
      }),
    ).not.toThrow();
  });
});
