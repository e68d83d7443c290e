import { Entity } from '@backstage/catalog-model';
import { CatalogProcessorResult } from '@backstage/plugin-catalog-node';
import { ReadinessEntityProcessor } from './ReadinessEntityProcessor';

const location = { type: 'file', target: '/examples/entities.yaml' };

function service(annotations: Record<string, string>): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name: 'payments-api', annotations },
    spec: { type: 'service', owner: 'payments-team', lifecycle: 'production' },
  };
}

async function process(entity: Entity) {
  const emitted: CatalogProcessorResult[] = [];
  const result = await new ReadinessEntityProcessor().preProcessEntity(
    entity,
    location,
    r => emitted.push(r),
  );
  return { result, emitted };
}

describe('ReadinessEntityProcessor', () => {
  it('passes an entity with valid annotations unchanged and emits nothing', async () => {
    const entity = service({
      'prodready.dev/availability': '99.95',
      'prodready.dev/rto': '4h',
      'prodready.dev/backup-schedule': '0 */6 * * *',
    });
    const { result, emitted } = await process(entity);
    expect(result).toBe(entity);
    expect(emitted).toEqual([]);
  });

  it('emits one input error per bad annotation, naming the entity', async () => {
    const { emitted } = await process(
      service({
        'prodready.dev/rto': '4 hours',
        'prodready.dev/availability': '110%',
      }),
    );
    expect(emitted).toHaveLength(2);
    for (const item of emitted) {
      expect(item.type).toBe('error');
    }
    const messages = emitted.map(item =>
      item.type === 'error' ? item.error.message : '',
    );
    expect(messages).toEqual([
      expect.stringMatching(
        /^component:default\/payments-api: prodready\.dev\/availability: '110%'/,
      ),
      expect.stringMatching(
        /^component:default\/payments-api: prodready\.dev\/rto: '4 hours'/,
      ),
    ]);
  });
});
