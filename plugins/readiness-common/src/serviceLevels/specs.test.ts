import { Entity } from '@backstage/catalog-model';
import { parseCron } from '../parsers';
import { checkBackupScheduleMeetsRpo } from './backups';
import {
  DR_PLAN_RESOURCE_TYPE,
  RELATION_DR_PLAN_OF,
  RELATION_HAS_DR_PLAN,
  RELATION_HAS_SLA,
  RELATION_SLA_OF,
  SLA_RESOURCE_TYPE,
  isDisasterRecoveryPlanEntity,
  isServiceLevelAgreementEntity,
} from './constants';
import { getDrTestStatus } from './drTest';
import {
  parseDisasterRecoveryPlanSpec,
  parseServiceLevelAgreementSpec,
} from './specs';

const H = 3_600_000;
const D = 24 * H;
const NOW = new Date('2026-11-26T09:00:00Z');
const DURATION =
  "a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const AVAILABILITY =
  "a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'";

function resource(spec: unknown, kind = 'Resource'): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind,
    metadata: { name: 'plan' },
    spec: spec as Entity['spec'],
  };
}

function cron(expression: string) {
  const result = parseCron(expression);
  if (!result.ok) {
    throw new Error(result.error);
  }
  return result.value;
}

describe('constants', () => {
  it('are the documented names', () => {
    expect([
      SLA_RESOURCE_TYPE,
      DR_PLAN_RESOURCE_TYPE,
      RELATION_HAS_SLA,
      RELATION_SLA_OF,
      RELATION_HAS_DR_PLAN,
      RELATION_DR_PLAN_OF,
    ]).toEqual([
      'service-level-agreement',
      'disaster-recovery-plan',
      'hasServiceLevelAgreement',
      'serviceLevelAgreementOf',
      'hasDisasterRecoveryPlan',
      'disasterRecoveryPlanOf',
    ]);
  });
});

describe('isServiceLevelAgreementEntity and isDisasterRecoveryPlanEntity', () => {
  it.each<[string, Entity, boolean, boolean]>([
    ['an SLA', resource({ type: 'service-level-agreement' }), true, false],
    ['a DR plan', resource({ type: 'disaster-recovery-plan' }), false, true],
    [
      'a lower-case kind',
      resource({ type: 'service-level-agreement' }, 'resource'),
      true,
      false,
    ],
    ['another Resource type', resource({ type: 'database' }), false, false],
    [
      'a Component of that type',
      resource({ type: 'service-level-agreement' }, 'Component'),
      false,
      false,
    ],
    ['a Resource without spec', resource(undefined), false, false],
    ['a Resource with a string spec', resource('sla'), false, false],
  ])('classify %s', (_name, entity, isSla, isDrPlan) => {
    expect(isServiceLevelAgreementEntity(entity)).toBe(isSla);
    expect(isDisasterRecoveryPlanEntity(entity)).toBe(isDrPlan);
  });
});

describe('parseServiceLevelAgreementSpec', () => {
  it('parses every target with the annotation parsers', () => {
    expect(
      parseServiceLevelAgreementSpec(
        resource({
          type: 'service-level-agreement',
          owner: 'group:default/platform-team',
          targets: {
            availability: '99.95%',
            latencyP95: '150ms',
            latencyP99: '1s',
            errorRate: '0.05%',
            peakRps: '1200',
          },
        }),
      ),
    ).toEqual({
      values: {
        availability: 99.95,
        latencyP95: 150,
        latencyP99: 1000,
        errorRate: 0.05,
        peakRps: 1200,
      },
      errors: [],
    });
  });

  it('reads unquoted YAML numbers as their text', () => {
    expect(
      parseServiceLevelAgreementSpec(
        resource({
          targets: { availability: 99.9, errorRate: 0, peakRps: 50 },
        }),
      ),
    ).toEqual({
      values: { availability: 99.9, errorRate: 0, peakRps: 50 },
      errors: [],
    });
  });

  it('keeps the good targets and reports each bad one with field, value and message', () => {
    expect(
      parseServiceLevelAgreementSpec(
        resource({
          type: 'service-level-agreement',
          targets: {
            availability: 'high',
            latencyP95: '300ms',
            latencyP99: true,
            errorRate: '0.5%',
          },
        }),
      ),
    ).toEqual({
      values: { latencyP95: 300, errorRate: 0.5 },
      errors: [
        {
          field: 'spec.targets.availability',
          value: 'high',
          message: `spec.targets.availability: 'high' is not a percentage; expected ${AVAILABILITY}`,
        },
        {
          field: 'spec.targets.latencyP99',
          value: 'true',
          message: `spec.targets.latencyP99: true is not a duration; expected ${DURATION}`,
        },
      ],
    });
  });

  it('requires the targets and the availability target', () => {
    expect(parseServiceLevelAgreementSpec(resource({})).errors).toEqual([
      {
        field: 'spec.targets',
        value: '',
        message:
          'spec.targets is required; expected an object with the SLA targets (availability, latencyP95, latencyP99, errorRate, peakRps), at least availability',
      },
    ]);
    expect(
      parseServiceLevelAgreementSpec(
        resource({ targets: { availability: null } }),
      ).errors,
    ).toEqual([
      {
        field: 'spec.targets.availability',
        value: '',
        message: `spec.targets.availability is required; expected ${AVAILABILITY}`,
      },
    ]);
  });

  it('reports unknown targets and spec fields, with a suggestion when one is close', () => {
    const { errors } = parseServiceLevelAgreementSpec(
      resource({
        type: 'service-level-agreement',
        target: {},
        errorRate: '0.1%',
        targets: { availability: '99.9', latencyp95: '200ms', foo: 1 },
      }),
    );
    expect(errors.map(e => [e.field, e.value, e.message])).toEqual([
      [
        'spec.target',
        '{}',
        'spec.target is not a known field of a service-level-agreement; did you mean spec.targets?',
      ],
      [
        'spec.errorRate',
        '0.1%',
        'spec.errorRate is not a known field of a service-level-agreement; did you mean spec.targets.errorRate?',
      ],
      [
        'spec.targets.latencyp95',
        '200ms',
        'spec.targets.latencyp95 is not a known SLA target; did you mean latencyP95?',
      ],
      [
        'spec.targets.foo',
        '1',
        'spec.targets.foo is not a known SLA target; expected one of availability, latencyP95, latencyP99, errorRate, peakRps',
      ],
    ]);
  });

  it('never throws, whatever the entity', () => {
    for (const spec of [undefined, null, 42, 'x', [], { targets: 7 }]) {
      expect(() =>
        parseServiceLevelAgreementSpec(resource(spec)),
      ).not.toThrow();
    }
    expect(
      parseServiceLevelAgreementSpec({} as unknown as Entity).errors,
    ).toHaveLength(1);
  });
});

describe('parseDisasterRecoveryPlanSpec', () => {
  it('parses every field and returns the values under the annotation keys', () => {
    const { values, errors } = parseDisasterRecoveryPlanSpec(
      resource({
        type: 'disaster-recovery-plan',
        owner: 'platform-team',
        system: 'payments',
        rto: '1h',
        rpo: '15m',
        backupSchedule: '*/15 * * * *',
        backupRetention: '35d',
        drTestInterval: '90d',
        lastTested: '2026-10-01',
        planUrl: 'https://wiki.example.com/dr/critical',
        runbookUrl: 'https://wiki.example.com/runbooks/critical',
      }),
      { now: NOW },
    );
    expect(errors).toEqual([]);
    expect(values).toEqual({
      rto: H,
      rpo: 15 * 60_000,
      backupSchedule: expect.objectContaining({
        expression: '*/15 * * * *',
        maxIntervalMs: 15 * 60_000,
      }),
      backupRetention: 35 * D,
      drTestInterval: 90 * D,
      drLastTested: { iso: '2026-10-01', epochMs: Date.UTC(2026, 9, 1) },
      drPlanUrl: 'https://wiki.example.com/dr/critical',
      runbookUrl: 'https://wiki.example.com/runbooks/critical',
    });
  });

  it('accepts an RPO of zero', () => {
    expect(
      parseDisasterRecoveryPlanSpec(resource({ rto: '4h', rpo: '0s' })),
    ).toEqual({ values: { rto: 4 * H, rpo: 0 }, errors: [] });
  });

  it('requires RTO and RPO', () => {
    expect(parseDisasterRecoveryPlanSpec(resource(null)).errors).toEqual([
      {
        field: 'spec.rto',
        value: '',
        message: `spec.rto is required; expected ${DURATION}`,
      },
      {
        field: 'spec.rpo',
        value: '',
        message:
          "spec.rpo is required; expected a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
      },
    ]);
  });

  it('checks lastTested against now', () => {
    const entity = resource({ rto: '1h', rpo: '1h', lastTested: '2026-11-27' });
    expect(parseDisasterRecoveryPlanSpec(entity, { now: NOW }).errors).toEqual([
      {
        field: 'spec.lastTested',
        value: '2026-11-27',
        message:
          "spec.lastTested: '2026-11-27' is in the future; expected a date in the form YYYY-MM-DD that is not after today (2026-11-26)",
      },
    ]);
    expect(
      parseDisasterRecoveryPlanSpec(entity, {
        now: new Date('2026-11-27T00:00:00Z'),
      }).errors,
    ).toEqual([]);
  });

  it('reports bad and unknown fields', () => {
    const { values, errors } = parseDisasterRecoveryPlanSpec(
      resource({
        rto: 'soon',
        rpo: '24h',
        backupSchedule: '0 0 * * *',
        runbook: 'https://wiki.example.com',
        retention: '7d',
      }),
      { now: NOW },
    );
    expect(values).toEqual({
      rpo: 24 * H,
      backupSchedule: expect.objectContaining({ maxIntervalMs: D }),
    });
    expect(errors.map(e => e.message)).toEqual([
      `spec.rto: 'soon' is not a duration; expected ${DURATION}`,
      'spec.runbook is not a known field of a disaster-recovery-plan; did you mean spec.runbookUrl?',
      'spec.retention is not a known field of a disaster-recovery-plan; expected one of spec.rto, spec.rpo, spec.backupSchedule, spec.backupRetention, spec.drTestInterval, spec.lastTested, spec.planUrl, spec.runbookUrl',
    ]);
  });
});

describe('checkBackupScheduleMeetsRpo', () => {
  const names = { rpo: 'spec.rpo', backupSchedule: 'spec.backupSchedule' };

  it.each([
    ['15m', '*/15 * * * *'],
    ['1h', '*/15 * * * *'],
    ['24h', '0 3 * * *'],
    ['7d', '0 3 * * 0'],
    ['0s', '0 3 * * *'],
  ])('accepts an RPO of %s with backups at %s', (rpo, schedule) => {
    const rpoMs = {
      '15m': 15 * 60_000,
      '1h': H,
      '24h': D,
      '7d': 7 * D,
      '0s': 0,
    }[rpo]!;
    expect(checkBackupScheduleMeetsRpo(rpoMs, cron(schedule), names)).toBe(
      undefined,
    );
  });

  it.each([
    [
      H,
      '0 2 * * *',
      "spec.rpo is 1h but spec.backupSchedule '0 2 * * *' runs only every 24h; backups must run at least every 1h to meet the RPO",
    ],
    [
      90 * 60_000,
      '0 */2 * * *',
      "spec.rpo is 1h 30m but spec.backupSchedule '0 */2 * * *' runs only every 2h; backups must run at least every 1h 30m to meet the RPO",
    ],
    [
      36 * H,
      '0 0 1 * *',
      "spec.rpo is 36h but spec.backupSchedule '0 0 1 * *' runs only every 31d; backups must run at least every 36h to meet the RPO",
    ],
    [
      3 * D,
      '0 0 * * 1',
      "spec.rpo is 3d but spec.backupSchedule '0 0 * * 1' runs only every 7d; backups must run at least every 3d to meet the RPO",
    ],
  ])(
    'reports an RPO of %d ms with backups at %s',
    (rpoMs, schedule, message) => {
      expect(checkBackupScheduleMeetsRpo(rpoMs, cron(schedule), names)).toBe(
        message,
      );
    },
  );
});

describe('getDrTestStatus', () => {
  const date = (iso: string) => ({
    iso,
    epochMs: Date.parse(`${iso}T00:00:00Z`),
  });

  it('describes an overdue test in plain words', () => {
    expect(getDrTestStatus(date('2026-02-10'), 180 * D, NOW)).toEqual({
      ageDays: 289,
      dueDate: '2026-08-09',
      overdue: true,
      message:
        'The last DR test was on 2026-02-10, 289 days ago; the interval is 180 days, so it was due on 2026-08-09.',
    });
  });

  it('is not overdue on the due date, and is overdue the day after', () => {
    const lastTested = date('2026-08-28');
    expect(getDrTestStatus(lastTested, 90 * D, NOW)).toEqual({
      ageDays: 90,
      dueDate: '2026-11-26',
      overdue: false,
      message:
        'The last DR test was on 2026-08-28, 90 days ago; the interval is 90 days, so it is due on 2026-11-26.',
    });
    expect(
      getDrTestStatus(lastTested, 90 * D, new Date('2026-11-27T00:00:00Z'))
        .overdue,
    ).toBe(true);
  });

  it('handles tests today and yesterday and intervals that are not whole days', () => {
    expect(getDrTestStatus(date('2026-11-26'), D, NOW).message).toBe(
      'The last DR test was on 2026-11-26, today; the interval is 1 day, so it is due on 2026-11-27.',
    );
    expect(getDrTestStatus(date('2026-11-25'), 36 * H, NOW).message).toBe(
      'The last DR test was on 2026-11-25, 1 day ago; the interval is 1d 12h, so it is due on 2026-11-26.',
    );
  });

  it('defaults to the current time', () => {
    const today = new Date().toISOString().slice(0, 10);
    expect(getDrTestStatus(date(today), D).ageDays).toBe(0);
  });
});
