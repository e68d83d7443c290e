/**
 * A small YAML emitter for JSON-like manifests, several times faster than a
 * general-purpose YAML library, in the block style of hand-written
 * Kubernetes manifests. Strings are left plain only when they read back as
 * the same string under both YAML 1.2 and YAML 1.1 (which Kubernetes'
 * parser follows: `yes`, `on` and `1:20` are not strings there); otherwise
 * they are double-quoted (JSON escapes are valid YAML) or, when they span
 * lines, written as literal blocks.
 */

const PLAIN =
  /^[A-Za-z_/][A-Za-z0-9_./@%+=,:-]*(?: [A-Za-z0-9_./@%+=,:()-]+)*$/;
const RESERVED = /^(?:true|false|yes|no|y|n|on|off|null|~)$/i;

function scalarString(value: string): string {
  if (
    PLAIN.test(value) &&
    !RESERVED.test(value) &&
    !value.endsWith(':') &&
    !value.includes(': ') &&
    !value.includes('::')
  ) {
    return value;
  }
  return JSON.stringify(value);
}

function isBlockCandidate(value: string): boolean {
  return (
    value.includes('\n') &&
    !value.includes('\r') &&
    !/[\t]/.test(value) &&
    !/^[ \n]/.test(value) &&
    // Trailing spaces on a line would survive, but look like noise.
    !/ \n/.test(value)
  );
}

function blockLiteral(value: string, indent: string): string {
  const trailing = /\n*$/.exec(value)![0].length;
  let chomp = '+';
  if (trailing === 0) {
    chomp = '-';
  } else if (trailing === 1) {
    chomp = '';
  }
  const body = trailing > 0 ? value.slice(0, value.length - trailing) : value;
  const lines = body.split('\n').map(line => (line ? indent + line : ''));
  const extra = trailing > 1 ? '\n'.repeat(trailing - 1) : '';
  return `|${chomp}\n${lines.join('\n')}\n${extra}`;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) {
    return 'null';
  }
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) {
      throw new TypeError(`cannot write ${value} as YAML`);
    }
    return String(value);
  }
  if (typeof value === 'boolean') {
    return value ? 'true' : 'false';
  }
  if (typeof value === 'string') {
    return scalarString(value);
  }
  throw new TypeError(`cannot write a ${typeof value} as YAML`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isEmptyCollection(value: unknown): boolean {
  return (
    (Array.isArray(value) && value.length === 0) ||
    (isRecord(value) && Object.keys(value).length === 0)
  );
}

/** The value after `key:` or `- `: inline for scalars, a block otherwise. */
function valueAfter(value: unknown, indent: string): string {
  if (Array.isArray(value)) {
    return value.length === 0 ? ' []\n' : `\n${emitSequence(value, indent)}`;
  }
  if (isRecord(value)) {
    return Object.keys(value).length === 0
      ? ' {}\n'
      : `\n${emitMapping(value, `${indent}  `)}`;
  }
  if (typeof value === 'string' && isBlockCandidate(value)) {
    return ` ${blockLiteral(value, `${indent}  `)}`;
  }
  return ` ${scalar(value)}\n`;
}

function emitMapping(map: Record<string, unknown>, indent: string): string {
  let out = '';
  for (const [key, value] of Object.entries(map)) {
    if (value === undefined) {
      continue;
    }
    out += `${indent}${scalarString(key)}:${valueAfter(value, indent)}`;
  }
  return out;
}

function emitSequence(items: unknown[], indent: string): string {
  const itemIndent = `${indent}  `;
  let out = '';
  for (const item of items) {
    if (isRecord(item) && !isEmptyCollection(item)) {
      // `- key: value`, then the other keys aligned under the first.
      const body = emitMapping(item, `${itemIndent}  `);
      out += `${itemIndent}- ${body.slice(itemIndent.length + 2)}`;
    } else if (Array.isArray(item) && item.length > 0) {
      out += `${itemIndent}-\n${emitSequence(item, itemIndent)}`;
    } else {
      out += `${itemIndent}-${valueAfter(item, itemIndent)}`;
    }
  }
  return out;
}

/**
 * Writes one document (a mapping) as block-style YAML.
 *
 * @public
 */
export function emitYaml(document: Record<string, unknown>): string {
  return emitMapping(document, '');
}
