import {
  ApplicabilitySubject,
  ChecklistItemState,
  CheckDefinition,
  CheckResultStatus,
  InitiativeDefinition,
  InitiativeEntityState,
  InitiativeProgress,
  InitiativeScope,
  InitiativeShortfall,
  LevelDefinition,
  PhaseDefinition,
  isApplicable,
  isChecklistItemExpired,
} from '@prodready/plugin-readiness-common';
import { evaluatePhase } from '../checklists/evaluate';

/*
 * Initiative progress from stored data only: an entity's stored level,
 * current check results and checklist item states. Nothing here re-runs a
 * check. The same functions judge today's state and, for the burn-up, the
 * state of a past day rebuilt from the history.
 */

/** An entity as the overview stores it, with its tags. */
export interface ProgressSubject {
  /** Lower case. */
  entityRef: string;
  kind: string;
  type: string | null;
  lifecycle: string | null;
  tier: string | null;
  /** Lower-case entity ref. */
  owner: string | null;
  /** Lower-case entity ref. */
  system: string | null;
  /** `metadata.tags`, when known. */
  tags?: ReadonlyArray<string>;
  level: string | null;
  levelRank: number;
  score: number;
}

/** What a goal is judged on, for one entity at one time. */
export interface GoalFacts {
  levelRank: number;
  level: string | null;
  /** Check id to current status and message. */
  results: ReadonlyMap<string, { status: CheckResultStatus; message: string }>;
  /** The stored checklist item states (items never changed are absent). */
  checklistStates: ReadonlyArray<ChecklistItemState>;
}

/** Whether an entity meets an initiative's goal, and what it lacks. */
export interface GoalOutcome {
  state: InitiativeEntityState;
  missing: InitiativeShortfall[];
  waived: InitiativeShortfall[];
}

const lower = (value: string) => value.toLocaleLowerCase('en-US');

/**
 * The test of an initiative's scope. `owners` holds, per owner of the
 * scope, that group and every group under it (lower-case refs); without it
 * only the owners themselves match.
 */
export function compileScope(
  scope: InitiativeScope,
  owners?: ReadonlySet<string>,
): (subject: ProgressSubject) => boolean {
  const tests: Array<(subject: ProgressSubject) => boolean> = [];
  const set = (values: ReadonlyArray<string>, normalise = lower) =>
    new Set(values.map(normalise));
  if (scope.kinds) {
    const kinds = set(scope.kinds);
    tests.push(s => kinds.has(lower(s.kind)));
  }
  if (scope.types) {
    const types = set(scope.types);
    tests.push(s => s.type !== null && types.has(lower(s.type)));
  }
  if (scope.lifecycles) {
    const lifecycles = set(scope.lifecycles);
    tests.push(s => s.lifecycle !== null && lifecycles.has(lower(s.lifecycle)));
  }
  if (scope.tiers) {
    const tiers = set(scope.tiers);
    tests.push(s => s.tier !== null && tiers.has(s.tier));
  }
  if (scope.owners) {
    const groups = owners ?? set(scope.owners);
    tests.push(s => s.owner !== null && groups.has(lower(s.owner)));
  }
  if (scope.systems) {
    const systems = set(scope.systems);
    tests.push(s => s.system !== null && systems.has(lower(s.system)));
  }
  if (scope.tags) {
    const tags = set(scope.tags);
    tests.push(s => (s.tags ?? []).some(tag => tags.has(lower(tag))));
  }
  return subject => tests.every(test => test(subject));
}

/** The definitions goals are judged against: checks, levels and phases. */
export interface GoalDefinitions {
  checks: ReadonlyArray<Pick<CheckDefinition, 'id' | 'title' | 'level'>>;
  levels: ReadonlyArray<LevelDefinition>;
  phases: ReadonlyArray<PhaseDefinition>;
}

const PASSING = new Set<CheckResultStatus>(['pass', 'not-applicable']);
const BLOCKING = new Set<CheckResultStatus>(['fail', 'error']);

/**
 * Judges goals: built once per definition in force, then used for every
 * entity and initiative.
 */
export class GoalEvaluator {
  readonly #checkTitles: Map<string, string>;
  readonly #checkRanks: Map<string, number>;
  readonly #levels: Map<string, LevelDefinition>;
  readonly #phases: Map<string, PhaseDefinition>;
  /** `phaseId \0 itemId` to the checks the item is bound to. */
  readonly #itemChecks = new Map<string, ReadonlyArray<string>>();
  readonly #itemTexts = new Map<string, string>();
  readonly #checks: GoalDefinitions['checks'];

  constructor(definitions: GoalDefinitions) {
    this.#checks = definitions.checks;
    this.#levels = new Map(definitions.levels.map(l => [l.id, l]));
    this.#checkTitles = new Map(definitions.checks.map(c => [c.id, c.title]));
    this.#checkRanks = new Map(
      definitions.checks.map(c => [c.id, this.#levels.get(c.level)?.rank ?? 0]),
    );
    this.#phases = new Map(definitions.phases.map(p => [p.id, p]));
    for (const phase of definitions.phases) {
      for (const checklist of phase.checklists) {
        for (const item of checklist.items) {
          const key = `${phase.id}\u0000${item.id}`;
          this.#itemTexts.set(key, item.text);
          if (item.kind !== 'manual' && item.checks?.length) {
            this.#itemChecks.set(key, item.checks);
          }
        }
      }
    }
  }

  /**
   * The checks waived for an entity: those bound to a checklist item that
   * is waived (`not-applicable`) and whose waiver has not expired.
   */
  waivedChecks(
    states: ReadonlyArray<ChecklistItemState>,
    now: Date,
  ): Map<string, ChecklistItemState> {
    const waived = new Map<string, ChecklistItemState>();
    for (const state of states) {
      if (state.status !== 'not-applicable') continue;
      if (isChecklistItemExpired(state, now)) continue;
      for (const checkId of this.#itemChecks.get(
        `${state.phaseId}\u0000${state.itemId}`,
      ) ?? []) {
        waived.set(checkId, state);
      }
    }
    return waived;
  }

  #checkShortfall(
    checkId: string,
    result: { status: CheckResultStatus; message: string } | undefined,
  ): InitiativeShortfall {
    return {
      type: 'check',
      id: checkId,
      title: this.#checkTitles.get(checkId) ?? checkId,
      message: result
        ? result.message
        : 'The check has no result for this entity yet',
    };
  }

  #waivedShortfall(
    checkId: string,
    result: { status: CheckResultStatus; message: string } | undefined,
    waiver: ChecklistItemState,
  ): InitiativeShortfall {
    const text = this.#itemTexts.get(`${waiver.phaseId}\u0000${waiver.itemId}`);
    return {
      ...this.#checkShortfall(checkId, result),
      message: `Waived with checklist item '${text ?? waiver.itemId}'${
        waiver.justification ? `: ${waiver.justification}` : ''
      }`,
      phaseId: waiver.phaseId,
    };
  }

  /** Judges one entity against one initiative's goal at `now`. */
  evaluate(
    initiative: InitiativeDefinition,
    subject: Pick<ProgressSubject, 'kind' | 'type' | 'lifecycle' | 'tier'>,
    facts: GoalFacts,
    now: Date,
  ): GoalOutcome {
    const { goal } = initiative;
    if (goal.type === 'level') {
      const target = this.#levels.get(goal.level);
      const rank = target?.rank ?? Infinity;
      if (facts.levelRank >= rank) {
        return { state: 'met', missing: [], waived: [] };
      }
      const waivers = this.waivedChecks(facts.checklistStates, now);
      const missing: InitiativeShortfall[] = [];
      const waived: InitiativeShortfall[] = [];
      for (const check of this.#checks) {
        if ((this.#checkRanks.get(check.id) ?? 0) > rank) continue;
        const result = facts.results.get(check.id);
        if (!result || !BLOCKING.has(result.status)) continue;
        const waiver = waivers.get(check.id);
        if (waiver) {
          waived.push(this.#waivedShortfall(check.id, result, waiver));
        } else {
          missing.push(this.#checkShortfall(check.id, result));
        }
      }
      if (missing.length === 0 && waived.length > 0) {
        return { state: 'exempt', missing, waived };
      }
      const title = target?.title ?? goal.level;
      missing.unshift({
        type: 'level',
        id: goal.level,
        title: `Reach ${title}`,
        message: facts.level
          ? `The entity is at level '${
              this.#levels.get(facts.level)?.title ?? facts.level
            }'`
          : 'The entity has not reached a level yet',
      });
      return { state: 'not-met', missing, waived };
    }

    if (goal.type === 'checks') {
      const waivers = this.waivedChecks(facts.checklistStates, now);
      const missing: InitiativeShortfall[] = [];
      const waived: InitiativeShortfall[] = [];
      for (const checkId of goal.checks) {
        const result = facts.results.get(checkId);
        if (result && PASSING.has(result.status)) continue;
        const waiver = waivers.get(checkId);
        if (waiver) {
          waived.push(this.#waivedShortfall(checkId, result, waiver));
        } else {
          missing.push(this.#checkShortfall(checkId, result));
        }
      }
      return outcome(missing, waived);
    }

    const phase = this.#phases.get(goal.phase);
    if (!phase || !isApplicable(phase.applicability, toSubject(subject))) {
      // Nothing of the phase is asked of this entity.
      return { state: 'met', missing: [], waived: [] };
    }
    const evaluated = evaluatePhase(phase, {
      entityRef: '',
      states: facts.checklistStates,
      results: facts.results,
      checkTitles: this.#checkTitles,
      now,
      expiringSoonMs: 0,
    });
    const missing: InitiativeShortfall[] = [];
    const waived: InitiativeShortfall[] = [];
    for (const checklist of evaluated.checklists) {
      if (goal.checklists && !goal.checklists.includes(checklist.id)) continue;
      for (const item of checklist.items) {
        if (goal.items && !goal.items.includes(item.definition.id)) continue;
        const shortfall: InitiativeShortfall = {
          type: 'checklist-item',
          id: `${checklist.id}/${item.definition.id}`,
          title: item.definition.text,
          phaseId: phase.id,
        };
        if (item.effectiveStatus === 'open') {
          missing.push({
            ...shortfall,
            message: itemMessage(item),
          });
        } else if (item.effectiveStatus === 'not-applicable') {
          waived.push({
            ...shortfall,
            ...(item.state.justification && {
              message: item.state.justification,
            }),
          });
        }
      }
    }
    return outcome(missing, waived);
  }
}

function itemMessage(
  item: ReturnType<typeof evaluatePhase>['checklists'][number]['items'][number],
): string {
  if (item.expired) {
    return `The ${
      item.state.status === 'done' ? 'attestation' : 'waiver'
    } expired on ${item.state.expiresAt}`;
  }
  if (item.checks.length > 0 && !item.checksPassing) {
    const failing = item.checks.filter(
      check => check.status !== 'pass' && check.status !== 'not-applicable',
    );
    if (failing.length === 0) {
      return `None of its checks applies to this entity (${item.checks
        .map(check => check.title)
        .join(', ')}): if the item does not apply, waive it`;
    }
    return `Its checks do not pass: ${failing
      .map(check => `${check.title} (${check.status})`)
      .join(', ')}`;
  }
  return 'Not attested yet';
}

function outcome(
  missing: InitiativeShortfall[],
  waived: InitiativeShortfall[],
): GoalOutcome {
  if (missing.length > 0) return { state: 'not-met', missing, waived };
  return { state: waived.length > 0 ? 'exempt' : 'met', missing, waived };
}

function toSubject(
  subject: Pick<ProgressSubject, 'kind' | 'type' | 'lifecycle' | 'tier'>,
): ApplicabilitySubject {
  return {
    kind: subject.kind,
    ...(subject.type && { type: subject.type }),
    ...(subject.lifecycle && { lifecycle: subject.lifecycle }),
    ...(subject.tier && { tier: subject.tier as ApplicabilitySubject['tier'] }),
  };
}

/** Counts of entity states, as an initiative's progress. */
export function countProgress(
  states: Iterable<InitiativeEntityState>,
): InitiativeProgress {
  let met = 0;
  let exempt = 0;
  let total = 0;
  for (const state of states) {
    total += 1;
    if (state === 'met') met += 1;
    else if (state === 'exempt') exempt += 1;
  }
  return progressOf({ met, exempt, total });
}

/** The progress of counts: not met, and the percentage to one decimal. */
export function progressOf(counts: {
  met: number;
  exempt: number;
  total: number;
}): InitiativeProgress {
  const { met, exempt, total } = counts;
  return {
    total,
    met,
    exempt,
    notMet: total - met - exempt,
    percent:
      total === 0 ? 100 : Math.round(((met + exempt) * 1000) / total) / 10,
  };
}
