import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ANNOTATION_SOURCE_LOCATION } from '@backstage/catalog-model';
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';
import { parseAllDocuments } from 'yaml';
import { stringifyDocuments } from '@prodready/plugin-readiness-engine';
import { unifiedFileDiff } from './diff';
import {
  hashContent,
  listDiskFiles,
  listTree,
  readBlobContent,
  writeTreeOf,
} from './git';

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

/** The prefix of the branches `readiness:publish:local` names itself. */
export const DEFAULT_BRANCH_PREFIX = 'readiness/fix-';

/**
 * Whether a branch name is one Git accepts (`git check-ref-format --branch`,
 * minus the exotic cases), and one that is safe in URLs and paths.
 */
export function checkBranchName(branch: unknown, input = 'branch'): string {
  const valid =
    typeof branch === 'string' &&
    branch.length <= 200 &&
    /^[A-Za-z0-9][A-Za-z0-9._/-]*$/.test(branch) &&
    !branch.endsWith('/') &&
    !branch.endsWith('.') &&
    !branch.endsWith('.lock') &&
    !branch.includes('//') &&
    !branch.includes('..') &&
    !branch.split('/').some(s => s.startsWith('.') || s.startsWith('-')) &&
    branch !== 'HEAD';
  if (!valid) {
    throw new InputError(
      `${input} must be a Git branch name of letters, digits, '.', '_', '-' and '/' (no '..', no segment starting with '.' or '-', at most 200 characters), got ${JSON.stringify(
        branch,
      )}`,
    );
  }
  return branch;
}

/** Options of {@link commitToLocalBranch}. */
export interface LocalBranchOptions {
  /** The folder that holds the local repositories. */
  root: string;
  /** The existing repository's folder name under `root`. */
  repoName: string;
  /** The new content: a checkout of the repository, with the changes. */
  sourceDir: string;
  /**
   * The new branch. Default `readiness/fix-<YYYY-MM-DD>` (with `-2`, `-3`…
   * when that name is taken); a name given here that exists is a conflict.
   */
  branch?: string;
  /** The branch to start from; default the repository's current branch. */
  baseBranch?: string;
  /**
   * The commit the workspace was fetched at. When the base branch has moved
   * since, nothing is written and a conflict is reported.
   */
  expectedBaseCommit?: string;
  author: { name: string; email: string };
  /** The first line of the commit message. */
  message: string;
  /** The body of the commit message (e.g. the pull-request description). */
  description?: string;
  /**
   * Only these files of the workspace (`/`-separated, relative to
   * `sourceDir`) are committed; one that is not in the workspace is deleted
   * from the branch. Default: every file of the workspace that differs.
   */
  paths?: ReadonlyArray<string>;
  /** Only compute what would be committed. */
  dryRun?: boolean;
  now?: Date;
}

/** What {@link commitToLocalBranch} committed (or would commit). */
export interface LocalBranchResult {
  repoPath: string;
  branch: string;
  baseBranch: string;
  baseCommit: string;
  /** The new commit; `null` in a dry run. */
  commitHash: string | null;
  /** The files the branch changes, from the repository root. */
  changedFiles: Array<{ path: string; change: 'create' | 'modify' | 'delete' }>;
  /** Unified diff of the branch against its base. */
  diff: string;
}

function isoDate(now: Date): string {
  return now.toISOString().slice(0, 10);
}

async function branchExists(dir: string, branch: string): Promise<boolean> {
  try {
    await git.resolveRef({ fs, dir, ref: `refs/heads/${branch}` });
    return true;
  } catch {
    return false;
  }
}

/**
 * Commits the changes of a workspace onto a NEW branch of an existing local
 * repository, built from Git objects (blobs, trees, a commit and a ref) on
 * top of the base branch's commit: the repository's checked-out branch,
 * working tree and index are left exactly as they were, so whatever reads
 * the live service from the working tree keeps reading it.
 *
 * The workspace is an overlay of the base commit: files that it adds or
 * whose content differs are committed; files it lacks are kept (a fetch may
 * leave some out), and the modes of existing files are kept. With `paths`,
 * only those files are taken from the workspace (and deleted when absent).
 *
 * Conflicts (the base branch moved since `expectedBaseCommit`, or the
 * branch exists) and a workspace without changes write nothing.
 */
export async function commitToLocalBranch(
  options: LocalBranchOptions,
): Promise<LocalBranchResult> {
  const repoPath = localRepositoryPath(options.root, options.repoName);
  if (!fs.existsSync(path.join(repoPath, '.git'))) {
    throw new NotFoundError(
      `There is no local repository named '${
        options.repoName
      }' in ${path.resolve(
        options.root,
      )}; publish it first (readiness:publish:local without a branch)`,
    );
  }
  const dir = repoPath;
  const baseBranch =
    options.baseBranch !== undefined
      ? checkBranchName(options.baseBranch, 'baseBranch')
      : await git.currentBranch({ fs, dir });
  if (!baseBranch) {
    throw new InputError(
      `The local repository '${options.repoName}' has no current branch (detached HEAD); set baseBranch`,
    );
  }
  let baseCommit: string;
  try {
    baseCommit = await git.resolveRef({
      fs,
      dir,
      ref: `refs/heads/${baseBranch}`,
    });
  } catch {
    throw new InputError(
      `baseBranch: the local repository '${options.repoName}' has no branch '${baseBranch}'`,
    );
  }
  if (options.expectedBaseCommit) {
    const expected = options.expectedBaseCommit.toLowerCase();
    if (!/^[0-9a-f]{4,40}$/.test(expected)) {
      throw new InputError(
        `expectedBaseCommit must be a commit hash, got ${JSON.stringify(
          options.expectedBaseCommit,
        )}`,
      );
    }
    if (!baseCommit.startsWith(expected)) {
      throw new ConflictError(
        `The branch '${baseBranch}' of '${
          options.repoName
        }' has moved since the workspace was fetched: it was at ${expected.slice(
          0,
          12,
        )}, it is now at ${baseCommit.slice(
          0,
          12,
        )}. Nothing was written; run the task again on the current state.`,
      );
    }
  }

  let branch: string;
  if (options.branch !== undefined) {
    branch = checkBranchName(options.branch);
    if (await branchExists(dir, branch)) {
      throw new ConflictError(
        `The local repository '${options.repoName}' already has a branch '${branch}'; an existing branch is never overwritten. Choose another name, or delete that branch first.`,
      );
    }
  } else {
    const base = `${DEFAULT_BRANCH_PREFIX}${isoDate(
      options.now ?? new Date(),
    )}`;
    branch = base;
    for (let n = 2; await branchExists(dir, branch); n++) {
      branch = `${base}-${n}`;
    }
  }

  // The overlay: the base commit's files, with the workspace's on top.
  const baseTree = (await git.readCommit({ fs, dir, oid: baseCommit })).commit
    .tree;
  const baseFiles = await listTree(dir, baseTree);
  const byPath = new Map(baseFiles.map(file => [file.path, file]));
  const changed: Array<{
    path: string;
    change: 'create' | 'modify' | 'delete';
    before: Buffer | null;
    after: Buffer | null;
    mode: string;
  }> = [];
  let diskFiles = await listDiskFiles(options.sourceDir);
  const deleted: string[] = [];
  if (options.paths) {
    const wanted = new Set<string>();
    for (const p of options.paths) {
      const normalised = path.posix.normalize(p.replace(/\\/g, '/'));
      if (
        normalised.startsWith('../') ||
        normalised === '..' ||
        path.posix.isAbsolute(normalised) ||
        normalised.split('/').includes('.git')
      ) {
        throw new InputError(
          `paths: '${p}' is not a path inside the repository`,
        );
      }
      wanted.add(normalised);
    }
    diskFiles = diskFiles.filter(file => wanted.delete(file.path));
    for (const missing of wanted) {
      if (!byPath.has(missing)) {
        throw new InputError(
          `paths: '${missing}' is neither in the workspace nor in the branch '${baseBranch}' of '${options.repoName}'`,
        );
      }
      deleted.push(missing);
    }
  }
  for (const file of diskFiles) {
    const content = await fs.promises.readFile(file.absolute);
    const existing = byPath.get(file.path);
    if (existing && existing.oid === (await hashContent(content))) {
      continue;
    }
    changed.push({
      path: file.path,
      change: existing ? 'modify' : 'create',
      before: existing ? await readBlobContent(dir, existing.oid) : null,
      after: content,
      mode: existing?.mode ?? (file.executable ? '100755' : '100644'),
    });
  }
  for (const filePath of deleted) {
    const existing = byPath.get(filePath)!;
    changed.push({
      path: filePath,
      change: 'delete',
      before: await readBlobContent(dir, existing.oid),
      after: null,
      mode: existing.mode,
    });
  }
  changed.sort((a, b) => (a.path < b.path ? -1 : 1));
  if (changed.length === 0) {
    throw new InputError(
      `Nothing to commit: the workspace has the same files as the branch '${baseBranch}' of '${
        options.repoName
      }' (${baseCommit.slice(0, 12)}), so no branch was created`,
    );
  }
  const diff = changed
    .map(c => unifiedFileDiff(c.path, c.before, c.after))
    .join('');
  const changedFiles = changed.map(c => ({ path: c.path, change: c.change }));
  if (options.dryRun) {
    return {
      repoPath,
      branch,
      baseBranch,
      baseCommit,
      commitHash: null,
      changedFiles,
      diff,
    };
  }

  for (const c of changed) {
    if (c.after === null) {
      byPath.delete(c.path);
    } else {
      const oid = await git.writeBlob({ fs, dir, blob: c.after });
      byPath.set(c.path, { path: c.path, oid, mode: c.mode });
    }
  }
  const tree = await writeTreeOf(dir, [...byPath.values()]);
  const now = options.now ?? new Date();
  const signature = {
    name: options.author.name,
    email: options.author.email,
    timestamp: Math.floor(now.getTime() / 1000),
    timezoneOffset: 0,
  };
  const commitHash = await git.writeCommit({
    fs,
    dir,
    commit: {
      message: `${options.message.trim()}\n${
        options.description?.trim() ? `\n${options.description.trim()}\n` : ''
      }`,
      tree,
      parent: [baseCommit],
      author: signature,
      committer: signature,
    },
  });
  try {
    await git.writeRef({
      fs,
      dir,
      ref: `refs/heads/${branch}`,
      value: commitHash,
      force: false,
    });
  } catch (error) {
    if (
      typeof error === 'object' &&
      error !== null &&
      (error as { code?: string }).code === 'AlreadyExistsError'
    ) {
      throw new ConflictError(
        `The local repository '${options.repoName}' got a branch '${branch}' while this one was written; it was not overwritten`,
      );
    }
    throw error;
  }
  return {
    repoPath,
    branch,
    baseBranch,
    baseCommit,
    commitHash,
    changedFiles,
    diff,
  };
}
