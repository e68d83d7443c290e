import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { serializeDirectoryContents } from '@backstage/plugin-scaffolder-node';
import { execFileSync } from 'child_process';
import fs from 'fs';
import path from 'path';
import request from 'supertest';
import { parse, parseAllDocuments } from 'yaml';
import { validateManifests } from '@prodready/plugin-readiness-engine';
import {
  DEPLOYMENT_CHECK_IDS,
  scoreWithEngine,
} from './__testUtils__/engineScore';
import { scaffolderModuleReadiness } from './module';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';

/**
 * The real production-service template, run by the real scaffolder plugin
 * with this module on a test backend: through the dry-run API, and as a task
 * that publishes the new service to a local repository and registers it.
 */

jest.setTimeout(180_000);

const TEMPLATE_DIR = path.resolve(
  __dirname,
  '../../../templates/production-service',
);
const TEMPLATE_FILE = path.join(TEMPLATE_DIR, 'template.yaml');

function loadTemplate(): Entity {
  const template = parse(fs.readFileSync(TEMPLATE_FILE, 'utf8')) as Entity;
  return {
    ...template,
    metadata: {
      ...template.metadata,
      namespace: 'default',
      annotations: {
        ...template.metadata.annotations,
        'backstage.io/managed-by-location': `file:${TEMPLATE_FILE}`,
        'backstage.io/managed-by-origin-location': `file:${TEMPLATE_FILE}`,
      },
    },
  };
}

const VALUES = {
  name: 'checkout',
  description: 'Takes orders and payments',
  owner: 'group:default/shop-team',
  lifecycle: 'production',
  port: 8080,
  peakRps: 1200,
  perPodRps: 100,
  exposure: 'public',
  host: 'checkout.example.com',
  rollout: 'blue-green',
  tier: 'tier-1',
  availability: '99.95',
  latencyP95Ms: 200,
  errorRate: '0.1',
  compliance: ['pci-dss'],
  rto: '1h',
  rpo: '15m',
  backupRetention: '30d',
  drTestInterval: '180d',
  dataStores: ['postgresql', 'redis'],
  publishTo: 'local',
};

async function startBackend(publishRoot: string, addLocation?: jest.Mock) {
  const template = loadTemplate();
  const catalog = catalogServiceMock.mock({
    getEntityByRef: async ref =>
      (typeof ref === 'string'
        ? ref
        : `${ref.kind}:${ref.namespace}/${ref.name}`
      ).toLocaleLowerCase('en-US') === 'template:default/production-service'
        ? template
        : undefined,
    ...(addLocation ? { addLocation } : {}),
  });
  return startTestBackend({
    features: [
      scaffolderPlugin,
      scaffolderModuleReadiness,
      catalog.factory,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          readiness: { scaffolder: { localPublishRoot: publishRoot } },
        },
      }),
    ],
  });
}

function objectsIn(files: Record<string, string>, folder: string) {
  return Object.entries(files)
    .filter(([file]) => file.startsWith(`${folder}/`) && file.endsWith('.yaml'))
    .flatMap(([, content]) => parseAllDocuments(content).map(d => d.toJS()));
}

describe('production-service template on the scaffolder', () => {
  const mockDir = createMockDirectory();

  beforeEach(() => {
    mockDir.clear();
  });

  it('completes a dry run through POST /v2/dry-run', async () => {
    const { server } = await startBackend(mockDir.resolve('repos'));
    const directoryContents = (
      await serializeDirectoryContents(TEMPLATE_DIR)
    ).map(file => ({
      path: file.path,
      base64Content: file.content.toString('base64'),
    }));
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({ template: loadTemplate(), values: VALUES, directoryContents });
    expect(response.status).toBe(200);

    // The last status the log reports for each step.
    const steps = Object.fromEntries(
      response.body.log
        .filter(
          (l: { body: { stepId?: string; status?: string } }) =>
            l.body.stepId && l.body.status,
        )
        .map((l: { body: { stepId: string; status: string } }) => [
          l.body.stepId,
          l.body.status,
        ]),
    );
    expect(steps).toMatchObject({
      fetch: 'completed',
      deploy: 'completed',
      annotate: 'completed',
      'publish-local': 'completed',
      'publish-github': 'skipped',
    });
    const files: Record<string, string> = Object.fromEntries(
      response.body.directoryContents.map(
        (f: { path: string; base64Content: string }) => [
          f.path,
          Buffer.from(f.base64Content, 'base64').toString('utf8'),
        ],
      ),
    );
    expect(Object.keys(files)).toEqual(
      expect.arrayContaining([
        'Dockerfile',
        'src/server.js',
        'mkdocs.yml',
        'docs/runbook.md',
        'docs/disaster-recovery.md',
        'docs/first-tasks.md',
        'deploy/rollout.yaml',
        'deploy/hpa.yaml',
        'deploy/ingress.yaml',
        'deploy/backup.yaml',
        'catalog-info.yaml',
      ]),
    );
    const objects = objectsIn(files, 'deploy');
    expect(validateManifests(objects, { rpoMs: 15 * 60_000 })).toEqual([]);
    const entity = parse(files['catalog-info.yaml']);
    expect(entity.metadata.annotations).toMatchObject({
      'prodready.dev/tier': 'tier-1',
      'prodready.dev/availability': '99.95',
      'prodready.dev/latency-p95': '200ms',
      'prodready.dev/error-rate': '0.1%',
      'prodready.dev/peak-rps': '1200',
      'prodready.dev/backup-schedule': '*/15 * * * *',
      'prodready.dev/runbook-url':
        'http://localhost:3000/docs/default/component/checkout/runbook/',
      'backstage.io/template-version': '1.0.0',
    });
    expect(entity.metadata.tags).toEqual([
      'production-readiness',
      'pci-dss',
      'postgresql',
      'redis',
    ]);
    // A dry run publishes nothing.
    expect(fs.existsSync(mockDir.resolve('repos/checkout'))).toBe(false);
  });

  it('fails the dry run with the input and the rule when the inputs are bad', async () => {
    const { server } = await startBackend(mockDir.resolve('repos'));
    const directoryContents = (
      await serializeDirectoryContents(TEMPLATE_DIR)
    ).map(file => ({
      path: file.path,
      base64Content: file.content.toString('base64'),
    }));
    const response = await request(server)
      .post('/api/scaffolder/v2/dry-run')
      .set('Authorization', mockCredentials.user.header())
      .send({
        template: loadTemplate(),
        values: { ...VALUES, rpo: '2m' },
        directoryContents,
      });
    expect(response.status).toBe(400);
    expect(response.body.error).toEqual({
      name: 'InputError',
      message:
        "rpo must be at least 5m for scheduled backups; a shorter RPO (or 0, no data loss) needs synchronous replication, which backups cannot provide, got '2m'",
    });
    expect(fs.existsSync(mockDir.resolve('repos/checkout'))).toBe(false);
  });

  it('publishes the service to a local repository, serves it and registers it', async () => {
    const publishRoot = mockDir.resolve('repos');
    let port = 0;
    const registered: Entity[] = [];
    // The catalog reads the registered URL through its URL reader: here, a fetch.
    const addLocation = jest.fn(
      async ({ target, dryRun }: { target: string; dryRun?: boolean }) => {
        const local = target.replace(
          /^http:\/\/localhost:\d+/,
          `http://localhost:${port}`,
        );
        const text = await (await fetch(local)).text();
        const entities = parseAllDocuments(text).map(d => d.toJS() as Entity);
        if (!dryRun) registered.push(...entities);
        return {
          location: { id: 'l', type: 'url', target },
          entities,
          exists: false,
        };
      },
    );
    const { server } = await startBackend(publishRoot, addLocation);
    port = (server.address() as { port: number }).port;

    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({
        templateRef: 'template:default/production-service',
        values: VALUES,
      });
    expect(created.status).toBe(201);

    let task: { status: string } = { status: 'open' };
    for (
      let i = 0;
      i < 300 && !['completed', 'failed'].includes(task.status);
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 200));
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('Authorization', mockCredentials.user.header())
      ).body;
    }
    if (task.status !== 'completed') {
      const events = await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('Authorization', mockCredentials.user.header());
      throw new Error(
        `task ${task.status}: ${events.body
          .map((e: { body: { message?: string } }) => e.body.message)
          .join('\n')}`,
      );
    }

    const repoPath = path.join(publishRoot, 'checkout');
    expect(fs.existsSync(path.join(repoPath, '.git'))).toBe(true);
    expect(registered.map(e => `${e.kind}:${e.metadata.name}`)).toEqual([
      'Component:checkout',
    ]);
    expect(addLocation).toHaveBeenCalledWith(
      {
        type: 'url',
        target: expect.stringMatching(
          /^http:\/\/localhost:\d+\/api\/scaffolder\/readiness\/local-repos\/checkout\/catalog-info\.yaml$/,
        ),
      },
      expect.anything(),
    );
    expect(
      registered[0].metadata.annotations?.['backstage.io/source-location'],
    ).toBe(`file:${repoPath}/`);

    // The skeleton is a runnable service: its own tests start it and probe it.
    const testRun = execFileSync(process.execPath, ['--test'], {
      cwd: repoPath,
      encoding: 'utf8',
    });
    expect(testRun).toMatch(/# pass 1\n# fail 0/);

    // The readiness engine reads the published manifests from disk and scores
    // the new service: every check on its deployment passes from the start.
    const entity: Entity = {
      ...registered[0],
      metadata: {
        ...registered[0].metadata,
        namespace: 'default',
        annotations: {
          ...registered[0].metadata.annotations,
          'backstage.io/managed-by-location': `url:${addLocation.mock.calls[0][0].target}`,
        },
      },
    };
    const { scorecard, results, facts } = await scoreWithEngine(
      entity,
      new Date(),
    );
    expect(facts.deployment).toMatchObject({
      location: { type: 'file', target: `file:${repoPath}`, found: true },
      files: expect.arrayContaining(['deploy/rollout.yaml', 'deploy/hpa.yaml']),
      errors: [],
    });
    const deploymentResults = DEPLOYMENT_CHECK_IDS.map(
      id => results[id],
    ).filter(r => r.status !== 'not-applicable');
    expect(deploymentResults.length).toBeGreaterThanOrEqual(25);
    expect(
      deploymentResults
        .filter(r => r.status !== 'pass')
        .map(r => `${r.checkId}: ${r.message}`),
    ).toEqual([]);
    expect(scorecard.areas.find(a => a.area === 'deployment')).toMatchObject({
      score: 100,
      failed: 0,
      warned: 0,
    });
    // What is left is what no template can do for a new service.
    expect(
      scorecard.results
        .filter(r => r.status === 'fail' || r.status === 'warn')
        .map(r => r.checkId),
    ).toEqual(['dr-tested']);
  });
});
