import http from 'http';
import { AddressInfo } from 'net';
import type { Entity } from '@backstage/catalog-model';
import { mockServices } from '@backstage/backend-test-utils';
import { createTechInsightsFactCollector } from './collector';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'payments-api', namespace: 'default' },
};

const NOW = Date.parse('2026-12-06T00:00:00.000Z');
const daysAgo = (days: number) =>
  new Date(NOW - days * 24 * 60 * 60 * 1000).toISOString();

/** A stand-in for Tech Insights' `/facts/latest`, on a loopback port. */
async function serve(
  handler: (url: URL, req: http.IncomingMessage) => [number, unknown],
) {
  const requests: Array<{ url: URL; authorization?: string }> = [];
  const server = http.createServer((req, res) => {
    const url = new URL(req.url!, 'http://localhost');
    requests.push({ url, authorization: req.headers.authorization });
    const [status, body] = handler(url, req);
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/tech-insights`,
    requests,
    close: () => new Promise(resolve => server.close(resolve)),
  };
}

function collectorFor(
  baseUrl: string,
  settings: { factRetrieverIds: string[]; maxAgeDays?: number },
) {
  return createTechInsightsFactCollector({
    ...settings,
    discovery: { getBaseUrl: async () => baseUrl },
    auth: mockServices.auth(),
    now: () => NOW,
  });
}

describe('createTechInsightsFactCollector', () => {
  const servers: Array<{ close(): Promise<unknown> }> = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map(s => s.close()));
  });

  it('reads the latest facts of the configured retrievers, by retriever id', async () => {
    const server = await serve(() => [
      200,
      {
        ownership: {
          id: 'ownership',
          entity: { namespace: 'default', kind: 'component', name: 'x' },
          timestamp: '2026-12-05T10:00:00.000+00:00',
          version: '1.0.0',
          facts: { hasOwner: true, owner: 'group:default/team-a' },
        },
        docs: {
          id: 'docs',
          timestamp: '2026-12-04T10:00:00.000+01:00',
          version: '0.1.0',
          facts: { hasTechDocs: false, timestamp: 'its own' },
        },
        other: { id: 'other', timestamp: daysAgo(1), facts: { x: 1 } },
      },
    ]);
    servers.push(server);
    const collector = collectorFor(server.baseUrl, {
      factRetrieverIds: ['ownership', 'docs', 'missing'],
    });

    expect(collector.id).toBe('techInsights');
    await expect(collector.collect({ entity })).resolves.toEqual({
      ownership: {
        hasOwner: true,
        owner: 'group:default/team-a',
        timestamp: '2026-12-05T10:00:00.000Z',
      },
      // A fact named `timestamp` wins, as in jsonfc.
      docs: { hasTechDocs: false, timestamp: 'its own' },
    });

    const [{ url, authorization }] = server.requests;
    expect(url.pathname).toBe('/api/tech-insights/facts/latest');
    expect(url.searchParams.get('entity')).toBe(
      'component:default/payments-api',
    );
    expect(url.searchParams.getAll('ids[]')).toEqual([
      'ownership',
      'docs',
      'missing',
    ]);
    expect(authorization).toMatch(/^Bearer .+/);
  });

  it('gives an empty document for an entity Tech Insights has no facts for', async () => {
    const empty = await serve(() => [200, {}]);
    const notFound = await serve(() => [
      404,
      { error: { name: 'NotFoundError' } },
    ]);
    servers.push(empty, notFound);
    const ids = { factRetrieverIds: ['ownership'] };

    await expect(
      collectorFor(empty.baseUrl, ids).collect({ entity }),
    ).resolves.toEqual({});
    await expect(
      collectorFor(notFound.baseUrl, ids).collect({ entity }),
    ).resolves.toEqual({});
  });

  it('throws when Tech Insights fails, so that the previous facts are kept', async () => {
    const server = await serve(() => [
      500,
      { error: { name: 'Error', message: 'database is down' } },
    ]);
    servers.push(server);

    await expect(
      collectorFor(server.baseUrl, { factRetrieverIds: ['a'] }).collect({
        entity,
      }),
    ).rejects.toThrow(
      /^Tech Insights answered 500 for the facts of component:default\/payments-api: .*database is down/,
    );
  });

  it('throws when Tech Insights is unreachable', async () => {
    const server = await serve(() => [200, {}]);
    await server.close();

    await expect(
      collectorFor(server.baseUrl, { factRetrieverIds: ['a'] }).collect({
        entity,
      }),
    ).rejects.toThrow(
      `Tech Insights is unreachable at ${server.baseUrl}: fetch failed: connect ECONNREFUSED`,
    );
  });

  it('leaves out facts older than maxAgeDays, with a note', async () => {
    const server = await serve(() => [
      200,
      {
        fresh: { timestamp: daysAgo(6.9), facts: { ok: true } },
        old: { timestamp: daysAgo(7.1), facts: { ok: true } },
        undated: { facts: { ok: true } },
      },
    ]);
    servers.push(server);

    await expect(
      collectorFor(server.baseUrl, {
        factRetrieverIds: ['fresh', 'old', 'undated'],
        maxAgeDays: 7,
      }).collect({ entity }),
    ).resolves.toEqual({
      fresh: { ok: true, timestamp: daysAgo(6.9) },
      _notes: [
        `The facts of 'old' from ${daysAgo(
          7.1,
        )} are older than 7 days (readiness.techInsights.maxAgeDays) and are left out`,
        `The facts of 'undated' without a timestamp are older than 7 days (readiness.techInsights.maxAgeDays) and are left out`,
      ],
    });
  });
});
