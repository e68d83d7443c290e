import { parseEntityRef } from '@backstage/catalog-model';
import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CatalogValidationProblems,
  EntityScorecard,
  OverviewFilter,
  OverviewPage,
  OverviewQuery,
  OverviewSummary,
  PortfolioTrend,
  ReadinessChecks,
  ReadinessHealth,
  ReadinessStatus,
  ScorecardHistory,
  ScorecardHistoryOptions,
  ScorecardTrend,
  buildOverviewQueryString,
} from '@prodready/plugin-readiness-common';
import { ReadinessApi, ReadinessEntityRef } from './ReadinessApi';

/** The filter part of an overview query; the other endpoints take no more. */
function filterOf(query: OverviewFilter = {}): OverviewFilter {
  const { owner, system, lifecycle, tier, level, kind, type, q } = query;
  return { owner, system, lifecycle, tier, level, kind, type, q };
}

function withQuery(path: string, query: string): string {
  return query ? `${path}?${query}` : path;
}

/** `scorecards/{kind}/{namespace}/{name}`, each part encoded. */
function scorecardPath(entityRef: ReadinessEntityRef): string {
  const { kind, namespace, name } =
    typeof entityRef === 'string' ? parseEntityRef(entityRef) : entityRef;
  return ['scorecards', kind, namespace, name]
    .map(part => encodeURIComponent(part))
    .join('/');
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
