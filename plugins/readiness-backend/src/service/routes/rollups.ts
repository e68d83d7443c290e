import { InputError, NotFoundError } from '@backstage/errors';
import { GroupRollup } from '@prodready/plugin-readiness-common';
import type { RollupService } from '../../groups/RollupService';
import { authorizeOverviewRead } from './overviewAccess';
import { parseEntityPath } from './params';
import { ReadinessApiRouter, RouteContext } from './types';

/** What the roll-up route uses besides the route context. */
export interface RollupRouteOptions {
  rollups: Pick<RollupService, 'getRollup'>;
  /** Whether the catalog has the group. */
  hasGroup: (groupRef: string) => Promise<boolean>;
}

/**
 * `GET /rollups/{kind}/{namespace}/{name}`: a group's readiness with its
 * sub-groups at every depth. Needs `readiness.overview.read`; the figures
 * count only the entities whose scorecard the caller may read, as the
 * overview summary does.
 */
export function registerRollupRoutes(
  router: ReadinessApiRouter,
  context: Pick<RouteContext, 'httpAuth' | 'readDecisions' | 'visibility'>,
  options: RollupRouteOptions,
) {
  const { httpAuth, readDecisions, visibility } = context;
  const { rollups, hasGroup } = options;

  router.get('/rollups/:kind/:namespace/:name', async (req, res) => {
    const credentials = await authorizeOverviewRead(
      { httpAuth, readDecisions },
      req,
      'the readiness overview',
    );
    const groupRef = parseEntityPath(req.params);
    if (!groupRef.startsWith('group:')) {
      throw new InputError(
        `Invalid kind '${req.params.kind}': roll-ups are of groups, such as /rollups/group/default/platform`,
      );
    }
    if (!(await hasGroup(groupRef))) {
      throw new NotFoundError(`The catalog has no group ${groupRef}`);
    }
    const entityRefs = await visibility.readableEntityRefs(credentials);
    const body: GroupRollup = await rollups.getRollup(groupRef, {
      ...(entityRefs !== undefined && { entityRefs }),
    });
    res.json(body);
  });
}
