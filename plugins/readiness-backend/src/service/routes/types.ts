import {
  HttpAuthService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { ApiRouter } from '@backstage/backend-openapi-utils';
import { ReadinessStore } from '../../database/ReadinessStore';
import { spec } from '../../schema/openapi.generated';
import { ReadinessEngine } from '../engine/types';
import { EntityVisibility } from './visibility';
import { ReadDecisionCache } from './readDecisions';

/** The router typed by src/schema/openapi.yaml. */
export type ReadinessApiRouter = ApiRouter<typeof spec>;

/** What the route handlers use. */
export interface RouteContext {
  logger: LoggerService;
  httpAuth: HttpAuthService;
  permissions: PermissionsService;
  engine: ReadinessEngine;
  store: ReadinessStore;
  visibility: EntityVisibility;
  /** Read decisions, cached per caller: for reads only. */
  readDecisions: ReadDecisionCache;
}
