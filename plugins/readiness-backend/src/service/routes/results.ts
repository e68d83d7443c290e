import type { ExternalResultsService } from '../external/ExternalResultsService';
import { parseEntityPath } from './params';
import { ReadinessApiRouter, RouteContext } from './types';

/**
 * Results of external checks, pushed by pipelines with a service token
 * (Backstage external access): users may not push them.
 */
export function registerResultRoutes(
  router: ReadinessApiRouter,
  context: Pick<RouteContext, 'httpAuth' | 'logger'>,
  results: ExternalResultsService | undefined,
) {
  if (!results) {
    return;
  }
  const { httpAuth, logger } = context;
  router.post('/results/:kind/:namespace/:name', async (req, res) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['service'],
    });
    const entityRef = parseEntityPath(req.params);
    const body = await results.push(entityRef, req.body, credentials);
    logger.info('Stored a pushed result', {
      entityRef,
      checkId: body.checkId,
      status: body.status,
    });
    res.status(202).json(body);
  });
}
