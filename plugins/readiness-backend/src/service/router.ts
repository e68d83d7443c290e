import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { InputError, NotAllowedError } from '@backstage/errors';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  CatalogValidationProblems,
  ReadinessHealth,
  readinessOverviewReadPermission,
} from '@prodready/plugin-readiness-common';
import express from 'express';
import { ReadinessStore } from '../database/ReadinessStore';
import { createOpenApiRouter } from '../schema/openapi.generated';
import { ChecklistService } from '../checklists/ChecklistService';
import { CatalogProblemsService } from './catalogProblems';
import { ReadinessEngine } from './engine/types';
import { registerChecklistRoutes } from './routes/checklists';
import { registerOverviewRoutes } from './routes/overview';
import { registerScorecardRoutes } from './routes/scorecards';
import { registerRemediationRoutes } from './routes/remediation';
import { RemediationService } from './remediation/RemediationService';
import { registerResultRoutes } from './routes/results';
import { registerRollupRoutes } from './routes/rollups';
import { registerWaiverRoutes } from './routes/waivers';
import {
  RollupGroups,
  RollupInitiatives,
  RollupService,
} from '../groups/RollupService';
import { WaiverService } from '../waivers/WaiverService';
import { ExternalResultsService } from './external/ExternalResultsService';
import {
  DEFAULT_PERMISSION_CACHE_TTL_MS,
  ReadDecisionCache,
} from './routes/readDecisions';
import { OverviewReadModel } from '../overview/OverviewReadModel';
import type { InitiativeService } from '../initiatives/InitiativeService';
import { registerInitiativeRoutes } from './routes/initiatives';
import {
  EntityVisibility,
  PermissionEntityVisibility,
} from './routes/visibility';

export interface RouterOptions {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  catalogProblems: CatalogProblemsService;
  engine: ReadinessEngine;
  store: ReadinessStore;
  /** Reads the entities a caller may see, when a policy is conditional. */
  catalog: CatalogService;
  /**
   * Which scorecards a caller may read in the overview; by default from the
   * permission framework (see {@link PermissionEntityVisibility}).
   */
  visibility?: EntityVisibility;
  /** Bounds of the CSV export: 50,000 rows, read 1,000 at a time. */
  csvExport?: { maxRows?: number; pageSize?: number };
  /** The checklists of the phases in force; without it, no checklist routes. */
  checklists?: ChecklistService;
  /** The initiatives; without it, no `/initiatives` routes. */
  initiatives?: InitiativeService;
  /** Computes remediation plans; without it, no `/remediation` route. */
  remediation?: RemediationService;
  /** Takes pushed results of external checks; without it, no `/results` route. */
  externalResults?: ExternalResultsService;
  /**
   * How long the listings keep a caller's read decisions (see
   * {@link ReadDecisionCache}); default 10 seconds, `0` for never.
   */
  permissionCacheTtlMs?: number;
  /**
   * The catalog's group hierarchy: the overview's owner filter then covers
   * sub-groups, and `/rollups` is served.
   */
  groups?: RollupGroups & { has(groupRef: string): Promise<boolean> };
  /** The initiatives due, in roll-ups. */
  rollupInitiatives?: RollupInitiatives;
  /** Waiver approval; without it, no `/waivers` routes. */
  waivers?: WaiverService;
}

/**
 * The `entityRef` query parameter, normalized; a full ref such as
 * `component:default/payouts-worker` (the namespace may be left out).
 */
function parseEntityRefParameter(value: string | undefined) {
  if (value === undefined) {
    return undefined;
  }
  try {
    return stringifyEntityRef(parseEntityRef(value));
  } catch (error) {
    throw new InputError(
      `Invalid entityRef '${value}': ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }
}

/**
 * The readiness REST API, typed and validated by src/schema/openapi.yaml
 * (which is also served at `/openapi.json`). The handlers check credentials
 * and permissions, turn parameters into store and engine calls, and shape
 * the answers; every error is one of `@backstage/errors`.
 */
export async function createRouter(
  options: RouterOptions,
): Promise<express.Router> {
  const { logger, httpAuth, permissions, catalogProblems, engine, store } =
    options;
  const router = await createOpenApiRouter({
    middleware: [express.json({ limit: '256kb' })],
    // Credentials are checked by httpAuth, as everywhere in Backstage (401,
    // not the validator's 400 for a missing header); the spec documents them.
    validatorOptions: { validateSecurity: false },
  });

  router.get('/health', (_req, res) => {
    const health: ReadinessHealth = { status: 'ok' };
    res.json(health);
  });

  router.get('/catalog-errors', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const [decision] = await permissions.authorize(
      [{ permission: readinessOverviewReadPermission }],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        'You are not allowed to read the catalog validation problems',
      );
    }
    const entityRef = parseEntityRefParameter(req.query.entityRef);
    const body: CatalogValidationProblems = {
      items: await catalogProblems.listProblems({ entityRef }),
    };
    res.json(body);
  });

  const readDecisions = new ReadDecisionCache({
    permissions,
    ttlMs: options.permissionCacheTtlMs ?? DEFAULT_PERMISSION_CACHE_TTL_MS,
  });
  const context = {
    logger,
    httpAuth,
    permissions,
    engine,
    store,
    readDecisions,
    visibility:
      options.visibility ??
      new PermissionEntityVisibility({
        permissions: readDecisions,
        catalog: options.catalog,
        logger,
      }),
  };
  const { checklists } = options;
  const overview = new OverviewReadModel({
    store,
    changes: {
      getGeneration: () => store.getOverviewGeneration(),
      getChangesSince: since => store.getOverviewChangesSince(since),
    },
    progress: checklists && (items => checklists.getOverviewProgress(items)),
    logger,
  });
  registerScorecardRoutes(router, context);
  registerRemediationRoutes(router, context, options.remediation);
  registerResultRoutes(router, context, options.externalResults);
  registerOverviewRoutes(router, context, {
    overview,
    readDecisions,
    csvExport: options.csvExport,
    checklists,
    groups: options.groups,
    initiatives: options.initiatives,
  });
  if (options.groups) {
    const groups = options.groups;
    registerRollupRoutes(router, context, {
      rollups: new RollupService({
        groups,
        scores: overview,
        initiatives: options.rollupInitiatives,
      }),
      hasGroup: ref => groups.has(ref),
    });
  }
  if (options.waivers && options.checklists) {
    registerWaiverRoutes(router, context, {
      waivers: options.waivers,
      catalog: options.catalog,
    });
  }
  if (options.checklists) {
    registerChecklistRoutes(router, context, {
      checklists: options.checklists,
      catalog: options.catalog,
      waivers: options.waivers,
    });
  }

  if (options.initiatives) {
    registerInitiativeRoutes(router, context, {
      initiatives: options.initiatives,
      catalog: options.catalog,
      groups: options.groups,
    });
  }

  logger.debug('Readiness API routes registered');
  return router;
}
