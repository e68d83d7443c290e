import {
  didYouMean,
  formatList,
  formatTypedValue,
  formatValue,
  joinNames,
} from './format';

describe('formatValue', () => {
  it.each<[unknown, string]>([
    ['x', "'x'"],
    [undefined, 'missing'],
    [null, 'null'],
    [5, '5'],
    [true, 'true'],
    [[1, 'a'], '[1,"a"]'],
    [{ a: 1 }, '{"a":1}'],
    ['y'.repeat(100), `'${'y'.repeat(80)}…'`],
    [{ long: 'z'.repeat(100) }, `{"long":"${'z'.repeat(71)}…`],
    [() => 1, 'a function'],
    [Symbol('s'), 'a symbol'],
    [BigInt(7), '7'],
  ])('formats %p', (value, text) => {
    expect(formatValue(value)).toBe(text);
  });

  it('survives cycles', () => {
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(formatValue(cyclic)).toBe('an object');
  });
});

describe('formatTypedValue', () => {
  it('adds the type', () => {
    expect(formatTypedValue('6')).toBe("'6' (a string)");
    expect(formatTypedValue([1])).toBe('[1] (a list)');
    expect(formatTypedValue({})).toBe('{} (an object)');
    expect(formatTypedValue(null)).toBe('null');
    expect(formatTypedValue(undefined)).toBe('missing');
  });
});

describe('formatList and joinNames', () => {
  it('formats lists of at most ten items', () => {
    expect(formatList(['a', 1])).toBe("'a', 1");
    expect(formatList(Array.from({ length: 12 }, (_, i) => i))).toBe(
      '0, 1, 2, 3, 4, 5, 6, 7, 8, 9 and 2 more',
    );
  });

  it('joins names', () => {
    expect(joinNames([])).toBe('');
    expect(joinNames(['a'])).toBe('a');
    expect(joinNames(['a', 'b'])).toBe('a and b');
    expect(joinNames(['a', 'b', 'c'])).toBe('a, b and c');
  });
});

describe('didYouMean', () => {
  it('suggests close names only', () => {
    expect(didYouMean('greaterThen', ['greaterThan', 'lessThan'])).toBe(
      " (did you mean 'greaterThan'?)",
    );
    expect(didYouMean('EQUAL', ['equal'])).toBe(" (did you mean 'equal'?)");
    expect(didYouMean('foo', ['equal'])).toBe('');
  });
});
