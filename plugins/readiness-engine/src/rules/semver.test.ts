import { compareSemVer, parseSemVer } from './semver';

function compare(a: string, b: string) {
  const left = parseSemVer(a);
  const right = parseSemVer(b);
  if (!left || !right) {
    throw new Error(`not versions: ${a}, ${b}`);
  }
  return compareSemVer(left, right);
}

describe('parseSemVer', () => {
  it.each([
    ['1.2.3', { major: 1, minor: 2, patch: 3, prerelease: [] }],
    ['v1.2.3', { major: 1, minor: 2, patch: 3, prerelease: [] }],
    [' V10.0.1 ', { major: 10, minor: 0, patch: 1, prerelease: [] }],
    ['1.2', { major: 1, minor: 2, patch: 0, prerelease: [] }],
    ['20', { major: 20, minor: 0, patch: 0, prerelease: [] }],
    ['1.0.0-rc.1', { major: 1, minor: 0, patch: 0, prerelease: ['rc', 1] }],
    [
      '1.0.0-alpha-beta.x.7+build.5',
      { major: 1, minor: 0, patch: 0, prerelease: ['alpha-beta', 'x', 7] },
    ],
    ['1.0.0+sha.abc', { major: 1, minor: 0, patch: 0, prerelease: [] }],
  ])('parses %s', (text, version) => {
    expect(parseSemVer(text)).toEqual(version);
  });

  it('parses numbers', () => {
    expect(parseSemVer(1.5)).toEqual({
      major: 1,
      minor: 5,
      patch: 0,
      prerelease: [],
    });
  });

  it.each([
    '',
    'x',
    '1.x',
    '1.2.3.4',
    '1.2.3-',
    '1.2.3-a..b',
    '1.2.3+',
    'v',
    '99999999999999999999.0.0',
    'latest',
  ])('rejects %j', text => {
    expect(parseSemVer(text)).toBeUndefined();
  });

  it('rejects other types', () => {
    for (const value of [null, undefined, -1, NaN, {}, [], true]) {
      expect(parseSemVer(value)).toBeUndefined();
    }
  });
});

describe('compareSemVer', () => {
  it('orders by semver precedence', () => {
    const ordered = [
      '1.0.0-alpha',
      '1.0.0-alpha.1',
      '1.0.0-alpha.beta',
      '1.0.0-beta',
      '1.0.0-beta.2',
      '1.0.0-beta.11',
      '1.0.0-rc.1',
      '1.0.0',
      '1.0.1',
      '1.2.0',
      '1.10.0',
      '2.0.0',
    ];
    for (let i = 0; i < ordered.length; i++) {
      for (let j = 0; j < ordered.length; j++) {
        expect([
          ordered[i],
          ordered[j],
          compare(ordered[i], ordered[j]),
        ]).toEqual([ordered[i], ordered[j], Math.sign(i - j)]);
      }
    }
  });

  it('ignores build metadata and the v prefix', () => {
    expect(compare('v1.2.3+a', '1.2.3+b')).toBe(0);
    expect(compare('1.2', '1.2.0')).toBe(0);
  });
});
