import type {
  AuthService,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { stringifyEntityRef } from '@backstage/catalog-model';
import type { Config } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { EventsService } from '@backstage/plugin-events-node';
import type { PhaseDefinition } from '@prodready/plugin-readiness-common';
import type { ChecklistStore } from '../checklists/ChecklistStore';
import type { ReadinessStore } from '../database/ReadinessStore';
import { CatalogGroupHierarchy, GroupHierarchy } from '../groups';
import type { DefaultReadinessEngine } from '../service/engine';
import { DatabaseInitiativeStore } from './DatabaseInitiativeStore';
import { InitiativeService } from './InitiativeService';
import { loadInitiatives } from './loadInitiatives';

/** Refs per catalog read of tags. */
const TAG_BATCH = 500;

/**
 * Creates the initiatives service for the plugin: loads and validates the
 * initiatives of app-config (invalid ones stop the backend), gives the
 * engine the checks scheduled initiatives defer, and recomputes progress
 * after every evaluation cycle.
 */
export async function createInitiativeService(options: {
  config: Config;
  database: DatabaseService;
  logger: LoggerService;
  catalog: CatalogService;
  auth: AuthService;
  events: EventsService;
  engine: Pick<
    DefaultReadinessEngine,
    'getDefinition' | 'addListener' | 'setDeferredChecks'
  >;
  readinessStore: Pick<ReadinessStore, 'listScores' | 'getResultsOfEntities'>;
  checklistStore: Pick<ChecklistStore, 'getItemsOfEntities'>;
  phases: ReadonlyArray<PhaseDefinition>;
  groups?: GroupHierarchy;
}): Promise<InitiativeService> {
  const { config, logger, catalog, auth, engine } = options;
  const configInitiatives = loadInitiatives({
    config,
    definition: engine.getDefinition(),
    phases: options.phases,
  });
  const service = new InitiativeService({
    store: await DatabaseInitiativeStore.create({ database: options.database }),
    readinessStore: options.readinessStore,
    checklistStore: options.checklistStore,
    configInitiatives,
    getDefinition: () => engine.getDefinition(),
    phases: options.phases,
    groups:
      options.groups ??
      new CatalogGroupHierarchy({
        catalog,
        auth,
        logger: logger.child({ component: 'groups' }),
      }),
    tagsOf: async refs => {
      const credentials = await auth.getOwnServiceCredentials();
      const tags = new Map<string, string[]>();
      for (let i = 0; i < refs.length; i += TAG_BATCH) {
        const { items } = await catalog.getEntitiesByRefs(
          {
            entityRefs: refs.slice(i, i + TAG_BATCH),
            fields: [
              'kind',
              'metadata.namespace',
              'metadata.name',
              'metadata.tags',
            ],
          },
          { credentials },
        );
        for (const entity of items) {
          if (entity) {
            tags.set(
              stringifyEntityRef(entity).toLocaleLowerCase('en-US'),
              entity.metadata.tags ?? [],
            );
          }
        }
      }
      return tags;
    },
    events: options.events,
    logger: logger.child({ component: 'initiatives' }),
  });
  // The API initiatives, for the checks they defer, before the first cycle.
  await service.list();
  engine.setDeferredChecks(now => service.deferredChecks(now));
  engine.addListener({
    onCycleFinished: () => service.recompute(),
  });
  return service;
}
