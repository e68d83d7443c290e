import { EXPECTED, fail, succeed } from './messages';
import { ParseResult, ParserOptions } from './types';

/**
 * The service tiers, from the most critical (`tier-1`) to the least
 * (`tier-4`).
 *
 * @public
 */
export const READINESS_TIERS = [
  'tier-1',
  'tier-2',
  'tier-3',
  'tier-4',
] as const;

/**
 * A service tier; `tier-1` is the most critical.
 *
 * @public
 */
export type ReadinessTier = (typeof READINESS_TIERS)[number];

/**
 * Whether a value is one of {@link READINESS_TIERS}.
 *
 * @public
 */
export function isReadinessTier(value: unknown): value is ReadinessTier {
  return (
    typeof value === 'string' &&
    (READINESS_TIERS as readonly string[]).includes(value)
  );
}

/**
 * Parses a tier: `tier-1`, `tier-2`, `tier-3` or `tier-4`.
 *
 * @public
 */
export function parseTier(
  value: unknown,
  options?: ParserOptions,
): ParseResult<ReadinessTier> {
  const text = typeof value === 'string' ? value.trim() : value;
  if (!isReadinessTier(text)) {
    return fail(options, value, 'is not a tier', EXPECTED.tier);
  }
  return succeed(text);
}
