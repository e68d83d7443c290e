import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import express from 'express';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import request from 'supertest';
import { parse } from 'yaml';
import { createLocalRepositoriesRouter } from '../publish/router';
import { createPublishLocalAction } from './publishLocal';

describe('readiness:publish:local', () => {
  const mockDir = createMockDirectory();
  const root = path.join(mockDir.path, 'repos');
  const workspace = path.join(mockDir.path, 'workspace');
  const discovery = mockServices.discovery();
  const action = createPublishLocalAction({ root, discovery });

  beforeEach(() => {
    mockDir.setContent({
      workspace: {
        'catalog-info.yaml':
          'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\nspec:\n  type: service\n',
        deploy: { 'hpa.yaml': 'kind: HorizontalPodAutoscaler\n' },
        '.git': { HEAD: 'ref: refs/heads/main\n' },
      },
    });
  });

  function context(input: Record<string, unknown>) {
    return createMockActionContext({
      input: input as any,
      workspacePath: workspace,
    });
  }

  function outputs(ctx: ReturnType<typeof context>) {
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  it('publishes the workspace as a Git repository the catalog can read', async () => {
    const ctx = context({ repoName: 'orders' });
    await action.handler(ctx);
    const repoPath = path.join(root, 'orders');
    const out = outputs(ctx);
    expect(out).toMatchObject({
      localPath: repoPath,
      remoteUrl: `file://${repoPath}`,
      repoContentsUrl:
        'http://localhost:0/api/scaffolder/readiness/local-repos/orders/',
      catalogInfoUrl:
        'http://localhost:0/api/scaffolder/readiness/local-repos/orders/catalog-info.yaml',
    });
    const log = await git.log({ fs, dir: repoPath });
    expect(log).toHaveLength(1);
    expect(log[0].oid).toBe(out.commitHash);
    expect(log[0].commit.message).toBe('Initial commit\n');
    const files = await git.listFiles({ fs, dir: repoPath });
    expect(files.sort()).toEqual(['catalog-info.yaml', 'deploy/hpa.yaml']);
    // The engine reads the deployment files from disk through the source location.
    const entity = parse(
      fs.readFileSync(path.join(repoPath, 'catalog-info.yaml'), 'utf8'),
    );
    expect(entity.metadata.annotations['backstage.io/source-location']).toBe(
      `file:${repoPath}/`,
    );
  });

  it('refuses to overwrite a repository, and a bad name', async () => {
    await action.handler(context({ repoName: 'orders' }));
    await expect(
      action.handler(context({ repoName: 'orders' })),
    ).rejects.toThrow(
      "repoName: a repository named 'orders' already exists in",
    );
    await expect(
      action.handler(context({ repoName: '../orders' })),
    ).rejects.toThrow('repoName must be 1-100 lowercase letters, digits');
  });

  it('writes nothing in a dry run', async () => {
    const ctx = { ...context({ repoName: 'orders' }), isDryRun: true };
    await action.handler(ctx);
    expect(fs.existsSync(path.join(root, 'orders'))).toBe(false);
    expect(outputs(ctx as any).commitHash).toBe('dry-run');
  });

  it('serves published files read-only, never .git or outside the root', async () => {
    await action.handler(context({ repoName: 'orders' }));
    fs.writeFileSync(path.join(mockDir.path, 'secret.yaml'), 'secret: true\n');
    fs.symlinkSync(
      path.join(mockDir.path, 'secret.yaml'),
      path.join(root, 'orders', 'link.yaml'),
    );
    const app = express().use(createLocalRepositoriesRouter({ root }));
    const ok = await request(app).get(
      '/readiness/local-repos/orders/catalog-info.yaml',
    );
    expect(ok.status).toBe(200);
    expect(ok.headers['content-type']).toBe('text/yaml; charset=utf-8');
    expect(ok.text).toContain('name: orders');
    for (const url of [
      '/readiness/local-repos/orders/.git/HEAD',
      '/readiness/local-repos/orders/deploy',
      '/readiness/local-repos/orders/link.yaml',
      '/readiness/local-repos/orders/..%2F..%2Fsecret.yaml',
      '/readiness/local-repos/other/catalog-info.yaml',
    ]) {
      expect((await request(app).get(url)).status).toBe(404);
    }
  });
});
