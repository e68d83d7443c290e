import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

const DECIMAL = /^\d+(?:\.\d+)?$/;

/**
 * Parses a positive decimal number such as `1200` or `0.5`. Signs, exponents,
 * thousands separators and zero are rejected.
 *
 * @public
 */
export function parsePositiveNumber(
  value: unknown,
  options?: ParserOptions,
): ParseResult<number> {
  const text = typeof value === 'string' ? value.trim() : '';
  const number = DECIMAL.test(text) ? Number(text) : NaN;
  if (!Number.isFinite(number) || number <= 0) {
    return fail(
      options,
      value,
      'is not a positive number',
      EXPECTED.positiveNumber,
    );
  }
  return succeed(number);
}
