import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import {
  AuthorizeResult,
  ResourcePermission,
} from '@backstage/plugin-permission-common';
import {
  EntityScorecard,
  ReadinessChecks,
  ReadinessStatus,
  ScorecardHistory,
  ScorecardTrend,
  readinessRefreshPermission,
} from '@prodready/plugin-readiness-common';
import { describeStaleFacts } from '../engine/staleness';
import {
  fromEngineScorecard,
  toChecks,
  toEntityScorecard,
  toSnapshot,
  toTransition,
} from './mappers';
import { parseEntityPath } from './params';
import { readEntityScorecard } from './entityScorecard';
import { createReadableEntity } from './readableEntity';
import { ReadinessApiRouter, RouteContext } from './types';

const DEFAULT_HISTORY_LIMIT = 100;
const DEFAULT_TREND_DAYS = 30;

/**
 * The scorecard definition, each entity's scorecard, history, trend and
 * refresh, and the evaluation status.
 */
export function registerScorecardRoutes(
  router: ReadinessApiRouter,
  context: RouteContext,
) {
  const { logger, httpAuth, permissions, engine, store } = context;

  /** Throws NotAllowedError unless the caller has the permission on the entity. */
  async function authorizeEntity(
    permission: ResourcePermission<'catalog-entity'>,
    entityRef: string,
    credentials: BackstageCredentials,
    action: string,
  ) {
    const [decision] = await permissions.authorize(
      [{ permission, resourceRef: entityRef }],
      { credentials },
    );
    if (decision.result !== AuthorizeResult.ALLOW) {
      throw new NotAllowedError(
        `You are not allowed to ${action} ${entityRef}`,
      );
    }
  }

  const readable = createReadableEntity(context);
  /** The entity ref of the path, once the caller may read its scorecard. */
  async function readableEntity(
    req: Parameters<typeof httpAuth.credentials>[0],
    params: { kind: string; namespace: string; name: string },
  ) {
    return (await readable(req, params)).entityRef;
  }

  router.get('/checks', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: ReadinessChecks = toChecks(engine.getDefinition(), {
      includeRules: req.query.includeRules === true,
    });
    res.json(body);
  });

  router.get('/status', async (req, res) => {
    await httpAuth.credentials(req, { allow: ['user', 'service'] });
    const body: ReadinessStatus = engine.getStatus();
    res.json(body);
  });

  router.get('/scorecards/:kind/:namespace/:name', async (req, res) => {
    const entityRef = await readableEntity(req, req.params);
    const body: EntityScorecard = await readEntityScorecard(
      store,
      engine,
      entityRef,
    );
    res.json(body);
  });

  router.get('/scorecards/:kind/:namespace/:name/history', async (req, res) => {
    const entityRef = await readableEntity(req, req.params);
    const { limit, since, checkId } = req.query;
    const transitions = await store.getHistory(entityRef, {
      limit: limit ?? DEFAULT_HISTORY_LIMIT,
      ...(since !== undefined && { since: new Date(since) }),
      ...(checkId !== undefined && { checkId }),
    });
    const body: ScorecardHistory = { items: transitions.map(toTransition) };
    res.json(body);
  });

  router.get('/scorecards/:kind/:namespace/:name/trend', async (req, res) => {
    const entityRef = await readableEntity(req, req.params);
    const snapshots = await store.getTrend(entityRef, {
      days: req.query.days ?? DEFAULT_TREND_DAYS,
    });
    const body: ScorecardTrend = { items: snapshots.map(toSnapshot) };
    res.json(body);
  });

  router.post(
    '/scorecards/:kind/:namespace/:name/refresh',
    async (req, res) => {
      // A refresh is something a person does: service principals may not.
      const credentials = await httpAuth.credentials(req, { allow: ['user'] });
      const entityRef = parseEntityPath(req.params);
      await authorizeEntity(
        readinessRefreshPermission,
        entityRef,
        credentials,
        'refresh the readiness of',
      );
      const started = Date.now();
      // Throws NotFoundError when the catalog has no such entity.
      const scorecard = await engine.refresh(entityRef, { credentials });
      logger.info('Refreshed a readiness scorecard on request', {
        entityRef,
        by: credentials.principal.userEntityRef,
        level: scorecard.level ?? 'none',
        durationMs: Date.now() - started,
      });
      // Served as GET serves it (with when each result last changed) when the
      // store has this evaluation, which it should.
      const stored = await store.getScorecard(entityRef);
      const definition = engine.getDefinition();
      const body: EntityScorecard =
        stored &&
        stored.scores.evaluatedAt.getTime() >=
          new Date(scorecard.evaluatedAt).getTime()
          ? toEntityScorecard(
              stored,
              definition,
              scorecard.staleReason ??
                (stored.scores.stale
                  ? describeStaleFacts(await store.getFacts(entityRef))
                  : undefined),
            )
          : fromEngineScorecard(scorecard, definition);
      res.json(body);
    },
  );
}
