import {
  DEFAULT_LEVELS,
  InitiativeDefinition,
  PhaseDefinition,
} from '@prodready/plugin-readiness-common';
import { burnUpDays, computeBurnUp, withIdealLine } from './burnUp';
import { GoalEvaluator, GoalFacts, ProgressSubject } from './computeProgress';

const phase: PhaseDefinition = {
  id: 'phase-4',
  title: 'Deployment',
  checklists: [
    {
      id: 'pre',
      title: 'Pre',
      items: [{ id: 'runbook', text: 'Runbook', kind: 'manual' }],
    },
  ],
};
const evaluator = new GoalEvaluator({
  checks: [{ id: 'backup', title: 'Backups', level: 'silver' }],
  levels: DEFAULT_LEVELS,
  phases: [phase],
});

function subject(name: string): ProgressSubject {
  return {
    entityRef: `component:default/${name}`,
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    tier: 'tier-1',
    owner: null,
    system: null,
    level: null,
    levelRank: 0,
    score: 0,
  };
}

const base = {
  id: 'i',
  title: 'I',
  owner: 'group:default/platform',
  startDate: '2026-12-01',
  deadline: '2026-12-11',
  scope: { kinds: ['Component'] },
};
const now = new Date('2026-12-04T09:00:00Z');

function current(
  levelRank: number,
  results: Record<string, string> = {},
  states: GoalFacts['checklistStates'] = [],
): GoalFacts {
  return {
    levelRank,
    level: DEFAULT_LEVELS.find(l => l.rank === levelRank)?.id ?? null,
    results: new Map(
      Object.entries(results).map(([k, v]) => [
        k,
        { status: v as any, message: '' },
      ]),
    ),
    checklistStates: states,
  };
}

describe('burn-up', () => {
  it('has a day from the start to today, or to the deadline', () => {
    expect(burnUpDays(base, now)).toEqual([
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
    ]);
    expect(burnUpDays(base, new Date('2027-02-01T00:00:00Z'))).toHaveLength(11);
    expect(burnUpDays(base, new Date('2026-11-01T00:00:00Z'))).toEqual([]);
  });

  it('rebuilds level goals from the snapshots, carried forward', () => {
    const initiative: InitiativeDefinition = {
      ...base,
      goal: { type: 'level', level: 'silver' },
    };
    const a = subject('a');
    const b = subject('b');
    const c = subject('c');
    const counts = computeBurnUp(
      initiative,
      evaluator,
      {
        subjects: [a, b, c],
        current: new Map([
          [a.entityRef, current(2)],
          [b.entityRef, current(3)],
          [c.entityRef, current(1)],
        ]),
        snapshots: new Map([
          [
            a.entityRef,
            [
              { day: '2026-11-20', level: 'bronze', levelRank: 1 },
              { day: '2026-12-03', level: 'silver', levelRank: 2 },
            ],
          ],
          [b.entityRef, [{ day: '2026-11-01', level: 'gold', levelRank: 3 }]],
          // c was first evaluated on the 2nd.
          [c.entityRef, [{ day: '2026-12-02', level: 'bronze', levelRank: 1 }]],
        ]),
        transitions: [],
        checklistChanges: [],
      },
      now,
    );
    expect(counts).toEqual([
      { day: '2026-12-01', met: 1, exempt: 0, total: 2 },
      { day: '2026-12-02', met: 1, exempt: 0, total: 3 },
      { day: '2026-12-03', met: 2, exempt: 0, total: 3 },
      { day: '2026-12-04', met: 2, exempt: 0, total: 3 },
    ]);
    expect(withIdealLine(initiative, counts).map(p => p.ideal)).toEqual([
      1, 1.2, 1.4, 1.6,
    ]);
  });

  it('rebuilds checks goals from the transitions and checklists from the audit trail', () => {
    const a = subject('a');
    const snapshots = new Map([
      [a.entityRef, [{ day: '2026-11-01', level: null, levelRank: 0 }]],
    ]);
    // backup failed until the 2nd, passes since.
    const checks = computeBurnUp(
      { ...base, goal: { type: 'checks', checks: ['backup'] } },
      evaluator,
      {
        subjects: [a],
        current: new Map([[a.entityRef, current(0, { backup: 'pass' })]]),
        snapshots,
        transitions: [
          {
            entityRef: a.entityRef,
            checkId: 'backup',
            fromStatus: 'fail',
            toStatus: 'pass',
            changedAt: new Date('2026-12-02T15:00:00Z'),
          },
        ],
        checklistChanges: [],
      },
      now,
    );
    expect(checks.map(p => p.met)).toEqual([0, 1, 1, 1]);

    // The runbook was attested on the 3rd.
    const lists = computeBurnUp(
      { ...base, goal: { type: 'checklists', phase: 'phase-4' } },
      evaluator,
      {
        subjects: [a],
        current: new Map([
          [
            a.entityRef,
            current(0, {}, [
              {
                entityRef: a.entityRef,
                phaseId: 'phase-4',
                checklistId: 'pre',
                itemId: 'runbook',
                status: 'done',
                version: 1,
              },
            ]),
          ],
        ]),
        snapshots,
        transitions: [],
        checklistChanges: [
          {
            entityRef: a.entityRef,
            phaseId: 'phase-4',
            checklistId: 'pre',
            itemId: 'runbook',
            at: new Date('2026-12-03T08:00:00Z'),
            before: null,
          },
        ],
      },
      now,
    );
    expect(lists.map(p => p.met)).toEqual([0, 0, 1, 1]);
  });
});
