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

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(
        previous[j] + 1,
        current[j - 1] + 1,
        previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = current;
  }
  return previous[b.length];
}

/**
 * Returns ` (did you mean 'x'?)` when a candidate is close to `name`
 * (ignoring case), or an empty string.
 */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const lower = name.toLocaleLowerCase('en-US');
  const maxDistance = Math.max(1, Math.min(3, Math.floor(name.length / 3)));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLocaleLowerCase('en-US'));
    if (distance <= maxDistance && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean '${best}'?)`;
}

/** The message of an unknown thrown value. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    return error.message;
  }
  return formatValue(error);
}
