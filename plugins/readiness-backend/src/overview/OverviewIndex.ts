import { InputError } from '@backstage/errors';
import type {
  ListScoresRequest,
  ScoreFilter,
  ScoreListItem,
  ScoreOrderBy,
  ScoreSummary,
} from '../database/ReadinessStore';
import {
  SCORE_SORT_FIELDS,
  ScoreSortField,
  decodeScoreCursor,
  encodeScoreCursor,
  scoreSortValue,
} from '../database/scoreOrder';
import { averageScore, sortLevels } from '../database/scoreSummary';
import {
  FieldCondition,
  IndexedField,
  IndexedRow,
  RowPredicate,
  entityRefSet,
  lowerCase,
  matchAll,
  planScoreFilter,
} from './filter';

/** A page of the overview index: `ListScoresResponse` with the rows as stored. */
export interface OverviewPage<T extends ScoreListItem = ScoreListItem> {
  items: T[];
  /** How many entities match the filter, on all pages. */
  totalCount: number;
  /** Set when there are more entities after this page. */
  nextCursor?: string;
}

type SortKey = ReadonlyArray<string | number>;

/**
 * A filter's entity refs are looked up one by one, rather than all rows
 * scanned, when there are at most 1/16 as many as rows (sorting the few
 * found costs less than the scan).
 */
const LOOK_UP_RATIO = 16;

/**
 * The most searches whose matching rows are kept (see `searches`), per
 * order, and the most rows kept for them all, as a multiple of the rows
 * held (8: at most 8 pointers a row, 640 KB at 10,000 rows).
 */
const KEPT_SEARCHES = 256;
const KEPT_SEARCH_ROWS_PER_ROW = 8;

function compareValues(a: string | number, b: string | number): number {
  if (a < b) return -1;
  return a > b ? 1 : 0;
}

function compareStrings(a: string, b: string): number {
  return compareValues(a, b);
}

/** Compares the sort values of a row with the sort key of a cursor. */
function compareToKey(
  entry: IndexedRow,
  fields: ReadonlyArray<ScoreSortField>,
  key: SortKey,
): number {
  for (let i = 0; i < fields.length; i++) {
    const result = compareValues(entry[fields[i]], key[i]);
    if (result !== 0) {
      return result;
    }
  }
  return 0;
}

type EntryComparator = (a: IndexedRow, b: IndexedRow) => number;

/** The ascending order of each listing order; total, as refs are unique. */
const ENTRY_COMPARATORS = Object.fromEntries(
  Object.entries(SCORE_SORT_FIELDS).map(([orderBy, fields]) => [
    orderBy,
    (a: IndexedRow, b: IndexedRow) => {
      for (const field of fields) {
        const result = compareValues(a[field], b[field]);
        if (result !== 0) {
          return result;
        }
      }
      return 0;
    },
  ]),
) as Record<ScoreOrderBy, EntryComparator>;

/**
 * The overview rows of all entities, in memory, listed and summarised with
 * exactly the semantics of `DatabaseReadinessStore.listScores` and
 * `summariseScores`: the same filters, orders, tie-breaks, offsets and
 * cursor strings, so that a cursor of one pages on in the other.
 *
 * Rows are kept as given and returned as they are (not copied): do not
 * change a row once it is stored, upsert a new one instead. Entity refs are
 * keys compared in lower case; the orders sort on the refs as the rows carry
 * them, so rows should carry them in lower case, as the store returns them.
 * Strings sort in JavaScript code-unit order, as SQLite's binary collation.
 *
 * Each order keeps a sorted array of the rows, built on first use and then
 * maintained by every change: a page without a filter is a binary search
 * and a slice. So is a page filtered by one value of a field (an owner, a
 * system, a tier, a level, a lifecycle, a type or a kind): per order and
 * field, the index also keeps the rows of each value, in the order (built
 * on first use, then maintained likewise). A list of several values of a
 * field merges their rows; with conditions on several fields, the field
 * whose values have the fewest rows gives the candidates, and the other
 * conditions are tested on those alone. A text search without a field
 * condition passes over all the rows once: the rows it found are kept, per
 * order, for the last searches (up to 256, and 8 times as many rows as the
 * index holds, in all) and until the next change, so that the
 * following pages (or a search fewer rows than a field condition's) do not
 * pass again. Many `entityRefs` alone pass over all the rows.
 * When the filter's `entityRefs` are few (at most 1/16 of the rows), those
 * are looked up and the matches sorted. The set of a filter's `entityRefs`
 * is kept per array, so an array passed in a filter must not be changed
 * afterwards.
 */
export class OverviewIndex<T extends ScoreListItem = ScoreListItem> {
  private entries = new Map<string, IndexedRow<T>>();
  /** The rows in ascending order, per order; built lazily. */
  private readonly sorted = new Map<ScoreOrderBy, Array<IndexedRow<T>>>();
  /**
   * The rows of each value of a field, in ascending order, per order and
   * field; each built lazily from `sorted`.
   */
  private readonly byValue = new Map<
    ScoreOrderBy,
    Map<IndexedField, Map<string | null, Array<IndexedRow<T>>>>
  >();
  /**
   * The rows whose entity ref contains a search text, in ascending order,
   * by order and text: those of the last searches without a field
   * condition, so that paging through a search does not pass over every
   * row again. Cleared by every change (the rows held are the stored ones).
   */
  private readonly searches = new Map<string, Array<IndexedRow<T>>>();
  /** How many rows `searches` holds in all. */
  private searchedRows = 0;
  /** The ids of the (owner, level) groups of the summary, by owner and level. */
  private groupIds = new Map<string, Map<string | null, number>>();
  private groups: Array<{ owner: string; level: string | null }> = [];
  /**
   * The ids of the entity refs that the index has held (kept on removal, so
   * that an id never changes), and which ids are in a set of a filter's
   * entity refs: the first test of membership, one array read.
   */
  private slots = new Map<string, number>();
  private members = new WeakMap<ReadonlySet<string>, Uint8Array>();

  private readonly keptSearches: number;
  private readonly keptSearchRowsPerRow: number;

  constructor(
    rows?: Iterable<T>,
    options?: {
      /** The most searches kept (per order); default 256. */
      keptSearches?: number;
      /** The most rows kept for searches, per row held; default 8. */
      keptSearchRowsPerRow?: number;
    },
  ) {
    this.keptSearches = options?.keptSearches ?? KEPT_SEARCHES;
    this.keptSearchRowsPerRow =
      options?.keptSearchRowsPerRow ?? KEPT_SEARCH_ROWS_PER_ROW;
    if (rows) {
      this.replaceAll(rows);
    }
  }

  /** How many entities the index holds. */
  get size(): number {
    return this.entries.size;
  }

  /** The row of an entity; the ref is compared without regard to case. */
  get(entityRef: string): T | undefined {
    return this.entries.get(lowerCase(entityRef))?.row;
  }

  /** Adds the row of an entity, or replaces the row of the same entity ref. */
  upsert(row: T): void {
    const entry = this.indexRow(row);
    const previous = this.entries.get(entry.key);
    this.entries.set(entry.key, entry);
    this.forgetSearches();
    for (const [orderBy, rows] of this.sorted) {
      replaceSorted(rows, previous, entry, ENTRY_COMPARATORS[orderBy]);
    }
    this.updateValues(previous, entry);
  }

  /** Removes the row of an entity; `false` when there is none. */
  remove(entityRef: string): boolean {
    const key = lowerCase(entityRef);
    const previous = this.entries.get(key);
    if (!previous) {
      return false;
    }
    this.entries.delete(key);
    this.forgetSearches();
    for (const [orderBy, rows] of this.sorted) {
      replaceSorted(rows, previous, undefined, ENTRY_COMPARATORS[orderBy]);
    }
    this.updateValues(previous, undefined);
    return true;
  }

  /** Replaces all rows; of rows with the same entity ref, the last one wins. */
  replaceAll(rows: Iterable<T>): void {
    this.groupIds = new Map();
    this.groups = [];
    this.slots = new Map();
    this.members = new WeakMap();
    const entries = new Map<string, IndexedRow<T>>();
    for (const row of rows) {
      const entry = this.indexRow(row);
      entries.set(entry.key, entry);
    }
    this.entries = entries;
    this.sorted.clear();
    this.byValue.clear();
    this.forgetSearches();
  }

  /**
   * A page of the overview, as `DatabaseReadinessStore.listScores` lists it.
   * Throws an `InputError` for an unknown order and for a cursor that is
   * malformed or belongs to another order.
   */
  list(request: ListScoresRequest): OverviewPage<T> {
    const orderBy = request.orderBy ?? 'entityRef';
    const order = request.order ?? 'asc';
    if (
      !Object.prototype.hasOwnProperty.call(SCORE_SORT_FIELDS, orderBy) ||
      (order !== 'asc' && order !== 'desc')
    ) {
      throw new InputError(`Invalid order ${orderBy} ${order}`);
    }
    const fields = SCORE_SORT_FIELDS[orderBy];
    const after =
      request.cursor === undefined
        ? undefined
        : decodeScoreCursor(request.cursor, orderBy, order).k;
    const limit = pageLimit(request.limit);
    const offset = after ? 0 : pageOffset(request.offset);
    const candidates = this.candidates(request.filter, orderBy);
    if (!candidates) {
      return { items: [], totalCount: 0 };
    }

    // The rows to page through, ascending, and the test that they must
    // still pass (`undefined` when they all match).
    const { rows, scan } = candidates;
    const count = rows.length;
    const ascending = order === 'asc';
    // Positions count along the order of the listing: the row at position p
    // is rows[p] ascending and rows[count - 1 - p] descending.
    let start = 0;
    if (after) {
      start = ascending
        ? firstIndex(rows, entry => compareToKey(entry, fields, after) > 0)
        : count -
          firstIndex(rows, entry => compareToKey(entry, fields, after) >= 0);
    }

    const items: T[] = [];
    let totalCount = count;
    let more = false;
    if (!scan) {
      start += offset;
      const end = Math.min(count, start + limit);
      for (let p = start; p < end; p++) {
        items.push(rows[ascending ? p : count - 1 - p].row);
      }
      more = start + limit < count;
    } else {
      // One pass in the order of the listing, which counts every match and
      // takes the page from those at or after the start.
      totalCount = 0;
      let skip = offset;
      const take = (entry: IndexedRow<T>, p: number) => {
        totalCount += 1;
        if (p < start) {
          return;
        }
        if (skip > 0) {
          skip -= 1;
        } else if (items.length < limit) {
          items.push(entry.row);
        } else {
          more = true;
        }
      };
      if (ascending) {
        for (let i = 0; i < count; i++) {
          if (scan(rows[i])) take(rows[i], i);
        }
      } else {
        for (let i = count - 1; i >= 0; i--) {
          if (scan(rows[i])) take(rows[i], count - 1 - i);
        }
      }
    }

    const page: OverviewPage<T> = { items, totalCount };
    if (more && limit > 0) {
      const last = items[limit - 1];
      page.nextCursor = encodeScoreCursor({
        o: orderBy,
        d: order,
        k: fields.map(field => scoreSortValue(last, field)),
      });
    }
    return page;
  }

  /**
   * Counts per level and per owner of the entities that match the filter,
   * as `DatabaseReadinessStore.summariseScores` counts them.
   */
  summarise(filter?: ScoreFilter): ScoreSummary {
    // In the order of the entity refs, which the sums add up in; or in the
    // order of a filter's few `entityRefs`, looked up.
    const candidates = this.candidates(filter, 'entityRef', false);
    if (!candidates) {
      return { total: 0, averageScore: null, levels: [], owners: [] };
    }
    const { rows, scan } = candidates;
    // Grouped by owner and level, as the store's query groups them.
    const groupCount = this.groups.length;
    const counts = new Float64Array(groupCount);
    const totals = new Float64Array(groupCount);
    const ranks = new Float64Array(groupCount).fill(-Infinity);
    for (const entry of rows) {
      if (scan && !scan(entry)) {
        continue;
      }
      const group = entry.group;
      counts[group] += 1;
      totals[group] += entry.score;
      if (entry.levelRank > ranks[group]) {
        ranks[group] = entry.levelRank;
      }
    }
    const byOwner = new Map<string, LevelGroup[]>();
    for (let group = 0; group < groupCount; group++) {
      if (counts[group] === 0) {
        continue;
      }
      const { owner, level } = this.groups[group];
      const levelGroup = {
        level,
        rank: ranks[group],
        count: counts[group],
        total: totals[group],
      };
      const ownerGroups = byOwner.get(owner);
      if (ownerGroups) {
        ownerGroups.push(levelGroup);
      } else {
        byOwner.set(owner, [levelGroup]);
      }
    }

    const levels = new Map<string | null, LevelGroup>();
    let count = 0;
    let total = 0;
    const owners: ScoreSummary['owners'] = [];
    for (const owner of [...byOwner.keys()].sort(compareStrings)) {
      const ownerGroups = byOwner.get(owner)!;
      let ownerCount = 0;
      let ownerTotal = 0;
      for (const group of ownerGroups) {
        ownerCount += group.count;
        ownerTotal += group.total;
        count += group.count;
        total += group.total;
        // As in the store, a level has the rank of its first group.
        const level = levels.get(group.level);
        if (level) {
          level.count += group.count;
        } else {
          levels.set(group.level, { ...group });
        }
      }
      owners.push({
        owner: owner === '' ? null : owner,
        count: ownerCount,
        averageScore: averageScore(ownerTotal, ownerCount) ?? 0,
        levels: sortLevels(ownerGroups),
      });
    }
    return {
      total: count,
      averageScore: averageScore(total, count),
      levels: sortLevels([...levels.values()]),
      owners,
    };
  }

  /**
   * The rows to go through for a filter, ascending in an order, and the test
   * that they must still pass; `undefined` when no row matches. They are,
   * whichever costs least: the filter's few `entityRefs`, looked up (sorted
   * unless `sort` is false); the rows of the values of the field condition
   * with the fewest rows, merged; the rows a search found (kept, or found
   * now when there is no field condition); or every row.
   */
  private candidates(
    filter: ScoreFilter | undefined,
    orderBy: ScoreOrderBy,
    sort = true,
  ):
    | { rows: ReadonlyArray<IndexedRow<T>>; scan: RowPredicate | undefined }
    | undefined {
    const plan = filter ? planScoreFilter(filter, this.memberOf) : undefined;
    if (plan === false) {
      return undefined;
    }
    const conditions = plan?.conditions ?? [];
    const match = matchAll(conditions, plan?.rest);
    if (!match) {
      return { rows: this.sortedBy(orderBy), scan: undefined };
    }
    const few = this.lookUp(filter, match);
    if (few) {
      return {
        rows: sort ? few.sort(ENTRY_COMPARATORS[orderBy]) : few,
        scan: undefined,
      };
    }
    // The candidates: the rows of the values of the field condition with
    // the fewest rows, or those of the search if kept and fewer still. A
    // search is kept when there is no field condition to go by.
    let best: Array<ReadonlyArray<IndexedRow<T>>> | undefined;
    let bestAt = -1;
    let bestCount = Infinity;
    conditions.forEach((condition, at) => {
      const lists = this.valueLists(orderBy, condition);
      let count = 0;
      for (const list of lists) {
        count += list.length;
      }
      if (count < bestCount) {
        best = lists;
        bestAt = at;
        bestCount = count;
      }
    });
    const search = plan?.search;
    const searched =
      search === undefined
        ? undefined
        : this.searched(orderBy, search, conditions.length === 0);
    if (searched && searched.length < bestCount) {
      return {
        rows: searched,
        scan: matchAll(conditions, plan?.refs),
      };
    }
    if (!best) {
      return { rows: this.sortedBy(orderBy), scan: match };
    }
    // The values of a field are disjoint: their rows need no other test of
    // that field.
    return {
      rows: mergeSorted(best, ENTRY_COMPARATORS[orderBy]),
      scan: matchAll(
        conditions.filter((_, i) => i !== bestAt),
        plan?.rest,
      ),
    };
  }

  /**
   * The rows whose entity ref contains a search text (trimmed and in lower
   * case), in an order: kept from an earlier search, or found now and kept
   * when `find` is set; `undefined` otherwise.
   */
  private searched(
    orderBy: ScoreOrderBy,
    search: string,
    find: boolean,
  ): ReadonlyArray<IndexedRow<T>> | undefined {
    const key = `${orderBy}\u0000${search}`;
    let rows = this.searches.get(key);
    if (rows) {
      // The most recently used last.
      this.searches.delete(key);
    } else if (find) {
      rows = this.sortedBy(orderBy).filter(entry => entry.key.includes(search));
      // The least recently used make room.
      const budget = this.keptSearchRowsPerRow * this.entries.size;
      for (const [oldest, kept] of this.searches) {
        if (
          this.searches.size < this.keptSearches &&
          this.searchedRows + rows.length <= budget
        ) {
          break;
        }
        this.searches.delete(oldest);
        this.searchedRows -= kept.length;
      }
      if (this.searchedRows + rows.length > budget) {
        return rows;
      }
      this.searchedRows += rows.length;
    } else {
      return undefined;
    }
    this.searches.set(key, rows);
    return rows;
  }

  private forgetSearches(): void {
    this.searches.clear();
    this.searchedRows = 0;
  }

  /** The rows of each value of a condition, in an order (none: no list). */
  private valueLists(
    orderBy: ScoreOrderBy,
    { field, values }: FieldCondition,
  ): Array<Array<IndexedRow<T>>> {
    let fields = this.byValue.get(orderBy);
    if (!fields) {
      fields = new Map();
      this.byValue.set(orderBy, fields);
    }
    let lists = fields.get(field);
    if (!lists) {
      lists = new Map();
      for (const entry of this.sortedBy(orderBy)) {
        const value = entry[field];
        const list = lists.get(value);
        if (list) {
          list.push(entry);
        } else {
          lists.set(value, [entry]);
        }
      }
      fields.set(field, lists);
    }
    const found: Array<Array<IndexedRow<T>>> = [];
    for (const value of values) {
      const list = lists.get(value);
      if (list) {
        found.push(list);
      }
    }
    return found;
  }

  /** Moves a changed row between the per-value lists of every order. */
  private updateValues(
    previous: IndexedRow<T> | undefined,
    entry: IndexedRow<T> | undefined,
  ): void {
    for (const [orderBy, fields] of this.byValue) {
      const compare = ENTRY_COMPARATORS[orderBy];
      for (const [field, lists] of fields) {
        const before = previous && previous[field];
        const after = entry && entry[field];
        if (previous && entry && before === after) {
          replaceSorted(lists.get(before!)!, previous, entry, compare);
          continue;
        }
        if (previous) {
          const list = lists.get(before!)!;
          replaceSorted(list, previous, undefined, compare);
          if (list.length === 0) {
            lists.delete(before!);
          }
        }
        if (entry) {
          const list = lists.get(after!);
          if (list) {
            replaceSorted(list, undefined, entry, compare);
          } else {
            lists.set(after!, [entry]);
          }
        }
      }
    }
  }

  /**
   * The rows that match a filter, unordered, when it names few enough
   * entities to look them up; `undefined` otherwise.
   */
  private lookUp(
    filter: ScoreFilter | undefined,
    match: RowPredicate,
  ): Array<IndexedRow<T>> | undefined {
    if (!filter?.entityRefs) {
      return undefined;
    }
    const refs = entityRefSet(filter.entityRefs);
    if (refs.size * LOOK_UP_RATIO > this.entries.size) {
      return undefined;
    }
    const rows: Array<IndexedRow<T>> = [];
    for (const key of refs) {
      const entry = this.entries.get(key);
      if (entry && match(entry)) {
        rows.push(entry);
      }
    }
    return rows;
  }

  /** Whether a row's entity ref is in a set of refs (see `slots`). */
  private readonly memberOf = (refs: ReadonlySet<string>): RowPredicate => {
    let bits = this.members.get(refs);
    if (!bits) {
      bits = new Uint8Array(this.slots.size);
      for (const key of refs) {
        const slot = this.slots.get(key);
        if (slot !== undefined) {
          bits[slot] = 1;
        }
      }
      this.members.set(refs, bits);
    }
    const known = bits;
    // Refs first held after the bits were made are looked up in the set.
    return entry =>
      entry.slot < known.length ? known[entry.slot] === 1 : refs.has(entry.key);
  };

  /** Indexes a row: the values the filters and orders compare, and its group. */
  private indexRow(row: T): IndexedRow<T> {
    const owner = scoreSortValue(row, 'owner') as string;
    const level = row.level ?? null;
    let levelIds = this.groupIds.get(owner);
    if (!levelIds) {
      levelIds = new Map();
      this.groupIds.set(owner, levelIds);
    }
    let group = levelIds.get(level);
    if (group === undefined) {
      group = this.groups.length;
      this.groups.push({ owner, level });
      levelIds.set(level, group);
    }
    const key = lowerCase(row.entityRef);
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
    }
    return {
      row,
      key,
      slot,
      kind: lowerCase(row.kind),
      system: row.system ?? null,
      lifecycle: row.lifecycle ?? null,
      tier: row.tier ?? null,
      level,
      type: row.type ?? null,
      group,
      entityRef: scoreSortValue(row, 'entityRef') as string,
      score: scoreSortValue(row, 'score') as number,
      levelRank: scoreSortValue(row, 'levelRank') as number,
      owner,
    };
  }

  private sortedBy(orderBy: ScoreOrderBy): Array<IndexedRow<T>> {
    let rows = this.sorted.get(orderBy);
    if (!rows) {
      rows = [...this.entries.values()].sort(ENTRY_COMPARATORS[orderBy]);
      this.sorted.set(orderBy, rows);
    }
    return rows;
  }
}

type LevelGroup = {
  level: string | null;
  rank: number;
  count: number;
  total: number;
};

/** The first index at which `after` holds, for a predicate monotone over the rows. */
function firstIndex<E>(rows: ReadonlyArray<E>, after: (row: E) => boolean) {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (after(rows[middle])) {
      high = middle;
    } else {
      low = middle + 1;
    }
  }
  return low;
}

/**
 * Replaces a stored row of a sorted array with another (`previous` and
 * `entry`, either one left out: an insertion or a removal), keeping the
 * array sorted.
 */
function replaceSorted<E extends IndexedRow>(
  rows: E[],
  previous: E | undefined,
  entry: E | undefined,
  compare: EntryComparator,
): void {
  const at = previous ? indexOf(rows, previous, compare) : -1;
  if (at >= 0) {
    const fits =
      entry !== undefined &&
      (at === 0 || compare(rows[at - 1], entry) < 0) &&
      (at === rows.length - 1 || compare(entry, rows[at + 1]) < 0);
    if (fits) {
      rows[at] = entry;
      return;
    }
    rows.splice(at, 1);
  }
  if (entry) {
    rows.splice(
      firstIndex(rows, other => compare(other, entry) > 0),
      0,
      entry,
    );
  }
}

/**
 * Merges arrays sorted by `compare`, whose rows are distinct, into one
 * sorted array; a single array is returned as it is.
 */
function mergeSorted<E>(
  lists: ReadonlyArray<ReadonlyArray<E>>,
  compare: (a: E, b: E) => number,
): ReadonlyArray<E> {
  if (lists.length === 0) {
    return [];
  }
  if (lists.length === 1) {
    return lists[0];
  }
  // Pairwise, the shortest first, so that each row is copied about
  // log2(lists) times at most.
  const queue = [...lists].sort((a, b) => a.length - b.length);
  while (queue.length > 1) {
    const merged = mergeTwo(queue.shift()!, queue.shift()!, compare);
    let at = 0;
    while (at < queue.length && queue[at].length < merged.length) {
      at += 1;
    }
    queue.splice(at, 0, merged);
  }
  return queue[0];
}

function mergeTwo<E>(
  a: ReadonlyArray<E>,
  b: ReadonlyArray<E>,
  compare: (a: E, b: E) => number,
): E[] {
  const merged = new Array<E>(a.length + b.length);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length && j < b.length) {
    merged[k++] = compare(a[i], b[j]) <= 0 ? a[i++] : b[j++];
  }
  while (i < a.length) merged[k++] = a[i++];
  while (j < b.length) merged[k++] = b[j++];
  return merged;
}

/** The index of a stored row in a sorted array. */
function indexOf<E extends IndexedRow>(
  rows: E[],
  entry: E,
  compare: EntryComparator,
): number {
  const at = firstIndex(rows, other => compare(other, entry) >= 0);
  // A row whose sort values do not compare (NaN) defeats the search.
  return rows[at] === entry ? at : rows.indexOf(entry);
}

/** The page size as the store's query takes it. */
function pageLimit(limit: number): number {
  const value = Math.max(0, Math.floor(limit));
  return Number.isNaN(value) ? 0 : value;
}

/** The offset as the store's query takes it: anything but a number is 0. */
function pageOffset(offset: number | undefined): number {
  if (!offset) {
    return 0;
  }
  const value = Math.max(0, Math.floor(offset));
  return Number.isFinite(value) ? value : 0;
}
