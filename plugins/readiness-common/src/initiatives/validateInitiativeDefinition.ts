import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import { isReadinessTier, READINESS_TIERS } from '../parsers';
import {
  INITIATIVE_GOAL_TYPES,
  INITIATIVE_SCOPE_KEYS,
  InitiativeDefinition,
  InitiativeGoal,
  InitiativeScope,
} from './types';
import { isNonEmptyString, isObject, show } from '../validationText';

/**
 * What {@link validateInitiativeDefinition} checks references against. Each
 * list is optional: without it, references of that sort are not checked.
 *
 * @public
 */
export interface ValidateInitiativeOptions {
  /** The ids of the checks in force. */
  knownCheckIds?: Iterable<string>;
  /** The ids of the levels in force. */
  knownLevelIds?: Iterable<string>;
  /** The phases in force: phase id to the ids of its checklists. */
  knownPhases?: ReadonlyMap<string, ReadonlyArray<string>>;
  /** The items of the phases in force: phase id to the ids of its items. */
  knownPhaseItems?: ReadonlyMap<string, ReadonlyArray<string>>;
}

/**
 * The outcome of {@link validateInitiativeDefinition}: the normalized
 * definition, or every error found.
 *
 * @public
 */
export type InitiativeValidationResult =
  | { ok: true; value: InitiativeDefinition }
  | { ok: false; errors: string[] };

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const KEYS = [
  'id',
  'title',
  'description',
  'owner',
  'startDate',
  'deadline',
  'scope',
  'goal',
  'enforcedFrom',
  'reminders',
  'requireWaiverApproval',
];
const MAX_ID_LENGTH = 100;
const MAX_TITLE_LENGTH = 200;
const MAX_DESCRIPTION_LENGTH = 4000;
const MAX_LIST_LENGTH = 200;

/** Milliseconds at the start of a `YYYY-MM-DD` day (UTC), if it exists. */
export function parseDay(value: unknown): number | undefined {
  const match = typeof value === 'string' ? ISO_DATE.exec(value) : null;
  if (!match) return undefined;
  const [year, month, day] = [match[1], match[2], match[3]].map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (
    date.getUTCFullYear() !== year ||
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day
  ) {
    return undefined;
  }
  return date.getTime();
}

function canonicalRef(value: string, defaultKind: string): string | undefined {
  try {
    return stringifyEntityRef(
      parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: 'default',
      }),
    );
  } catch {
    return undefined;
  }
}

/**
 * Validates an initiative definition, from app-config, a YAML file or the
 * API, and returns it normalized (entity refs in full, lists without
 * duplicates), or every error, each naming the initiative and the field.
 *
 * @remarks
 *
 * Checks the shape and types of every field; that the id is a lowercase
 * slug; that the dates exist and the deadline is not before the start; that
 * the scope names at least one condition; that the goal's level, checks and
 * phase exist (given the known ones); that `enforcedFrom` is only on a
 * `checks` goal and within the initiative; that reminders are whole days;
 * and that there are no unknown properties.
 *
 * @public
 */
export function validateInitiativeDefinition(
  input: unknown,
  options: ValidateInitiativeOptions = {},
): InitiativeValidationResult {
  if (!isObject(input)) {
    return {
      ok: false,
      errors: [`initiative ${show(input)} is not an object`],
    };
  }
  const errors: string[] = [];
  const where =
    typeof input.id === 'string' && input.id
      ? `initiative '${input.id}'`
      : 'initiative';
  const add = (field: string, message: string) =>
    errors.push(`${where}: ${field} ${message}`);

  for (const key of Object.keys(input)) {
    if (!KEYS.includes(key)) {
      errors.push(
        `${where}: unknown property '${key}'; expected one of ${KEYS.join(
          ', ',
        )}`,
      );
    }
  }

  const id = input.id;
  if (id === undefined) {
    add('id', "is missing; expected a lowercase slug such as 'tier-1-silver'");
  } else if (
    typeof id !== 'string' ||
    !SLUG.test(id) ||
    id.length > MAX_ID_LENGTH
  ) {
    add('id', `${show(id)} is not a lowercase slug such as 'tier-1-silver'`);
  }

  for (const [key, max] of [
    ['title', MAX_TITLE_LENGTH],
    ['description', MAX_DESCRIPTION_LENGTH],
  ] as const) {
    const value = input[key];
    if (value === undefined) {
      if (key === 'title') add(key, 'is missing; expected a non-empty string');
    } else if (!isNonEmptyString(value)) {
      add(key, `${show(value)} is not a non-empty string`);
    } else if (value.length > max) {
      add(key, `is longer than ${max} characters`);
    }
  }

  let owner: string | undefined;
  if (input.owner === undefined) {
    add(
      'owner',
      "is missing; expected a group ref such as 'group:default/platform-team'",
    );
  } else if (!isNonEmptyString(input.owner)) {
    add('owner', `${show(input.owner)} is not an entity ref`);
  } else {
    owner = canonicalRef(input.owner, 'Group');
    if (!owner) {
      add(
        'owner',
        `${show(
          input.owner,
        )} is not an entity ref such as 'group:default/platform-team'`,
      );
    }
  }

  const day = (key: string, required: boolean): number | undefined => {
    const value = input[key];
    if (value === undefined) {
      if (required) add(key, 'is missing; expected a date YYYY-MM-DD');
      return undefined;
    }
    const ms = parseDay(value);
    if (ms === undefined) {
      add(key, `${show(value)} is not a date in the form YYYY-MM-DD`);
    }
    return ms;
  };
  const start = day('startDate', true);
  const deadline = day('deadline', true);
  if (start !== undefined && deadline !== undefined && deadline < start) {
    add(
      'deadline',
      `'${input.deadline}' is before startDate '${input.startDate}'`,
    );
  }

  const scope = validateScope(input.scope, add);
  const goal = validateGoal(input.goal, add, options);

  const enforced = day('enforcedFrom', false);
  if (input.enforcedFrom !== undefined) {
    if (goal && goal.type !== 'checks') {
      add(
        'enforcedFrom',
        `is only for a goal of type 'checks' (the goal is of type '${goal.type}')`,
      );
    }
    if (
      enforced !== undefined &&
      start !== undefined &&
      deadline !== undefined &&
      (enforced < start || enforced > deadline)
    ) {
      add(
        'enforcedFrom',
        `'${input.enforcedFrom}' is not between startDate '${input.startDate}' and deadline '${input.deadline}'`,
      );
    }
  }

  let reminders: number[] | undefined;
  if (input.reminders !== undefined) {
    if (
      !Array.isArray(input.reminders) ||
      input.reminders.length > 20 ||
      !input.reminders.every(
        (d: unknown) =>
          typeof d === 'number' && Number.isInteger(d) && d >= 0 && d <= 366,
      )
    ) {
      add(
        'reminders',
        `${show(
          input.reminders,
        )} is not a list of whole numbers of days (0 to 366) before the deadline`,
      );
    } else {
      reminders = [...new Set(input.reminders as number[])].sort(
        (a, b) => b - a,
      );
    }
  }
  if (
    input.requireWaiverApproval !== undefined &&
    typeof input.requireWaiverApproval !== 'boolean'
  ) {
    add(
      'requireWaiverApproval',
      `${show(input.requireWaiverApproval)} is not true or false`,
    );
  }

  if (errors.length > 0 || !owner || !scope || !goal) {
    return { ok: false, errors };
  }
  const value: InitiativeDefinition = {
    id: input.id as string,
    title: (input.title as string).trim(),
    ...(input.description !== undefined && {
      description: input.description as string,
    }),
    owner,
    startDate: input.startDate as string,
    deadline: input.deadline as string,
    scope,
    goal,
    ...(input.enforcedFrom !== undefined && {
      enforcedFrom: input.enforcedFrom as string,
    }),
    ...(reminders && { reminders }),
    ...(input.requireWaiverApproval !== undefined && {
      requireWaiverApproval: input.requireWaiverApproval as boolean,
    }),
  };
  return { ok: true, value };
}

function stringList(
  field: string,
  value: unknown,
  add: (field: string, message: string) => void,
): string[] | undefined {
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > MAX_LIST_LENGTH ||
    !value.every(isNonEmptyString)
  ) {
    add(field, `${show(value)} is not a non-empty list of non-empty strings`);
    return undefined;
  }
  return [...new Set(value.map(v => (v as string).trim()))];
}

function validateScope(
  value: unknown,
  add: (field: string, message: string) => void,
): InitiativeScope | undefined {
  if (value === undefined) {
    add(
      'scope',
      `is missing; expected an object with at least one of ${INITIATIVE_SCOPE_KEYS.join(
        ', ',
      )}`,
    );
    return undefined;
  }
  if (!isObject(value)) {
    add('scope', `${show(value)} is not an object`);
    return undefined;
  }
  let ok = true;
  const scope: InitiativeScope = {};
  for (const key of Object.keys(value)) {
    if (!(INITIATIVE_SCOPE_KEYS as string[]).includes(key)) {
      add(
        `scope.${key}`,
        `is not a scope condition; expected one of ${INITIATIVE_SCOPE_KEYS.join(
          ', ',
        )}`,
      );
      ok = false;
    }
  }
  for (const key of INITIATIVE_SCOPE_KEYS) {
    if (value[key] === undefined) continue;
    const list = stringList(`scope.${key}`, value[key], add);
    if (!list) {
      ok = false;
      continue;
    }
    if (key === 'tiers') {
      const bad = list.filter(tier => !isReadinessTier(tier));
      if (bad.length > 0) {
        add(
          'scope.tiers',
          `${show(
            bad[0],
          )} is not a tier; expected one of ${READINESS_TIERS.join(', ')}`,
        );
        ok = false;
        continue;
      }
    }
    if (key === 'owners' || key === 'systems') {
      const defaultKind = key === 'owners' ? 'Group' : 'System';
      const refs: string[] = [];
      for (const ref of list) {
        const canonical = canonicalRef(ref, defaultKind);
        if (!canonical) {
          add(`scope.${key}`, `${show(ref)} is not an entity ref`);
          ok = false;
        } else {
          refs.push(canonical);
        }
      }
      scope[key] = [...new Set(refs)];
      continue;
    }
    scope[key] = list;
  }
  if (ok && Object.keys(scope).length === 0) {
    add(
      'scope',
      `is empty; name at least one of ${INITIATIVE_SCOPE_KEYS.join(
        ', ',
      )} (an initiative over every entity is still scoped, for example kinds: [Component])`,
    );
    return undefined;
  }
  return ok ? scope : undefined;
}

function validateGoal(
  value: unknown,
  add: (field: string, message: string) => void,
  options: ValidateInitiativeOptions,
): InitiativeGoal | undefined {
  const types = INITIATIVE_GOAL_TYPES.join(', ');
  if (value === undefined) {
    add('goal', `is missing; expected an object with type one of ${types}`);
    return undefined;
  }
  if (!isObject(value)) {
    add('goal', `${show(value)} is not an object`);
    return undefined;
  }
  const allowed: Record<string, string[]> = {
    level: ['type', 'level'],
    checks: ['type', 'checks'],
    checklists: ['type', 'phase', 'checklists', 'items'],
  };
  const type = value.type;
  if (typeof type !== 'string' || !(type in allowed)) {
    add('goal.type', `${show(type)} is not one of ${types}`);
    return undefined;
  }
  let ok = true;
  for (const key of Object.keys(value)) {
    if (!allowed[type].includes(key)) {
      add(
        `goal.${key}`,
        `is not part of a goal of type '${type}'; expected ${allowed[type].join(
          ', ',
        )}`,
      );
      ok = false;
    }
  }
  if (type === 'level') {
    const level = value.level;
    const known = options.knownLevelIds
      ? [...options.knownLevelIds]
      : undefined;
    if (!isNonEmptyString(level)) {
      add('goal.level', `${show(level)} is not a level id`);
      return undefined;
    }
    if (known && !known.includes(level)) {
      add(
        'goal.level',
        `'${level}' is not a level; expected one of ${known.join(', ')}`,
      );
      return undefined;
    }
    return ok ? { type, level } : undefined;
  }
  if (type === 'checks') {
    const checks = stringList('goal.checks', value.checks, add);
    if (!checks) return undefined;
    const known = options.knownCheckIds
      ? new Set(options.knownCheckIds)
      : undefined;
    const unknown = known ? checks.filter(id => !known.has(id)) : [];
    for (const id of unknown) {
      add('goal.checks', `'${id}' is not a check in force`);
    }
    return ok && unknown.length === 0 ? { type, checks } : undefined;
  }
  const phase = value.phase;
  if (!isNonEmptyString(phase)) {
    add('goal.phase', `${show(phase)} is not a phase id`);
    return undefined;
  }
  const phaseChecklists = options.knownPhases?.get(phase);
  if (options.knownPhases && !phaseChecklists) {
    add(
      'goal.phase',
      `'${phase}' is not a phase in force; expected one of ${[
        ...options.knownPhases.keys(),
      ].join(', ')}`,
    );
    return undefined;
  }
  let checklists: string[] | undefined;
  if (value.checklists !== undefined) {
    checklists = stringList('goal.checklists', value.checklists, add);
    if (!checklists) return undefined;
    const unknown = phaseChecklists
      ? checklists.filter(id => !phaseChecklists.includes(id))
      : [];
    for (const id of unknown) {
      add(
        'goal.checklists',
        `'${id}' is not a checklist of phase '${phase}'; expected one of ${phaseChecklists!.join(
          ', ',
        )}`,
      );
    }
    if (unknown.length > 0) return undefined;
  }
  let items: string[] | undefined;
  if (value.items !== undefined) {
    items = stringList('goal.items', value.items, add);
    if (!items) return undefined;
    const phaseItems = options.knownPhaseItems?.get(phase);
    const unknown = phaseItems
      ? items.filter(id => !phaseItems.includes(id))
      : [];
    for (const id of unknown) {
      add('goal.items', `'${id}' is not an item of phase '${phase}'`);
    }
    if (unknown.length > 0) return undefined;
  }
  return ok
    ? {
        type: 'checklists',
        phase,
        ...(checklists && { checklists }),
        ...(items && { items }),
      }
    : undefined;
}
