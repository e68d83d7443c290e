/** Defensive accessors for untrusted YAML data, and Kubernetes label selectors. */

export type UnknownRecord = Record<string, unknown>;

export function asRecord(value: unknown): UnknownRecord | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as UnknownRecord)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | null {
  return typeof value === 'string' && value.length > 0 ? value : null;
}

/** A finite number, or a string holding only an integer (as Helm values often do). */
export function asNumber(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  if (typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value)) {
    return Number(value);
  }
  return null;
}

/** A Kubernetes IntOrString as written: a number or a non-empty string. */
export function asIntOrString(value: unknown): number | string | null {
  if (typeof value === 'number' && Number.isFinite(value)) {
    return value;
  }
  return asString(value);
}

/** `true`, or the strings `'true'` / `'yes'` / `'on'` / `'1'` (annotation and Helm conventions). */
export function isTruthy(value: unknown): boolean {
  if (value === true) {
    return true;
  }
  if (typeof value === 'string') {
    return ['true', 'yes', 'on', '1', 'enabled'].includes(
      value.trim().toLowerCase(),
    );
  }
  return typeof value === 'number' && value !== 0;
}

/** A string map (labels, annotations, selectors), with non-string scalar values stringified. */
export function stringMap(value: unknown): Record<string, string> {
  const record = asRecord(value);
  const result: Record<string, string> = {};
  if (!record) {
    return result;
  }
  for (const [key, entry] of Object.entries(record)) {
    if (
      typeof entry === 'string' ||
      typeof entry === 'number' ||
      typeof entry === 'boolean'
    ) {
      result[key] = String(entry);
    }
  }
  return result;
}

export function uniqueSorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Two namespaces are compatible when either is unset (the namespace applied at deploy time) or equal. */
export function namespacesCompatible(
  a: string | null,
  b: string | null,
): boolean {
  return a === null || b === null || a === b;
}

type MatchExpression = { key: string; operator: string; values: string[] };

/** A parsed `LabelSelector`; null stands for a null selector, which selects nothing. */
export type LabelSelector = {
  matchLabels: Record<string, string>;
  matchExpressions: MatchExpression[];
};

export function toLabelSelector(value: unknown): LabelSelector | null {
  const record = asRecord(value);
  if (!record) {
    return null;
  }
  return {
    matchLabels: stringMap(record.matchLabels),
    matchExpressions: asArray(record.matchExpressions).flatMap(entry => {
      const expression = asRecord(entry);
      const key = asString(expression?.key);
      const operator = asString(expression?.operator);
      if (!key || !operator) {
        return [];
      }
      return [
        {
          key,
          operator,
          values: asArray(expression?.values).map(v => String(v)),
        },
      ];
    }),
  };
}

export function isEmptySelector(selector: LabelSelector | null): boolean {
  return (
    selector !== null &&
    Object.keys(selector.matchLabels).length === 0 &&
    selector.matchExpressions.length === 0
  );
}

/** Whether a LabelSelector selects pods with these labels (an empty selector selects all). */
export function selectorMatches(
  selector: LabelSelector | null,
  labels: Record<string, string>,
): boolean {
  if (!selector) {
    return false;
  }
  for (const [key, value] of Object.entries(selector.matchLabels)) {
    if (labels[key] !== value) {
      return false;
    }
  }
  for (const { key, operator, values } of selector.matchExpressions) {
    const has = Object.prototype.hasOwnProperty.call(labels, key);
    switch (operator) {
      case 'In':
        if (!has || !values.includes(labels[key])) return false;
        break;
      case 'NotIn':
        if (has && values.includes(labels[key])) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
      default:
        return false;
    }
  }
  return true;
}

/** Whether a Service-style equality selector (a plain map) selects these labels; an empty map selects nothing. */
export function mapSelectorMatches(
  selector: Record<string, string>,
  labels: Record<string, string>,
): boolean {
  const entries = Object.entries(selector);
  return (
    entries.length > 0 && entries.every(([key, value]) => labels[key] === value)
  );
}

export function describeLabels(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length === 0
    ? '{}'
    : `{${entries.map(([k, v]) => `${k}=${v}`).join(', ')}}`;
}
