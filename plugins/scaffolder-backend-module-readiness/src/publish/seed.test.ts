import {
  createMockDirectory,
  mockServices,
} from '@backstage/backend-test-utils';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import { seedLocalRepositories } from './seed';

describe('seedLocalRepositories', () => {
  const mockDir = createMockDirectory();
  const root = mockDir.resolve('repos');
  const seedDir = mockDir.resolve('examples');

  beforeEach(() => {
    mockDir.setContent({
      examples: {
        'fraud-detection': { deploy: { 'hpa.yaml': 'maxReplicas: 6\n' } },
        'payments-api': {
          deploy: { 'pdb.yaml': 'kind: PodDisruptionBudget\n' },
        },
        'Not A Name': { 'x.yaml': 'x: 1\n' },
        'README.md': '# not a folder\n',
      },
    });
  });

  it('publishes each folder without a repository as one, once', async () => {
    const logger = mockServices.logger.mock();
    const first = await seedLocalRepositories({ root, seedDir, logger });
    expect(first).toEqual({
      seeded: ['fraud-detection', 'payments-api'],
      existing: [],
      failed: [
        {
          name: 'Not A Name',
          error: expect.stringContaining('repoName must be 1-100 lowercase'),
        },
      ],
    });
    const repo = path.join(root, 'fraud-detection');
    expect(await git.currentBranch({ fs, dir: repo })).toBe('main');
    expect(await git.listFiles({ fs, dir: repo })).toEqual(['deploy/hpa.yaml']);
    const [commit] = await git.log({ fs, dir: repo });
    expect(commit.commit.message).toBe(
      'Seed fraud-detection from examples/fraud-detection\n',
    );
    expect(logger.info).toHaveBeenCalledWith(
      `Local repositories from ${seedDir}: 2 seeded, 0 already present, 1 failed`,
    );

    // Idempotent: an existing repository (even changed since) is left alone.
    fs.writeFileSync(path.join(repo, 'deploy/hpa.yaml'), 'maxReplicas: 15\n');
    const second = await seedLocalRepositories({ root, seedDir, logger });
    expect(second.seeded).toEqual([]);
    expect(second.existing).toEqual(['fraud-detection', 'payments-api']);
    expect(fs.readFileSync(path.join(repo, 'deploy/hpa.yaml'), 'utf8')).toBe(
      'maxReplicas: 15\n',
    );
    expect(await git.log({ fs, dir: repo })).toHaveLength(1);
  });

  it('warns and seeds nothing when the folder does not exist', async () => {
    const logger = mockServices.logger.mock();
    expect(
      await seedLocalRepositories({
        root,
        seedDir: mockDir.resolve('nope'),
        logger,
      }),
    ).toEqual({ seeded: [], existing: [], failed: [] });
    expect(logger.warn).toHaveBeenCalledWith(
      expect.stringContaining('Cannot seed local repositories from'),
    );
  });
});
