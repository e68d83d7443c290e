import {
  ChecklistItemSnapshot,
  ChecklistItemState,
  CheckResultStatus,
  InitiativeBurnUpPoint,
  InitiativeDefinition,
  InitiativeEntityState,
  daysBetween,
} from '@prodready/plugin-readiness-common';
import type {
  GoalEvaluator,
  GoalFacts,
  ProgressSubject,
} from './computeProgress';

const DAY_MS = 86_400_000;

/** One day's counts of an initiative, as stored. */
export interface BurnUpCounts {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  met: number;
  exempt: number;
  total: number;
}

/** A score snapshot of an entity: its level from that day on. */
export interface LevelSnapshot {
  day: string;
  level: string | null;
  levelRank: number;
}

/** A check status transition, as the change-only history stores it. */
export interface CheckTransition {
  entityRef: string;
  checkId: string;
  /** `null` only in histories written before 2026-11-27. */
  fromStatus: CheckResultStatus | null;
  toStatus: CheckResultStatus;
  changedAt: Date;
}

/** A change of a checklist item, as its audit trail stores it. */
export interface ChecklistChange {
  entityRef: string;
  phaseId: string;
  checklistId: string;
  itemId: string;
  at: Date;
  /** The state before the change; `null` for the item's first change. */
  before: ChecklistItemSnapshot | null;
}

/** What the burn-up of an initiative is rebuilt from. */
export interface BurnUpHistory {
  /** The entities in scope now. */
  subjects: ReadonlyArray<ProgressSubject>;
  /** Their current facts, by lower-case entity ref. */
  current: ReadonlyMap<string, GoalFacts>;
  /**
   * Their score snapshots, oldest first, from the last one before the first
   * day on; an entity counts from its first snapshot's day.
   */
  snapshots: ReadonlyMap<string, ReadonlyArray<LevelSnapshot>>;
  /** The check transitions after the start of the first day, any order. */
  transitions: ReadonlyArray<CheckTransition>;
  /** The checklist changes after the start of the first day, any order. */
  checklistChanges: ReadonlyArray<ChecklistChange>;
}

/** The days of a burn-up: from the start to today or the deadline. */
export function burnUpDays(
  initiative: Pick<InitiativeDefinition, 'startDate' | 'deadline'>,
  now: Date,
): string[] {
  const today = now.toISOString().slice(0, 10);
  const last = today < initiative.deadline ? today : initiative.deadline;
  return last < initiative.startDate
    ? []
    : daysBetween(initiative.startDate, last);
}

interface EntityReplay {
  subject: ProgressSubject;
  levelRank: number;
  level: string | null;
  results: Map<string, { status: CheckResultStatus; message: string }>;
  states: Map<string, ChecklistItemState>;
  snapshots: ReadonlyArray<LevelSnapshot>;
  /** Index of the snapshot in force on the day replayed; -1 before the first. */
  snapshot: number;
  /** Whether its checklist states can expire (judged again every day). */
  expires: boolean;
  state?: InitiativeEntityState;
}

const stateKey = (phaseId: string, itemId: string) =>
  `${phaseId}\u0000${itemId}`;

/**
 * The counts of each day of an initiative's burn-up, rebuilt from the
 * history, so that a new initiative shows a curve at once: the level of a
 * day from the daily snapshots (carried forward), a check's status at the
 * end of a day from the change-only history (the `fromStatus` of the first
 * transition after it, else the current status), and a checklist item's
 * state likewise from its audit trail. The goal is judged on each day's
 * rebuilt facts with {@link GoalEvaluator}, as today's progress is. The
 * days are replayed backwards from today, judging again only the entities
 * whose facts changed (or whose attestations may expire).
 */
export function computeBurnUp(
  initiative: InitiativeDefinition,
  evaluator: GoalEvaluator,
  history: BurnUpHistory,
  now: Date,
): BurnUpCounts[] {
  const days = burnUpDays(initiative, now);
  if (days.length === 0) return [];
  const entities = new Map<string, EntityReplay>();
  for (const subject of history.subjects) {
    const facts = history.current.get(subject.entityRef);
    const snapshots = history.snapshots.get(subject.entityRef) ?? [];
    const states = new Map(
      (facts?.checklistStates ?? []).map(state => [
        stateKey(state.phaseId, state.itemId),
        state,
      ]),
    );
    entities.set(subject.entityRef, {
      subject,
      levelRank: facts?.levelRank ?? subject.levelRank,
      level: facts?.level ?? subject.level,
      results: new Map(facts?.results ?? []),
      states,
      snapshots,
      snapshot: snapshots.length - 1,
      expires: false,
    });
  }
  const transitions = history.transitions
    .filter(t => entities.has(t.entityRef))
    .sort((a, b) => b.changedAt.getTime() - a.changedAt.getTime());
  const changes = history.checklistChanges
    .filter(c => entities.has(c.entityRef))
    .sort((a, b) => b.at.getTime() - a.at.getTime());

  const dirty = new Set<EntityReplay>(entities.values());
  const counts: BurnUpCounts[] = [];
  let t = 0;
  let c = 0;
  for (let d = days.length - 1; d >= 0; d--) {
    const day = days[d];
    const end = Date.parse(`${day}T00:00:00Z`) + DAY_MS;
    // Undo what happened after this day.
    for (
      ;
      t < transitions.length && transitions[t].changedAt.getTime() >= end;
      t++
    ) {
      const transition = transitions[t];
      const entity = entities.get(transition.entityRef)!;
      if (transition.fromStatus) {
        const before = entity.results.get(transition.checkId);
        entity.results.set(transition.checkId, {
          status: transition.fromStatus,
          message: before?.message ?? '',
        });
      } else {
        entity.results.delete(transition.checkId);
      }
      dirty.add(entity);
    }
    for (; c < changes.length && changes[c].at.getTime() >= end; c++) {
      const change = changes[c];
      const entity = entities.get(change.entityRef)!;
      const key = stateKey(change.phaseId, change.itemId);
      if (change.before) {
        entity.states.set(key, {
          entityRef: change.entityRef,
          phaseId: change.phaseId,
          checklistId: change.checklistId,
          itemId: change.itemId,
          ...change.before,
        });
      } else {
        entity.states.delete(key);
      }
      dirty.add(entity);
    }
    let met = 0;
    let exempt = 0;
    let total = 0;
    for (const entity of entities.values()) {
      let moved = false;
      while (
        entity.snapshot >= 0 &&
        entity.snapshots[entity.snapshot].day > day
      ) {
        entity.snapshot -= 1;
        moved = true;
      }
      if (moved && entity.snapshot >= 0) {
        entity.level = entity.snapshots[entity.snapshot].level;
        entity.levelRank = entity.snapshots[entity.snapshot].levelRank;
      }
      // Not evaluated yet on that day.
      if (entity.snapshots.length > 0 && entity.snapshot < 0) continue;
      if (moved || entity.expires || dirty.has(entity) || !entity.state) {
        const states = [...entity.states.values()];
        entity.expires = states.some(s => s.status !== 'open' && !!s.expiresAt);
        entity.state = evaluator.evaluate(
          initiative,
          entity.subject,
          {
            level: entity.level,
            levelRank: entity.levelRank,
            results: entity.results,
            checklistStates: states,
          },
          new Date(end - 1),
        ).state;
      }
      total += 1;
      if (entity.state === 'met') met += 1;
      else if (entity.state === 'exempt') exempt += 1;
    }
    dirty.clear();
    counts.push({ day, met, exempt, total });
  }
  return counts.reverse();
}

/**
 * One point per day of the burn-up (see {@link burnUpDays}) from stored
 * counts, which are written only on the days the progress was computed: a
 * day without a computation (no evaluation cycle, or none yet today) holds
 * the counts of the last day before it. Days before the first stored one
 * are left out, and stored days outside the span are dropped.
 */
export function everyBurnUpDay(
  days: ReadonlyArray<string>,
  counts: ReadonlyArray<BurnUpCounts>,
): BurnUpCounts[] {
  const points: BurnUpCounts[] = [];
  let next = 0;
  let last: BurnUpCounts | undefined;
  for (const day of days) {
    while (next < counts.length && counts[next].day <= day) {
      last = counts[next++];
    }
    if (last) points.push({ ...last, day });
  }
  return points;
}

/**
 * The burn-up points of stored counts, with the ideal line: straight from
 * the met count of the first day (met and exempt) to every entity in scope
 * (the latest total) on the deadline.
 */
export function withIdealLine(
  initiative: Pick<InitiativeDefinition, 'startDate' | 'deadline'>,
  counts: ReadonlyArray<BurnUpCounts>,
): InitiativeBurnUpPoint[] {
  if (counts.length === 0) return [];
  const start = Date.parse(`${initiative.startDate}T00:00:00Z`);
  const span = Math.max(
    1,
    (Date.parse(`${initiative.deadline}T00:00:00Z`) - start) / DAY_MS,
  );
  const from = counts[0].met + counts[0].exempt;
  const to = counts[counts.length - 1].total;
  return counts.map(point => {
    const elapsed = (Date.parse(`${point.day}T00:00:00Z`) - start) / DAY_MS;
    const ideal = from + ((to - from) * Math.min(elapsed, span)) / span;
    return { ...point, ideal: Math.round(ideal * 10) / 10 };
  });
}
