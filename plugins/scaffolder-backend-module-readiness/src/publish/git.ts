/*
 * Reading and writing the Git objects of a local repository with
 * isomorphic-git, without touching its working tree or index.
 */
import fs from 'fs';
import git from 'isomorphic-git';
import path from 'path';

/** A file of a commit's tree. */
export interface TreeFile {
  /** `/`-separated, relative to the folder that was listed. */
  path: string;
  oid: string;
  mode: string;
}

const HEX = /^[0-9a-f]{4,40}$/i;

function isGitError(error: unknown, code: string): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    (error as { code?: string }).code === code
  );
}

/**
 * The commit a ref names in a repository: a branch, a tag, `HEAD`, or a
 * (possibly abbreviated) commit hash; `null` when it names nothing, or
 * something that is not a commit.
 */
export async function resolveCommit(
  dir: string,
  ref: string,
): Promise<string | null> {
  let oid: string | null = null;
  try {
    oid = await git.resolveRef({ fs, dir, ref });
  } catch (error) {
    if (!isGitError(error, 'NotFoundError')) {
      throw error;
    }
  }
  if (!oid && HEX.test(ref)) {
    try {
      oid = await git.expandOid({ fs, dir, oid: ref.toLowerCase() });
    } catch (error) {
      if (
        !isGitError(error, 'NotFoundError') &&
        !isGitError(error, 'AmbiguousError')
      ) {
        throw error;
      }
    }
  }
  if (!oid) {
    return null;
  }
  try {
    // Annotated tags peel to their commit.
    const { oid: commit } = await git.readCommit({ fs, dir, oid });
    return commit;
  } catch (error) {
    if (
      isGitError(error, 'ObjectTypeError') ||
      isGitError(error, 'NotFoundError')
    ) {
      return null;
    }
    throw error;
  }
}

/**
 * Resolves the longest leading part of `segments` that names a commit (refs
 * may hold slashes: `readiness/fix-2026-12-06/deploy/hpa.yaml`); the rest is
 * a path. `null` when no prefix is a ref.
 */
export async function resolveRefPrefix(
  dir: string,
  segments: ReadonlyArray<string>,
): Promise<{ ref: string; commit: string; rest: string[] } | null> {
  for (let length = segments.length; length > 0; length--) {
    const ref = segments.slice(0, length).join('/');
    if (ref === '') continue;
    const commit = await resolveCommit(dir, ref);
    if (commit) {
      return { ref, commit, rest: segments.slice(length) };
    }
  }
  return null;
}

/** The object a path names in a commit: a blob, a tree, or nothing. */
export async function statAtCommit(
  dir: string,
  commit: string,
  filepath: string,
): Promise<{ type: 'blob' | 'tree'; oid: string } | null> {
  const rootTree = (await git.readCommit({ fs, dir, oid: commit })).commit.tree;
  if (filepath === '') {
    return { type: 'tree', oid: rootTree };
  }
  const parent = path.posix.dirname(filepath);
  const name = path.posix.basename(filepath);
  try {
    const { tree } = await git.readTree({
      fs,
      dir,
      oid: rootTree,
      ...(parent === '.' ? {} : { filepath: parent }),
    });
    const entry = tree.find(e => e.path === name);
    if (!entry || (entry.type !== 'blob' && entry.type !== 'tree')) {
      return null;
    }
    return { type: entry.type, oid: entry.oid };
  } catch (error) {
    if (
      isGitError(error, 'NotFoundError') ||
      isGitError(error, 'ObjectTypeError')
    ) {
      return null;
    }
    throw error;
  }
}

/** Every file (blob) below a tree, recursively; submodules are left out. */
export async function listTree(
  dir: string,
  treeOid: string,
  prefix = '',
): Promise<TreeFile[]> {
  const { tree } = await git.readTree({ fs, dir, oid: treeOid });
  const files: TreeFile[] = [];
  for (const entry of tree) {
    const entryPath = prefix ? `${prefix}/${entry.path}` : entry.path;
    if (entry.type === 'tree') {
      files.push(...(await listTree(dir, entry.oid, entryPath)));
    } else if (entry.type === 'blob') {
      files.push({ path: entryPath, oid: entry.oid, mode: entry.mode });
    }
  }
  return files;
}

/** The files of a commit, or of one folder of it (paths relative to it). */
export async function listFilesAtCommit(
  dir: string,
  commit: string,
  folder = '',
): Promise<TreeFile[] | null> {
  const found = await statAtCommit(dir, commit, folder);
  if (!found || found.type !== 'tree') {
    return null;
  }
  return listTree(dir, found.oid);
}

/** The content of a blob. */
export async function readBlobContent(
  dir: string,
  oid: string,
): Promise<Buffer> {
  const { blob } = await git.readBlob({ fs, dir, oid });
  return Buffer.from(blob);
}

/** The Git object id a file's content would have as a blob. */
export async function hashContent(content: Uint8Array): Promise<string> {
  const { oid } = await git.hashBlob({ object: content });
  return oid;
}

type DirNode = {
  files: Map<string, { oid: string; mode: string }>;
  dirs: Map<string, DirNode>;
};

function emptyNode(): DirNode {
  return { files: new Map(), dirs: new Map() };
}

async function writeNode(dir: string, node: DirNode): Promise<string> {
  const entries: Array<{
    mode: string;
    path: string;
    oid: string;
    type: 'blob' | 'tree';
  }> = [];
  for (const [name, child] of node.dirs) {
    entries.push({
      mode: '040000',
      path: name,
      oid: await writeNode(dir, child),
      type: 'tree',
    });
  }
  for (const [name, file] of node.files) {
    entries.push({ mode: file.mode, path: name, oid: file.oid, type: 'blob' });
  }
  return git.writeTree({ fs, dir, tree: entries });
}

/**
 * Writes the tree of `files` (paths `/`-separated, from the repository root,
 * blobs already written) and returns its object id.
 */
export async function writeTreeOf(
  dir: string,
  files: ReadonlyArray<TreeFile>,
): Promise<string> {
  const root = emptyNode();
  for (const file of files) {
    const segments = file.path.split('/');
    let node = root;
    for (const segment of segments.slice(0, -1)) {
      let next = node.dirs.get(segment);
      if (!next) {
        next = emptyNode();
        node.dirs.set(segment, next);
      }
      node = next;
    }
    node.files.set(segments[segments.length - 1], {
      oid: file.oid,
      mode: file.mode,
    });
  }
  return writeNode(dir, root);
}

/** A file of a folder on disk, for comparing with a tree. */
export interface DiskFile {
  /** `/`-separated, relative to the folder. */
  path: string;
  absolute: string;
  executable: boolean;
}

/**
 * The regular files below a folder, sorted, without `.git` folders and
 * without following symbolic links.
 */
export async function listDiskFiles(folder: string): Promise<DiskFile[]> {
  const files: DiskFile[] = [];
  const walk = async (current: string, prefix: string) => {
    const entries = await fs.promises.readdir(current, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const entry of entries) {
      const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
      const absolute = path.join(current, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '.git') {
          await walk(absolute, relative);
        }
      } else if (entry.isFile()) {
        const stat = await fs.promises.stat(absolute);
        files.push({
          path: relative,
          absolute,
          // eslint-disable-next-line no-bitwise
          executable: (stat.mode & 0o111) !== 0,
        });
      }
    }
  };
  await walk(folder, '');
  return files;
}
