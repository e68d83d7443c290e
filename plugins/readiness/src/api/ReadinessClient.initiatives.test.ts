import { ResponseError } from '@backstage/errors';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { WaiverRequest } from '@prodready/plugin-readiness-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { ReadinessClient } from './ReadinessClient';

const BASE_URL = 'http://example.com/api/readiness';

const WAIVER: WaiverRequest = {
  id: 'w-1',
  entityRef: 'component:default/payments-api',
  phaseId: 'phase-4',
  checklistId: 'pre-deployment',
  itemId: 'load-test',
  justification: 'Batch job, no user traffic',
  expiresAt: '2027-01-31T23:59:59.000Z',
  requestedBy: 'user:default/alice',
  requestedAt: '2026-12-01T10:00:00.000Z',
  status: 'pending',
};

interface Seen {
  url: URL;
  method: string;
  body: unknown;
  contentType: string | null;
}

describe('ReadinessClient: initiatives, roll-ups and waiver requests', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ReadinessClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  function serve(
    method: 'get' | 'post' | 'put' | 'delete',
    path: string,
    body: unknown,
    init: { status?: number; contentType?: string } = {},
  ): Seen[] {
    const seen: Seen[] = [];
    server.use(
      rest[method](`${BASE_URL}/${path}`, async (req, res, ctx) => {
        const text = await req.text();
        seen.push({
          url: req.url,
          method: req.method,
          body: text ? JSON.parse(text) : undefined,
          contentType: req.headers.get('content-type'),
        });
        if (init.status === 204) {
          return res(ctx.status(204));
        }
        return res(
          ctx.status(init.status ?? 200),
          ctx.set('Content-Type', init.contentType ?? 'application/json'),
          ctx.body(typeof body === 'string' ? body : JSON.stringify(body)),
        );
      }),
    );
    return seen;
  }

  const forbidden = (message: string) => ({
    error: { name: 'NotAllowedError', message },
    request: { method: 'POST', url: '/api/readiness' },
    response: { statusCode: 403 },
  });

  it('lists the initiatives and reads one, its id encoded', async () => {
    const list = serve('get', 'initiatives', { items: [] });
    const one = serve('get', 'initiatives/tier%201%2Fsilver', {
      id: 'tier 1/silver',
      burnUp: [],
    });

    await expect(client.getInitiatives()).resolves.toEqual({ items: [] });
    await expect(client.getInitiative('tier 1/silver')).resolves.toEqual({
      id: 'tier 1/silver',
      burnUp: [],
    });
    expect(list).toHaveLength(1);
    expect(one[0].method).toBe('GET');
  });

  it('pages the entities of an initiative with its filters', async () => {
    const seen = serve('get', 'initiatives/backups-rpo/entities', {
      items: [],
      totalCount: 0,
    });

    await client.getInitiativeEntities('backups-rpo', {
      state: ['not-met'],
      owner: ['group:default/team-a', ''],
      limit: 50,
      cursor: 'abc',
    });
    await client.getInitiativeEntities('backups-rpo');

    expect(seen[0].url.search).toBe(
      '?state=not-met&owner=group%3Adefault%2Fteam-a&limit=50&cursor=abc',
    );
    expect(seen[1].url.search).toBe('');
  });

  it('builds the CSV URL of the entities and downloads it', async () => {
    const csv = 'entityRef,state\r\ncomponent:default/a,not-met\r\n';
    const seen = serve('get', 'initiatives/backups-rpo/entities.csv', csv, {
      contentType: 'text/csv; charset=utf-8',
    });

    await expect(
      client.getInitiativeEntitiesCsvUrl('backups-rpo', { state: ['met'] }),
    ).resolves.toBe(
      `${BASE_URL}/initiatives/backups-rpo/entities.csv?state=met`,
    );
    const blob = await client.downloadInitiativeEntitiesCsv('backups-rpo');

    expect(await blob.text()).toBe(csv);
    expect(seen[0].url.search).toBe('');
  });

  it('pages the audit trail of an initiative', async () => {
    const seen = serve('get', 'initiatives/backups-rpo/audit', {
      entries: [],
    });

    await client.getInitiativeAudit('backups-rpo', { limit: 10, cursor: 'x' });

    expect(seen[0].url.search).toBe('?limit=10&cursor=x');
  });

  it('reads the initiatives of an entity by ref or by parts, encoded', async () => {
    const seen = serve(
      'get',
      'initiatives/by-entity/component/team%20a/pay%23ments',
      { entityRef: 'component:team a/pay#ments', items: [] },
    );

    await client.getEntityInitiatives('component:team a/pay#ments');
    await client.getEntityInitiatives({
      kind: 'component',
      namespace: 'team a',
      name: 'pay#ments',
    });

    expect(seen).toHaveLength(2);
  });

  it('creates, updates and deletes an initiative with JSON bodies', async () => {
    const body = {
      id: 'backups-rpo',
      title: 'Backups meet RPO everywhere',
      owner: 'group:default/platform',
      startDate: '2026-12-01',
      deadline: '2027-03-31',
      scope: { kinds: ['Component'] },
      goal: { type: 'checks' as const, checks: ['backup-rpo'] },
    };
    const created = serve('post', 'initiatives', { ...body, version: 1 });
    const updated = serve('put', 'initiatives/backups-rpo', {
      ...body,
      version: 2,
    });
    const deleted = serve('delete', 'initiatives/backups-rpo', '', {
      status: 204,
    });

    await expect(client.createInitiative(body)).resolves.toMatchObject({
      version: 1,
    });
    await expect(
      client.updateInitiative('backups-rpo', { ...body, expectedVersion: 1 }),
    ).resolves.toMatchObject({ version: 2 });
    await expect(client.deleteInitiative('backups-rpo')).resolves.toBe(
      undefined,
    );

    expect(created[0]).toMatchObject({
      method: 'POST',
      body,
      contentType: 'application/json',
    });
    expect(updated[0]).toMatchObject({
      method: 'PUT',
      body: { ...body, expectedVersion: 1 },
    });
    expect(deleted[0].method).toBe('DELETE');
  });

  it('throws a ResponseError with the status when an edit is forbidden', async () => {
    serve(
      'put',
      'initiatives/backups-rpo',
      forbidden('You are not allowed to update initiatives'),
      { status: 403 },
    );
    serve('delete', 'initiatives/backups-rpo', forbidden('Denied'), {
      status: 403,
    });

    const error = await client
      .updateInitiative('backups-rpo', {
        id: 'backups-rpo',
        title: 't',
        owner: 'group:default/a',
        startDate: '2026-12-01',
        deadline: '2026-12-31',
        scope: { kinds: ['Component'] },
        goal: { type: 'level', level: 'silver' },
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(ResponseError);
    expect(error).toMatchObject({
      statusCode: 403,
      cause: { message: 'You are not allowed to update initiatives' },
    });
    await expect(client.deleteInitiative('backups-rpo')).rejects.toMatchObject({
      statusCode: 403,
    });
  });

  it('reads the roll-up of a group', async () => {
    const seen = serve('get', 'rollups/group/default/payments', {
      group: 'group:default/payments',
    });

    await expect(
      client.getGroupRollup('group:default/payments'),
    ).resolves.toEqual({ group: 'group:default/payments' });
    expect(seen).toHaveLength(1);
  });

  it('requests a waiver of an item, parts encoded', async () => {
    const seen = serve(
      'post',
      'waivers/component/default/payments-api/phase%204/items/load%2Ftest',
      WAIVER,
    );

    await expect(
      client.requestWaiver(
        'component:default/payments-api',
        { phaseId: 'phase 4', itemId: 'load/test' },
        { justification: 'Batch job', expiresAt: WAIVER.expiresAt },
      ),
    ).resolves.toEqual(WAIVER);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      body: { justification: 'Batch job', expiresAt: WAIVER.expiresAt },
      contentType: 'application/json',
    });
  });

  it('decides, withdraws and lists waiver requests', async () => {
    const decided = serve('post', 'waivers/w-1/decision', {
      ...WAIVER,
      status: 'approved',
    });
    const withdrawn = serve('delete', 'waivers/w-1', '', { status: 204 });
    const listed = serve('get', 'waivers', { items: [WAIVER] });

    await expect(
      client.decideWaiver('w-1', { decision: 'approve', reason: 'Fine' }),
    ).resolves.toMatchObject({ status: 'approved' });
    await client.withdrawWaiver('w-1');
    await expect(
      client.getWaiverRequests({
        status: 'pending',
        entityRef: 'component:default/payments-api',
      }),
    ).resolves.toEqual({ items: [WAIVER] });
    await client.getWaiverRequests();

    expect(decided[0].body).toEqual({ decision: 'approve', reason: 'Fine' });
    expect(withdrawn[0].method).toBe('DELETE');
    expect(listed[0].url.search).toBe(
      '?status=pending&entityRef=component%3Adefault%2Fpayments-api',
    );
    expect(listed[1].url.search).toBe('');
  });

  it('turns a refused waiver decision into a ResponseError', async () => {
    serve(
      'post',
      'waivers/w-1/decision',
      forbidden('Only readiness admins approve waivers'),
      { status: 403 },
    );

    await expect(
      client.decideWaiver('w-1', { decision: 'deny', reason: 'No' }),
    ).rejects.toMatchObject({
      name: 'ResponseError',
      statusCode: 403,
      cause: { message: 'Only readiness admins approve waivers' },
    });
  });

  it('sends the initiative filter of the overview, its summary and CSV', async () => {
    const summary = serve('get', 'overview/summary', {
      total: 0,
      averageScore: null,
      levels: [],
      owners: [],
    });

    await client.getOverviewSummary({
      initiative: 'backups-rpo',
      owner: ['a'],
    });

    expect(summary[0].url.search).toBe('?owner=a&initiative=backups-rpo');
    await expect(
      client.getOverviewCsvUrl({ initiative: 'backups-rpo' }),
    ).resolves.toBe(`${BASE_URL}/overview.csv?initiative=backups-rpo`);
  });
});
