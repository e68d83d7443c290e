/**
 * Exact parsing of Kubernetes resource quantities (`500m`, `0.25`, `512Mi`,
 * `1G`, `1e3`), following the grammar of `k8s.io/apimachinery`'s
 * `resource.Quantity`:
 *
 * ```
 * <quantity>        ::= <signedNumber><suffix>
 * <suffix>          ::= <binarySI> | <decimalExponent> | <decimalSI>
 * <binarySI>        ::= Ki | Mi | Gi | Ti | Pi | Ei
 * <decimalSI>       ::= n | u | m | "" | k | M | G | T | P | E
 * <decimalExponent> ::= "e" <signedNumber> | "E" <signedNumber>
 * ```
 *
 * The arithmetic is done on big integers, so `0.1` CPU is exactly 100
 * millicores and `1.5Gi` exactly 1610612736 bytes. Like Kubernetes'
 * `MilliValue()` / `Value()`, a result that is not a whole number is rounded
 * up (`0.5m` CPU is 1 millicore, `1500m` of memory is 2 bytes).
 */

/**
 * The outcome of parsing one quantity.
 *
 * @public
 */
export type QuantityParseResult =
  | { ok: true; raw: string; value: number }
  | { ok: false; raw: string; error: string };

const QUANTITY_PATTERN =
  /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:[eE]([+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E))?$/;

const MAX_RAW_LENGTH = 64;
/** Larger exponents cannot give a safe integer anyway; this keeps BigInt work bounded. */
const MAX_EXPONENT = 40;

const BINARY_POWERS: Record<string, number> = {
  Ki: 10,
  Mi: 20,
  Gi: 30,
  Ti: 40,
  Pi: 50,
  Ei: 60,
};

const DECIMAL_POWERS: Record<string, number> = {
  n: -9,
  u: -6,
  m: -3,
  k: 3,
  M: 6,
  G: 9,
  T: 12,
  P: 15,
  E: 18,
};

/** The text of a quantity as written in YAML: strings as is, numbers in their shortest form. */
export function quantityText(value: unknown): string | null {
  if (typeof value === 'string') {
    return value;
  }
  if (typeof value === 'number') {
    return String(value);
  }
  return null;
}

/**
 * Parses a quantity and returns ceil(quantity × 10^scalePower) as a safe
 * integer (scalePower 3 gives millis, 0 gives units).
 */
function parseScaled(value: unknown, scalePower: number): QuantityParseResult {
  const text = quantityText(value);
  if (text === null) {
    return {
      ok: false,
      raw: value === null || value === undefined ? '' : String(value),
      error: `expected a quantity (string or number), got ${
        value === null ? 'null' : typeof value
      }`,
    };
  }
  const raw = text;
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { ok: false, raw, error: `'${raw}' is not a finite number` };
  }
  const trimmed = raw.trim();
  if (trimmed.length === 0) {
    return { ok: false, raw, error: 'empty quantity' };
  }
  if (trimmed.length > MAX_RAW_LENGTH) {
    return { ok: false, raw, error: 'quantity is too long' };
  }
  const match = QUANTITY_PATTERN.exec(trimmed);
  if (!match) {
    return {
      ok: false,
      raw,
      error: `'${raw}' is not a Kubernetes quantity (e.g. '500m', '0.5', '512Mi', '1G')`,
    };
  }
  const [, sign, numberPart, exponentText, suffix] = match;
  if (sign === '-' && /[1-9]/.test(numberPart)) {
    return { ok: false, raw, error: `'${raw}' is negative` };
  }

  const [integerDigits, fractionDigits = ''] = numberPart.split('.');
  let numerator = BigInt(`${integerDigits || '0'}${fractionDigits}` || '0');
  let power10 = scalePower - fractionDigits.length;
  if (exponentText !== undefined) {
    const exponent = Number(exponentText);
    if (Math.abs(exponent) > MAX_EXPONENT) {
      return { ok: false, raw, error: `'${raw}' is out of range` };
    }
    power10 += exponent;
  } else if (suffix !== undefined) {
    if (suffix in BINARY_POWERS) {
      numerator *= 2n ** BigInt(BINARY_POWERS[suffix]);
    } else {
      power10 += DECIMAL_POWERS[suffix];
    }
  }

  let result: bigint;
  if (power10 >= 0) {
    result = numerator * 10n ** BigInt(power10);
  } else {
    const denominator = 10n ** BigInt(-power10);
    result = numerator / denominator;
    if (numerator % denominator !== 0n) {
      result += 1n; // round up, like Kubernetes
    }
  }
  if (result > BigInt(Number.MAX_SAFE_INTEGER)) {
    return { ok: false, raw, error: `'${raw}' is too large` };
  }
  return { ok: true, raw, value: Number(result) };
}

/**
 * Parses a CPU quantity into millicores: `'500m'` → 500, `'1'` → 1000,
 * `'0.25'` → 250, `2` → 2000. Fractions of a millicore round up.
 *
 * @public
 */
export function parseCpuQuantity(value: unknown): QuantityParseResult {
  return parseScaled(value, 3);
}

/**
 * Parses a memory (or any byte) quantity into bytes: `'512Mi'` → 536870912,
 * `'1Gi'` → 1073741824, `'1G'` → 1000000000, `'1000000'` → 1000000.
 * Fractions of a byte round up.
 *
 * @public
 */
export function parseMemoryQuantity(value: unknown): QuantityParseResult {
  return parseScaled(value, 0);
}

/**
 * Millicores of a CPU quantity, or null when it is not a valid quantity.
 *
 * @public
 */
export function cpuToMillicores(value: unknown): number | null {
  const result = parseCpuQuantity(value);
  return result.ok ? result.value : null;
}

/**
 * Bytes of a memory quantity, or null when it is not a valid quantity.
 *
 * @public
 */
export function memoryToBytes(value: unknown): number | null {
  const result = parseMemoryQuantity(value);
  return result.ok ? result.value : null;
}
