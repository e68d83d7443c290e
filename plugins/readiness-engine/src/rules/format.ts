import { closestName } from '@prodready/plugin-readiness-common';
/** Longest text of a value that is repeated in a reason or an error message. */
const MAX_VALUE_LENGTH = 80;
/** Most items of a list that are shown in a reason. */
const MAX_LIST_ITEMS = 10;

function truncate(text: string): string {
  return text.length > MAX_VALUE_LENGTH
    ? `${text.slice(0, MAX_VALUE_LENGTH)}…`
    : text;
}

/**
 * Formats a value for a reason or an error message: strings in single quotes,
 * `missing` for undefined, JSON for the rest; long values are truncated.
 *
 * @public
 */
export function formatValue(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return `'${truncate(value)}'`;
    case 'undefined':
      return 'missing';
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object': {
      if (value === null) {
        return 'null';
      }
      try {
        return truncate(JSON.stringify(value) ?? String(value));
      } catch {
        return Array.isArray(value) ? 'a list' : 'an object';
      }
    }
    default:
      return `a ${typeof value}`;
  }
}

/** Describes the type of a value: `a string`, `a list`, `an object`, ... */
export function describeType(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (value === undefined) {
    return 'missing';
  }
  if (Array.isArray(value)) {
    return 'a list';
  }
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/**
 * Formats a value with its type, for type mismatches: `'6' (a string)`,
 * `null`, `missing`.
 */
export function formatTypedValue(value: unknown): string {
  if (value === null || value === undefined) {
    return formatValue(value);
  }
  return `${formatValue(value)} (${describeType(value)})`;
}

/** Formats the items of a list: `'a', 'b', 'c'`, with at most ten items. */
export function formatList(values: ReadonlyArray<unknown>): string {
  const shown = values.slice(0, MAX_LIST_ITEMS).map(formatValue).join(', ');
  return values.length > MAX_LIST_ITEMS
    ? `${shown} and ${values.length - MAX_LIST_ITEMS} more`
    : shown;
}

/** Joins names for a message: `a`, `a and b`, `a, b and c`. */
export function joinNames(names: ReadonlyArray<string>): string {
  if (names.length <= 1) {
    return names.join('');
  }
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1]}`;
}

/**
 * Returns ` (did you mean 'x'?)` when a candidate is close to `name`
 * (ignoring case), or an empty string. The matching is the one the
 * annotation parsers use, from `-common`.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const best = closestName(name, candidates);
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** The message of an unknown thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return formatValue(error);
}
