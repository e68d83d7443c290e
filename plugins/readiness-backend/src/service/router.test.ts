import {
  mockCredentials,
  mockErrorHandler,
  mockServices,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readinessOverviewReadPermission } from '@prodready/plugin-readiness-common';
import express from 'express';
import request from 'supertest';
import { CatalogProblemsService } from './catalogProblems';
import { createRouter } from './router';

const PROBLEM = {
  entityRef: 'component:default/payouts-worker',
  location: 'url:https://git.example.com/payouts/catalog-info.yaml',
  messages: [
    "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'",
  ],
  firstSeenAt: '2026-11-26T12:00:00.000Z',
  lastSeenAt: '2026-11-26T12:03:00.000Z',
};

describe('createRouter', () => {
  let catalogProblems: jest.Mocked<CatalogProblemsService>;

  beforeEach(() => {
    catalogProblems = {
      listProblems: jest.fn().mockResolvedValue([PROBLEM]),
      handleEvent: jest.fn(),
    };
  });

  async function createApp(
    result:
      | AuthorizeResult.ALLOW
      | AuthorizeResult.DENY = AuthorizeResult.ALLOW,
  ) {
    const permissions = mockServices.permissions({ result });
    jest.spyOn(permissions, 'authorize');
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalogProblems,
    });
    const app = express();
    app.use(router);
    app.use(mockErrorHandler());
    return { app, permissions };
  }

  it('serves /health', async () => {
    const { app } = await createApp();

    const response = await request(app).get('/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  describe('GET /catalog-errors', () => {
    it('returns the current problems', async () => {
      const { app, permissions } = await createApp();

      const response = await request(app).get('/catalog-errors');

      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [PROBLEM] });
      expect(catalogProblems.listProblems).toHaveBeenCalledWith({
        entityRef: undefined,
      });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission: readinessOverviewReadPermission }],
        { credentials: mockCredentials.user() },
      );
    });

    it('lets services read', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .set('Authorization', mockCredentials.service.header());

      expect(response.status).toBe(200);
    });

    it('filters by a normalized entity ref', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entityRef: 'Component:payouts-worker' });

      expect(response.status).toBe(200);
      expect(catalogProblems.listProblems).toHaveBeenCalledWith({
        entityRef: 'component:default/payouts-worker',
      });
    });

    it('rejects requests without credentials', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .set('Authorization', mockCredentials.none.header());

      expect(response.status).toBe(401);
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it('forbids users the policy denies', async () => {
      const { app, permissions } = await createApp(AuthorizeResult.DENY);

      const response = await request(app).get('/catalog-errors');

      expect(response.status).toBe(403);
      expect(response.body.error).toMatchObject({ name: 'NotAllowedError' });
      expect(permissions.authorize).toHaveBeenCalledWith(
        [{ permission: readinessOverviewReadPermission }],
        { credentials: mockCredentials.user() },
      );
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it.each([
      ['no kind', 'payouts-worker'],
      ['an empty name', 'component:default/'],
      ['an empty value', ''],
    ])('rejects an entity ref with %s', async (_case, entityRef) => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entityRef });

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ name: 'InputError' });
      expect(response.body.error.message).toMatch(/entityRef/);
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it('explains what is wrong with an entity ref', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entityRef: 'payouts-worker' });

      expect(response.status).toBe(400);
      expect(response.body.error.message).toMatch(
        /^Invalid entityRef 'payouts-worker': .*kind/,
      );
    });

    it('rejects more than one entity ref', async () => {
      const { app } = await createApp();

      const response = await request(app).get(
        '/catalog-errors?entityRef=component:a&entityRef=component:b',
      );

      expect(response.status).toBe(400);
      expect(catalogProblems.listProblems).not.toHaveBeenCalled();
    });

    it('rejects unknown query parameters', async () => {
      const { app } = await createApp();

      const response = await request(app)
        .get('/catalog-errors')
        .query({ entity: 'component:default/payouts-worker' });

      expect(response.status).toBe(400);
      expect(response.body.error).toMatchObject({ name: 'InputError' });
    });
  });

  it('serves its OpenAPI spec', async () => {
    const { app } = await createApp();

    const response = await request(app).get('/openapi.json');

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ info: { title: 'readiness' } });
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining(['/health', '/catalog-errors']),
    );
  });
});
