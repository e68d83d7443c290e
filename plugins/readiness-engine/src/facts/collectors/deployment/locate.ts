import path from 'path';
import { fileURLToPath } from 'url';
import {
  ANNOTATION_LOCATION,
  ANNOTATION_SOURCE_LOCATION,
  Entity,
  parseLocationRef,
} from '@backstage/catalog-model';
import {
  READINESS_ANNOTATION_DEPLOYMENT_PATH,
  parseAnnotation,
} from '@prodready/plugin-readiness-common';

/**
 * Where the deployment files of an entity are.
 *
 * - `url`: an http(s) URL, read through `UrlReaderService.readTree`.
 * - `file`: a folder (or file) on the backend's disk, for entities
 *   registered from `file` locations; `root` is the folder it must stay in.
 *
 * `explicit` is true when `prodready.dev/deployment-path` names the folder;
 * false when the folder is the source location and only its conventional
 * deployment folders ({@link CONVENTIONAL_DEPLOYMENT_FOLDERS}) are read.
 *
 * @public
 */
export type DeploymentTarget =
  | { type: 'url'; url: string; explicit: boolean }
  | { type: 'file'; path: string; root: string; explicit: boolean };

/**
 * The outcome of {@link locateDeploymentFiles}.
 *
 * @public
 */
export type DeploymentLocation = {
  target: DeploymentTarget | null;
  /** How the target was found, or why there is none. */
  reason: string;
  /** A configuration problem that prevents reading (reported in the facts). */
  problem: string | null;
};

/**
 * Top-level folders of a source location that hold deployment files, read
 * when an entity has a source location but no `prodready.dev/deployment-path`.
 *
 * @public
 */
export const CONVENTIONAL_DEPLOYMENT_FOLDERS: ReadonlyArray<string> = [
  'deploy',
  'deployment',
  'deployments',
  'k8s',
  'kubernetes',
  'manifests',
  'helm',
  'chart',
  'charts',
];

const HTTP_URL = /^https?:\/\//i;

function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target);
  return (
    relative === '' ||
    (!relative.startsWith('..') && !path.isAbsolute(relative))
  );
}

function filePathOf(target: string): string {
  return target.startsWith('file:') ? fileURLToPath(target) : target;
}

function withTrailingSlash(url: string): string {
  const parsed = new URL(url);
  if (!parsed.pathname.endsWith('/')) {
    parsed.pathname = `${parsed.pathname}/`;
  }
  return parsed.toString();
}

type BaseLocation = {
  annotation: string;
  type: string;
  target: string;
  /** The target names a folder (source location) rather than a file. */
  isFolder: boolean;
};

function baseLocation(entity: Entity): BaseLocation | string {
  const annotations = entity.metadata.annotations ?? {};
  // The deployment path is relative to the catalog-info file, so the
  // managed-by location comes first; the source location (a folder) next.
  const candidates: Array<[string, boolean]> = [
    [ANNOTATION_LOCATION, false],
    [ANNOTATION_SOURCE_LOCATION, true],
  ];
  for (const [annotation, isFolder] of candidates) {
    const ref = annotations[annotation];
    if (ref) {
      try {
        const { type, target } = parseLocationRef(ref);
        return { annotation, type, target, isFolder };
      } catch (error) {
        return `${annotation} '${ref}' is not a location ref: ${
          (error as Error).message
        }`;
      }
    }
  }
  return `the entity has neither ${ANNOTATION_LOCATION} nor ${ANNOTATION_SOURCE_LOCATION}, so a relative ${READINESS_ANNOTATION_DEPLOYMENT_PATH} cannot be resolved`;
}

function resolveAgainst(
  base: BaseLocation,
  relativePath: string,
  explicit: boolean,
): DeploymentLocation {
  const described = `${relativePath} relative to ${base.annotation} ${base.type}:${base.target}`;
  if (base.type === 'url') {
    if (!HTTP_URL.test(base.target)) {
      return {
        target: null,
        reason: described,
        problem: `${base.annotation} ${base.target} is not an http(s) URL`,
      };
    }
    const baseUrl = base.isFolder
      ? withTrailingSlash(base.target)
      : base.target;
    const url = new URL(relativePath, baseUrl).toString();
    return {
      target: { type: 'url', url, explicit },
      reason: described,
      problem: null,
    };
  }
  if (base.type === 'file') {
    let basePath: string;
    try {
      basePath = path.resolve(filePathOf(base.target));
    } catch (error) {
      return {
        target: null,
        reason: described,
        problem: `${base.annotation} ${base.target} is not a file path: ${
          (error as Error).message
        }`,
      };
    }
    const root = base.isFolder ? basePath : path.dirname(basePath);
    const resolved = path.resolve(root, relativePath);
    if (!isInside(root, resolved)) {
      return {
        target: null,
        reason: described,
        problem: `${READINESS_ANNOTATION_DEPLOYMENT_PATH} '${relativePath}' leaves the folder of the catalog location (${root}); only folders inside it are read`,
      };
    }
    return {
      target: { type: 'file', path: resolved, root, explicit },
      reason: described,
      problem: null,
    };
  }
  return {
    target: null,
    reason: described,
    problem: `${base.annotation} has the location type '${base.type}'; deployment files can be read only from 'url' (http/https) and 'file' locations`,
  };
}

/**
 * Finds where the deployment files of an entity are.
 *
 * 1. `prodready.dev/deployment-path`: an http(s) URL as is, or a path
 *    relative to the catalog file (`backstage.io/managed-by-location`, else
 *    `backstage.io/source-location`). `new URL(path, base)` for `url`
 *    locations; for `file` locations a path on disk that must stay inside the
 *    folder of the location.
 * 2. Otherwise `backstage.io/source-location`: its conventional deployment
 *    folders ({@link CONVENTIONAL_DEPLOYMENT_FOLDERS}).
 * 3. Otherwise nothing: the facts say `source: 'none'`.
 *
 * Pure; never throws.
 *
 * @public
 */
export function locateDeploymentFiles(entity: Entity): DeploymentLocation {
  const annotations = entity.metadata.annotations ?? {};
  const raw = annotations[READINESS_ANNOTATION_DEPLOYMENT_PATH];
  if (raw !== undefined) {
    const parsed = parseAnnotation(READINESS_ANNOTATION_DEPLOYMENT_PATH, raw);
    if (!parsed.ok || typeof parsed.value !== 'string') {
      return {
        target: null,
        reason: `${READINESS_ANNOTATION_DEPLOYMENT_PATH} is invalid`,
        problem: parsed.ok ? 'invalid deployment path' : parsed.error,
      };
    }
    const value = parsed.value;
    if (HTTP_URL.test(value)) {
      return {
        target: { type: 'url', url: value, explicit: true },
        reason: `${READINESS_ANNOTATION_DEPLOYMENT_PATH} ${value}`,
        problem: null,
      };
    }
    const base = baseLocation(entity);
    if (typeof base === 'string') {
      return { target: null, reason: base, problem: base };
    }
    return resolveAgainst(base, value, true);
  }
  const source = annotations[ANNOTATION_SOURCE_LOCATION];
  if (!source) {
    return {
      target: null,
      reason: `the entity has neither ${READINESS_ANNOTATION_DEPLOYMENT_PATH} nor ${ANNOTATION_SOURCE_LOCATION}`,
      problem: null,
    };
  }
  let location;
  try {
    location = parseLocationRef(source);
  } catch (error) {
    return {
      target: null,
      reason: `${ANNOTATION_SOURCE_LOCATION} is invalid`,
      problem: `${ANNOTATION_SOURCE_LOCATION} '${source}' is not a location ref: ${
        (error as Error).message
      }`,
    };
  }
  const located = resolveAgainst(
    {
      annotation: ANNOTATION_SOURCE_LOCATION,
      type: location.type,
      target: location.target,
      isFolder: true,
    },
    './',
    false,
  );
  return {
    ...located,
    reason: `the conventional deployment folders (${CONVENTIONAL_DEPLOYMENT_FOLDERS.join(
      ', ',
    )}) of ${ANNOTATION_SOURCE_LOCATION} ${source}`,
  };
}
