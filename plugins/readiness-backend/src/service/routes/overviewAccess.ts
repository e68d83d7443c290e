import {
  BackstageCredentials,
  HttpAuthService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { NotAllowedError } from '@backstage/errors';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { readinessOverviewReadPermission } from '@prodready/plugin-readiness-common';

/**
 * The caller's credentials (users and services), once they may read the
 * overview (`readiness.overview.read`): the overview, initiatives and
 * roll-ups. Throws `NotAllowedError` saying what was refused.
 */
export async function authorizeOverviewRead(
  context: {
    httpAuth: HttpAuthService;
    readDecisions: Pick<PermissionsService, 'authorize'>;
  },
  req: Parameters<HttpAuthService['credentials']>[0],
  what: string,
): Promise<BackstageCredentials> {
  const credentials = await context.httpAuth.credentials(req, {
    allow: ['user', 'service'],
  });
  const [decision] = await context.readDecisions.authorize(
    [{ permission: readinessOverviewReadPermission }],
    { credentials },
  );
  if (decision.result === AuthorizeResult.DENY) {
    throw new NotAllowedError(`You are not allowed to read ${what}`);
  }
  return credentials;
}
