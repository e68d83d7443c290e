/**
 * Kubernetes resource quantities, as far as requests and limits need them.
 */

const CPU = /^(\d+(?:\.\d+)?)(m?)$/;
const MEMORY = /^(\d+(?:\.\d+)?)(Ki|Mi|Gi|Ti|k|M|G|T)?$/;

const MEMORY_FACTORS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 1024,
  Mi: 1024 ** 2,
  Gi: 1024 ** 3,
  Ti: 1024 ** 4,
};

/** Millicores of a CPU quantity such as `250m` or `1.5`; undefined if malformed or zero. */
export function cpuMillicores(quantity: string): number | undefined {
  const match = CPU.exec(quantity.trim());
  if (!match) {
    return undefined;
  }
  const value = Number(match[1]) * (match[2] === 'm' ? 1 : 1000);
  return value > 0 && Number.isFinite(value) ? value : undefined;
}

/** Bytes of a memory quantity such as `256Mi` or `1G`; undefined if malformed or zero. */
export function memoryBytes(quantity: string): number | undefined {
  const match = MEMORY.exec(quantity.trim());
  if (!match) {
    return undefined;
  }
  const value = Number(match[1]) * MEMORY_FACTORS[match[2] ?? ''];
  return value > 0 && Number.isFinite(value) ? value : undefined;
}
