import type { ScoreFilter, ScoreListItem } from '../database/ReadinessStore';

/**
 * An overview row as the index holds it: the row, with the values that the
 * filters and the orders compare, computed once when the row is stored.
 */
export interface IndexedRow<T extends ScoreListItem = ScoreListItem> {
  readonly row: T;
  /** The entity ref in lower case: the key of the index. */
  readonly key: string;
  /** The kind in lower case. */
  readonly kind: string;
  /** The values the other filters compare, `null` when missing. */
  readonly system: string | null;
  readonly lifecycle: string | null;
  readonly tier: string | null;
  readonly level: string | null;
  readonly type: string | null;
  /** The index's id of the row's owner and level, for the summary. */
  readonly group: number;
  /** The index's id of the row's entity ref (its key). */
  readonly slot: number;
  /** The sort values (see `scoreSortValue`): the owner is `''` when none. */
  readonly entityRef: string;
  readonly score: number;
  readonly levelRank: number;
  readonly owner: string;
}

/** Whether an indexed row matches a filter. */
export type RowPredicate = (entry: IndexedRow) => boolean;

/**
 * What a filter keeps: every row (`undefined`), no row at all (`false`), or
 * the rows that a predicate accepts.
 */
export type CompiledFilter = RowPredicate | false | undefined;

/** Lower-cases like the store (entity refs and kinds). */
export function lowerCase(value: string): string {
  return value.toLocaleLowerCase('en-US');
}

/*
 * Callers pass the same cached array of visible entity refs with every
 * request of a user, so the set built from it is kept as long as the array
 * lives. An array must therefore not be changed once it has been passed.
 */
const entityRefSets = new WeakMap<ReadonlyArray<string>, ReadonlySet<string>>();

/** The lower-cased refs of `ScoreFilter.entityRefs`, kept per array. */
export function entityRefSet(
  entityRefs: ReadonlyArray<string>,
): ReadonlySet<string> {
  let set = entityRefSets.get(entityRefs);
  if (!set) {
    set = new Set(entityRefs.map(lowerCase));
    entityRefSets.set(entityRefs, set);
  }
  return set;
}

/**
 * The fields that the filters' value lists compare, each a value of
 * {@link IndexedRow}: the index keeps the rows of each value of these,
 * so that a filter on them need not scan every row.
 */
export type IndexedField =
  | 'owner'
  | 'system'
  | 'lifecycle'
  | 'tier'
  | 'level'
  | 'type'
  | 'kind';

/**
 * Each list of a filter, the field of the rows it compares, and how a
 * listed value is put in the form of the rows' values. A new filter on a
 * value of the rows (say `initiatives`) is a line here and the value in
 * `IndexedRow`; the index then keeps it like the others.
 */
const FIELD_FILTERS: ReadonlyArray<{
  field: IndexedField;
  values: (filter: ScoreFilter) => ReadonlyArray<string | null> | undefined;
  normalise?: (value: string | null) => string | null;
}> = [
  // An entity without an owner is stored with the owner '', so that the
  // filter values `null` and '' both match it.
  { field: 'owner', values: f => f.owners, normalise: owner => owner ?? '' },
  { field: 'system', values: f => f.systems },
  { field: 'lifecycle', values: f => f.lifecycles },
  { field: 'tier', values: f => f.tiers },
  { field: 'level', values: f => f.levels },
  { field: 'type', values: f => f.types },
  { field: 'kind', values: f => f.kinds, normalise: k => lowerCase(k!) },
];

/** A list of a filter: the rows whose `field` is one of the `values`. */
export interface FieldCondition {
  readonly field: IndexedField;
  /** The values, in the form of the rows' values (see `IndexedRow`). */
  readonly values: ReadonlySet<string | null>;
}

/**
 * A filter taken apart: what it keeps is the rows that meet every field
 * condition and the rest (`entityRefs` and `search`, which the index does
 * not keep by value); `false` when it keeps no row at all.
 */
export type FilterPlan =
  | false
  | {
      conditions: FieldCondition[];
      /** The `entityRefs` condition, if any. */
      refs?: RowPredicate;
      /** The `search` text, trimmed and in lower case, if any. */
      search?: string;
      /** The conditions other than the field lists; `undefined` for none. */
      rest?: RowPredicate;
    };

/**
 * Takes a filter of the overview apart, with the semantics of the database
 * store: each list keeps the rows whose value is one of its values (`null`
 * matching a missing value) and an empty list does not filter; kinds are
 * compared without regard to case; `search` keeps the entity refs that
 * contain the trimmed text, ignoring case; `entityRefs` keeps only those
 * entities (ignoring case) and, when empty, none at all. The conditions
 * combine with AND.
 */
export function planScoreFilter(
  filter: ScoreFilter,
  /**
   * A faster test of membership in a set of entity refs than looking each
   * row's key up in the set.
   */
  memberOf?: (refs: ReadonlySet<string>) => RowPredicate,
): FilterPlan {
  if (filter.entityRefs && filter.entityRefs.length === 0) {
    return false;
  }
  const conditions: FieldCondition[] = [];
  for (const { field, values, normalise } of FIELD_FILTERS) {
    const list = values(filter);
    if (list && list.length > 0) {
      conditions.push({
        field,
        values: new Set(normalise ? list.map(normalise) : list),
      });
    }
  }
  const refSet = filter.entityRefs
    ? entityRefSet(filter.entityRefs)
    : undefined;
  const refs =
    refSet &&
    (memberOf?.(refSet) ?? ((entry: IndexedRow) => refSet.has(entry.key)));
  const trimmed = filter.search?.trim();
  const search = trimmed ? lowerCase(trimmed) : undefined;
  return { conditions, refs, search, rest: restOf(refs, search) };
}

/** The test of `entityRefs` and of a search text, either one optional. */
function restOf(
  refs: RowPredicate | undefined,
  search: string | undefined,
): RowPredicate | undefined {
  if (refs && search !== undefined) {
    return entry => refs(entry) && entry.key.includes(search);
  }
  if (search !== undefined) {
    return entry => entry.key.includes(search);
  }
  return refs;
}

/**
 * The predicate of field conditions and the rest of a filter, combined
 * with AND; `undefined` when there is no condition at all.
 */
export function matchAll(
  conditions: ReadonlyArray<FieldCondition>,
  rest?: RowPredicate,
): RowPredicate | undefined {
  if (conditions.length === 0) {
    return rest;
  }
  const tests = conditions.map(
    ({ field, values }): RowPredicate =>
      entry =>
        values.has(entry[field]),
  );
  if (rest) {
    tests.push(rest);
  }
  if (tests.length === 1) {
    return tests[0];
  }
  return entry => {
    for (const test of tests) {
      if (!test(entry)) {
        return false;
      }
    }
    return true;
  };
}

/**
 * Compiles a filter of the overview into one predicate, with the semantics
 * of {@link planScoreFilter}.
 */
export function compileScoreFilter(
  filter: ScoreFilter,
  memberOf?: (refs: ReadonlySet<string>) => RowPredicate,
): CompiledFilter {
  const plan = planScoreFilter(filter, memberOf);
  return plan && matchAll(plan.conditions, plan.rest);
}
