import type { LoggerService } from '@backstage/backend-plugin-api';
import fs from 'fs';
import path from 'path';
import {
  checkRepoName,
  localRepositoryPath,
  publishToLocalRepository,
} from './localRepository';

/** What {@link seedLocalRepositories} did, by repository name. */
export interface SeedResult {
  seeded: string[];
  existing: string[];
  failed: Array<{ name: string; error: string }>;
}

/**
 * Publishes each subfolder of `seedDir` that has no repository under `root`
 * yet as a local repository of that name (one commit on `main`), so that a
 * portal without a Git host has repositories for its example services.
 * Idempotent: existing repositories are left alone. Never throws for one
 * folder: failures are logged and reported.
 */
export async function seedLocalRepositories(options: {
  root: string;
  seedDir: string;
  logger: LoggerService;
}): Promise<SeedResult> {
  const { root, seedDir, logger } = options;
  const result: SeedResult = { seeded: [], existing: [], failed: [] };
  let entries: fs.Dirent[];
  try {
    entries = await fs.promises.readdir(seedDir, { withFileTypes: true });
  } catch (error) {
    logger.warn(
      `Cannot seed local repositories from ${seedDir}: ${
        (error as Error).message
      }`,
    );
    return result;
  }
  for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!entry.isDirectory() || entry.name.startsWith('.')) continue;
    const name = entry.name;
    try {
      checkRepoName(name);
      if (fs.existsSync(localRepositoryPath(root, name))) {
        result.existing.push(name);
        continue;
      }
      const published = await publishToLocalRepository({
        root,
        repoName: name,
        sourceDir: path.join(seedDir, name),
        defaultBranch: 'main',
        message: `Seed ${name} from ${path.basename(seedDir)}/${name}`,
        author: { name: 'Readiness seed', email: 'scaffolder@backstage.io' },
      });
      result.seeded.push(name);
      logger.info(
        `Seeded the local repository ${name} from ${path.join(
          seedDir,
          name,
        )} (${published.commitHash.slice(0, 7)})`,
      );
    } catch (error) {
      result.failed.push({ name, error: (error as Error).message });
      logger.error(
        `Could not seed the local repository ${name} from ${seedDir}: ${
          (error as Error).message
        }`,
      );
    }
  }
  logger.info(
    `Local repositories from ${seedDir}: ${result.seeded.length} seeded, ${
      result.existing.length
    } already present${
      result.failed.length ? `, ${result.failed.length} failed` : ''
    }`,
  );
  return result;
}
