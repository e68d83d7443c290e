import type { Entity } from '@backstage/catalog-model';
import {
  ApplicabilitySubject,
  CheckResult,
  ReadinessApplicability,
  getApplicabilitySubject,
} from '@prodready/plugin-readiness-common';
import type { CompiledCheck, RuleFacts } from '../rules';

/**
 * Options of {@link evaluateChecks}.
 *
 * @public
 */
export interface EvaluateChecksOptions {
  /** The entity the facts are about. */
  entity: Entity;
  /** Its canonical ref. */
  entityRef: string;
  /** Its fact documents, by collector id. */
  facts: RuleFacts;
  /** The evaluation time (for date rules, and `evaluatedAt`). */
  now: Date;
  /** A hash or version of the facts, copied into every result. */
  factsVersion?: string;
}

const APPLICABILITY_LABELS: Array<
  [keyof ReadinessApplicability, keyof ApplicabilitySubject, string, string]
> = [
  ['kinds', 'kind', 'kind', 'kinds'],
  ['types', 'type', 'type', 'types'],
  ['lifecycles', 'lifecycle', 'lifecycle', 'lifecycles'],
  ['tiers', 'tier', 'tier', 'tiers'],
];

/**
 * Says why a check does not apply, such as "it applies to lifecycle
 * production; this entity's lifecycle is experimental".
 *
 * @public
 */
export function describeNotApplicable(
  applicability: ReadinessApplicability | undefined,
  subject: ApplicabilitySubject,
): string {
  for (const [list, field, singular, plural] of APPLICABILITY_LABELS) {
    const values = applicability?.[list] as string[] | undefined;
    if (!values || values.length === 0) {
      continue;
    }
    const actual = subject[field];
    const wanted = actual?.toLocaleLowerCase('en-US');
    if (
      wanted === undefined ||
      !values.some(v => v.toLocaleLowerCase('en-US') === wanted)
    ) {
      const expected = `${
        values.length === 1 ? singular : plural
      } ${values.join(', ')}`;
      const has =
        actual === undefined
          ? `this entity has no ${singular}`
          : `this entity's ${singular} is ${actual}`;
      return `it applies to ${expected}; ${has}`;
    }
  }
  return 'it does not apply to this entity';
}

/**
 * Evaluates compiled checks for one entity: `not-applicable` (with the
 * reason) when a check does not apply to the entity, else the check's
 * status and message. Never throws.
 *
 * @public
 */
export function evaluateChecks(
  checks: ReadonlyArray<CompiledCheck>,
  options: EvaluateChecksOptions,
): CheckResult[] {
  const { entity, entityRef, facts, now, factsVersion } = options;
  const evaluatedAt = now.toISOString();
  const context = { now: now.getTime() };
  let subject: ApplicabilitySubject | undefined;
  return checks.map(check => {
    const base = {
      checkId: check.id,
      entityRef,
      evaluatedAt,
      ...(factsVersion !== undefined ? { factsVersion } : {}),
    };
    if (!check.appliesToEntity(entity)) {
      subject ??= getApplicabilitySubject(entity);
      return {
        ...base,
        status: 'not-applicable',
        message: `Not applicable: ${describeNotApplicable(
          check.definition.applicability,
          subject,
        )}.`,
      };
    }
    const { status, message, details } = check.evaluate(facts, context);
    return {
      ...base,
      status,
      message,
      ...(details !== undefined && { details }),
    };
  });
}
