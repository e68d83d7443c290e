/**
 * The goal of an initiative: what each entity in its scope must reach.
 *
 * - `level`: the entity reaches this level or a higher one;
 * - `checks`: each of these checks passes or does not apply (or is waived);
 * - `checklists`: the checklists of a phase are complete (every item done or
 *   not applicable): all of them, only the checklists listed, or only the
 *   items listed (for example the backup items).
 *
 * @public
 */
export type InitiativeGoal =
  | { type: 'level'; level: string }
  | { type: 'checks'; checks: string[] }
  | {
      type: 'checklists';
      phase: string;
      checklists?: string[];
      /** Item ids of the phase; only these items must be complete. */
      items?: string[];
    };

/**
 * The kinds of initiative goals.
 *
 * @public
 */
export const INITIATIVE_GOAL_TYPES: ReadonlyArray<InitiativeGoal['type']> = [
  'level',
  'checks',
  'checklists',
];

/**
 * Which entities an initiative covers. Each list keeps the entities whose
 * value is one of the listed values; the lists combine with AND. At least one
 * list must be given.
 *
 * @public
 */
export interface InitiativeScope {
  /** Entity kinds, such as `Component`; compared without regard to case. */
  kinds?: string[];
  /** `spec.type`, such as `service`. */
  types?: string[];
  /** `spec.lifecycle`, such as `production`. */
  lifecycles?: string[];
  /** The `prodready.dev/tier` annotation, such as `tier-1`. */
  tiers?: string[];
  /**
   * Owner entity refs (usually groups). An entity matches when its owner is
   * one of these groups or any group under them, at every depth of the
   * `parentOf` / `childOf` hierarchy.
   */
  owners?: string[];
  /** System entity refs. */
  systems?: string[];
  /** `metadata.tags`: the entity has at least one of them. */
  tags?: string[];
}

/**
 * The keys of an initiative scope.
 *
 * @public
 */
export const INITIATIVE_SCOPE_KEYS: ReadonlyArray<keyof InitiativeScope> = [
  'kinds',
  'types',
  'lifecycles',
  'tiers',
  'owners',
  'systems',
  'tags',
];

/**
 * An initiative: a goal with a deadline for a set of entities, owned by a
 * group. Initiatives are data, like phases: from app-config
 * (`readiness.initiatives`), YAML files (`readiness.initiativeFiles`) or the
 * API.
 *
 * @public
 */
export interface InitiativeDefinition {
  /** A lowercase slug, unique. */
  id: string;
  title: string;
  description?: string;
  /** The entity ref of the group that runs the initiative. */
  owner: string;
  /** The first day, `YYYY-MM-DD` (UTC). */
  startDate: string;
  /** The last day, `YYYY-MM-DD` (UTC), on or after `startDate`. */
  deadline: string;
  scope: InitiativeScope;
  goal: InitiativeGoal;
  /**
   * A scheduled initiative ("enable later"): the goal's checks count towards
   * levels only from this day (`YYYY-MM-DD`); before it, their failures are
   * shown but do not lower a level. Only for a `checks` goal.
   */
  enforcedFrom?: string;
  /**
   * Days before the deadline on which the owners of entities not yet met
   * are reminded; default `[14, 7, 1]`.
   */
  reminders?: number[];
  /**
   * Whether a waiver of a checklist item of an entity in scope must be
   * approved by an admin (a non-admin owner requests it).
   */
  requireWaiverApproval?: boolean;
}

/**
 * The reminders of an initiative when it names none: 14, 7 and 1 days before
 * its deadline.
 *
 * @public
 */
export const DEFAULT_INITIATIVE_REMINDERS: ReadonlyArray<number> = [14, 7, 1];
