import { createMockDirectory } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { parse } from 'yaml';
import { createAnnotateCatalogInfoAction } from './annotateCatalogInfo';

const CATALOG_INFO = `# The service
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: orders
  annotations:
    backstage.io/techdocs-ref: dir:.
spec:
  type: service
  lifecycle: production
  owner: group:default/shop
`;

describe('readiness:catalog:annotate', () => {
  const action = createAnnotateCatalogInfoAction({
    appBaseUrl: 'http://localhost:3000',
  });
  const mockDir = createMockDirectory();

  beforeEach(() => {
    mockDir.setContent({ 'catalog-info.yaml': CATALOG_INFO });
  });

  function context(input: Record<string, unknown>, templateVersion?: string) {
    return createMockActionContext({
      input: input as any,
      workspacePath: mockDir.path,
      templateInfo: {
        entityRef: 'template:default/production-service',
        entity: {
          metadata: {
            name: 'production-service',
            annotations: templateVersion
              ? { 'backstage.io/template-version': templateVersion }
              : {},
          },
        },
      },
    });
  }

  it('adds the SLA/DR annotations and the template version, keeping comments', async () => {
    const ctx = context(
      {
        annotations: {
          'prodready.dev/tier': 'tier-2',
          'prodready.dev/availability': '99.9',
          'prodready.dev/peak-rps': 1200,
          'prodready.dev/rpo': '1h',
          'prodready.dev/backup-schedule': '7 * * * *',
          'prodready.dev/backup-retention': '',
          'prodready.dev/runbook-url': 'techdocs:runbook',
        },
      },
      '1.0.0',
    );
    await action.handler(ctx);
    const text = mockDir.content()?.['catalog-info.yaml'] as string;
    expect(text.startsWith('# The service\n')).toBe(true);
    expect(parse(text).metadata.annotations).toEqual({
      'backstage.io/techdocs-ref': 'dir:.',
      'prodready.dev/tier': 'tier-2',
      'prodready.dev/availability': '99.9',
      'prodready.dev/peak-rps': '1200',
      'prodready.dev/rpo': '1h',
      'prodready.dev/backup-schedule': '7 * * * *',
      'prodready.dev/runbook-url':
        'http://localhost:3000/docs/default/component/orders/runbook/',
      'backstage.io/template-version': '1.0.0',
    });
    expect(ctx.output).toHaveBeenCalledWith(
      'entityRef',
      'component:default/orders',
    );
  });

  it.each([
    [
      { 'prodready.dev/availabilty': '99.9' },
      'prodready.dev/availabilty is not a known readiness annotation; did you mean prodready.dev/availability?',
    ],
    [
      { 'prodready.dev/rto': 'soon' },
      "prodready.dev/rto: 'soon' is not a duration",
    ],
    [
      { 'prodready.dev/backup-schedule': '0 25 * * *' },
      "prodready.dev/backup-schedule: '0 25 * * *' is not a valid cron expression (hour field '25': 25 is out of range 0-23)",
    ],
    [
      { 'backstage.io/owner': 'x' },
      'backstage.io/owner is not a readiness annotation',
    ],
    [
      { 'prodready.dev/runbook-url': 'techdocs:../../etc' },
      "prodready.dev/runbook-url: 'techdocs:../../etc' must name a TechDocs page",
    ],
  ])(
    'rejects %j and leaves the file unchanged',
    async (annotations, message) => {
      const ctx = context({ annotations }, '1.0.0');
      await expect(action.handler(ctx)).rejects.toThrow(message);
      expect(mockDir.content()?.['catalog-info.yaml']).toBe(CATALOG_INFO);
    },
  );

  it('needs a template version', async () => {
    await expect(action.handler(context({ annotations: {} }))).rejects.toThrow(
      'templateVersion is required: pass it, or annotate the Template with backstage.io/template-version',
    );
    await expect(
      action.handler(context({ annotations: {}, templateVersion: 'v1' })),
    ).rejects.toThrow(
      "templateVersion must be a semantic version such as '1.2.0', got 'v1'",
    );
  });
});
