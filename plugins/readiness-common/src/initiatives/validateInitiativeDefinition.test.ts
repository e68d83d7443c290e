import { validateInitiativeDefinition } from './validateInitiativeDefinition';
import { daysBetween, initiativeDaysLeft, initiativePhase } from './dates';

const known = {
  knownCheckIds: ['backup-schedule', 'hpa-configured'],
  knownLevelIds: ['bronze', 'silver', 'gold'],
  knownPhases: new Map([['phase-4', ['load-balancing', 'disaster-recovery']]]),
  knownPhaseItems: new Map([
    ['phase-4', ['backup-dr-tested', 'team-training']],
  ]),
};

const valid = {
  id: 'tier-1-silver',
  title: 'All tier-1 services Silver',
  owner: 'group:platform-team',
  startDate: '2026-11-01',
  deadline: '2027-01-31',
  scope: { tiers: ['tier-1'], kinds: ['Component'], owners: ['acme'] },
  goal: { type: 'level', level: 'silver' },
};

function errorsOf(input: unknown) {
  const result = validateInitiativeDefinition(input, known);
  if (result.ok) throw new Error('expected errors');
  return result.errors;
}

describe('validateInitiativeDefinition', () => {
  it('accepts and normalizes a valid initiative', () => {
    const result = validateInitiativeDefinition(
      { ...valid, reminders: [1, 14, 7, 7] },
      known,
    );
    expect(result).toEqual({
      ok: true,
      value: {
        ...valid,
        owner: 'group:default/platform-team',
        scope: {
          tiers: ['tier-1'],
          kinds: ['Component'],
          owners: ['group:default/acme'],
        },
        reminders: [14, 7, 1],
      },
    });
  });

  it('names the initiative and the field of each error', () => {
    expect(errorsOf({ ...valid, deadline: '2026-10-01' })).toEqual([
      "initiative 'tier-1-silver': deadline '2026-10-01' is before startDate '2026-11-01'",
    ]);
    expect(
      errorsOf({ ...valid, goal: { type: 'level', level: 'platinum' } }),
    ).toEqual([
      "initiative 'tier-1-silver': goal.level 'platinum' is not a level; expected one of bronze, silver, gold",
    ]);
    expect(
      errorsOf({
        ...valid,
        goal: { type: 'checks', checks: ['backup-schedule', 'nope'] },
      }),
    ).toEqual([
      "initiative 'tier-1-silver': goal.checks 'nope' is not a check in force",
    ]);
    expect(errorsOf({ ...valid, scope: {} })[0]).toMatch(
      /^initiative 'tier-1-silver': scope is empty; name at least one of kinds/,
    );
    expect(errorsOf({ ...valid, scope: { tiers: ['tier-9'] } })[0]).toMatch(
      /scope.tiers 'tier-9' is not a tier/,
    );
    expect(
      errorsOf({ ...valid, goal: { type: 'checklists', phase: 'phase-9' } }),
    ).toEqual([
      "initiative 'tier-1-silver': goal.phase 'phase-9' is not a phase in force; expected one of phase-4",
    ]);
    expect(
      errorsOf({
        ...valid,
        goal: { type: 'checklists', phase: 'phase-4', checklists: ['cdn'] },
      }),
    ).toEqual([
      "initiative 'tier-1-silver': goal.checklists 'cdn' is not a checklist of phase 'phase-4'; expected one of load-balancing, disaster-recovery",
    ]);
  });

  it('accepts a checklists goal limited to some items, and only known items', () => {
    const goal = {
      type: 'checklists',
      phase: 'phase-4',
      items: ['backup-dr-tested'],
    };
    expect(
      validateInitiativeDefinition({ ...valid, goal }, known),
    ).toMatchObject({
      ok: true,
      value: { goal },
    });
    expect(
      errorsOf({
        ...valid,
        goal: { ...goal, items: ['backup-dr-tested', 'nope'] },
      }),
    ).toEqual([
      "initiative 'tier-1-silver': goal.items 'nope' is not an item of phase 'phase-4'",
    ]);
  });

  it('reports every error at once, and unknown properties', () => {
    const errors = errorsOf({
      id: 'Bad Id',
      startDate: '2026-02-30',
      deadline: 'soon',
      scope: { colour: ['red'] },
      goal: { type: 'vibes' },
      extra: true,
    });
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining("unknown property 'extra'"),
        expect.stringContaining("id 'Bad Id' is not a lowercase slug"),
        expect.stringContaining('title is missing'),
        expect.stringContaining('owner is missing'),
        expect.stringContaining("startDate '2026-02-30' is not a date"),
        expect.stringContaining("deadline 'soon' is not a date"),
        expect.stringContaining('scope.colour is not a scope condition'),
        expect.stringContaining(
          "goal.type 'vibes' is not one of level, checks, checklists",
        ),
      ]),
    );
  });

  it('allows enforcedFrom only on a checks goal, within the initiative', () => {
    expect(errorsOf({ ...valid, enforcedFrom: '2026-12-01' })).toEqual([
      "initiative 'tier-1-silver': enforcedFrom is only for a goal of type 'checks' (the goal is of type 'level')",
    ]);
    const checks = { type: 'checks', checks: ['backup-schedule'] };
    expect(
      errorsOf({ ...valid, goal: checks, enforcedFrom: '2027-03-01' }),
    ).toEqual([
      "initiative 'tier-1-silver': enforcedFrom '2027-03-01' is not between startDate '2026-11-01' and deadline '2027-01-31'",
    ]);
    expect(
      validateInitiativeDefinition(
        { ...valid, goal: checks, enforcedFrom: '2026-12-01' },
        known,
      ).ok,
    ).toBe(true);
  });

  it('rejects bad reminders and approval flags', () => {
    expect(errorsOf({ ...valid, reminders: [7, -1] })[0]).toMatch(
      /reminders \[7,-1\] is not a list/,
    );
    expect(errorsOf({ ...valid, requireWaiverApproval: 'yes' })[0]).toMatch(
      /requireWaiverApproval 'yes' is not true or false/,
    );
  });
});

describe('initiative dates', () => {
  const initiative = { startDate: '2026-12-01', deadline: '2026-12-10' };
  it('knows the phase and the days left', () => {
    expect(initiativePhase(initiative, new Date('2026-11-30T23:59:59Z'))).toBe(
      'scheduled',
    );
    expect(initiativePhase(initiative, new Date('2026-12-01T00:00:00Z'))).toBe(
      'active',
    );
    expect(initiativePhase(initiative, new Date('2026-12-10T23:59:59Z'))).toBe(
      'active',
    );
    expect(initiativePhase(initiative, new Date('2026-12-11T00:00:00Z'))).toBe(
      'ended',
    );
    expect(
      initiativeDaysLeft(initiative, new Date('2026-12-03T18:00:00Z')),
    ).toBe(7);
    expect(
      initiativeDaysLeft(initiative, new Date('2026-12-12T01:00:00Z')),
    ).toBe(-2);
  });
  it('lists the days between two dates', () => {
    expect(daysBetween('2026-12-30', '2027-01-02')).toEqual([
      '2026-12-30',
      '2026-12-31',
      '2027-01-01',
      '2027-01-02',
    ]);
  });
});
