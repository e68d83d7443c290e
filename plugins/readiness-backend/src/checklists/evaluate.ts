import {
  ApplicabilitySubject,
  ChecklistItemCheck,
  ChecklistItemDefinition,
  ChecklistItemRef,
  ChecklistItemState,
  ChecklistItemStatus,
  ChecklistProgress,
  CheckResultStatus,
  EntityChecklistItem,
  EntityChecklists,
  EntityPhase,
  OverviewPhaseProgress,
  PhaseDefinition,
  isApplicable,
  isChecklistItemExpired,
} from '@prodready/plugin-readiness-common';

/** A current check result, as the bound items see it. */
export interface ItemCheckResult {
  status: CheckResultStatus;
  message: string;
}

/** What the status of an entity's items is computed from. */
export interface ChecklistInputs {
  entityRef: string;
  /** The stored item states of the entity (items never changed are absent). */
  states: ReadonlyArray<ChecklistItemState>;
  /** The entity's current check results, by check id. */
  results: ReadonlyMap<string, ItemCheckResult>;
  /** Check titles, by id. */
  checkTitles: ReadonlyMap<string, string>;
  now: Date;
  /** How far ahead an expiry counts as soon. */
  expiringSoonMs: number;
}

/** The phases that apply to an entity, in order. */
export function applicablePhases(
  phases: ReadonlyArray<PhaseDefinition>,
  subject: ApplicabilitySubject,
): PhaseDefinition[] {
  return phases.filter(phase => isApplicable(phase.applicability, subject));
}

/** The state of an item never changed: open, version 0. */
export function emptyState(
  entityRef: string,
  phaseId: string,
  checklistId: string,
  itemId: string,
): ChecklistItemState {
  return {
    entityRef: entityRef.toLocaleLowerCase('en-US'),
    phaseId,
    checklistId,
    itemId,
    status: 'open',
    version: 0,
  };
}

/**
 * Whether the bound checks pass: each passes or does not apply, and at least
 * one passes. A check without a result (not evaluated yet) does not pass.
 */
function checksPass(checks: ChecklistItemCheck[]): boolean {
  return (
    checks.some(check => check.status === 'pass') &&
    checks.every(
      check => check.status === 'pass' || check.status === 'not-applicable',
    )
  );
}

/**
 * One item of an entity: its stored state, and the status that counts.
 *
 * - An attestation (`done`) or waiver (`not-applicable`) past its
 *   `expiresAt` is expired: the item is open again, without any job.
 * - A waiver in force makes any item not applicable.
 * - `manual`: done when attested; `automatic`: done exactly when its checks
 *   pass; `both`: done when its checks pass and it is attested.
 */
export function evaluateItem(
  definition: ChecklistItemDefinition,
  state: ChecklistItemState,
  inputs: Pick<
    ChecklistInputs,
    'results' | 'checkTitles' | 'now' | 'expiringSoonMs'
  >,
): EntityChecklistItem {
  const { results, checkTitles, now, expiringSoonMs } = inputs;
  const expired = isChecklistItemExpired(state, now);
  const stored: ChecklistItemStatus = expired ? 'open' : state.status;
  const checks: ChecklistItemCheck[] =
    definition.kind === 'manual'
      ? []
      : (definition.checks ?? []).map(checkId => {
          const result = results.get(checkId);
          return {
            checkId,
            title: checkTitles.get(checkId) ?? checkId,
            status: result?.status ?? 'missing',
            message: result?.message ?? 'The check has not been evaluated yet',
          };
        });
  const checksPassing =
    definition.kind === 'manual' ? null : checksPass(checks);

  let effectiveStatus: ChecklistItemStatus;
  if (stored === 'not-applicable') {
    effectiveStatus = 'not-applicable';
  } else if (definition.kind === 'automatic') {
    effectiveStatus = checksPassing ? 'done' : 'open';
  } else if (definition.kind === 'both') {
    effectiveStatus = checksPassing && stored === 'done' ? 'done' : 'open';
  } else {
    effectiveStatus = stored;
  }

  const expiresAt = state.expiresAt ? new Date(state.expiresAt).getTime() : NaN;
  const expiresSoon =
    !expired &&
    stored !== 'open' &&
    Number.isFinite(expiresAt) &&
    expiresAt - now.getTime() <= expiringSoonMs;

  return {
    definition,
    state,
    effectiveStatus,
    expired,
    expiresSoon,
    checks,
    checksPassing,
  };
}

function itemRef(
  phaseId: string,
  checklistId: string,
  item: EntityChecklistItem,
): ChecklistItemRef {
  return {
    phaseId,
    checklistId,
    itemId: item.definition.id,
    text: item.definition.text,
    ...(item.state.expiresAt !== undefined && {
      expiresAt: item.state.expiresAt,
    }),
  };
}

/** Counts items: done or waived, open (blocking), expiring soon. */
export function summariseProgress(
  items: ReadonlyArray<{
    phaseId: string;
    checklistId: string;
    item: EntityChecklistItem;
  }>,
): ChecklistProgress {
  const progress: ChecklistProgress = {
    done: 0,
    total: items.length,
    notApplicable: 0,
    blocking: [],
    expiringSoon: [],
  };
  for (const { phaseId, checklistId, item } of items) {
    if (item.effectiveStatus === 'open') {
      progress.blocking.push(itemRef(phaseId, checklistId, item));
      continue;
    }
    progress.done += 1;
    if (item.effectiveStatus === 'not-applicable') {
      progress.notApplicable += 1;
    }
    if (item.expiresSoon) {
      progress.expiringSoon.push(itemRef(phaseId, checklistId, item));
    }
  }
  return progress;
}

/** The key of a stored state: phase and item (item ids are unique in a phase). */
function stateKey(phaseId: string, itemId: string): string {
  return `${phaseId}\u0000${itemId}`;
}

/** One phase of an entity, with each item's status and the progress. */
export function evaluatePhase(
  phase: PhaseDefinition,
  inputs: ChecklistInputs,
): EntityPhase {
  const states = new Map(
    inputs.states.map(state => [stateKey(state.phaseId, state.itemId), state]),
  );
  const all: Array<{
    phaseId: string;
    checklistId: string;
    item: EntityChecklistItem;
  }> = [];
  const checklists = phase.checklists.map(checklist => {
    const items = checklist.items.map(definition =>
      evaluateItem(
        definition,
        states.get(stateKey(phase.id, definition.id)) ??
          emptyState(inputs.entityRef, phase.id, checklist.id, definition.id),
        inputs,
      ),
    );
    const refs = items.map(item => ({
      phaseId: phase.id,
      checklistId: checklist.id,
      item,
    }));
    all.push(...refs);
    return {
      id: checklist.id,
      title: checklist.title,
      ...(checklist.description !== undefined && {
        description: checklist.description,
      }),
      ordered: checklist.ordered === true,
      progress: summariseProgress(refs),
      items,
    };
  });
  return {
    id: phase.id,
    title: phase.title,
    ...(phase.description !== undefined && { description: phase.description }),
    ...(phase.order !== undefined && { order: phase.order }),
    progress: summariseProgress(all),
    checklists,
  };
}

/** The checklists of an entity: the phases that apply to it. */
export function evaluateEntityChecklists(
  phases: ReadonlyArray<PhaseDefinition>,
  subject: ApplicabilitySubject,
  inputs: ChecklistInputs,
): EntityChecklists {
  return {
    entityRef: inputs.entityRef.toLocaleLowerCase('en-US'),
    phases: applicablePhases(phases, subject).map(phase =>
      evaluatePhase(phase, inputs),
    ),
  };
}

/** The done/total of each phase that applies, for the overview. */
export function overviewPhaseProgress(
  phases: ReadonlyArray<PhaseDefinition>,
  subject: ApplicabilitySubject,
  inputs: ChecklistInputs,
): OverviewPhaseProgress[] {
  return applicablePhases(phases, subject).map(phase => {
    const { progress } = evaluatePhase(phase, inputs);
    return { phaseId: phase.id, done: progress.done, total: progress.total };
  });
}

/** Finds an item of a phase, with its checklist. */
export function findItem(
  phase: PhaseDefinition,
  itemId: string,
): { checklistId: string; definition: ChecklistItemDefinition } | undefined {
  for (const checklist of phase.checklists) {
    const definition = checklist.items.find(item => item.id === itemId);
    if (definition) {
      return { checklistId: checklist.id, definition };
    }
  }
  return undefined;
}
