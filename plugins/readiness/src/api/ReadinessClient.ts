import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import {
  CatalogValidationProblems,
  ReadinessHealth,
} from '@prodready/plugin-readiness-common';
import { ReadinessApi } from './ReadinessApi';

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
    const search = query.toString();
    return this.request<CatalogValidationProblems>(
      search ? `catalog-errors?${search}` : 'catalog-errors',
    );
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    const baseUrl = `${await this.discoveryApi.getBaseUrl('readiness')}/`;
    const response = await this.fetchApi.fetch(
      new URL(path, baseUrl).toString(),
      init,
    );
    if (!response.ok) {
      throw await ResponseError.fromResponse(response);
    }
    return (await response.json()) as T;
  }
}
