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
  EntityInitiatives,
  EntityScorecard,
  EntityStoredFacts,
  GroupRollup,
  Initiative,
  InitiativeAuditPage,
  InitiativeDetail,
  InitiativeEntityPage,
  InitiativeList,
  InitiativeWriteRequest,
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
  WaiverDecisionInput,
  WaiverRequest,
  WaiverRequestInput,
  WaiverRequestList,
  buildOverviewQueryString,
} from '@prodready/plugin-readiness-common';
import {
  ChecklistConflictError,
  InitiativeEntitiesQuery,
  ReadinessApi,
  ReadinessEntityRef,
  WaiverRequestsQuery,
} from './ReadinessApi';

/** The filter part of an overview query; the other endpoints take no more. */
function filterOf(query: OverviewFilter = {}): OverviewFilter {
  const { owner, system, lifecycle, tier, level, kind, type, q, initiative } =
    query;
  return { owner, system, lifecycle, tier, level, kind, type, q, initiative };
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

/** `initiatives/{id}`, the id encoded. */
function initiativePath(id: string): string {
  return `initiatives/${encodeURIComponent(id)}`;
}

/** The query string of a listing of an initiative's entities. */
function initiativeEntitiesQuery(query: InitiativeEntitiesQuery = {}): string {
  const params = new URLSearchParams();
  for (const state of query.state ?? []) {
    params.append('state', state);
  }
  for (const owner of query.owner ?? []) {
    if (owner !== '') {
      params.append('owner', owner);
    }
  }
  if (query.limit !== undefined) {
    params.set('limit', String(query.limit));
  }
  if (query.cursor !== undefined && query.cursor !== '') {
    params.set('cursor', query.cursor);
  }
  return params.toString();
}

const JSON_HEADERS = { 'Content-Type': 'application/json' };

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

  async getInitiatives(): Promise<InitiativeList> {
    return this.request<InitiativeList>('initiatives');
  }

  async getInitiative(id: string): Promise<InitiativeDetail> {
    return this.request<InitiativeDetail>(initiativePath(id));
  }

  async getInitiativeEntities(
    id: string,
    query?: InitiativeEntitiesQuery,
  ): Promise<InitiativeEntityPage> {
    return this.request<InitiativeEntityPage>(
      withQuery(
        `${initiativePath(id)}/entities`,
        initiativeEntitiesQuery(query),
      ),
    );
  }

  async getInitiativeEntitiesCsvUrl(
    id: string,
    query: Pick<InitiativeEntitiesQuery, 'state' | 'owner'> = {},
  ): Promise<string> {
    return this.url(
      withQuery(
        `${initiativePath(id)}/entities.csv`,
        initiativeEntitiesQuery({ state: query.state, owner: query.owner }),
      ),
    );
  }

  async downloadInitiativeEntitiesCsv(
    id: string,
    query?: Pick<InitiativeEntitiesQuery, 'state' | 'owner'>,
  ): Promise<Blob> {
    const response = await this.fetchApi.fetch(
      await this.getInitiativeEntitiesCsvUrl(id, query),
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response.blob();
  }

  async getInitiativeAudit(
    id: string,
    options: { limit?: number; cursor?: string } = {},
  ): Promise<InitiativeAuditPage> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) {
      query.set('limit', String(options.limit));
    }
    if (options.cursor) {
      query.set('cursor', options.cursor);
    }
    return this.request<InitiativeAuditPage>(
      withQuery(`${initiativePath(id)}/audit`, query.toString()),
    );
  }

  async getEntityInitiatives(
    entityRef: ReadinessEntityRef,
  ): Promise<EntityInitiatives> {
    return this.request<EntityInitiatives>(
      `initiatives/${entityPath('by-entity', entityRef)}`,
    );
  }

  async createInitiative(
    initiative: InitiativeWriteRequest,
  ): Promise<Initiative> {
    return this.request<Initiative>('initiatives', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(initiative),
    });
  }

  async updateInitiative(
    id: string,
    initiative: InitiativeWriteRequest,
  ): Promise<Initiative> {
    return this.request<Initiative>(initiativePath(id), {
      method: 'PUT',
      headers: JSON_HEADERS,
      body: JSON.stringify(initiative),
    });
  }

  async deleteInitiative(id: string): Promise<void> {
    await this.send(initiativePath(id), { method: 'DELETE' });
  }

  async getGroupRollup(groupRef: ReadinessEntityRef): Promise<GroupRollup> {
    return this.request<GroupRollup>(entityPath('rollups', groupRef));
  }

  async requestWaiver(
    entityRef: ReadinessEntityRef,
    item: { phaseId: string; itemId: string },
    request: WaiverRequestInput,
  ): Promise<WaiverRequest> {
    const path = [
      entityPath('waivers', entityRef),
      encodeURIComponent(item.phaseId),
      'items',
      encodeURIComponent(item.itemId),
    ].join('/');
    return this.request<WaiverRequest>(path, {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify(request),
    });
  }

  async decideWaiver(
    id: string,
    decision: WaiverDecisionInput,
  ): Promise<WaiverRequest> {
    return this.request<WaiverRequest>(
      `waivers/${encodeURIComponent(id)}/decision`,
      {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify(decision),
      },
    );
  }

  async withdrawWaiver(id: string): Promise<void> {
    await this.send(`waivers/${encodeURIComponent(id)}`, { method: 'DELETE' });
  }

  async getWaiverRequests(
    query: WaiverRequestsQuery = {},
  ): Promise<WaiverRequestList> {
    const params = new URLSearchParams();
    if (query.status) {
      params.set('status', query.status);
    }
    if (query.entityRef) {
      params.set('entityRef', query.entityRef);
    }
    return this.request<WaiverRequestList>(
      withQuery('waivers', params.toString()),
    );
  }

  private async url(path: string): Promise<string> {
    const baseUrl = `${await this.discoveryApi.getBaseUrl('readiness')}/`;
    return new URL(path, baseUrl).toString();
  }

  /** Sends a request, throwing a `ResponseError` unless it succeeded. */
  private async send(path: string, init?: RequestInit): Promise<Response> {
    const response = await this.fetchApi.fetch(await this.url(path), init);
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return response;
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const response = await this.send(path, init);
    return (await response.json()) as T;
  }
}
