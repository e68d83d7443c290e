import {
  CheckDefinition,
  CheckResult,
  CheckResultStatus,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';
import { NOT_EVALUATED_MESSAGE, buildScorecard } from './buildScorecard';

const entityRef = 'component:default/svc';
const evaluatedAt = '2026-11-26T00:00:00.000Z';

type Check = Pick<CheckDefinition, 'id' | 'area' | 'level'>;

const checks: Check[] = [
  { id: 'sla', area: 'sla', level: 'bronze' },
  { id: 'probes', area: 'load-balancing', level: 'bronze' },
  { id: 'pdb', area: 'load-balancing', level: 'silver' },
  { id: 'hpa', area: 'auto-scaling', level: 'silver' },
  { id: 'dr', area: 'disaster-recovery', level: 'gold' },
];

function result(
  checkId: string,
  status: CheckResultStatus,
  extra: Partial<CheckResult> = {},
): CheckResult {
  return {
    checkId,
    entityRef,
    status,
    message: `${checkId} ${status}`,
    evaluatedAt,
    ...extra,
  };
}

function allPass(): CheckResult[] {
  return checks.map(c => result(c.id, 'pass'));
}

function replace(results: CheckResult[], next: CheckResult): CheckResult[] {
  return results.map(r => (r.checkId === next.checkId ? next : r));
}

describe('buildScorecard', () => {
  it('reaches the highest level when everything passes', () => {
    const scorecard = buildScorecard({
      entityRef,
      checks,
      results: allPass(),
      evaluatedAt: new Date(evaluatedAt),
    });
    expect(scorecard).toEqual({
      entityRef,
      level: 'gold',
      areas: [
        {
          area: 'load-balancing',
          score: 100,
          passed: 2,
          failed: 0,
          warned: 0,
          errored: 0,
          notApplicable: 0,
          waived: 0,
          total: 2,
        },
        expect.objectContaining({ area: 'auto-scaling', score: 100 }),
        expect.objectContaining({ area: 'disaster-recovery', score: 100 }),
        expect.objectContaining({ area: 'sla', score: 100 }),
      ],
      results: allPass(),
      evaluatedAt,
      stale: false,
    });
  });

  it('orders areas as the seed does and results as the checks', () => {
    const scorecard = buildScorecard({
      entityRef,
      checks,
      results: [...allPass()].reverse(),
      evaluatedAt,
    });
    expect(scorecard.areas.map(a => a.area)).toEqual([
      'load-balancing',
      'auto-scaling',
      'disaster-recovery',
      'sla',
    ]);
    expect(scorecard.results.map(r => r.checkId)).toEqual(
      checks.map(c => c.id),
    );
  });

  it('stops below the lowest level with a failure or error', () => {
    const build = (results: CheckResult[]) =>
      buildScorecard({ entityRef, checks, results, evaluatedAt }).level;
    expect(build(replace(allPass(), result('dr', 'fail')))).toBe('silver');
    expect(build(replace(allPass(), result('pdb', 'error')))).toBe('bronze');
    expect(build(replace(allPass(), result('sla', 'fail')))).toBeNull();
    // Warnings and not-applicable checks never block.
    expect(build(replace(allPass(), result('sla', 'warn')))).toBe('gold');
    expect(build(replace(allPass(), result('dr', 'not-applicable')))).toBe(
      'gold',
    );
  });

  it('scores an area as the share of applicable checks that pass or are waived', () => {
    const results = replace(
      replace(allPass(), result('probes', 'fail')),
      result('pdb', 'not-applicable'),
    );
    const scorecard = buildScorecard({
      entityRef,
      checks,
      results,
      evaluatedAt,
    });
    expect(scorecard.areas[0]).toEqual({
      area: 'load-balancing',
      score: 0,
      passed: 0,
      failed: 1,
      warned: 0,
      errored: 0,
      notApplicable: 1,
      waived: 0,
      total: 2,
    });
  });

  it('counts a waived failure as passing, until the waiver expires', () => {
    const waiver = {
      checkId: 'sla',
      entityRef,
      reason: 'migrating',
      waivedBy: 'user:default/alice',
      waivedAt: '2026-11-01T00:00:00.000Z',
      expiresAt: '2026-12-01T00:00:00.000Z',
    };
    const results = replace(allPass(), result('sla', 'fail', { waiver }));
    const before = buildScorecard({
      entityRef,
      checks,
      results,
      evaluatedAt,
    });
    expect(before.level).toBe('gold');
    expect(before.areas.find(a => a.area === 'sla')).toMatchObject({
      score: 100,
      waived: 1,
    });
    expect(before.results[0].waiver).toEqual(waiver);

    const after = buildScorecard({
      entityRef,
      checks,
      results,
      evaluatedAt: '2026-12-02T00:00:00.000Z',
    });
    expect(after.level).toBeNull();
    expect(after.results[0].waiver).toBeUndefined();
    expect(after.areas.find(a => a.area === 'sla')).toMatchObject({
      score: 0,
      failed: 1,
      waived: 0,
    });
  });

  it('counts a check without a result as an error, never as a pass', () => {
    const results = allPass().filter(r => r.checkId !== 'hpa');
    const scorecard = buildScorecard({
      entityRef,
      checks,
      results,
      evaluatedAt,
    });
    expect(scorecard.level).toBe('bronze');
    expect(scorecard.results[3]).toEqual({
      checkId: 'hpa',
      entityRef,
      status: 'error',
      message: NOT_EVALUATED_MESSAGE,
      evaluatedAt,
    });
  });

  it('leaves out results of checks that are no longer configured', () => {
    const scorecard = buildScorecard({
      entityRef,
      checks,
      results: [...allPass(), result('removed', 'fail')],
      evaluatedAt,
    });
    expect(scorecard.results.map(r => r.checkId)).not.toContain('removed');
    expect(scorecard.level).toBe('gold');
  });

  it('has no level and no area score when nothing applies', () => {
    const scorecard = buildScorecard({
      entityRef,
      checks,
      results: checks.map(c => result(c.id, 'not-applicable')),
      evaluatedAt,
    });
    expect(scorecard.level).toBeNull();
    expect(scorecard.areas.every(a => a.score === null)).toBe(true);
  });

  it('uses the given levels', () => {
    const gates: LevelDefinition[] = [
      { id: 'gate-1', title: 'Gate 1', rank: 1 },
      { id: 'gate-2', title: 'Gate 2', rank: 2 },
    ];
    const gated: Check[] = [
      { id: 'a', area: 'sla', level: 'gate-1' },
      { id: 'b', area: 'sla', level: 'gate-2' },
    ];
    expect(
      buildScorecard({
        entityRef,
        checks: gated,
        levels: gates,
        results: [result('a', 'pass'), result('b', 'fail')],
        evaluatedAt,
      }).level,
    ).toBe('gate-1');
  });

  it('keeps the stale flag and its reason', () => {
    expect(
      buildScorecard({
        entityRef,
        checks,
        results: allPass(),
        evaluatedAt,
        stale: true,
        staleReason: 'the catalog could not be reached',
      }),
    ).toMatchObject({
      stale: true,
      staleReason: 'the catalog could not be reached',
    });
    expect(
      buildScorecard({
        entityRef,
        checks,
        results: allPass(),
        evaluatedAt,
        staleReason: 'ignored when not stale',
      }),
    ).not.toHaveProperty('staleReason');
  });

  it('does not let a deferred check lower the level, but still shows it failing', () => {
    const results = allPass().map(r =>
      r.checkId === 'pdb' ? result('pdb', 'fail') : r,
    );
    const enforced = buildScorecard({ entityRef, checks, results, evaluatedAt });
    expect(enforced.level).toBe('bronze');
    const deferred = buildScorecard({
      entityRef,
      checks,
      results,
      evaluatedAt,
      deferredChecks: new Set(['pdb']),
    });
    expect(deferred.level).toBe('gold');
    expect(deferred.results.find(r => r.checkId === 'pdb')?.status).toBe(
      'fail',
    );
    expect(deferred.areas).toEqual(enforced.areas);
  });
});
