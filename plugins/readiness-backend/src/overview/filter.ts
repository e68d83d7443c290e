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

/** A set of the listed values; `undefined` for no list (no filter). */
function valueSet(
  values: ReadonlyArray<string | null> | undefined,
): ReadonlySet<string | null> | undefined {
  return values && values.length > 0 ? new Set(values) : undefined;
}

/**
 * Compiles a filter of the overview with the semantics of the database
 * store: each list keeps the rows whose value is one of its values (`null`
 * matching a missing value) and an empty list does not filter; kinds are
 * compared without regard to case; `search` keeps the entity refs that
 * contain the trimmed text, ignoring case; `entityRefs` keeps only those
 * entities (ignoring case) and, when empty, none at all. The conditions
 * combine with AND.
 */
export function compileScoreFilter(
  filter: ScoreFilter,
  /**
   * A faster test of membership in a set of entity refs than looking each
   * row's key up in the set.
   */
  memberOf?: (refs: ReadonlySet<string>) => RowPredicate,
): CompiledFilter {
  if (filter.entityRefs && filter.entityRefs.length === 0) {
    return false;
  }
  // An entity without an owner is stored with the owner '', so that the
  // filter values `null` and '' both match it.
  const owners =
    filter.owners && filter.owners.length > 0
      ? new Set(filter.owners.map(owner => owner ?? ''))
      : undefined;
  const systems = valueSet(filter.systems);
  const lifecycles = valueSet(filter.lifecycles);
  const tiers = valueSet(filter.tiers);
  const levels = valueSet(filter.levels);
  const types = valueSet(filter.types);
  const kinds =
    filter.kinds && filter.kinds.length > 0
      ? new Set(filter.kinds.map(lowerCase))
      : undefined;
  const refSet = filter.entityRefs
    ? entityRefSet(filter.entityRefs)
    : undefined;
  const refs =
    refSet &&
    (memberOf?.(refSet) ?? ((entry: IndexedRow) => refSet.has(entry.key)));
  const trimmed = filter.search?.trim();
  const search = trimmed ? lowerCase(trimmed) : undefined;

  if (
    !owners &&
    !systems &&
    !lifecycles &&
    !tiers &&
    !levels &&
    !types &&
    !kinds &&
    !refs &&
    !search
  ) {
    return undefined;
  }
  return entry =>
    (!owners || owners.has(entry.owner)) &&
    (!systems || systems.has(entry.system)) &&
    (!lifecycles || lifecycles.has(entry.lifecycle)) &&
    (!tiers || tiers.has(entry.tier)) &&
    (!levels || levels.has(entry.level)) &&
    (!types || types.has(entry.type)) &&
    (!kinds || kinds.has(entry.kind)) &&
    (!refs || refs(entry)) &&
    (!search || entry.key.includes(search));
}
