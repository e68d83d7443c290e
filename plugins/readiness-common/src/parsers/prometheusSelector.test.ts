import {
  parsePrometheusEndpointName,
  parsePrometheusSelector,
} from './prometheusSelector';

const annotation = 'prodready.dev/prometheus-selector';

describe('parsePrometheusSelector', () => {
  it.each([
    ['job="payments-api"', 'job="payments-api"'],
    ['{job="payments-api"}', 'job="payments-api"'],
    [
      ' { job = "payments-api" , namespace=~"pay.*", }',
      'job="payments-api",namespace=~"pay.*"',
    ],
    ['job=\'a\',env!="dev"', 'job="a",env!="dev"'],
    ['job=`a\\b`', 'job="a\\\\b"'],
    ['job="say \\"hi\\""', 'job="say \\"hi\\""'],
    ['job!~"canary|test",service="x"', 'job!~"canary|test",service="x"'],
  ])('parses %s into %s', (input, text) => {
    const result = parsePrometheusSelector(input, { annotation });
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({ text }),
    });
  });

  it('keeps each matcher', () => {
    expect(parsePrometheusSelector('a="1",b=~"x.+"')).toEqual({
      ok: true,
      value: {
        matchers: [
          { label: 'a', operator: '=', value: '1' },
          { label: 'b', operator: '=~', value: 'x.+' },
        ],
        text: 'a="1",b=~"x.+"',
      },
    });
  });

  it.each([
    ['', 'has no label matcher'],
    ['{}', 'has no label matcher'],
    ['{job="a"', 'has an unbalanced brace'],
    [
      'job',
      "has no operator after 'job' (=, !=, =~ or !~ expected) at character 4",
    ],
    ['job=a', "has an unquoted value for 'job' at character 5"],
    ['job="a', "has an unterminated value for 'job' at character 7"],
    ['job="a" env="b"', "has 'e' where a comma was expected at character 9"],
    ['1job="a"', "has no label name ('1' cannot start one) at character 1"],
    ['job=~"(unclosed"', "has an invalid regular expression for 'job'"],
    ['job="a\\q"', "has an unknown escape '\\q' at character 7"],
    ['job=""', 'has only matchers that match the empty label'],
    ['job=~".*"', 'has only matchers that match the empty label'],
    ['rate(http_requests_total[5m])', "has no operator after 'rate'"],
  ])('refuses %j: %s', (input, problem) => {
    const result = parsePrometheusSelector(input, { annotation });
    expect(result.ok).toBe(false);
    const error = result.ok ? '' : result.error;
    expect(error).toContain(`${annotation}: '${input}' ${problem}`);
    expect(error).toContain('; expected comma-separated label matchers');
  });

  it('refuses what is not a string, and very long values', () => {
    expect(parsePrometheusSelector(42).ok).toBe(false);
    expect(parsePrometheusSelector(`job="${'x'.repeat(2000)}"`)).toEqual({
      ok: false,
      error: expect.stringContaining('is longer than 1024 characters'),
    });
  });
});

describe('parsePrometheusEndpointName', () => {
  it('accepts names and refuses the rest', () => {
    expect(parsePrometheusEndpointName(' thanos-eu ')).toEqual({
      ok: true,
      value: 'thanos-eu',
    });
    expect(
      parsePrometheusEndpointName('http://prom:9090', {
        annotation: 'prodready.dev/prometheus-endpoint',
      }),
    ).toEqual({
      ok: false,
      error:
        "prodready.dev/prometheus-endpoint: 'http://prom:9090' is not an endpoint name; expected a name of letters, digits, '-' and '_', such as 'thanos-eu'",
    });
  });
});
