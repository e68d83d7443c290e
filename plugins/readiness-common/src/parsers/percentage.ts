import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * Options for {@link parsePercentage}.
 *
 * @public
 */
export interface ParsePercentageOptions extends ParserOptions {
  /**
   * Whether `0` is accepted. Defaults to `false`, which suits availability
   * targets (greater than 0 and at most 100). Error budgets set it to `true`
   * (0 to 100).
   */
  allowZero?: boolean;
}

const PERCENTAGE = /^(\d+(?:\.\d+)?)\s*%?$/;

/**
 * Parses a percentage such as `99.9`, `99.95%` or `0.1%` into a number
 * (`99.9`, `99.95`, `0.1`). The value must be at most 100, and greater than 0
 * unless `allowZero` is set.
 *
 * @public
 */
export function parsePercentage(
  value: unknown,
  options?: ParsePercentageOptions,
): ParseResult<number> {
  const expected = options?.allowZero
    ? EXPECTED.percentage
    : EXPECTED.availability;
  const match =
    typeof value === 'string' ? PERCENTAGE.exec(value.trim()) : null;
  if (!match) {
    return fail(options, value, 'is not a percentage', expected);
  }
  const percentage = Number(match[1]);
  if (percentage > 100 || (percentage === 0 && !options?.allowZero)) {
    return fail(options, value, 'is out of range', expected);
  }
  return succeed(percentage);
}
