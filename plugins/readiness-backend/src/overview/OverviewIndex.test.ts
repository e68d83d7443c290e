import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import type { AreaScore } from '@prodready/plugin-readiness-common';
import { DatabaseReadinessStore } from '../database/DatabaseReadinessStore';
import type {
  EntityEvaluation,
  ListScoresRequest,
  ScoreFilter,
  ScoreListItem,
  ScoreOrderBy,
} from '../database/ReadinessStore';
import { encodeScoreCursor } from '../database/scoreOrder';
import { OverviewIndex } from './OverviewIndex';

jest.setTimeout(300_000);

/** A small deterministic pseudo-random generator (mulberry32). */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;

const pick = <V>(rnd: Random, values: ReadonlyArray<V>): V =>
  values[Math.floor(rnd() * values.length)];

/** Some of the values, in random order (possibly none). */
function someOf<V>(rnd: Random, values: ReadonlyArray<V>, max = 3): V[] {
  const count = Math.floor(rnd() * (max + 1));
  return Array.from({ length: count }, () => pick(rnd, values));
}

const ORDERS: ReadonlyArray<ScoreOrderBy> = [
  'entityRef',
  'score',
  'level',
  'owner',
];
const DIRECTIONS = ['asc', 'desc'] as const;

// The values of the generated entities. Owners and systems include '' and
// upper case, kinds mixed case; scores tie often.
const KINDS = ['Component', 'component', 'API', 'Resource', 'resource'];
const OWNERS = [
  null,
  '',
  'group:default/team-a',
  'group:default/Team-B',
  'group:default/team-b',
  'group:default/team_c',
  'user:default/zoë',
];
const SYSTEMS = [null, '', 'system:default/shop', 'system:default/pay'];
const LIFECYCLES = [null, 'production', 'experimental', 'deprecated'];
const TIERS = [null, 'tier-1', 'tier-2', 'tier-3'];
const TYPES = [null, 'service', 'website', 'database'];
const LEVELS: ReadonlyArray<[string | null, number]> = [
  [null, 0],
  ['bronze', 1],
  ['silver', 2],
  ['gold', 3],
];
const SCORES = [0, 12.5, 50, 62.5, 75, 87.5, 100];
const NAMES = [
  'svc-',
  'Payments-',
  'ledger%',
  'pay_',
  'back\\slash-',
  'zeta-',
  'Alpha-',
];

function area(id: AreaScore['area'], score: number | null): AreaScore {
  return {
    area: id,
    score,
    passed: 0,
    failed: 0,
    warned: 0,
    errored: 0,
    notApplicable: 0,
    waived: 0,
    total: 0,
  };
}

function generateEvaluations(rnd: Random, count: number): EntityEvaluation[] {
  return Array.from({ length: count }, (_, i) => {
    const kind = pick(rnd, KINDS);
    const [level, levelRank] = pick(rnd, LEVELS);
    return {
      entityRef: `${kind}:default/${pick(rnd, NAMES)}${i}`,
      evaluatedAt: new Date(Date.UTC(2026, 10, 1, 10, i % 60)),
      results: [{ checkId: 'hpa', status: 'pass', message: 'hpa is pass' }],
      scores: {
        kind,
        type: pick(rnd, TYPES),
        lifecycle: pick(rnd, LIFECYCLES),
        owner: pick(rnd, OWNERS),
        system: pick(rnd, SYSTEMS),
        tier: pick(rnd, TIERS),
        level,
        levelRank,
        score: pick(rnd, SCORES),
        areaScores: [
          area('security', pick(rnd, [null, 0, 50, 100])),
          area('auto-scaling', 100),
        ],
        passed: Math.floor(rnd() * 10),
        failed: Math.floor(rnd() * 10),
        factsHash: `hash-${i}`,
        stale: rnd() < 0.2,
      },
    };
  });
}

/** Random filters over the generated values, including absent values. */
function filterMaker(rnd: Random, refs: ReadonlyArray<string>) {
  // Callers pass the same array again and again: so do these. Lists of up
  // to 1/16 of the entities are looked up rather than scanned.
  const refLists = [
    [],
    refs.filter(() => rnd() < 0.3),
    refs
      .filter(() => rnd() < 0.04)
      .map(ref => (rnd() < 0.5 ? ref.toUpperCase() : ref))
      .concat(['resource:default/missing']),
    refs
      .filter(() => rnd() < 0.1)
      .map(ref => ref.toUpperCase())
      .concat(['component:default/missing']),
    [pick(rnd, refs), pick(rnd, refs)],
  ];
  const searches = [
    '',
    '  ',
    '%',
    '_',
    '\\',
    'LEDGER',
    ' pay_ ',
    'svc-1',
    'api:',
    'default/z',
    'nothing-like-this',
  ];
  return (): ScoreFilter | undefined => {
    if (rnd() < 0.15) {
      return undefined;
    }
    const filter: ScoreFilter = {};
    const maybe = () => rnd() < 0.25;
    if (maybe()) filter.owners = someOf(rnd, [...OWNERS, 'group:default/x']);
    if (maybe()) filter.systems = someOf(rnd, SYSTEMS);
    if (maybe()) filter.lifecycles = someOf(rnd, LIFECYCLES);
    if (maybe()) filter.tiers = someOf(rnd, TIERS);
    if (maybe())
      filter.levels = someOf(
        rnd,
        LEVELS.map(([level]) => level),
      );
    if (maybe()) filter.types = someOf(rnd, TYPES);
    if (maybe()) {
      filter.kinds = someOf(rnd, ['COMPONENT', 'api', 'Resource', 'group']);
    }
    if (maybe()) {
      filter.search =
        rnd() < 0.7
          ? pick(rnd, searches)
          : pick(rnd, refs).slice(3, 12).toUpperCase();
    }
    if (rnd() < 0.2) filter.entityRefs = pick(rnd, refLists);
    return filter;
  };
}

describe('OverviewIndex', () => {
  describe('equivalence with DatabaseReadinessStore on SQLite', () => {
    const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

    async function setup() {
      const knex = await databases.init('SQLITE_3');
      const database = mockServices.database({
        knex,
        migrations: { skip: false },
      });
      const store = await DatabaseReadinessStore.create({ database });
      const rnd = random(20261126);
      await store.saveEvaluations(generateEvaluations(rnd, 300));
      const all = await store.listScores({ limit: 1000 });
      expect(all.totalCount).toBe(300);
      const index = new OverviewIndex(all.items);
      expect(index.size).toBe(300);
      const refs = all.items.map(item => item.entityRef);
      return { store, index, rnd, refs, nextFilter: filterMaker(rnd, refs) };
    }

    it('lists the same pages, and pages on with the same cursors', async () => {
      const { store, index, rnd, refs, nextFilter } = await setup();
      let requests = 0;
      let walked = 0;
      let nonEmpty = 0;
      for (let i = 0; i < 320; i++) {
        const orderBy = ORDERS[i % 4];
        const order = DIRECTIONS[Math.floor(i / 4) % 2];
        const request: ListScoresRequest = {
          orderBy: orderBy === 'entityRef' && rnd() < 0.5 ? undefined : orderBy,
          order: order === 'asc' && rnd() < 0.5 ? undefined : order,
          limit: pick(rnd, [0, 1, 3, 10, 25, 100, 400]),
          filter: nextFilter(),
        };
        if (rnd() < 0.3) {
          request.offset = Math.floor(rnd() * 320);
        }
        if (rnd() < 0.15) {
          // A cursor at an arbitrary key, not necessarily of a listed entity.
          const ref = `${pick(rnd, [
            'api',
            'component',
            'resource',
          ])}:default/${pick(rnd, NAMES).toLowerCase()}${Math.floor(
            rnd() * 300,
          )}${pick(rnd, ['', '0'])}`;
          const key: Record<ScoreOrderBy, Array<string | number>> = {
            entityRef: [ref],
            score: [pick(rnd, [...SCORES, 30, -1, 101]), ref],
            level: [Math.floor(rnd() * 5) - 1, pick(rnd, SCORES), ref],
            owner: [pick(rnd, ['', ...OWNERS.filter(Boolean)]) ?? '', ref],
          };
          request.cursor = encodeScoreCursor({
            o: orderBy,
            d: order,
            k: key[orderBy],
          });
        }

        let expected = await store.listScores(request);
        let actual = index.list(request);
        expect(actual).toStrictEqual(expected);
        requests += 1;
        if (expected.items.length > 0) nonEmpty += 1;

        // Every following page, through the cursors.
        while (expected.nextCursor) {
          const next = { ...request, offset: undefined };
          next.cursor = expected.nextCursor;
          expected = await store.listScores(next);
          actual = index.list(next);
          expect(actual).toStrictEqual(expected);
          walked += 1;
        }
        expect(actual.nextCursor).toBeUndefined();
      }
      // The random requests are not degenerate.
      expect(requests).toBe(320);
      expect(nonEmpty).toBeGreaterThan(150);
      expect(walked).toBeGreaterThan(500);
      expect(refs).toHaveLength(300);
    });

    it('walks every order through cursors alike', async () => {
      const { store, index, nextFilter } = await setup();
      for (const orderBy of ORDERS) {
        for (const order of DIRECTIONS) {
          for (const filter of [undefined, nextFilter(), nextFilter()]) {
            const seen: string[] = [];
            let cursor: string | undefined;
            do {
              const request = { orderBy, order, filter, limit: 7, cursor };
              const expected = await store.listScores(request);
              expect(index.list(request)).toStrictEqual(expected);
              seen.push(...expected.items.map(item => item.entityRef));
              cursor = expected.nextCursor;
            } while (cursor);
            const whole = index.list({ orderBy, order, filter, limit: 1000 });
            expect(seen).toEqual(whole.items.map(item => item.entityRef));
            expect(seen).toHaveLength(whole.totalCount);
          }
        }
      }
    });

    it('summarises alike', async () => {
      const { store, index, nextFilter } = await setup();
      expect(index.summarise()).toStrictEqual(await store.summariseScores());
      let nonEmpty = 0;
      for (let i = 0; i < 150; i++) {
        const filter = nextFilter();
        const expected = await store.summariseScores(filter);
        expect(index.summarise(filter)).toStrictEqual(expected);
        if (expected.total > 0) nonEmpty += 1;
      }
      expect(nonEmpty).toBeGreaterThan(50);
    });
  });

  describe('in memory', () => {
    function item(
      name: string,
      overrides: Partial<ScoreListItem> = {},
    ): ScoreListItem {
      return {
        entityRef: `component:default/${name}`,
        kind: 'Component',
        type: 'service',
        lifecycle: 'production',
        owner: 'group:default/team-a',
        system: null,
        tier: 'tier-1',
        level: 'silver',
        levelRank: 2,
        score: 50,
        areaScores: { security: 50 },
        passed: 1,
        failed: 1,
        factsHash: `hash-${name}`,
        stale: false,
        evaluatedAt: new Date(Date.UTC(2026, 10, 1)),
        ...overrides,
      };
    }
    const names = (items: ScoreListItem[]) =>
      items.map(i => i.entityRef.split('/')[1]);

    function sample() {
      return new OverviewIndex([
        item('alpha', { score: 90, level: 'gold', levelRank: 3 }),
        item('bravo', { score: 50, owner: null }),
        item('charlie', { score: 70, owner: 'group:default/team-b' }),
        item('delta', { score: 50, level: null, levelRank: 0 }),
      ]);
    }

    it('finds rows by entity ref regardless of case', () => {
      const index = sample();
      expect(index.size).toBe(4);
      expect(index.get('Component:Default/ALPHA')?.score).toBe(90);
      expect(index.get('component:default/echo')).toBeUndefined();
    });

    it('orders with ties broken by entity ref', () => {
      const index = sample();
      const list = (orderBy: ScoreOrderBy, order: 'asc' | 'desc') =>
        names(index.list({ orderBy, order, limit: 10 }).items);
      expect(list('entityRef', 'asc')).toEqual([
        'alpha',
        'bravo',
        'charlie',
        'delta',
      ]);
      expect(list('score', 'asc')).toEqual([
        'bravo',
        'delta',
        'charlie',
        'alpha',
      ]);
      expect(list('score', 'desc')).toEqual([
        'alpha',
        'charlie',
        'delta',
        'bravo',
      ]);
      expect(list('level', 'desc')).toEqual([
        'alpha',
        'charlie',
        'bravo',
        'delta',
      ]);
      // No owner sorts first.
      expect(list('owner', 'asc')).toEqual([
        'bravo',
        'alpha',
        'delta',
        'charlie',
      ]);
    });

    it('pages with an offset and with cursors', () => {
      const index = sample();
      const first = index.list({ orderBy: 'score', limit: 2 });
      expect(names(first.items)).toEqual(['bravo', 'delta']);
      expect(first.totalCount).toBe(4);
      expect(
        JSON.parse(Buffer.from(first.nextCursor!, 'base64url').toString()),
      ).toEqual({ o: 'score', d: 'asc', k: [50, 'component:default/delta'] });
      const second = index.list({
        orderBy: 'score',
        limit: 2,
        cursor: first.nextCursor,
        offset: 3,
      });
      expect(names(second.items)).toEqual(['charlie', 'alpha']);
      expect(second.nextCursor).toBeUndefined();
      expect(
        names(index.list({ orderBy: 'score', limit: 2, offset: 1 }).items),
      ).toEqual(['delta', 'charlie']);
      expect(index.list({ limit: 2, offset: 10 })).toEqual({
        items: [],
        totalCount: 4,
      });
    });

    it('returns no items and no cursor for a limit of 0', () => {
      const index = sample();
      expect(index.list({ limit: 0 })).toEqual({ items: [], totalCount: 4 });
      expect(index.list({ limit: 0, filter: { owners: [null] } })).toEqual({
        items: [],
        totalCount: 1,
      });
    });

    it('filters like the store', () => {
      const index = sample();
      const filtered = (filter: ScoreFilter) =>
        names(index.list({ filter, limit: 10 }).items);
      expect(filtered({ owners: [null, 'group:default/team-b'] })).toEqual([
        'bravo',
        'charlie',
      ]);
      expect(filtered({ owners: [''] })).toEqual(['bravo']);
      expect(filtered({ levels: [null] })).toEqual(['delta']);
      expect(filtered({ systems: [null], levels: ['gold'] })).toEqual([
        'alpha',
      ]);
      expect(filtered({ kinds: ['COMPONENT'], owners: [] })).toHaveLength(4);
      expect(filtered({ kinds: ['api'] })).toEqual([]);
      expect(filtered({ search: '  ARLI ' })).toEqual(['charlie']);
      expect(filtered({ search: '%' })).toEqual([]);
      expect(filtered({ search: '   ' })).toHaveLength(4);
      const visible = ['Component:default/Delta', 'component:default/alpha'];
      expect(filtered({ entityRefs: visible })).toEqual(['alpha', 'delta']);
      // Again with the same array, whose set is kept.
      expect(filtered({ entityRefs: visible, levels: [null] })).toEqual([
        'delta',
      ]);
      expect(index.list({ filter: { entityRefs: [] }, limit: 10 })).toEqual({
        items: [],
        totalCount: 0,
      });
    });

    it('rejects an unknown order and a malformed or foreign cursor', () => {
      const index = sample();
      expect(() =>
        index.list({ orderBy: 'name' as ScoreOrderBy, limit: 2 }),
      ).toThrow(InputError);
      expect(() =>
        index.list({ orderBy: 'toString' as ScoreOrderBy, limit: 2 }),
      ).toThrow(InputError);
      expect(() => index.list({ order: 'up' as 'asc', limit: 2 })).toThrow(
        InputError,
      );
      expect(() => index.list({ limit: 2, cursor: 'not a cursor' })).toThrow(
        InputError,
      );
      const { nextCursor } = index.list({ orderBy: 'score', limit: 2 });
      expect(() =>
        index.list({ orderBy: 'owner', limit: 2, cursor: nextCursor }),
      ).toThrow(InputError);
      expect(() =>
        index.list({
          orderBy: 'score',
          order: 'desc',
          limit: 2,
          cursor: nextCursor,
        }),
      ).toThrow(InputError);
      const wrongKey = encodeScoreCursor({
        o: 'score',
        d: 'asc',
        k: ['50', 'component:default/delta'],
      });
      expect(() =>
        index.list({ orderBy: 'score', limit: 2, cursor: wrongKey }),
      ).toThrow(InputError);
      // Even when the filter matches nothing.
      expect(() =>
        index.list({
          limit: 2,
          cursor: 'not a cursor',
          filter: { entityRefs: [] },
        }),
      ).toThrow(InputError);
    });

    it('summarises per level and per owner', () => {
      const index = sample();
      expect(index.summarise()).toEqual({
        total: 4,
        averageScore: 65,
        levels: [
          { level: 'gold', count: 1 },
          { level: 'silver', count: 2 },
          { level: null, count: 1 },
        ],
        owners: [
          {
            owner: null,
            count: 1,
            averageScore: 50,
            levels: [{ level: 'silver', count: 1 }],
          },
          {
            owner: 'group:default/team-a',
            count: 2,
            averageScore: 70,
            levels: [
              { level: 'gold', count: 1 },
              { level: null, count: 1 },
            ],
          },
          {
            owner: 'group:default/team-b',
            count: 1,
            averageScore: 70,
            levels: [{ level: 'silver', count: 1 }],
          },
        ],
      });
      expect(index.summarise({ entityRefs: [] })).toEqual({
        total: 0,
        averageScore: null,
        levels: [],
        owners: [],
      });
      expect(index.summarise({ levels: ['silver'] })).toMatchObject({
        total: 2,
        averageScore: 60,
      });
    });

    it('reflects upserts, removals and replacements in every order', () => {
      const index = sample();
      // Build the sorted arrays first, so that the changes maintain them.
      for (const orderBy of ORDERS) index.list({ orderBy, limit: 1 });

      index.upsert(item('delta', { score: 95, level: 'gold', levelRank: 3 }));
      index.upsert(item('echo', { score: 10, owner: 'group:default/team-0' }));
      expect(index.size).toBe(5);
      expect(
        names(index.list({ orderBy: 'score', order: 'desc', limit: 10 }).items),
      ).toEqual(['delta', 'alpha', 'charlie', 'bravo', 'echo']);
      expect(names(index.list({ orderBy: 'owner', limit: 10 }).items)).toEqual([
        'bravo',
        'echo',
        'alpha',
        'delta',
        'charlie',
      ]);
      // A change that keeps the position.
      index.upsert(
        item('alpha', { score: 90, level: 'gold', levelRank: 3, passed: 7 }),
      );
      expect(index.get('component:default/alpha')?.passed).toBe(7);
      expect(
        index.list({ filter: { search: 'alpha' }, limit: 1 }).items[0].passed,
      ).toBe(7);

      expect(index.remove('COMPONENT:default/Charlie')).toBe(true);
      expect(index.remove('component:default/charlie')).toBe(false);
      expect(names(index.list({ orderBy: 'level', limit: 10 }).items)).toEqual([
        'echo',
        'bravo',
        'alpha',
        'delta',
      ]);
      expect(index.summarise().total).toBe(4);

      index.replaceAll([
        item('foxtrot'),
        item('golf'),
        item('foxtrot', { score: 1 }),
      ]);
      expect(index.size).toBe(2);
      expect(index.get('component:default/foxtrot')?.score).toBe(1);
      expect(names(index.list({ orderBy: 'score', limit: 10 }).items)).toEqual([
        'foxtrot',
        'golf',
      ]);
    });

    it('keeps every order right through random changes', () => {
      const rnd = random(7);
      const rows = new Map<string, ScoreListItem>();
      const randomItem = () =>
        item(`e${Math.floor(rnd() * 80)}`, {
          score: pick(rnd, SCORES),
          levelRank: Math.floor(rnd() * 4),
          owner: pick(rnd, OWNERS),
          tier: pick(rnd, TIERS),
        });
      for (let i = 0; i < 40; i++) {
        const row = randomItem();
        rows.set(row.entityRef, row);
      }
      const index = new OverviewIndex(rows.values());
      const many = Array.from(
        { length: 40 },
        (_, i) => `component:default/E${i * 2}`,
      );
      for (let step = 0; step < 400; step++) {
        const row = randomItem();
        let removed = false;
        let existed = false;
        if (rnd() < 0.3) {
          removed = index.remove(row.entityRef);
          existed = rows.delete(row.entityRef);
        } else {
          index.upsert(row);
          rows.set(row.entityRef, row);
        }
        expect(removed).toBe(existed);
        const fresh = new OverviewIndex(rows.values());
        const orderBy = ORDERS[step % 4];
        const order = DIRECTIONS[step % 3 === 0 ? 1 : 0];
        const filters: Array<ScoreFilter | undefined> = [
          undefined,
          { tiers: ['tier-1', null] },
          { entityRefs: ['component:default/e1', 'Component:default/E2'] },
          // Scanned; refs first held after its first use are looked up.
          { entityRefs: many },
        ];
        const filter = filters[Math.floor(step / 4) % 4];
        const request = { orderBy, order, filter, limit: 1000 };
        expect(index.list(request)).toEqual(fresh.list(request));
        expect(index.summarise(filter)).toEqual(fresh.summarise(filter));
        expect(index.size).toBe(rows.size);
      }
      const bySort = index.list({ orderBy: 'level', limit: 1000 }).items;
      const keys = bySort.map(
        r => [r.levelRank, r.score, r.entityRef] as const,
      );
      const sortedKeys = [...keys].sort(
        (a, b) =>
          a[0] - b[0] ||
          a[1] - b[1] ||
          (a[2] < b[2] ? -1 : Number(a[2] > b[2])),
      );
      expect(keys).toEqual(sortedKeys);
      expect(keys).toHaveLength(rows.size);
    });

    it('returns the rows as stored, with their extra data', () => {
      type WithPhases = ScoreListItem & { phases: { done: number } };
      const rows: WithPhases[] = [
        { ...item('alpha'), phases: { done: 2 } },
        { ...item('bravo'), phases: { done: 5 } },
      ];
      const index = new OverviewIndex<WithPhases>(rows);
      const page = index.list({ limit: 10, filter: { tiers: ['tier-1'] } });
      expect(page.items[0]).toBe(rows[0]);
      expect(page.items.map(r => r.phases.done)).toEqual([2, 5]);
      expect(index.get('component:default/bravo')).toBe(rows[1]);
    });
  });
});
