import { InputError } from '@backstage/errors';
import type { ScoreListItem, ScoreOrderBy } from './ReadinessStore';

/** A field of an overview item that an order sorts on. */
export type ScoreSortField = 'entityRef' | 'score' | 'levelRank' | 'owner';

/**
 * The sort fields of each overview order; the last one (the entity ref) is
 * unique, so that every order is total. Shared by the database listing and
 * the in-memory overview index, so that both page alike.
 */
export const SCORE_SORT_FIELDS: Record<
  ScoreOrderBy,
  ReadonlyArray<ScoreSortField>
> = {
  entityRef: ['entityRef'],
  score: ['score', 'entityRef'],
  level: ['levelRank', 'score', 'entityRef'],
  owner: ['owner', 'entityRef'],
};

/** The keyset cursor of a page of the overview. */
export type ScoreCursor = {
  /** orderBy */
  o: ScoreOrderBy;
  /** order */
  d: 'asc' | 'desc';
  /** The sort key values of the last item of the page. */
  k: Array<string | number>;
};

/** The value an item sorts by; an entity without an owner sorts as `''`. */
export function scoreSortValue(
  item: Pick<ScoreListItem, ScoreSortField>,
  field: ScoreSortField,
): string | number {
  switch (field) {
    case 'score':
      return Number(item.score);
    case 'levelRank':
      return Number(item.levelRank);
    case 'owner':
      return item.owner ?? '';
    default:
      return item.entityRef;
  }
}

export function encodeScoreCursor(cursor: ScoreCursor): string {
  return Buffer.from(JSON.stringify(cursor), 'utf8').toString('base64url');
}

/**
 * Parses a cursor of a listing in the given order; an `InputError` for one
 * that is malformed or belongs to another order.
 */
export function decodeScoreCursor(
  value: string,
  orderBy: ScoreOrderBy,
  order: 'asc' | 'desc',
): ScoreCursor {
  let cursor: ScoreCursor;
  try {
    cursor = JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    throw new InputError('Invalid cursor');
  }
  const fields = SCORE_SORT_FIELDS[orderBy];
  if (
    !cursor ||
    cursor.o !== orderBy ||
    cursor.d !== order ||
    !Array.isArray(cursor.k) ||
    cursor.k.length !== fields.length ||
    cursor.k.some(
      (v, i) =>
        typeof v !==
        (fields[i] === 'score' || fields[i] === 'levelRank'
          ? 'number'
          : 'string'),
    )
  ) {
    throw new InputError(
      `Invalid cursor: it does not belong to a listing ordered by ${orderBy} ${order}`,
    );
  }
  return cursor;
}
