import {
  READINESS_ANNOTATIONS,
  READINESS_ANNOTATION_AVAILABILITY,
  READINESS_ANNOTATION_BACKUP_RETENTION,
  READINESS_ANNOTATION_BACKUP_SCHEDULE,
  READINESS_ANNOTATION_DEPLOYMENT_PATH,
  READINESS_ANNOTATION_DR_LAST_TESTED,
  READINESS_ANNOTATION_DR_PLAN_REF,
  READINESS_ANNOTATION_DR_PLAN_URL,
  READINESS_ANNOTATION_DR_TEST_INTERVAL,
  READINESS_ANNOTATION_ERROR_RATE,
  READINESS_ANNOTATION_LATENCY_P95,
  READINESS_ANNOTATION_LATENCY_P99,
  READINESS_ANNOTATION_PEAK_RPS,
  READINESS_ANNOTATION_PREFIX,
  READINESS_ANNOTATION_PROMETHEUS_ENDPOINT,
  READINESS_ANNOTATION_PROMETHEUS_SELECTOR,
  READINESS_ANNOTATION_RPO,
  READINESS_ANNOTATION_RTO,
  READINESS_ANNOTATION_RUNBOOK_URL,
  READINESS_ANNOTATION_SLA_REF,
  READINESS_ANNOTATION_TIER,
  SEED_SCALING_DEFAULTS,
  SEED_SLA_DEFAULTS,
  downtimeBudgetMs,
  getReadinessAnnotationSpec,
  isReadinessAnnotationName,
  parseAnnotation,
  parseReadinessAnnotations,
} from './annotations';
import { formatDuration, parseDuration } from './parsers';

/** Built up so that linters do not take it for a script URL to run. */
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const now = new Date('2025-06-15T12:00:00Z');

/** A fully and correctly annotated service. */
const GOOD: Record<string, string> = {
  'backstage.io/techdocs-ref': 'dir:.',
  [READINESS_ANNOTATION_TIER]: 'tier-1',
  [READINESS_ANNOTATION_AVAILABILITY]: '99.95%',
  [READINESS_ANNOTATION_LATENCY_P95]: '200ms',
  [READINESS_ANNOTATION_LATENCY_P99]: '1s',
  [READINESS_ANNOTATION_ERROR_RATE]: '0.1%',
  [READINESS_ANNOTATION_PEAK_RPS]: '1200',
  [READINESS_ANNOTATION_RTO]: '4h',
  [READINESS_ANNOTATION_RPO]: '15m',
  [READINESS_ANNOTATION_BACKUP_SCHEDULE]: '0 */6 * * *',
  [READINESS_ANNOTATION_BACKUP_RETENTION]: '30d',
  [READINESS_ANNOTATION_DR_LAST_TESTED]: '2025-03-01',
  [READINESS_ANNOTATION_DR_TEST_INTERVAL]: '180d',
  [READINESS_ANNOTATION_DR_PLAN_URL]: 'https://docs.example.com/payments/dr',
  [READINESS_ANNOTATION_RUNBOOK_URL]: 'https://runbooks.example.com/payments',
  [READINESS_ANNOTATION_SLA_REF]: 'sla-gold',
  [READINESS_ANNOTATION_DR_PLAN_REF]: 'shared/dr-plan-payments',
  [READINESS_ANNOTATION_DEPLOYMENT_PATH]: './deploy/kubernetes',
  [READINESS_ANNOTATION_PROMETHEUS_SELECTOR]: 'job="payments-api"',
  [READINESS_ANNOTATION_PROMETHEUS_ENDPOINT]: 'thanos-eu',
};

describe('annotation names', () => {
  it('are the prodready.dev/ vocabulary', () => {
    expect(READINESS_ANNOTATIONS.map(spec => spec.name)).toEqual([
      'prodready.dev/tier',
      'prodready.dev/availability',
      'prodready.dev/latency-p95',
      'prodready.dev/latency-p99',
      'prodready.dev/error-rate',
      'prodready.dev/peak-rps',
      'prodready.dev/rto',
      'prodready.dev/rpo',
      'prodready.dev/backup-schedule',
      'prodready.dev/backup-retention',
      'prodready.dev/dr-last-tested',
      'prodready.dev/dr-test-interval',
      'prodready.dev/dr-plan-url',
      'prodready.dev/runbook-url',
      'prodready.dev/sla-ref',
      'prodready.dev/dr-plan-ref',
      'prodready.dev/deployment-path',
      'prodready.dev/prometheus-selector',
      'prodready.dev/prometheus-endpoint',
    ]);
  });

  it('are unique, namespaced and valid Kubernetes annotation keys', () => {
    const names = READINESS_ANNOTATIONS.map(spec => spec.name);
    expect(new Set(names).size).toBe(names.length);
    expect(new Set(READINESS_ANNOTATIONS.map(spec => spec.key)).size).toBe(
      names.length,
    );
    for (const name of names) {
      expect(name.startsWith(READINESS_ANNOTATION_PREFIX)).toBe(true);
      expect(name).toMatch(/^prodready\.dev\/[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
    }
  });
});

describe('READINESS_ANNOTATIONS', () => {
  it.each(READINESS_ANNOTATIONS.map(spec => [spec.name, spec]))(
    '%s documents itself and parses its own example',
    (_name, spec) => {
      expect(spec.title).not.toBe('');
      expect(spec.description).not.toBe('');
      expect(spec.expectedForm).not.toBe('');
      expect(spec.parse(spec.example, { now })).toMatchObject({ ok: true });
    },
  );

  it.each(READINESS_ANNOTATIONS.map(spec => [spec.name, spec]))(
    '%s names itself, the value and its expected form in errors',
    (name, spec) => {
      const result = spec.parse('§ not valid §', { now });
      const error = result.ok ? '' : result.error;
      expect(result.ok).toBe(false);
      expect(error.startsWith(`${name}: '§ not valid §' `)).toBe(true);
      expect(error.endsWith(`; expected ${spec.expectedForm}`)).toBe(true);
    },
  );

  it('never throws, whatever the value', () => {
    const values: unknown[] = [
      undefined,
      null,
      0,
      1,
      true,
      [],
      {},
      '',
      ' ',
      '\u0000',
      'x'.repeat(10_000),
    ];
    for (const spec of READINESS_ANNOTATIONS) {
      for (const value of values) {
        expect(() => spec.parse(value)).not.toThrow();
        expect(spec.parse(value).ok).toBe(false);
      }
    }
  });

  it('is looked up by name', () => {
    expect(getReadinessAnnotationSpec(READINESS_ANNOTATION_RTO).key).toBe(
      'rto',
    );
    expect(getReadinessAnnotationSpec('prodready.dev/nope')).toBeUndefined();
    expect(isReadinessAnnotationName('prodready.dev/rpo')).toBe(true);
    expect(isReadinessAnnotationName('prodready.dev/RPO')).toBe(false);
  });
});

describe('parseAnnotation', () => {
  it('dispatches to the parser of the annotation', () => {
    expect(parseAnnotation(READINESS_ANNOTATION_RTO, '4h')).toEqual({
      ok: true,
      value: 4 * HOUR,
    });
    expect(parseAnnotation(READINESS_ANNOTATION_SLA_REF, 'sla-gold')).toEqual({
      ok: true,
      value: 'resource:default/sla-gold',
    });
    expect(parseAnnotation(READINESS_ANNOTATION_TIER, 'tier-2')).toEqual({
      ok: true,
      value: 'tier-2',
    });
    expect(
      parseAnnotation(READINESS_ANNOTATION_BACKUP_SCHEDULE, '0 2 * * *'),
    ).toMatchObject({
      ok: true,
      value: { maxIntervalMs: DAY },
    });
  });

  it('reports the exact error of the brief for a bad RTO', () => {
    expect(parseAnnotation('prodready.dev/rto', '4 hours')).toEqual({
      ok: false,
      error:
        "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
    });
  });

  it('allows an RPO of zero but not an RTO of zero', () => {
    expect(parseAnnotation(READINESS_ANNOTATION_RPO, '0m')).toEqual({
      ok: true,
      value: 0,
    });
    expect(parseAnnotation(READINESS_ANNOTATION_RTO, '0m')).toEqual({
      ok: false,
      error:
        "prodready.dev/rto: '0m' is zero; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
    });
  });

  it('allows a zero error budget but not a zero availability', () => {
    expect(parseAnnotation(READINESS_ANNOTATION_ERROR_RATE, '0')).toEqual({
      ok: true,
      value: 0,
    });
    expect(parseAnnotation(READINESS_ANNOTATION_AVAILABILITY, '0')).toEqual({
      ok: false,
      error:
        "prodready.dev/availability: '0' is out of range; expected a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'",
    });
  });

  it('passes now through to date parsing', () => {
    expect(
      parseAnnotation(READINESS_ANNOTATION_DR_LAST_TESTED, '2025-06-16', {
        now,
      }),
    ).toEqual({
      ok: false,
      error:
        "prodready.dev/dr-last-tested: '2025-06-16' is in the future; expected a date in the form YYYY-MM-DD that is not after today (2025-06-15)",
    });
    expect(
      parseAnnotation(READINESS_ANNOTATION_DR_LAST_TESTED, '2025-06-16', {
        now: new Date('2025-06-16T00:00:00Z'),
      }),
    ).toMatchObject({ ok: true });
  });

  it('suggests the closest name for a misspelt annotation', () => {
    expect(parseAnnotation('prodready.dev/availabilty', '99.9')).toEqual({
      ok: false,
      error:
        'prodready.dev/availabilty is not a known readiness annotation; did you mean prodready.dev/availability?',
    });
    expect(parseAnnotation('prodready.dev/latency-p50', '100ms')).toEqual({
      ok: false,
      error:
        'prodready.dev/latency-p50 is not a known readiness annotation; did you mean prodready.dev/latency-p95?',
    });
  });

  it('lists the known names when nothing is close', () => {
    const result = parseAnnotation('prodready.dev/owner-team', 'x');
    expect(result).toEqual({
      ok: false,
      error: `prodready.dev/owner-team is not a known readiness annotation; expected one of ${READINESS_ANNOTATIONS.map(
        spec => spec.name,
      ).join(', ')}`,
    });
  });

  it('rejects names outside the namespace', () => {
    expect(parseAnnotation('backstage.io/techdocs-ref', 'dir:.')).toEqual({
      ok: false,
      error:
        'backstage.io/techdocs-ref is not a readiness annotation; expected a name starting with prodready.dev/',
    });
  });
});

describe('parseReadinessAnnotations', () => {
  it('parses a fully annotated service', () => {
    const { values, errors } = parseReadinessAnnotations(GOOD, { now });
    expect(errors).toEqual([]);
    expect(values).toEqual({
      tier: 'tier-1',
      availability: 99.95,
      latencyP95: 200,
      latencyP99: 1_000,
      errorRate: 0.1,
      peakRps: 1200,
      rto: 4 * HOUR,
      rpo: 15 * 60_000,
      backupSchedule: expect.objectContaining({
        expression: '0 */6 * * *',
        maxIntervalMs: 6 * HOUR,
      }),
      backupRetention: 30 * DAY,
      drLastTested: { iso: '2025-03-01', epochMs: Date.UTC(2025, 2, 1) },
      drTestInterval: 180 * DAY,
      drPlanUrl: 'https://docs.example.com/payments/dr',
      runbookUrl: 'https://runbooks.example.com/payments',
      slaRef: 'resource:default/sla-gold',
      drPlanRef: 'resource:shared/dr-plan-payments',
      deploymentPath: './deploy/kubernetes',
      prometheusSelector: {
        matchers: [{ label: 'job', operator: '=', value: 'payments-api' }],
        text: 'job="payments-api"',
      },
      prometheusEndpoint: 'thanos-eu',
    });
  });

  it('returns plain JSON values', () => {
    const { values } = parseReadinessAnnotations(GOOD, { now });
    expect(JSON.parse(JSON.stringify(values))).toEqual(values);
  });

  it('returns nothing for entities without annotations', () => {
    expect(parseReadinessAnnotations(undefined)).toEqual({
      values: {},
      errors: [],
    });
    expect(parseReadinessAnnotations({})).toEqual({ values: {}, errors: [] });
    expect(
      parseReadinessAnnotations({ 'backstage.io/techdocs-ref': 'dir:.' }),
    ).toEqual({
      values: {},
      errors: [],
    });
  });

  it('keeps the good values and reports every bad one, in registry order', () => {
    const { values, errors } = parseReadinessAnnotations(
      {
        ...GOOD,
        [READINESS_ANNOTATION_RUNBOOK_URL]: SCRIPT_URL,
        [READINESS_ANNOTATION_TIER]: 'gold',
        [READINESS_ANNOTATION_RTO]: '4 hours',
        [READINESS_ANNOTATION_BACKUP_SCHEDULE]: '0 */6 * *',
        'prodready.dev/availabilty': '99.9',
      },
      { now },
    );
    expect(values.tier).toBeUndefined();
    expect(values.rto).toBeUndefined();
    expect(values.backupSchedule).toBeUndefined();
    expect(values.runbookUrl).toBeUndefined();
    expect(values.availability).toBe(99.95);
    expect(values.rpo).toBe(15 * 60_000);
    expect(errors).toEqual([
      {
        annotation: 'prodready.dev/tier',
        value: 'gold',
        message:
          "prodready.dev/tier: 'gold' is not a tier; expected one of 'tier-1', 'tier-2', 'tier-3', 'tier-4' (tier-1 is the most critical)",
      },
      {
        annotation: 'prodready.dev/rto',
        value: '4 hours',
        message:
          "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
      },
      {
        annotation: 'prodready.dev/backup-schedule',
        value: '0 */6 * *',
        message:
          "prodready.dev/backup-schedule: '0 */6 * *' is not a valid cron expression (it has 4 fields); expected five fields (minute hour day-of-month month day-of-week), such as '0 */6 * * *'",
      },
      {
        annotation: 'prodready.dev/runbook-url',
        value: SCRIPT_URL,
        message: `prodready.dev/runbook-url: '${SCRIPT_URL}' is not an http(s) URL; expected an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'`,
      },
      {
        annotation: 'prodready.dev/availabilty',
        value: '99.9',
        message:
          'prodready.dev/availabilty is not a known readiness annotation; did you mean prodready.dev/availability?',
      },
    ]);
  });

  it('can ignore unknown readiness annotations', () => {
    expect(
      parseReadinessAnnotations(
        { 'prodready.dev/custom': 'x' },
        { ignoreUnknown: true },
      ),
    ).toEqual({ values: {}, errors: [] });
  });

  it('reports values that are not strings without throwing', () => {
    const annotations = JSON.parse('{"prodready.dev/peak-rps": 1200}');
    expect(parseReadinessAnnotations(annotations)).toEqual({
      values: {},
      errors: [
        {
          annotation: 'prodready.dev/peak-rps',
          value: '1200',
          message:
            "prodready.dev/peak-rps: 1200 is not a positive number; expected a number greater than 0, such as '1200'",
        },
      ],
    });
  });

  it('ignores inherited properties', () => {
    const annotations = Object.create({ [READINESS_ANNOTATION_TIER]: 'gold' });
    expect(parseReadinessAnnotations(annotations)).toEqual({
      values: {},
      errors: [],
    });
  });
});

describe('seed defaults', () => {
  it('has the SLA targets of the seed', () => {
    expect(SEED_SLA_DEFAULTS).toEqual({
      availability: 99.9,
      latencyP95: 200,
      errorRate: 0.1,
      errorStatusClass: '5xx',
    });
    expect(Object.isFrozen(SEED_SLA_DEFAULTS)).toBe(true);
  });

  it('has the scaling thresholds of the seed', () => {
    expect(SEED_SCALING_DEFAULTS).toEqual({
      cpuUtilizationPercent: 70,
      memoryUtilizationPercent: 80,
      responseTimeThresholdMs: 500,
      scaleUpCooldownSeconds: 300,
      scaleDownCooldownSeconds: 600,
      minReplicas: 2,
      maxReplicas: 50,
      capacityBufferPercent: 50,
    });
    expect(Object.isFrozen(SEED_SCALING_DEFAULTS)).toBe(true);
  });

  it('matches what the annotations would say', () => {
    expect(parseAnnotation(READINESS_ANNOTATION_AVAILABILITY, '99.9')).toEqual({
      ok: true,
      value: SEED_SLA_DEFAULTS.availability,
    });
    expect(parseAnnotation(READINESS_ANNOTATION_LATENCY_P95, '200ms')).toEqual({
      ok: true,
      value: SEED_SLA_DEFAULTS.latencyP95,
    });
    expect(parseDuration('500ms')).toEqual({
      ok: true,
      value: SEED_SCALING_DEFAULTS.responseTimeThresholdMs,
    });
  });

  it('gives the 8.77 hours of downtime a year of the seed for 99.9%', () => {
    const hours = downtimeBudgetMs(SEED_SLA_DEFAULTS.availability) / HOUR;
    expect(hours.toFixed(2)).toBe('8.77');
    expect(downtimeBudgetMs(99.9, 30 * DAY)).toBeCloseTo(43.2 * 60_000, 6);
    expect(formatDuration(downtimeBudgetMs(99.9, 30 * DAY))).toBe('43m 12s');
    expect(downtimeBudgetMs(100)).toBe(0);
  });
});

describe('the field option of the annotation parsers', () => {
  it('names the field instead of the annotation, for values from an entity spec', () => {
    for (const spec of READINESS_ANNOTATIONS) {
      const result = spec.parse(['not', 'a', 'value'], {
        field: 'spec.something',
      });
      expect(result).toEqual({
        ok: false,
        error: expect.stringMatching(
          /^spec\.something: \["not","a","value"\] /,
        ),
      });
    }
  });
});
