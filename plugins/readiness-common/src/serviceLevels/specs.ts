import { Entity } from '@backstage/catalog-model';
import {
  READINESS_ANNOTATION_AVAILABILITY,
  READINESS_ANNOTATION_BACKUP_RETENTION,
  READINESS_ANNOTATION_BACKUP_SCHEDULE,
  READINESS_ANNOTATION_DR_LAST_TESTED,
  READINESS_ANNOTATION_DR_PLAN_URL,
  READINESS_ANNOTATION_DR_TEST_INTERVAL,
  READINESS_ANNOTATION_ERROR_RATE,
  READINESS_ANNOTATION_LATENCY_P95,
  READINESS_ANNOTATION_LATENCY_P99,
  READINESS_ANNOTATION_PEAK_RPS,
  READINESS_ANNOTATION_RPO,
  READINESS_ANNOTATION_RTO,
  READINESS_ANNOTATION_RUNBOOK_URL,
  ReadinessAnnotationKeys,
  ReadinessAnnotationName,
  ReadinessAnnotationValues,
  getReadinessAnnotationSpec,
} from '../annotations';
import { quoteValue } from '../parsers/messages';
import { closestName } from '../suggest';
import { DR_PLAN_RESOURCE_TYPE, SLA_RESOURCE_TYPE } from './constants';

/**
 * A bad field in the spec of an SLA or DR plan entity.
 *
 * @public
 */
export interface SpecError {
  /** The path of the field, such as `spec.targets.availability`. */
  field: string;
  /** The value as written (empty when the field is missing). */
  value: string;
  /**
   * A message naming the field, the value and the expected form, such as
   * `spec.targets.availability: 'high' is not a percentage; expected ...`.
   */
  message: string;
}

/**
 * The result of parsing the spec of an SLA or DR plan entity.
 *
 * @public
 */
export interface ServiceLevelSpecParseResult {
  /**
   * The values that parsed, under the same keys as the annotations they
   * stand for (`lastTested` becomes `drLastTested`, `planUrl` `drPlanUrl`).
   */
  values: Partial<ReadinessAnnotationValues>;
  /** One error per missing, unknown or bad field. */
  errors: SpecError[];
}

/**
 * Options for {@link parseDisasterRecoveryPlanSpec}.
 *
 * @public
 */
export interface ParseDisasterRecoveryPlanSpecOptions {
  /** The current time, used to reject a `lastTested` date in the future. */
  now?: Date;
}

interface FieldDefinition {
  /** The field name in the spec (or in `spec.targets`). */
  name: string;
  /** The annotation whose parser and value key the field shares. */
  annotation: ReadinessAnnotationName;
  required: boolean;
}

/** The fields of every Resource spec (catalog model). */
const RESOURCE_SPEC_FIELDS = [
  'type',
  'owner',
  'system',
  'dependsOn',
  'dependencyOf',
];

const SLA_TARGETS: ReadonlyArray<FieldDefinition> = [
  {
    name: 'availability',
    annotation: READINESS_ANNOTATION_AVAILABILITY,
    required: true,
  },
  {
    name: 'latencyP95',
    annotation: READINESS_ANNOTATION_LATENCY_P95,
    required: false,
  },
  {
    name: 'latencyP99',
    annotation: READINESS_ANNOTATION_LATENCY_P99,
    required: false,
  },
  {
    name: 'errorRate',
    annotation: READINESS_ANNOTATION_ERROR_RATE,
    required: false,
  },
  {
    name: 'peakRps',
    annotation: READINESS_ANNOTATION_PEAK_RPS,
    required: false,
  },
];

const DR_PLAN_FIELDS: ReadonlyArray<FieldDefinition> = [
  { name: 'rto', annotation: READINESS_ANNOTATION_RTO, required: true },
  { name: 'rpo', annotation: READINESS_ANNOTATION_RPO, required: true },
  {
    name: 'backupSchedule',
    annotation: READINESS_ANNOTATION_BACKUP_SCHEDULE,
    required: false,
  },
  {
    name: 'backupRetention',
    annotation: READINESS_ANNOTATION_BACKUP_RETENTION,
    required: false,
  },
  {
    name: 'drTestInterval',
    annotation: READINESS_ANNOTATION_DR_TEST_INTERVAL,
    required: false,
  },
  {
    name: 'lastTested',
    annotation: READINESS_ANNOTATION_DR_LAST_TESTED,
    required: false,
  },
  {
    name: 'planUrl',
    annotation: READINESS_ANNOTATION_DR_PLAN_URL,
    required: false,
  },
  {
    name: 'runbookUrl',
    annotation: READINESS_ANNOTATION_RUNBOOK_URL,
    required: false,
  },
];

const SLA_TARGET_NAMES = SLA_TARGETS.map(f => f.name);
const DR_PLAN_FIELD_NAMES = DR_PLAN_FIELDS.map(f => f.name);

const TARGETS_EXPECTED = `an object with the SLA targets (${SLA_TARGET_NAMES.join(
  ', ',
)}), at least availability`;

type PlainObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is PlainObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asText(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

function specOf(entity: Entity): PlainObject {
  const spec: unknown = entity?.spec;
  return isPlainObject(spec) ? spec : {};
}

/**
 * Parses a value with the parser of the annotation it stands for and stores
 * it under the annotation's key. Numbers are read as their decimal text, so
 * that `availability: 99.9` (unquoted YAML) is accepted like `'99.9'`.
 */
function parseInto<N extends ReadinessAnnotationName>(
  values: Partial<ReadinessAnnotationValues>,
  annotation: N,
  raw: unknown,
  options: { field: string; now?: Date },
): string | undefined {
  const definition = getReadinessAnnotationSpec(annotation);
  const value =
    typeof raw === 'number' && Number.isFinite(raw) ? String(raw) : raw;
  const result = definition.parse(value, options);
  if (!result.ok) {
    return result.error;
  }
  const key: ReadinessAnnotationKeys[N] = definition.key;
  values[key] = result.value;
  return undefined;
}

function parseFields(
  source: PlainObject,
  definitions: ReadonlyArray<FieldDefinition>,
  prefix: string,
  now: Date | undefined,
  result: ServiceLevelSpecParseResult,
): void {
  for (const definition of definitions) {
    const field = `${prefix}${definition.name}`;
    const raw = source[definition.name];
    if (raw === undefined || raw === null) {
      if (definition.required) {
        const expected = getReadinessAnnotationSpec(
          definition.annotation,
        ).expectedForm;
        result.errors.push({
          field,
          value: '',
          message: `${field} is required; expected ${expected}`,
        });
      }
      continue;
    }
    const error = parseInto(result.values, definition.annotation, raw, {
      field,
      now,
    });
    if (error) {
      result.errors.push({ field, value: asText(raw), message: error });
    }
  }
}

/**
 * Parses the spec of a service level agreement entity (`kind: Resource`,
 * `spec.type: service-level-agreement`).
 *
 * @remarks
 *
 * The targets live in `spec.targets`: `availability` (required),
 * `latencyP95`, `latencyP99`, `errorRate` and `peakRps`. They are strings in
 * the same forms as the matching `prodready.dev/` annotations (`'99.9'`,
 * `'200ms'`, `'0.1%'`, `'1200'`) and are parsed by the same parsers. A
 * missing `spec.targets` or availability, an unknown target or spec field
 * and a bad value are errors. Never throws.
 *
 * @public
 */
export function parseServiceLevelAgreementSpec(
  entity: Entity,
): ServiceLevelSpecParseResult {
  const result: ServiceLevelSpecParseResult = { values: {}, errors: [] };
  const spec = specOf(entity);
  for (const [name, value] of Object.entries(spec)) {
    if (name === 'targets' || RESOURCE_SPEC_FIELDS.includes(name)) {
      continue;
    }
    const target = closestName(name, SLA_TARGET_NAMES, 2);
    const other = closestName(name, ['targets', ...RESOURCE_SPEC_FIELDS], 2);
    let hint: string;
    if (target) {
      hint = `did you mean spec.targets.${target}?`;
    } else if (other) {
      hint = `did you mean spec.${other}?`;
    } else {
      hint = `expected spec.targets or one of the Resource fields ${RESOURCE_SPEC_FIELDS.map(
        f => `spec.${f}`,
      ).join(', ')}`;
    }
    result.errors.push({
      field: `spec.${name}`,
      value: asText(value),
      message: `spec.${name} is not a known field of a ${SLA_RESOURCE_TYPE}; ${hint}`,
    });
  }

  const targets = spec.targets;
  if (targets === undefined || targets === null) {
    result.errors.push({
      field: 'spec.targets',
      value: '',
      message: `spec.targets is required; expected ${TARGETS_EXPECTED}`,
    });
    return result;
  }
  if (!isPlainObject(targets)) {
    result.errors.push({
      field: 'spec.targets',
      value: asText(targets),
      message: `spec.targets: ${quoteValue(
        targets,
      )} is not an object; expected ${TARGETS_EXPECTED}`,
    });
    return result;
  }
  parseFields(targets, SLA_TARGETS, 'spec.targets.', undefined, result);
  for (const [name, value] of Object.entries(targets)) {
    if (SLA_TARGET_NAMES.includes(name)) {
      continue;
    }
    const suggestion = closestName(name, SLA_TARGET_NAMES);
    const hint = suggestion
      ? `did you mean ${suggestion}?`
      : `expected one of ${SLA_TARGET_NAMES.join(', ')}`;
    result.errors.push({
      field: `spec.targets.${name}`,
      value: asText(value),
      message: `spec.targets.${name} is not a known SLA target; ${hint}`,
    });
  }
  return result;
}

/**
 * Parses the spec of a disaster recovery plan entity (`kind: Resource`,
 * `spec.type: disaster-recovery-plan`).
 *
 * @remarks
 *
 * The fields are `rto` and `rpo` (required), `backupSchedule`,
 * `backupRetention`, `drTestInterval`, `lastTested`, `planUrl` and
 * `runbookUrl`. They are strings in the same forms as the matching
 * `prodready.dev/` annotations and are parsed by the same parsers; the
 * values come back under the annotations' keys (`lastTested` as
 * `drLastTested`, `planUrl` as `drPlanUrl`). A missing required field, an
 * unknown field and a bad value are errors. Never throws.
 *
 * @public
 */
export function parseDisasterRecoveryPlanSpec(
  entity: Entity,
  options?: ParseDisasterRecoveryPlanSpecOptions,
): ServiceLevelSpecParseResult {
  const result: ServiceLevelSpecParseResult = { values: {}, errors: [] };
  const spec = specOf(entity);
  parseFields(spec, DR_PLAN_FIELDS, 'spec.', options?.now, result);
  for (const [name, value] of Object.entries(spec)) {
    if (
      DR_PLAN_FIELD_NAMES.includes(name) ||
      RESOURCE_SPEC_FIELDS.includes(name)
    ) {
      continue;
    }
    const suggestion = closestName(name, [
      ...DR_PLAN_FIELD_NAMES,
      ...RESOURCE_SPEC_FIELDS,
    ]);
    const hint = suggestion
      ? `did you mean spec.${suggestion}?`
      : `expected one of ${DR_PLAN_FIELD_NAMES.map(f => `spec.${f}`).join(
          ', ',
        )}`;
    result.errors.push({
      field: `spec.${name}`,
      value: asText(value),
      message: `spec.${name} is not a known field of a ${DR_PLAN_RESOURCE_TYPE}; ${hint}`,
    });
  }
  return result;
}
