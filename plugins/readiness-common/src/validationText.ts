/*
 * Small helpers of the definition validators (phases, initiatives): their
 * messages quote bad values the same way.
 */

/** A plain object (not null, not an array). */
export type Obj = Record<string, unknown>;

/** Whether a value is a plain object. */
export function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value as quoted in a message: strings in quotes (cut at 80), else JSON. */
export function show(value: unknown): string {
  if (typeof value === 'string') {
    return `'${value.length > 80 ? `${value.slice(0, 80)}…` : value}'`;
  }
  return JSON.stringify(value) ?? String(value);
}

/** Whether a value is a string with something else than spaces. */
export function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim().length > 0;
}
