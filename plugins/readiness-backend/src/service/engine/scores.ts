import {
  Entity,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import {
  LevelDefinition,
  Scorecard,
  getApplicabilitySubject,
} from '@prodready/plugin-readiness-common';
import type { EntityScores } from '../../database';

/** A full, lower-case entity ref of a `spec` reference, or null. */
function specRef(
  entity: Entity,
  field: string,
  defaultKind: string,
): string | null {
  const value = entity.spec?.[field];
  if (typeof value !== 'string' || value.trim() === '') {
    return null;
  }
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: entity.metadata.namespace ?? 'default',
      }),
    ).toLocaleLowerCase('en-US');
  } catch {
    return null;
  }
}

function specString(entity: Entity, field: string): string | null {
  const value = entity.spec?.[field];
  return typeof value === 'string' && value !== '' ? value : null;
}

/**
 * The summary columns of a scorecard, with the catalog data the overview
 * filters on: kind, `spec.type`, `spec.lifecycle`, the owner and system as
 * full lower-case refs (`group:default/team-a`), and the tier.
 *
 * The overall score is the share (0-100, one decimal) of the applicable
 * checks that pass or are waived, 0 when none applies; `failed` counts the
 * results that block a level (`fail` and `error`).
 */
export function toEntityScores(
  entity: Entity,
  scorecard: Scorecard,
  options: { levels: ReadonlyArray<LevelDefinition>; factsHash: string },
): EntityScores {
  let applicable = 0;
  let good = 0;
  let passed = 0;
  let failed = 0;
  for (const result of scorecard.results) {
    if (result.status === 'not-applicable') continue;
    applicable += 1;
    if (result.status === 'pass') passed += 1;
    if (result.status === 'pass' || result.waiver !== undefined) good += 1;
    if (result.status === 'fail' || result.status === 'error') failed += 1;
  }
  const level =
    scorecard.level === null
      ? undefined
      : options.levels.find(l => l.id === scorecard.level);
  return {
    kind: entity.kind,
    type: specString(entity, 'type'),
    lifecycle: specString(entity, 'lifecycle'),
    owner: specRef(entity, 'owner', 'group'),
    system: specRef(entity, 'system', 'system'),
    tier: getApplicabilitySubject(entity).tier ?? null,
    level: scorecard.level,
    levelRank: level?.rank ?? 0,
    score: applicable === 0 ? 0 : Math.round((good / applicable) * 1000) / 10,
    areaScores: scorecard.areas,
    passed,
    failed,
    factsHash: options.factsHash,
    stale: scorecard.stale,
  };
}
