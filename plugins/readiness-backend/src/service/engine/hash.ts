import { createHash } from 'crypto';

/**
 * JSON with the keys of every object sorted, so that equal documents give
 * equal text whatever the order their keys were built in. `undefined` values
 * in objects are left out (as `JSON.stringify` does); in arrays they become
 * `null`.
 */
export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    // undefined, functions and symbols have no JSON form.
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value)) {
    return `[${value.map(stableStringify).join(',')}]`;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    return stableStringify((value as { toJSON: () => unknown }).toJSON());
  }
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const item = record[key];
    if (
      item === undefined ||
      typeof item === 'function' ||
      typeof item === 'symbol'
    ) {
      continue;
    }
    parts.push(`${JSON.stringify(key)}:${stableStringify(item)}`);
  }
  return `{${parts.join(',')}}`;
}

/** The hex SHA-256 of a text. */
export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The hex SHA-256 of a JSON value, independent of the order of its keys. */
export function hashJson(value: unknown): string {
  return sha256(stableStringify(value));
}
