import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import {
  planCapacity,
  SEED_SCALING_DEFAULTS,
} from '@prodready/plugin-readiness-common';
import { examples } from './planCapacity.examples';

/**
 * `readiness:capacity:plan`: replicas from expected peak traffic and per-pod
 * capacity, plus the seed's 50% buffer, clamped to 2..50 and explained.
 *
 * @public
 */
export function createPlanCapacityAction() {
  return createTemplateAction({
    id: 'readiness:capacity:plan',
    description:
      'Plans HPA replicas from expected peak traffic: peak RPS ÷ per-pod capacity × (1 + buffer), clamped and explained.',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        peakRps: z =>
          z
            .number()
            .positive()
            .describe('Expected peak traffic, requests per second'),
        perPodRps: z =>
          z
            .number()
            .positive()
            .describe(
              'Requests per second one pod serves within its latency target',
            ),
        capacityBufferPercent: z =>
          z
            .number()
            .min(0)
            .default(SEED_SCALING_DEFAULTS.capacityBufferPercent)
            .describe('Capacity kept above the peak, percent (seed: 50)'),
        minReplicas: z =>
          z
            .number()
            .int()
            .min(1)
            .default(SEED_SCALING_DEFAULTS.minReplicas)
            .describe('Fewest replicas (seed: 2)'),
        maxReplicas: z =>
          z
            .number()
            .int()
            .min(1)
            .default(SEED_SCALING_DEFAULTS.maxReplicas)
            .describe('Most replicas (seed: 50)'),
      },
      output: {
        minReplicas: z => z.number().int(),
        maxReplicas: z => z.number().int(),
        podsForPeak: z => z.number().int(),
        clampedToMax: z => z.boolean(),
        explanation: z => z.array(z.string()),
      },
    },
    async handler(ctx) {
      const {
        peakRps,
        perPodRps,
        capacityBufferPercent,
        minReplicas,
        maxReplicas,
      } = ctx.input;
      let plan;
      try {
        plan = planCapacity({
          peakRps,
          perPodRps,
          settings: { capacityBufferPercent, minReplicas, maxReplicas },
        });
      } catch (error) {
        throw new InputError(
          `readiness:capacity:plan: ${(error as Error).message}`,
        );
      }
      for (const line of plan.explanation) {
        ctx.logger.info(line);
      }
      ctx.output('minReplicas', plan.minReplicas);
      ctx.output('maxReplicas', plan.maxReplicas);
      ctx.output('podsForPeak', plan.podsForPeak);
      ctx.output('clampedToMax', plan.clampedToMax);
      ctx.output('explanation', plan.explanation);
    },
  });
}
