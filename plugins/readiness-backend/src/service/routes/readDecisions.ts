import {
  BackstageCredentials,
  PermissionsService,
  PermissionsServiceRequestOptions,
  RootConfigService,
} from '@backstage/backend-plugin-api';
import { readDurationFromConfig } from '@backstage/config';
import { durationToMilliseconds } from '@backstage/types';
import {
  AuthorizePermissionRequest,
  AuthorizePermissionResponse,
  AuthorizeResult,
  QueryPermissionRequest,
  QueryPermissionResponse,
  ResourcePermission,
} from '@backstage/plugin-permission-common';

/** The most callers whose decisions are kept at once. */
const MAX_ENTRIES = 10_000;

/** The config key of the cache's lifetime. */
export const PERMISSION_CACHE_TTL_KEY = 'readiness.overview.permissionCacheTtl';

/** How long the listings keep a caller's read decisions, by default. */
export const DEFAULT_PERMISSION_CACHE_TTL_MS = 10_000;

/** Reads `readiness.overview.permissionCacheTtl`, in milliseconds. */
export function readPermissionCacheTtl(config: RootConfigService): number {
  if (!config.has(PERMISSION_CACHE_TTL_KEY)) {
    return DEFAULT_PERMISSION_CACHE_TTL_MS;
  }
  const ms = durationToMilliseconds(
    readDurationFromConfig(config, { key: PERMISSION_CACHE_TTL_KEY }),
  );
  if (!Number.isFinite(ms) || ms < 0 || ms > 300_000) {
    throw new Error(
      `Invalid config at ${PERMISSION_CACHE_TTL_KEY}: it must be between 0 (no cache) and 5 minutes`,
    );
  }
  return ms;
}

/**
 * The key of a caller: principal type and user entity ref or subject.
 * Decisions are cached per caller, never shared between callers.
 */
export function principalKey(credentials: BackstageCredentials): string {
  const principal = credentials.principal as {
    type?: string;
    userEntityRef?: string;
    subject?: string;
  };
  return `${principal.type}:${principal.userEntityRef ?? principal.subject}`;
}

/**
 * The permission service of reads (the overview, its summary, trend and
 * CSV; scorecard and checklist reads through {@link ReadDecisionCache.canRead}),
 * with the policy's decisions on READ permissions without a resource kept
 * per caller for `ttlMs`. Each such decision is otherwise a request to the
 * permission backend, which at hundreds of overview requests a second
 * costs more than the listing itself.
 *
 * Only requests in which no item names a resource are cached (decisions
 * about one entity always go to the policy). A change of policy or of a
 * user's groups therefore reaches the listings within `ttlMs` (default 10
 * seconds, `readiness.overview.permissionCacheTtl`); `0` turns the cache
 * off. Use it for read permissions only: changes are authorized by the
 * routes with the plain permission service, every time.
 */
export class ReadDecisionCache
  implements Pick<PermissionsService, 'authorize' | 'authorizeConditional'>
{
  readonly #permissions: PermissionsService;
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<
    string,
    { expiresAt: number; decisions: Promise<unknown[]> }
  >();

  constructor(options: {
    permissions: PermissionsService;
    ttlMs: number;
    now?: () => number;
  }) {
    this.#permissions = options.permissions;
    this.#ttlMs = options.ttlMs;
    this.#now = options.now ?? Date.now;
  }

  authorize(
    requests: AuthorizePermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<AuthorizePermissionResponse[]> {
    return this.#cached('authorize', requests, options, () =>
      this.#permissions.authorize(requests, options),
    );
  }

  authorizeConditional(
    requests: QueryPermissionRequest[],
    options: PermissionsServiceRequestOptions,
  ): Promise<QueryPermissionResponse[]> {
    return this.#cached('conditional', requests, options, () =>
      this.#permissions.authorizeConditional(requests, options),
    );
  }

  /**
   * Whether the caller may read one resource. The policy's decision for the
   * caller without the resource comes first, from the cache: the permission
   * backend gives exactly that decision for any resource unless it is
   * conditional, so only a conditional decision (such as "owners only")
   * costs a call with the resource, whose conditions the framework applies.
   * For read permissions only.
   */
  async canRead(
    permission: ResourcePermission,
    resourceRef: string,
    options: PermissionsServiceRequestOptions,
  ): Promise<boolean> {
    const [decision] = await this.authorizeConditional(
      [{ permission }],
      options,
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW;
    }
    const [resourceDecision] = await this.#permissions.authorize(
      [{ permission, resourceRef }],
      options,
    );
    return resourceDecision.result === AuthorizeResult.ALLOW;
  }

  #cached<T>(
    kind: string,
    requests: Array<{ permission: { name: string }; resourceRef?: unknown }>,
    options: PermissionsServiceRequestOptions,
    ask: () => Promise<T[]>,
  ): Promise<T[]> {
    if (
      this.#ttlMs <= 0 ||
      requests.some(request => request.resourceRef !== undefined)
    ) {
      return ask();
    }
    const key = JSON.stringify([
      kind,
      principalKey(options.credentials),
      requests.map(request => request.permission.name),
    ]);
    const now = this.#now();
    const hit = this.#entries.get(key);
    if (hit && hit.expiresAt > now) {
      return hit.decisions as Promise<T[]>;
    }
    if (this.#entries.size >= MAX_ENTRIES) {
      for (const [k, entry] of this.#entries) {
        if (entry.expiresAt <= now) this.#entries.delete(k);
      }
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    }
    const decisions = ask();
    const entry = { expiresAt: now + this.#ttlMs, decisions };
    this.#entries.set(key, entry);
    // A failed call is not remembered.
    decisions.catch(() => {
      if (this.#entries.get(key) === entry) this.#entries.delete(key);
    });
    return decisions;
  }
}
