/*
 * The per-field indexes of OverviewIndex against a plain scan: every page,
 * count, cursor and summary of a filtered listing must be exactly what
 * filtering and sorting all the rows gives, before and after changes.
 */
import type {
  ListScoresRequest,
  ListScoresResponse,
  ScoreFilter,
  ScoreListItem,
  ScoreOrderBy,
} from '../database/ReadinessStore';
import {
  SCORE_SORT_FIELDS,
  decodeScoreCursor,
  encodeScoreCursor,
  scoreSortValue,
} from '../database/scoreOrder';
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

const ORDERS: ReadonlyArray<ScoreOrderBy> = [
  'entityRef',
  'score',
  'level',
  'owner',
];

// Skewed value sets: a few large groups and many small ones.
const OWNERS: ReadonlyArray<string | null> = [
  null,
  '',
  ...Array.from({ length: 40 }, (_, i) => `group:default/team-${i}`),
  'group:default/Team-B',
  'user:default/zoë',
];
const SYSTEMS = [null, '', 'system:default/shop', 'system:default/pay'];
const LIFECYCLES = [null, 'production', 'experimental', 'deprecated'];
const TIERS = [null, 'tier-1', 'tier-2', 'tier-3'];
const TYPES = [null, 'service', 'website', 'database'];
const KINDS = ['Component', 'component', 'API', 'Resource'];
const LEVELS: ReadonlyArray<[string | null, number]> = [
  [null, 0],
  ['bronze', 1],
  ['silver', 2],
  ['gold', 3],
  ['platinum', 4],
];
const SCORES = [0, 12.5, 33.3, 50, 62.5, 75, 87.5, 100, 41.7];

/** Mostly the first values of a list, sometimes any. */
function skewed<V>(rnd: Random, values: ReadonlyArray<V>): V {
  return rnd() < 0.6
    ? values[Math.floor(rnd() * Math.min(4, values.length))]
    : pick(rnd, values);
}

function randomRow(rnd: Random, name: string): ScoreListItem {
  const [level, levelRank] = skewed(rnd, LEVELS);
  const kind = pick(rnd, KINDS);
  return {
    entityRef: `${kind.toLocaleLowerCase('en-US')}:default/${name}`,
    kind,
    type: pick(rnd, TYPES),
    lifecycle: skewed(rnd, LIFECYCLES),
    owner: skewed(rnd, OWNERS),
    system: pick(rnd, SYSTEMS),
    tier: pick(rnd, TIERS),
    level,
    levelRank,
    score: pick(rnd, SCORES),
    areaScores: { security: pick(rnd, [null, 0, 50, 100]) },
    passed: Math.floor(rnd() * 10),
    failed: Math.floor(rnd() * 10),
    factsHash: `hash-${name}`,
    stale: rnd() < 0.2,
    evaluatedAt: new Date(Date.UTC(2026, 11, 1, 0, Math.floor(rnd() * 60))),
  };
}

const lower = (value: string) => value.toLocaleLowerCase('en-US');

const refSets = new WeakMap<ReadonlyArray<string>, Set<string>>();

/** The documented semantics of a filter, row by row. */
function plainMatch(filter: ScoreFilter | undefined, row: ScoreListItem) {
  if (!filter) return true;
  const listed = <V>(list: ReadonlyArray<V> | undefined, value: V) =>
    !list || list.length === 0 || list.includes(value);
  if (filter.entityRefs) {
    let refs = refSets.get(filter.entityRefs);
    if (!refs) {
      refs = new Set(filter.entityRefs.map(lower));
      refSets.set(filter.entityRefs, refs);
    }
    if (!refs.has(lower(row.entityRef))) return false;
  }
  const search = filter.search?.trim();
  return (
    listed(
      filter.owners?.map(owner => owner ?? ''),
      row.owner ?? '',
    ) &&
    listed(filter.systems, row.system ?? null) &&
    listed(filter.lifecycles, row.lifecycle ?? null) &&
    listed(filter.tiers, row.tier ?? null) &&
    listed(filter.levels, row.level ?? null) &&
    listed(filter.types, row.type ?? null) &&
    listed(filter.kinds?.map(lower), lower(row.kind)) &&
    (!search || lower(row.entityRef).includes(lower(search)))
  );
}

function compareKeys(
  a: ReadonlyArray<string | number>,
  b: ReadonlyArray<string | number>,
): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i] < b[i]) return -1;
    if (a[i] > b[i]) return 1;
  }
  return 0;
}

/** A page by filtering and sorting every row, as the store's query does. */
function plainList(
  rows: Iterable<ScoreListItem>,
  request: ListScoresRequest,
): ListScoresResponse {
  const orderBy = request.orderBy ?? 'entityRef';
  const order = request.order ?? 'asc';
  const fields = SCORE_SORT_FIELDS[orderBy];
  const key = (row: ScoreListItem) =>
    fields.map(field => scoreSortValue(row, field));
  const sign = order === 'asc' ? 1 : -1;
  const matching = [...rows]
    .filter(row => plainMatch(request.filter, row))
    .map(row => ({ row, key: key(row) }))
    .sort((a, b) => sign * compareKeys(a.key, b.key));
  let rest = matching;
  if (request.cursor) {
    const after = decodeScoreCursor(request.cursor, orderBy, order).k;
    rest = matching.filter(entry => sign * compareKeys(entry.key, after) > 0);
  } else if (request.offset) {
    rest = matching.slice(request.offset);
  }
  const items = rest.slice(0, request.limit).map(entry => entry.row);
  const page: ListScoresResponse = { items, totalCount: matching.length };
  if (rest.length > request.limit && request.limit > 0) {
    page.nextCursor = encodeScoreCursor({
      o: orderBy,
      d: order,
      k: key(items[items.length - 1]),
    });
  }
  return page;
}

/** Random filters, mostly on the indexed fields, often on several. */
function randomFilter(
  rnd: Random,
  refs: ReadonlyArray<string>,
): ScoreFilter | undefined {
  if (rnd() < 0.1) return undefined;
  const values = <V>(list: ReadonlyArray<V>, extra?: V): V[] => {
    const count = pick(rnd, [0, 1, 1, 1, 2, 3]);
    const chosen = Array.from({ length: count }, () => skewed(rnd, list));
    if (extra !== undefined && rnd() < 0.1) chosen.push(extra);
    return chosen;
  };
  const filter: ScoreFilter = {};
  const maybe = (p: number) => rnd() < p;
  if (maybe(0.4)) filter.owners = values(OWNERS, 'group:default/nobody');
  if (maybe(0.25)) filter.systems = values(SYSTEMS, 'system:default/none');
  if (maybe(0.25)) filter.lifecycles = values(LIFECYCLES);
  if (maybe(0.3)) filter.tiers = values(TIERS, 'tier-9');
  if (maybe(0.4))
    filter.levels = values(
      LEVELS.map(([level]) => level),
      'diamond',
    );
  if (maybe(0.15)) filter.types = values(TYPES);
  if (maybe(0.15))
    filter.kinds = values(['COMPONENT', 'api', 'Resource', 'group']);
  if (maybe(0.15))
    filter.search = pick(rnd, ['', ' ', 'svc-1', 'API:', ' E2 ', 'zz']);
  if (maybe(0.1)) {
    filter.entityRefs = pick(rnd, [
      [],
      refs.filter(() => rnd() < 0.02).map(ref => ref.toUpperCase()),
      refs.filter(() => rnd() < 0.5),
    ]);
  }
  return filter;
}

function randomRequest(
  rnd: Random,
  refs: ReadonlyArray<string>,
): ListScoresRequest {
  const orderBy = pick(rnd, ORDERS);
  const order = pick(rnd, ['asc', 'desc'] as const);
  const request: ListScoresRequest = {
    orderBy,
    order,
    limit: pick(rnd, [0, 1, 7, 50, 100, 200, 5000]),
    filter: randomFilter(rnd, refs),
  };
  if (rnd() < 0.25) request.offset = Math.floor(rnd() * 400);
  if (rnd() < 0.15) {
    // A cursor at an arbitrary key, not necessarily of a listed entity.
    const ref = `${pick(rnd, ['api', 'component', 'resource'])}:default/svc-${
      Math.floor(rnd() * 3000) + pick(rnd, ['', '0'])
    }`;
    const keys: Record<ScoreOrderBy, Array<string | number>> = {
      entityRef: [ref],
      score: [pick(rnd, [...SCORES, 30, -1]), ref],
      level: [Math.floor(rnd() * 6) - 1, pick(rnd, SCORES), ref],
      owner: [pick(rnd, OWNERS) ?? '', ref],
    };
    request.cursor = encodeScoreCursor({
      o: orderBy,
      d: order,
      k: keys[orderBy],
    });
  }
  return request;
}

/** Compares a request and the pages after it (up to `pages`, by cursor). */
function expectSameListing(
  index: OverviewIndex,
  rows: Map<string, ScoreListItem>,
  request: ListScoresRequest,
  pages = 3,
): ListScoresResponse {
  let expected = plainList(rows.values(), request);
  const first = expected;
  expect(index.list(request)).toStrictEqual(expected);
  for (let page = 1; page < pages && expected.nextCursor; page++) {
    const next = { ...request, offset: undefined, cursor: expected.nextCursor };
    expected = plainList(rows.values(), next);
    expect(index.list(next)).toStrictEqual(expected);
  }
  return first;
}

/** The summary of the matching rows, summarised with no filter at all. */
function expectSameSummary(
  index: OverviewIndex,
  rows: Map<string, ScoreListItem>,
  filter: ScoreFilter | undefined,
) {
  const matching = [...rows.values()].filter(row => plainMatch(filter, row));
  expect(index.summarise(filter)).toStrictEqual(
    new OverviewIndex(matching).summarise(),
  );
}

describe('OverviewIndex, filtered through its per-field indexes', () => {
  const N = 3000;

  function population(seed: number) {
    const rnd = random(seed);
    const rows = new Map<string, ScoreListItem>();
    for (let i = 0; i < N; i++) {
      const row = randomRow(rnd, `svc-${i}`);
      rows.set(lower(row.entityRef), row);
    }
    return { rnd, rows, refs: [...rows.keys()] };
  }

  it('lists exactly what a plain scan lists, for random filters, orders and pages', () => {
    const { rnd, rows, refs } = population(20261206);
    const index = new OverviewIndex(rows.values());
    let nonEmpty = 0;
    let multiField = 0;
    let paged = 0;
    for (let i = 0; i < 1500; i++) {
      const request = randomRequest(rnd, refs);
      const page = expectSameListing(index, rows, request);
      if (page.items.length > 0) nonEmpty += 1;
      if (page.nextCursor) paged += 1;
      const filter = request.filter ?? {};
      const fields = [
        filter.owners,
        filter.systems,
        filter.lifecycles,
        filter.tiers,
        filter.levels,
        filter.types,
        filter.kinds,
      ].filter(list => list && list.length > 0).length;
      if (fields >= 2 && page.totalCount > 0) multiField += 1;
    }
    // The random requests are not degenerate.
    expect(nonEmpty).toBeGreaterThan(700);
    expect(multiField).toBeGreaterThan(150);
    expect(paged).toBeGreaterThan(300);
  });

  it('walks every order of single- and multi-value filters through cursors', () => {
    const { rows } = population(7);
    const index = new OverviewIndex(rows.values());
    const filters: ScoreFilter[] = [
      { owners: ['group:default/team-0'] },
      { owners: [null, 'group:default/team-3', 'group:default/team-1'] },
      { levels: ['gold', null] },
      { tiers: ['tier-1'], lifecycles: ['production', null] },
      { systems: [''], levels: ['silver'], kinds: ['COMPONENT'] },
      { owners: ['group:default/team-2'], search: 'svc-1' },
    ];
    for (const filter of filters) {
      for (const orderBy of ORDERS) {
        for (const order of ['asc', 'desc'] as const) {
          const whole = plainList(rows.values(), {
            filter,
            orderBy,
            order,
            limit: N,
          });
          expect(whole.totalCount).toBeGreaterThan(10);
          // About six pages each.
          const limit = Math.ceil(whole.totalCount / 6);
          const request = { filter, orderBy, order, limit };
          const seen: string[] = [];
          let cursor: string | undefined;
          do {
            const page = index.list({ ...request, cursor });
            expect(page).toStrictEqual(
              plainList(rows.values(), { ...request, cursor }),
            );
            seen.push(...page.items.map(item => item.entityRef));
            cursor = page.nextCursor;
          } while (cursor);
          expect(seen).toEqual(whole.items.map(item => item.entityRef));
        }
      }
    }
  });

  it('summarises exactly what a plain scan summarises', () => {
    const { rnd, rows, refs } = population(99);
    const index = new OverviewIndex(rows.values());
    let nonEmpty = 0;
    for (let i = 0; i < 300; i++) {
      const filter = randomFilter(rnd, refs);
      expectSameSummary(index, rows, filter);
      if (index.summarise(filter).total > 0) nonEmpty += 1;
    }
    expect(nonEmpty).toBeGreaterThan(150);
  });

  it('stays exact through re-evaluations, owner changes, removals and returns', () => {
    const { rnd, rows, refs } = population(424242);
    const index = new OverviewIndex(rows.values());
    // Build every order's per-field lists first, so that the changes below
    // have to maintain them rather than have them built afresh.
    const everyField: ScoreFilter = {
      owners: ['group:default/team-0'],
      systems: [null],
      lifecycles: ['production'],
      tiers: ['tier-2'],
      levels: ['bronze'],
      types: ['service'],
      kinds: ['component'],
    };
    for (const orderBy of ORDERS) {
      for (const [field, values] of Object.entries(everyField)) {
        index.list({ orderBy, filter: { [field]: values }, limit: 1 });
      }
    }
    const removed: ScoreListItem[] = [];
    // Each removal's answer, and whether the entity was there.
    const removals: Array<[boolean, boolean]> = [];
    for (let step = 0; step < 600; step++) {
      const ref = pick(rnd, refs);
      const row = rows.get(ref);
      const action = rnd();
      if (row && action < 0.3) {
        // Re-evaluated: a new score and level, maybe a new tier.
        const [level, levelRank] = skewed(rnd, LEVELS);
        const next = {
          ...row,
          score: pick(rnd, SCORES),
          level,
          levelRank,
          tier: rnd() < 0.3 ? pick(rnd, TIERS) : row.tier,
        };
        index.upsert(next);
        rows.set(ref, next);
      } else if (row && action < 0.5) {
        // The owner changed (or the system or lifecycle).
        const next = {
          ...row,
          owner: pick(rnd, OWNERS),
          system: rnd() < 0.5 ? pick(rnd, SYSTEMS) : row.system,
          lifecycle: rnd() < 0.3 ? pick(rnd, LIFECYCLES) : row.lifecycle,
        };
        index.upsert(next);
        rows.set(ref, next);
      } else if (row && action < 0.6) {
        // Unchanged values, a new row object: the index returns the new one.
        const next = { ...row, passed: row.passed + 1 };
        index.upsert(next);
        rows.set(ref, next);
      } else if (row && action < 0.8) {
        // Removed, with a differently cased ref.
        removals.push([index.remove(ref.toUpperCase()), true]);
        rows.delete(ref);
        removed.push(row);
      } else if (!row && removed.length > 0) {
        // A removed entity comes back with new values.
        const back = removed.splice(Math.floor(rnd() * removed.length), 1)[0];
        const next = {
          ...randomRow(rnd, back.entityRef.split('/')[1]),
          entityRef: back.entityRef,
          kind: back.kind,
        };
        index.upsert(next);
        rows.set(lower(next.entityRef), next);
      } else if (!row) {
        removals.push([index.remove(ref), false]);
      }
      expect(index.size).toBe(rows.size);
      expect(removals.filter(([answer, was]) => answer !== was)).toEqual([]);
      if (step % 3 === 0) {
        expectSameListing(index, rows, randomRequest(rnd, refs), 2);
      }
      if (step % 25 === 0) {
        expectSameSummary(index, rows, randomFilter(rnd, refs));
      }
    }
    expect(removals.length).toBeGreaterThan(50);
    // Every field list of every order, in full, after all the changes.
    for (const orderBy of ORDERS) {
      for (const [field, values] of Object.entries(everyField)) {
        const request = {
          orderBy,
          order: 'desc' as const,
          filter: { [field]: values },
          limit: N,
        };
        expect(index.list(request)).toStrictEqual(
          plainList(rows.values(), request),
        );
      }
    }
    // And the same as an index built afresh from the rows.
    const fresh = new OverviewIndex(rows.values());
    for (let i = 0; i < 100; i++) {
      const request = randomRequest(rnd, refs);
      expect(index.list(request)).toStrictEqual(fresh.list(request));
    }
  });

  it.each([
    ['the default limits', undefined],
    ['at most 32 searches', { keptSearches: 32 }],
    ['at most 1 row per row', { keptSearchRowsPerRow: 1 }],
    ['searches too large to keep', { keptSearchRowsPerRow: 0.1 }],
  ])('keeps searches exact through changes, with %s', (_what, options) => {
    const { rnd, rows, refs } = population(5);
    const index = new OverviewIndex(rows.values(), options);
    // More distinct searches than the index keeps, each asked again.
    const searches = Array.from({ length: 45 }, (_, i) => `svc-${i + 1}`);
    let found = 0;
    for (let step = 0; step < 500; step++) {
      // First many searches, then a few often, with changes in between.
      const search = step < 200 ? pick(rnd, searches) : skewed(rnd, searches);
      const filter: ScoreFilter = { search };
      if (rnd() < 0.3) filter.levels = [skewed(rnd, LEVELS)[0]];
      if (rnd() < 0.2) filter.owners = [skewed(rnd, OWNERS)];
      if (rnd() < 0.1) filter.entityRefs = refs.filter((_, i) => i % 3 === 0);
      const request: ListScoresRequest = {
        filter,
        orderBy: skewed(rnd, ORDERS.slice(0, 2)),
        order: pick(rnd, ['asc', 'desc'] as const),
        limit: pick(rnd, [3, 20, 100]),
      };
      if (expectSameListing(index, rows, request, 3).totalCount > 0) {
        found += 1;
      }
      if (step % 10 === 0) expectSameSummary(index, rows, filter);
      if (step >= 200 && rnd() < 0.3) {
        // A change to a row that the searches find, or its removal.
        const ref = `component:default/${pick(rnd, searches)}${Math.floor(
          rnd() * 10,
        )}`;
        const row = rows.get(ref);
        if (row && rnd() < 0.2) {
          index.remove(ref);
          rows.delete(ref);
        } else {
          const next = {
            ...(row ?? randomRow(rnd, ref.split('/')[1])),
            entityRef: ref,
            kind: 'Component',
            score: pick(rnd, SCORES),
            passed: step,
          };
          index.upsert(next);
          rows.set(ref, next);
        }
      }
    }
    expect(found).toBeGreaterThan(250);
    expect(index.size).toBe(rows.size);
  });

  it('returns the row object last stored, with a filter on an indexed field', () => {
    const { rows } = population(3);
    const index = new OverviewIndex(rows.values());
    const [ref, row] = [...rows.entries()][0];
    const filter = { owners: [row.owner], levels: [row.level] };
    index.list({ filter, limit: N });
    const next = { ...row, passed: 99 };
    index.upsert(next);
    const page = index.list({ filter, limit: N });
    expect(page.items.find(item => lower(item.entityRef) === ref)).toBe(next);

    // And with a search, which the index keeps.
    const search = { search: ref.split('/')[1] };
    expect(index.list({ filter: search, limit: N }).items).toContain(next);
    const last = { ...next, passed: 100 };
    index.upsert(last);
    expect(index.list({ filter: search, limit: N }).items).toContain(last);
  });
});
