import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { actionsRegistryServiceRef } from '@backstage/backend-plugin-api/alpha';
import { catalogServiceRef } from '@backstage/plugin-catalog-node';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { notificationService } from '@backstage/plugin-notifications-node';
import { signalsServiceRef } from '@backstage/plugin-signals-node';
import {
  PhaseDefinition,
  readinessPermissions,
} from '@prodready/plugin-readiness-common';
import {
  CheckOperator,
  FactCollector,
  ReadinessChecksExtensionPoint,
  ReadinessFactCollectorsExtensionPoint,
  readinessChecksExtensionPoint,
  readinessFactCollectorsExtensionPoint,
} from '@prodready/plugin-readiness-node';
import { ChecklistService } from './checklists/ChecklistService';
import { createChecklistFactCollector } from './checklists/factCollector';
import { loadPhases, readChecklistSettings } from './checklists/loadPhases';
import {
  DatabaseCatalogProblemStore,
  DatabaseReadinessStore,
} from './database';
import { DatabaseChecklistStore } from './database/DatabaseChecklistStore';
import { createCatalogProblemsService } from './service/catalogProblems';
import {
  DefaultReadinessEngine,
  createBuiltInFactCollectors,
  scheduleReadinessEvaluation,
} from './service/engine';
import { createRouter } from './service/router';
import { createReadinessNotifier } from './notifications';
import { DatabaseExternalResultStore } from './database/DatabaseExternalResultStore';
import { createExternalResultsCollector } from './service/external/collector';
import { ExternalResultsService } from './service/external/ExternalResultsService';
import { registerReadinessActions } from './service/actions/readinessActions';
import { RemediationService } from './service/remediation/RemediationService';
import { readPermissionCacheTtl } from './service/routes/readDecisions';
import { createInitiativeService } from './initiatives/createInitiativeService';
import { CatalogGroupHierarchy, readGroupRefreshInterval } from './groups';
import {
  DatabaseWaiverStore,
  WaiverService,
  readWaiverSettings,
} from './waivers';

class FactCollectorsExtension implements ReadinessFactCollectorsExtensionPoint {
  readonly #collectors = new Array<FactCollector>();

  addFactCollector(...collectors: Array<FactCollector | FactCollector[]>) {
    this.#collectors.push(...collectors.flat());
  }

  get collectors(): ReadonlyArray<FactCollector> {
    return this.#collectors;
  }
}

class ChecksExtension implements ReadinessChecksExtensionPoint {
  readonly #operators = new Array<CheckOperator>();

  addOperator(...operators: Array<CheckOperator | CheckOperator[]>) {
    this.#operators.push(...operators.flat());
  }

  get operators(): ReadonlyArray<CheckOperator> {
    return this.#operators;
  }
}

/**
 * The readiness backend plugin: scorecards, checklists, the overview API and
 * the catalog validation problems of the `prodready.dev/` annotations.
 *
 * @public
 */
export const readinessPlugin = createBackendPlugin({
  pluginId: 'readiness',
  register(env) {
    const factCollectors = new FactCollectorsExtension();
    env.registerExtensionPoint(
      readinessFactCollectorsExtensionPoint,
      factCollectors,
    );
    const checks = new ChecksExtension();
    env.registerExtensionPoint(readinessChecksExtensionPoint, checks);

    env.registerInit({
      deps: {
        logger: coreServices.logger,
        httpRouter: coreServices.httpRouter,
        httpAuth: coreServices.httpAuth,
        auth: coreServices.auth,
        permissions: coreServices.permissions,
        permissionsRegistry: coreServices.permissionsRegistry,
        database: coreServices.database,
        config: coreServices.rootConfig,
        scheduler: coreServices.scheduler,
        urlReader: coreServices.urlReader,
        catalog: catalogServiceRef,
        events: eventsServiceRef,
        actionsRegistry: actionsRegistryServiceRef,
        notifications: notificationService,
        signals: signalsServiceRef,
      },
      async init({
        logger,
        httpRouter,
        httpAuth,
        auth,
        permissions,
        permissionsRegistry,
        database,
        config,
        scheduler,
        urlReader,
        catalog,
        events,
        actionsRegistry,
        notifications,
        signals,
      }) {
        permissionsRegistry.addPermissions(readinessPermissions);

        const catalogProblems = await createCatalogProblemsService({
          store: await DatabaseCatalogProblemStore.create({ database }),
          events,
          logger,
          config,
        });

        const store = await DatabaseReadinessStore.create({ database });
        const externalResultStore = await DatabaseExternalResultStore.create({
          database,
        });
        const checklistStore = await DatabaseChecklistStore.create({
          database,
        });
        // The phases are loaded once the checks are known (below).
        const phases: { inForce: ReadonlyArray<PhaseDefinition> } = {
          inForce: [],
        };
        // Whether some check in force takes pushed results (known once the
        // checks are compiled, below).
        let hasExternalChecks = false;
        // Compiles the checks: invalid definitions fail start-up here.
        const engine = await DefaultReadinessEngine.create({
          config,
          logger,
          auth,
          catalog,
          store,
          collectors: [
            ...createBuiltInFactCollectors({
              catalog,
              auth,
              urlReader,
              logger,
            }),
            createExternalResultsCollector({
              store: externalResultStore,
              hasExternalChecks: () => hasExternalChecks,
            }),
            createChecklistFactCollector({
              store: checklistStore,
              getPhases: () => phases.inForce,
            }),
            ...factCollectors.collectors,
          ],
          operators: checks.operators,
        });
        hasExternalChecks = engine
          .getDefinition()
          .checks.some(check => check.source === 'external');
        // Notifications, events and signals of what the engine writes, and
        // the hourly task of expiries and initiative reminders. The notifier
        // returned has waiverRequested / waiverDecided (for waiver requests)
        // and attachInitiatives (for the initiatives service).
        const notifier = await createReadinessNotifier({
          config,
          logger,
          database,
          scheduler,
          notifications,
          signals,
          events,
          engine,
          checklistStore,
          readinessStore: store,
          getPhases: () => phases.inForce,
        });
        await scheduleReadinessEvaluation({
          scheduler,
          config,
          logger,
          engine,
        });

        // Phases bind items to checks: invalid ones fail start-up here.
        phases.inForce = loadPhases({
          config,
          logger,
          knownCheckIds: engine.getDefinition().checks.map(check => check.id),
        });
        const waiverStore = await DatabaseWaiverStore.create({ database });
        const checklists = new ChecklistService({
          phases: phases.inForce,
          settings: readChecklistSettings(config),
          store: checklistStore,
          readinessStore: store,
          getDefinition: () => engine.getDefinition(),
          waiverRequests: waiverStore,
        });
        // The catalog's group hierarchy: initiative scopes, the overview's
        // owner filter and roll-ups cover sub-groups.
        const groups = new CatalogGroupHierarchy({
          catalog,
          auth,
          logger: logger.child({ component: 'groups' }),
          refreshIntervalMs: readGroupRefreshInterval(config),
        });

        // Initiatives of app-config: invalid ones fail start-up here.
        const initiatives = await createInitiativeService({
          config,
          database,
          logger,
          catalog,
          auth,
          events,
          engine,
          readinessStore: store,
          checklistStore,
          phases: phases.inForce,
          groups,
        });
        notifier.attachInitiatives(initiatives);
        // Progress follows attestations and waivers, not only cycles.
        checklists.onItemChanged(() => {
          initiatives
            .recompute()
            .catch(error =>
              logger.warn(
                `Failed to recompute initiative progress after a checklist change: ${error}`,
              ),
            );
        });
        // Waiver requests that admins approve: with waiversRequireAdmin, or
        // when an initiative of the entity requires approval.
        const waivers = new WaiverService({
          store: waiverStore,
          checklists,
          logger: logger.child({ component: 'waivers' }),
          ...readWaiverSettings(config),
          rules: initiatives,
          notifier,
        });

        httpRouter.use(
          await createRouter({
            logger,
            httpAuth,
            permissions,
            catalogProblems,
            engine,
            store,
            catalog,
            checklists,
            initiatives,
            groups,
            rollupInitiatives: initiatives,
            waivers,
            externalResults: new ExternalResultsService({
              store: externalResultStore,
              engine,
              catalog,
              auth,
            }),
            remediation: new RemediationService({
              catalog,
              store,
              engine,
              urlReader,
              logger: logger.child({ component: 'remediation' }),
              operators: checks.operators,
            }),
            permissionCacheTtlMs: readPermissionCacheTtl(config),
          }),
        );
        httpRouter.addAuthPolicy({ path: '/health', allow: 'unauthenticated' });
        // For agents (MCP) and other plugins: see the actions registry.
        registerReadinessActions({
          actionsRegistry,
          store,
          engine,
          catalog,
          permissions,
          logger: logger.child({ component: 'actions' }),
          checklists,
          waivers,
        });
      },
    });
  },
});
