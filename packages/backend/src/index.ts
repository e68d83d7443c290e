/*
 * The local portal's backend: the Backstage core plugins the suite needs, and
 * every package of Production Readiness for Backstage.
 */
import { createBackend } from '@backstage/backend-defaults';
import { localRepositoriesUrlReaderServiceFactory } from '@prodready/plugin-scaffolder-backend-module-readiness';

const backend = createBackend();

backend.add(import('@backstage/plugin-app-backend'));
backend.add(import('@backstage/plugin-proxy-backend'));

// Auth: guest sign-in for the local portal.
backend.add(import('@backstage/plugin-auth-backend'));
backend.add(import('@backstage/plugin-auth-backend-module-guest-provider'));

// Catalog, with the readiness processor that validates SLA/DR annotations.
backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(
  import('@backstage/plugin-catalog-backend-module-scaffolder-entity-model'),
);
backend.add(import('@backstage/plugin-catalog-backend-module-logs'));
backend.add(import('@prodready/plugin-catalog-backend-module-readiness'));
// Entities that fail processing (e.g. a malformed prodready.dev annotation),
// with their errors, for the "Unprocessed entities" page.
backend.add(import('@backstage/plugin-catalog-backend-module-unprocessed'));

// Scaffolder, with the readiness actions.
backend.add(import('@backstage/plugin-scaffolder-backend'));
backend.add(import('@prodready/plugin-scaffolder-backend-module-readiness'));
// Every plugin's URL reader reads the local repositories (and their
// branches) from disk: fetch:plain, the catalog and the readiness engine.
backend.add(localRepositoriesUrlReaderServiceFactory);

// Permissions: admins, owners and everyone else (see ./permissionPolicy.ts).
backend.add(import('@backstage/plugin-permission-backend'));
backend.add(import('./permissionPolicy'));

// TechDocs and search.
backend.add(import('@backstage/plugin-techdocs-backend'));
backend.add(import('@backstage/plugin-search-backend'));
backend.add(import('@backstage/plugin-search-backend-module-pg'));
backend.add(import('@backstage/plugin-search-backend-module-catalog'));
backend.add(import('@backstage/plugin-search-backend-module-techdocs'));

// User settings are stored in the backend, with live updates over signals.
backend.add(import('@backstage/plugin-user-settings-backend'));
backend.add(import('@backstage/plugin-signals-backend'));
// The events bus, so that events (readiness.check-status-changed, ...) reach
// subscribers in every backend instance.
backend.add(import('@backstage/plugin-events-backend'));
// Notifications (the bell and /notifications): readiness sends regressions,
// expiries, initiative reminders and waiver requests through it.
backend.add(import('@backstage/plugin-notifications-backend'));

// Production readiness: scorecards, checklists and the overview.
backend.add(import('@prodready/plugin-readiness-backend'));
// Observed service levels: only with readiness.prometheus (app-config.prometheus.yaml).
backend.add(import('@prodready/plugin-readiness-backend-module-prometheus'));

// The actions of the plugins listed in backend.actions.pluginSources (the
// readiness actions) as MCP tools, at /api/mcp-actions/v1.
backend.add(import('@backstage/plugin-mcp-actions-backend'));

backend.start();
