import { READINESS_AREA_IDS, isReadinessAreaId } from '../areas';
import {
  ParseResult,
  isReadinessTier,
  parseDuration,
  READINESS_TIERS,
} from '../parsers';
import { CHECKLIST_ITEM_KINDS, PhaseDefinition } from './types';
import { Obj, isNonEmptyString, isObject, show } from '../validationText';

/**
 * Options for {@link validatePhaseDefinition}.
 *
 * @public
 */
export interface ValidatePhaseDefinitionOptions {
  /**
   * The ids of the checks that exist. When given, items bound to other check
   * ids are reported.
   */
  knownCheckIds?: Iterable<string>;
}

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
const SLUG_FORM = "a lowercase slug such as 'phase-4'";
const CHECK_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_ID_LENGTH = 100;

const PHASE_KEYS = [
  'id',
  'title',
  'description',
  'order',
  'applicability',
  'checklists',
];
const APPLICABILITY_KEYS = ['kinds', 'types', 'lifecycles', 'tiers'];
const CHECKLIST_KEYS = ['id', 'title', 'description', 'ordered', 'items'];
const ITEM_KEYS = [
  'id',
  'text',
  'kind',
  'checks',
  'expiresAfter',
  'ordered',
  'area',
  'description',
];

class Collector {
  readonly errors: string[] = [];

  add(where: string, message: string) {
    this.errors.push(`${where}: ${message}`);
  }

  unknownKeys(where: string, obj: Obj, allowed: string[], prefix = '') {
    for (const key of Object.keys(obj)) {
      if (!allowed.includes(key)) {
        this.add(
          where,
          `${prefix}unknown property '${key}'; expected one of ${allowed.join(
            ', ',
          )}`,
        );
      }
    }
  }

  /** Checks an id and returns the label to use for the object. */
  id(where: string, value: unknown, label: string, fallback: string): string {
    if (value === undefined) {
      this.add(where, `id is missing; expected ${SLUG_FORM}`);
      return fallback;
    }
    if (
      typeof value !== 'string' ||
      !SLUG.test(value) ||
      value.length > MAX_ID_LENGTH
    ) {
      this.add(where, `id ${show(value)} is not ${SLUG_FORM}`);
      return fallback;
    }
    return `${label} '${value}'`;
  }

  requiredText(where: string, obj: Obj, key: string) {
    if (!isNonEmptyString(obj[key])) {
      this.add(
        where,
        obj[key] === undefined
          ? `${key} is missing; expected a non-empty string`
          : `${key} ${show(obj[key])} is not a non-empty string`,
      );
    }
  }

  optionalText(where: string, obj: Obj, key: string) {
    if (obj[key] !== undefined && typeof obj[key] !== 'string') {
      this.add(where, `${key} ${show(obj[key])} is not a string`);
    }
  }
}

function validateApplicability(c: Collector, where: string, value: unknown) {
  if (value === undefined) {
    return;
  }
  if (!isObject(value)) {
    c.add(where, `applicability ${show(value)} is not an object`);
    return;
  }
  c.unknownKeys(where, value, APPLICABILITY_KEYS, 'applicability has ');
  for (const key of ['kinds', 'types', 'lifecycles']) {
    const list = value[key];
    if (
      list !== undefined &&
      (!Array.isArray(list) || !list.every(isNonEmptyString))
    ) {
      c.add(
        where,
        `applicability.${key} ${show(list)} is not a list of non-empty strings`,
      );
    }
  }
  const tiers = value.tiers;
  if (tiers !== undefined) {
    if (!Array.isArray(tiers)) {
      c.add(where, `applicability.tiers ${show(tiers)} is not a list`);
    } else {
      tiers.forEach((tier, index) => {
        if (!isReadinessTier(tier)) {
          c.add(
            where,
            `applicability.tiers[${index}] ${show(
              tier,
            )} is not a tier; expected one of ${READINESS_TIERS.join(', ')}`,
          );
        }
      });
    }
  }
}

function validateItem(
  c: Collector,
  where: string,
  item: Obj,
  knownChecks: Set<string> | undefined,
) {
  c.unknownKeys(where, item, ITEM_KEYS);
  c.requiredText(where, item, 'text');
  c.optionalText(where, item, 'description');
  const kind = item.kind;
  if (kind === undefined) {
    c.add(
      where,
      `kind is missing; expected one of ${CHECKLIST_ITEM_KINDS.join(', ')}`,
    );
  } else if (!CHECKLIST_ITEM_KINDS.some(k => k === kind)) {
    c.add(
      where,
      `kind ${show(kind)} is not one of ${CHECKLIST_ITEM_KINDS.join(', ')}`,
    );
  }
  const checks = item.checks;
  if (checks !== undefined && !Array.isArray(checks)) {
    c.add(where, `checks ${show(checks)} is not a list of check ids`);
  } else if (kind === 'manual' && checks && checks.length > 0) {
    c.add(
      where,
      "a manual item cannot have checks; use kind 'both' to add checks",
    );
  } else if (
    (kind === 'automatic' || kind === 'both') &&
    (!checks || checks.length === 0)
  ) {
    c.add(
      where,
      `kind '${kind}' needs checks; expected a non-empty list of check ids`,
    );
  } else if (checks) {
    const seen = new Set<unknown>();
    checks.forEach((check: unknown, index) => {
      if (
        typeof check !== 'string' ||
        !CHECK_ID.test(check) ||
        check.length > MAX_ID_LENGTH
      ) {
        c.add(where, `checks[${index}] ${show(check)} is not a check id`);
      } else if (seen.has(check)) {
        c.add(where, `check '${check}' is listed twice`);
      } else if (knownChecks && !knownChecks.has(check)) {
        c.add(where, `check '${check}' does not exist`);
      }
      seen.add(check);
    });
  }
  if (item.expiresAfter !== undefined) {
    const duration = parseDuration(item.expiresAfter, {
      annotation: 'expiresAfter',
    });
    if (!duration.ok) {
      c.add(where, duration.error);
    }
  }
  if (item.area !== undefined && !isReadinessAreaId(item.area)) {
    c.add(
      where,
      `area ${show(
        item.area,
      )} is not a readiness area; expected one of ${READINESS_AREA_IDS.join(
        ', ',
      )}`,
    );
  }
  const ordered = item.ordered;
  if (
    ordered !== undefined &&
    !(Number.isInteger(ordered) && Number(ordered) >= 1)
  ) {
    c.add(where, `ordered ${show(ordered)} is not a positive integer`);
  }
}

/**
 * Validates a phase definition, for example one loaded from YAML, and returns
 * human-readable errors (an empty list when it is valid).
 *
 * @remarks
 *
 * Checks the shape and types of every field, that ids are lowercase slugs,
 * that checklist ids are unique within the phase and item ids are unique
 * within the phase (across checklists), that `automatic` and `both` items
 * have checks and `manual` items have none, that `expiresAfter` is a
 * duration, that areas and tiers exist, that the steps of an ordered
 * checklist are numbered 1 to N in list order, and that there are no unknown
 * properties.
 *
 * @public
 */
export function validatePhaseDefinition(
  obj: unknown,
  options?: ValidatePhaseDefinitionOptions,
): string[] {
  const c = new Collector();
  if (!isObject(obj)) {
    return [`phase definition ${show(obj)} is not an object`];
  }
  const knownChecks = options?.knownCheckIds
    ? new Set(options.knownCheckIds)
    : undefined;
  const phase = c.id('phase', obj.id, 'phase', 'phase');
  c.unknownKeys(phase, obj, PHASE_KEYS);
  c.requiredText(phase, obj, 'title');
  c.optionalText(phase, obj, 'description');
  if (
    obj.order !== undefined &&
    !(typeof obj.order === 'number' && Number.isFinite(obj.order))
  ) {
    c.add(phase, `order ${show(obj.order)} is not a number`);
  }
  validateApplicability(c, phase, obj.applicability);

  const checklists = obj.checklists;
  if (!Array.isArray(checklists) || checklists.length === 0) {
    c.add(
      phase,
      checklists === undefined
        ? 'checklists is missing; expected a non-empty list of checklists'
        : `checklists ${show(
            checklists,
          )} is not a non-empty list of checklists`,
    );
    return c.errors;
  }
  const checklistIds = new Set<unknown>();
  const itemIds = new Set<unknown>();
  checklists.forEach((checklist: unknown, checklistIndex) => {
    const fallback = `${phase}, checklist #${checklistIndex + 1}`;
    if (!isObject(checklist)) {
      c.add(fallback, `${show(checklist)} is not an object`);
      return;
    }
    const where = c.id(fallback, checklist.id, `${phase}, checklist`, fallback);
    if (checklist.id !== undefined && checklistIds.has(checklist.id)) {
      c.add(where, `duplicate checklist id ${show(checklist.id)}`);
    }
    checklistIds.add(checklist.id);
    c.unknownKeys(where, checklist, CHECKLIST_KEYS);
    c.requiredText(where, checklist, 'title');
    c.optionalText(where, checklist, 'description');

    const items = checklist.items;
    if (!Array.isArray(items) || items.length === 0) {
      c.add(
        where,
        items === undefined
          ? 'items is missing; expected a non-empty list of items'
          : `items ${show(items)} is not a non-empty list of items`,
      );
      return;
    }
    items.forEach((item: unknown, itemIndex) => {
      const itemFallback = `${where}, item #${itemIndex + 1}`;
      if (!isObject(item)) {
        c.add(itemFallback, `${show(item)} is not an object`);
        return;
      }
      const itemWhere = c.id(
        itemFallback,
        item.id,
        `${where}, item`,
        itemFallback,
      );
      if (item.id !== undefined && itemIds.has(item.id)) {
        c.add(
          itemWhere,
          `duplicate item id ${show(
            item.id,
          )}; item ids must be unique within the phase`,
        );
      }
      itemIds.add(item.id);
      validateItem(c, itemWhere, item, knownChecks);
    });
    if (
      checklist.ordered !== undefined &&
      typeof checklist.ordered !== 'boolean'
    ) {
      c.add(where, `ordered ${show(checklist.ordered)} is not true or false`);
    }
    const steps = items.map(item =>
      isObject(item) ? item.ordered : undefined,
    );
    const numbered = steps.some(step => step !== undefined);
    if (numbered && checklist.ordered !== true) {
      c.add(
        where,
        'items have step numbers, so the checklist needs ordered: true',
      );
    }
    if (
      (numbered || checklist.ordered === true) &&
      !steps.every((step, index) => step === index + 1)
    ) {
      c.add(
        where,
        `ordered steps must be numbered 1 to ${
          items.length
        } in list order; found ${steps
          .map(step => (step === undefined ? '(none)' : show(step)))
          .join(', ')}`,
      );
    }
  });
  return c.errors;
}

/**
 * Validates a phase definition and returns it typed, or all its errors
 * joined by newlines.
 *
 * @public
 */
export function parsePhaseDefinition(
  obj: unknown,
  options?: ValidatePhaseDefinitionOptions,
): ParseResult<PhaseDefinition> {
  const errors = validatePhaseDefinition(obj, options);
  if (errors.length > 0) {
    return { ok: false, error: errors.join('\n') };
  }
  return { ok: true, value: obj as PhaseDefinition };
}
