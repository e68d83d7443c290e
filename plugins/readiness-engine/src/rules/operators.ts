import {
  formatDuration,
  parseDuration,
  parsePercentage,
} from '@prodready/plugin-readiness-common';
import type { CheckOperator } from '../types';
import { errorMessage, formatList, formatValue } from './format';
import { SEMVER_FORM, SemVer, compareSemVer, parseSemVer } from './semver';

/** The fact satisfies the operator. */
export const TEST_PASS = 1;
/** The fact does not satisfy the operator. */
export const TEST_FAIL = 0;
/** The fact has the wrong type for the operator (counts as not satisfied). */
export const TEST_MISMATCH = 2;
/** A custom operator threw (the outcome is unknown). */
export const TEST_THREW = 3;

/** The outcome of an operator on one fact value. */
export type TestResult = 0 | 1 | 2 | 3;

/** A parsed operand, or why the operand is invalid (to follow its subject). */
export type OperandResult =
  | { ok: true; value: unknown }
  | { ok: false; error: string };

/**
 * An operator, built in or custom, in the form the compiler uses.
 *
 * @remarks
 *
 * Operands are parsed once, at compile time (`parseOperand`), except when they
 * refer to another fact. `test` must not throw and should not allocate.
 * The texts are only built when a reason is wanted.
 */
export interface RuleOperator {
  readonly name: string;
  /** Whether `value` may be left out (`exists`). */
  readonly operandOptional: boolean;
  /** Whether `value` may refer to another fact. */
  readonly allowsFactOperand: boolean;
  /** What the fact must be, for type mismatches: `a number`. */
  readonly factType: string;
  /** Parses the operand; errors read after their subject: `rule.value <error>`. */
  parseOperand(raw: unknown): OperandResult;
  test(actual: unknown, operand: any, now: number): TestResult;
  /** The operand for reasons: `6`, `'production'`, `4h`. */
  formatOperand(operand: any): string;
  /** Follows "; expected": `≥ 6`; `negated` when under an odd number of `not`. */
  expected(operandText: string, negated: boolean): string;
  /** In parentheses after a satisfied fact: `(≥ 6)`. */
  held(operandText: string, negated: boolean): string;
  /** The fact value for reasons; defaults to {@link formatValue}. */
  formatActual?(actual: unknown, now: number): string;
  /** A whole sentence, for operators that read better that way (`exists`). */
  sentence?(label: string, actual: unknown, satisfied: boolean): string;
  /** Why a custom operator threw, for reasons. */
  explainThrow?(actual: unknown, operand: unknown): string;
}

const ok = (value: unknown): OperandResult => ({ ok: true, value });
const invalid = (error: string): OperandResult => ({ ok: false, error });

function typeError(name: string, expected: string, raw: unknown) {
  return invalid(
    `must be ${expected} for operator '${name}'; got ${formatValue(raw)}`,
  );
}

/** Structural equality of JSON values. */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) {
    return true;
  }
  if (
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object'
  ) {
    return false;
  }
  if (Array.isArray(a) !== Array.isArray(b)) {
    return false;
  }
  if (Array.isArray(a)) {
    const other = b as unknown[];
    if (a.length !== other.length) {
      return false;
    }
    for (let i = 0; i < a.length; i++) {
      if (!deepEqual(a[i], other[i])) {
        return false;
      }
    }
    return true;
  }
  const aKeys = Object.keys(a);
  if (aKeys.length !== Object.keys(b).length) {
    return false;
  }
  for (const key of aKeys) {
    if (
      !Object.prototype.hasOwnProperty.call(b, key) ||
      !deepEqual(
        (a as Record<string, unknown>)[key],
        (b as Record<string, unknown>)[key],
      )
    ) {
      return false;
    }
  }
  return true;
}

function isObjectLike(value: unknown): value is object {
  return value !== null && typeof value === 'object';
}

// equal, notEqual ----------------------------------------------------------

interface EqualOperand {
  value: unknown;
  deep: boolean;
}

function equality(name: string, wanted: boolean): RuleOperator {
  const symbol = wanted ? '=' : '≠';
  const opposite = wanted ? '≠' : '=';
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: '',
    parseOperand: raw =>
      ok({ value: raw, deep: isObjectLike(raw) } satisfies EqualOperand),
    test(actual, operand: EqualOperand) {
      const equal = operand.deep
        ? deepEqual(actual, operand.value)
        : actual === operand.value;
      return equal === wanted ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: (operand: EqualOperand) => formatValue(operand.value),
    expected: (text, negated) => (wanted !== negated ? text : `not ${text}`),
    held: (text, negated) => `${negated ? opposite : symbol} ${text}`,
  };
}

// lessThan, greaterThan, ... ---------------------------------------------------

function numeric(
  name: string,
  symbol: string,
  negatedSymbol: string,
  test: (actual: number, operand: number) => boolean,
): RuleOperator {
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: 'a number',
    parseOperand: raw =>
      typeof raw === 'number' && Number.isFinite(raw)
        ? ok(raw)
        : typeError(name, 'a number', raw),
    test(actual, operand: number) {
      if (typeof actual !== 'number' || Number.isNaN(actual)) {
        return TEST_MISMATCH;
      }
      return test(actual, operand) ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: (operand: number) => String(operand),
    expected: (text, negated) => `${negated ? negatedSymbol : symbol} ${text}`,
    held: (text, negated) => `${negated ? negatedSymbol : symbol} ${text}`,
  };
}

// in, notIn ------------------------------------------------------------------

interface ListOperand {
  values: ReadonlyArray<unknown>;
  primitives: ReadonlySet<unknown>;
  objects: ReadonlyArray<unknown>;
}

function membership(name: string, wanted: boolean): RuleOperator {
  const describe = (text: string, negated: boolean) =>
    wanted !== negated ? `one of ${text}` : `none of ${text}`;
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: '',
    parseOperand(raw) {
      if (!Array.isArray(raw) || raw.length === 0) {
        return typeError(name, 'a non-empty list', raw);
      }
      return ok({
        values: raw,
        primitives: new Set(raw.filter(item => !isObjectLike(item))),
        objects: raw.filter(isObjectLike),
      } satisfies ListOperand);
    },
    test(actual, operand: ListOperand) {
      let found = operand.primitives.has(actual);
      if (!found && operand.objects.length > 0 && isObjectLike(actual)) {
        found = operand.objects.some(item => deepEqual(actual, item));
      }
      return found === wanted ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: (operand: ListOperand) => formatList(operand.values),
    expected: describe,
    held: describe,
  };
}

// contains, doesNotContain -----------------------------------------------------

function containment(name: string, wanted: boolean): RuleOperator {
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: 'a list',
    parseOperand: raw => ok({ value: raw, deep: isObjectLike(raw) }),
    test(actual, operand: EqualOperand) {
      let found: boolean;
      if (Array.isArray(actual)) {
        found = operand.deep
          ? actual.some(item => deepEqual(item, operand.value))
          : actual.includes(operand.value);
      } else if (
        typeof actual === 'string' &&
        typeof operand.value === 'string'
      ) {
        found = actual.includes(operand.value);
      } else {
        return TEST_MISMATCH;
      }
      return found === wanted ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: (operand: EqualOperand) => formatValue(operand.value),
    expected: (text, negated) =>
      wanted !== negated ? `to contain ${text}` : `not to contain ${text}`,
    held: (text, negated) =>
      wanted !== negated ? `contains ${text}` : `does not contain ${text}`,
  };
}

// exists, notExists --------------------------------------------------------------

function existence(name: string, wanted: boolean): RuleOperator {
  return {
    name,
    operandOptional: true,
    allowsFactOperand: false,
    factType: '',
    parseOperand: raw =>
      raw === undefined || raw === true
        ? ok(true)
        : typeError(name, 'true (or left out)', raw),
    test(actual) {
      const present = actual !== undefined && actual !== null;
      return present === wanted ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: () => '',
    expected: () => '',
    held: () => '',
    sentence(label, actual, satisfied) {
      const present = actual !== undefined && actual !== null;
      const state = `${label} is ${present ? 'present' : formatValue(actual)}`;
      if (satisfied) {
        return state;
      }
      return present ? `${state}; expected it to be missing` : state;
    },
  };
}

// durationAtMost, durationAtLeast -------------------------------------------------

function durationMs(value: unknown): number {
  if (typeof value === 'number') {
    return value >= 0 && value !== Infinity ? value : NaN;
  }
  if (typeof value === 'string') {
    const parsed = parseDuration(value, { allowZero: true });
    return parsed.ok ? parsed.value : NaN;
  }
  return NaN;
}

function parseDurationOperand(raw: unknown): OperandResult {
  const parsed = parseDuration(raw, { allowZero: true });
  return parsed.ok ? ok(parsed.value) : invalid(parsed.error);
}

function formatDurationFact(actual: unknown): string {
  return typeof actual === 'number' && actual >= 0
    ? formatDuration(actual)
    : formatValue(actual);
}

function duration(name: string, atMost: boolean): RuleOperator {
  const describe = (text: string, negated: boolean) => {
    if (atMost) {
      return negated ? `more than ${text}` : `at most ${text}`;
    }
    return negated ? `less than ${text}` : `at least ${text}`;
  };
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: 'a duration',
    parseOperand: parseDurationOperand,
    test(actual, operand: number) {
      const ms = durationMs(actual);
      if (Number.isNaN(ms)) {
        return TEST_MISMATCH;
      }
      return (atMost ? ms <= operand : ms >= operand) ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: (operand: number) => formatDuration(operand),
    expected: describe,
    held: describe,
    formatActual: formatDurationFact,
  };
}

// percentageAtLeast, percentageAtMost -------------------------------------------------

function percentageValue(value: unknown): number {
  if (typeof value === 'number') {
    return value >= 0 && value <= 100 ? value : NaN;
  }
  if (typeof value === 'string') {
    const parsed = parsePercentage(value, { allowZero: true });
    return parsed.ok ? parsed.value : NaN;
  }
  return NaN;
}

function percentage(name: string, atLeast: boolean): RuleOperator {
  const describe = (text: string, negated: boolean) => {
    if (atLeast) {
      return negated ? `less than ${text}` : `at least ${text}`;
    }
    return negated ? `more than ${text}` : `at most ${text}`;
  };
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: 'a percentage',
    parseOperand(raw) {
      const parsed = parsePercentage(
        typeof raw === 'number' ? String(raw) : raw,
        { allowZero: true },
      );
      return parsed.ok ? ok(parsed.value) : invalid(parsed.error);
    },
    test(actual, operand: number) {
      const value = percentageValue(actual);
      if (Number.isNaN(value)) {
        return TEST_MISMATCH;
      }
      return (atLeast ? value >= operand : value <= operand)
        ? TEST_PASS
        : TEST_FAIL;
    },
    formatOperand: (operand: number) => `${operand}%`,
    expected: describe,
    held: describe,
    formatActual: actual =>
      typeof actual === 'number' ? `${actual}%` : formatValue(actual),
  };
}

// dateWithin -------------------------------------------------------------------

const DAY_MS = 86_400_000;
const DATE_TIME =
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

function daysInMonth(year: number, month: number): number {
  if (month === 2) {
    const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
    return leap ? 29 : 28;
  }
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) {
      return NaN;
    }
    value = value * 10 + digit;
  }
  return value;
}

/**
 * Parses `YYYY-MM-DD` to the start of the day (UTC), as `parseIsoDate` of
 * -common does, without allocating: dates are read for every entity.
 */
function parseDateOnly(text: string): number {
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) {
    return NaN;
  }
  const year = digits(text, 0, 4);
  const month = digits(text, 5, 7);
  const day = digits(text, 8, 10);
  if (
    Number.isNaN(year) ||
    month < 1 ||
    month > 12 ||
    day < 1 ||
    day > daysInMonth(year, month)
  ) {
    return NaN;
  }
  if (year < 100) {
    // Date.UTC maps years 0-99 to 1900-1999.
    const date = new Date(0);
    date.setUTCFullYear(year, month - 1, day);
    return date.getTime();
  }
  return Date.UTC(year, month - 1, day);
}

function parseDateText(text: string): number {
  if (text.length === 10) {
    return parseDateOnly(text);
  }
  const trimmed = text.trim();
  if (trimmed.length === 10) {
    return parseDateOnly(trimmed);
  }
  if (DATE_TIME.test(trimmed)) {
    return Date.parse(trimmed);
  }
  return NaN;
}

/** Milliseconds since the epoch of a date fact: an ISO string or `{ iso, epochMs }`. */
function dateEpochMs(value: unknown): number {
  if (typeof value === 'string') {
    return parseDateText(value);
  }
  if (isObjectLike(value) && !Array.isArray(value)) {
    const { epochMs, iso } = value as { epochMs?: unknown; iso?: unknown };
    if (typeof epochMs === 'number' && Number.isFinite(epochMs)) {
      return epochMs;
    }
    if (typeof iso === 'string') {
      return parseDateText(iso);
    }
  }
  return NaN;
}

function formatAge(ms: number): string {
  const age = Math.abs(ms);
  let text: string;
  if (age >= DAY_MS) {
    text = `${Math.floor(age / DAY_MS)}d`;
  } else if (age >= 3_600_000) {
    text = `${Math.floor(age / 3_600_000)}h`;
  } else if (age >= 60_000) {
    text = `${Math.floor(age / 60_000)}m`;
  } else {
    return 'just now';
  }
  return ms >= 0 ? `${text} ago` : `in ${text}`;
}

const dateWithin: RuleOperator = {
  name: 'dateWithin',
  operandOptional: false,
  allowsFactOperand: true,
  factType: 'a date',
  parseOperand: parseDurationOperand,
  test(actual, operand: number, now) {
    const epochMs = dateEpochMs(actual);
    if (Number.isNaN(epochMs)) {
      return TEST_MISMATCH;
    }
    return now - epochMs <= operand ? TEST_PASS : TEST_FAIL;
  },
  formatOperand: (operand: number) => formatDuration(operand),
  expected: (text, negated) =>
    negated ? `older than ${text}` : `within the last ${text}`,
  held: (text, negated) =>
    negated ? `older than ${text}` : `within the last ${text}`,
  formatActual(actual, now) {
    const epochMs = dateEpochMs(actual);
    if (Number.isNaN(epochMs)) {
      return formatValue(actual);
    }
    let shown: string;
    if (typeof actual === 'string') {
      shown = actual.trim();
    } else {
      const iso = (actual as { iso?: unknown }).iso;
      shown = typeof iso === 'string' ? iso : new Date(epochMs).toISOString();
    }
    return `${shown}, ${formatAge(now - epochMs)}`;
  },
};

// semverAtLeast, semverLessThan -------------------------------------------------------

interface SemVerOperand {
  text: string;
  version: SemVer;
}

function semver(name: string, atLeast: boolean): RuleOperator {
  const describe = (text: string, negated: boolean) =>
    `${atLeast !== negated ? '≥' : '<'} ${text}`;
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: 'a version',
    parseOperand(raw) {
      const version = typeof raw === 'string' ? parseSemVer(raw) : undefined;
      if (!version) {
        return invalid(
          `${formatValue(
            raw,
          )} is not a semantic version; expected ${SEMVER_FORM}`,
        );
      }
      return ok({
        text: (raw as string).trim(),
        version,
      } satisfies SemVerOperand);
    },
    test(actual, operand: SemVerOperand) {
      const version = parseSemVer(actual);
      if (!version) {
        return TEST_MISMATCH;
      }
      const order = compareSemVer(version, operand.version);
      return (atLeast ? order >= 0 : order < 0) ? TEST_PASS : TEST_FAIL;
    },
    formatOperand: (operand: SemVerOperand) => operand.text,
    expected: describe,
    held: describe,
  };
}

// matches --------------------------------------------------------------------------

const REGEX_LITERAL = /^\/([\s\S]*)\/([a-z]*)$/;
const ALLOWED_FLAGS = /^[imsu]*$/;
const REGEX_FORM =
  "a regular expression such as '^v\\d+$', or '/^prod/i' with flags i, m, s or u";

function cleanRegexError(message: string): string {
  return message.replace(
    /^Invalid regular expression: \/[\s\S]*\/[a-z]*: /,
    '',
  );
}

const matches: RuleOperator = {
  name: 'matches',
  operandOptional: false,
  allowsFactOperand: true,
  factType: 'a string',
  parseOperand(raw) {
    if (typeof raw !== 'string') {
      return typeError('matches', 'a regular expression string', raw);
    }
    const literal = REGEX_LITERAL.exec(raw);
    const source = literal ? literal[1] : raw;
    const flags = literal ? literal[2] : '';
    if (!ALLOWED_FLAGS.test(flags)) {
      return invalid(
        `${formatValue(
          raw,
        )} has unsupported regular expression flags '${flags}'; expected ${REGEX_FORM}`,
      );
    }
    try {
      return ok(new RegExp(source, flags));
    } catch (error) {
      return invalid(
        `${formatValue(
          raw,
        )} is not a valid regular expression (${cleanRegexError(
          errorMessage(error),
        )}); expected ${REGEX_FORM}`,
      );
    }
  },
  test(actual, operand: RegExp) {
    if (typeof actual !== 'string') {
      return TEST_MISMATCH;
    }
    return operand.test(actual) ? TEST_PASS : TEST_FAIL;
  },
  formatOperand: (operand: RegExp) => String(operand),
  expected: (text, negated) =>
    negated ? `not to match ${text}` : `to match ${text}`,
  held: (text, negated) =>
    negated ? `does not match ${text}` : `matches ${text}`,
};

/**
 * The built-in operators: the json-rules-engine defaults, then ours.
 */
export const BUILT_IN_RULE_OPERATORS: ReadonlyArray<RuleOperator> = [
  equality('equal', true),
  equality('notEqual', false),
  numeric('lessThan', '<', '≥', (a, b) => a < b),
  numeric('lessThanInclusive', '≤', '>', (a, b) => a <= b),
  numeric('greaterThan', '>', '≤', (a, b) => a > b),
  numeric('greaterThanInclusive', '≥', '<', (a, b) => a >= b),
  membership('in', true),
  membership('notIn', false),
  containment('contains', true),
  containment('doesNotContain', false),
  existence('exists', true),
  existence('notExists', false),
  duration('durationAtMost', true),
  duration('durationAtLeast', false),
  percentage('percentageAtLeast', true),
  percentage('percentageAtMost', false),
  dateWithin,
  semver('semverAtLeast', true),
  semver('semverLessThan', false),
  matches,
];

/**
 * The names of the built-in rule operators, in the order they are listed in
 * error messages.
 *
 * @public
 */
export const BUILT_IN_OPERATOR_NAMES: ReadonlyArray<string> =
  BUILT_IN_RULE_OPERATORS.map(operator => operator.name);

/** Adapts a custom {@link CheckOperator} to the compiler's form. */
export function adaptCustomOperator(operator: CheckOperator): RuleOperator {
  const name = operator.name;
  const validate = (raw: unknown): string | undefined => {
    if (!operator.validateOperand) {
      return undefined;
    }
    try {
      return operator.validateOperand(raw) || undefined;
    } catch (error) {
      return `validateOperand threw: ${errorMessage(error)}`;
    }
  };
  return {
    name,
    operandOptional: false,
    allowsFactOperand: true,
    factType: '',
    parseOperand(raw) {
      const problem = validate(raw);
      return problem === undefined
        ? ok(raw)
        : invalid(
            `${formatValue(
              raw,
            )} is not valid for operator '${name}': ${problem}`,
          );
    },
    test(actual, operand) {
      try {
        return operator.evaluate(actual, operand) === true
          ? TEST_PASS
          : TEST_FAIL;
      } catch {
        return TEST_THREW;
      }
    },
    formatOperand: operand => formatValue(operand),
    expected: (text, negated) => `${negated ? 'not ' : ''}${name} ${text}`,
    held: (text, negated) => `${negated ? 'not ' : ''}${name} ${text}`,
    explainThrow(actual, operand) {
      try {
        operator.evaluate(actual, operand);
        return `operator '${name}' failed`;
      } catch (error) {
        return `operator '${name}' failed: ${errorMessage(error)}`;
      }
    },
  };
}

/** The operators available to a set of checks, by name. */
export type OperatorRegistry = ReadonlyMap<string, RuleOperator>;

/**
 * Builds the operator registry: the built-in operators and the custom ones.
 * Returns the problems with the custom operators (a missing name or
 * `evaluate`, or a name that is already used).
 */
export function createOperatorRegistry(
  operators: ReadonlyArray<CheckOperator> | undefined,
): { registry: OperatorRegistry; problems: string[] } {
  const registry = new Map<string, RuleOperator>(
    BUILT_IN_RULE_OPERATORS.map(operator => [operator.name, operator]),
  );
  const problems: string[] = [];
  (operators ?? []).forEach((operator, index) => {
    const name = (operator as Partial<CheckOperator> | undefined)?.name;
    const label =
      typeof name === 'string' && name.trim() !== ''
        ? `Invalid readiness operator '${name}'`
        : `Invalid readiness operator #${index + 1}`;
    if (typeof operator !== 'object' || operator === null) {
      problems.push(
        `${label}: it must be an object; got ${formatValue(operator)}`,
      );
      return;
    }
    if (name === undefined) {
      problems.push(`${label}: name is required`);
      return;
    }
    if (typeof name !== 'string' || name.trim() === '') {
      problems.push(
        `${label}: name must be a non-empty string; got ${formatValue(name)}`,
      );
      return;
    }
    if (typeof operator.evaluate !== 'function') {
      problems.push(`${label}: evaluate must be a function`);
      return;
    }
    if (
      operator.validateOperand !== undefined &&
      typeof operator.validateOperand !== 'function'
    ) {
      problems.push(`${label}: validateOperand must be a function`);
      return;
    }
    if (BUILT_IN_OPERATOR_NAMES.includes(name)) {
      problems.push(`${label}: the name is used by a built-in operator`);
      return;
    }
    if (registry.has(name)) {
      problems.push(`${label}: the name is used by another custom operator`);
      return;
    }
    registry.set(name, adaptCustomOperator(operator));
  });
  return { registry, problems };
}
