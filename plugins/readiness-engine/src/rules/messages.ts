/**
 * Message templates: the words a developer reads when a check passes or
 * fails, with the facts filled in. Compiled once, with the rule; rendered
 * only when a result is explained.
 *
 * Syntax, a small subset of Mustache with single braces:
 *
 * - `{deployment.hpa.name}`: a fact, written as a rule's `fact` (the
 *   document, then a path within it);
 * - `{deployment.hpa.name|the HPA}`: the same, with the text to show when
 *   the value is missing, null, or an empty list or string (default `none`);
 * - `{#deployment.removedApis}…{/deployment.removedApis}`: a section, shown
 *   once for each item of a list (joined with `; `) or once for any other
 *   value that is set (not missing, null, false, 0, '' or an empty list);
 *   inside it `{.kind}` reads the item and `{.}` is the item itself;
 * - `{^deployment.pdb}…{/deployment.pdb}`: shown when the value is not set;
 * - `{{` and `}}`: literal braces.
 */
import type { RuleFacts } from './compileRule';
import { didYouMean, formatValue } from './format';
import {
  PathAccessor,
  compileAccessor,
  compileDocumentReader,
  parseFactReference,
  parsePath,
} from './paths';

/**
 * A compiled message template.
 *
 * @internal
 */
export interface MessageTemplate {
  /** The template as written. */
  readonly source: string;
  /**
   * The text with the facts filled in, as a sentence: trimmed, ending with a
   * full stop; empty when it renders nothing. Never throws.
   */
  sentence(facts: RuleFacts): string;
}

/** Reads a value for a placeholder: a fact, or a field of the current item. */
type Reader = (facts: RuleFacts, item: unknown) => unknown;

type Part =
  | { type: 'text'; text: string }
  | { type: 'value'; read: Reader; fallback: string | undefined }
  | { type: 'section'; read: Reader; inverted: boolean; body: Part[] };

/** Most items of a list shown in a message. */
const MAX_ITEMS = 10;
/** Longest text of one value. */
const MAX_VALUE_LENGTH = 500;
/** Longest message. */
const MAX_MESSAGE_LENGTH = 2000;
/** The text of a value that is not set, when the placeholder has no fallback. */
const NONE = 'none';

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function isSet(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.length > 0;
  }
  return Boolean(value);
}

function formatScalar(value: unknown): string {
  if (typeof value === 'string') {
    return truncate(value, MAX_VALUE_LENGTH);
  }
  if (value === null || value === undefined) {
    return NONE;
  }
  if (typeof value === 'object') {
    return formatValue(value);
  }
  return String(value);
}

/** A value as words: strings as they are, lists joined with commas. */
function formatMessageValue(value: unknown, fallback: string | undefined) {
  if (
    value === undefined ||
    value === null ||
    value === '' ||
    (Array.isArray(value) && value.length === 0)
  ) {
    return fallback ?? (value === '' ? '' : NONE);
  }
  if (Array.isArray(value)) {
    const shown = value.slice(0, MAX_ITEMS).map(formatScalar).join(', ');
    return value.length > MAX_ITEMS
      ? `${shown} and ${value.length - MAX_ITEMS} more`
      : shown;
  }
  return formatScalar(value);
}

function renderParts(
  parts: ReadonlyArray<Part>,
  facts: RuleFacts,
  item: unknown,
) {
  let out = '';
  for (const part of parts) {
    if (part.type === 'text') {
      out += part.text;
    } else if (part.type === 'value') {
      out += formatMessageValue(part.read(facts, item), part.fallback);
    } else {
      const value = part.read(facts, item);
      if (part.inverted) {
        if (!isSet(value)) {
          out += renderParts(part.body, facts, item);
        }
      } else if (Array.isArray(value)) {
        const shown = value
          .slice(0, MAX_ITEMS)
          .map(entry => renderParts(part.body, facts, entry));
        out += shown.join('; ');
        if (value.length > MAX_ITEMS) {
          out += `; and ${value.length - MAX_ITEMS} more`;
        }
      } else if (isSet(value)) {
        out += renderParts(part.body, facts, value);
      }
    }
  }
  return out;
}

function factReader(
  readDocument: (facts: RuleFacts) => unknown,
  access: PathAccessor,
): Reader {
  return facts => {
    const document = readDocument(facts);
    return document === undefined || document === null
      ? undefined
      : access(document);
  };
}

function itemReader(access: PathAccessor): Reader {
  return (_facts, item) => access(item);
}

type Section = { tag: string; ref: string; inverted: boolean; parts: Part[] };

/**
 * Compiles a message template. Problems (without the field prefix, which
 * `field` gives) are pushed to `problems`; the template is then undefined.
 *
 * @param documents - The fact documents placeholders may read.
 * @param documentsLabel - How those documents are described in problems.
 */
export function compileMessageTemplate(
  raw: unknown,
  field: string,
  documents: ReadonlySet<string>,
  documentsLabel: string,
  problems: string[],
): MessageTemplate | undefined {
  if (typeof raw !== 'string' || raw.trim() === '') {
    problems.push(
      `${field} must be a non-empty string; got ${formatValue(raw)}`,
    );
    return undefined;
  }
  const before = problems.length;
  const root: Part[] = [];
  const stack: Section[] = [];
  let parts = root;
  let text = '';
  const flush = () => {
    if (text !== '') {
      // Whitespace is collapsed once, here, rather than in every message.
      parts.push({ type: 'text', text: text.replace(/\s+/g, ' ') });
      text = '';
    }
  };

  const resolve = (ref: string, tag: string): Reader | undefined => {
    if (ref === '') {
      problems.push(`${field} placeholder '${tag}' names no fact`);
      return undefined;
    }
    if (ref.startsWith('.')) {
      if (stack.length === 0) {
        problems.push(
          `${field} placeholder '${tag}' reads an item, but is not inside a section such as '{#deployment.removedApis}'`,
        );
        return undefined;
      }
      if (ref === '.') {
        return itemReader(value => value);
      }
      const parsed = parsePath(`$${ref}`);
      if (!parsed.ok) {
        problems.push(
          `${field} placeholder '${tag}' is not a valid path: ${parsed.error}`,
        );
        return undefined;
      }
      return itemReader(compileAccessor(parsed.segments));
    }
    const parsed = parseFactReference(ref, documents);
    if (parsed.ok) {
      return factReader(
        compileDocumentReader(parsed.document),
        compileAccessor(parsed.segments),
      );
    }
    if (parsed.error === 'unknown-document') {
      const name = ref.split(/[.[]/)[0];
      problems.push(
        `${field} placeholder '${tag}' refers to an unknown fact document '${name}'${didYouMean(
          name,
          documents,
        )}; expected ${documentsLabel}`,
      );
    } else {
      problems.push(
        `${field} placeholder '${tag}' is not a valid fact reference: ${parsed.error}; expected a fact such as '{deployment.hpa.name}'`,
      );
    }
    return undefined;
  };

  let i = 0;
  while (i < raw.length) {
    const char = raw[i];
    if (char === '}') {
      if (raw[i + 1] === '}') {
        text += '}';
        i += 2;
        continue;
      }
      problems.push(
        `${field} has a '}' without '{' at character ${
          i + 1
        }; write '}}' for a brace`,
      );
      break;
    }
    if (char !== '{') {
      text += char;
      i += 1;
      continue;
    }
    if (raw[i + 1] === '{') {
      text += '{';
      i += 2;
      continue;
    }
    const end = raw.indexOf('}', i + 1);
    const nested = raw.indexOf('{', i + 1);
    if (end < 0 || (nested >= 0 && nested < end)) {
      problems.push(
        `${field} has an unclosed '{' at character ${
          i + 1
        }; write '{{' for a brace`,
      );
      break;
    }
    const tag = raw.slice(i, end + 1);
    const inner = raw.slice(i + 1, end).trim();
    i = end + 1;
    flush();
    const sigil = inner[0];
    if (sigil === '#' || sigil === '^') {
      const ref = inner.slice(1).trim();
      const section: Section = {
        tag,
        ref,
        inverted: sigil === '^',
        parts: [],
      };
      const read = resolve(ref, tag);
      parts.push({
        type: 'section',
        read: read ?? (() => undefined),
        inverted: section.inverted,
        body: section.parts,
      });
      stack.push(section);
      parts = section.parts;
    } else if (sigil === '/') {
      const ref = inner.slice(1).trim();
      const open = stack.pop();
      if (!open) {
        problems.push(`${field} '${tag}' closes no section`);
        break;
      }
      if (open.ref !== ref) {
        problems.push(
          `${field} '${tag}' does not close '${open.tag}'; expected '{/${open.ref}}'`,
        );
        break;
      }
      parts = stack.length > 0 ? stack[stack.length - 1].parts : root;
    } else {
      const bar = inner.indexOf('|');
      const ref = (bar < 0 ? inner : inner.slice(0, bar)).trim();
      const fallback = bar < 0 ? undefined : inner.slice(bar + 1).trim();
      const read = resolve(ref, tag);
      if (read) {
        parts.push({ type: 'value', read, fallback });
      }
    }
  }
  flush();
  if (problems.length === before && stack.length > 0) {
    const open = stack[stack.length - 1];
    problems.push(
      `${field} section '${open.tag}' is not closed; expected '{/${open.ref}}'`,
    );
  }
  if (problems.length > before) {
    return undefined;
  }
  return createTemplate(raw, root);
}

const SPACE = 32;

function endsSentence(text: string): boolean {
  const last = text.charCodeAt(text.length - 1);
  return last === 46 || last === 33 || last === 63; // . ! ?
}

/**
 * A rendered template as a sentence: trimmed, ending with a full stop;
 * empty when it is only whitespace.
 */
export function toSentence(text: string): string {
  const sentence = text.trim();
  if (sentence === '' || endsSentence(sentence)) {
    return sentence;
  }
  return `${sentence}.`;
}

/**
 * The template, with as much of the sentence made as possible here: the
 * edges of its text trimmed, and the full stop added when it ends with text,
 * so that rendering, which runs for every result, only checks the edges that
 * come from the facts.
 */
function createTemplate(source: string, parts: Part[]): MessageTemplate {
  const first = parts[0];
  if (first?.type === 'text') {
    first.text = first.text.trimStart();
  }
  const last = parts[parts.length - 1];
  let endsWithText = false;
  if (last?.type === 'text') {
    last.text = last.text.trimEnd();
    endsWithText = last.text !== '';
    if (endsWithText && !endsSentence(last.text)) {
      last.text += '.';
    }
  }
  const root = parts.filter(part => part.type !== 'text' || part.text !== '');
  const startsWithText = root[0]?.type === 'text';
  const onlyText = root.every(part => part.type === 'text');
  return {
    source,
    sentence(facts: RuleFacts): string {
      let text: string;
      try {
        text = renderParts(root, facts, undefined);
      } catch {
        // Facts are JSON, so this is not expected; a message never throws.
        return '';
      }
      if (onlyText) {
        return text;
      }
      if (text.length > MAX_MESSAGE_LENGTH) {
        return toSentence(truncate(text, MAX_MESSAGE_LENGTH));
      }
      if (startsWithText && endsWithText) {
        return text;
      }
      if (
        text === '' ||
        (!startsWithText && text.charCodeAt(0) <= SPACE) ||
        text.charCodeAt(text.length - 1) <= SPACE
      ) {
        text = text.trim();
      }
      if (text === '' || text === '.') {
        return '';
      }
      return endsWithText || endsSentence(text) ? text : `${text}.`;
    },
  };
}

/** Describes the documents placeholders may read, for problems. */
export function describeDocuments(
  documents: ReadonlySet<string>,
  known: boolean,
): string {
  const names = [...documents].join(', ');
  if (documents.size === 0) {
    return 'no fact: the rule reads none';
  }
  return known ? `one of ${names}` : `a fact document the rule reads: ${names}`;
}
