import path from 'path';
import {
  coreServices,
  createBackendModule,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readCatalogFile } from '@prodready/plugin-readiness-engine';

const EXAMPLES_DIR = path.resolve(__dirname, '../../../../examples');

/** The example catalog (`examples/`), as the catalog reads file locations. */
export const EXAMPLE_ENTITIES = [
  'entities.yaml',
  'service-levels.yaml',
  'org.yaml',
].flatMap(file => readCatalogFile(path.join(EXAMPLES_DIR, file)));

/**
 * A module that hands the readiness plugin's scheduler to the test
 * (startTestBackend's mock, which runs a task when it is triggered), so that
 * a test can run an evaluation cycle with `triggerTask('readiness-evaluation')`.
 */
export function captureReadinessScheduler() {
  const captured: { scheduler?: SchedulerService } = {};
  const module = createBackendModule({
    pluginId: 'readiness',
    moduleId: 'capture-scheduler',
    register(env) {
      env.registerInit({
        deps: { service: coreServices.scheduler },
        async init({ service }) {
          captured.scheduler = service;
        },
      });
    },
  });
  return {
    module,
    evaluate: () => captured.scheduler!.triggerTask('readiness-evaluation'),
  };
}
