import fs from 'fs';
import os from 'os';
import path from 'path';
import { mockServices } from '@backstage/backend-test-utils';
import type {
  UrlReaderServiceReadTreeOptions,
  UrlReaderServiceReadTreeResponse,
} from '@backstage/backend-plugin-api';
import { NotFoundError, NotModifiedError } from '@backstage/errors';
import { EXAMPLES_DIR } from '../../../__testUtils__/examples';
import {
  createFsDeploymentFilesReader,
  createUrlDeploymentFilesReader,
} from './readers';

describe('createFsDeploymentFilesReader', () => {
  let tmp: string;

  beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'readiness-readers-'));
    const write = (file: string, content: string) => {
      fs.mkdirSync(path.dirname(path.join(tmp, file)), { recursive: true });
      fs.writeFileSync(path.join(tmp, file), content);
    };
    write('repo/deploy/deployment.yaml', 'kind: Deployment\n');
    write(
      'repo/deploy/overlays/prod/hpa.yml',
      'kind: HorizontalPodAutoscaler\n',
    );
    write('repo/deploy/README.md', '# not yaml\n');
    write('repo/deploy/big.yaml', `# ${'x'.repeat(2000)}\n`);
    write('repo/k8s/service.yaml', 'kind: Service\n');
    write('repo/src/config.yaml', 'not: a manifest\n');
    write('repo/catalog-info.yaml', 'kind: Component\n');
    write('outside/secret.yaml', 'kind: Secret\n');
    fs.symlinkSync(
      path.join(tmp, 'outside', 'secret.yaml'),
      path.join(tmp, 'repo', 'deploy', 'linked.yaml'),
    );
    fs.symlinkSync(path.join(tmp, 'outside'), path.join(tmp, 'repo', 'escape'));
  });

  afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('reads the YAML files of an example repository', async () => {
    const result = await createFsDeploymentFilesReader().read({
      type: 'file',
      path: path.join(EXAMPLES_DIR, 'repos', 'payments-api', 'deploy'),
      root: EXAMPLES_DIR,
      explicit: true,
    });
    expect(result).toEqual({
      status: 'ok',
      files: [
        'deployment.yaml',
        'hpa.yaml',
        'ingress.yaml',
        'networkpolicy.yaml',
        'pdb.yaml',
        'service.yaml',
      ].map(file => ({ path: file, content: expect.any(String) })),
      skipped: [],
      etag: null,
    });
    expect(result.status === 'ok' && result.files[1].content).toContain(
      'maxReplicas: 18',
    );
  });

  it('reads only YAML, within the size limit, never following links', async () => {
    const result = await createFsDeploymentFilesReader({
      maxFileBytes: 1000,
    }).read({
      type: 'file',
      path: path.join(tmp, 'repo', 'deploy'),
      root: path.join(tmp, 'repo'),
      explicit: true,
    });
    expect(result).toEqual({
      status: 'ok',
      files: [
        { path: 'deployment.yaml', content: 'kind: Deployment\n' },
        {
          path: 'overlays/prod/hpa.yml',
          content: 'kind: HorizontalPodAutoscaler\n',
        },
      ],
      skipped: [
        {
          path: 'big.yaml',
          message: 'file is too large (2003 bytes, the limit is 1000); skipped',
        },
        { path: 'linked.yaml', message: 'symbolic link; not followed' },
      ],
      etag: null,
    });
  });

  it('limits the number of files', async () => {
    const result = await createFsDeploymentFilesReader({ maxFiles: 1 }).read({
      type: 'file',
      path: path.join(tmp, 'repo', 'deploy'),
      root: path.join(tmp, 'repo'),
      explicit: true,
    });
    expect(result.status === 'ok' && result.files.map(f => f.path)).toEqual([
      'big.yaml',
    ]);
    expect(result.status === 'ok' && result.skipped).toEqual([
      { path: 'deployment.yaml', message: 'more than 1 YAML files; skipped' },
      { path: 'linked.yaml', message: 'symbolic link; not followed' },
      {
        path: 'overlays/prod/hpa.yml',
        message: 'more than 1 YAML files; skipped',
      },
    ]);
  });

  it('reads only the conventional folders of a source location', async () => {
    const result = await createFsDeploymentFilesReader().read({
      type: 'file',
      path: path.join(tmp, 'repo'),
      root: path.join(tmp, 'repo'),
      explicit: false,
    });
    expect(result.status === 'ok' && result.files.map(f => f.path)).toEqual([
      'deploy/big.yaml',
      'deploy/deployment.yaml',
      'deploy/overlays/prod/hpa.yml',
      'k8s/service.yaml',
    ]);
  });

  it('reads a single file', async () => {
    const result = await createFsDeploymentFilesReader().read({
      type: 'file',
      path: path.join(tmp, 'repo', 'k8s', 'service.yaml'),
      root: path.join(tmp, 'repo'),
      explicit: true,
    });
    expect(result).toMatchObject({
      status: 'ok',
      files: [{ path: 'service.yaml', content: 'kind: Service\n' }],
    });
  });

  it('refuses a target that resolves outside of the root', async () => {
    await expect(
      createFsDeploymentFilesReader().read({
        type: 'file',
        path: path.join(tmp, 'repo', 'escape'),
        root: path.join(tmp, 'repo'),
        explicit: true,
      }),
    ).rejects.toThrow(/outside of .*repo; not read$/);
  });

  it('stops when the evaluation cycle is aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('cycle timed out'));
    await expect(
      createFsDeploymentFilesReader().read(
        {
          type: 'file',
          path: path.join(tmp, 'repo', 'deploy'),
          root: path.join(tmp, 'repo'),
          explicit: true,
        },
        { signal: controller.signal },
      ),
    ).rejects.toThrow('cycle timed out');
  });

  it('says when the target does not exist', async () => {
    expect(
      await createFsDeploymentFilesReader().read({
        type: 'file',
        path: path.join(tmp, 'repo', 'missing'),
        root: path.join(tmp, 'repo'),
        explicit: true,
      }),
    ).toEqual({
      status: 'not-found',
      message: `${path.join(tmp, 'repo', 'missing')} does not exist`,
    });
  });
});

function treeResponse(
  files: Record<string, string>,
  etag = 'etag-1',
): UrlReaderServiceReadTreeResponse {
  return {
    etag,
    files: async () =>
      Object.entries(files).map(([filePath, content]) => ({
        path: filePath,
        content: async () => Buffer.from(content, 'utf8'),
      })),
    archive: async () => {
      throw new Error('not used');
    },
    dir: async () => {
      throw new Error('not used');
    },
  };
}

describe('createUrlDeploymentFilesReader', () => {
  const url = 'https://github.com/acme/payments/tree/main/deploy';

  it('reads the tree through the UrlReaderService', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () =>
        treeResponse({
          'hpa.yaml': 'kind: HorizontalPodAutoscaler\n',
          'deployment.yaml': 'kind: Deployment\n',
          'README.md': '# docs',
        }),
    });
    const result = await createUrlDeploymentFilesReader(urlReader).read(
      { type: 'url', url, explicit: true },
      { etag: 'etag-0' },
    );
    expect(result).toEqual({
      status: 'ok',
      files: [
        { path: 'deployment.yaml', content: 'kind: Deployment\n' },
        { path: 'hpa.yaml', content: 'kind: HorizontalPodAutoscaler\n' },
      ],
      skipped: [],
      etag: 'etag-1',
    });
    expect(urlReader.readTree).toHaveBeenCalledWith(url, {
      filter: expect.any(Function),
      etag: 'etag-0',
    });
    const { filter } = (urlReader.readTree as jest.Mock).mock
      .calls[0][1] as UrlReaderServiceReadTreeOptions;
    expect(filter!('k8s/hpa.yaml')).toBe(true);
    expect(filter!('README.md')).toBe(false);
  });

  it('filters a source location down to its conventional folders', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () =>
        treeResponse({
          'deploy/deployment.yaml': 'kind: Deployment\n',
          'src/config.yaml': 'a: 1\n',
          'catalog-info.yaml': 'kind: Component\n',
        }),
    });
    const result = await createUrlDeploymentFilesReader(urlReader).read({
      type: 'url',
      url: 'https://github.com/acme/payments/tree/main/',
      explicit: false,
    });
    expect(result.status === 'ok' && result.files.map(f => f.path)).toEqual([
      'deploy/deployment.yaml',
    ]);
    const { filter } = (urlReader.readTree as jest.Mock).mock
      .calls[0][1] as UrlReaderServiceReadTreeOptions;
    expect(filter!('helm/values.yaml')).toBe(true);
    expect(filter!('catalog-info.yaml')).toBe(false);
    expect(filter!('src/config.yaml')).toBe(false);
  });

  it('maps NotModifiedError and NotFoundError, and throws the rest', async () => {
    const reader = (error: Error) =>
      createUrlDeploymentFilesReader(
        mockServices.urlReader.mock({
          readTree: async () => {
            throw error;
          },
        }),
      );
    const target = { type: 'url' as const, url, explicit: true };
    expect(await reader(new NotModifiedError()).read(target)).toEqual({
      status: 'not-modified',
    });
    expect(await reader(new NotFoundError('gone')).read(target)).toEqual({
      status: 'not-found',
      message: `${url} was not found`,
    });
    await expect(
      reader(new Error('rate limited')).read(target),
    ).rejects.toThrow('rate limited');
  });

  it('skips files over the size limit', async () => {
    const urlReader = mockServices.urlReader.mock({
      readTree: async () => treeResponse({ 'big.yaml': 'x'.repeat(50) }),
    });
    const result = await createUrlDeploymentFilesReader(urlReader, {
      maxFileBytes: 10,
    }).read({ type: 'url', url, explicit: true });
    expect(result).toEqual({
      status: 'ok',
      files: [],
      skipped: [
        {
          path: 'big.yaml',
          message: 'file is too large (50 bytes, the limit is 10); skipped',
        },
      ],
      etag: 'etag-1',
    });
  });
});
