import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { createPlanCapacityAction } from './planCapacity';

describe('readiness:capacity:plan', () => {
  const action = createPlanCapacityAction();

  it('outputs replicas for the peak plus the seed buffer', async () => {
    const ctx = createMockActionContext({
      input: {
        peakRps: 1200,
        perPodRps: 100,
        capacityBufferPercent: 50,
        minReplicas: 2,
        maxReplicas: 50,
      },
    });
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('minReplicas', 2);
    expect(ctx.output).toHaveBeenCalledWith('maxReplicas', 18);
    expect(ctx.output).toHaveBeenCalledWith('podsForPeak', 12);
    expect(ctx.output).toHaveBeenCalledWith('clampedToMax', false);
  });

  it('fails the step with a message naming the rule that was broken', async () => {
    const ctx = createMockActionContext({
      input: {
        peakRps: 1200,
        perPodRps: 100,
        capacityBufferPercent: 50,
        minReplicas: 10,
        maxReplicas: 5,
      },
    });
    await expect(action.handler(ctx)).rejects.toThrow(
      'readiness:capacity:plan: maxReplicas must be an integer ≥ minReplicas (10), got 5',
    );
    expect(ctx.output).not.toHaveBeenCalled();
  });

  it('declares dry-run support, examples and an output schema', () => {
    expect(action.supportsDryRun).toBe(true);
    expect(action.examples?.length).toBeGreaterThan(0);
    expect(action.schema?.output).toBeDefined();
  });
});
