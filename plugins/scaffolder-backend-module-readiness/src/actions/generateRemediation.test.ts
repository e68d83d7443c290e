import {
  createMockDirectory,
  mockCredentials,
  mockServices,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import type { EntityStoredFacts } from '@prodready/plugin-readiness-common';
import {
  createEntityFactCollector,
  createServiceLevelsFactCollector,
  readCatalogFile,
} from '@prodready/plugin-readiness-engine';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import { publishToLocalRepository } from '../publish/localRepository';
import { createGenerateRemediationAction } from './generateRemediation';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');
const FRAUD_DETECTION = path.join(EXAMPLES_DIR, 'repos/fraud-detection');

/** The facts the readiness backend would store for an entity. */
async function storedFacts(
  entity: Entity,
  entities: Entity[],
): Promise<EntityStoredFacts> {
  const collectors = [
    createEntityFactCollector(),
    createServiceLevelsFactCollector({
      catalog: catalogServiceMock({ entities }),
      auth: mockServices.auth(),
    }),
  ];
  const facts: EntityStoredFacts['facts'] = {};
  for (const collector of collectors) {
    facts[collector.id] = {
      version: 1,
      facts: (await collector.collect({ entity })) as any,
      collectedAt: '2026-12-06T00:00:00.000Z',
      stale: false,
    };
  }
  return { entityRef: 'component:default/fraud-detection', facts };
}

describe('readiness:remediation:generate', () => {
  const mockDir = createMockDirectory();
  const workspace = mockDir.resolve('workspace');
  const root = mockDir.resolve('repos');
  let entities: Entity[];
  let fetchSpy: jest.SpyInstance;

  function fraudDetection(): Entity {
    return entities.find(e => e.metadata.name === 'fraud-detection')!;
  }

  function createAction(catalogEntities = entities) {
    return createGenerateRemediationAction({
      catalog: catalogServiceMock({ entities: catalogEntities }),
      auth: mockServices.auth(),
      discovery: mockServices.discovery(),
      localPublishRoot: root,
    });
  }

  function context(input: Record<string, unknown>) {
    const ctx = createMockActionContext({
      input: input as any,
      workspacePath: workspace,
    });
    jest.spyOn(ctx.logger, 'info');
    jest.spyOn(ctx.logger, 'error');
    return ctx;
  }

  function outputs(ctx: ReturnType<typeof context>) {
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  function respondWithFacts(body: unknown, status = 200) {
    fetchSpy.mockImplementation(
      async () =>
        new Response(JSON.stringify(body), {
          status,
          headers: { 'content-type': 'application/json' },
        }),
    );
  }

  beforeEach(async () => {
    mockDir.clear();
    fs.cpSync(FRAUD_DETECTION, workspace, { recursive: true });
    fs.mkdirSync(root, { recursive: true });
    entities = ['entities.yaml', 'service-levels.yaml'].flatMap(file =>
      readCatalogFile(path.join(EXAMPLES_DIR, file)),
    );
    fetchSpy = jest.spyOn(global, 'fetch');
    respondWithFacts(await storedFacts(fraudDetection(), entities));
  });

  afterEach(() => {
    fetchSpy.mockRestore();
  });

  it("writes the fixes of the service's failing checks into the checkout", async () => {
    const ctx = context({ entityRef: 'fraud-detection' });
    await createAction().handler(ctx);
    const out = outputs(ctx);

    // The facts came from the readiness backend, on behalf of the initiator.
    expect(fetchSpy).toHaveBeenCalledWith(
      'http://localhost:0/api/readiness/facts/component/default/fraud-detection',
      {
        headers: {
          Authorization: `Bearer ${mockCredentials.service.token({
            onBehalfOf: mockCredentials.user(),
            targetPluginId: 'readiness',
          })}`,
        },
      },
    );
    expect(out.fixes.map((f: { checkId: string }) => f.checkId)).toEqual(
      expect.arrayContaining([
        'pdb-configured',
        'network-policy',
        'zone-spread',
        'hpa-capacity',
      ]),
    );
    expect(out.fixCount).toBe(out.fixes.length);
    expect(out.title).toBe(
      `Fix ${out.fixCount} readiness checks of fraud-detection`,
    );
    expect(out.description).toContain(
      'Production readiness fixes for component:default/fraud-detection',
    );
    expect(out.deploymentPath).toBe('deploy');
    expect(out.branchName).toMatch(/^readiness\/fix-\d{4}-\d{2}-\d{2}$/);
    expect(out.changedFiles).toEqual(
      expect.arrayContaining(['deploy/hpa.yaml']),
    );
    for (const file of out.changedFiles) {
      expect(file).toMatch(/^deploy\//);
      expect(fs.existsSync(path.join(workspace, file))).toBe(true);
    }
    expect(
      fs.readFileSync(path.join(workspace, 'deploy/hpa.yaml'), 'utf8'),
    ).toMatch(/maxReplicas: 15/);
    expect(out.diff).toMatch(
      /diff --git a\/deploy\/hpa.yaml b\/deploy\/hpa.yaml\n--- a\/deploy\/hpa.yaml\n\+\+\+ b\/deploy\/hpa.yaml\n/,
    );
    expect(out.diff).toMatch(/-\s+maxReplicas: 6\n\+\s+maxReplicas: 15/);
    // Not a local repository of the portal.
    expect(out.localRepository).toBeUndefined();
    // The engine's reasons for what stays failing are in the task log.
    expect(ctx.logger.info).toHaveBeenCalledWith(
      expect.stringMatching(
        /^Note: prodready.dev\/deployment-path '.\/repos\/fraud-detection\/deploy' relative to catalog-info.yaml at the repository root/,
      ),
    );
  });

  it('names the local repository and the commit of its branch when the source is one', async () => {
    await publishToLocalRepository({
      root,
      repoName: 'fraud-detection',
      sourceDir: FRAUD_DETECTION,
      defaultBranch: 'main',
      author: { name: 'Test', email: 'test@example.com' },
      message: 'Seed',
    });
    const head = await git.resolveRef({
      fs,
      dir: path.join(root, 'fraud-detection'),
      ref: 'main',
    });
    const entity = fraudDetection();
    entity.metadata.annotations![
      'backstage.io/source-location'
    ] = `url:http://localhost:0/api/scaffolder/readiness/local-repos/fraud-detection/`;
    const ctx = context({ entityRef: 'component:default/fraud-detection' });
    await createAction().handler(ctx);
    expect(outputs(ctx)).toMatchObject({
      localRepository: 'fraud-detection',
      baseCommit: head,
    });
  });

  it('reads the deployment path relative to the catalog file in the repository, or the given folder', async () => {
    fs.mkdirSync(path.join(workspace, 'ops'));
    fs.renameSync(
      path.join(workspace, 'deploy'),
      path.join(workspace, 'ops/k8s-prod'),
    );
    const entity = fraudDetection();
    entity.metadata.annotations = {
      ...entity.metadata.annotations,
      'backstage.io/source-location': 'url:https://git.example.com/fraud/',
      'backstage.io/managed-by-location':
        'url:https://git.example.com/fraud/ops/catalog-info.yaml',
      'prodready.dev/deployment-path': './k8s-prod',
    };
    const ctx = context({ entityRef: 'fraud-detection' });
    await createAction().handler(ctx);
    expect(outputs(ctx).deploymentPath).toBe('ops/k8s-prod');
    expect(ctx.logger.info).toHaveBeenCalledWith(
      "Deployment folder of component:default/fraud-detection: ops/k8s-prod/ (prodready.dev/deployment-path './k8s-prod' relative to the catalog file ops/catalog-info.yaml)",
    );

    const override = context({
      entityRef: 'fraud-detection',
      deploymentPath: 'ops/k8s-prod',
    });
    // Fresh files: the first run patched them.
    fs.rmSync(path.join(workspace, 'ops'), { recursive: true });
    fs.cpSync(
      path.join(FRAUD_DETECTION, 'deploy'),
      path.join(workspace, 'ops/k8s-prod'),
      { recursive: true },
    );
    await createAction().handler(override);
    expect(outputs(override).changedFiles).toEqual(
      expect.arrayContaining(['ops/k8s-prod/hpa.yaml']),
    );
  });

  it('fails, telling why in the log and the output, when a manifest does not parse', async () => {
    fs.writeFileSync(
      path.join(workspace, 'deploy/hpa.yaml'),
      'kind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: [6\n',
    );
    const ctx = context({ entityRef: 'fraud-detection' });
    await expect(createAction().handler(ctx)).rejects.toThrow(
      /^The deployment files of component:default\/fraud-detection do not parse, so no patch is computed: deploy\/hpa.yaml:\d+: invalid YAML: .+ Fix them by hand first\.$/,
    );
    expect(ctx.logger.error).toHaveBeenCalledWith(
      expect.stringContaining('do not parse'),
    );
    expect(outputs(ctx).error).toContain('do not parse');
    expect(
      fs.readFileSync(path.join(workspace, 'deploy/service.yaml'), 'utf8'),
    ).toBe(
      fs.readFileSync(
        path.join(FRAUD_DETECTION, 'deploy/service.yaml'),
        'utf8',
      ),
    );
  });

  it('fails when the repository has no deployment folder, or holds no manifests', async () => {
    fs.rmSync(path.join(workspace, 'deploy'), { recursive: true });
    await expect(
      createAction().handler(context({ entityRef: 'fraud-detection' })),
    ).rejects.toThrow(
      /^The repository of component:default\/fraud-detection cannot be patched: No deployment folder was found in the repository: .*none of the conventional folders \(deploy, deployment, .*\) exists\. Set the deploymentPath input\.$/,
    );
    fs.mkdirSync(path.join(workspace, 'deploy'));
    fs.writeFileSync(path.join(workspace, 'deploy/README.md'), '# empty\n');
    await expect(
      createAction().handler(context({ entityRef: 'fraud-detection' })),
    ).rejects.toThrow(
      'No Kubernetes manifests or Helm values were found in deploy/ of the repository of component:default/fraud-detection',
    );
    await expect(
      createAction().handler(
        context({ entityRef: 'fraud-detection', sourcePath: 'nope' }),
      ),
    ).rejects.toThrow(
      'sourcePath: nope does not exist in the workspace; fetch the repository of component:default/fraud-detection first (fetch:plain)',
    );
  });

  it('fails when the Helm chart has a layout the fixes do not know', async () => {
    fs.rmSync(path.join(workspace, 'deploy'), { recursive: true });
    fs.mkdirSync(path.join(workspace, 'helm'));
    fs.writeFileSync(
      path.join(workspace, 'helm/values.yaml'),
      [
        'image:',
        '  repository: registry.example.com/fraud-detection',
        '  tag: 1.4.2',
        'service:',
        '  port: 8080',
        'resources:',
        '  requests: { cpu: 500m, memory: 512Mi }',
        '  limits: { cpu: "1", memory: 1Gi }',
        'livenessProbe: { httpGet: { path: /healthz, port: http } }',
        'readinessProbe: { httpGet: { path: /ready, port: http } }',
        'startupProbe: { httpGet: { path: /healthz, port: http }, failureThreshold: 30, periodSeconds: 5 }',
        'topologySpreadConstraints:',
        '  - maxSkew: 1',
        '    topologyKey: topology.kubernetes.io/zone',
        '    whenUnsatisfiable: ScheduleAnyway',
        '',
      ].join('\n'),
    );
    const ctx = context({ entityRef: 'fraud-detection' });
    await expect(createAction().handler(ctx)).rejects.toThrow(
      /^Nothing to fix: none of the \d+ failing checks of component:default\/fraud-detection has an automatic fix \(.*pdb-configured, hpa-configured.*\); the task log says why for each$/,
    );
    expect(outputs(ctx).error).toMatch(/^Nothing to fix: /);
    expect(ctx.logger.info).toHaveBeenCalledWith(
      "Not fixed: A PodDisruptionBudget that leaves room to drain (pdb-configured): the chart's values (values.yaml) have no `podDisruptionBudget` or `pdb` block, so it is unknown whether its templates render a PodDisruptionBudget: add a PodDisruptionBudget to the chart's templates, then set it in values.yaml",
    );
    expect(ctx.logger.info).toHaveBeenCalledWith(
      'helm/values.yaml: Helm values mapped with common chart conventions (the chart is not rendered)',
    );
  });

  it('fails when the entity or its facts cannot be read', async () => {
    await expect(
      createAction().handler(context({ entityRef: 'component:default/nope' })),
    ).rejects.toThrow(
      'entityRef: component:default/nope is not in the catalog (or you may not read it)',
    );
    await expect(
      createAction().handler(context({ entityRef: 'component:' })),
    ).rejects.toThrow("entityRef: 'component:' is not an entity ref");
    respondWithFacts(
      { error: { name: 'NotFoundError', message: 'No facts' } },
      404,
    );
    const ctx = context({ entityRef: 'fraud-detection' });
    await expect(createAction().handler(ctx)).rejects.toMatchObject({
      name: 'NotFoundError',
      message:
        'The readiness backend has no facts of component:default/fraud-detection yet: it is not in the catalog, or it has not been evaluated (refresh its scorecard, then try again)',
    });
    expect(outputs(ctx).error).toMatch(/^The readiness backend has no facts/);
    respondWithFacts(
      { error: { name: 'NotAllowedError', message: 'Denied' } },
      403,
    );
    await expect(
      createAction().handler(context({ entityRef: 'fraud-detection' })),
    ).rejects.toThrow(
      'You are not allowed to read the readiness facts of component:default/fraud-detection',
    );
  });
});
