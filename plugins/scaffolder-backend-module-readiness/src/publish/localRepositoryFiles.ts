/*
 * The files of the local repositories, as the scaffolder serves them and the
 * URL reader reads them: a repository's working tree on disk, or the tree of
 * one of its refs (branch, tag, commit) read from Git objects.
 *
 * Addresses, below `<scaffolder base URL>/readiness/local-repos/`:
 *   <repo>/<path>                       the working tree
 *   <repo>/-/tree/<ref>/<path>          the tree of a ref (refs may hold '/')
 *   <repo>/<path>?ref=<ref>             the same
 *   <repo>/-/compare/<base>...<head>    unified diff of head against base
 */
import { NotFoundError } from '@backstage/errors';
import { createHash } from 'crypto';
import fs from 'fs';
import path from 'path';
import { fileURLToPath } from 'url';
import { unifiedFileDiff } from './diff';
import {
  TreeFile,
  hashContent,
  listDiskFiles,
  listFilesAtCommit,
  readBlobContent,
  resolveCommit,
  resolveRefPrefix,
  statAtCommit,
} from './git';
import { checkRepoName } from './localRepository';

/** Where the scaffolder serves local repositories, under its base URL. */
export const LOCAL_REPOSITORIES_PATH = '/readiness/local-repos';

/** The URL prefixes of the local repositories, from the scaffolder's base URLs. */
export function localRepositoriesUrlPrefixes(
  scaffolderBaseUrls: ReadonlyArray<string>,
): string[] {
  return [
    ...new Set(
      scaffolderBaseUrls.map(
        base => `${base.replace(/\/+$/, '')}${LOCAL_REPOSITORIES_PATH}/`,
      ),
    ),
  ];
}

/**
 * The decoded path segments of a URL below the local repositories (the
 * first is the repository), or null when the URL is not one of theirs:
 * an http(s) URL under one of `prefixes`, or a `file:` URL inside `root`.
 * A trailing slash gives a last segment ''.
 */
export function localRepositorySegments(
  url: URL,
  options: { root: string; prefixes: ReadonlyArray<string> },
): string[] | null {
  if (url.protocol === 'file:') {
    let filePath: string;
    try {
      filePath = fileURLToPath(url);
    } catch {
      return null;
    }
    const relative = path.relative(path.resolve(options.root), filePath);
    if (
      relative === '' ||
      relative.startsWith('..') ||
      path.isAbsolute(relative)
    ) {
      return null;
    }
    const segments = relative.split(path.sep);
    return url.pathname.endsWith('/') ? [...segments, ''] : segments;
  }
  const href = `${url.origin}${url.pathname}`;
  const prefix = options.prefixes.find(p => href.startsWith(p));
  if (!prefix) {
    return null;
  }
  try {
    return href
      .slice(prefix.length)
      .split('/')
      .map(s => decodeURIComponent(s));
  } catch {
    return null;
  }
}

/** A file of a local repository, from disk or from a ref. */
export interface LocalRepositoryFile {
  /** `/`-separated, relative to the folder that was listed. */
  path: string;
  size: number;
  content(): Promise<Buffer>;
}

/** What an address names. */
export type LocalRepositoryAddress =
  | {
      kind: 'files';
      repoName: string;
      repoPath: string;
      /** The ref as written, or null for the working tree. */
      ref: string | null;
      /** The commit of the ref; null for the working tree. */
      commit: string | null;
      /** `/`-separated, relative to the repository; '' for its root. */
      path: string;
    }
  | {
      kind: 'compare';
      repoName: string;
      repoPath: string;
      base: string;
      head: string;
    };

function notFound(what: string): NotFoundError {
  return new NotFoundError(`${what} was not found`);
}

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

/**
 * Resolves addresses of the local repositories under a root folder, and
 * reads what they name. `allowDotFiles: false` (the public HTTP route) hides
 * every path with a segment starting with '.'; otherwise only `.git` is.
 */
export class LocalRepositoryFiles {
  readonly #root: string;
  readonly #allowDotFiles: boolean;

  constructor(options: { root: string; allowDotFiles?: boolean }) {
    this.#root = path.resolve(options.root);
    this.#allowDotFiles = options.allowDotFiles ?? false;
  }

  get root(): string {
    return this.#root;
  }

  #hidden(segment: string): boolean {
    return (
      segment === '' ||
      segment === '.' ||
      segment === '..' ||
      segment === '.git' ||
      (!this.#allowDotFiles && segment.startsWith('.'))
    );
  }

  /**
   * What the segments after `/local-repos/` name (decoded), with the ref of
   * a `?ref=` query; `null` for an address that names nothing.
   */
  async resolve(
    segments: ReadonlyArray<string>,
    queryRef?: string,
  ): Promise<LocalRepositoryAddress | null> {
    const [repoName, ...rest] = segments;
    try {
      checkRepoName(repoName);
    } catch {
      return null;
    }
    const repoPath = path.join(this.#root, repoName);
    if (!fs.existsSync(path.join(repoPath, '.git'))) {
      return null;
    }
    // A trailing slash names the folder itself.
    const trimmed =
      rest.length > 0 && rest[rest.length - 1] === ''
        ? rest.slice(0, -1)
        : rest;
    if (trimmed[0] === '-' && trimmed[1] === 'compare') {
      const spec = trimmed.slice(2).join('/');
      const [base, head, ...more] = spec.split('...');
      if (!base || !head || more.length > 0) return null;
      return { kind: 'compare', repoName, repoPath, base, head };
    }
    let ref: string | null = null;
    let commit: string | null = null;
    let pathSegments = trimmed;
    if (trimmed[0] === '-' && trimmed[1] === 'tree') {
      const found = await resolveRefPrefix(repoPath, trimmed.slice(2));
      if (!found) return null;
      ref = found.ref;
      commit = found.commit;
      pathSegments = found.rest;
    } else if (queryRef) {
      commit = await resolveCommit(repoPath, queryRef);
      if (!commit) return null;
      ref = queryRef;
    }
    if (pathSegments.some(s => this.#hidden(s))) {
      return null;
    }
    return {
      kind: 'files',
      repoName,
      repoPath,
      ref,
      commit,
      path: pathSegments.join('/'),
    };
  }

  /**
   * The real path of a working-tree path, checked to stay inside the root
   * (symbolic links included); null when it does not exist.
   */
  async #realPath(repoPath: string, relative: string): Promise<string | null> {
    try {
      const realRoot = await fs.promises.realpath(this.#root);
      const real = await fs.promises.realpath(path.join(repoPath, relative));
      return isInside(realRoot, real) ? real : null;
    } catch {
      return null;
    }
  }

  /** Whether the address names a folder (a tree) rather than a file. */
  async isFolder(
    address: Extract<LocalRepositoryAddress, { kind: 'files' }>,
  ): Promise<boolean> {
    if (address.commit) {
      const found = await statAtCommit(
        address.repoPath,
        address.commit,
        address.path,
      );
      return found?.type === 'tree';
    }
    const real = await this.#realPath(address.repoPath, address.path);
    return real !== null && (await fs.promises.stat(real)).isDirectory();
  }

  /** The content of the file an address names, and its ETag (blob id). */
  async readFile(
    address: Extract<LocalRepositoryAddress, { kind: 'files' }>,
  ): Promise<{ content: Buffer; etag: string }> {
    const what = `${address.repoName}/${address.path}${
      address.ref ? ` at ${address.ref}` : ''
    }`;
    if (address.commit) {
      const found = await statAtCommit(
        address.repoPath,
        address.commit,
        address.path,
      );
      if (!found || found.type !== 'blob') throw notFound(what);
      return {
        content: await readBlobContent(address.repoPath, found.oid),
        etag: found.oid,
      };
    }
    const real = await this.#realPath(address.repoPath, address.path);
    if (!real || !(await fs.promises.stat(real)).isFile()) {
      throw notFound(what);
    }
    const content = await fs.promises.readFile(real);
    return { content, etag: await hashContent(content) };
  }

  /**
   * The files below the folder an address names (paths relative to it), and
   * an ETag of the whole tree: the tree's object id for a ref, a hash of the
   * paths and contents for the working tree.
   */
  async listFiles(
    address: Extract<LocalRepositoryAddress, { kind: 'files' }>,
  ): Promise<{ files: LocalRepositoryFile[]; etag: string }> {
    const what = `${address.repoName}/${address.path}${
      address.ref ? ` at ${address.ref}` : ''
    }`;
    if (address.commit) {
      const found = await statAtCommit(
        address.repoPath,
        address.commit,
        address.path,
      );
      if (!found || found.type !== 'tree') throw notFound(what);
      const tree = (await listFilesAtCommit(
        address.repoPath,
        address.commit,
        address.path,
      )) as TreeFile[];
      const files: LocalRepositoryFile[] = [];
      for (const file of tree) {
        if (file.path.split('/').some(s => this.#hidden(s))) continue;
        if (file.mode === '120000') continue; // symbolic link
        const content = await readBlobContent(address.repoPath, file.oid);
        files.push({
          path: file.path,
          size: content.length,
          content: async () => content,
        });
      }
      return { files, etag: found.oid };
    }
    const real = await this.#realPath(address.repoPath, address.path);
    if (!real || !(await fs.promises.stat(real)).isDirectory()) {
      throw notFound(what);
    }
    const hash = createHash('sha1');
    const files: LocalRepositoryFile[] = [];
    for (const file of await listDiskFiles(real)) {
      if (file.path.split('/').some(s => this.#hidden(s))) continue;
      const content = await fs.promises.readFile(file.absolute);
      hash.update(`${file.path}\0${await hashContent(content)}\n`);
      files.push({
        path: file.path,
        size: content.length,
        content: async () => content,
      });
    }
    return { files, etag: hash.digest('hex') };
  }

  /** Unified diff of `head` against `base` (any refs), file by file. */
  async compare(
    address: Extract<LocalRepositoryAddress, { kind: 'compare' }>,
  ): Promise<string> {
    const base = await resolveCommit(address.repoPath, address.base);
    const head = await resolveCommit(address.repoPath, address.head);
    if (!base || !head) {
      throw notFound(
        `${address.repoName}: ${!base ? address.base : address.head}`,
      );
    }
    const [baseFiles, headFiles] = await Promise.all([
      listFilesAtCommit(address.repoPath, base),
      listFilesAtCommit(address.repoPath, head),
    ]);
    const before = new Map((baseFiles ?? []).map(f => [f.path, f.oid]));
    const after = new Map((headFiles ?? []).map(f => [f.path, f.oid]));
    const paths = [...new Set([...before.keys(), ...after.keys()])].sort();
    const parts: string[] = [];
    for (const filePath of paths) {
      const a = before.get(filePath);
      const b = after.get(filePath);
      if (a === b) continue;
      parts.push(
        unifiedFileDiff(
          filePath,
          a ? await readBlobContent(address.repoPath, a) : null,
          b ? await readBlobContent(address.repoPath, b) : null,
        ),
      );
    }
    return parts.join('');
  }
}
