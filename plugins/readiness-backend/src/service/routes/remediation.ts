import { NotFoundError } from '@backstage/errors';
import type {
  EntityStoredFacts,
  RemediationPlan,
} from '@prodready/plugin-readiness-common';
import type { RemediationService } from '../remediation/RemediationService';
import { createReadableEntity } from './readableEntity';
import { ReadinessApiRouter, RouteContext } from './types';

/**
 * An entity's stored facts, and the patch that fixes its failing deployment
 * checks (read permission on the entity).
 */
export function registerRemediationRoutes(
  router: ReadinessApiRouter,
  context: RouteContext,
  remediation: RemediationService | undefined,
) {
  const { store } = context;
  const readable = createReadableEntity(context);

  router.get('/facts/:kind/:namespace/:name', async (req, res) => {
    const { entityRef } = await readable(req, req.params);
    const stored = await store.getFacts(entityRef);
    if (stored.size === 0) {
      throw new NotFoundError(`No facts were collected for ${entityRef} yet`);
    }
    const body: EntityStoredFacts = { entityRef, facts: {} };
    for (const [collectorId, document] of [...stored].sort(([a], [b]) =>
      a < b ? -1 : 1,
    )) {
      body.facts[collectorId] = {
        version: document.version,
        facts: document.facts,
        collectedAt: document.collectedAt.toISOString(),
        stale: document.stale,
        ...(document.error ? { error: document.error } : {}),
      };
    }
    res.json(body);
  });

  if (!remediation) {
    return;
  }
  router.get('/remediation/:kind/:namespace/:name', async (req, res) => {
    const { entityRef, credentials } = await readable(req, req.params);
    const body: RemediationPlan = await remediation.getPlan(
      entityRef,
      credentials,
    );
    res.json(body);
  });
}
