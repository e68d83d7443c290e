import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  createMockDirectory,
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { Entity } from '@backstage/catalog-model';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import { catalogProcessingExtensionPoint } from '@backstage/plugin-catalog-node';
import { AddressInfo } from 'node:net';
import { catalogModuleReadiness } from './module';

/**
 * One catalog file holding valid entities and, between them, a malformed
 * service and a malformed SLA.
 */
const CATALOG = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: good-service
  annotations:
    prodready.dev/tier: tier-1
    prodready.dev/sla-ref: resource:default/sla-gold
    prodready.dev/dr-plan-ref: dr-plan-gold
spec:
  type: service
  owner: payments-team
  lifecycle: production
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: broken-service
  annotations:
    prodready.dev/sla-ref: resource:default/sla-gold
    prodready.dev/rto: 4 hours
spec:
  type: service
  owner: payments-team
  lifecycle: production
---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: plain-service
spec:
  type: service
  owner: payments-team
  lifecycle: production
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: sla-gold
spec:
  type: service-level-agreement
  owner: platform-team
  targets:
    availability: '99.95'
    latencyP95: 150ms
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: sla-broken
spec:
  type: service-level-agreement
  owner: platform-team
  targets:
    availability: high
---
apiVersion: backstage.io/v1alpha1
kind: Resource
metadata:
  name: dr-plan-gold
spec:
  type: disaster-recovery-plan
  owner: platform-team
  rto: 1h
  rpo: 15m
  backupSchedule: '*/15 * * * *'
`;

const DURATION =
  "a number greater than zero followed by a unit (ms, s, m, h, d, w), such as '30m' or '4h'";
const AVAILABILITY =
  "a number greater than 0 and at most 100, optionally followed by '%', such as '99.9' or '99.95%'";

async function waitFor<T>(
  probe: () => Promise<T | undefined>,
  timeoutMs = 40_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('Timed out waiting for the catalog');
    }
    await new Promise(resolve => setTimeout(resolve, 250));
  }
}

describe('catalogModuleReadiness', () => {
  const mockDir = createMockDirectory();

  it('keeps malformed entities out of the real catalog, reports them, and serves their neighbours', async () => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG });
    const processingErrors = new Map<string, string[]>();
    const errorRecorder = createBackendModule({
      pluginId: 'catalog',
      moduleId: 'test-error-recorder',
      register(reg) {
        reg.registerInit({
          deps: { catalog: catalogProcessingExtensionPoint },
          async init({ catalog }) {
            catalog.setOnProcessingErrorHandler(
              ({ unprocessedEntity, errors }) => {
                processingErrors.set(
                  unprocessedEntity.metadata.name,
                  errors.map(e => e.message),
                );
              },
            );
          },
        });
      },
    });

    const backend = await startTestBackend({
      features: [
        catalogPlugin,
        catalogModuleReadiness,
        errorRecorder,
        mockServices.rootConfig.factory({
          data: {
            catalog: {
              locations: [
                { type: 'file', target: mockDir.resolve('catalog-info.yaml') },
              ],
              rules: [{ allow: ['Component', 'Resource', 'Location'] }],
            },
          },
        }),
      ],
    });

    try {
      const { port } = backend.server.address() as AddressInfo;
      const get = (path: string) =>
        fetch(`http://localhost:${port}/api/catalog${path}`, {
          headers: { Authorization: mockCredentials.user.header() },
        });
      const entity = (kind: string, name: string) =>
        waitFor(async () => {
          const response = await get(
            `/entities/by-name/${kind}/default/${name}`,
          );
          return response.ok ? ((await response.json()) as Entity) : undefined;
        });
      const relationsOf = (e: Entity) =>
        (e.relations ?? [])
          .filter(r => r.type !== 'ownedBy')
          .map(r => `${r.type} ${r.targetRef}`)
          .sort();

      // The valid neighbours are processed and served, with the relations.
      const service = await entity('component', 'good-service');
      expect(relationsOf(service)).toEqual([
        'hasDisasterRecoveryPlan resource:default/dr-plan-gold',
        'hasServiceLevelAgreement resource:default/sla-gold',
      ]);
      await entity('component', 'plain-service');
      const sla = await waitFor(async () => {
        const found = await entity('resource', 'sla-gold');
        return relationsOf(found).length > 0 ? found : undefined;
      });
      expect(relationsOf(sla)).toEqual([
        'serviceLevelAgreementOf component:default/good-service',
      ]);
      const plan = await waitFor(async () => {
        const found = await entity('resource', 'dr-plan-gold');
        return relationsOf(found).length > 0 ? found : undefined;
      });
      expect(relationsOf(plan)).toEqual([
        'disasterRecoveryPlanOf component:default/good-service',
      ]);

      // The malformed entities are reported ...
      await waitFor(async () =>
        processingErrors.size >= 2 ? true : undefined,
      );
      expect(Object.fromEntries(processingErrors)).toEqual({
        'broken-service': [
          `component:default/broken-service: prodready.dev/rto: '4 hours' is not a duration; expected ${DURATION}`,
        ],
        'sla-broken': [
          `resource:default/sla-broken: spec.targets.availability: 'high' is not a percentage; expected ${AVAILABILITY}`,
        ],
      });

      // ... and not served, while the catalog as a whole keeps working.
      expect(
        (await get('/entities/by-name/component/default/broken-service'))
          .status,
      ).toBe(404);
      expect(
        (await get('/entities/by-name/resource/default/sla-broken')).status,
      ).toBe(404);
      const listed = await get(
        '/entities/by-query?filter=kind=component,kind=resource&fields=metadata.name',
      );
      expect(listed.status).toBe(200);
      const { items } = (await listed.json()) as { items: Entity[] };
      expect(items.map(i => i.metadata.name).sort()).toEqual([
        'dr-plan-gold',
        'good-service',
        'plain-service',
        'sla-gold',
      ]);
    } finally {
      await backend.stop();
    }
  }, 60_000);
});
