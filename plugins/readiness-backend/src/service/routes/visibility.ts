import {
  BackstageCredentials,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { readinessScorecardReadPermission } from '@prodready/plugin-readiness-common';
import { principalKey } from './readDecisions';

/**
 * Which entities' scorecards a caller may read, for the listings (overview,
 * summary, trend, CSV) that cannot ask about each entity one at a time.
 */
export interface EntityVisibility {
  /**
   * `undefined` when the caller may read every scorecard; otherwise the refs
   * (in lower case) of the entities whose scorecard they may read, possibly
   * none.
   */
  readableEntityRefs(
    credentials: BackstageCredentials,
  ): Promise<string[] | undefined>;
}

/** Resource refs per `authorize` call: its body stays well under 100 kB. */
const AUTHORIZE_BATCH = 200;
/** `authorize` calls in flight at once. */
const AUTHORIZE_CONCURRENCY = 4;

/**
 * {@link EntityVisibility} from the permission framework.
 *
 * `readiness.scorecard.read` is a catalog-entity resource permission. The
 * policy's decision without a resource comes first:
 *
 * - ALLOW, the fast path (the default policy, admins): no restriction and
 *   no further call;
 * - DENY: nothing;
 * - CONDITIONAL (for example "owners only"): the entities the caller may see
 *   in the catalog, read with their own credentials, each then authorized
 *   with its resource ref in batches, so that the catalog applies the
 *   policy's conditions (including rules that other modules registered).
 *   That costs a catalog query and one permission call per 200 entities, so
 *   the result is kept for `cacheTtlMs` (30 s) per caller and decision.
 */
export class PermissionEntityVisibility implements EntityVisibility {
  readonly #permissions: Pick<
    PermissionsService,
    'authorize' | 'authorizeConditional'
  >;
  readonly #catalog: CatalogService;
  readonly #logger: LoggerService;
  readonly #cacheTtlMs: number;
  readonly #cache = new Map<
    string,
    { expiresAt: number; refs: Promise<string[]> }
  >();

  constructor(options: {
    /** Its read decisions may be cached (see `ReadDecisionCache`). */
    permissions: Pick<PermissionsService, 'authorize' | 'authorizeConditional'>;
    catalog: CatalogService;
    logger: LoggerService;
    cacheTtlMs?: number;
  }) {
    this.#permissions = options.permissions;
    this.#catalog = options.catalog;
    this.#logger = options.logger;
    this.#cacheTtlMs = options.cacheTtlMs ?? 30_000;
  }

  async readableEntityRefs(
    credentials: BackstageCredentials,
  ): Promise<string[] | undefined> {
    const [decision] = await this.#permissions.authorizeConditional(
      [{ permission: readinessScorecardReadPermission }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.CONDITIONAL) {
      return decision.result === AuthorizeResult.ALLOW ? undefined : [];
    }

    const key = JSON.stringify([
      principalKey(credentials),
      decision.conditions,
    ]);
    const now = Date.now();
    for (const [cacheKey, entry] of this.#cache) {
      if (entry.expiresAt <= now) {
        this.#cache.delete(cacheKey);
      }
    }
    const cached = this.#cache.get(key);
    if (cached) {
      return cached.refs;
    }
    const refs = this.#authorizeEach(credentials);
    this.#cache.set(key, { expiresAt: now + this.#cacheTtlMs, refs });
    refs.catch(() => this.#cache.delete(key));
    return refs;
  }

  async #authorizeEach(credentials: BackstageCredentials): Promise<string[]> {
    const started = Date.now();
    const { items } = await this.#catalog.getEntities(
      { fields: ['kind', 'metadata.namespace', 'metadata.name'] },
      { credentials },
    );
    const candidates = [
      ...new Set(
        items.map(entity =>
          stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
        ),
      ),
    ];
    const batches: string[][] = [];
    for (let i = 0; i < candidates.length; i += AUTHORIZE_BATCH) {
      batches.push(candidates.slice(i, i + AUTHORIZE_BATCH));
    }
    const allowed: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < batches.length) {
        const batch = batches[next++];
        const decisions = await this.#permissions.authorize(
          batch.map(resourceRef => ({
            permission: readinessScorecardReadPermission,
            resourceRef,
          })),
          { credentials },
        );
        decisions.forEach((decision, i) => {
          if (decision.result === AuthorizeResult.ALLOW) {
            allowed.push(batch[i]);
          }
        });
      }
    };
    await Promise.all(
      Array.from(
        { length: Math.min(AUTHORIZE_CONCURRENCY, batches.length) },
        worker,
      ),
    );
    this.#logger.debug('Resolved a conditional scorecard read decision', {
      candidates: candidates.length,
      allowed: allowed.length,
      durationMs: Date.now() - started,
    });
    return allowed.sort();
  }
}
