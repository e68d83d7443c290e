import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { readinessPlugin } from './plugin';

const RTO_ERROR =
  "prodready.dev/rto: '4 hours' is not a duration; expected a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";

/** One events service for the whole test backend, that the test publishes on. */
function sharedEvents() {
  const events = mockServices.events();
  const factory = createServiceFactory({
    service: eventsServiceRef,
    deps: {},
    factory: () => events,
  });
  return { events, factory };
}

describe('readinessPlugin', () => {
  it('serves /health without credentials', async () => {
    const { server } = await startTestBackend({ features: [readinessPlugin] });

    const response = await request(server).get('/api/readiness/health');

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('rejects unauthenticated requests to other routes', async () => {
    const { server } = await startTestBackend({ features: [readinessPlugin] });

    const anonymous = await request(server)
      .get('/api/readiness/anything')
      .set('Authorization', mockCredentials.none.header());
    expect(anonymous.status).toBe(401);

    const signedIn = await request(server)
      .get('/api/readiness/anything')
      .set('Authorization', mockCredentials.user.header());
    expect(signedIn.status).toBe(404);
  });

  it('serves its OpenAPI spec', async () => {
    const { server } = await startTestBackend({ features: [readinessPlugin] });

    const response = await request(server)
      .get('/api/readiness/openapi.json')
      .set('Authorization', mockCredentials.user.header());

    expect(response.status).toBe(200);
    expect(Object.keys(response.body.paths)).toEqual(
      expect.arrayContaining([
        '/api/readiness/health',
        '/api/readiness/catalog-errors',
      ]),
    );
  });

  describe('catalog validation problems', () => {
    it('shows the errors the catalog publishes', async () => {
      const { events, factory } = sharedEvents();
      const { server } = await startTestBackend({
        features: [readinessPlugin, factory],
      });

      await events.publish({
        topic: 'experimental.catalog.errors',
        eventPayload: {
          entity: 'component:default/payouts-worker',
          location: 'url:https://git.example.com/payouts/catalog-info.yaml',
          errors: [new Error(RTO_ERROR)],
        },
      });
      await events.publish({
        topic: 'experimental.catalog.errors',
        eventPayload: {
          entity: 'component:default/ledger-api',
          errors: [new Error('ledger is broken')],
        },
      });

      const response = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.user.header());

      expect(response.status).toBe(200);
      expect(response.body.items).toHaveLength(2);
      expect(response.body.items).toContainEqual({
        entityRef: 'component:default/payouts-worker',
        location: 'url:https://git.example.com/payouts/catalog-info.yaml',
        messages: [RTO_ERROR],
        firstSeenAt: expect.any(String),
        lastSeenAt: expect.any(String),
      });

      const one = await request(server)
        .get('/api/readiness/catalog-errors')
        .query({ entityRef: 'component:payouts-worker' })
        .set('Authorization', mockCredentials.user.header());
      expect(one.status).toBe(200);
      expect(one.body.items).toEqual([
        expect.objectContaining({
          entityRef: 'component:default/payouts-worker',
          messages: [RTO_ERROR],
        }),
      ]);
    });

    it('ignores other topics and malformed events', async () => {
      const { events, factory } = sharedEvents();
      const { server } = await startTestBackend({
        features: [readinessPlugin, factory],
      });

      await events.publish({
        topic: 'experimental.catalog.conflict',
        eventPayload: { entity: 'component:default/x', errors: [] },
      });
      await events.publish({
        topic: 'experimental.catalog.errors',
        eventPayload: 'not an object',
      });

      const response = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.user.header());
      expect(response.status).toBe(200);
      expect(response.body).toEqual({ items: [] });
    });

    it('needs credentials and the overview permission', async () => {
      const { server } = await startTestBackend({
        features: [
          readinessPlugin,
          mockServices.permissions.factory({ result: AuthorizeResult.DENY }),
        ],
      });

      const anonymous = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.none.header());
      expect(anonymous.status).toBe(401);

      const denied = await request(server)
        .get('/api/readiness/catalog-errors')
        .set('Authorization', mockCredentials.user.header());
      expect(denied.status).toBe(403);

      // Health stays open whatever the policy.
      const health = await request(server).get('/api/readiness/health');
      expect(health.status).toBe(200);
    });
  });
});
