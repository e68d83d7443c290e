import { parse } from 'yaml';
import { emitYaml } from './emitYaml';

describe('emitYaml', () => {
  const tricky = {
    yes: 'yes',
    on: 'on',
    no: 'NO',
    nothing: 'null',
    tilde: '~',
    sexagesimal: '1:20',
    hex: '0x1f',
    number: '42',
    float: '1e3',
    quantity: '250m',
    percent: '25%',
    colonSpace: 'a: b',
    hash: 'a #comment',
    leadingSpace: ' x',
    trailingColon: 'key:',
    dash: '-c',
    braces: '{{args.namespace}}',
    quotes: 'say "hi"',
    url: 'http://prometheus-operated.monitoring.svc:9090',
    image: 'registry.example.com/shop/orders:1.0.0',
    empty: '',
    multiline: 'line one\nline two',
    multilineTrailing: 'a\nb\n',
    multilineTrailingMore: 'a\nb\n\n',
    indentedMultiline: '  a\nb',
    emptyMap: {},
    emptyList: [],
    nested: [{ a: 1, b: [true, false, null] }, 'plain', ['x', 'y'], 3.5],
    'cert-manager.io/cluster-issuer': 'letsencrypt',
  };

  it.each(['1.2', '1.1'] as const)(
    'round-trips tricky values in YAML %s',
    version => {
      expect(parse(emitYaml(tricky), { version })).toEqual(tricky);
    },
  );

  it('writes plain values where they are unambiguous', () => {
    expect(emitYaml({ a: 'nginx', b: [1, 'x'], c: { d: 'true' } })).toBe(
      'a: nginx\nb:\n  - 1\n  - x\nc:\n  d: "true"\n',
    );
  });

  it('rejects values YAML cannot hold', () => {
    expect(() => emitYaml({ a: NaN })).toThrow('cannot write NaN as YAML');
  });
});
