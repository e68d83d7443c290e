import type {
  AuthService,
  BackstageCredentials,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  CheckResultStatus,
  ExternalCheckResult,
  formatDuration,
  parseDuration,
  parseHttpUrl,
} from '@prodready/plugin-readiness-common';
import type { DatabaseExternalResultStore } from '../../database/DatabaseExternalResultStore';
import type { ReadinessEngine } from '../engine/types';

/** The body of `POST /results/{kind}/{namespace}/{name}`. */
export interface ExternalResultRequest {
  checkId: string;
  status: 'pass' | 'fail' | 'warn';
  message: string;
  detailsUrl?: string;
  value?: number;
  /** How long the result counts, e.g. `24h` (default) or `7d`; at most 365 days. */
  ttl?: string;
}

/** The answer: the result as the engine evaluated it. */
export interface ExternalResultResponse {
  entityRef: string;
  checkId: string;
  status: CheckResultStatus;
  message: string;
  expiresAt: string;
  level: string | null;
}

export const MAX_MESSAGE_LENGTH = 2000;
const DEFAULT_TTL_MS = 24 * 3_600_000;
const MAX_TTL_MS = 365 * 86_400_000;

/**
 * Results that pipelines push for external checks (`source: external`):
 * validated (the check exists and is external, the entity exists, the
 * message, link, value and TTL are well-formed) before anything is written,
 * stored as the entity's latest result of that check, and the entity is
 * evaluated at once, so the result counts toward its level and its history
 * like any other.
 */
export class ExternalResultsService {
  constructor(
    private readonly options: {
      store: Pick<DatabaseExternalResultStore, 'put'>;
      engine: Pick<ReadinessEngine, 'getDefinition' | 'refresh'>;
      catalog: Pick<CatalogService, 'getEntityByRef'>;
      auth: Pick<AuthService, 'getOwnServiceCredentials'>;
      now?: () => Date;
    },
  ) {}

  async push(
    entityRef: string,
    request: ExternalResultRequest,
    caller: BackstageCredentials,
  ): Promise<ExternalResultResponse> {
    const { store, engine, catalog, auth } = this.options;
    const check = engine
      .getDefinition()
      .checks.find(c => c.id === request.checkId);
    if (!check) {
      throw new NotFoundError(
        `There is no check '${request.checkId}'; declare it in readiness.checks with source: external`,
      );
    }
    if (check.source !== 'external') {
      throw new InputError(
        `Check '${request.checkId}' is evaluated from facts, not pushed: only checks declared with source: external take pushed results`,
      );
    }
    const message = request.message.trim();
    if (message.length === 0 || message.length > MAX_MESSAGE_LENGTH) {
      throw new InputError(
        `message must be 1 to ${MAX_MESSAGE_LENGTH} characters; got ${message.length}`,
      );
    }
    if (request.detailsUrl !== undefined) {
      const url = parseHttpUrl(request.detailsUrl);
      if (!url.ok) {
        throw new InputError(`detailsUrl: ${url.error}`);
      }
    }
    if (request.value !== undefined && !Number.isFinite(request.value)) {
      throw new InputError('value must be a finite number');
    }
    let ttlMs = DEFAULT_TTL_MS;
    if (request.ttl !== undefined) {
      const ttl = parseDuration(request.ttl);
      if (!ttl.ok) {
        throw new InputError(`ttl: ${ttl.error}`);
      }
      if (ttl.value > MAX_TTL_MS) {
        throw new InputError(
          `ttl must be at most ${formatDuration(MAX_TTL_MS)}; got ${
            request.ttl
          }`,
        );
      }
      ttlMs = ttl.value;
    }
    const credentials = await auth.getOwnServiceCredentials();
    const entity = await catalog.getEntityByRef(entityRef, { credentials });
    if (!entity) {
      throw new NotFoundError(`The catalog has no entity ${entityRef}`);
    }
    const now = this.options.now?.() ?? new Date();
    const principal = caller.principal as { subject?: string };
    const result: ExternalCheckResult = {
      status: request.status,
      message,
      ...(request.detailsUrl !== undefined
        ? { detailsUrl: request.detailsUrl }
        : {}),
      ...(request.value !== undefined ? { value: request.value } : {}),
      pushedBy: principal.subject ?? 'unknown',
      pushedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + ttlMs).toISOString(),
    };
    await store.put(entityRef, check.id, result);
    const scorecard = await engine.refresh(entityRef, { credentials });
    const evaluated = scorecard.results.find(r => r.checkId === check.id);
    return {
      entityRef,
      checkId: check.id,
      status: evaluated?.status ?? 'error',
      message: evaluated?.message ?? '',
      expiresAt: result.expiresAt,
      level: scorecard.level,
    };
  }
}
