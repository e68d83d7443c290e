import { InputError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ANNOTATION_SOURCE_LOCATION } from '@backstage/catalog-model';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { stringifyDocuments } from '../yamlDocuments';

/** Repository names: what a Git host would accept as a repository slug. */
const REPO_NAME = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** Options of {@link publishToLocalRepository}. */
export interface LocalPublishOptions {
  /** The folder that holds the local repositories. */
  root: string;
  /** The repository's folder name under `root`. */
  repoName: string;
  /** The files to publish (the workspace, or a folder of it). */
  sourceDir: string;
  defaultBranch: string;
  author: { name: string; email: string };
  message: string;
  /**
   * The catalog file, relative to the repository. When set, its entities get
   * `backstage.io/source-location: file:<repository>/`, so that the readiness
   * engine reads the deployment manifests from disk.
   */
  catalogInfoPath?: string;
}

/** Where the repository was published. */
export interface LocalPublishResult {
  repoPath: string;
  /** `file://` URL of the repository, usable as a Git remote. */
  remoteUrl: string;
  commitHash: string;
}

/** Validates a repository name, naming the input and the rule. */
export function checkRepoName(repoName: unknown): string {
  if (typeof repoName !== 'string' || !REPO_NAME.test(repoName)) {
    throw new InputError(
      `repoName must be 1-100 lowercase letters, digits, '.', '_' or '-', starting with a letter or digit, got ${JSON.stringify(
        repoName,
      )}`,
    );
  }
  return repoName;
}

/** The folder of a repository under the root; throws if it would leave the root. */
export function localRepositoryPath(root: string, repoName: string): string {
  return resolveSafeChildPath(path.resolve(root), checkRepoName(repoName));
}

async function setSourceLocation(file: string, repoPath: string) {
  let text: string;
  try {
    text = await fs.promises.readFile(file, 'utf8');
  } catch {
    return; // no catalog file: nothing to point at the repository
  }
  const documents = parseAllDocuments(text);
  if (documents.some(d => d.errors.length > 0)) {
    return; // left as is; catalog:register reports the YAML error
  }
  for (const document of documents) {
    if (typeof document.get('kind') === 'string') {
      document.setIn(
        ['metadata', 'annotations', ANNOTATION_SOURCE_LOCATION],
        `file:${repoPath}${path.sep}`,
      );
    }
  }
  await fs.promises.writeFile(file, stringifyDocuments(documents));
}

/**
 * Publishes a folder as a new Git repository on disk: copies it under the
 * root, points its catalog entities at the folder, then `git init` and one
 * commit (isomorphic-git: no git binary needed). Refuses to overwrite an
 * existing repository; on failure, removes what it created.
 */
export async function publishToLocalRepository(
  options: LocalPublishOptions,
): Promise<LocalPublishResult> {
  const repoPath = localRepositoryPath(options.root, options.repoName);
  if (fs.existsSync(repoPath)) {
    throw new InputError(
      `repoName: a repository named '${
        options.repoName
      }' already exists in ${path.resolve(
        options.root,
      )}; choose another name, or remove the folder`,
    );
  }
  await fs.promises.mkdir(path.dirname(repoPath), { recursive: true });
  try {
    await fs.promises.cp(options.sourceDir, repoPath, {
      recursive: true,
      filter: source => path.basename(source) !== '.git',
    });
    if (options.catalogInfoPath) {
      await setSourceLocation(
        resolveSafeChildPath(repoPath, options.catalogInfoPath),
        repoPath,
      );
    }
    await git.init({ fs, dir: repoPath, defaultBranch: options.defaultBranch });
    await git.add({ fs, dir: repoPath, filepath: '.' });
    const commitHash = await git.commit({
      fs,
      dir: repoPath,
      message: options.message,
      author: options.author,
      committer: options.author,
    });
    return {
      repoPath,
      remoteUrl: `file://${repoPath}`,
      commitHash,
    };
  } catch (error) {
    await fs.promises.rm(repoPath, { recursive: true, force: true });
    throw error;
  }
}
