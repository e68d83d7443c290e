import fs from 'fs/promises';
import path from 'path';
import type { UrlReaderService } from '@backstage/backend-plugin-api';
import type { DeploymentFileInput } from '../../deployment';
import { CONVENTIONAL_DEPLOYMENT_FOLDERS, DeploymentTarget } from './locate';

/**
 * Limits that keep one entity's read bounded.
 *
 * @public
 */
export type DeploymentReadLimits = {
  /** Largest file read, in bytes; larger files are skipped and reported. Default 1 MiB. */
  maxFileBytes: number;
  /** Most YAML files read; the rest are skipped and reported. Default 200. */
  maxFiles: number;
  /** Most bytes read in total. Default 8 MiB. */
  maxTotalBytes: number;
  /** Deepest folder level read below the target. Default 6. */
  maxDepth: number;
};

/** @public */
export const DEFAULT_DEPLOYMENT_READ_LIMITS: Readonly<DeploymentReadLimits> =
  Object.freeze({
    maxFileBytes: 1024 * 1024,
    maxFiles: 200,
    maxTotalBytes: 8 * 1024 * 1024,
    maxDepth: 6,
  });

/**
 * What a reader returns.
 *
 * @public
 */
export type DeploymentFilesReadResult =
  | {
      status: 'ok';
      /** YAML files, paths relative to the target, `/`-separated. */
      files: DeploymentFileInput[];
      /** Files that were found but not read, with why. */
      skipped: Array<{ path: string; message: string }>;
      /** An ETag of the tree (URL reads), to skip unchanged trees next time. */
      etag: string | null;
    }
  | { status: 'not-modified' }
  | { status: 'not-found'; message: string };

/** @public */
export type DeploymentFilesReadOptions = {
  etag?: string;
  signal?: AbortSignal;
};

/**
 * Reads the YAML files of a deployment target. Throws on errors that may be
 * transient (network, permissions), so that the engine keeps the previous
 * facts and marks them stale; a target that does not exist is `not-found`.
 *
 * @public
 */
export interface DeploymentFilesReader {
  read(
    target: DeploymentTarget,
    options?: DeploymentFilesReadOptions,
  ): Promise<DeploymentFilesReadResult>;
}

const YAML_FILE = /\.ya?ml$/i;

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

function toPosix(p: string): string {
  return p.split(path.sep).join('/');
}

/** Whether a path (relative to the target) is read, before size checks. */
function isWanted(
  relativePath: string,
  target: DeploymentTarget,
  limits: DeploymentReadLimits,
): boolean {
  const segments = relativePath.split('/');
  if (!YAML_FILE.test(relativePath) || segments.length > limits.maxDepth + 1) {
    return false;
  }
  if (!target.explicit) {
    return (
      segments.length > 1 &&
      CONVENTIONAL_DEPLOYMENT_FOLDERS.includes(segments[0])
    );
  }
  return true;
}

class Budget {
  files = 0;
  bytes = 0;
  constructor(private readonly limits: DeploymentReadLimits) {}

  /** Returns why a file of `size` bytes is skipped, or undefined to read it. */
  admit(size: number): string | undefined {
    if (size > this.limits.maxFileBytes) {
      return `file is too large (${size} bytes, the limit is ${this.limits.maxFileBytes}); skipped`;
    }
    if (this.files >= this.limits.maxFiles) {
      return `more than ${this.limits.maxFiles} YAML files; skipped`;
    }
    if (this.bytes + size > this.limits.maxTotalBytes) {
      return `the files exceed ${this.limits.maxTotalBytes} bytes in total; skipped`;
    }
    this.files += 1;
    this.bytes += size;
    return undefined;
  }
}

function isErrno(error: unknown, ...codes: string[]): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    codes.includes((error as NodeJS.ErrnoException).code ?? '')
  );
}

/**
 * Reads deployment files from the backend's disk, for entities registered
 * from `file` locations (the `UrlReaderService` reads only http(s) URLs).
 *
 * Guarded: the target (after resolving symbolic links) must stay inside the
 * folder of the catalog location; symbolic links below it are not followed;
 * only `.yaml`/`.yml` files are read, within {@link DeploymentReadLimits}.
 *
 * @public
 */
export function createFsDeploymentFilesReader(
  limits: Partial<DeploymentReadLimits> = {},
): DeploymentFilesReader {
  const effective = { ...DEFAULT_DEPLOYMENT_READ_LIMITS, ...limits };
  return {
    async read(target, options = {}) {
      const { signal } = options;
      if (target.type !== 'file') {
        throw new Error(`the file reader cannot read ${target.type} targets`);
      }
      let realRoot: string;
      let realTarget: string;
      try {
        realRoot = await fs.realpath(target.root);
        realTarget = await fs.realpath(target.path);
      } catch (error) {
        if (isErrno(error, 'ENOENT', 'ENOTDIR')) {
          return {
            status: 'not-found',
            message: `${target.path} does not exist`,
          };
        }
        throw error;
      }
      if (!isInside(realRoot, realTarget)) {
        throw new Error(
          `${target.path} resolves to ${realTarget}, outside of ${realRoot}; not read`,
        );
      }
      const budget = new Budget(effective);
      const files: DeploymentFileInput[] = [];
      const skipped: Array<{ path: string; message: string }> = [];

      const readOne = async (absolute: string, relative: string) => {
        signal?.throwIfAborted();
        const stat = await fs.stat(absolute);
        const why = budget.admit(stat.size);
        if (why) {
          skipped.push({ path: relative, message: why });
          return;
        }
        files.push({
          path: relative,
          content: await fs.readFile(absolute, 'utf8'),
        });
      };

      const top = await fs.stat(realTarget);
      if (top.isFile()) {
        const name = path.basename(realTarget);
        if (YAML_FILE.test(name)) {
          await readOne(realTarget, name);
        } else {
          skipped.push({ path: name, message: 'not a YAML file; skipped' });
        }
        return { status: 'ok', files, skipped, etag: null };
      }

      const walk = async (dir: string, prefix: string, depth: number) => {
        const entries = await fs.readdir(dir, { withFileTypes: true });
        entries.sort((a, b) => (a.name < b.name ? -1 : 1));
        for (const entry of entries) {
          const relative = prefix ? `${prefix}/${entry.name}` : entry.name;
          const absolute = path.join(dir, entry.name);
          if (entry.isSymbolicLink()) {
            if (YAML_FILE.test(entry.name)) {
              skipped.push({
                path: relative,
                message: 'symbolic link; not followed',
              });
            }
          } else if (entry.isDirectory()) {
            const conventional =
              target.explicit ||
              depth > 0 ||
              CONVENTIONAL_DEPLOYMENT_FOLDERS.includes(entry.name);
            if (
              depth < effective.maxDepth &&
              conventional &&
              entry.name !== 'node_modules' &&
              !entry.name.startsWith('.')
            ) {
              await walk(absolute, relative, depth + 1);
            }
          } else if (
            entry.isFile() &&
            isWanted(toPosix(relative), target, effective)
          ) {
            await readOne(absolute, toPosix(relative));
          }
        }
      };
      await walk(realTarget, '', 0);
      return { status: 'ok', files, skipped, etag: null };
    },
  };
}

function errorName(error: unknown): string | undefined {
  return typeof error === 'object' && error !== null
    ? (error as { name?: string }).name
    : undefined;
}

/**
 * Reads deployment files from an http(s) URL through
 * `UrlReaderService.readTree` (GitHub, GitLab, Bitbucket, Azure, Gerrit, ...
 * as configured in `integrations`), with the ETag of the previous read so
 * that an unchanged tree is not downloaded again.
 *
 * @public
 */
export function createUrlDeploymentFilesReader(
  urlReader: UrlReaderService,
  limits: Partial<DeploymentReadLimits> = {},
): DeploymentFilesReader {
  const effective = { ...DEFAULT_DEPLOYMENT_READ_LIMITS, ...limits };
  return {
    async read(target, options = {}) {
      if (target.type !== 'url') {
        throw new Error(`the URL reader cannot read ${target.type} targets`);
      }
      let response;
      try {
        response = await urlReader.readTree(target.url, {
          filter: (filePath: string) =>
            isWanted(filePath.replace(/^\/+/, ''), target, effective),
          ...(options.etag ? { etag: options.etag } : {}),
          ...(options.signal ? { signal: options.signal } : {}),
        });
      } catch (error) {
        if (errorName(error) === 'NotModifiedError') {
          return { status: 'not-modified' };
        }
        if (errorName(error) === 'NotFoundError') {
          return {
            status: 'not-found',
            message: `${target.url} was not found`,
          };
        }
        throw error;
      }
      const budget = new Budget(effective);
      const files: DeploymentFileInput[] = [];
      const skipped: Array<{ path: string; message: string }> = [];
      const entries = (await response.files())
        .map(file => ({ file, path: file.path.replace(/^\/+/, '') }))
        .filter(entry => isWanted(entry.path, target, effective))
        .sort((a, b) => (a.path < b.path ? -1 : 1));
      for (const entry of entries) {
        const content = await entry.file.content();
        const why = budget.admit(content.length);
        if (why) {
          skipped.push({ path: entry.path, message: why });
          continue;
        }
        files.push({ path: entry.path, content: content.toString('utf8') });
      }
      return {
        status: 'ok',
        files,
        skipped,
        etag: response.etag || null,
      };
    },
  };
}
