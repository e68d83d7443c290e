import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
} from '@backstage/catalog-model';
import scaffolderPlugin from '@backstage/plugin-scaffolder-backend';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { serializeDirectoryContents } from '@backstage/plugin-scaffolder-node';
// The real readiness backend serves the stored facts in this end-to-end test.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import readinessPlugin from '@prodready/plugin-readiness-backend';
import { readCatalogFile } from '@prodready/plugin-readiness-engine';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import request from 'supertest';
import { parse } from 'yaml';
import { scoreWithEngine } from './__testUtils__/engineScore';
import { scaffolderModuleReadiness } from './module';
import { localRepositoriesUrlReaderServiceFactory } from './publish/urlReader';

/**
 * The fix-readiness template, end to end and offline, on a test backend with
 * the real scaffolder, this module (seeding the example services' local
 * repositories from examples/repos, reading them through its URL reader),
 * and the real readiness backend serving the stored facts.
 */

jest.setTimeout(180_000);

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const TEMPLATE_DIR = path.join(ROOT, 'templates/fix-readiness');
const TEMPLATE_FILE = path.join(TEMPLATE_DIR, 'template.yaml');

/** The checks examples/README.md says fraud-detection's manifests fail. */
const FRAUD_DETECTION_GAPS = [
  'pdb-configured',
  'network-policy',
  'zone-spread',
  'hpa-capacity',
];

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

/** The example catalog, as the catalog reads its file locations. */
function loadExampleCatalog(): Entity[] {
  return ['entities.yaml', 'service-levels.yaml', 'org.yaml'].flatMap(file =>
    readCatalogFile(path.join(EXAMPLES_DIR, file)),
  );
}

type Task = { status: string };
type TaskEvent = {
  type: string;
  body: { message?: string; output?: Record<string, any> };
};

describe('fix-readiness template', () => {
  const mockDir = createMockDirectory();

  async function startBackend() {
    const root = mockDir.resolve('repos');
    const entities = loadExampleCatalog();
    const backend = await startTestBackend({
      features: [
        scaffolderPlugin,
        scaffolderModuleReadiness,
        readinessPlugin,
        localRepositoriesUrlReaderServiceFactory,
        catalogServiceMock.factory({ entities: [...entities, loadTemplate()] }),
        mockServices.rootConfig.factory({
          data: {
            app: { baseUrl: 'http://localhost:3000' },
            readiness: {
              scaffolder: {
                localPublishRoot: root,
                seedLocalRepositories: path.join(EXAMPLES_DIR, 'repos'),
              },
            },
          },
        }),
      ],
    });
    const { server } = backend;
    const port = (server.address() as { port: number }).port;
    // The example's source locations name the portal at localhost:7007;
    // this backend listens elsewhere.
    for (const entity of entities) {
      const annotations = entity.metadata.annotations ?? {};
      const source = annotations[ANNOTATION_SOURCE_LOCATION];
      if (source) {
        annotations[ANNOTATION_SOURCE_LOCATION] = source.replace(
          'http://localhost:7007/',
          `http://localhost:${port}/`,
        );
      }
    }
    return { server, port, root, entities };
  }

  /** Has the readiness backend collect the service's facts, as the schedule would. */
  async function evaluate(server: any, name: string) {
    const refreshed = await request(server)
      .post(`/api/readiness/scorecards/component/default/${name}/refresh`)
      .set('Authorization', mockCredentials.user.header());
    expect(refreshed.status).toBe(200);
  }

  async function runTask(server: any, values: Record<string, unknown>) {
    const created = await request(server)
      .post('/api/scaffolder/v2/tasks')
      .set('Authorization', mockCredentials.user.header())
      .send({ templateRef: 'template:default/fix-readiness', values });
    expect(created.status).toBe(201);
    let task: Task = { status: 'open' };
    for (
      let i = 0;
      i < 600 && !['completed', 'failed'].includes(task.status);
      i++
    ) {
      await new Promise(resolve => setTimeout(resolve, 100));
      task = (
        await request(server)
          .get(`/api/scaffolder/v2/tasks/${created.body.id}`)
          .set('Authorization', mockCredentials.user.header())
      ).body;
    }
    const events: TaskEvent[] = (
      await request(server)
        .get(`/api/scaffolder/v2/tasks/${created.body.id}/events`)
        .set('Authorization', mockCredentials.user.header())
    ).body;
    return {
      status: task.status,
      log: events.map(e => e.body.message ?? '').join('\n'),
      output: events.find(e => e.type === 'completion')?.body.output ?? {},
    };
  }

  /** The files of a commit, written into a fresh folder (a checkout that leaves the repository alone). */
  async function checkout(repoPath: string, ref: string, target: string) {
    const gitdir = path.join(repoPath, '.git');
    await git.walk({
      fs,
      gitdir,
      trees: [git.TREE({ ref })],
      map: async (filepath, [entry]) => {
        if (!entry || filepath === '.') return true;
        if ((await entry.type()) === 'blob') {
          const file = path.join(target, filepath);
          await fs.promises.mkdir(path.dirname(file), { recursive: true });
          await fs.promises.writeFile(
            file,
            Buffer.from((await entry.content())!),
          );
        }
        return true;
      },
    });
  }

  /** Every file of a folder, with its content. */
  function filesOf(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    const walk = (current: string, prefix: string) => {
      for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
        if (entry.name === '.git') continue;
        const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path.join(current, entry.name), relative);
        else
          files[relative] = fs.readFileSync(
            path.join(current, entry.name),
            'utf8',
          );
      }
    };
    walk(dir, '');
    return files;
  }

  /** Scores fraud-detection on the files of a checkout, with the engine. */
  async function scoreCheckout(entities: Entity[], dir: string) {
    const example = entities.find(e => e.metadata.name === 'fraud-detection')!;
    // As if the repository held its catalog file, with deploy/ beside it.
    const entity: Entity = {
      ...example,
      metadata: {
        ...example.metadata,
        annotations: {
          ...example.metadata.annotations,
          [ANNOTATION_LOCATION]: `file:${path.join(dir, 'catalog-info.yaml')}`,
          'prodready.dev/deployment-path': './deploy',
        },
      },
    };
    return scoreWithEngine(entity, new Date());
  }

  beforeEach(() => {
    mockDir.clear();
  });

  it('commits the fixes of fraud-detection onto a new branch of its local repository, where the engine scores them as passing', async () => {
    const { server, port, root, entities } = await startBackend();
    const repoPath = path.join(root, 'fraud-detection');

    // Start-up seeded a repository for each example service with manifests.
    expect(fs.readdirSync(root).sort()).toEqual(
      fs.readdirSync(path.join(EXAMPLES_DIR, 'repos')).sort(),
    );
    const seeded = await git.resolveRef({ fs, dir: repoPath, ref: 'main' });
    const liveBefore = filesOf(repoPath);
    expect(liveBefore).toEqual(
      filesOf(path.join(EXAMPLES_DIR, 'repos/fraud-detection')),
    );

    await evaluate(server, 'fraud-detection');
    const task = await runTask(server, {
      entity: 'component:default/fraud-detection',
      publishTo: 'local',
    });
    if (task.status !== 'completed') {
      throw new Error(`task ${task.status}:\n${task.log}`);
    }

    // A new branch, based on main; main and the working tree as they were.
    const branches = await git.listBranches({ fs, dir: repoPath });
    const today = new Date().toISOString().slice(0, 10);
    expect(branches.sort()).toEqual(['main', `readiness/fix-${today}`]);
    const branch = `readiness/fix-${today}`;
    expect(await git.currentBranch({ fs, dir: repoPath })).toBe('main');
    expect(await git.resolveRef({ fs, dir: repoPath, ref: 'main' })).toBe(
      seeded,
    );
    expect(filesOf(repoPath)).toEqual(liveBefore);
    const [commit] = await git.log({
      fs,
      dir: repoPath,
      ref: branch,
      depth: 1,
    });
    expect(commit.commit.parent).toEqual([seeded]);
    expect(commit.commit.message).toMatch(
      /^Fix \d+ readiness checks of fraud-detection\n\nProduction readiness fixes for component:default\/fraud-detection/,
    );

    // The task links to the served diff of the branch.
    const diffLink = task.output.links.find(
      (l: { title: string }) => l.title === 'Open the diff',
    );
    expect(diffLink.url).toBe(
      `http://localhost:${port}/api/scaffolder/readiness/local-repos/fraud-detection/-/compare/${seeded}...${branch}`,
    );
    const served = await request(server).get(new URL(diffLink.url).pathname);
    expect(served.status).toBe(200);
    expect(served.text).toContain('+kind: PodDisruptionBudget');
    expect(served.text).toMatch(/-\s+maxReplicas: 6\n\+\s+maxReplicas: 15/);

    // The engine, pointed at a checkout of the branch: the documented gaps
    // are fixed, and so is every fix of the plan.
    const fixedDir = mockDir.resolve('checkout-fix');
    await checkout(repoPath, branch, fixedDir);
    const fixed = await scoreCheckout(entities, fixedDir);
    const originalDir = mockDir.resolve('checkout-main');
    await checkout(repoPath, 'main', originalDir);
    const original = await scoreCheckout(entities, originalDir);
    for (const checkId of FRAUD_DETECTION_GAPS) {
      expect([checkId, original.results[checkId].status]).toEqual([
        checkId,
        'fail',
      ]);
      expect([checkId, fixed.results[checkId].status]).toEqual([
        checkId,
        'pass',
      ]);
    }
    expect(task.output.text[0].title).toMatch(
      /^Fix \d+ readiness checks of fraud-detection$/,
    );
    // Every check the commit says it fixes passes on the branch.
    const fixedIds = [
      ...commit.commit.message
        .split('## Still failing')[0]
        .matchAll(/^- \*\*.+?\*\* \(`([a-z0-9-]+)`\)/gm),
    ].map(m => m[1]);
    expect(fixedIds).toEqual(expect.arrayContaining(FRAUD_DETECTION_GAPS));
    expect(
      fixedIds
        .filter(id => fixed.results[id].status !== 'pass')
        .map(id => `${id}: ${fixed.results[id].message}`),
    ).toEqual([]);
    const failing = (s: typeof fixed) =>
      s.scorecard.results.filter(
        r => r.status === 'fail' || r.status === 'warn',
      ).length;
    expect(failing(fixed)).toBeLessThanOrEqual(
      failing(original) - fixedIds.length,
    );
    expect(fixed.facts.deployment).toMatchObject({ errors: [] });

    // Once the branch is merged, running the template again finds nothing
    // to fix, fails, and creates no branch.
    const head = await git.resolveRef({ fs, dir: repoPath, ref: branch });
    await git.writeRef({
      fs,
      dir: repoPath,
      ref: 'refs/heads/main',
      value: head,
      force: true,
    });
    await git.checkout({ fs, dir: repoPath, ref: 'main', force: true });
    await evaluate(server, 'fraud-detection');
    const again = await runTask(server, {
      entity: 'component:default/fraud-detection',
      publishTo: 'local',
    });
    expect(again.status).toBe('failed');
    expect(again.log).toContain('Nothing to fix: none of the ');
    expect(again.log).toContain(
      'failing checks of component:default/fraud-detection has an automatic fix (',
    );
    expect((await git.listBranches({ fs, dir: repoPath })).sort()).toEqual([
      'main',
      branch,
    ]);
  });

  it('completes a dry run through POST /v2/dry-run, writing no branch', async () => {
    const { server, root } = await startBackend();
    await evaluate(server, 'fraud-detection');
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
        values: {
          entity: 'component:default/fraud-detection',
          publishTo: 'local',
        },
        directoryContents,
      });
    expect(response.status).toBe(200);
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
    expect(steps).toEqual({
      entity: 'completed',
      fetch: 'completed',
      remediate: 'completed',
      'publish-local': 'completed',
      'publish-github': 'skipped',
      'publish-gitlab': 'skipped',
      'publish-bitbucket': 'skipped',
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
      expect.arrayContaining(['deploy/hpa.yaml', 'deploy/deployment.yaml']),
    );
    expect(files['deploy/hpa.yaml']).toMatch(/maxReplicas: 15/);
    expect(
      await git.listBranches({ fs, dir: path.join(root, 'fraud-detection') }),
    ).toEqual(['main']);
  });
});
