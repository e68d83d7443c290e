import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createLimiter } from '@prodready/plugin-readiness-engine';
import { PrometheusClient, PrometheusQueryError } from './client';

/*
 * The client against a small HTTP server that answers as Prometheus does,
 * and as it does when things go wrong.
 */

type Handler = (
  query: URLSearchParams,
  res: http.ServerResponse,
  path: string,
) => void;

let handler: Handler;
let server: http.Server;
let baseUrl: string;
const seen: Array<{
  path: string;
  query: URLSearchParams;
  headers: http.IncomingHttpHeaders;
}> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      const query = new URLSearchParams(body);
      seen.push({ path: req.url ?? '', query, headers: req.headers });
      handler(query, res, req.url ?? '');
    });
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise(resolve => server.close(resolve)));
beforeEach(() => {
  seen.length = 0;
});

function json(res: http.ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
function vector(...values: string[]) {
  return {
    status: 'success',
    data: {
      resultType: 'vector',
      result: values.map(v => ({ metric: {}, value: [1765000000, v] })),
    },
  };
}
function client(timeoutMs = 2000, concurrency = 4) {
  return new PrometheusClient({
    endpoint: { name: 'main', baseUrl, headers: { 'X-Scope-OrgID': 'shop' } },
    timeoutMs,
    limiter: createLimiter(concurrency),
  });
}
const at = new Date('2026-12-06T10:00:00Z');

describe('PrometheusClient.query', () => {
  it('posts the query, the time, a timeout and the headers, and reads the one value', async () => {
    handler = (_q, res) => json(res, 200, vector('0.0005'));
    const c = client(10_000);
    await expect(c.query('sum(up)', at)).resolves.toBe(0.0005);
    expect(seen[0].path).toBe('/api/v1/query');
    expect(Object.fromEntries(seen[0].query)).toEqual({
      query: 'sum(up)',
      time: `${at.getTime() / 1000}.000`,
      timeout: '10s',
    });
    expect(seen[0].headers['x-scope-orgid']).toBe('shop');
    expect(c.sent).toBe(1);
  });

  it('gives null for an empty vector, NaN and infinities', async () => {
    for (const body of [
      vector(),
      vector('NaN'),
      vector('+Inf'),
      vector('-Inf'),
    ]) {
      handler = (_q, res) => json(res, 200, body);
      await expect(client().query('x', at)).resolves.toBeNull();
    }
  });

  it('reads scalars', async () => {
    handler = (_q, res) =>
      json(res, 200, {
        status: 'success',
        data: { resultType: 'scalar', result: [1765000000, '42'] },
      });
    await expect(client().query('vector(42)', at)).resolves.toBe(42);
  });

  it('refuses a query that does not aggregate to one series', async () => {
    handler = (_q, res) => json(res, 200, vector('1', '2'));
    await expect(client().query('up', at)).rejects.toThrow(
      'Prometheus (main) returned 2 series for up; the query must aggregate to one (sum(...))',
    );
  });

  it('says what Prometheus said about bad PromQL, with its errorType', async () => {
    handler = (_q, res) =>
      json(res, 400, {
        status: 'error',
        errorType: 'bad_data',
        error: '1:5: parse error: unexpected end of input',
      });
    const error = await client()
      .query('sum(', at)
      .catch(e => e);
    expect(error).toBeInstanceOf(PrometheusQueryError);
    expect(error.errorType).toBe('bad_data');
    expect(error.message).toBe(
      'Prometheus (main) answered 400 for sum(: bad_data: 1:5: parse error: unexpected end of input',
    );
  });

  it('says so when the answer is not JSON (a proxy error page)', async () => {
    handler = (_q, res) => {
      res.writeHead(502, { 'Content-Type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
    };
    await expect(client().query('x', at)).rejects.toThrow(
      `Prometheus (main) answered 502 at ${baseUrl}/api/v1/query with something that is not JSON: <html>Bad Gateway</html>`,
    );
  });

  it('times out, and says which setting to change', async () => {
    handler = () => {
      /* never answers */
    };
    await expect(client(200).query('x', at)).rejects.toThrow(
      `Prometheus (main) did not answer within 200 ms (readiness.prometheus.timeout) at ${baseUrl}`,
    );
  });

  it('says when Prometheus is unreachable', async () => {
    // A port that was free a moment ago: nothing listens there.
    const closed = http.createServer();
    await new Promise<void>(resolve => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(resolve => closed.close(resolve));
    const down = new PrometheusClient({
      endpoint: {
        name: 'down',
        baseUrl: `http://127.0.0.1:${port}`,
        headers: {},
      },
      timeoutMs: 2000,
      limiter: createLimiter(1),
    });
    await expect(down.query('x', at)).rejects.toThrow(
      new RegExp(
        `^Prometheus \\(down\\) is unreachable at http://127\\.0\\.0\\.1:${port}: fetch failed: .*ECONNREFUSED`,
      ),
    );
  });

  it('stops when the evaluation cycle is aborted', async () => {
    handler = () => {};
    const controller = new AbortController();
    const pending = client(10_000).query('x', at, controller.signal);
    controller.abort(new Error('cycle timed out'));
    await expect(pending).rejects.toThrow();
  });
});

describe('PrometheusClient.queryRange', () => {
  it('reads one value per step, with null for NaN', async () => {
    handler = (_q, res) =>
      json(res, 200, {
        status: 'success',
        data: {
          resultType: 'matrix',
          result: [
            {
              metric: {},
              values: [
                [1765000000, '0.001'],
                [1765086400, 'NaN'],
              ],
            },
          ],
        },
      });
    await expect(
      client().queryRange('x', new Date(1765000000_000), at, 86400),
    ).resolves.toEqual([
      { time: 1765000000_000, value: 0.001 },
      { time: 1765086400_000, value: null },
    ]);
    expect(seen[0].path).toBe('/api/v1/query_range');
    expect(seen[0].query.get('step')).toBe('86400');
  });
});

describe('createLimiter', () => {
  it('runs at most that many tasks at once, the others in order', async () => {
    const limit = createLimiter(2);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4, 5].map(i =>
        limit(async () => {
          running++;
          most = Math.max(most, running);
          await new Promise(r => setTimeout(r, 5));
          order.push(i);
          running--;
        }),
      ),
    );
    expect(most).toBe(2);
    expect(order).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = createLimiter(1);
    await expect(
      limit(() => Promise.reject(new Error('boom'))),
    ).rejects.toThrow('boom');
    await expect(limit(async () => 'next')).resolves.toBe('next');
  });
});
