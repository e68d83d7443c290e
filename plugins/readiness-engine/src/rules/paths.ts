/**
 * Fact paths: the `$.a.b[0].c` JSONPath subset of json-rules-engine rules and
 * our dotted fact shorthand (`deployment.hpa.maxReplicas`), parsed once into
 * segments and compiled into accessor functions.
 */

/** A property name or an array index. */
export type PathSegment = string | number;

/** Reads a value within a fact document; `undefined` when absent. */
export type PathAccessor = (document: unknown) => unknown;

type Token =
  | { kind: 'name'; value: string }
  | { kind: 'key'; value: string }
  | { kind: 'index'; value: number };

type TokenResult = { ok: true; tokens: Token[] } | { ok: false; error: string };

/** Result of {@link parseFactReference}. */
export type FactReferenceResult =
  | { ok: true; document: string; segments: PathSegment[] }
  | { ok: false; error: string };

/** Result of {@link parsePath}. */
export type PathResult =
  | { ok: true; segments: PathSegment[] }
  | { ok: false; error: string };

const NAME_CHAR = /[A-Za-z0-9_-]/;
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const CANONICAL_INDEX = /^(?:0|[1-9]\d*)$/;

/** Names that objects inherit from `Object.prototype`; reading them needs an own-property check. */
const INHERITED_NAMES: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);

const hasOwn = Object.prototype.hasOwnProperty;

function readName(text: string, start: number): number {
  let end = start;
  while (end < text.length && NAME_CHAR.test(text[end])) {
    end += 1;
  }
  return end;
}

function unexpected(text: string, position: number): string {
  const char = text[position];
  if (char === '*') {
    return `wildcards ('*') are not supported`;
  }
  if (char === '@' || char === '?' || char === '(') {
    return `filters and scripts ('[?(...)]') are not supported`;
  }
  return `unexpected '${char}' at character ${position + 1}`;
}

/**
 * Splits a path into tokens. With `leadingName`, the text starts with a name
 * (no `$`); otherwise it may start with `$`, or with a name as a shorthand.
 */
function tokenize(text: string, leadingName: boolean): TokenResult {
  const tokens: Token[] = [];
  let i = 0;
  const failWith = (error: string): TokenResult => ({ ok: false, error });
  if (!leadingName && text[0] === '$') {
    i = 1;
  } else if (text[0] === '.' || text[0] === '[') {
    if (leadingName) {
      return failWith('it must start with a fact name');
    }
  } else {
    const end = readName(text, 0);
    if (end === 0) {
      return failWith(unexpected(text, 0));
    }
    tokens.push({ kind: 'name', value: text.slice(0, end) });
    i = end;
  }
  while (i < text.length) {
    const char = text[i];
    if (char === '.') {
      if (text[i + 1] === '.') {
        return failWith(`recursive descent ('..') is not supported`);
      }
      const end = readName(text, i + 1);
      if (end === i + 1) {
        if (i + 1 >= text.length) {
          return failWith(`a name is expected after '.' at character ${i + 1}`);
        }
        return failWith(unexpected(text, i + 1));
      }
      tokens.push({ kind: 'name', value: text.slice(i + 1, end) });
      i = end;
    } else if (char === '[') {
      const next = text[i + 1];
      if (next === "'" || next === '"') {
        let value = '';
        let j = i + 2;
        let closed = false;
        while (j < text.length) {
          const c = text[j];
          if (c === '\\' && j + 1 < text.length) {
            value += text[j + 1];
            j += 2;
          } else if (c === next) {
            closed = true;
            j += 1;
            break;
          } else {
            value += c;
            j += 1;
          }
        }
        if (!closed) {
          return failWith(`unterminated quote at character ${i + 2}`);
        }
        if (text[j] !== ']') {
          return failWith(
            text[j] === ','
              ? 'unions are not supported'
              : `']' is expected at character ${j + 1}`,
          );
        }
        tokens.push({ kind: 'key', value });
        i = j + 1;
      } else if (next !== undefined && next >= '0' && next <= '9') {
        let j = i + 1;
        while (j < text.length && text[j] >= '0' && text[j] <= '9') {
          j += 1;
        }
        const digits = text.slice(i + 1, j);
        if (text[j] === ':') {
          return failWith(`slices ('[start:end]') are not supported`);
        }
        if (text[j] === ',') {
          return failWith('unions are not supported');
        }
        if (text[j] !== ']') {
          return failWith(
            j >= text.length
              ? `unterminated '[' at character ${i + 1}`
              : `']' is expected at character ${j + 1}`,
          );
        }
        const index = Number(digits);
        if (!Number.isSafeInteger(index)) {
          return failWith(`index ${digits} is too large`);
        }
        tokens.push({ kind: 'index', value: index });
        i = j + 1;
      } else if (next === '-') {
        return failWith('negative indexes are not supported');
      } else if (next === ':') {
        return failWith(`slices ('[start:end]') are not supported`);
      } else if (next === undefined) {
        return failWith(`unterminated '[' at character ${i + 1}`);
      } else {
        return failWith(unexpected(text, i + 1));
      }
    } else {
      return failWith(unexpected(text, i));
    }
  }
  return { ok: true, tokens };
}

function toSegment(token: Token): PathSegment {
  if (token.kind === 'index') {
    return token.value;
  }
  return CANONICAL_INDEX.test(token.value) &&
    Number.isSafeInteger(Number(token.value))
    ? Number(token.value)
    : token.value;
}

/**
 * Parses a JSONPath within a fact document: `$`, `$.a.b`, `$.a.b[0].c`,
 * `$['prodready.dev/tier']`, or the same without the leading `$` (`a.b[0]`).
 * Wildcards, recursive descent, filters, slices and unions are rejected.
 */
export function parsePath(text: string): PathResult {
  const trimmed = text.trim();
  if (trimmed === '') {
    return { ok: false, error: 'it is empty' };
  }
  const result = tokenize(trimmed, false);
  if (!result.ok) {
    return result;
  }
  return { ok: true, segments: result.tokens.map(toSegment) };
}

/**
 * Parses the `fact` of a condition: a fact document name, optionally followed
 * by a path within it in dotted form (`deployment.hpa.maxReplicas`,
 * `deployment.containers[0].image`).
 *
 * When `knownDocuments` is given, the document is the longest dotted prefix
 * that is a known document (so documents may have dots in their names), and
 * an unknown document is an error. Otherwise the document is the first name.
 */
export function parseFactReference(
  text: string,
  knownDocuments?: ReadonlySet<string>,
): FactReferenceResult {
  const trimmed = text.trim();
  if (knownDocuments?.has(trimmed)) {
    return { ok: true, document: trimmed, segments: [] };
  }
  const result = tokenize(trimmed, true);
  if (!result.ok) {
    return result;
  }
  const tokens = result.tokens;
  let documentTokens = 1;
  if (knownDocuments) {
    documentTokens = 0;
    let name = '';
    for (let i = 0; i < tokens.length && tokens[i].kind === 'name'; i++) {
      name = i === 0 ? String(tokens[i].value) : `${name}.${tokens[i].value}`;
      if (knownDocuments.has(name)) {
        documentTokens = i + 1;
      }
    }
    if (documentTokens === 0) {
      return { ok: false, error: 'unknown-document' };
    }
  }
  const document = tokens
    .slice(0, documentTokens)
    .map(token => token.value)
    .join('.');
  return {
    ok: true,
    document,
    segments: tokens.slice(documentTokens).map(toSegment),
  };
}

/** Formats a document and path for reasons: `deployment.containers[0]['app/name']`. */
export function formatFactLabel(
  document: string,
  segments: ReadonlyArray<PathSegment>,
): string {
  let label = document;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      label += `[${segment}]`;
    } else if (IDENTIFIER.test(segment)) {
      label += `.${segment}`;
    } else {
      label += `['${segment.replace(/[\\']/g, c => `\\${c}`)}']`;
    }
  }
  return label;
}

/** Reads an own property of a fact value, as JSONPath does. */
export function readOwn(value: unknown, name: string): unknown {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    return hasOwn.call(value, name)
      ? (value as Record<string, unknown>)[name]
      : undefined;
  }
  return undefined;
}

type Step = (value: unknown) => unknown;

function propertyStep(name: string): Step {
  if (name === 'length') {
    return value => {
      if (Array.isArray(value) || typeof value === 'string') {
        return value.length;
      }
      return readOwn(value, name);
    };
  }
  if (INHERITED_NAMES.has(name)) {
    return value => readOwn(value, name);
  }
  return value => {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return undefined;
    }
    return (value as Record<string, unknown>)[name];
  };
}

function indexStep(index: number): Step {
  return value => {
    if (Array.isArray(value)) {
      return value[index];
    }
    return readOwn(value, String(index));
  };
}

const identity: PathAccessor = value => value;

/** Compiles path segments into an accessor function. */
export function compileAccessor(
  segments: ReadonlyArray<PathSegment>,
): PathAccessor {
  const steps = segments.map(segment =>
    typeof segment === 'number' ? indexStep(segment) : propertyStep(segment),
  );
  switch (steps.length) {
    case 0:
      return identity;
    case 1:
      return steps[0];
    case 2: {
      const [first, second] = steps;
      return value => {
        const a = first(value);
        return a === undefined ? undefined : second(a);
      };
    }
    case 3: {
      const [first, second, third] = steps;
      return value => {
        const a = first(value);
        if (a === undefined) {
          return undefined;
        }
        const b = second(a);
        return b === undefined ? undefined : third(b);
      };
    }
    default:
      return value => {
        let current = value;
        for (let i = 0; i < steps.length; i++) {
          current = steps[i](current);
          if (current === undefined) {
            return undefined;
          }
        }
        return current;
      };
  }
}

/** Reads a fact document by name; inherited names need an own-property check. */
export function compileDocumentReader(
  document: string,
): (facts: Readonly<Record<string, unknown>>) => unknown {
  if (INHERITED_NAMES.has(document)) {
    return facts =>
      hasOwn.call(facts, document) ? facts[document] : undefined;
  }
  return facts => facts[document];
}
