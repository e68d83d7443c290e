import {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
} from '@backstage/backend-plugin-api';
import { CompoundEntityRef } from '@backstage/catalog-model';
import {
  NotAllowedError,
  NotFoundError,
  ResponseError,
} from '@backstage/errors';
import type {
  EntityStoredFacts,
  JsonObject,
} from '@prodready/plugin-readiness-common';

/** The facts of an entity as the readiness backend stored them. */
export interface ReadinessFacts {
  /** By collector id: the facts documents. */
  facts: Record<string, JsonObject>;
  /** Collectors whose last collection failed (their facts are older), with why. */
  stale: Array<{ collectorId: string; collectedAt: string; error?: string }>;
}

/**
 * Reads the stored facts of an entity from the readiness backend
 * (`GET /api/readiness/facts/{kind}/{namespace}/{name}`), on behalf of the
 * given credentials (the task's initiator), so that its read permission
 * applies.
 */
export async function fetchReadinessFacts(options: {
  discovery: DiscoveryService;
  auth: AuthService;
  credentials: BackstageCredentials;
  entity: CompoundEntityRef;
}): Promise<ReadinessFacts> {
  const { discovery, auth, credentials, entity } = options;
  const baseUrl = await discovery.getBaseUrl('readiness');
  const { token } = await auth.getPluginRequestToken({
    onBehalfOf: credentials,
    targetPluginId: 'readiness',
  });
  const kind = entity.kind.toLocaleLowerCase('en-US');
  const namespace = entity.namespace.toLocaleLowerCase('en-US');
  const ref = `${kind}:${namespace}/${entity.name}`;
  const url = `${baseUrl}/facts/${[kind, namespace, entity.name]
    .map(encodeURIComponent)
    .join('/')}`;
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new Error(
      `The readiness backend could not be reached for the facts of ${ref} (${url}): ${
        (error as Error).message
      }`,
    );
  }
  if (response.status === 404) {
    throw new NotFoundError(
      `The readiness backend has no facts of ${ref} yet: it is not in the catalog, or it has not been evaluated (refresh its scorecard, then try again)`,
    );
  }
  if (response.status === 403 || response.status === 401) {
    throw new NotAllowedError(
      `You are not allowed to read the readiness facts of ${ref}`,
    );
  }
  if (!response.ok) {
    throw await ResponseError.fromResponse(response);
  }
  const body = (await response.json()) as EntityStoredFacts;
  const facts: Record<string, JsonObject> = {};
  const stale: ReadinessFacts['stale'] = [];
  for (const [collectorId, document] of Object.entries(body.facts ?? {})) {
    facts[collectorId] = document.facts as JsonObject;
    if (document.stale) {
      stale.push({
        collectorId,
        collectedAt: document.collectedAt,
        ...(document.error ? { error: document.error } : {}),
      });
    }
  }
  return { facts, stale };
}
