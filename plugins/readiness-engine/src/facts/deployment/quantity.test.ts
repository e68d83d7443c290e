import {
  cpuToMillicores,
  memoryToBytes,
  parseCpuQuantity,
  parseMemoryQuantity,
} from './quantity';

describe('parseCpuQuantity', () => {
  it.each([
    ['500m', 500],
    ['1', 1000],
    ['0.25', 250],
    ['.5', 500],
    ['1.', 1000],
    ['2.5', 2500],
    ['0.1', 100],
    ['100m', 100],
    ['1500m', 1500],
    ['0', 0],
    ['-0', 0],
    ['+2', 2000],
    ['1k', 1_000_000],
    ['1e3', 1_000_000],
    ['1E-3', 1],
    ['250000u', 250],
    ['250000000n', 250],
    [' 300m ', 300],
  ])('%j is %d millicores', (raw, millis) => {
    expect(parseCpuQuantity(raw)).toEqual({ ok: true, raw, value: millis });
  });

  it('accepts YAML numbers', () => {
    expect(cpuToMillicores(1)).toBe(1000);
    expect(cpuToMillicores(0.25)).toBe(250);
    expect(cpuToMillicores(2)).toBe(2000);
    expect(parseCpuQuantity(0.5)).toEqual({ ok: true, raw: '0.5', value: 500 });
  });

  it('is exact where floating point is not', () => {
    // 0.1 + 0.2 style errors must not leak into the facts.
    expect(cpuToMillicores('0.3')).toBe(300);
    expect(cpuToMillicores('0.007')).toBe(7);
    expect(cpuToMillicores('1.001')).toBe(1001);
    expect(cpuToMillicores(0.3)).toBe(300);
  });

  it('rounds fractions of a millicore up, like Kubernetes MilliValue()', () => {
    expect(cpuToMillicores('0.5m')).toBe(1);
    expect(cpuToMillicores('0.0001')).toBe(1);
    expect(cpuToMillicores('1n')).toBe(1);
  });

  it.each([
    ['', 'empty quantity'],
    ['   ', 'empty quantity'],
    ['abc', 'not a Kubernetes quantity'],
    ['500 m', 'not a Kubernetes quantity'],
    ['500mi', 'not a Kubernetes quantity'],
    ['1.2.3', 'not a Kubernetes quantity'],
    ['m', 'not a Kubernetes quantity'],
    ['0x10', 'not a Kubernetes quantity'],
    ['1e', 'not a Kubernetes quantity'],
    ['1e1.5', 'not a Kubernetes quantity'],
    ['-1', 'negative'],
    ['-250m', 'negative'],
    ['1e99', 'out of range'],
    ['1E', 'too large'],
    ['9999999999999999999', 'too large'],
    [`1${'0'.repeat(70)}`, 'too long'],
  ])('rejects %j (%s)', (raw, message) => {
    const result = parseCpuQuantity(raw);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.error).toContain(message);
    expect(cpuToMillicores(raw)).toBeNull();
  });

  it.each([
    [null, 'null'],
    [undefined, 'undefined'],
    [true, 'boolean'],
    [{ cpu: 1 }, 'object'],
    [['1'], 'object'],
  ])('rejects the non-quantity %j', (value, type) => {
    const result = parseCpuQuantity(value);
    expect(result).toMatchObject({ ok: false });
    expect(result.ok ? '' : result.error).toContain(type);
  });

  it('rejects NaN and Infinity', () => {
    expect(cpuToMillicores(NaN)).toBeNull();
    expect(cpuToMillicores(Infinity)).toBeNull();
    expect(cpuToMillicores(-1)).toBeNull();
  });
});

describe('parseMemoryQuantity', () => {
  it.each([
    ['512Mi', 536_870_912],
    ['1Gi', 1_073_741_824],
    ['1.5Gi', 1_610_612_736],
    ['768Mi', 805_306_368],
    ['64Ki', 65_536],
    ['2Ti', 2_199_023_255_552],
    ['1Pi', 1_125_899_906_842_624],
    ['1G', 1_000_000_000],
    ['1M', 1_000_000],
    ['128k', 128_000],
    ['1000000', 1_000_000],
    ['1e6', 1_000_000],
    ['1E6', 1_000_000],
    ['2.5G', 2_500_000_000],
    ['0.5Ki', 512],
    ['0', 0],
  ])('%j is %d bytes', (raw, bytes) => {
    expect(parseMemoryQuantity(raw)).toEqual({ ok: true, raw, value: bytes });
  });

  it('accepts YAML numbers', () => {
    expect(memoryToBytes(1000000)).toBe(1_000_000);
    expect(memoryToBytes(134217728)).toBe(134_217_728);
  });

  it('rounds fractions of a byte up, like Kubernetes Value()', () => {
    // The classic mistake: 1500m of memory is 1.5 bytes.
    expect(memoryToBytes('1500m')).toBe(2);
    expect(memoryToBytes('0.1')).toBe(1);
  });

  it.each([
    ['512MB', 'not a Kubernetes quantity'],
    ['1gi', 'not a Kubernetes quantity'],
    ['1 Gi', 'not a Kubernetes quantity'],
    ['Gi', 'not a Kubernetes quantity'],
    ['1GiB', 'not a Kubernetes quantity'],
    ['-512Mi', 'negative'],
    ['1Ei', 'too large'],
    ['16Pi', 'too large'],
  ])('rejects %j (%s)', (raw, message) => {
    const result = parseMemoryQuantity(raw);
    expect(result.ok ? '' : result.error).toContain(message);
    expect(memoryToBytes(raw)).toBeNull();
  });

  it('accepts the largest exact value and rejects one more', () => {
    expect(memoryToBytes(String(Number.MAX_SAFE_INTEGER))).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(memoryToBytes('9007199254740992')).toBeNull();
  });
});
