import { planCapacity } from './capacity';

describe('planCapacity', () => {
  it('sizes for the peak plus the seed buffer of 50%', () => {
    const plan = planCapacity({ peakRps: 1200, perPodRps: 100 });
    expect(plan).toMatchObject({
      podsForPeak: 12,
      podsWithBuffer: 18,
      minReplicas: 2,
      maxReplicas: 18,
      clampedToMax: false,
    });
    expect(plan.explanation[1]).toBe(
      'With the 50% buffer: 1200 ÷ 100 × 1.5 = 18 pod(s).',
    );
  });

  it('rounds up partial pods', () => {
    expect(planCapacity({ peakRps: 250, perPodRps: 100 })).toMatchObject({
      podsForPeak: 3,
      podsWithBuffer: 4,
      maxReplicas: 4,
    });
  });

  it('keeps at least the minimum of 2 replicas for small services', () => {
    const plan = planCapacity({ peakRps: 10, perPodRps: 100 });
    expect(plan).toMatchObject({
      podsWithBuffer: 1,
      minReplicas: 2,
      maxReplicas: 2,
    });
    expect(plan.explanation[2]).toContain('below the minimum of 2');
  });

  it('caps at the seed maximum of 50 and says so', () => {
    const plan = planCapacity({ peakRps: 10000, perPodRps: 100 });
    expect(plan).toMatchObject({
      podsWithBuffer: 150,
      maxReplicas: 50,
      clampedToMax: true,
    });
    expect(plan.explanation[2]).toContain('capped at 50');
  });

  it('honours overrides of the buffer and bounds', () => {
    expect(
      planCapacity({
        peakRps: 1000,
        perPodRps: 100,
        settings: {
          capacityBufferPercent: 100,
          minReplicas: 3,
          maxReplicas: 100,
        },
      }),
    ).toMatchObject({ podsWithBuffer: 20, minReplicas: 3, maxReplicas: 20 });
  });

  it.each([
    [
      { peakRps: 0, perPodRps: 100 },
      'peakRps must be a positive number, got 0',
    ],
    [
      { peakRps: 100, perPodRps: -1 },
      'perPodRps must be a positive number, got -1',
    ],
    [
      { peakRps: NaN, perPodRps: 1 },
      'peakRps must be a positive number, got NaN',
    ],
    [
      {
        peakRps: 100,
        perPodRps: 10,
        settings: { minReplicas: 5, maxReplicas: 4 },
      },
      'maxReplicas must be an integer ≥ minReplicas (5), got 4',
    ],
    [
      { peakRps: 100, perPodRps: 10, settings: { minReplicas: 0 } },
      'minReplicas must be an integer ≥ 1, got 0',
    ],
  ])('rejects %j', (inputs, message) => {
    expect(() => planCapacity(inputs)).toThrow(message);
  });
});
