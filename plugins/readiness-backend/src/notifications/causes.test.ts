import type { Initiative } from '@prodready/plugin-readiness-common';
import type { EntityEvaluation } from '../database';
import type { PreviousEvaluation } from '../service/engine/types';
import {
  deadlineCauses,
  digestCause,
  dueReminder,
  entityReadinessLink,
  evaluationCauses,
  evaluationEvents,
  expiryCauses,
  expiryThresholds,
  initiativeStartCauses,
  waiverDecidedCause,
  waiverRequestedCause,
} from './causes';

const PAYMENTS = 'component:default/payments-api';
const TEAM = 'group:default/team-payments';
const PLATFORM = 'group:default/platform';
const titles = {
  check: (id: string) => ({ hpa: 'HPA configured' }[id] ?? id),
  level: (id: string | null) => (id === null ? 'no level' : id.toUpperCase()),
};

function evaluation(
  results: Array<[string, 'pass' | 'fail' | 'warn']>,
  level: string | null,
  levelRank: number,
  options: { owner?: string | null; at?: Date } = {},
): EntityEvaluation {
  return {
    entityRef: 'Component:default/Payments-API',
    results: results.map(([checkId, status]) => ({
      checkId,
      status,
      message: `${checkId} is ${status}`,
    })),
    scores: {
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      owner: options.owner === undefined ? TEAM : options.owner,
      system: null,
      tier: 'tier-1',
      level,
      levelRank,
      score: 50,
      areaScores: [],
      passed: 1,
      failed: 1,
      factsHash: 'h',
      stale: false,
    },
    evaluatedAt: options.at ?? new Date('2026-12-07T10:00:00Z'),
  };
}

function previous(
  statuses: Record<string, string>,
  level: string | null,
  levelRank: number,
): Map<string, PreviousEvaluation> {
  return new Map([
    [
      PAYMENTS,
      {
        level,
        levelRank,
        statuses: new Map(
          Object.entries(statuses),
        ) as PreviousEvaluation['statuses'],
      },
    ],
  ]);
}

describe('links', () => {
  it('points at the entity readiness tab, a check or an item', () => {
    expect(entityReadinessLink(PAYMENTS)).toBe(
      '/catalog/default/component/payments-api/readiness',
    );
    expect(entityReadinessLink(PAYMENTS, { check: 'hpa' })).toBe(
      '/catalog/default/component/payments-api/readiness?check=hpa',
    );
    expect(
      entityReadinessLink(PAYMENTS, {
        item: { phaseId: 'phase-4', itemId: 'backup-dr-tested' },
      }),
    ).toBe(
      '/catalog/default/component/payments-api/readiness?item=phase-4%2Fbackup-dr-tested',
    );
  });
});

describe('evaluationCauses', () => {
  it('reports a check that regressed (pass to fail) and a level drop, keyed by day', () => {
    const causes = evaluationCauses({
      evaluations: [
        evaluation(
          [
            ['hpa', 'fail'],
            ['pdb', 'fail'],
            ['tls', 'pass'],
            ['probes', 'warn'],
          ],
          'bronze',
          1,
        ),
      ],
      // pdb failed already; probes went pass -> warn: not a regression.
      previous: previous(
        { hpa: 'pass', pdb: 'fail', tls: 'pass', probes: 'pass' },
        'silver',
        2,
      ),
      titles,
    });
    expect(causes).toEqual([
      {
        key: `regression:${PAYMENTS}:hpa:2026-12-07`,
        topic: 'readiness-regression',
        entityRef: PAYMENTS,
        recipients: [TEAM],
        payload: {
          title: 'payments-api: "HPA configured" now fails',
          description:
            'The check "HPA configured" passed and now fails: hpa is fail',
          link: '/catalog/default/component/payments-api/readiness?check=hpa',
          severity: 'high',
          scope: `readiness:check:${PAYMENTS}:hpa`,
        },
        digestible: true,
      },
      expect.objectContaining({
        key: `level-drop:${PAYMENTS}:silver>bronze:2026-12-07`,
        recipients: [TEAM],
        payload: expect.objectContaining({
          title: 'payments-api dropped from SILVER to BRONZE',
          severity: 'high',
          link: '/catalog/default/component/payments-api/readiness',
          scope: `readiness:level:${PAYMENTS}`,
        }),
      }),
    ]);
  });

  it('says nothing of a first evaluation, a level that rose, or an entity without owner', () => {
    const first = evaluationCauses({
      evaluations: [evaluation([['hpa', 'fail']], null, 0)],
      previous: new Map(),
      titles,
    });
    const rose = evaluationCauses({
      evaluations: [evaluation([['hpa', 'pass']], 'gold', 3)],
      previous: previous({ hpa: 'fail' }, 'silver', 2),
      titles,
    });
    const ownerless = evaluationCauses({
      evaluations: [evaluation([['hpa', 'fail']], null, 0, { owner: null })],
      previous: previous({ hpa: 'pass' }, 'gold', 3),
      titles,
    });
    expect([first, rose, ownerless]).toEqual([[], [], []]);
  });

  it('gives the same key to the same regression seen twice on a day, a new one the next day', () => {
    const prev = previous({ hpa: 'pass' }, null, 0);
    const at = (iso: string) =>
      evaluationCauses({
        evaluations: [
          evaluation([['hpa', 'fail']], null, 0, { at: new Date(iso) }),
        ],
        previous: prev,
        titles,
      })[0].key;
    expect(at('2026-12-07T01:00:00Z')).toBe(at('2026-12-07T23:00:00Z'));
    expect(at('2026-12-08T01:00:00Z')).not.toBe(at('2026-12-07T01:00:00Z'));
  });
});

describe('evaluationEvents', () => {
  it('publishes every status change and level change of entities evaluated before', () => {
    const { checkStatusChanged, levelChanged } = evaluationEvents({
      evaluations: [
        evaluation(
          [
            ['hpa', 'fail'],
            ['tls', 'pass'],
            ['new-check', 'warn'],
          ],
          'bronze',
          1,
        ),
      ],
      previous: previous({ hpa: 'pass', tls: 'pass' }, 'silver', 2),
    });
    expect(checkStatusChanged).toEqual([
      {
        entityRef: PAYMENTS,
        checkId: 'hpa',
        fromStatus: 'pass',
        toStatus: 'fail',
        message: 'hpa is fail',
        changedAt: '2026-12-07T10:00:00.000Z',
      },
      expect.objectContaining({
        checkId: 'new-check',
        fromStatus: null,
        toStatus: 'warn',
      }),
    ]);
    expect(levelChanged).toEqual([
      {
        entityRef: PAYMENTS,
        fromLevel: 'silver',
        toLevel: 'bronze',
        dropped: true,
        changedAt: '2026-12-07T10:00:00.000Z',
      },
    ]);
    expect(
      evaluationEvents({
        evaluations: [evaluation([['hpa', 'fail']], null, 0)],
        previous: new Map(),
      }),
    ).toEqual({ checkStatusChanged: [], levelChanged: [] });
  });
});

describe('expiryCauses', () => {
  const expiresAt = '2026-12-31T12:00:00.000Z';
  const item = {
    entityRef: PAYMENTS,
    owner: TEAM,
    phaseId: 'phase-4',
    itemId: 'backup-dr-tested',
    status: 'done',
    expiresAt,
    text: 'DR test performed',
  };
  const at = (iso: string, warningDays = 14, status = 'done') =>
    expiryCauses({
      items: [{ ...item, status }],
      now: new Date(iso),
      warningDays,
    });

  it('warns at 14, 7 and 1 days before, one key per threshold', () => {
    expect(expiryThresholds(14)).toEqual([14, 7, 1]);
    expect(expiryThresholds(5)).toEqual([5, 1]);
    // 20 days before: nothing yet.
    expect(at('2026-12-11T12:00:00Z')).toEqual([]);

    const fourteen = at('2026-12-17T12:00:00Z');
    expect(fourteen).toEqual([
      {
        key: `expiring:${PAYMENTS}:phase-4/backup-dr-tested:${expiresAt}:14`,
        topic: 'readiness-expiry',
        entityRef: PAYMENTS,
        recipients: [TEAM],
        payload: {
          title:
            'payments-api: the attestation of "DR test performed" expires in 14 days',
          description:
            'The attestation of "DR test performed" expires on 2026-12-31. Renew it before then, or the item counts as open.',
          link: '/catalog/default/component/payments-api/readiness?item=phase-4%2Fbackup-dr-tested',
          severity: 'normal',
          scope: `readiness:item:${PAYMENTS}:phase-4/backup-dr-tested`,
        },
        digestible: true,
      },
    ]);
    // Ten days before: still the 14-day window (same key, sent once).
    expect(at('2026-12-21T12:00:00Z')[0].key).toBe(fourteen[0].key);
    expect(at('2026-12-24T12:00:00Z')[0].key).toMatch(/:7$/);
    const last = at('2026-12-30T18:00:00Z')[0];
    expect(last.key).toMatch(/:1$/);
    expect(last.payload.severity).toBe('high');
    expect(last.payload.title).toMatch(/expires in 1 day$/);
  });

  it('reports an expired attestation or waiver, for 30 days', () => {
    const expired = at('2027-01-02T00:00:00Z', 14, 'not-applicable');
    expect(expired).toEqual([
      expect.objectContaining({
        key: `expired:${PAYMENTS}:phase-4/backup-dr-tested:${expiresAt}`,
        payload: expect.objectContaining({
          title: 'payments-api: the waiver of "DR test performed" expired',
          severity: 'high',
        }),
      }),
    ]);
    expect(at('2027-02-15T00:00:00Z')).toEqual([]);
  });

  it('follows expiryWarningDays, and skips items without an owner', () => {
    expect(at('2026-12-17T12:00:00Z', 7)).toEqual([]);
    expect(at('2026-12-01T12:00:00Z', 30)[0].key).toMatch(/:30$/);
    expect(
      expiryCauses({
        items: [{ ...item, owner: null }],
        now: new Date('2026-12-30T12:00:00Z'),
        warningDays: 14,
      }),
    ).toEqual([]);
  });
});

function initiative(overrides: Partial<Initiative> = {}): Initiative {
  return {
    id: 'tier1-silver',
    title: 'All tier-1 services Silver',
    owner: PLATFORM,
    startDate: '2026-12-01',
    deadline: '2027-01-31',
    scope: { tiers: ['tier-1'] },
    goal: { type: 'level', level: 'silver' },
    source: 'config',
    version: 0,
    phase: 'active',
    daysLeft: 30,
    progress: { total: 3, met: 1, notMet: 2, exempt: 0, percent: 33.3 },
    ...overrides,
  };
}

const entities = [
  { entityRef: PAYMENTS, owner: TEAM, state: 'not-met' as const },
  { entityRef: 'component:default/ledger', owner: TEAM, state: 'met' as const },
  {
    entityRef: 'component:default/orphan',
    owner: null,
    state: 'not-met' as const,
  },
];

describe('initiativeStartCauses', () => {
  it('announces a started initiative to each owner of an entity and to its owner, for a week', () => {
    const started = initiativeStartCauses({
      initiative: initiative(),
      entities,
      total: 3,
      now: new Date('2026-12-01T06:00:00Z'),
    });
    expect(started.map(c => [c.key, c.recipients, c.payload.severity])).toEqual(
      [
        [`initiative:tier1-silver:${PAYMENTS}:started`, [TEAM], 'low'],
        [
          'initiative:tier1-silver:component:default/ledger:started',
          [TEAM],
          'low',
        ],
        ['initiative:tier1-silver:owner:started', [PLATFORM], 'low'],
      ],
    );
    expect(started[0].payload.description).toBe(
      'The initiative "All tier-1 services Silver" started; its deadline is 2027-01-31. Goal: reach the level silver or better. It does not meet the goal yet.',
    );
    expect(started[2].payload.link).toBe('/readiness/initiatives/tier1-silver');
    expect(
      initiativeStartCauses({
        initiative: initiative(),
        entities,
        total: 3,
        now: new Date('2026-12-09T06:00:00Z'),
      }),
    ).toEqual([]);
  });

  it('announces a new initiative before its start, and not before otherwise', () => {
    const scheduled = initiative({ startDate: '2027-01-01' });
    const now = new Date('2026-12-07T00:00:00Z');
    expect(
      initiativeStartCauses({ initiative: scheduled, entities, total: 3, now }),
    ).toEqual([]);
    const created = initiativeStartCauses({
      initiative: scheduled,
      entities,
      total: 3,
      now,
      created: true,
    });
    expect(created[0].key).toBe(`initiative:tier1-silver:${PAYMENTS}:created`);
    expect(created[0].payload.description).toMatch(/starts on 2027-01-01/);
  });
});

describe('deadline reminders', () => {
  const notMet = [
    {
      entityRef: PAYMENTS,
      owner: TEAM,
      missing: [{ type: 'check' as const, id: 'hpa', title: 'HPA configured' }],
    },
  ];
  const at = (iso: string, reminders?: number[]) =>
    deadlineCauses({
      initiative: initiative(reminders ? { reminders } : {}),
      notMet,
      notMetTotal: 2,
      now: new Date(iso),
    });

  it('reminds 14, 7 and 1 days before the deadline, one key per reminder', () => {
    expect(at('2027-01-10T08:00:00Z')).toEqual([]);
    const fourteen = at('2027-01-17T08:00:00Z');
    expect(fourteen).toEqual([
      {
        key: `deadline:tier1-silver:${PAYMENTS}:14`,
        topic: 'readiness-initiative-deadline',
        entityRef: PAYMENTS,
        recipients: [TEAM],
        payload: {
          title:
            'payments-api: the deadline of "All tier-1 services Silver" is in 14 days',
          description:
            'payments-api does not meet "All tier-1 services Silver" yet (due 2027-01-31). Missing: HPA configured.',
          link: '/catalog/default/component/payments-api/readiness?check=hpa',
          severity: 'normal',
          scope: `readiness:deadline:tier1-silver:${PAYMENTS}`,
        },
        digestible: true,
      },
      expect.objectContaining({
        key: 'deadline:tier1-silver:owner:14',
        recipients: [PLATFORM],
        payload: expect.objectContaining({
          title:
            '"All tier-1 services Silver": the deadline is in 14 days, 2 entities not met',
        }),
      }),
    ]);
    expect(at('2027-01-20T08:00:00Z')[0].key).toMatch(/:14$/);
    expect(at('2027-01-24T08:00:00Z')[0].key).toMatch(/:7$/);
    const last = at('2027-01-30T08:00:00Z');
    expect(last[0].key).toMatch(/:1$/);
    expect(last[0].payload.severity).toBe('high');
    // On the day, still the 1-day reminder; after the deadline, nothing.
    expect(at('2027-01-31T08:00:00Z')[0].key).toMatch(/:1$/);
    expect(at('2027-02-01T08:00:00Z')).toEqual([]);
  });

  it('uses the reminders of the initiative', () => {
    expect(
      dueReminder(
        { deadline: '2027-01-31', reminders: [30, 3] },
        new Date('2027-01-05T00:00:00Z'),
      ),
    ).toEqual({ reminder: 30, daysLeft: 26 });
    expect(at('2027-01-17T08:00:00Z', [3])).toEqual([]);
    expect(at('2027-01-29T08:00:00Z', [3])[0].key).toMatch(/:3$/);
  });
});

describe('waivers and digest', () => {
  const request = {
    id: 'w1',
    entityRef: PAYMENTS,
    phaseId: 'phase-4',
    checklistId: 'pre',
    itemId: 'load-test',
    justification: 'No traffic yet',
    expiresAt: '2027-03-01T00:00:00.000Z',
    requestedBy: 'user:default/alice',
    requestedAt: '2026-12-07T10:00:00.000Z',
    status: 'pending' as const,
  };

  it('asks the approvers, then tells the requester the decision', () => {
    const asked = waiverRequestedCause(request, [PLATFORM]);
    expect(asked).toEqual(
      expect.objectContaining({
        key: 'waiver:w1:requested',
        topic: 'readiness-waiver',
        recipients: [PLATFORM],
        digestible: false,
      }),
    );
    expect(asked.payload.link).toMatch(/\?item=phase-4%2Fload-test$/);
    const denied = waiverDecidedCause({
      ...request,
      status: 'denied',
      decidedBy: 'user:default/bob',
      reason: 'Run the load test',
    });
    expect(denied).toEqual(
      expect.objectContaining({
        key: 'waiver:w1:denied',
        recipients: ['user:default/alice'],
      }),
    );
    expect(denied.payload.description).toBe(
      'The waiver of phase-4/load-test of component:default/payments-api was denied by user:default/bob: Run the load test',
    );
  });

  it('groups a day of notifications into one, with the highest severity', () => {
    const digest = digestCause({
      recipient: TEAM,
      day: '2026-12-08',
      entries: [
        { title: 'a', severity: 'normal', link: '/x' },
        { title: 'b', severity: 'high', link: '/y' },
      ],
    });
    expect(digest).toEqual({
      key: `digest:${TEAM}:2026-12-08`,
      topic: 'readiness-digest',
      recipients: [TEAM],
      payload: {
        title: 'Readiness: 2 updates for 2026-12-08',
        description: '- a\n- b',
        link: '/readiness',
        severity: 'high',
        scope: `readiness:digest:${TEAM}`,
      },
      digestible: false,
    });
  });
});
