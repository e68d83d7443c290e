import {
  ChecklistItemState,
  DEFAULT_LEVELS,
  InitiativeDefinition,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import {
  GoalEvaluator,
  GoalFacts,
  ProgressSubject,
  compileScope,
  countProgress,
} from './computeProgress';

const checks = [
  { id: 'probes', title: 'Probes are set', level: 'bronze' },
  { id: 'hpa', title: 'Autoscaling', level: 'silver' },
  { id: 'backup', title: 'Backups', level: 'silver' },
  { id: 'dr', title: 'DR tested', level: 'gold' },
];

const phase: PhaseDefinition = {
  id: 'phase-4',
  title: 'Deployment',
  applicability: { kinds: ['Component'] },
  checklists: [
    {
      id: 'pre',
      title: 'Pre-deployment',
      items: [
        { id: 'runbook', text: 'Runbook written', kind: 'manual' },
        {
          id: 'backups',
          text: 'Backups configured',
          kind: 'automatic',
          checks: ['backup'],
        },
      ],
    },
    {
      id: 'post',
      title: 'Post-deployment',
      items: [{ id: 'smoke', text: 'Smoke tests', kind: 'manual' }],
    },
  ],
};

const evaluator = new GoalEvaluator({
  checks,
  levels: DEFAULT_LEVELS,
  phases: [phase],
});

const subject: ProgressSubject = {
  entityRef: 'component:default/a',
  kind: 'Component',
  type: 'service',
  lifecycle: 'production',
  tier: 'tier-1',
  owner: 'group:default/team-a',
  system: 'system:default/pay',
  tags: ['java'],
  level: 'bronze',
  levelRank: 1,
  score: 50,
};

const base: Omit<InitiativeDefinition, 'goal'> = {
  id: 'i',
  title: 'I',
  owner: 'group:default/platform',
  startDate: '2026-11-01',
  deadline: '2027-01-31',
  scope: { kinds: ['Component'] },
};

const now = new Date('2026-12-01T12:00:00Z');

function facts(
  statuses: Record<string, string>,
  states: Array<Partial<ChecklistItemState>> = [],
  levelRank = 1,
): GoalFacts {
  return {
    level: DEFAULT_LEVELS.find(l => l.rank === levelRank)?.id ?? null,
    levelRank,
    results: new Map(
      Object.entries(statuses).map(([id, status]) => [
        id,
        { status: status as any, message: `${id} ${status}` },
      ]),
    ),
    checklistStates: states.map(s => ({
      entityRef: subject.entityRef,
      phaseId: 'phase-4',
      checklistId: 'pre',
      itemId: 'runbook',
      status: 'done',
      version: 1,
      ...s,
    })),
  };
}

describe('compileScope', () => {
  it('matches every condition, kinds and refs without regard to case', () => {
    expect(
      compileScope({
        kinds: ['component'],
        types: ['service'],
        lifecycles: ['production'],
        tiers: ['tier-1'],
        owners: ['group:default/Team-A'],
        systems: ['system:default/pay'],
        tags: ['JAVA', 'go'],
      })(subject),
    ).toBe(true);
    expect(compileScope({ tiers: ['tier-2'] })(subject)).toBe(false);
    expect(compileScope({ tags: ['go'] })(subject)).toBe(false);
    expect(compileScope({ systems: ['system:default/x'] })(subject)).toBe(
      false,
    );
  });

  it('matches owners by the expanded groups when given', () => {
    const scope = { owners: ['group:default/eng'] };
    expect(compileScope(scope)(subject)).toBe(false);
    expect(
      compileScope(
        scope,
        new Set(['group:default/eng', 'group:default/team-a']),
      )(subject),
    ).toBe(true);
  });
});

describe('GoalEvaluator', () => {
  it('level goal: met at or above the goal, else what blocks it', () => {
    const silver = {
      ...base,
      goal: { type: 'level', level: 'silver' },
    } as const;
    expect(
      evaluator.evaluate(silver, subject, facts({}, [], 2), now).state,
    ).toBe('met');
    const outcome = evaluator.evaluate(
      silver,
      subject,
      facts({ probes: 'pass', hpa: 'fail', backup: 'pass', dr: 'fail' }),
      now,
    );
    expect(outcome).toEqual({
      state: 'not-met',
      missing: [
        {
          type: 'level',
          id: 'silver',
          title: 'Reach Silver',
          message: "The entity is at level 'Bronze'",
        },
        { type: 'check', id: 'hpa', title: 'Autoscaling', message: 'hpa fail' },
      ],
      waived: [],
    });
  });

  it('level goal: exempt when every blocking check is waived', () => {
    const silver = {
      ...base,
      goal: { type: 'level', level: 'silver' },
    } as const;
    const outcome = evaluator.evaluate(
      silver,
      subject,
      facts({ probes: 'pass', hpa: 'pass', backup: 'fail' }, [
        {
          itemId: 'backups',
          status: 'not-applicable',
          justification: 'No data',
          expiresAt: '2027-01-01T00:00:00Z',
        },
      ]),
      now,
    );
    expect(outcome.state).toBe('exempt');
    expect(outcome.waived).toEqual([
      expect.objectContaining({
        type: 'check',
        id: 'backup',
        message: "Waived with checklist item 'Backups configured': No data",
      }),
    ]);
    // An expired waiver no longer counts.
    expect(
      evaluator.evaluate(
        silver,
        subject,
        facts({ probes: 'pass', hpa: 'pass', backup: 'fail' }, [
          {
            itemId: 'backups',
            status: 'not-applicable',
            expiresAt: '2026-11-30T00:00:00Z',
          },
        ]),
        now,
      ).state,
    ).toBe('not-met');
  });

  it('checks goal: each passes or does not apply; a waived one is exempt', () => {
    const goal: InitiativeDefinition = {
      ...base,
      goal: { type: 'checks', checks: ['hpa', 'backup', 'dr'] },
    };
    expect(
      evaluator.evaluate(
        goal,
        subject,
        facts({ hpa: 'pass', backup: 'not-applicable', dr: 'pass' }),
        now,
      ).state,
    ).toBe('met');
    const notMet = evaluator.evaluate(
      goal,
      subject,
      facts({ hpa: 'warn', backup: 'pass' }),
      now,
    );
    expect(notMet.missing).toEqual([
      { type: 'check', id: 'hpa', title: 'Autoscaling', message: 'hpa warn' },
      {
        type: 'check',
        id: 'dr',
        title: 'DR tested',
        message: 'The check has no result for this entity yet',
      },
    ]);
    expect(
      evaluator.evaluate(
        goal,
        subject,
        facts({ hpa: 'pass', backup: 'fail', dr: 'pass' }, [
          { itemId: 'backups', status: 'not-applicable' },
        ]),
        now,
      ).state,
    ).toBe('exempt');
  });

  it('checklists goal: every item done or not applicable, and not expired', () => {
    const all: InitiativeDefinition = {
      ...base,
      goal: { type: 'checklists', phase: 'phase-4' },
    };
    const pre: InitiativeDefinition = {
      ...base,
      goal: { type: 'checklists', phase: 'phase-4', checklists: ['pre'] },
    };
    const state = facts({ backup: 'pass' }, [{ itemId: 'runbook' }]);
    expect(evaluator.evaluate(pre, subject, state, now).state).toBe('met');
    const outcome = evaluator.evaluate(all, subject, state, now);
    expect(outcome.state).toBe('not-met');
    expect(outcome.missing).toEqual([
      {
        type: 'checklist-item',
        id: 'post/smoke',
        title: 'Smoke tests',
        phaseId: 'phase-4',
        message: 'Not attested yet',
      },
    ]);
    // An expired attestation is open again.
    const expired = facts({ backup: 'pass' }, [
      { itemId: 'runbook', expiresAt: '2026-11-15T00:00:00Z' },
    ]);
    expect(evaluator.evaluate(pre, subject, expired, now).missing).toEqual([
      expect.objectContaining({
        id: 'pre/runbook',
        message: 'The attestation expired on 2026-11-15T00:00:00Z',
      }),
    ]);
    // A waived item makes the entity exempt.
    const waived = facts({ backup: 'fail' }, [
      { itemId: 'runbook' },
      { itemId: 'backups', status: 'not-applicable', justification: 'No' },
    ]);
    expect(evaluator.evaluate(pre, subject, waived, now)).toMatchObject({
      state: 'exempt',
      waived: [{ id: 'pre/backups', message: 'No' }],
    });
    // A phase that does not apply asks nothing.
    expect(
      evaluator.evaluate(all, { ...subject, kind: 'API' }, state, now).state,
    ).toBe('met');
  });

  it('checklists goal limited to items: only those items count', () => {
    const backups: InitiativeDefinition = {
      ...base,
      goal: { type: 'checklists', phase: 'phase-4', items: ['backups'] },
    };
    // The open manual items (runbook, smoke) are not asked.
    expect(
      evaluator.evaluate(backups, subject, facts({ backup: 'pass' }, []), now)
        .state,
    ).toBe('met');
    expect(
      evaluator.evaluate(backups, subject, facts({ backup: 'fail' }, []), now),
    ).toMatchObject({
      state: 'not-met',
      missing: [{ type: 'checklist-item', id: 'pre/backups' }],
    });
    // Checks that do not apply do not complete an automatic item: say so.
    expect(
      evaluator.evaluate(
        backups,
        subject,
        facts({ backup: 'not-applicable' }, []),
        now,
      ).missing,
    ).toEqual([
      expect.objectContaining({
        message:
          'None of its checks applies to this entity (Backups): if the item does not apply, waive it',
      }),
    ]);
  });

  it('counts progress', () => {
    expect(countProgress(['met', 'exempt', 'not-met'])).toEqual({
      total: 3,
      met: 1,
      exempt: 1,
      notMet: 1,
      percent: 66.7,
    });
    expect(countProgress([]).percent).toBe(100);
  });
});
