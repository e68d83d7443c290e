import {
  compileAccessor,
  formatFactLabel,
  parseFactReference,
  parsePath,
} from './paths';

describe('parsePath', () => {
  it.each<[string, Array<string | number>]>([
    ['$', []],
    ['$.a', ['a']],
    ['$.a.b', ['a', 'b']],
    ['$.a.b[0].c', ['a', 'b', 0, 'c']],
    ['$[2]', [2]],
    ["$['prodready.dev/tier']", ['prodready.dev/tier']],
    ['$["a b"].c', ['a b', 'c']],
    ["$['it\\'s']", ["it's"]],
    ['$.a.0', ['a', 0]],
    ["$['7']", [7]],
    ['$.max-replicas', ['max-replicas']],
    ['a.b', ['a', 'b']],
    ['.a', ['a']],
    ['[0].a', [0, 'a']],
    ['  $.a  ', ['a']],
  ])('parses %s', (text, segments) => {
    expect(parsePath(text)).toEqual({ ok: true, segments });
  });

  it.each<[string, string]>([
    ['', 'it is empty'],
    ['$..a', "recursive descent ('..') is not supported"],
    ['$.*', "wildcards ('*') are not supported"],
    ['$[*]', "wildcards ('*') are not supported"],
    ['$[?(@.a)]', "filters and scripts ('[?(...)]') are not supported"],
    ['$[(@.length-1)]', "filters and scripts ('[?(...)]') are not supported"],
    ['$[0:1]', "slices ('[start:end]') are not supported"],
    ['$[:1]', "slices ('[start:end]') are not supported"],
    ['$[0,1]', 'unions are not supported'],
    ["$['a','b']", 'unions are not supported'],
    ['$[-1]', 'negative indexes are not supported'],
    ['$[', "unterminated '[' at character 2"],
    ['$[1', "unterminated '[' at character 2"],
    ['$[1x]', "']' is expected at character 4"],
    ["$['a'x", "']' is expected at character 6"],
    ['$.', "a name is expected after '.' at character 2"],
    ['$.a b', "unexpected ' ' at character 4"],
    ['$a', "unexpected 'a' at character 2"],
    ['$.a/b', "unexpected '/' at character 4"],
    ['$[99999999999999999999]', 'index 99999999999999999999 is too large'],
  ])('rejects %j: %s', (text, error) => {
    expect(parsePath(text)).toEqual({ ok: false, error });
  });
});

describe('parseFactReference', () => {
  it('splits the document from the path at the first name', () => {
    expect(parseFactReference('deployment.hpa.maxReplicas')).toEqual({
      ok: true,
      document: 'deployment',
      segments: ['hpa', 'maxReplicas'],
    });
    expect(parseFactReference("catalog.metadata['a.b']")).toEqual({
      ok: true,
      document: 'catalog',
      segments: ['metadata', 'a.b'],
    });
    expect(parseFactReference('sla')).toEqual({
      ok: true,
      document: 'sla',
      segments: [],
    });
  });

  it('splits at the longest known document', () => {
    const known = new Set(['tech', 'tech.insights', 'odd name!']);
    expect(parseFactReference('tech.insights.hasOwner', known)).toEqual({
      ok: true,
      document: 'tech.insights',
      segments: ['hasOwner'],
    });
    expect(parseFactReference('tech.other', known)).toEqual({
      ok: true,
      document: 'tech',
      segments: ['other'],
    });
    expect(parseFactReference('odd name!', known)).toEqual({
      ok: true,
      document: 'odd name!',
      segments: [],
    });
    expect(parseFactReference('unknown.x', known)).toEqual({
      ok: false,
      error: 'unknown-document',
    });
  });

  it('requires a leading name', () => {
    expect(parseFactReference('[0]')).toEqual({
      ok: false,
      error: 'it must start with a fact name',
    });
    expect(parseFactReference('$.a')).toEqual({
      ok: false,
      error: "unexpected '$' at character 1",
    });
  });
});

describe('formatFactLabel', () => {
  it('uses dots, indexes and quoted keys', () => {
    expect(
      formatFactLabel('deployment', [
        'containers',
        0,
        'app/name',
        "it's",
        'x-y',
      ]),
    ).toBe("deployment.containers[0]['app/name']['it\\'s'].x-y");
  });
});

describe('compileAccessor', () => {
  const document = {
    a: { b: [{ c: 1 }, { c: null }], 'x.y': 'dotted', 0: 'zero' },
    list: [10, 20, 30],
    text: 'hello',
  };

  it.each<[Array<string | number>, unknown]>([
    [[], document],
    [['a', 'b', 0, 'c'], 1],
    [['a', 'b', 1, 'c'], null],
    [['a', 'b', 2, 'c'], undefined],
    [['a', 'x.y'], 'dotted'],
    [['a', 0], 'zero'],
    [['list', 2], 30],
    [['list', 'length'], 3],
    [['text', 'length'], 5],
    [['text', 0], undefined],
    [['list', 'map'], undefined],
    [['a', 'hasOwnProperty'], undefined],
    [['a', '__proto__'], undefined],
    [['missing', 'deeper', 'still'], undefined],
    [['a', 'b', 0, 'c', 'd', 'e'], undefined],
  ])('reads %j', (segments, expected) => {
    expect(compileAccessor(segments)(document)).toBe(expected);
  });

  it('returns undefined on scalars and null', () => {
    for (const value of [null, undefined, 1, 'x', true]) {
      expect(compileAccessor(['a'])(value)).toBeUndefined();
      expect(compileAccessor([0])(value)).toBeUndefined();
    }
  });
});
