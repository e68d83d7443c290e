import { NotAllowedError } from '@backstage/errors';
import { readinessScorecardReadPermission } from '@prodready/plugin-readiness-common';
import { parseEntityPath } from './params';
import { RouteContext } from './types';

/**
 * Authenticates a request about one entity (users and services) and checks
 * that the caller may read its readiness scorecard; returns the entity ref of
 * the path and the caller's credentials.
 */
export function createReadableEntity(
  context: Pick<RouteContext, 'httpAuth' | 'readDecisions'>,
) {
  const { httpAuth, readDecisions } = context;
  return async (
    req: Parameters<typeof httpAuth.credentials>[0],
    params: { kind: string; namespace: string; name: string },
  ) => {
    const credentials = await httpAuth.credentials(req, {
      allow: ['user', 'service'],
    });
    const entityRef = parseEntityPath(params);
    if (
      !(await readDecisions.canRead(
        readinessScorecardReadPermission,
        entityRef,
        { credentials },
      ))
    ) {
      throw new NotAllowedError(
        `You are not allowed to read the readiness scorecard of ${entityRef}`,
      );
    }
    return { entityRef, credentials };
  };
}
