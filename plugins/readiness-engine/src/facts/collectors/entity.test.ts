import type { Entity } from '@backstage/catalog-model';
import { collectEntityFacts, createEntityFactCollector } from './entity';
import { loadExampleEntities } from '../../__testUtils__/examples';

const component: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name: 'cart-service',
    title: 'Cart Service',
    description: 'Shopping carts.',
    tags: ['go', 'PCI-DSS', 'redis'],
    links: [{ url: 'https://wiki.example.com/cart' }],
    annotations: {
      'prodready.dev/tier': 'tier-2',
      'prodready.dev/rto': '4 hours',
      'prodready.dev/rpo-typo': '1h',
    },
  },
  spec: {
    type: 'service',
    lifecycle: 'production',
    owner: 'checkout-team',
    system: 'storefront',
    dependsOn: ['resource:cart-cache', 'component:default/order-service'],
    providesApis: ['cart-api'],
    consumesApis: ['api:default/identity-auth-api'],
  },
};

describe('collectEntityFacts', () => {
  it('reads the entity, deriving relations from spec when it has none', () => {
    expect(collectEntityFacts(component)).toEqual({
      kind: 'Component',
      name: 'cart-service',
      namespace: 'default',
      ref: 'component:default/cart-service',
      title: 'Cart Service',
      type: 'service',
      lifecycle: 'production',
      owner: 'group:default/checkout-team',
      system: 'system:default/storefront',
      tier: 'tier-2',
      tags: ['go', 'PCI-DSS', 'redis'],
      tagCount: 3,
      linksCount: 1,
      hasDescription: true,
      relations: {
        consumesApi: ['api:default/identity-auth-api'],
        dependsOn: [
          'component:default/order-service',
          'resource:default/cart-cache',
        ],
        ownedBy: ['group:default/checkout-team'],
        partOf: ['system:default/storefront'],
        providesApi: ['api:default/cart-api'],
      },
      relationsSource: 'spec',
      dependsOnResources: ['resource:default/cart-cache'],
      dependsOnComponents: ['component:default/order-service'],
      providesApis: ['api:default/cart-api'],
      providesApiCount: 1,
      consumesApis: ['api:default/identity-auth-api'],
      complianceTags: ['PCI-DSS'],
      complianceTagCount: 1,
      caching: {
        detected: true,
        evidence: ['tag redis', 'depends on resource:default/cart-cache'],
      },
      annotationErrors: 2,
      annotationErrorNames: ['prodready.dev/rpo-typo', 'prodready.dev/rto'],
    });
  });

  it('uses the catalog relations when there are some', () => {
    const facts = collectEntityFacts({
      ...component,
      relations: [
        { type: 'ownedBy', targetRef: 'group:default/checkout-team' },
        { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
        { type: 'dependsOn', targetRef: 'resource:default/orders-db' },
        { type: 'hasServiceLevelAgreement', targetRef: 'resource:default/sla' },
      ],
    });
    expect(facts.relationsSource).toBe('catalog');
    expect(facts.relations).toEqual({
      dependsOn: ['resource:default/orders-db'],
      hasServiceLevelAgreement: ['resource:default/sla'],
      ownedBy: ['group:default/checkout-team'],
    });
    expect(facts.providesApis).toEqual([]);
    expect(facts.caching).toEqual({ detected: true, evidence: ['tag redis'] });
  });

  it('uses null for what the entity does not say, and ignores a bad tier', () => {
    const facts = collectEntityFacts({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'System',
      metadata: {
        name: 'payments',
        namespace: 'finance',
        annotations: { 'prodready.dev/tier': 'tier-0' },
      },
      spec: { owner: 'payments-team', domain: 'commerce' },
    });
    expect(facts).toMatchObject({
      namespace: 'finance',
      ref: 'system:finance/payments',
      title: null,
      type: null,
      lifecycle: null,
      system: null,
      tier: null,
      tags: [],
      linksCount: 0,
      hasDescription: false,
      relations: {
        ownedBy: ['group:finance/payments-team'],
        partOf: ['domain:finance/commerce'],
      },
      complianceTagCount: 0,
      annotationErrors: 1,
    });
  });

  it('takes custom compliance and cache tags', () => {
    const facts = collectEntityFacts(component, {
      complianceTags: ['sox'],
      cacheTags: [],
    });
    expect(facts.complianceTags).toEqual([]);
    expect(facts.caching.evidence).toEqual([
      'depends on resource:default/cart-cache',
    ]);
  });

  it('returns plain JSON for every example entity', async () => {
    const collector = createEntityFactCollector();
    expect(collector).toMatchObject({ id: 'entity', version: 1 });
    for (const entity of loadExampleEntities()) {
      const facts = await collector.collect({ entity });
      expect(JSON.parse(JSON.stringify(facts))).toEqual(facts);
    }
  });
});
