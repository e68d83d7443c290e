import {
  mockCredentials,
  startTestBackend,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { readinessPlugin } from './plugin';

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
});
