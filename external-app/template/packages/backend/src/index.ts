/*
 * The backend of the external app: the Backstage catalog and scaffolder, and
 * the Production Readiness packages as a user adds them (see "Installing in
 * your own Backstage app" in the repository's README).
 */
import { createBackend } from '@backstage/backend-defaults';

const backend = createBackend();

backend.add(import('@backstage/plugin-catalog-backend'));
backend.add(import('@backstage/plugin-scaffolder-backend'));

backend.add(import('@prodready/plugin-readiness-backend'));
backend.add(import('@prodready/plugin-catalog-backend-module-readiness'));
backend.add(import('@prodready/plugin-scaffolder-backend-module-readiness'));
backend.add(import('@prodready/plugin-readiness-backend-module-tech-insights'));
// Without readiness.prometheus in the config it adds nothing (the observed
// service level checks do not apply); installed to prove that it loads.
backend.add(import('@prodready/plugin-readiness-backend-module-prometheus'));

backend.start();
