import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

const MAX_LENGTH = 2048;

/**
 * Parses an absolute `http:` or `https:` URL, such as
 * `https://runbooks.example.com/payments`. Other schemes (`javascript:`,
 * `file:`, ...), relative URLs, whitespace, embedded credentials and URLs
 * longer than 2048 characters are rejected. Returns the URL as written
 * (trimmed).
 *
 * @public
 */
export function parseHttpUrl(
  value: unknown,
  options?: ParserOptions,
): ParseResult<string> {
  const text = typeof value === 'string' ? value.trim() : '';
  if (text.length > MAX_LENGTH) {
    return fail(
      options,
      value,
      `is too long (more than ${MAX_LENGTH} characters)`,
      EXPECTED.httpUrl,
    );
  }
  let url: URL | undefined;
  if (text && !/\s/.test(text)) {
    try {
      url = new URL(text);
    } catch {
      url = undefined;
    }
  }
  if (!url || !['http:', 'https:'].includes(url.protocol) || !url.hostname) {
    return fail(options, value, 'is not an http(s) URL', EXPECTED.httpUrl);
  }
  if (url.username || url.password) {
    return fail(options, value, 'contains credentials', EXPECTED.httpUrl);
  }
  return succeed(text);
}
