import {
  dailyAvailability,
  observedFacts,
  service,
  storedFacts,
} from '../../testUtils/fixtures';
import {
  findObservedDocument,
  isObservedEntity,
  formatAvailability,
  formatBurnRate,
  formatErrorRate,
  formatMs,
  observedRows,
  sparklineGeometry,
} from './observed';

describe('isObservedEntity', () => {
  it('is true of services and websites, as the Prometheus collector', () => {
    const entity = service('payments');
    expect(isObservedEntity(entity)).toBe(true);
    expect(
      isObservedEntity({
        ...entity,
        spec: { ...entity.spec, type: 'website' },
      }),
    ).toBe(true);
    expect(
      isObservedEntity({
        ...entity,
        spec: { ...entity.spec, type: 'library' },
      }),
    ).toBe(false);
    expect(isObservedEntity({ ...entity, kind: 'Resource' })).toBe(false);
  });
});

describe('findObservedDocument', () => {
  it('finds the document of the Prometheus collector, with its staleness', () => {
    const facts = observedFacts();
    expect(
      findObservedDocument(
        storedFacts('component:default/a', facts, {
          stale: true,
          error: 'timeout',
        }),
      ),
    ).toEqual({
      facts,
      collectedAt: '2026-11-26T11:55:00.000Z',
      stale: true,
      error: 'timeout',
    });
  });

  it('finds none without the collector, or with a document of another shape', () => {
    expect(findObservedDocument(undefined)).toBeUndefined();
    expect(findObservedDocument(storedFacts('component:default/a'))).toBe(
      undefined,
    );
    const odd = storedFacts('component:default/a', observedFacts());
    odd.facts.observedServiceLevels.facts = { status: 'unknown' };
    expect(findObservedDocument(odd)).toBeUndefined();
  });
});

describe('formatting', () => {
  it('never rounds an availability up, nor an error rate down', () => {
    expect(formatAvailability(99.99951)).toBe('99.999%');
    expect(formatAvailability(99.95)).toBe('99.95%');
    expect(formatAvailability(100)).toBe('100%');
    expect(formatErrorRate(0.00001)).toBe('0.001%');
    expect(formatErrorRate(0.1)).toBe('0.1%');
    expect(formatErrorRate(0)).toBe('0%');
  });

  it('formats milliseconds and burn rates', () => {
    expect(formatMs(143.5)).toBe('144 ms');
    expect(formatMs(12_500)).toBe('12,500 ms');
    expect(formatBurnRate(2.345)).toBe('2.35×');
    expect(formatBurnRate(null)).toBe('n/a');
  });
});

describe('observedRows', () => {
  it('compares each observation with its target, inclusively', () => {
    const rows = observedRows(
      observedFacts({
        availabilityPercent: 99.9,
        latencyP95Ms: 200,
        errorRatePercent: 0.2,
      }),
    );
    expect(rows.map(row => [row.id, row.status])).toEqual([
      ['availability', 'met'],
      ['latency', 'met'],
      ['error-rate', 'missed'],
    ]);
  });

  it('is unknown where nothing was measured', () => {
    const rows = observedRows(
      observedFacts({
        availabilityPercent: undefined,
        latencyP95Ms: undefined,
        latencyP99Ms: undefined,
        errorRatePercent: undefined,
      }),
    );
    expect(rows.map(row => [row.observed, row.status])).toEqual([
      ['Not measured', 'unknown'],
      ['Not measured', 'unknown'],
      ['Not measured', 'unknown'],
    ]);
  });
});

describe('sparklineGeometry', () => {
  const size = { width: 100, height: 50, padding: 0 };

  it('runs from the oldest day on the left to the newest on the right, 100% at the top', () => {
    const geometry = sparklineGeometry(
      [
        { date: '2026-11-01', availabilityPercent: 100 },
        { date: '2026-11-02', availabilityPercent: 99 },
        { date: '2026-11-03', availabilityPercent: 99.9 },
      ],
      99.9,
      size,
    );
    // 99 is the lowest; 10% more below it.
    expect(geometry.domain).toEqual([98.9, 100]);
    expect(geometry.points.map(point => [point.x, point.y])).toEqual([
      [0, 0],
      [50, 45.45],
      [100, 4.55],
    ]);
    expect(geometry.targetY).toBe(4.55);
    expect(geometry.segments).toEqual(['M0 0 L50 45.45 L100 4.55']);
    expect(geometry.points.map(point => point.belowTarget)).toEqual([
      false,
      true,
      false,
    ]);
  });

  it('breaks the line at days without traffic', () => {
    const geometry = sparklineGeometry(
      dailyAvailability({ '2026-11-05': null, '2026-11-25': null }),
      99.9,
      size,
    );
    expect(geometry.points).toHaveLength(26);
    expect(geometry.segments).toHaveLength(2);
    expect(geometry.gapDays).toEqual(['2026-11-05', '2026-11-25']);
  });

  it('draws only the target when no day had traffic', () => {
    const geometry = sparklineGeometry(
      [{ date: '2026-11-01', availabilityPercent: null }],
      99.9,
      size,
    );
    expect(geometry.points).toEqual([]);
    expect(geometry.segments).toEqual([]);
    expect(geometry.targetY).toBeGreaterThan(0);
  });
});
