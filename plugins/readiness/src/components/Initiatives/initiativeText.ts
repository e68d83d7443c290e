import {
  DEFAULT_LEVELS,
  InitiativeEntityState,
  InitiativeGoal,
  InitiativePhase,
  InitiativeScope,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';
import { shortRef } from '../common/format';

/** The words of each state of an entity in an initiative. */
export const INITIATIVE_STATE_LABELS: Record<InitiativeEntityState, string> = {
  met: 'Met',
  'not-met': 'Not met',
  exempt: 'Exempt',
};

/** The words of each phase of an initiative. */
export const INITIATIVE_PHASE_LABELS: Record<InitiativePhase, string> = {
  scheduled: 'Scheduled',
  active: 'Active',
  ended: 'Ended',
};

function list(values: ReadonlyArray<string>): string {
  if (values.length <= 1) {
    return values.join('');
  }
  return `${values.slice(0, -1).join(', ')} and ${values[values.length - 1]}`;
}

/** The goal of an initiative in words, such as "Reach Silver or better". */
export function goalText(
  goal: InitiativeGoal,
  levels: ReadonlyArray<LevelDefinition> = DEFAULT_LEVELS,
): string {
  switch (goal.type) {
    case 'level': {
      const title = levels.find(l => l.id === goal.level)?.title ?? goal.level;
      return `Reach ${title} or better`;
    }
    case 'checks':
      return goal.checks.length === 1
        ? `Pass the check ${goal.checks[0]} (or have it not apply)`
        : `Pass the checks ${list(goal.checks)} (or have them not apply)`;
    case 'checklists':
      if (goal.items && goal.items.length > 0) {
        return `Complete the ${
          goal.items.length === 1 ? 'item' : 'items'
        } ${list(goal.items)} of phase ${goal.phase}`;
      }
      return goal.checklists && goal.checklists.length > 0
        ? `Complete the checklists ${list(goal.checklists)} of phase ${
            goal.phase
          }`
        : `Complete every checklist of phase ${goal.phase}`;
    default:
      return 'Unknown goal';
  }
}

/** Which services an initiative covers, in words. */
export function scopeText(scope: InitiativeScope): string {
  const parts: string[] = [];
  const add = (label: string, values?: string[], short = false) => {
    if (values && values.length > 0) {
      parts.push(`${label} ${list(short ? values.map(shortRef) : values)}`);
    }
  };
  add('kind', scope.kinds);
  add('type', scope.types);
  add('lifecycle', scope.lifecycles);
  add('tier', scope.tiers);
  add('owned by', scope.owners, true);
  add('in system', scope.systems, true);
  add('tagged', scope.tags);
  return parts.length > 0 ? `Entities of ${parts.join('; ')}` : 'Every entity';
}

/** `2027-03-31` → "Mar 31, 2027" (the day itself, whatever the time zone). */
export function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) {
    return day;
  }
  return date.toLocaleDateString('en-US', {
    timeZone: 'UTC',
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
}

/** How long is left: "12 days left", "Due today", "3 days overdue". */
export function daysLeftText(daysLeft: number): string {
  if (daysLeft < 0) {
    const late = -daysLeft;
    return `${late} day${late === 1 ? '' : 's'} overdue`;
  }
  if (daysLeft === 0) {
    return 'Due today';
  }
  return `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
}
