import type { BackstageCredentials } from '@backstage/backend-plugin-api';
import { ConflictError, NotAllowedError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  InitiativeEntityState,
  readinessInitiativeCreatePermission,
  readinessInitiativeUpdatePermission,
  readinessScorecardReadPermission,
} from '@prodready/plugin-readiness-common';
import type { Response } from 'express';
import type { InitiativeService } from '../../initiatives/InitiativeService';
import { GroupHierarchy, expandOwners } from '../../groups';
import { authorizeOverviewRead } from './overviewAccess';
import { createEntityAuthorizer } from './authorizedEntity';
import { csvRow } from './csv';
import {
  OverviewFilterParams,
  parseEntityPath,
  parseOverviewFilter,
} from './params';
import { ReadinessApiRouter, RouteContext } from './types';

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_AUDIT_PAGE_SIZE = 50;
const CSV_PAGE_SIZE = 1000;

/** The initiatives: list, detail with burn-up, entities, CSV, audit, writes. */
export function registerInitiativeRoutes(
  router: ReadinessApiRouter,
  context: RouteContext,
  options: {
    initiatives: InitiativeService;
    catalog: CatalogService;
    /** Expands owner groups to their sub-groups; without it, direct only. */
    groups?: GroupHierarchy;
  },
) {
  const { httpAuth, permissions, readDecisions, visibility, engine } = context;
  const { initiatives } = options;
  const authorizeEntity = createEntityAuthorizer({
    catalog: options.catalog,
    permissions,
    readDecisions,
  });

  async function canReadOverview(
    req: Parameters<typeof httpAuth.credentials>[0],
  ): Promise<BackstageCredentials> {
    return authorizeOverviewRead(
      { httpAuth, readDecisions },
      req,
      'the initiatives',
    );
  }

  async function canWrite(
    req: Parameters<typeof httpAuth.credentials>[0],
    create: boolean,
  ): Promise<string> {
    const credentials = await httpAuth.credentials(req, { allow: ['user'] });
    const [decision] = await permissions.authorize(
      [
        {
          permission: create
            ? readinessInitiativeCreatePermission
            : readinessInitiativeUpdatePermission,
        },
      ],
      { credentials },
    );
    if (decision.result === AuthorizeResult.DENY) {
      throw new NotAllowedError(
        `You are not allowed to ${create ? 'create' : 'change'} initiatives`,
      );
    }
    return credentials.principal.userEntityRef;
  }

  /** The entity filter of a request, narrowed to what the caller may read. */
  async function entityQuery(
    credentials: BackstageCredentials,
    query: OverviewFilterParams & { state?: InitiativeEntityState[] },
  ) {
    const filter = parseOverviewFilter(query, engine.getDefinition());
    if (filter.owners && options.groups && query.ownerScope !== 'direct') {
      filter.owners = await expandOwners(filter.owners, options.groups);
    }
    const entityRefs = await visibility.readableEntityRefs(credentials);
    return {
      states: query.state,
      filter: entityRefs === undefined ? filter : { ...filter, entityRefs },
    };
  }

  router.get('/initiatives', async (req, res) => {
    await canReadOverview(req);
    send(res, { items: await initiatives.list() });
  });

  router.get('/initiatives/:id', async (req, res) => {
    await canReadOverview(req);
    send(res, await initiatives.get(req.params.id));
  });

  router.get('/initiatives/:id/entities', async (req, res) => {
    const credentials = await canReadOverview(req);
    const query = await entityQuery(credentials, req.query);
    send(
      res,
      await initiatives.listEntities(req.params.id, {
        ...query,
        limit: req.query.limit ?? DEFAULT_PAGE_SIZE,
        cursor: req.query.cursor,
      }),
    );
  });

  router.get('/initiatives/:id/entities.csv', async (req, res) => {
    const credentials = await canReadOverview(req);
    const query = await entityQuery(credentials, req.query);
    const lines = [
      csvRow(['entity', 'owner', 'state', 'level', 'score', 'missing']),
    ];
    let cursor: string | undefined;
    do {
      const page = await initiatives.listEntities(req.params.id, {
        ...query,
        limit: CSV_PAGE_SIZE,
        cursor,
      });
      for (const item of page.items) {
        lines.push(
          csvRow([
            item.entityRef,
            item.owner,
            item.state,
            item.level,
            item.score,
            item.missing.map(m => m.title).join('; '),
          ]),
        );
      }
      cursor = page.nextCursor;
    } while (cursor);
    const response = res as unknown as Response;
    response.setHeader('Content-Type', 'text/csv; charset=utf-8');
    response.setHeader(
      'Content-Disposition',
      `attachment; filename="initiative-${req.params.id}.csv"`,
    );
    response.setHeader('Cache-Control', 'no-store');
    response.status(200).send(lines.join(''));
  });

  router.get('/initiatives/:id/audit', async (req, res) => {
    await canReadOverview(req);
    send(
      res,
      await initiatives.listAudit(req.params.id, {
        limit: req.query.limit ?? DEFAULT_AUDIT_PAGE_SIZE,
        cursor: req.query.cursor,
      }),
    );
  });

  router.get(
    '/initiatives/by-entity/:kind/:namespace/:name',
    async (req, res) => {
      const credentials = await httpAuth.credentials(req, {
        allow: ['user', 'service'],
      });
      const { entityRef } = await authorizeEntity(
        parseEntityPath(req.params),
        credentials,
        readinessScorecardReadPermission,
        'read the initiatives of',
      );
      send(res, await initiatives.getEntityInitiatives(entityRef));
    },
  );

  router.post('/initiatives', async (req, res) => {
    const actor = await canWrite(req, true);
    const { expectedVersion, ...definition } = req.body;
    res.status(201);
    send(res, await initiatives.create(definition, actor));
  });

  router.put('/initiatives/:id', async (req, res) => {
    const actor = await canWrite(req, false);
    const { expectedVersion, ...definition } = req.body;
    const outcome = await initiatives.update(req.params.id, definition, {
      actor,
      expectedVersion: expectedVersion ?? 0,
    });
    if (!outcome.ok) {
      res.status(409);
      send(res, {
        error: {
          name: 'ConflictError',
          message: `Initiative '${req.params.id}' was changed since version ${
            expectedVersion ?? 0
          }; it is now at version ${outcome.current.version}`,
        },
        current: outcome.current,
      });
      return;
    }
    send(res, outcome.initiative);
  });

  router.delete('/initiatives/:id', async (req, res) => {
    const actor = await canWrite(req, false);
    const outcome = await initiatives.delete(req.params.id, {
      actor,
      expectedVersion: req.query.expectedVersion,
    });
    if (!outcome.ok) {
      throw new ConflictError(
        `Initiative '${req.params.id}' was changed since version ${req.query.expectedVersion}; it is now at version ${outcome.current.version}`,
      );
    }
    res.status(204).end();
  });
}

/**
 * Sends a JSON body: the initiative bodies hold the free-form `scope` and
 * `goal` objects, which the typed router's body types do not take as they
 * are.
 */
function send(res: unknown, body: unknown) {
  (res as Response).json(body);
}
