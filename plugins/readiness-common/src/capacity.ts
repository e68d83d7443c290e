import { ScalingSettings, SEED_SCALING_DEFAULTS } from './annotations';

/**
 * Inputs of {@link planCapacity}.
 *
 * @public
 */
export interface CapacityInputs {
  /** Expected peak traffic, requests per second. */
  peakRps: number;
  /** Requests per second one pod serves within its latency target. */
  perPodRps: number;
  /** Overrides of the seed's scaling settings (min, max, buffer). */
  settings?: Partial<
    Pick<
      ScalingSettings,
      'minReplicas' | 'maxReplicas' | 'capacityBufferPercent'
    >
  >;
}

/**
 * A replica plan and the reasoning behind it.
 *
 * @public
 */
export interface CapacityPlan {
  /** Pods needed for the peak alone: ceil(peak ÷ per-pod capacity). */
  podsForPeak: number;
  /** Pods needed for the peak plus the buffer, before clamping. */
  podsWithBuffer: number;
  minReplicas: number;
  maxReplicas: number;
  /** Whether the buffered need was cut down to the allowed maximum. */
  clampedToMax: boolean;
  /** One sentence per step, for people to read. */
  explanation: string[];
}

function assertPositiveFinite(name: string, value: number) {
  if (!Number.isFinite(value) || value <= 0) {
    throw new RangeError(`${name} must be a positive number, got ${value}`);
  }
}

/**
 * Plans replicas from expected traffic, as the seed asks: capacity for the
 * peak plus a 50% buffer, within 2..50 replicas.
 *
 * maxReplicas = clamp(ceil(peak ÷ per-pod × (1 + buffer)), min, max), and
 * minReplicas is the minimum kept for availability (2 in the seed).
 *
 * @public
 */
export function planCapacity(inputs: CapacityInputs): CapacityPlan {
  const settings = { ...SEED_SCALING_DEFAULTS, ...inputs.settings };
  assertPositiveFinite('peakRps', inputs.peakRps);
  assertPositiveFinite('perPodRps', inputs.perPodRps);
  if (!Number.isInteger(settings.minReplicas) || settings.minReplicas < 1) {
    throw new RangeError(
      `minReplicas must be an integer ≥ 1, got ${settings.minReplicas}`,
    );
  }
  if (
    !Number.isInteger(settings.maxReplicas) ||
    settings.maxReplicas < settings.minReplicas
  ) {
    throw new RangeError(
      `maxReplicas must be an integer ≥ minReplicas (${settings.minReplicas}), got ${settings.maxReplicas}`,
    );
  }
  if (!(settings.capacityBufferPercent >= 0)) {
    throw new RangeError(
      `capacityBufferPercent must be ≥ 0, got ${settings.capacityBufferPercent}`,
    );
  }
  const buffer = settings.capacityBufferPercent / 100;
  // Round away floating-point noise (e.g. 1200 / 100 * 1.5 = 18.000000000000004).
  const exact = (n: number) => Math.ceil(Number(n.toFixed(9)));
  const podsForPeak = exact(inputs.peakRps / inputs.perPodRps);
  const podsWithBuffer = exact(
    (inputs.peakRps / inputs.perPodRps) * (1 + buffer),
  );
  const maxReplicas = Math.min(
    Math.max(podsWithBuffer, settings.minReplicas),
    settings.maxReplicas,
  );
  const clampedToMax = podsWithBuffer > settings.maxReplicas;
  const minReplicas = settings.minReplicas;
  const explanation = [
    `Peak ${inputs.peakRps} rps ÷ ${inputs.perPodRps} rps per pod = ${podsForPeak} pod(s) for the peak.`,
    `With the ${settings.capacityBufferPercent}% buffer: ${inputs.peakRps} ÷ ${
      inputs.perPodRps
    } × ${1 + buffer} = ${podsWithBuffer} pod(s).`,
  ];
  if (clampedToMax) {
    explanation.push(
      `${podsWithBuffer} exceeds the allowed maximum of ${settings.maxReplicas}: maxReplicas is capped at ${settings.maxReplicas}, so the buffer is not fully met; raise per-pod capacity or the maximum.`,
    );
  } else if (podsWithBuffer < settings.minReplicas) {
    explanation.push(
      `${podsWithBuffer} is below the minimum of ${settings.minReplicas} replicas kept for availability: maxReplicas is ${maxReplicas}.`,
    );
  } else {
    explanation.push(`maxReplicas is ${maxReplicas}.`);
  }
  explanation.push(
    `minReplicas is ${minReplicas} (never fewer than ${settings.minReplicas} for availability).`,
  );
  return {
    podsForPeak,
    podsWithBuffer,
    minReplicas,
    maxReplicas,
    clampedToMax,
    explanation,
  };
}
