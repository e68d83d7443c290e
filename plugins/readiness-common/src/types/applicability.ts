import type { Entity } from '@backstage/catalog-model';
import { READINESS_ANNOTATION_TIER } from '../annotations';
import { ReadinessTier, isReadinessTier } from '../parsers';

/**
 * Which entities a check or a phase applies to. Every list that is present
 * and non-empty must contain the entity's value; absent or empty lists match
 * everything. Kinds, types and lifecycles are compared case-insensitively.
 *
 * @public
 */
export interface ReadinessApplicability {
  /** Entity kinds, such as `Component`. */
  kinds?: string[];
  /** Values of `spec.type`, such as `service`. */
  types?: string[];
  /** Values of `spec.lifecycle`, such as `production`. */
  lifecycles?: string[];
  /** Tiers, from the `prodready.dev/tier` annotation. */
  tiers?: ReadinessTier[];
}

/**
 * The properties of an entity that applicability is decided on.
 *
 * @public
 */
export interface ApplicabilitySubject {
  kind: string;
  type?: string;
  lifecycle?: string;
  tier?: ReadinessTier;
}

function listMatches(list: string[] | undefined, value: string | undefined) {
  if (!list || list.length === 0) {
    return true;
  }
  if (value === undefined) {
    return false;
  }
  const wanted = value.toLocaleLowerCase('en-US');
  return list.some(item => item.toLocaleLowerCase('en-US') === wanted);
}

/**
 * Whether something with the given applicability applies to a subject. A
 * subject without a value (for example, no tier) does not match a non-empty
 * list for that value.
 *
 * @public
 */
export function isApplicable(
  applicability: ReadinessApplicability | undefined,
  subject: ApplicabilitySubject,
): boolean {
  if (!applicability) {
    return true;
  }
  return (
    listMatches(applicability.kinds, subject.kind) &&
    listMatches(applicability.types, subject.type) &&
    listMatches(applicability.lifecycles, subject.lifecycle) &&
    listMatches(applicability.tiers, subject.tier)
  );
}

/**
 * Extracts the {@link ApplicabilitySubject} of a catalog entity: its kind,
 * `spec.type`, `spec.lifecycle` and (valid) `prodready.dev/tier` annotation.
 *
 * @public
 */
export function getApplicabilitySubject(entity: Entity): ApplicabilitySubject {
  const spec = entity.spec ?? {};
  const tier = entity.metadata.annotations?.[READINESS_ANNOTATION_TIER]?.trim();
  return {
    kind: entity.kind,
    type: typeof spec.type === 'string' ? spec.type : undefined,
    lifecycle: typeof spec.lifecycle === 'string' ? spec.lifecycle : undefined,
    tier: isReadinessTier(tier) ? tier : undefined,
  };
}
