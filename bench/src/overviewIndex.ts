/*
 * The overview index in process: the cost of a page of the overview by kind
 * of request (no filter, one owner, one level, two owners and a level, a
 * text search seen before or not), at N rows, against one pass over the
 * sorted rows with the filter (what the index did for every filtered page
 * before it kept its rows per field value). Synthetic rows: N services, 60
 * owners, 4 levels, 3 tiers, scores 0-99, from a seeded PRNG.
 */
import {
  OverviewIndex,
  compileScoreFilter,
  createRandom,
  percentile,
  printTable,
} from '@prodready/plugin-readiness-backend/bench/generate';

type Index = InstanceType<typeof OverviewIndex>;
type Request = Parameters<Index['list']>[0];
type Row = NonNullable<ReturnType<Index['get']>>;

const ORDERS = ['entityRef', 'score', 'level', 'owner'] as const;
const KINDS = [
  'no filter',
  'one owner',
  'one level',
  'two owners and a level',
  'a search seen before (20 texts)',
  'a search not seen before',
] as const;

function rowsOf(n: number, random: ReturnType<typeof createRandom>): Row[] {
  const owners = Array.from({ length: 60 }, (_, i) => `group:default/t-${i}`);
  const levels: Array<[string | null, number]> = [
    [null, 0],
    ['bronze', 1],
    ['silver', 2],
    ['gold', 3],
  ];
  return Array.from({ length: n }, (_, i) => {
    const [level, levelRank] = random.pick(levels);
    return {
      entityRef: `component:default/svc-${i}`,
      kind: 'Component',
      type: 'service',
      lifecycle: 'production',
      owner: random.pick(owners),
      system: null,
      tier: random.pick(['tier-1', 'tier-2', 'tier-3']),
      level,
      levelRank,
      score: Math.floor(random.next() * 100),
      areaScores: {},
      passed: 1,
      failed: 1,
      factsHash: 'hash',
      stale: false,
      evaluatedAt: new Date(0),
    } as Row;
  });
}

function requestOf(
  kind: (typeof KINDS)[number],
  n: number,
  random: ReturnType<typeof createRandom>,
): Request {
  const owner = () => `group:default/t-${Math.floor(random.next() * 60)}`;
  const level = () => random.pick([null, 'bronze', 'silver', 'gold']);
  const filter: Request['filter'] = {
    'no filter': undefined,
    'one owner': { owners: [owner()] },
    'one level': { levels: [level()] },
    'two owners and a level': { owners: [owner(), owner()], levels: [level()] },
    'a search seen before (20 texts)': {
      search: `svc-${Math.floor(random.next() * 20)}`,
    },
    // One service's name: of the searches kept, it is seldom one.
    'a search not seen before': {
      search: `svc-${Math.floor(random.next() * n)}`,
    },
  }[kind];
  return {
    orderBy: random.pick([...ORDERS]),
    order: random.pick(['asc', 'desc'] as const),
    limit: random.pick([50, 100, 200]),
    filter,
  };
}

/**
 * A row as the filter's predicate reads it (see `IndexedRow`), made once:
 * the owner '' when none, the kind in lower case, the ref as the key.
 */
type Entry = Row & { key: string; row: Row };

/** One pass over the rows sorted by the order, with the filter. */
function scanPage(sorted: Map<string, Entry[]>, request: Request) {
  const rows = sorted.get(request.orderBy!)!;
  const match = request.filter ? compileScoreFilter(request.filter) : undefined;
  const descending = request.order === 'desc';
  const items: Row[] = [];
  let total = 0;
  for (let i = 0; i < rows.length; i++) {
    const entry = rows[descending ? rows.length - 1 - i : i];
    if (!match || match(entry as any)) {
      total += 1;
      if (items.length < request.limit) items.push(entry.row);
    }
  }
  return { items, total };
}

export function benchOverviewIndex(options: {
  entities: number;
  requests: number;
}) {
  const random = createRandom(17);
  const rows = rowsOf(options.entities, random);
  const index = new OverviewIndex(rows);
  const sorted = new Map<string, Entry[]>();
  for (const orderBy of ORDERS) {
    const page = index.list({ orderBy, limit: rows.length });
    sorted.set(
      orderBy,
      (page.items as Row[]).map(row => ({
        ...row,
        owner: row.owner ?? '',
        kind: row.kind.toLocaleLowerCase('en-US'),
        key: row.entityRef,
        row,
      })),
    );
  }
  const requestsOf = () =>
    Array.from({ length: options.requests }, (_, i) => {
      const kind = KINDS[i % KINDS.length];
      return { kind, request: requestOf(kind, options.entities, random) };
    });
  // The warm-up's own requests, so that its searches are not the ones
  // measured (but for the 20 seen before).
  const warmUp = requestsOf();
  const measured = requestsOf();
  const time = (
    requests: typeof measured,
    fn: (request: Request) => unknown,
  ) => {
    const byKind = new Map<string, number[]>();
    for (const { kind, request } of requests) {
      const started = process.hrtime.bigint();
      fn(request);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      byKind.set(kind, [...(byKind.get(kind) ?? []), ms]);
    }
    return byKind;
  };
  // Warm both up, then measure.
  time(warmUp, request => index.list(request));
  time(warmUp, request => scanPage(sorted, request));
  const indexed = time(measured, request => index.list(request));
  const scanned = time(measured, request => scanPage(sorted, request));
  const figure = (values: number[] | undefined) => {
    const list = [...(values ?? [])].sort((a, b) => a - b);
    const mean = list.reduce((sum, v) => sum + v, 0) / (list.length || 1);
    return `${mean.toFixed(3)} / ${percentile(list, 95).toFixed(3)} ms`;
  };
  printTable(
    `Overview index, in process: ${options.entities.toLocaleString(
      'en-US',
    )} rows, ${options.requests.toLocaleString(
      'en-US',
    )} requests (random order, direction and page of 50/100/200), mean / p95 per page`,
    ['Request', 'OverviewIndex.list', 'One pass over the sorted rows'],
    KINDS.map(kind => [
      kind,
      figure(indexed.get(kind)),
      figure(scanned.get(kind)),
    ]),
  );
}
