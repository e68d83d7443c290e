import { createBackendModule } from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import {
  FactCollector,
  readinessFactCollectorsExtensionPoint,
  ReadinessFactCollectorsExtensionPoint,
} from './extensions';

describe('readinessFactCollectorsExtensionPoint', () => {
  it('hands the registered collectors to the plugin that provides it', async () => {
    const added: FactCollector[] = [];
    const extensionPoint: ReadinessFactCollectorsExtensionPoint = {
      addFactCollector: (...collectors) => added.push(...collectors.flat()),
    };
    const collector: FactCollector = {
      id: 'oncall',
      version: 1,
      collect: async ({ entity }) => ({ rotation: entity.metadata.name }),
    };
    const module = createBackendModule({
      pluginId: 'readiness',
      moduleId: 'oncall-facts',
      register(reg) {
        reg.registerInit({
          deps: { collectors: readinessFactCollectorsExtensionPoint },
          async init({ collectors }) {
            collectors.addFactCollector(collector);
          },
        });
      },
    });

    await startTestBackend({
      extensionPoints: [
        [readinessFactCollectorsExtensionPoint, extensionPoint],
      ],
      features: [module],
    });

    expect(added).toEqual([collector]);
    await expect(
      added[0].collect({
        entity: {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: { name: 'payments-api' },
        },
      }),
    ).resolves.toEqual({ rotation: 'payments-api' });
  });
});
