import { PermissionsService } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  OverviewSummary,
  PortfolioTrend,
} from '@prodready/plugin-readiness-common';
import { Response } from 'express';
import { ChecklistService } from '../../checklists/ChecklistService';
import { ScoreFilter } from '../../database/ReadinessStore';
import { OverviewReadModel } from '../../overview/OverviewReadModel';
import { GroupHierarchy, expandOwners } from '../../groups';
import type { InitiativeService } from '../../initiatives/InitiativeService';
import { csvAreas, overviewCsvHeader, overviewCsvRow } from './csv';
import { overviewPageJson } from './mappers';
import { OverviewFilterParams, parseOverviewFilter } from './params';
import { authorizeOverviewRead } from './overviewAccess';
import { ReadinessApiRouter, RouteContext } from './types';

const DEFAULT_PAGE_SIZE = 100;
const DEFAULT_TREND_DAYS = 30;
/** The most rows a CSV export holds, by default. */
const CSV_MAX_ROWS = 50_000;
/** Rows read from the store at a time while streaming the CSV, by default. */
const CSV_PAGE_SIZE = 1_000;

/** The overview of every entity, its summary, trend and CSV export. */
export function registerOverviewRoutes(
  router: ReadinessApiRouter,
  context: RouteContext,
  options: {
    /** Every entity's overview row, in memory. */
    overview: OverviewReadModel;
    /** The read decisions of the listings, cached per caller. */
    readDecisions: Pick<PermissionsService, 'authorize'>;
    csvExport?: { maxRows?: number; pageSize?: number };
    checklists?: ChecklistService;
    /** Expands owner groups to their sub-groups; without it, direct only. */
    groups?: GroupHierarchy;
    /** The entities of an initiative, for the `initiative` filter. */
    initiatives?: Pick<InitiativeService, 'entityRefsIn'>;
  },
) {
  const { logger, httpAuth, engine, store, visibility } = context;
  const {
    overview,
    readDecisions,
    csvExport = {},
    checklists,
    groups,
    initiatives,
  } = options;
  const csvMaxRows = csvExport.maxRows ?? CSV_MAX_ROWS;
  const csvPageSize = csvExport.pageSize ?? CSV_PAGE_SIZE;

  /**
   * Checks `readiness.overview.read` and the filters, and narrows the filter
   * to the entities whose scorecards the caller may read.
   */
  async function overviewFilter(
    req: Parameters<typeof httpAuth.credentials>[0],
    query: OverviewFilterParams,
  ): Promise<ScoreFilter> {
    const credentials = await authorizeOverviewRead(
      { httpAuth, readDecisions },
      req,
      'the readiness overview',
    );
    const filter = parseOverviewFilter(query, engine.getDefinition());
    if (filter.owners && groups && query.ownerScope !== 'direct') {
      filter.owners = await expandOwners(filter.owners, groups);
    }
    let entityRefs = await visibility.readableEntityRefs(credentials);
    if (query.initiative !== undefined) {
      entityRefs = intersect(
        entityRefs,
        await initiativeEntityRefs(query.initiative),
      );
    }
    return entityRefs === undefined ? filter : { ...filter, entityRefs };
  }

  /** The entities of an initiative; an unknown one is a bad filter. */
  async function initiativeEntityRefs(id: string): Promise<string[]> {
    if (!initiatives) {
      throw new InputError(
        `Invalid filter initiative '${id}': there are no initiatives`,
      );
    }
    try {
      return await initiatives.entityRefsIn(id);
    } catch (error) {
      if (error instanceof NotFoundError) {
        throw new InputError(
          `Invalid filter initiative '${id}': no such initiative`,
        );
      }
      throw error;
    }
  }

  router.get('/overview', async (req, res) => {
    const filter = await overviewFilter(req, req.query);
    const { orderBy, order, limit, cursor } = req.query;
    const page = await overview.list({
      filter,
      orderBy,
      order,
      limit: limit ?? DEFAULT_PAGE_SIZE,
      cursor,
    });
    // An OverviewPage, serialised from each row's kept JSON.
    // The typed router's send takes the object; this is its JSON text.
    (res as Response).type('application/json').send(overviewPageJson(page));
  });

  router.get('/overview/summary', async (req, res) => {
    const filter = await overviewFilter(req, req.query);
    const body: OverviewSummary = await overview.summarise(filter);
    res.json(body);
  });

  router.get('/overview/trend', async (req, res) => {
    const filter = await overviewFilter(req, req.query);
    const body: PortfolioTrend = {
      items: await store.getPortfolioTrend({
        days: req.query.days ?? DEFAULT_TREND_DAYS,
        filter,
      }),
    };
    res.json(body);
  });

  router.get('/overview.csv', async (req, res) => {
    const filter = await overviewFilter(req, req.query);
    const { orderBy, order } = req.query;
    const areas = csvAreas(engine.getDefinition());
    const phaseIds = checklists?.getPhases().map(phase => phase.id) ?? [];
    const read = (cursor?: string) =>
      overview.list({
        filter,
        orderBy,
        order,
        limit: csvPageSize,
        cursor,
      });

    // The first page is read before anything is sent, so that its errors
    // still get their status code.
    let page = await read();
    res.status(200);
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      'attachment; filename="readiness-overview.csv"',
    );
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('X-Total-Count', String(page.totalCount));
    if (page.totalCount > csvMaxRows) {
      res.setHeader('X-Readiness-Truncated', 'true');
    }

    const write = async (chunk: string) => {
      if (!res.write(chunk)) {
        await drainedOrClosed(res);
      }
    };
    let rows = 0;
    try {
      await write(overviewCsvHeader(areas, phaseIds));
      for (;;) {
        const items = page.items.slice(0, csvMaxRows - rows);
        await write(
          items
            .map(item => overviewCsvRow(item, areas, phaseIds, item.phases))
            .join(''),
        );
        rows += items.length;
        if (!page.nextCursor || rows >= csvMaxRows || res.destroyed) {
          break;
        }
        page = await read(page.nextCursor);
      }
    } catch (error) {
      // Too late for an error status: cut the download short, so that it
      // does not pass for complete.
      logger.error('Failed to export the readiness overview as CSV', {
        rows,
        error: error instanceof Error ? error.message : String(error),
      });
      res.destroy(error instanceof Error ? error : undefined);
      return;
    }
    res.end();
  });
}

/** Waits until the response can take more, or the client went away. */
function drainedOrClosed(res: Response): Promise<void> {
  return new Promise(resolve => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/** Refs in both lists (compared in lower case); `undefined` is every ref. */
function intersect(a: string[] | undefined, b: string[]): string[] {
  if (a === undefined) return b;
  const keep = new Set(b.map(ref => ref.toLocaleLowerCase('en-US')));
  return a.filter(ref => keep.has(ref.toLocaleLowerCase('en-US')));
}
