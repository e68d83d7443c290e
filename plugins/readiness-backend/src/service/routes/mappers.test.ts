import { overviewPageJson, toOverviewItem } from './mappers';

function row(entityRef: string, score: number) {
  return {
    entityRef,
    kind: 'Component',
    type: 'service',
    lifecycle: 'production',
    owner: 'group:default/team-a',
    system: null,
    tier: 'tier-1',
    level: score >= 50 ? 'bronze' : null,
    levelRank: score >= 50 ? 1 : 0,
    score,
    areaScores: { 'auto-scaling': 100, security: null },
    passed: 3,
    failed: 1,
    factsHash: 'hash',
    stale: false,
    evaluatedAt: new Date('2026-11-26T12:00:00.000Z'),
    phases: [{ phaseId: 'phase-4', done: 3, total: 29 }],
  };
}

describe('overviewPageJson', () => {
  it('is the JSON of the page built with toOverviewItem', () => {
    const items = [
      row('component:default/a', 80),
      row('component:default/b', 20),
    ];
    for (const page of [
      { items, totalCount: 7, nextCursor: 'eyJvIjoi"\\' },
      { items, totalCount: 2 },
      { items: [], totalCount: 0 },
    ]) {
      const expected = {
        items: page.items.map(item => toOverviewItem(item, item.phases)),
        totalCount: page.totalCount,
        ...('nextCursor' in page && { nextCursor: page.nextCursor }),
      };
      expect(overviewPageJson(page)).toBe(JSON.stringify(expected));
    }
  });

  it('serialises a changed row again: a new row object', () => {
    const before = row('component:default/a', 80);
    expect(
      JSON.parse(overviewPageJson({ items: [before], totalCount: 1 })).items[0]
        .score,
    ).toBe(80);
    const after = { ...before, score: 40, phases: [] };
    const parsed = JSON.parse(
      overviewPageJson({ items: [after], totalCount: 1 }),
    ).items[0];
    expect(parsed.score).toBe(40);
    expect(parsed.phases).toEqual([]);
  });
});
