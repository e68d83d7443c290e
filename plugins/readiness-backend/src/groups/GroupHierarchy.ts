import type { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  Entity,
  RELATION_CHILD_OF,
  RELATION_PARENT_OF,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { ForwardedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { parseDuration } from '@prodready/plugin-readiness-common';

/**
 * The group hierarchy of the catalog (`spec.parent` / `spec.children`, and
 * the `childOf` / `parentOf` relations), as other parts of the backend use
 * it: for scope matching, the overview's owner filter and roll-ups.
 */
export interface GroupHierarchy {
  /**
   * The group and every group under it, at every depth, as lower-case
   * canonical refs, the group first. A ref that is no known group (a user, a
   * group the catalog does not have) is returned alone.
   */
  descendantsOf(groupRef: string): Promise<string[]>;
}

/** The default time a loaded hierarchy is used: 5 minutes. */
export const DEFAULT_GROUP_REFRESH_INTERVAL_MS = 5 * 60 * 1000;

/** Groups read from the catalog at a time. */
const PAGE_SIZE = 500;

/** One group of a loaded hierarchy. */
interface GroupNode {
  ref: string;
  title?: string;
  /** Lower-case refs of its direct sub-groups, sorted. */
  children: string[];
}

/** A loaded hierarchy. */
export interface GroupTree {
  /** By lower-case ref. */
  readonly groups: ReadonlyMap<string, GroupNode>;
}

/** Options of {@link CatalogGroupHierarchy}. */
export interface CatalogGroupHierarchyOptions {
  catalog: Pick<CatalogService, 'queryEntities'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials'>;
  logger: LoggerService;
  /** How long a loaded hierarchy is used, in ms; default 5 minutes. */
  refreshIntervalMs?: number;
  /** The clock, in ms since the epoch; for tests. */
  now?: () => number;
}

function normalize(ref: string): string {
  return ref.toLocaleLowerCase('en-US');
}

/** A group ref as the catalog writes it in relations and specs. */
function groupRef(value: string, namespace: string): string | undefined {
  try {
    return normalize(
      stringifyEntityRef(
        parseEntityRef(value, {
          defaultKind: 'group',
          defaultNamespace: namespace,
        }),
      ),
    );
  } catch {
    return undefined;
  }
}

/**
 * Builds the tree from Group entities: an edge is taken from either side
 * (the parent's `spec.children` or `parentOf` relations, the child's
 * `spec.parent` or `childOf` relations), so a catalog whose relations are
 * not yet processed still gives the right tree. Edges to groups that are not
 * in the catalog are dropped.
 */
export function buildGroupTree(entities: ReadonlyArray<Entity>): GroupTree {
  const groups = new Map<string, GroupNode>();
  const children = new Map<string, Set<string>>();
  const edge = (parent: string | undefined, child: string | undefined) => {
    if (!parent || !child || parent === child) return;
    let set = children.get(parent);
    if (!set) {
      set = new Set();
      children.set(parent, set);
    }
    set.add(child);
  };
  for (const entity of entities) {
    if (normalize(entity.kind ?? '') !== 'group' || !entity.metadata?.name) {
      continue;
    }
    const namespace = entity.metadata.namespace ?? 'default';
    const ref = normalize(stringifyEntityRef(entity));
    const spec = (entity.spec ?? {}) as {
      parent?: unknown;
      children?: unknown;
      profile?: { displayName?: unknown };
    };
    const displayName = spec.profile?.displayName;
    const title =
      typeof displayName === 'string' && displayName
        ? displayName
        : entity.metadata.title;
    groups.set(ref, { ref, ...(title && { title }), children: [] });
    if (typeof spec.parent === 'string') {
      edge(groupRef(spec.parent, namespace), ref);
    }
    if (Array.isArray(spec.children)) {
      for (const child of spec.children) {
        if (typeof child === 'string') edge(ref, groupRef(child, namespace));
      }
    }
    for (const relation of entity.relations ?? []) {
      const target = groupRef(relation.targetRef, namespace);
      if (relation.type === RELATION_PARENT_OF) edge(ref, target);
      if (relation.type === RELATION_CHILD_OF) edge(target, ref);
    }
  }
  for (const [parent, set] of children) {
    const node = groups.get(parent);
    if (!node) continue;
    node.children = [...set].filter(child => groups.has(child)).sort();
  }
  return { groups };
}

/**
 * The group and every group under it, breadth first, the group first; each
 * group once, so a cycle in a bad catalog ends.
 */
export function descendantsInTree(tree: GroupTree, ref: string): string[] {
  const start = normalize(ref);
  const seen = new Set<string>([start]);
  const order = [start];
  for (let i = 0; i < order.length; i++) {
    for (const child of tree.groups.get(order[i])?.children ?? []) {
      if (!seen.has(child)) {
        seen.add(child);
        order.push(child);
      }
    }
  }
  return order;
}

/**
 * `readiness.groups.refreshInterval`: how long a loaded group hierarchy is
 * used (a duration such as `5m`); default 5 minutes.
 */
export function readGroupRefreshInterval(config: Config): number {
  const key = 'readiness.groups.refreshInterval';
  const value = config.getOptionalString(key);
  if (value === undefined) {
    return DEFAULT_GROUP_REFRESH_INTERVAL_MS;
  }
  const parsed = parseDuration(value, { annotation: key });
  if (!parsed.ok) {
    throw new Error(`Invalid configuration: ${parsed.error}`);
  }
  return parsed.value;
}

/**
 * {@link GroupHierarchy} read from the catalog with the plugin's own
 * credentials: every Group entity (only the fields the tree needs, a page at
 * a time), kept for `refreshIntervalMs`. Concurrent callers share one load;
 * when a reload fails, the previous tree is kept (and the failure logged)
 * until the next attempt.
 */
export class CatalogGroupHierarchy implements GroupHierarchy {
  readonly #catalog: CatalogGroupHierarchyOptions['catalog'];
  readonly #auth: CatalogGroupHierarchyOptions['auth'];
  readonly #logger: LoggerService;
  readonly #ttlMs: number;
  readonly #now: () => number;
  #tree?: { tree: GroupTree; loadedAt: number };
  #loading?: Promise<GroupTree>;

  constructor(options: CatalogGroupHierarchyOptions) {
    this.#catalog = options.catalog;
    this.#auth = options.auth;
    this.#logger = options.logger;
    this.#ttlMs =
      options.refreshIntervalMs ?? DEFAULT_GROUP_REFRESH_INTERVAL_MS;
    this.#now = options.now ?? Date.now;
  }

  async descendantsOf(ref: string): Promise<string[]> {
    return descendantsInTree(await this.tree(), ref);
  }

  /** The lower-case refs of the direct sub-groups of a group. */
  async childrenOf(ref: string): Promise<string[]> {
    return [
      ...((await this.tree()).groups.get(normalize(ref))?.children ?? []),
    ];
  }

  /** `spec.profile.displayName` or `metadata.title` of a group, if set. */
  async titleOf(ref: string): Promise<string | undefined> {
    return (await this.tree()).groups.get(normalize(ref))?.title;
  }

  /** Whether the catalog has the group. */
  async has(ref: string): Promise<boolean> {
    return (await this.tree()).groups.has(normalize(ref));
  }

  /** Forgets the loaded tree: the next call reads the catalog again. */
  invalidate(): void {
    this.#tree = undefined;
  }

  /** The loaded tree, read again when older than the refresh interval. */
  async tree(): Promise<GroupTree> {
    const cached = this.#tree;
    if (cached && this.#now() - cached.loadedAt < this.#ttlMs) {
      return cached.tree;
    }
    if (!this.#loading) {
      this.#loading = this.#load()
        .then(
          tree => {
            this.#tree = { tree, loadedAt: this.#now() };
            return tree;
          },
          error => {
            if (!cached) throw error;
            this.#logger.warn(
              'Could not reload the group hierarchy from the catalog; using the previous one',
              { error: error instanceof Error ? error.message : String(error) },
            );
            // Try again at the next call, not at every call.
            this.#tree = { tree: cached.tree, loadedAt: this.#now() };
            return cached.tree;
          },
        )
        .finally(() => {
          this.#loading = undefined;
        });
    }
    return this.#loading;
  }

  async #load(): Promise<GroupTree> {
    const credentials = await this.#auth.getOwnServiceCredentials();
    const fields = [
      'kind',
      'metadata.name',
      'metadata.namespace',
      'metadata.title',
      'spec.parent',
      'spec.children',
      'spec.profile.displayName',
      'relations',
    ];
    const entities: Entity[] = [];
    let cursor: string | undefined;
    try {
      do {
        const page = await this.#catalog.queryEntities(
          cursor
            ? { cursor, limit: PAGE_SIZE, fields }
            : { filter: { kind: 'Group' }, limit: PAGE_SIZE, fields },
          { credentials },
        );
        entities.push(...page.items);
        cursor = page.pageInfo.nextCursor;
      } while (cursor);
    } catch (error) {
      throw new ForwardedError(
        'Could not read the groups of the catalog',
        error,
      );
    }
    const tree = buildGroupTree(entities);
    this.#logger.debug('Loaded the group hierarchy', {
      groups: tree.groups.size,
    });
    return tree;
  }
}
