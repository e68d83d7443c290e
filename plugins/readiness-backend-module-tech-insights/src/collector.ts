import type {
  AuthService,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { isError, ResponseError } from '@backstage/errors';
import type { JsonObject } from '@backstage/types';
import type { FactCollector } from '@prodready/plugin-readiness-node';
import { NOTES_KEY, TechInsightsBridgeSettings } from './config';

/**
 * The id of the collector, the `fact` of the rules that read its facts.
 *
 * @public
 */
export const TECH_INSIGHTS_COLLECTOR_ID = 'techInsights';

/** The plugin id of Tech Insights' backend. */
const TECH_INSIGHTS_PLUGIN_ID = 'tech-insights';

const DAY_MS = 24 * 60 * 60 * 1000;

/** One row of `GET /facts/latest`: the latest facts of one retriever. */
interface LatestFacts {
  id?: string;
  timestamp?: string;
  version?: string;
  facts?: Record<string, unknown>;
}

/**
 * Options of {@link createTechInsightsFactCollector}.
 *
 * @public
 */
export interface TechInsightsFactCollectorOptions
  extends TechInsightsBridgeSettings {
  discovery: Pick<DiscoveryService, 'getBaseUrl'>;
  auth: Pick<AuthService, 'getOwnServiceCredentials' | 'getPluginRequestToken'>;
  /** For tests; defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** For tests; defaults to the current time. */
  now?: () => number;
}

/** The message of an error, with that of its cause (`fetch failed: connect ECONNREFUSED ...`). */
function errorMessage(error: unknown): string {
  if (!isError(error)) {
    return String(error);
  }
  const cause = (error as { cause?: unknown }).cause;
  return isError(cause) && cause.message && cause.message !== error.message
    ? `${error.message}: ${cause.message}`
    : error.message;
}

/**
 * A fact collector, `techInsights`, whose document holds the latest facts
 * Tech Insights has stored for the entity: for each configured fact
 * retriever that has facts, `{ <factName>: value, ..., timestamp }`.
 *
 * @remarks
 *
 * Reads `GET <tech-insights>/facts/latest?entity=<ref>&ids[]=<id>...` with a
 * service token. An unreachable Tech Insights, or one that answers with an
 * error (other than 404), throws: the engine then keeps the previous facts
 * and marks them stale. An entity Tech Insights knows nothing about gets an
 * empty document. Facts older than `maxAgeDays` are left out, and a line in
 * `_notes` says so.
 *
 * @public
 */
export function createTechInsightsFactCollector(
  options: TechInsightsFactCollectorOptions,
): FactCollector {
  const { discovery, auth, factRetrieverIds, maxAgeDays } = options;
  const doFetch = options.fetch ?? fetch;
  const now = options.now ?? Date.now;
  return {
    id: TECH_INSIGHTS_COLLECTOR_ID,
    version: 1,
    async collect({ entity, signal }) {
      const entityRef = stringifyEntityRef(entity);
      const baseUrl = await discovery.getBaseUrl(TECH_INSIGHTS_PLUGIN_ID);
      const { token } = await auth.getPluginRequestToken({
        onBehalfOf: await auth.getOwnServiceCredentials(),
        targetPluginId: TECH_INSIGHTS_PLUGIN_ID,
      });
      const query = new URLSearchParams({ entity: entityRef });
      for (const id of factRetrieverIds) {
        query.append('ids[]', id);
      }
      let response: Response;
      try {
        response = await doFetch(`${baseUrl}/facts/latest?${query}`, {
          headers: { Authorization: `Bearer ${token}` },
          signal,
        });
      } catch (error) {
        throw new Error(
          `Tech Insights is unreachable at ${baseUrl}: ${errorMessage(error)}`,
        );
      }
      if (response.status === 404) {
        return {};
      }
      if (!response.ok) {
        const error = await ResponseError.fromResponse(response);
        throw new Error(
          `Tech Insights answered ${
            response.status
          } for the facts of ${entityRef}: ${errorMessage(error)}`,
          { cause: error },
        );
      }
      const body = (await response.json()) as unknown;
      if (!body || typeof body !== 'object' || Array.isArray(body)) {
        return {};
      }
      const latest = body as Record<string, LatestFacts | undefined>;
      const cutoff =
        maxAgeDays === undefined ? undefined : now() - maxAgeDays * DAY_MS;
      const document: JsonObject = {};
      const notes: string[] = [];
      for (const id of factRetrieverIds) {
        const row = latest[id];
        if (!row || typeof row !== 'object') {
          continue;
        }
        const time = Date.parse(String(row.timestamp));
        const timestamp = Number.isNaN(time)
          ? undefined
          : new Date(time).toISOString();
        if (
          cutoff !== undefined &&
          (timestamp === undefined || time < cutoff)
        ) {
          notes.push(
            `The facts of '${id}' ${
              timestamp ? `from ${timestamp}` : 'without a timestamp'
            } are older than ${maxAgeDays} days (readiness.techInsights.maxAgeDays) and are left out`,
          );
          continue;
        }
        const facts =
          row.facts && typeof row.facts === 'object' ? row.facts : {};
        // A fact named `timestamp` wins over the row's, as in jsonfc.
        document[id] = {
          ...(timestamp && { timestamp }),
          ...(facts as JsonObject),
        };
      }
      if (notes.length > 0) {
        document[NOTES_KEY] = notes;
      }
      return document;
    },
  };
}
