import {
  Entity,
  RELATION_CONSUMES_API,
  RELATION_DEPENDENCY_OF,
  RELATION_DEPENDS_ON,
  RELATION_OWNED_BY,
  RELATION_PART_OF,
  RELATION_PROVIDES_API,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  JsonObject,
  READINESS_ANNOTATION_TIER,
  isReadinessTier,
  parseReadinessAnnotations,
} from '@prodready/plugin-readiness-common';
import type { FactCollector } from '../../types';

/**
 * Id of the entity fact collector: rules read `entity.<path>`.
 *
 * @public
 */
export const ENTITY_FACT_COLLECTOR_ID = 'entity';

/**
 * Tags that name a compliance framework. A tier-1 or tier-2 service is
 * expected to carry at least one (see the `compliance-tagged` check).
 *
 * @public
 */
export const DEFAULT_COMPLIANCE_TAGS: ReadonlyArray<string> = [
  'pci-dss',
  'gdpr',
  'soc2',
  'soc-2',
  'hipaa',
  'iso27001',
  'iso-27001',
  'fedramp',
  'ccpa',
];

/**
 * Tags that say the service uses a cache.
 *
 * @public
 */
export const DEFAULT_CACHE_TAGS: ReadonlyArray<string> = [
  'cache',
  'caching',
  'redis',
  'memcached',
  'valkey',
  'varnish',
];

/** A dependency whose name says it is a cache, e.g. `resource:default/cart-cache`. */
const CACHE_NAME =
  /(?:^|[-_.])(?:cache|caches|redis|memcache|memcached|valkey|varnish)(?:$|[-_.])/i;

/**
 * Options of {@link createEntityFactCollector}.
 *
 * @public
 */
export interface EntityFactCollectorOptions {
  /** Tags that count as compliance frameworks; default {@link DEFAULT_COMPLIANCE_TAGS}. */
  complianceTags?: ReadonlyArray<string>;
  /** Tags that say the service uses a cache; default {@link DEFAULT_CACHE_TAGS}. */
  cacheTags?: ReadonlyArray<string>;
}

/**
 * The facts the entity collector returns (plain JSON).
 *
 * Relations are grouped by type, each a sorted list of target refs. The
 * catalog does not put the *type* of a related Resource in the relation, so
 * "uses a cache" is a documented heuristic ({@link EntityFacts.caching}).
 *
 * @public
 */
export type EntityFacts = {
  kind: string;
  name: string;
  namespace: string;
  /** Canonical entity ref. */
  ref: string;
  title: string | null;
  type: string | null;
  lifecycle: string | null;
  /** Owner ref as written in `spec.owner` (canonical when it parses). */
  owner: string | null;
  system: string | null;
  /** The `prodready.dev/tier` annotation when it is a valid tier, else null. */
  tier: string | null;
  tags: string[];
  tagCount: number;
  linksCount: number;
  hasDescription: boolean;
  /** Relations by type, e.g. `{ dependsOn: ['resource:default/payments-db'] }`. */
  relations: Record<string, string[]>;
  /** Whether `relations` comes from the catalog, or from `spec` (an unprocessed entity). */
  relationsSource: 'catalog' | 'spec';
  dependsOnResources: string[];
  dependsOnComponents: string[];
  providesApis: string[];
  providesApiCount: number;
  consumesApis: string[];
  /** Tags that name a compliance framework. */
  complianceTags: string[];
  complianceTagCount: number;
  /** Whether the service uses a cache: a cache tag or a dependency named like a cache. */
  caching: { detected: boolean; evidence: string[] };
  /** Bad or unknown `prodready.dev/` annotations. */
  annotationErrors: number;
  /** The names of those annotations. */
  annotationErrorNames: string[];
};

function str(value: unknown): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : null;
}

function canonicalRef(
  value: unknown,
  defaults: { defaultKind?: string; defaultNamespace: string },
): string | null {
  const text = str(value);
  if (!text) {
    return null;
  }
  try {
    return stringifyEntityRef(parseEntityRef(text, defaults));
  } catch {
    return null;
  }
}

function refList(
  value: unknown,
  defaults: { defaultKind?: string; defaultNamespace: string },
): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return value
    .map(item => canonicalRef(item, defaults))
    .filter((ref): ref is string => ref !== null);
}

function addAll(
  relations: Record<string, string[]>,
  type: string,
  refs: ReadonlyArray<string | null>,
) {
  for (const ref of refs) {
    if (ref) {
      (relations[type] ??= []).push(ref);
    }
  }
}

/**
 * The relations the catalog would emit from `spec`, for an entity that has
 * not been processed (no `relations` at all): owner, system/domain,
 * dependencies and APIs.
 */
function relationsFromSpec(entity: Entity): Record<string, string[]> {
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = entity.metadata.namespace ?? 'default';
  const relations: Record<string, string[]> = {};
  addAll(relations, RELATION_OWNED_BY, [
    canonicalRef(spec.owner, {
      defaultKind: 'group',
      defaultNamespace: namespace,
    }),
  ]);
  if (entity.kind.toLocaleLowerCase('en-US') === 'system') {
    addAll(relations, RELATION_PART_OF, [
      canonicalRef(spec.domain, {
        defaultKind: 'domain',
        defaultNamespace: namespace,
      }),
    ]);
  } else {
    addAll(relations, RELATION_PART_OF, [
      canonicalRef(spec.system, {
        defaultKind: 'system',
        defaultNamespace: namespace,
      }),
      canonicalRef(spec.subcomponentOf, {
        defaultKind: 'component',
        defaultNamespace: namespace,
      }),
    ]);
  }
  addAll(
    relations,
    RELATION_DEPENDS_ON,
    refList(spec.dependsOn, { defaultNamespace: namespace }),
  );
  addAll(
    relations,
    RELATION_DEPENDENCY_OF,
    refList(spec.dependencyOf, { defaultNamespace: namespace }),
  );
  addAll(
    relations,
    RELATION_PROVIDES_API,
    refList(spec.providesApis, {
      defaultKind: 'api',
      defaultNamespace: namespace,
    }),
  );
  addAll(
    relations,
    RELATION_CONSUMES_API,
    refList(spec.consumesApis, {
      defaultKind: 'api',
      defaultNamespace: namespace,
    }),
  );
  return relations;
}

function relationsFromCatalog(entity: Entity): Record<string, string[]> {
  const relations: Record<string, string[]> = {};
  for (const relation of entity.relations ?? []) {
    if (!relation || typeof relation.type !== 'string') {
      continue;
    }
    const target = canonicalRef(relation.targetRef, {
      defaultNamespace: 'default',
    });
    addAll(relations, relation.type, [target]);
  }
  return relations;
}

function sortedUnique(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

function kindOfRef(ref: string): string {
  return ref.slice(0, ref.indexOf(':')).toLocaleLowerCase('en-US');
}

function nameOfRef(ref: string): string {
  return ref.slice(ref.indexOf('/') + 1);
}

/**
 * Computes the entity facts; pure, never throws on a well-formed entity.
 *
 * @public
 */
export function collectEntityFacts(
  entity: Entity,
  options: EntityFactCollectorOptions = {},
): EntityFacts {
  const metadata = entity.metadata;
  const spec = (entity.spec ?? {}) as Record<string, unknown>;
  const namespace = metadata.namespace ?? 'default';
  const complianceTags = new Set(
    (options.complianceTags ?? DEFAULT_COMPLIANCE_TAGS).map(t =>
      t.toLocaleLowerCase('en-US'),
    ),
  );
  const cacheTags = new Set(
    (options.cacheTags ?? DEFAULT_CACHE_TAGS).map(t =>
      t.toLocaleLowerCase('en-US'),
    ),
  );

  const rawRelations = Array.isArray(entity.relations)
    ? relationsFromCatalog(entity)
    : relationsFromSpec(entity);
  const relations: Record<string, string[]> = {};
  for (const type of Object.keys(rawRelations).sort()) {
    relations[type] = sortedUnique(rawRelations[type]);
  }
  const dependsOn = relations[RELATION_DEPENDS_ON] ?? [];
  const dependsOnResources = dependsOn.filter(r => kindOfRef(r) === 'resource');
  const dependsOnComponents = dependsOn.filter(
    r => kindOfRef(r) === 'component',
  );
  const providesApis = relations[RELATION_PROVIDES_API] ?? [];
  const consumesApis = relations[RELATION_CONSUMES_API] ?? [];

  const tags = Array.isArray(metadata.tags)
    ? metadata.tags.filter((t): t is string => typeof t === 'string')
    : [];
  const entityComplianceTags = sortedUnique(
    tags.filter(t => complianceTags.has(t.toLocaleLowerCase('en-US'))),
  );
  const cacheEvidence = [
    ...tags
      .filter(t => cacheTags.has(t.toLocaleLowerCase('en-US')))
      .map(t => `tag ${t}`),
    ...dependsOn
      .filter(r => CACHE_NAME.test(nameOfRef(r)))
      .map(r => `depends on ${r}`),
  ];

  const { errors } = parseReadinessAnnotations(metadata.annotations);
  const tier = metadata.annotations?.[READINESS_ANNOTATION_TIER]?.trim();

  let ref: string;
  try {
    ref = stringifyEntityRef(entity);
  } catch {
    ref = `${entity.kind}:${namespace}/${metadata.name}`.toLocaleLowerCase(
      'en-US',
    );
  }

  return {
    kind: entity.kind,
    name: metadata.name,
    namespace,
    ref,
    title: str(metadata.title),
    type: str(spec.type),
    lifecycle: str(spec.lifecycle),
    owner:
      canonicalRef(spec.owner, {
        defaultKind: 'group',
        defaultNamespace: namespace,
      }) ?? str(spec.owner),
    system:
      canonicalRef(spec.system, {
        defaultKind: 'system',
        defaultNamespace: namespace,
      }) ?? str(spec.system),
    tier: isReadinessTier(tier) ? tier : null,
    tags,
    tagCount: tags.length,
    linksCount: Array.isArray(metadata.links) ? metadata.links.length : 0,
    hasDescription: str(metadata.description) !== null,
    relations,
    relationsSource: Array.isArray(entity.relations) ? 'catalog' : 'spec',
    dependsOnResources,
    dependsOnComponents,
    providesApis,
    providesApiCount: providesApis.length,
    consumesApis,
    complianceTags: entityComplianceTags,
    complianceTagCount: entityComplianceTags.length,
    caching: { detected: cacheEvidence.length > 0, evidence: cacheEvidence },
    annotationErrors: errors.length,
    annotationErrorNames: sortedUnique(errors.map(e => e.annotation)),
  };
}

/**
 * A fact collector for what the catalog entity itself says: kind, type,
 * lifecycle, owner, system, tier, tags, links, relations by type, and how
 * many `prodready.dev/` annotations are bad. Reads nothing else.
 *
 * @public
 */
export function createEntityFactCollector(
  options: EntityFactCollectorOptions = {},
): FactCollector {
  return {
    id: ENTITY_FACT_COLLECTOR_ID,
    version: 1,
    async collect({ entity }) {
      return collectEntityFacts(entity, options) as JsonObject;
    },
  };
}
