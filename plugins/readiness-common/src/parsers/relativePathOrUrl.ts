import { parseHttpUrl } from './httpUrl';
import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

const MAX_LENGTH = 2048;
const SCHEME = /^[a-z][a-z0-9+.-]*:/i;

function hasControlCharacters(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x7f) {
      return true;
    }
  }
  return false;
}

/**
 * Parses a location relative to the entity's `catalog-info.yaml` (for example
 * `./deploy/kubernetes` or `deploy/k8s/`) or an absolute http(s) URL. Absolute
 * file system paths (`/etc/k8s`, `C:\k8s`, `~/k8s`), other URL schemes,
 * backslashes, whitespace, control characters and values longer than 2048
 * characters are rejected.
 *
 * @public
 */
export function parseRelativePathOrUrl(
  value: unknown,
  options?: ParserOptions,
): ParseResult<string> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length > MAX_LENGTH) {
    return fail(
      options,
      value,
      `is too long (more than ${MAX_LENGTH} characters)`,
      EXPECTED.relativePathOrUrl,
    );
  }
  if (SCHEME.test(text) && !/^[a-z]:[\\/]/i.test(text)) {
    const url = parseHttpUrl(text);
    return url.ok
      ? url
      : fail(
          options,
          value,
          'is not a relative path or http(s) URL',
          EXPECTED.relativePathOrUrl,
        );
  }
  if (
    !text ||
    text.startsWith('/') ||
    text.startsWith('~') ||
    text.includes('\\') ||
    /\s/.test(text) ||
    /^[a-z]:/i.test(text) ||
    hasControlCharacters(text)
  ) {
    return fail(
      options,
      value,
      'is not a relative path or http(s) URL',
      EXPECTED.relativePathOrUrl,
    );
  }
  return succeed(text);
}
