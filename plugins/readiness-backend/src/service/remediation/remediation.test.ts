import path from 'path';
import {
  mockErrorHandler,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  DEFAULT_LEVELS,
  EntityStoredFacts,
  RemediationPlan,
} from '@prodready/plugin-readiness-common';
import {
  BUILT_IN_CHECKS,
  collectFacts,
  createOfflineFactCollectors,
  DeploymentFilesReader,
  readCatalogFile,
} from '@prodready/plugin-readiness-engine';
import express from 'express';
import request from 'supertest';
import { DatabaseReadinessStore } from '../../database/DatabaseReadinessStore';
import { ReadinessEngine } from '../engine/types';
import { createRouter } from '../router';
import { RemediationService } from './RemediationService';

jest.setTimeout(60_000);

const EXAMPLES_DIR = path.resolve(__dirname, '../../../../../examples');
const NOW = new Date('2026-11-26T00:00:00Z');
const FRAUD = 'component:default/fraud-detection';
const ENTITIES = ['entities.yaml', 'service-levels.yaml', 'org.yaml'].flatMap(
  file => readCatalogFile(path.join(EXAMPLES_DIR, file)),
);
const fraud = ENTITIES.find(e => e.metadata.name === 'fraud-detection')!;

function collect(entity: Entity) {
  return collectFacts(
    entity,
    createOfflineFactCollectors({ entities: ENTITIES, now: () => NOW }),
  );
}

describe('GET /facts and GET /remediation', () => {
  const databases = TestDatabases.create({ ids: ['SQLITE_3'] });
  let store: DatabaseReadinessStore;

  beforeAll(async () => {
    const knex = await databases.init('SQLITE_3');
    store = await DatabaseReadinessStore.create({
      database: mockServices.database({ knex, migrations: { skip: false } }),
    });
    for (const [collectorId, facts] of Object.entries(await collect(fraud))) {
      await store.saveFacts(FRAUD, collectorId, {
        version: 1,
        facts,
        hash: `hash-${collectorId}`,
        collectedAt: NOW,
      });
    }
  });

  async function createApp(
    options: {
      allow?: boolean;
      fileReader?: DeploymentFilesReader;
    } = {},
  ) {
    const engine = {
      getDefinition: () => ({
        id: 'production-readiness',
        title: 'Production readiness',
        checks: BUILT_IN_CHECKS,
        levels: DEFAULT_LEVELS,
      }),
    } as unknown as ReadinessEngine;
    const catalog = catalogServiceMock({ entities: ENTITIES });
    const result =
      options.allow === false ? AuthorizeResult.DENY : AuthorizeResult.ALLOW;
    const permissions = mockServices.permissions.mock({
      authorize: async requests => requests.map(() => ({ result })),
      authorizeConditional: async requests => requests.map(() => ({ result })),
    });
    const router = await createRouter({
      logger: mockServices.logger.mock(),
      httpAuth: mockServices.httpAuth(),
      permissions,
      catalogProblems: {
        listProblems: jest.fn(),
        handleEvent: jest.fn(),
      } as any,
      engine,
      store,
      catalog,
      remediation: new RemediationService({
        catalog,
        store,
        engine,
        urlReader: mockServices.urlReader.mock(),
        logger: mockServices.logger.mock(),
        readers: options.fileReader ? { file: options.fileReader } : {},
        now: () => NOW,
      }),
    });
    return express().use(router).use(mockErrorHandler());
  }

  it('serves the stored facts of an entity, by collector', async () => {
    const app = await createApp();
    const response = await request(app).get(
      '/facts/component/default/fraud-detection',
    );
    expect(response.status).toBe(200);
    const body = response.body as EntityStoredFacts;
    expect(body.entityRef).toBe(FRAUD);
    expect(Object.keys(body.facts)).toEqual([
      'deployment',
      'entity',
      'serviceLevels',
    ]);
    expect(body.facts.serviceLevels).toMatchObject({
      version: 1,
      stale: false,
      collectedAt: NOW.toISOString(),
      facts: { peakRps: 800 },
    });
  });

  it('answers 404 for an entity without facts, 403 without the read permission', async () => {
    expect(
      (await request(await createApp()).get('/facts/component/default/nope'))
        .status,
    ).toBe(404);
    const denied = await request(await createApp({ allow: false })).get(
      '/facts/component/default/fraud-detection',
    );
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toBe(
      `You are not allowed to read the readiness scorecard of ${FRAUD}`,
    );
    const deniedPlan = await request(await createApp({ allow: false })).get(
      '/remediation/component/default/fraud-detection',
    );
    expect(deniedPlan.status).toBe(403);
  });

  it('computes the plan of fraud-detection from its files: its own PDB, spread, capacity and NetworkPolicy', async () => {
    const response = await request(await createApp()).get(
      '/remediation/component/default/fraud-detection',
    );
    expect(response.status).toBe(200);
    const plan = response.body as RemediationPlan;
    expect(plan.entityRef).toBe(FRAUD);
    expect(plan.source).toBe('manifests');
    expect(plan.deploymentTarget).toBe(
      `file:${path.join(EXAMPLES_DIR, 'repos/fraud-detection/deploy')}`,
    );
    expect(plan.fixes.map(f => f.checkId)).toEqual(
      expect.arrayContaining([
        'pdb-configured',
        'zone-spread',
        'hpa-capacity',
        'network-policy',
      ]),
    );
    for (const fix of plan.fixes) {
      expect(fix.after).toBe('pass');
    }
    expect(plan.files.find(f => f.path === 'pdb.yaml')).toMatchObject({
      change: 'create',
      before: null,
    });
    expect(plan.description).toContain('`pdb-configured`');
    expect(plan.computedAt).toBe(NOW.toISOString());
  });

  it('answers 404 for an entity not in the catalog, and 503 when the files cannot be read', async () => {
    const missing = await request(await createApp()).get(
      '/remediation/component/default/nope',
    );
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe(
      'No entity component:default/nope in the catalog',
    );
    const unreadable = await request(
      await createApp({
        fileReader: {
          read: async () => {
            throw new Error('EACCES: permission denied');
          },
        },
      }),
    ).get('/remediation/component/default/fraud-detection');
    expect(unreadable.status).toBe(503);
    expect(unreadable.body.error.message).toMatch(
      /^The deployment files of component:default\/fraud-detection cannot be read at file:.*: EACCES: permission denied$/,
    );
  });
});
