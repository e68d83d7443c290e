import {
  formatDuration,
  parseDuration,
  parseEntityRef,
  parseHttpUrl,
  parseIsoDate,
  parsePercentage,
  parsePositiveNumber,
  parseRelativePathOrUrl,
  parseTier,
  isReadinessTier,
  READINESS_TIERS,
} from '.';

/** Built up so that linters do not take it for a script URL to run. */
const SCRIPT_URL = ['javascript', 'alert(1)'].join(':');
const H = 3_600_000;
const D = 24 * H;

const DURATION_FORM =
  "a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const DURATION_FORM_ZERO =
  "a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";

describe('parseDuration', () => {
  it.each([
    ['200ms', 200],
    ['1s', 1_000],
    ['30m', 30 * 60_000],
    ['4h', 4 * H],
    ['30d', 30 * D],
    ['2w', 14 * D],
    ['1.5h', 1.5 * H],
    ['0.5s', 500],
    ['1h30m', 1.5 * H],
    ['1h 30m', 1.5 * H],
    ['1d 2h 3m 4s 5ms', D + 2 * H + 3 * 60_000 + 4_000 + 5],
    ['200 ms', 200],
    ['  15m  ', 15 * 60_000],
    ['PT4H', 4 * H],
    ['P30D', 30 * D],
    ['PT15M', 15 * 60_000],
    ['PT0.5S', 500],
    ['PT1,5H', 1.5 * H],
    ['P1W', 7 * D],
    ['P1DT12H', 36 * H],
    ['pt4h', 4 * H],
    ['P0Y30D', 30 * D],
  ])('parses %j as %d ms', (input, expected) => {
    expect(parseDuration(input)).toEqual({ ok: true, value: expected });
  });

  it('names the annotation, the value and the expected form', () => {
    expect(
      parseDuration('4 hours', { annotation: 'prodready.dev/rto' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/rto: '4 hours' is not a duration; expected ${DURATION_FORM}`,
    });
    expect(
      parseDuration('4 hours', {
        annotation: 'prodready.dev/rpo',
        allowZero: true,
      }),
    ).toEqual({
      ok: false,
      error:
        "prodready.dev/rpo: '4 hours' is not a duration; expected a number followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
    });
  });

  it.each([
    ['4 hours'],
    [''],
    ['   '],
    ['4'],
    ['h'],
    ['-5m'],
    ['+5m'],
    ['5M'],
    ['5mins'],
    ['1y'],
    ['1e3ms'],
    ['.5h'],
    ['5m,'],
    ['4h30'],
    ['P'],
    ['PT'],
    ['P1DT'],
    ['P-1D'],
    ['PT4H30'],
    ['P4H'],
  ])('rejects %j', input => {
    expect(parseDuration(input, { annotation: 'prodready.dev/rto' })).toEqual({
      ok: false,
      error: `prodready.dev/rto: '${input}' is not a duration; expected ${DURATION_FORM}`,
    });
  });

  it('rejects values that are not strings without throwing', () => {
    expect(parseDuration(42)).toEqual({
      ok: false,
      error: `42 is not a duration; expected ${DURATION_FORM}`,
    });
    expect(parseDuration(undefined)).toEqual({
      ok: false,
      error: `undefined is not a duration; expected ${DURATION_FORM}`,
    });
    expect(parseDuration({ hours: 4 })).toEqual({
      ok: false,
      error: `{"hours":4} is not a duration; expected ${DURATION_FORM}`,
    });
  });

  it('rejects zero unless allowed', () => {
    expect(
      parseDuration('0s', { annotation: 'prodready.dev/latency-p95' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/latency-p95: '0s' is zero; expected ${DURATION_FORM}`,
    });
    expect(parseDuration('PT0S')).toEqual({
      ok: false,
      error: `'PT0S' is zero; expected ${DURATION_FORM}`,
    });
    expect(parseDuration('0m', { allowZero: true })).toEqual({
      ok: true,
      value: 0,
    });
  });

  it('rejects years and months, which have no fixed length', () => {
    expect(
      parseDuration('P1Y', { annotation: 'prodready.dev/backup-retention' }),
    ).toEqual({
      ok: false,
      error:
        "prodready.dev/backup-retention: 'P1Y' uses years or months, which have no fixed length; use days or weeks instead; expected a duration such as 'P365D'",
    });
    expect(parseDuration('P1M')).toEqual({
      ok: false,
      error:
        "'P1M' uses years or months, which have no fixed length; use days or weeks instead; expected a duration such as 'P365D'",
    });
  });

  it('rejects durations too large to be exact', () => {
    expect(parseDuration('99999999999999999999w')).toEqual({
      ok: false,
      error: `'99999999999999999999w' is too large; expected ${DURATION_FORM}`,
    });
  });

  it('truncates very long values in messages', () => {
    const long = 'x'.repeat(200);
    const result = parseDuration(long);
    expect(result).toEqual({
      ok: false,
      error: `'${'x'.repeat(
        80,
      )}…' is not a duration; expected ${DURATION_FORM}`,
    });
  });

  it('uses the zero-allowing form in messages when zero is allowed', () => {
    expect(parseDuration('soon', { allowZero: true })).toEqual({
      ok: false,
      error: `'soon' is not a duration; expected ${DURATION_FORM_ZERO}`,
    });
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [0.25, '0.25ms'],
    [200, '200ms'],
    [1_000, '1s'],
    [1_500, '1s 500ms'],
    [15 * 60_000, '15m'],
    [4 * H, '4h'],
    [1.5 * H, '1h 30m'],
    [30 * D, '30d'],
    [D + H + 60_000 + 1_000, '1d 1h 1m 1s'],
    [-4 * H, '-4h'],
    [Infinity, 'Infinity'],
    [NaN, 'NaN'],
  ])('formats %d as %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [200, 1_500, 90 * 60_000, 36 * H, 180 * D, D + 1]) {
      expect(parseDuration(formatDuration(ms))).toEqual({
        ok: true,
        value: ms,
      });
    }
  });
});

describe('parsePercentage', () => {
  const AVAILABILITY_FORM =
    "a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'";
  const BUDGET_FORM =
    "a number from 0 to 100, optionally followed by '%', such as '0.1%'";

  it.each([
    ['99.9', 99.9],
    ['99.95%', 99.95],
    ['100', 100],
    ['100%', 100],
    ['0.001', 0.001],
    [' 99.9 % ', 99.9],
    ['99', 99],
  ])('parses %j as %d', (input, expected) => {
    expect(parsePercentage(input)).toEqual({ ok: true, value: expected });
  });

  it('accepts 0 only when allowed', () => {
    expect(parsePercentage('0%', { allowZero: true })).toEqual({
      ok: true,
      value: 0,
    });
    expect(parsePercentage('0.1%', { allowZero: true })).toEqual({
      ok: true,
      value: 0.1,
    });
    expect(
      parsePercentage('0', { annotation: 'prodready.dev/availability' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/availability: '0' is out of range; expected ${AVAILABILITY_FORM}`,
    });
  });

  it.each([['100.01'], ['150%'], ['0.0']])(
    'rejects %j as out of range',
    input => {
      expect(
        parsePercentage(input, { annotation: 'prodready.dev/availability' }),
      ).toEqual({
        ok: false,
        error: `prodready.dev/availability: '${input}' is out of range; expected ${AVAILABILITY_FORM}`,
      });
    },
  );

  it.each([
    ['high'],
    [''],
    ['-1'],
    ['99.9%%'],
    ['%99'],
    ['1e2'],
    ['99,9'],
    ['.5'],
  ])('rejects %j as not a percentage', input => {
    expect(
      parsePercentage(input, {
        annotation: 'prodready.dev/error-rate',
        allowZero: true,
      }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/error-rate: '${input}' is not a percentage; expected ${BUDGET_FORM}`,
    });
  });

  it('rejects error budgets above 100', () => {
    expect(
      parsePercentage('101%', {
        annotation: 'prodready.dev/error-rate',
        allowZero: true,
      }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/error-rate: '101%' is out of range; expected ${BUDGET_FORM}`,
    });
  });

  it('rejects numbers that are not strings', () => {
    expect(parsePercentage(99.9)).toEqual({
      ok: false,
      error: `99.9 is not a percentage; expected ${AVAILABILITY_FORM}`,
    });
  });
});

describe('parseIsoDate', () => {
  const now = new Date('2025-06-15T12:00:00Z');
  const FORM = "a date in the form YYYY-MM-DD, such as '2024-05-01'";

  it('parses calendar dates', () => {
    expect(parseIsoDate('2024-05-01', { now })).toEqual({
      ok: true,
      value: { iso: '2024-05-01', epochMs: Date.UTC(2024, 4, 1) },
    });
    expect(parseIsoDate('2024-02-29', { now })).toEqual({
      ok: true,
      value: { iso: '2024-02-29', epochMs: Date.UTC(2024, 1, 29) },
    });
    expect(parseIsoDate('2000-02-29', { now })).toMatchObject({ ok: true });
    expect(parseIsoDate(' 2025-06-15 ', { now })).toMatchObject({
      ok: true,
      value: { iso: '2025-06-15' },
    });
  });

  it('accepts today but not tomorrow', () => {
    expect(parseIsoDate('2025-06-15', { now })).toMatchObject({ ok: true });
    expect(
      parseIsoDate('2025-06-16', {
        now,
        annotation: 'prodready.dev/dr-last-tested',
      }),
    ).toEqual({
      ok: false,
      error:
        "prodready.dev/dr-last-tested: '2025-06-16' is in the future; expected a date in the form YYYY-MM-DD that is not after today (2025-06-15)",
    });
    expect(
      parseIsoDate('2025-06-16', { now, allowFuture: true }),
    ).toMatchObject({ ok: true });
  });

  it('defaults now to the current time', () => {
    expect(parseIsoDate('2000-01-01')).toMatchObject({ ok: true });
    expect(parseIsoDate('2999-01-01')).toMatchObject({ ok: false });
  });

  it('falls back to the current time when now is invalid', () => {
    expect(parseIsoDate('2000-01-01', { now: new Date(NaN) })).toMatchObject({
      ok: true,
    });
  });

  it.each([
    ['2023-02-29'],
    ['1900-02-29'],
    ['2024-04-31'],
    ['2024-13-01'],
    ['2024-00-10'],
    ['2024-01-00'],
    ['2024-01-32'],
  ])('rejects %j as not a calendar date', input => {
    expect(
      parseIsoDate(input, { now, annotation: 'prodready.dev/dr-last-tested' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/dr-last-tested: '${input}' is not a calendar date; expected ${FORM}`,
    });
  });

  it.each([
    ['2024-5-1'],
    ['01/05/2024'],
    ['2024-05-01T00:00:00Z'],
    ['yesterday'],
    [''],
    ['20240501'],
  ])('rejects %j as not a date', input => {
    expect(
      parseIsoDate(input, { now, annotation: 'prodready.dev/dr-last-tested' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/dr-last-tested: '${input}' is not a date; expected ${FORM}`,
    });
  });
});

describe('parseTier', () => {
  const FORM =
    "one of 'tier-1', 'tier-2', 'tier-3', 'tier-4' (tier-1 is the most critical)";

  it.each(READINESS_TIERS.map(tier => [tier]))('parses %j', tier => {
    expect(parseTier(tier)).toEqual({ ok: true, value: tier });
  });

  it('trims surrounding whitespace', () => {
    expect(parseTier(' tier-2 ')).toEqual({ ok: true, value: 'tier-2' });
  });

  it.each([
    ['gold'],
    ['tier-0'],
    ['tier-5'],
    ['Tier-1'],
    ['1'],
    ['tier1'],
    [''],
  ])('rejects %j', input => {
    expect(parseTier(input, { annotation: 'prodready.dev/tier' })).toEqual({
      ok: false,
      error: `prodready.dev/tier: '${input}' is not a tier; expected ${FORM}`,
    });
  });

  it('narrows with isReadinessTier', () => {
    expect(isReadinessTier('tier-4')).toBe(true);
    expect(isReadinessTier('tier-9')).toBe(false);
    expect(isReadinessTier(1)).toBe(false);
  });
});

describe('parsePositiveNumber', () => {
  const FORM = "a number greater than 0, such as '1200'";

  it.each([
    ['1200', 1200],
    ['0.5', 0.5],
    [' 42 ', 42],
    ['007', 7],
  ])('parses %j as %d', (input, expected) => {
    expect(parsePositiveNumber(input)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['0'],
    ['0.0'],
    ['-5'],
    ['+5'],
    ['1e3'],
    ['1,200'],
    ['1_200'],
    ['12k'],
    [''],
    ['Infinity'],
    ['NaN'],
  ])('rejects %j', input => {
    expect(
      parsePositiveNumber(input, { annotation: 'prodready.dev/peak-rps' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/peak-rps: '${input}' is not a positive number; expected ${FORM}`,
    });
  });

  it('rejects numbers that are not strings', () => {
    expect(parsePositiveNumber(1200)).toEqual({
      ok: false,
      error: `1200 is not a positive number; expected ${FORM}`,
    });
  });
});

describe('parseHttpUrl', () => {
  const FORM =
    "an absolute URL starting with http:// or https://, such as 'https://runbooks.example.com/payments'";

  it.each([
    ['https://runbooks.example.com/payments'],
    ['http://wiki.internal:8080/dr?service=payments#plan'],
    ['HTTPS://EXAMPLE.COM'],
  ])('accepts %j as written', input => {
    expect(parseHttpUrl(input)).toEqual({ ok: true, value: input });
  });

  it('trims surrounding whitespace', () => {
    expect(parseHttpUrl(' https://example.com/a ')).toEqual({
      ok: true,
      value: 'https://example.com/a',
    });
  });

  it.each([
    [SCRIPT_URL],
    ['file:///etc/passwd'],
    ['ftp://example.com/file'],
    ['mailto:ops@example.com'],
    ['//example.com/runbook'],
    ['/runbooks/payments'],
    ['example.com/runbook'],
    ['https://'],
    ['https://exa mple.com'],
    ['https://example.com/a b'],
    [''],
  ])('rejects %j', input => {
    expect(
      parseHttpUrl(input, { annotation: 'prodready.dev/runbook-url' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/runbook-url: '${input}' is not an http(s) URL; expected ${FORM}`,
    });
  });

  it('rejects very long URLs', () => {
    const long = `https://example.com/${'a'.repeat(2048)}`;
    expect(parseHttpUrl(long)).toEqual({
      ok: false,
      error: `'${long.slice(
        0,
        80,
      )}…' is too long (more than 2048 characters); expected ${FORM}`,
    });
  });

  it('rejects credentials in the URL', () => {
    expect(
      parseHttpUrl('https://user:secret@example.com/dr', {
        annotation: 'prodready.dev/dr-plan-url',
      }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/dr-plan-url: 'https://user:secret@example.com/dr' contains credentials; expected ${FORM}`,
    });
  });
});

describe('parseRelativePathOrUrl', () => {
  const FORM =
    "a path relative to the catalog-info.yaml file, such as './deploy/kubernetes', or an absolute http(s) URL";

  it.each([
    ['./deploy/kubernetes'],
    ['deploy/k8s/'],
    ['../shared/deploy'],
    ['k8s'],
    ['https://github.com/acme/payments/tree/main/deploy'],
  ])('accepts %j', input => {
    expect(parseRelativePathOrUrl(input)).toEqual({ ok: true, value: input });
  });

  it.each([
    ['/etc/k8s'],
    ['~/k8s'],
    ['C:\\k8s'],
    ['c:/k8s'],
    ['deploy\\k8s'],
    ['file:///srv/k8s'],
    [SCRIPT_URL],
    ['deploy/\u0000k8s'],
    ['deploy/\nk8s'],
    ['deploy/my k8s'],
    [''],
  ])('rejects %j', input => {
    expect(
      parseRelativePathOrUrl(input, {
        annotation: 'prodready.dev/deployment-path',
      }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/deployment-path: '${input}' is not a relative path or http(s) URL; expected ${FORM}`,
    });
  });
});

describe('parseRelativePathOrUrl limits', () => {
  it('rejects very long paths', () => {
    const result = parseRelativePathOrUrl('a/'.repeat(1025));
    expect(result).toMatchObject({ ok: false });
    expect(!result.ok && result.error).toContain(
      'is too long (more than 2048 characters)',
    );
  });

  it('rejects URLs that are not valid http(s) URLs', () => {
    expect(parseRelativePathOrUrl('https://')).toMatchObject({ ok: false });
  });
});

describe('parseEntityRef', () => {
  const FORM =
    "an entity ref of the form [<kind>:][<namespace>/]<name>, such as 'sla-gold' or 'resource:default/sla-gold'";

  it.each([
    ['sla-gold', 'resource:default/sla-gold'],
    ['shared/sla-gold', 'resource:shared/sla-gold'],
    ['resource:default/sla-gold', 'resource:default/sla-gold'],
    ['Resource:Default/SLA-Gold', 'resource:default/sla-gold'],
    ['component:payments', 'component:default/payments'],
    [' dr-plan.payments_v2 ', 'resource:default/dr-plan.payments_v2'],
  ])('parses %j as %j', (input, expected) => {
    expect(parseEntityRef(input)).toEqual({ ok: true, value: expected });
  });

  it('uses the given defaults', () => {
    expect(
      parseEntityRef('payments', {
        defaultKind: 'component',
        defaultNamespace: 'shop',
      }),
    ).toEqual({
      ok: true,
      value: 'component:shop/payments',
    });
  });

  it.each([
    ['sla gold'],
    [''],
    ['resource:'],
    [':default/sla-gold'],
    ['resource:/sla-gold'],
    ['resource:default/'],
    ['sla-gold-'],
    ['re$ource:sla-gold'],
    ['resource:my_namespace/sla-gold'],
    [`resource:default/${'a'.repeat(64)}`],
  ])('rejects %j', input => {
    const shown = input.length > 80 ? `${input.slice(0, 80)}…` : input;
    expect(
      parseEntityRef(input, { annotation: 'prodready.dev/sla-ref' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/sla-ref: '${shown}' is not an entity ref; expected ${FORM}`,
    });
  });

  it('rejects values that are not strings', () => {
    expect(
      parseEntityRef(null, { annotation: 'prodready.dev/dr-plan-ref' }),
    ).toEqual({
      ok: false,
      error: `prodready.dev/dr-plan-ref: null is not an entity ref; expected ${FORM}`,
    });
  });
});
