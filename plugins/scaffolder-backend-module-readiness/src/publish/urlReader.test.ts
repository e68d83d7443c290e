import {
  coreServices,
  createBackendPlugin,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { UrlReaders } from '@backstage/backend-defaults/urlReader';
import {
  createMockDirectory,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import {
  commitToLocalBranch,
  publishToLocalRepository,
} from './localRepository';
import {
  LocalRepositoriesUrlReader,
  localRepositoriesUrlReaderServiceFactory,
} from './urlReader';

const BASE = 'http://localhost:7007/api/scaffolder/readiness/local-repos';
const author = { name: 'Test', email: 'test@example.com' };

describe('LocalRepositoriesUrlReader', () => {
  const mockDir = createMockDirectory();
  const root = mockDir.resolve('repos');
  let reader: UrlReaderService;

  beforeEach(async () => {
    mockDir.setContent({
      repos: {},
      source: {
        'README.md': '# fraud-detection\n',
        '.github': { 'ci.yaml': 'on: push\n' },
        deploy: {
          'hpa.yaml': 'maxReplicas: 6\n',
          'service.yaml': 'kind: Service\n',
        },
      },
    });
    await publishToLocalRepository({
      root,
      repoName: 'fraud-detection',
      sourceDir: mockDir.resolve('source'),
      defaultBranch: 'main',
      author,
      message: 'Initial commit',
    });
    fs.writeFileSync(
      mockDir.resolve('source/deploy/hpa.yaml'),
      'maxReplicas: 15\n',
    );
    fs.writeFileSync(
      mockDir.resolve('source/deploy/pdb.yaml'),
      'kind: PodDisruptionBudget\n',
    );
    await commitToLocalBranch({
      root,
      repoName: 'fraud-detection',
      sourceDir: mockDir.resolve('source'),
      branch: 'readiness/fix-2026-12-06',
      author,
      message: 'Fix',
    });
    const config = mockServices.rootConfig({
      data: { readiness: { scaffolder: { localPublishRoot: root } } },
    });
    // The reader first, then the default ones, as the backend builds them.
    reader = UrlReaders.default({
      config,
      logger: mockServices.logger.mock(),
      factories: [
        LocalRepositoriesUrlReader.factory({
          baseUrls: ['http://localhost:7007/api/scaffolder'],
        }),
      ],
    });
  });

  async function treeOf(url: string, filter?: (p: string) => boolean) {
    const response = await reader.readTree(url, filter ? { filter } : {});
    const files = await response.files();
    const contents: Record<string, string> = {};
    for (const file of files) {
      contents[file.path] = (await file.content()).toString('utf8');
    }
    return { etag: response.etag, contents };
  }

  it('reads files of the working tree by their served URL, with an ETag', async () => {
    const response = await reader.readUrl(
      `${BASE}/fraud-detection/deploy/hpa.yaml`,
    );
    expect((await response.buffer()).toString('utf8')).toBe('maxReplicas: 6\n');
    await expect(
      reader.readUrl(`${BASE}/fraud-detection/deploy/hpa.yaml`, {
        etag: response.etag,
      }),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('reads files and trees of a branch, by -/tree/<ref>/ and by ?ref=', async () => {
    const file = await reader.readUrl(
      `${BASE}/fraud-detection/-/tree/readiness/fix-2026-12-06/deploy/hpa.yaml`,
    );
    expect((await file.buffer()).toString('utf8')).toBe('maxReplicas: 15\n');
    const byQuery = await reader.readUrl(
      `${BASE}/fraud-detection/deploy/pdb.yaml?ref=readiness/fix-2026-12-06`,
    );
    expect((await byQuery.buffer()).toString('utf8')).toBe(
      'kind: PodDisruptionBudget\n',
    );
    const tree = await treeOf(
      `${BASE}/fraud-detection/-/tree/readiness/fix-2026-12-06/deploy/`,
    );
    expect(tree.contents).toEqual({
      'hpa.yaml': 'maxReplicas: 15\n',
      'pdb.yaml': 'kind: PodDisruptionBudget\n',
      'service.yaml': 'kind: Service\n',
    });
    await expect(
      reader.readTree(
        `${BASE}/fraud-detection/-/tree/readiness/fix-2026-12-06/deploy/`,
        { etag: tree.etag },
      ),
    ).rejects.toMatchObject({ name: 'NotModifiedError' });
  });

  it('reads the whole working tree (dot files, not .git) into a folder, as fetch:plain does', async () => {
    const response = await reader.readTree(`${BASE}/fraud-detection/`);
    const dir = mockDir.resolve('fetched');
    await response.dir({ targetDir: dir });
    const files: string[] = [];
    const walk = (current: string, prefix: string) => {
      for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
        const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
        if (entry.isDirectory()) walk(path.join(current, entry.name), relative);
        else files.push(relative);
      }
    };
    walk(dir, '');
    expect(files.sort()).toEqual([
      '.github/ci.yaml',
      'README.md',
      'deploy/hpa.yaml',
      'deploy/service.yaml',
    ]);
    // The filter of readTree applies.
    expect(
      Object.keys(
        (await treeOf(`${BASE}/fraud-detection/`, p => p.endsWith('.yaml')))
          .contents,
      ).sort(),
    ).toEqual(['.github/ci.yaml', 'deploy/hpa.yaml', 'deploy/service.yaml']);
  });

  it('reads file: URLs inside the root (the source location of published repositories)', async () => {
    const tree = await treeOf(`file://${root}/fraud-detection/deploy/`);
    expect(tree.contents['hpa.yaml']).toBe('maxReplicas: 6\n');
    const branch = await reader.readUrl(
      `file://${root}/fraud-detection/deploy/hpa.yaml?ref=readiness/fix-2026-12-06`,
    );
    expect((await branch.buffer()).toString('utf8')).toBe('maxReplicas: 15\n');
  });

  it('searches a glob, and a plain path, as the catalog does', async () => {
    // Globs skip dot folders, as the other readers' (minimatch) do.
    const glob = await reader.search(`${BASE}/fraud-detection/**/*.yaml`);
    expect(glob.files.map(f => f.url).sort()).toEqual([
      `${BASE}/fraud-detection/deploy/hpa.yaml`,
      `${BASE}/fraud-detection/deploy/service.yaml`,
    ]);
    const exact = await reader.search(`${BASE}/fraud-detection/README.md`);
    expect(exact.files).toHaveLength(1);
    expect((await exact.files[0].content()).toString('utf8')).toBe(
      '# fraud-detection\n',
    );
    expect(
      (await reader.search(`${BASE}/fraud-detection/nope.yaml`)).files,
    ).toEqual([]);
  });

  it('refuses .git, paths outside the root, unknown repositories and refs', async () => {
    for (const url of [
      `${BASE}/fraud-detection/.git/HEAD`,
      `${BASE}/fraud-detection/..%2F..%2Fsecret`,
      `${BASE}/nope/README.md`,
      `${BASE}/fraud-detection/-/tree/no-such-branch/README.md`,
      `${BASE}/fraud-detection/deploy/missing.yaml`,
      `file://${mockDir.resolve('source')}/README.md`,
    ]) {
      await expect(reader.readUrl(url)).rejects.toMatchObject({
        name: url.startsWith('file:') ? 'NotAllowedError' : 'NotFoundError',
      });
    }
    // Other hosts are left to the other readers (none allows them here).
    await expect(
      reader.readUrl(
        'http://elsewhere:7007/api/scaffolder/readiness/local-repos/fraud-detection/README.md',
      ),
    ).rejects.toMatchObject({ name: 'NotAllowedError' });
  });

  it('is added to the URL readers of every plugin by its service factory', async () => {
    const read = jest.fn();
    const { server } = await startTestBackend({
      features: [
        localRepositoriesUrlReaderServiceFactory,
        mockServices.rootConfig.factory({
          data: { readiness: { scaffolder: { localPublishRoot: root } } },
        }),
        createBackendPlugin({
          pluginId: 'reader',
          register(env) {
            env.registerInit({
              deps: {
                urlReader: coreServices.urlReader,
                discovery: coreServices.discovery,
              },
              async init({ urlReader, discovery }) {
                const base = await discovery.getBaseUrl('scaffolder');
                const response = await urlReader.readUrl(
                  `${base}/readiness/local-repos/fraud-detection/-/tree/readiness/fix-2026-12-06/deploy/pdb.yaml`,
                );
                read((await response.buffer()).toString('utf8'));
              },
            });
          },
        }),
      ],
    });
    expect(server).toBeDefined();
    expect(read).toHaveBeenCalledWith('kind: PodDisruptionBudget\n');
    // The branch did not change the working tree.
    expect(
      await git.currentBranch({ fs, dir: path.join(root, 'fraud-detection') }),
    ).toBe('main');
  });
});
