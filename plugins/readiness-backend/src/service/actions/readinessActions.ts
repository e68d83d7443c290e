import type {
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import type { ActionsRegistryService } from '@backstage/backend-plugin-api/alpha';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ConflictError,
  InputError,
  NotAllowedError,
  NotFoundError,
} from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import {
  readinessChecklistUpdatePermission,
  readinessChecklistWaivePermission,
  readinessScorecardReadPermission,
  readinessWaiverApprovePermission,
} from '@prodready/plugin-readiness-common';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type { ChecklistService } from '../../checklists/ChecklistService';
import type { WaiverService } from '../../waivers/WaiverService';
import type { ReadinessStore } from '../../database/ReadinessStore';
import type { ReadinessEngine } from '../engine/types';
import { readEntityScorecard } from '../routes/entityScorecard';
import { createEntityAuthorizer } from '../routes/authorizedEntity';
import { ReadDecisionCache } from '../routes/readDecisions';
import { PermissionEntityVisibility } from '../routes/visibility';

/** What the readiness actions use. */
export interface ReadinessActionsOptions {
  actionsRegistry: ActionsRegistryService;
  store: ReadinessStore;
  engine: Pick<ReadinessEngine, 'getDefinition'>;
  catalog: CatalogService;
  permissions: PermissionsService;
  logger: LoggerService;
  /** The checklists of the phases in force; without it, no checklist actions. */
  checklists?: ChecklistService;
  /**
   * Waiver approval: a waiver that needs an admin's approval is refused to
   * others, as in the REST API.
   */
  waivers?: Pick<WaiverService, 'approvalFor' | 'directWaiverRefusal'>;
}

/** An entity ref as given by a model: `payments-api`, `component:payments-api` or the full ref. */
function normalizeRef(ref: string): string {
  try {
    return stringifyEntityRef(
      parseEntityRef(ref.trim(), {
        defaultKind: 'component',
        defaultNamespace: 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch (error) {
    throw new InputError(
      `'${ref}' is not an entity ref; expected kind:namespace/name, such as component:default/payments-api`,
    );
  }
}

const MAX_LIST = 200;

/**
 * Registers the readiness actions with Backstage's actions registry, so that
 * agents reach them through `@backstage/plugin-mcp-actions-backend` (MCP) and
 * other plugins through the actions service. Each action checks the calling
 * user's permissions like the REST API: reads need `readiness.scorecard.read`
 * on the entity, an attestation `readiness.checklist.update`, a waiver
 * `readiness.checklist.waive`, with the same version check (a stale version
 * is a conflict that says the current version).
 */
export function registerReadinessActions(options: ReadinessActionsOptions) {
  const { actionsRegistry, store, engine, catalog, permissions, logger } =
    options;
  const readDecisions = new ReadDecisionCache({ permissions, ttlMs: 0 });
  const authorize = createEntityAuthorizer({
    catalog,
    permissions,
    readDecisions,
  });
  const visibility = new PermissionEntityVisibility({
    permissions,
    catalog,
    logger,
  });

  actionsRegistry.register({
    name: 'get-scorecard',
    title: 'Get the readiness scorecard of a service',
    description:
      'Returns the production-readiness scorecard of a catalog entity (usually a Component of type service): the level it reaches (Bronze, Silver or Gold, or none), its overall score, the score of each area (deployment, load balancing, auto-scaling, performance, CDN, security, compliance, disaster recovery, SLA, monitoring) and every check result, failing checks first, each with why it fails and how to fix it. Use it to answer "is this service ready for production, and what is missing?".',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          entityRef: z
            .string()
            .describe(
              'The entity, e.g. component:default/payments-api (the kind defaults to component, the namespace to default)',
            ),
          onlyFailing: z
            .boolean()
            .optional()
            .describe(
              'Only the checks that fail, warn or error (default true)',
            ),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          level: z.string().nullable(),
          score: z.number(),
          evaluatedAt: z.string(),
          stale: z.boolean(),
          staleReason: z.string().optional(),
          areas: z.array(
            z.object({ area: z.string(), score: z.number().nullable() }),
          ),
          results: z.array(
            z.object({
              checkId: z.string(),
              title: z.string(),
              area: z.string(),
              level: z.string(),
              status: z.string(),
              message: z.string(),
              remediation: z.string(),
              docsUrl: z.string().optional(),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const entityRef = normalizeRef(input.entityRef);
      await authorize(
        entityRef,
        credentials,
        readinessScorecardReadPermission,
        'read the readiness scorecard of',
      );
      const scorecard = await readEntityScorecard(store, engine, entityRef);
      const onlyFailing = input.onlyFailing ?? true;
      return {
        output: {
          entityRef: scorecard.entityRef,
          level: scorecard.level,
          score: scorecard.score,
          evaluatedAt: scorecard.evaluatedAt,
          stale: scorecard.stale,
          ...(scorecard.staleReason
            ? { staleReason: scorecard.staleReason }
            : {}),
          areas: scorecard.areas.map(a => ({ area: a.area, score: a.score })),
          results: scorecard.results
            .filter(
              r => !onlyFailing || ['fail', 'warn', 'error'].includes(r.status),
            )
            .map(r => ({
              checkId: r.checkId,
              title: r.title,
              area: r.area,
              level: r.level,
              status: r.status,
              message: r.message,
              remediation: r.remediation,
              ...(r.docsUrl ? { docsUrl: r.docsUrl } : {}),
            })),
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'explain-check',
    title: 'Explain a readiness check',
    description:
      "Explains one production-readiness check: what it requires, its rule (json-rules-engine conditions over fact documents such as deployment, serviceLevels and entity), its level, area, remediation and guide. With an entityRef it also returns that entity's result (status, message, details) and the facts the rule reads, so you can say exactly why the check passes or fails for that service. Check ids are listed by get-scorecard.",
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          checkId: z
            .string()
            .describe('The check id, e.g. pdb-configured or hpa-capacity'),
          entityRef: z
            .string()
            .optional()
            .describe('An entity to explain the check for'),
        }),
      output: z =>
        z.object({
          checkId: z.string(),
          title: z.string(),
          description: z.string().optional(),
          area: z.string(),
          level: z.string(),
          severity: z.string(),
          rule: z.unknown(),
          remediation: z.string(),
          docsUrl: z.string().optional(),
          result: z
            .object({
              status: z.string(),
              message: z.string(),
              details: z.string().optional(),
            })
            .optional(),
          facts: z.record(z.unknown()).optional(),
        }),
    },
    action: async ({ input, credentials }) => {
      const definition = engine.getDefinition();
      const check = definition.checks.find(c => c.id === input.checkId);
      if (!check) {
        throw new NotFoundError(
          `There is no check '${
            input.checkId
          }'; the checks are ${definition.checks.map(c => c.id).join(', ')}`,
        );
      }
      const explained = {
        checkId: check.id,
        title: check.title,
        ...(check.description ? { description: check.description } : {}),
        area: check.area,
        level: check.level,
        severity: check.severity,
        rule: check.rule,
        remediation: check.remediation,
        ...(check.docsUrl ? { docsUrl: check.docsUrl } : {}),
      };
      if (!input.entityRef) {
        return { output: explained };
      }
      const entityRef = normalizeRef(input.entityRef);
      await authorize(
        entityRef,
        credentials,
        readinessScorecardReadPermission,
        'read the readiness scorecard of',
      );
      const stored = await store.getScorecard(entityRef);
      const result = stored?.results.find(r => r.checkId === check.id);
      const documents = new Set(
        [...JSON.stringify(check.rule).matchAll(/"fact":"([^"]+)"/g)].map(
          m => m[1],
        ),
      );
      const facts: Record<string, unknown> = {};
      for (const [collectorId, document] of await store.getFacts(entityRef)) {
        if (documents.has(collectorId)) facts[collectorId] = document.facts;
      }
      return {
        output: {
          ...explained,
          ...(result
            ? {
                result: {
                  status: result.status,
                  message: result.message,
                  ...(result.details ? { details: result.details } : {}),
                },
              }
            : {}),
          facts,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'list-services',
    title: 'List services by readiness',
    description:
      'Lists the services the caller may see with their readiness level and score, the least ready first. Filter by a check they fail (checkId), by a level they are below (belowLevel: bronze, silver or gold), and by owner, system, lifecycle or tier (entity refs for owner and system, e.g. group:default/payments-team). Use it for "which services fail the PDB check?" or "which payments services are below Silver?".',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z =>
        z.object({
          checkId: z
            .string()
            .optional()
            .describe('Only services failing (or warning on) this check'),
          belowLevel: z
            .string()
            .optional()
            .describe('Only services below this level (bronze, silver, gold)'),
          owner: z.string().optional().describe('Owner entity ref'),
          system: z.string().optional().describe('System entity ref'),
          lifecycle: z.string().optional(),
          tier: z.string().optional().describe('tier-1 … tier-4'),
          limit: z
            .number()
            .int()
            .min(1)
            .max(MAX_LIST)
            .optional()
            .describe(
              `At most this many services (default 50, at most ${MAX_LIST})`,
            ),
        }),
      output: z =>
        z.object({
          totalCount: z.number(),
          services: z.array(
            z.object({
              entityRef: z.string(),
              level: z.string().nullable(),
              score: z.number(),
              owner: z.string().nullable(),
              system: z.string().nullable(),
              tier: z.string().nullable(),
              failing: z.array(
                z.object({
                  checkId: z.string(),
                  status: z.string(),
                  message: z.string(),
                }),
              ),
            }),
          ),
        }),
    },
    action: async ({ input, credentials }) => {
      const definition = engine.getDefinition();
      if (
        input.checkId !== undefined &&
        !definition.checks.some(c => c.id === input.checkId)
      ) {
        throw new InputError(`There is no check '${input.checkId}'`);
      }
      let levels: Array<string | null> | undefined;
      if (input.belowLevel !== undefined) {
        const target = definition.levels.find(l => l.id === input.belowLevel);
        if (!target) {
          throw new InputError(
            `'${
              input.belowLevel
            }' is not a level; expected one of ${definition.levels
              .map(l => l.id)
              .join(', ')}`,
          );
        }
        levels = [
          null,
          ...definition.levels.filter(l => l.rank < target.rank).map(l => l.id),
        ];
      }
      const readable = await visibility.readableEntityRefs(credentials);
      const limit = input.limit ?? 50;
      const page = await store.listScores({
        filter: {
          ...(readable ? { entityRefs: readable } : {}),
          ...(levels ? { levels } : {}),
          ...(input.owner ? { owners: [normalizeRef(input.owner)] } : {}),
          ...(input.system ? { systems: [normalizeRef(input.system)] } : {}),
          ...(input.lifecycle ? { lifecycles: [input.lifecycle] } : {}),
          ...(input.tier ? { tiers: [input.tier] } : {}),
        },
        orderBy: 'level',
        order: 'asc',
        // With a check filter, read more and keep those failing it.
        limit: input.checkId ? 10_000 : limit,
      });
      const results = await store.getResultsOfEntities(
        page.items.map(i => i.entityRef),
      );
      const services = page.items
        .map(item => ({
          entityRef: item.entityRef,
          level: item.level,
          score: item.score,
          owner: item.owner ?? null,
          system: item.system ?? null,
          tier: item.tier ?? null,
          failing: (results.get(item.entityRef) ?? [])
            .filter(r => ['fail', 'warn', 'error'].includes(r.status))
            .map(r => ({
              checkId: r.checkId,
              status: r.status,
              message: r.message,
            })),
        }))
        .filter(
          s =>
            input.checkId === undefined ||
            s.failing.some(f => f.checkId === input.checkId),
        );
      return {
        output: {
          totalCount: input.checkId ? services.length : page.totalCount,
          services: services.slice(0, limit),
        },
      };
    },
  });

  const { checklists } = options;
  if (!checklists) {
    return;
  }

  actionsRegistry.register({
    name: 'get-checklists',
    title: 'Read the phase checklists of a service',
    description:
      'Returns the phase checklists of a service (Phase 4 "Deployment & Scaling" and any other phase in force): each item with its status (open, done, not-applicable), who attested it, the evidence link, when it expires, the checks it is bound to, and its version (needed to update it with update-checklist-item).',
    attributes: { readOnly: true, idempotent: true, destructive: false },
    schema: {
      input: z => z.object({ entityRef: z.string() }),
      output: z =>
        z.object({
          entityRef: z.string(),
          phases: z.array(z.record(z.unknown())),
        }),
    },
    action: async ({ input, credentials }) => {
      const { entity, entityRef } = await authorize(
        normalizeRef(input.entityRef),
        credentials,
        readinessScorecardReadPermission,
        'read the checklists of',
      );
      const body = await checklists.getEntityChecklists(entity);
      return {
        output: {
          entityRef,
          phases: body.phases as unknown as Array<Record<string, unknown>>,
        },
      };
    },
  });

  actionsRegistry.register({
    name: 'update-checklist-item',
    title: 'Attest, waive or reopen a checklist item',
    description:
      'Changes one checklist item of a service as the calling user: status "done" attests it (an http(s) evidenceUrl is required for manual items), "not-applicable" waives it (a justification is required; it expires), "open" reopens it. Pass the version read with get-checklists as expectedVersion: if someone changed the item since, the update is refused with the current version. Only the entity\'s owners and readiness admins may do this; waivers may need an admin.',
    attributes: { readOnly: false, idempotent: false, destructive: true },
    schema: {
      input: z =>
        z.object({
          entityRef: z.string(),
          phaseId: z.string().describe('e.g. phase-4'),
          itemId: z.string(),
          status: z.enum(['open', 'done', 'not-applicable']),
          expectedVersion: z
            .number()
            .int()
            .min(0)
            .describe('The version read (0 for an item never changed)'),
          evidenceUrl: z.string().optional(),
          note: z.string().optional(),
          justification: z.string().optional(),
          expiresAt: z.string().optional(),
        }),
      output: z =>
        z.object({
          entityRef: z.string(),
          phaseId: z.string(),
          itemId: z.string(),
          status: z.string(),
          version: z.number(),
        }),
    },
    action: async ({ input, credentials }) => {
      const waiver = input.status === 'not-applicable';
      const { entity, entityRef } = await authorize(
        normalizeRef(input.entityRef),
        credentials,
        waiver
          ? readinessChecklistWaivePermission
          : readinessChecklistUpdatePermission,
        waiver ? 'waive checklist items of' : 'update the checklists of',
      );
      const principal = credentials.principal as {
        type?: string;
        userEntityRef?: string;
      };
      if (principal.type !== 'user' || !principal.userEntityRef) {
        throw new NotAllowedError(
          'An attestation is something a person does: call this action as a user',
        );
      }
      const approval =
        waiver && options.waivers
          ? await options.waivers.approvalFor(entityRef)
          : undefined;
      if (approval?.required) {
        const [decision] = await permissions.authorize(
          [{ permission: readinessWaiverApprovePermission }],
          { credentials },
        );
        if (decision.result !== AuthorizeResult.ALLOW) {
          throw options.waivers!.directWaiverRefusal(
            entityRef,
            input.phaseId,
            input.itemId,
            approval,
          );
        }
      }
      checklists.resolveItem(entity, input.phaseId, input.itemId);
      const {
        entityRef: _,
        phaseId,
        itemId,
        expectedVersion,
        ...request
      } = input;
      const actor = principal.userEntityRef;
      const outcome = await checklists.updateItem({
        entity,
        phaseId,
        itemId,
        request,
        expectedVersion,
        actor,
      });
      if (!outcome.ok) {
        throw new ConflictError(
          `Item '${itemId}' of phase '${phaseId}' of ${entityRef} has changed: it is at version ${outcome.current.state.version}, not ${expectedVersion}; read it again and retry`,
        );
      }
      logger.info('Changed a checklist item through an action', {
        entityRef,
        phaseId,
        itemId,
        status: outcome.item.state.status,
        version: outcome.item.state.version,
        by: actor,
      });
      return {
        output: {
          entityRef,
          phaseId,
          itemId,
          status: outcome.item.state.status,
          version: outcome.item.state.version,
        },
      };
    },
  });
}
