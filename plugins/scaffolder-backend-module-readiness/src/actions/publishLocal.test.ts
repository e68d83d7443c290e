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

describe('readiness:publish:local in branch mode', () => {
  const mockDir = createMockDirectory();
  const root = path.join(mockDir.path, 'repos');
  const repoPath = path.join(root, 'fraud-detection');
  const workspace = path.join(mockDir.path, 'workspace');
  const discovery = mockServices.discovery();
  const action = createPublishLocalAction({ root, discovery });
  const HPA = 'kind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 6\n';
  const FIXED_HPA = 'kind: HorizontalPodAutoscaler\nspec:\n  maxReplicas: 15\n';
  const PDB = 'kind: PodDisruptionBudget\n';
  let baseCommit: string;

  function context(input: Record<string, unknown>) {
    return createMockActionContext({
      input: input as any,
      workspacePath: workspace,
    });
  }

  function outputs(ctx: ReturnType<typeof context>) {
    return Object.fromEntries((ctx.output as jest.Mock).mock.calls);
  }

  /** Everything on disk under the repository, .git included, with contents. */
  function snapshot(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (current: string) => {
      for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
        const absolute = path.join(current, entry.name);
        if (entry.isDirectory()) walk(absolute);
        else
          files[path.relative(dir, absolute)] = fs.readFileSync(
            absolute,
            'base64',
          );
      }
    };
    walk(dir);
    return files;
  }

  beforeEach(async () => {
    mockDir.setContent({
      repos: {},
      workspace: {
        'README.md': '# fraud-detection\n',
        deploy: { 'hpa.yaml': HPA, 'deployment.yaml': 'kind: Deployment\n' },
      },
    });
    // The existing local repository: the workspace as it was fetched.
    await action.handler(context({ repoName: 'fraud-detection' }));
    baseCommit = await git.resolveRef({ fs, dir: repoPath, ref: 'main' });
    // The workspace's changes, as readiness:remediation:generate writes them.
    fs.writeFileSync(path.join(workspace, 'deploy/hpa.yaml'), FIXED_HPA);
    fs.writeFileSync(path.join(workspace, 'deploy/pdb.yaml'), PDB);
  });

  it('commits the changes onto a new branch, leaving the working tree, index and HEAD as they were', async () => {
    const before = snapshot(repoPath);
    const beforeWithoutObjects = Object.fromEntries(
      Object.entries(before).filter(
        ([file]) => !file.startsWith(`.git${path.sep}objects`),
      ),
    );
    const ctx = context({
      repoName: 'fraud-detection',
      branch: 'readiness/fix-2026-12-06',
      expectedBaseCommit: baseCommit,
      gitCommitMessage: 'Fix 2 readiness checks of fraud-detection',
      description: '## Fixed checks\n\n- HPA max\n- PDB',
    });
    await action.handler(ctx);
    const out = outputs(ctx);
    expect(out).toMatchObject({
      branch: 'readiness/fix-2026-12-06',
      baseBranch: 'main',
      baseCommit,
      changedFiles: ['deploy/hpa.yaml', 'deploy/pdb.yaml'],
      localPath: repoPath,
      compareUrl: `http://localhost:0/api/scaffolder/readiness/local-repos/fraud-detection/-/compare/${baseCommit}...readiness/fix-2026-12-06`,
      branchUrl:
        'http://localhost:0/api/scaffolder/readiness/local-repos/fraud-detection/-/tree/readiness/fix-2026-12-06/',
    });
    expect(out.diff).toBe(
      [
        'diff --git a/deploy/hpa.yaml b/deploy/hpa.yaml',
        '--- a/deploy/hpa.yaml',
        '+++ b/deploy/hpa.yaml',
        '@@ -1,3 +1,3 @@',
        ' kind: HorizontalPodAutoscaler',
        ' spec:',
        '-  maxReplicas: 6',
        '+  maxReplicas: 15',
        'diff --git a/deploy/pdb.yaml b/deploy/pdb.yaml',
        'new file mode 100644',
        '--- /dev/null',
        '+++ b/deploy/pdb.yaml',
        '@@ -0,0 +1,1 @@',
        '+kind: PodDisruptionBudget',
        '',
      ].join('\n'),
    );

    // The commit: on top of the base, with the message and description.
    const [commit] = await git.log({
      fs,
      dir: repoPath,
      ref: 'readiness/fix-2026-12-06',
      depth: 1,
    });
    expect(commit.oid).toBe(out.commitHash);
    expect(commit.commit.parent).toEqual([baseCommit]);
    expect(commit.commit.message).toBe(
      'Fix 2 readiness checks of fraud-detection\n\n## Fixed checks\n\n- HPA max\n- PDB\n',
    );
    const { blob } = await git.readBlob({
      fs,
      dir: repoPath,
      oid: out.commitHash,
      filepath: 'deploy/hpa.yaml',
    });
    expect(Buffer.from(blob).toString('utf8')).toBe(FIXED_HPA);
    expect(
      (
        await git.listFiles({
          fs,
          dir: repoPath,
          ref: 'readiness/fix-2026-12-06',
        })
      ).sort(),
    ).toEqual([
      'README.md',
      'deploy/deployment.yaml',
      'deploy/hpa.yaml',
      'deploy/pdb.yaml',
    ]);

    // Nothing else moved: HEAD, the index, the working tree, main.
    const after = snapshot(repoPath);
    const changed = Object.keys(after).filter(
      file =>
        !file.startsWith(`.git${path.sep}objects`) &&
        after[file] !== beforeWithoutObjects[file],
    );
    expect(changed).toEqual([
      path.join('.git', 'refs', 'heads', 'readiness', 'fix-2026-12-06'),
    ]);
    expect(await git.currentBranch({ fs, dir: repoPath })).toBe('main');
    expect(await git.resolveRef({ fs, dir: repoPath, ref: 'main' })).toBe(
      baseCommit,
    );
    expect(
      fs.readFileSync(path.join(repoPath, 'deploy/hpa.yaml'), 'utf8'),
    ).toBe(HPA);
    expect(fs.existsSync(path.join(repoPath, 'deploy/pdb.yaml'))).toBe(false);
    const status = await git.statusMatrix({ fs, dir: repoPath });
    expect(
      status.every(
        ([, head, work, stage]) => head === 1 && work === 1 && stage === 1,
      ),
    ).toBe(true);

    // The served diff and files of the branch.
    const app = express().use(createLocalRepositoriesRouter({ root }));
    const compare = await request(app).get(
      `/readiness/local-repos/fraud-detection/-/compare/${baseCommit}...readiness/fix-2026-12-06`,
    );
    expect(compare.status).toBe(200);
    expect(compare.text).toBe(out.diff);
    const branchFile = await request(app).get(
      '/readiness/local-repos/fraud-detection/-/tree/readiness/fix-2026-12-06/deploy/pdb.yaml',
    );
    expect(branchFile.status).toBe(200);
    expect(branchFile.text).toBe(PDB);
    const listing = await request(app).get(
      '/readiness/local-repos/fraud-detection/-/tree/readiness/fix-2026-12-06/deploy/',
    );
    expect(listing.text).toBe('deployment.yaml\nhpa.yaml\npdb.yaml\n');
    // The working tree is still served as it was.
    const live = await request(app).get(
      '/readiness/local-repos/fraud-detection/deploy/hpa.yaml',
    );
    expect(live.text).toBe(HPA);
  });

  it('names the branch readiness/fix-<date> by default, with a suffix when taken', async () => {
    jest.useFakeTimers({
      now: new Date('2026-12-06T10:00:00Z'),
      doNotFake: ['nextTick', 'setImmediate', 'setTimeout'],
    });
    try {
      const first = context({ repoName: 'fraud-detection', mode: 'branch' });
      await action.handler(first);
      expect(outputs(first).branch).toBe('readiness/fix-2026-12-06');
      const second = context({ repoName: 'fraud-detection', mode: 'branch' });
      await action.handler(second);
      expect(outputs(second).branch).toBe('readiness/fix-2026-12-06-2');
    } finally {
      jest.useRealTimers();
    }
  });

  it('only takes the given paths from the workspace, and deletes listed files it lacks', async () => {
    fs.writeFileSync(path.join(workspace, 'README.md'), '# edited\n');
    fs.rmSync(path.join(workspace, 'deploy/deployment.yaml'));
    const ctx = context({
      repoName: 'fraud-detection',
      branch: 'readiness/fix',
      paths: ['deploy/hpa.yaml', 'deploy/pdb.yaml', 'deploy/deployment.yaml'],
    });
    await action.handler(ctx);
    expect(outputs(ctx).changedFiles).toEqual([
      'deploy/deployment.yaml',
      'deploy/hpa.yaml',
      'deploy/pdb.yaml',
    ]);
    expect(outputs(ctx).diff).toContain('+++ /dev/null');
    expect(
      (await git.listFiles({ fs, dir: repoPath, ref: 'readiness/fix' })).sort(),
    ).toEqual(['README.md', 'deploy/hpa.yaml', 'deploy/pdb.yaml']);
  });

  it('reports a conflict and writes nothing when the base branch moved since the fetch', async () => {
    // Someone commits on main after the workspace was fetched.
    fs.writeFileSync(path.join(repoPath, 'README.md'), '# moved\n');
    await git.add({ fs, dir: repoPath, filepath: 'README.md' });
    const moved = await git.commit({
      fs,
      dir: repoPath,
      message: 'Moved on',
      author: { name: 'Someone', email: 'someone@example.com' },
    });
    const refsBefore = await git.listBranches({ fs, dir: repoPath });
    await expect(
      action.handler(
        context({
          repoName: 'fraud-detection',
          branch: 'readiness/fix-2026-12-06',
          expectedBaseCommit: baseCommit,
        }),
      ),
    ).rejects.toThrow(
      `The branch 'main' of 'fraud-detection' has moved since the workspace was fetched: it was at ${baseCommit.slice(
        0,
        12,
      )}, it is now at ${moved.slice(
        0,
        12,
      )}. Nothing was written; run the task again on the current state.`,
    );
    expect(await git.listBranches({ fs, dir: repoPath })).toEqual(refsBefore);
  });

  it('never overwrites an existing branch', async () => {
    await git.branch({ fs, dir: repoPath, ref: 'readiness/fix-2026-12-06' });
    const error = await action
      .handler(
        context({
          repoName: 'fraud-detection',
          branch: 'readiness/fix-2026-12-06',
        }),
      )
      .catch(e => e);
    expect(error.name).toBe('ConflictError');
    expect(error.message).toBe(
      "The local repository 'fraud-detection' already has a branch 'readiness/fix-2026-12-06'; an existing branch is never overwritten. Choose another name, or delete that branch first.",
    );
    expect(
      await git.resolveRef({
        fs,
        dir: repoPath,
        ref: 'readiness/fix-2026-12-06',
      }),
    ).toBe(baseCommit);
  });

  it('fails with a clear error, creating no branch, when nothing changed', async () => {
    fs.writeFileSync(path.join(workspace, 'deploy/hpa.yaml'), HPA);
    fs.rmSync(path.join(workspace, 'deploy/pdb.yaml'));
    await expect(
      action.handler(
        context({ repoName: 'fraud-detection', branch: 'readiness/fix' }),
      ),
    ).rejects.toThrow(
      `Nothing to commit: the workspace has the same files as the branch 'main' of 'fraud-detection' (${baseCommit.slice(
        0,
        12,
      )}), so no branch was created`,
    );
    expect(await git.listBranches({ fs, dir: repoPath })).toEqual(['main']);
  });

  it('refuses bad branch names and unknown repositories', async () => {
    await expect(
      action.handler(
        context({ repoName: 'fraud-detection', branch: 'readiness/../x' }),
      ),
    ).rejects.toThrow('branch must be a Git branch name');
    await expect(
      action.handler(context({ repoName: 'nope', branch: 'readiness/fix' })),
    ).rejects.toThrow("There is no local repository named 'nope' in");
  });

  it('computes the diff but writes nothing in a dry run', async () => {
    const ctx = {
      ...context({ repoName: 'fraud-detection', branch: 'readiness/fix' }),
      isDryRun: true,
    };
    await action.handler(ctx);
    const out = outputs(ctx as any);
    expect(out.commitHash).toBe('dry-run');
    expect(out.changedFiles).toEqual(['deploy/hpa.yaml', 'deploy/pdb.yaml']);
    expect(out.diff).toContain('+  maxReplicas: 15');
    expect(await git.listBranches({ fs, dir: repoPath })).toEqual(['main']);
  });
});
