import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import {
  READINESS_ANNOTATION_DEPLOYMENT_PATH,
  parseAnnotation,
} from '@prodready/plugin-readiness-common';
import { CONVENTIONAL_DEPLOYMENT_FOLDERS } from '@prodready/plugin-readiness-engine';
import fs from 'fs';
import path from 'path';

/** Where the deployment files of a service are in a checkout of its repository. */
export interface WorkspaceDeploymentFolder {
  /** Absolute folder. */
  folder: string;
  /** The folder relative to the repository root, `/`-separated ('' for the root). */
  relative: string;
  /** How it was found, in words. */
  reason: string;
  /** What was tried before, and why it did not apply. */
  notes: string[];
}

function withSlash(target: string): string {
  return target.endsWith('/') ? target : `${target}/`;
}

function isDirectory(folder: string): boolean {
  try {
    return fs.statSync(folder).isDirectory();
  } catch {
    return false;
  }
}

/**
 * The catalog file of an entity, relative to its repository: the part of
 * `backstage.io/managed-by-location` below `backstage.io/source-location`
 * when the first is inside the second, else `catalog-info.yaml` at the root
 * (where a repository's catalog file usually is).
 */
export function catalogFileInRepository(entity: Entity): {
  path: string;
  known: boolean;
} {
  const annotations = entity.metadata.annotations ?? {};
  const location = annotations[ANNOTATION_LOCATION];
  const source = annotations[ANNOTATION_SOURCE_LOCATION];
  if (location && source) {
    try {
      const l = parseLocationRef(location);
      const s = parseLocationRef(source);
      const base = withSlash(s.target);
      if (l.type === s.type && l.target.startsWith(base)) {
        return { path: l.target.slice(base.length), known: true };
      }
    } catch {
      // not location refs: the default below
    }
  }
  return { path: 'catalog-info.yaml', known: false };
}

/**
 * Finds the deployment folder of a service in a checkout of its repository
 * (the scaffolder workspace), the way the readiness engine finds it in the
 * repository:
 *
 * 1. `override` (relative to the repository), when given;
 * 2. `prodready.dev/deployment-path`, relative to the entity's catalog file
 *    in the repository ({@link catalogFileInRepository}), when that folder
 *    exists in the checkout;
 * 3. the first conventional deployment folder (`deploy`, `k8s`, `helm`, …)
 *    that exists.
 *
 * Throws an `InputError` naming what was tried when none is found.
 */
export function locateDeploymentFolder(
  entity: Entity,
  repositoryDir: string,
  override?: string,
): WorkspaceDeploymentFolder {
  const root = path.resolve(repositoryDir);
  const notes: string[] = [];
  const inside = (relative: string) => {
    const folder = path.resolve(root, relative);
    const rel = path.relative(root, folder);
    return rel.startsWith('..') || path.isAbsolute(rel)
      ? null
      : { folder, relative: rel.split(path.sep).join('/') };
  };

  if (override !== undefined && override.trim() !== '') {
    const found = inside(override);
    if (!found) {
      throw new InputError(
        `deploymentPath '${override}' leaves the repository; give a folder inside it`,
      );
    }
    if (!isDirectory(found.folder)) {
      throw new InputError(
        `deploymentPath '${override}' is not a folder of the repository`,
      );
    }
    return {
      ...found,
      reason: `the deploymentPath input '${override}'`,
      notes,
    };
  }

  const raw =
    entity.metadata.annotations?.[READINESS_ANNOTATION_DEPLOYMENT_PATH];
  if (raw !== undefined) {
    const parsed = parseAnnotation(READINESS_ANNOTATION_DEPLOYMENT_PATH, raw);
    if (!parsed.ok || typeof parsed.value !== 'string') {
      notes.push(
        `${READINESS_ANNOTATION_DEPLOYMENT_PATH} is invalid (${
          parsed.ok ? 'not a path' : parsed.error
        })`,
      );
    } else if (/^https?:\/\//i.test(parsed.value)) {
      notes.push(
        `${READINESS_ANNOTATION_DEPLOYMENT_PATH} is a URL (${parsed.value}), not a path of the repository`,
      );
    } else {
      const catalogFile = catalogFileInRepository(entity);
      const relative = path.posix.join(
        path.posix.dirname(catalogFile.path),
        parsed.value,
      );
      const found = inside(relative);
      const relativeTo = catalogFile.known
        ? `the catalog file ${catalogFile.path}`
        : `${
            catalogFile.path
          } at the repository root (the entity's catalog file, ${
            entity.metadata.annotations?.[ANNOTATION_LOCATION] ?? 'unknown'
          }, is not in the repository)`;
      if (found && isDirectory(found.folder)) {
        return {
          ...found,
          reason: `${READINESS_ANNOTATION_DEPLOYMENT_PATH} '${parsed.value}' relative to ${relativeTo}`,
          notes,
        };
      }
      notes.push(
        `${READINESS_ANNOTATION_DEPLOYMENT_PATH} '${
          parsed.value
        }' relative to ${relativeTo} is ${
          found
            ? `${found.relative}, which is not a folder of the repository`
            : 'outside the repository'
        }`,
      );
    }
  }

  for (const name of CONVENTIONAL_DEPLOYMENT_FOLDERS) {
    const folder = path.join(root, name);
    if (isDirectory(folder)) {
      return {
        folder,
        relative: name,
        reason: `the conventional deployment folder ${name}/`,
        notes,
      };
    }
  }
  throw new InputError(
    `No deployment folder was found in the repository: ${[
      ...notes,
      `none of the conventional folders (${CONVENTIONAL_DEPLOYMENT_FOLDERS.join(
        ', ',
      )}) exists`,
    ].join('; ')}. Set the deploymentPath input.`,
  );
}
