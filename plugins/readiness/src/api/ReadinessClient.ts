import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CatalogValidationProblems,
  ChecklistAuditPage,
  ChecklistConflict,
  ChecklistItemUpdateRequest,
  EntityChecklistItem,
  EntityChecklists,
  EntityScorecard,
  EntityStoredFacts,
  OverviewFilter,
  OverviewPage,
  OverviewQuery,
  OverviewSummary,
  PhaseSummary,
  PortfolioTrend,
  ReadinessChecks,
  ReadinessHealth,
  ReadinessStatus,
  RemediationPlan,
  ScorecardHistory,
  ScorecardHistoryOptions,
  ScorecardTrend,
  buildOverviewQueryString,
} from '@prodready/plugin-readiness-common';
import {
  ChecklistConflictError,
  ReadinessApi,
  ReadinessEntityRef,
} from './ReadinessApi';

/** The filter part of an overview query; the other endpoints take no more. */
function filterOf(query: OverviewFilter = {}): OverviewFilter {
  const { owner, system, lifecycle, tier, level, kind, type, q } = query;
  return { owner, system, lifecycle, tier, level, kind, type, q };
}

function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

/** `{prefix}/{kind}/{namespace}/{name}`, each part encoded. */
function entityPath(prefix: string, entityRef: ReadinessEntityRef): string {
  const { kind, namespace, name } =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return [prefix, kind, namespace, name]
    .map(part => encodeURIComponent(part))
    .join('/');
}

/** `scorecards/{kind}/{namespace}/{name}`, each part encoded. */
function scorecardPath(entityRef: ReadinessEntityRef): string {
  return entityPath('scorecards', entityRef);
}

/**
 * The HTTP client of the readiness backend.
 *
 * @public
 */
export class ReadinessClient implements ReadinessApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  async getHealth(): Promise<ReadinessHealth> {
    return this.request<ReadinessHealth>('health');
  }

  async getCatalogProblems(options?: {
    entityRef?: string;
  }): Promise<CatalogValidationProblems> {
    const query = new URLSearchParams();
    if (options?.entityRef !== undefined) {
      query.set('entityRef', options.entityRef);
    }
    return this.request<CatalogValidationProblems>(
      withQuery('catalog-errors', query.toString()),
    );
  }

  async getChecks(): Promise<ReadinessChecks> {
    return this.request<ReadinessChecks>('checks');
  }

  async getScorecard(entityRef: ReadinessEntityRef): Promise<EntityScorecard> {
    return this.request<EntityScorecard>(scorecardPath(entityRef));
  }

  async getHistory(
    entityRef: ReadinessEntityRef,
    options: ScorecardHistoryOptions = {},
  ): Promise<ScorecardHistory> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    if (options.since !== undefined) {
      query.set('since', new Date(options.since).toISOString());
    }
    if (options.checkId !== undefined) {
      query.set('checkId', options.checkId);
    }
    return this.request<ScorecardHistory>(
      withQuery(`${scorecardPath(entityRef)}/history`, query.toString()),
    );
  }

  async getTrend(
    entityRef: ReadinessEntityRef,
    days?: number,
  ): Promise<ScorecardTrend> {
    const query = new URLSearchParams();
    if (days !== undefined) {
      query.set('days', String(days));
    }
    return this.request<ScorecardTrend>(
      withQuery(`${scorecardPath(entityRef)}/trend`, query.toString()),
    );
  }

  async refresh(entityRef: ReadinessEntityRef): Promise<EntityScorecard> {
    return this.request<EntityScorecard>(
      `${scorecardPath(entityRef)}/refresh`,
      {
        method: 'POST',
      },
    );
  }

  async getRemediation(
    entityRef: ReadinessEntityRef,
  ): Promise<RemediationPlan> {
    return this.request<RemediationPlan>(entityPath('remediation', entityRef));
  }

  async getFacts(entityRef: ReadinessEntityRef): Promise<EntityStoredFacts> {
    return this.request<EntityStoredFacts>(entityPath('facts', entityRef));
  }

  async getOverview(query: OverviewQuery = {}): Promise<OverviewPage> {
    return this.request<OverviewPage>(
      withQuery('overview', buildOverviewQueryString(query)),
    );
  }

  async getOverviewSummary(filter?: OverviewFilter): Promise<OverviewSummary> {
    return this.request<OverviewSummary>(
      withQuery('overview/summary', buildOverviewQueryString(filterOf(filter))),
    );
  }

  async getPortfolioTrend(
    filter: OverviewFilter & { days?: number } = {},
  ): Promise<PortfolioTrend> {
    const query = new URLSearchParams();
    if (filter.days !== undefined) {
      query.set('days', String(filter.days));
    }
    const rest = buildOverviewQueryString(filterOf(filter));
    const search = [query.toString(), rest].filter(Boolean).join('&');
    return this.request<PortfolioTrend>(withQuery('overview/trend', search));
  }

  async getOverviewCsvUrl(
    query: OverviewFilter & Pick<OverviewQuery, 'orderBy' | 'order'> = {},
  ): Promise<string> {
    const { orderBy, order } = query;
    return this.url(
      withQuery(
        'overview.csv',
        buildOverviewQueryString({ ...filterOf(query), orderBy, order }),
      ),
    );
  }

  async downloadOverviewCsv(
    query: OverviewFilter & Pick<OverviewQuery, 'orderBy' | 'order'> = {},
  ): Promise<Blob> {
    const response = await this.fetchApi.fetch(
      await this.getOverviewCsvUrl(query),
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.blob();
  }

  async getStatus(): Promise<ReadinessStatus> {
    return this.request<ReadinessStatus>('status');
  }

  async getPhases(): Promise<{ phases: PhaseSummary[] }> {
    return this.request<{ phases: PhaseSummary[] }>('phases');
  }

  async getChecklists(
    entityRef: ReadinessEntityRef,
  ): Promise<EntityChecklists> {
    return this.request<EntityChecklists>(entityPath('checklists', entityRef));
  }

  async updateChecklistItem(
    entityRef: ReadinessEntityRef,
    item: { phaseId: string; itemId: string },
    update: ChecklistItemUpdateRequest,
  ): Promise<EntityChecklistItem> {
    const path = [
      entityPath('checklists', entityRef),
      encodeURIComponent(item.phaseId),
      'items',
      encodeURIComponent(item.itemId),
    ].join('/');
    const response = await this.fetchApi.fetch(await this.url(path), {
      method: 'PUT',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(update),
    });
    if (response.status === 409) {
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as ChecklistConflict | undefined;
      if (body?.current) {
        throw new ChecklistConflictError(
          body.error?.message ??
            'The item was changed by someone else in the meantime',
          body.current,
        );
      }
    }
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as EntityChecklistItem;
  }

  async getChecklistAudit(
    entityRef: ReadinessEntityRef,
    options: {
      phaseId?: string;
      itemId?: string;
      limit?: number;
      cursor?: string;
    } = {},
  ): Promise<ChecklistAuditPage> {
    const query = new URLSearchParams();
    for (const key of ['phaseId', 'itemId', 'limit', 'cursor'] as const) {
      if (options[key] !== undefined && options[key] !== '') {
        query.set(key, String(options[key]));
      }
    }
    return this.request<ChecklistAuditPage>(
      withQuery(
        `${entityPath('checklists', entityRef)}/audit`,
        query.toString(),
      ),
    );
  }

  private async url(path: string): Promise<string> {
    const baseUrl = `${await this.discoveryApi.getBaseUrl('readiness')}/`;
    return new URL(path, baseUrl).toString();
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.fetchApi.fetch(await this.url(path), init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
