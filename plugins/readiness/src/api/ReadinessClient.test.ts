import { ResponseError } from '@backstage/errors';
import {
  mockApis,
  MockFetchApi,
  registerMswTestHooks,
} from '@backstage/test-utils';
import { CatalogValidationProblems } from '@prodready/plugin-readiness-common';
import { rest } from 'msw';
import { setupServer } from 'msw/node';
import { ReadinessClient } from './ReadinessClient';

const BASE_URL = 'http://example.com/api/readiness';

const PROBLEMS: CatalogValidationProblems = {
  items: [
    {
      entityRef: 'component:default/payouts-worker',
      location: 'url:https://git.example.com/payouts/catalog-info.yaml',
      messages: ["prodready.dev/rto: '4 hours' is not a duration"],
      firstSeenAt: '2026-11-26T12:00:00.000Z',
      lastSeenAt: '2026-11-26T12:03:00.000Z',
    },
  ],
};

describe('ReadinessClient', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  const client = new ReadinessClient({
    discoveryApi: mockApis.discovery(),
    fetchApi: new MockFetchApi(),
  });

  it('gets the health of the backend', async () => {
    server.use(
      rest.get(`${BASE_URL}/health`, (_req, res, ctx) =>
        res(ctx.json({ status: 'ok' })),
      ),
    );

    await expect(client.getHealth()).resolves.toEqual({ status: 'ok' });
  });

  describe('getCatalogProblems', () => {
    it('gets every problem', async () => {
      const urls: string[] = [];
      server.use(
        rest.get(`${BASE_URL}/catalog-errors`, (req, res, ctx) => {
          urls.push(req.url.toString());
          return res(ctx.json(PROBLEMS));
        }),
      );

      await expect(client.getCatalogProblems()).resolves.toEqual(PROBLEMS);
      expect(urls).toEqual([`${BASE_URL}/catalog-errors`]);
    });

    it('encodes the entity ref in the query', async () => {
      const requests: URL[] = [];
      server.use(
        rest.get(`${BASE_URL}/catalog-errors`, (req, res, ctx) => {
          requests.push(req.url);
          return res(ctx.json({ items: [] }));
        }),
      );

      await client.getCatalogProblems({
        entityRef: 'component:team a/payouts&worker#1',
      });

      expect(requests).toHaveLength(1);
      expect(requests[0].search).toBe(
        '?entityRef=component%3Ateam+a%2Fpayouts%26worker%231',
      );
      expect(requests[0].searchParams.get('entityRef')).toBe(
        'component:team a/payouts&worker#1',
      );
    });

    it('throws a ResponseError with the status and the backend message', async () => {
      server.use(
        rest.get(`${BASE_URL}/catalog-errors`, (_req, res, ctx) =>
          res(
            ctx.status(403),
            ctx.json({
              error: {
                name: 'NotAllowedError',
                message:
                  'You are not allowed to read the catalog validation problems',
              },
              request: { method: 'GET', url: '/api/readiness/catalog-errors' },
              response: { statusCode: 403 },
            }),
          ),
        ),
      );

      const error = await client.getCatalogProblems().then(
        () => undefined,
        (e: unknown) => e,
      );

      expect(error).toBeInstanceOf(ResponseError);
      expect(error).toMatchObject({
        name: 'ResponseError',
        statusCode: 403,
        cause: {
          name: 'NotAllowedError',
          message:
            'You are not allowed to read the catalog validation problems',
        },
      });
    });
  });
});
