import type { Entity } from '@backstage/catalog-model';
import {
  ApplicabilitySubject,
  CHECK_SEVERITIES,
  CheckDefinition,
  CheckMessages,
  CheckResultStatus,
  CheckRule,
  CheckSeverity,
  EXTERNAL_RESULTS_FACT_ID,
  ExternalCheckResult,
  READINESS_AREA_IDS,
  READINESS_TIERS,
  ReadinessApplicability,
  ReadinessAreaId,
  ReadinessTier,
  getApplicabilitySubject,
  isApplicable,
  isReadinessAreaId,
  isReadinessTier,
  parseHttpUrl,
} from '@prodready/plugin-readiness-common';
import type { CheckOperator } from '../types';
import {
  CompiledRule,
  RuleContext,
  RuleEnvironment,
  RuleFacts,
  compileRuleWithEnvironment,
  createRuleEnvironment,
} from './compileRule';
import { CheckDefinitionError } from './errors';
import { didYouMean, errorMessage, formatValue } from './format';
import {
  MessageTemplate,
  compileMessageTemplate,
  describeDocuments,
} from './messages';

/**
 * Options of {@link compileCheck} and {@link compileChecks}.
 *
 * @public
 */
export interface CompileCheckOptions {
  /** Custom operators, in addition to the built-in ones. */
  operators?: ReadonlyArray<CheckOperator>;
  /**
   * The fact documents that exist (the fact collector ids). When given, a
   * rule that refers to another document is invalid.
   */
  knownFacts?: Iterable<string>;
  /**
   * The level ids that exist (such as `bronze`, `silver`, `gold`). When
   * given, a check of another level is invalid.
   */
  levels?: ReadonlyArray<string | { id: string }>;
}

/**
 * The status a failing check gets from its severity: `error` fails, while
 * `warning` and `info` only warn (they do not block a level).
 *
 * @public
 */
export const FAILURE_STATUS_BY_SEVERITY: Readonly<
  Record<CheckSeverity, 'fail' | 'warn'>
> = Object.freeze({ error: 'fail', warning: 'warn', info: 'warn' });

/**
 * The outcome of a check for one entity's facts.
 *
 * @public
 */
export interface CheckEvaluation {
  /**
   * `pass`; `fail` or `warn` (by severity, see
   * {@link FAILURE_STATUS_BY_SEVERITY}); or `error` when a fact document the
   * rule needs is missing; `not-applicable` when the check's `appliesWhen`
   * rule does not hold for the facts (whether it applies to the entity's
   * kind, type, lifecycle and tier is decided by `appliesTo`, before
   * evaluating).
   */
  status: CheckResultStatus;
  /**
   * Why, in words: the check's own message (`messages`, or the `message` of
   * the condition that failed) with the facts filled in, such as
   * "No PodDisruptionBudget selects the pods of `podinfo`."; else in terms
   * of the facts, such as "Passed: deployment.hpa.maxReplicas is 18 (≥ 6)."
   */
  message: string;
  /**
   * Why, in terms of the facts, when `message` is the check's own text:
   * `deployment.pdb is null; deployment.pdb.matchesWorkload is missing; expected true.`
   */
  details?: string;
  /** The fact documents the rule refers to that are absent. */
  missingFacts: string[];
}

/**
 * A validated check with its rule compiled.
 *
 * @public
 */
export interface CompiledCheck {
  readonly id: string;
  /** The validated definition (only the known fields). */
  readonly definition: CheckDefinition;
  readonly rule: CompiledRule;
  /** The status when the rule does not hold: `fail` or `warn`. */
  readonly failureStatus: 'fail' | 'warn';
  /** Whether the check applies to an entity with these properties. */
  appliesTo(subject: ApplicabilitySubject): boolean;
  /** Whether the check applies to a catalog entity. */
  appliesToEntity(entity: Entity): boolean;
  /** Evaluates the check on one entity's facts. Never throws. */
  evaluate(facts: RuleFacts, context: RuleContext): CheckEvaluation;
}

const CHECK_FIELDS = [
  'id',
  'title',
  'description',
  'area',
  'level',
  'applicability',
  'appliesWhen',
  'rule',
  'source',
  'messages',
  'severity',
  'remediation',
  'docsUrl',
];
const APPLICABILITY_FIELDS = ['kinds', 'types', 'lifecycles', 'tiers'] as const;
const MESSAGE_FIELDS = ['pass', 'fail', 'notApplicable'] as const;
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_ID_LENGTH = 100;
/** Most reasons repeated in a message. */
const MAX_REASONS = 10;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isNonEmptyString(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function joinReasons(reasons: ReadonlyArray<string>): string {
  if (reasons.length <= MAX_REASONS) {
    return reasons.join('; ');
  }
  return `${reasons.slice(0, MAX_REASONS).join('; ')}; and ${
    reasons.length - MAX_REASONS
  } more`;
}

function levelIds(
  levels: CompileCheckOptions['levels'],
): ReadonlyArray<string> | undefined {
  return levels?.map(level => (typeof level === 'string' ? level : level.id));
}

interface ValidationEnvironment {
  rules: RuleEnvironment;
  levels?: ReadonlyArray<string>;
}

/** Validates one definition; problems are returned without the check prefix. */
function validateCheck(
  raw: unknown,
  environment: ValidationEnvironment,
): { check?: CompiledCheck; problems: string[] } {
  const problems: string[] = [];
  if (!isPlainObject(raw)) {
    return {
      problems: [`the check must be an object; got ${formatValue(raw)}`],
    };
  }
  const requireString = (field: string): string | undefined => {
    const value = raw[field];
    if (value === undefined) {
      problems.push(`${field} is required`);
      return undefined;
    }
    if (!isNonEmptyString(value)) {
      problems.push(
        `${field} must be a non-empty string; got ${formatValue(value)}`,
      );
      return undefined;
    }
    return value;
  };

  // id
  const id = requireString('id');
  if (id !== undefined && !ID_PATTERN.test(id)) {
    problems.push(
      `id '${id}' must start with a letter or digit and contain only letters, digits, '.', '_' and '-'`,
    );
  } else if (id !== undefined && id.length > MAX_ID_LENGTH) {
    problems.push(`id must be at most ${MAX_ID_LENGTH} characters long`);
  }

  // title, description
  const title = requireString('title');
  const description = raw.description;
  if (description !== undefined && typeof description !== 'string') {
    problems.push(
      `description must be a string; got ${formatValue(description)}`,
    );
  }

  // area
  const area = raw.area;
  if (area === undefined) {
    problems.push('area is required');
  } else if (!isReadinessAreaId(area)) {
    problems.push(
      `area ${formatValue(area)} is not a known area${
        typeof area === 'string' ? didYouMean(area, READINESS_AREA_IDS) : ''
      }; expected one of ${READINESS_AREA_IDS.join(', ')}`,
    );
  }

  // level
  const level = requireString('level');
  if (
    level !== undefined &&
    environment.levels &&
    !environment.levels.includes(level)
  ) {
    problems.push(
      `level '${level}' is not a known level${didYouMean(
        level,
        environment.levels,
      )}; expected one of ${environment.levels.join(', ')}`,
    );
  }

  // applicability
  let applicability: ReadinessApplicability | undefined;
  if (raw.applicability !== undefined) {
    const value = raw.applicability;
    if (!isPlainObject(value)) {
      problems.push(
        `applicability must be an object with kinds, types, lifecycles or tiers; got ${formatValue(
          value,
        )}`,
      );
    } else {
      applicability = {};
      for (const key of Object.keys(value)) {
        if (!(APPLICABILITY_FIELDS as readonly string[]).includes(key)) {
          problems.push(
            `applicability.${key} is not a known key${didYouMean(
              key,
              APPLICABILITY_FIELDS,
            )}; expected one of ${APPLICABILITY_FIELDS.join(', ')}`,
          );
        }
      }
      for (const key of APPLICABILITY_FIELDS) {
        const list = value[key];
        if (list === undefined) {
          continue;
        }
        if (!Array.isArray(list)) {
          problems.push(
            `applicability.${key} must be a list of strings; got ${formatValue(
              list,
            )}`,
          );
          continue;
        }
        list.forEach((item, index) => {
          if (!isNonEmptyString(item)) {
            problems.push(
              `applicability.${key}[${index}] must be a non-empty string; got ${formatValue(
                item,
              )}`,
            );
          } else if (key === 'tiers' && !isReadinessTier(item)) {
            problems.push(
              `applicability.tiers[${index}] '${item}' is not a known tier; expected one of ${READINESS_TIERS.join(
                ', ',
              )}`,
            );
          }
        });
        if (key === 'tiers') {
          applicability.tiers = [...list] as ReadinessTier[];
        } else {
          applicability[key] = [...list] as string[];
        }
      }
    }
  }

  // source: an external check stands for the result a pipeline pushed
  const source = raw.source;
  if (source !== undefined && source !== 'rule' && source !== 'external') {
    problems.push(
      `source must be 'rule' or 'external'; got ${formatValue(source)}`,
    );
  }
  const external = source === 'external';
  let ruleInput: unknown = raw.rule;
  if (external) {
    if (raw.rule !== undefined) {
      problems.push(
        'an external check has no rule: its results are pushed (POST /api/readiness/results/{kind}/{namespace}/{name}); remove the rule, or source: external',
      );
    }
    if (raw.messages !== undefined) {
      problems.push(
        'an external check has no messages: each pushed result brings its own',
      );
    }
    if (typeof id === 'string' && id.includes('.')) {
      problems.push(
        `the id of an external check may not contain '.'; got '${id}'`,
      );
    }
    ruleInput = {
      fact: EXTERNAL_RESULTS_FACT_ID,
      path: `$.results.${id ?? 'check'}.status`,
      operator: 'equal',
      value: 'pass',
    };
  }

  // rule
  const ruleResult = compileRuleWithEnvironment(
    ruleInput,
    id ?? '',
    environment.rules,
  );
  problems.push(...ruleResult.problems);

  // appliesWhen: a rule over the facts that says whether the check applies
  let appliesWhen: CompiledRule | undefined;
  if (raw.appliesWhen !== undefined) {
    if (external) {
      problems.push(
        'an external check has no appliesWhen: it applies wherever a result is pushed',
      );
    } else {
      const compiled = compileRuleWithEnvironment(
        raw.appliesWhen,
        id ?? '',
        environment.rules,
        'appliesWhen',
      );
      problems.push(...compiled.problems);
      appliesWhen = compiled.rule;
    }
  }

  // messages
  const messages: CheckMessageTemplates = {};
  if (raw.messages !== undefined) {
    const value = raw.messages;
    if (!isPlainObject(value)) {
      problems.push(
        `messages must be an object with pass, fail or notApplicable; got ${formatValue(
          value,
        )}`,
      );
    } else {
      for (const key of Object.keys(value)) {
        if (!(MESSAGE_FIELDS as readonly string[]).includes(key)) {
          problems.push(
            `messages.${key} is not a known key${didYouMean(
              key,
              MESSAGE_FIELDS,
            )}; expected one of ${MESSAGE_FIELDS.join(', ')}`,
          );
        }
      }
      if (ruleResult.rule) {
        // Placeholders read the known fact documents, else those the rule reads.
        const known = environment.rules.knownFacts;
        const documents =
          known ??
          new Set<string>([
            ...ruleResult.rule.factDocuments,
            ...(appliesWhen?.factDocuments ?? []),
          ]);
        const label = describeDocuments(documents, known !== undefined);
        for (const key of MESSAGE_FIELDS) {
          if (value[key] !== undefined) {
            messages[key] = compileMessageTemplate(
              value[key],
              `messages.${key}`,
              documents,
              label,
              problems,
            );
          }
        }
      }
    }
  }

  // severity
  const severity = raw.severity;
  if (severity === undefined) {
    problems.push('severity is required');
  } else if (!CHECK_SEVERITIES.includes(severity as CheckSeverity)) {
    problems.push(
      `severity ${formatValue(severity)} is not a known severity${
        typeof severity === 'string'
          ? didYouMean(severity, CHECK_SEVERITIES)
          : ''
      }; expected one of ${CHECK_SEVERITIES.join(', ')}`,
    );
  }

  // remediation, docsUrl
  const remediation = requireString('remediation');
  let docsUrl: string | undefined;
  if (raw.docsUrl !== undefined) {
    const parsed = parseHttpUrl(raw.docsUrl);
    if (parsed.ok) {
      docsUrl = parsed.value;
    } else {
      problems.push(`docsUrl ${parsed.error}`);
    }
  }

  for (const key of Object.keys(raw)) {
    if (!CHECK_FIELDS.includes(key)) {
      problems.push(
        `${key} is not a known field${didYouMean(
          key,
          CHECK_FIELDS,
        )}; expected one of ${CHECK_FIELDS.join(', ')}`,
      );
    }
  }

  if (
    problems.length > 0 ||
    !ruleResult.rule ||
    id === undefined ||
    title === undefined ||
    level === undefined ||
    remediation === undefined
  ) {
    return { problems };
  }
  const definition: CheckDefinition = {
    id,
    title,
    ...(typeof description === 'string' ? { description } : {}),
    area: area as ReadinessAreaId,
    level,
    ...(applicability ? { applicability } : {}),
    ...(external ? { source: 'external' as const } : {}),
    ...(appliesWhen ? { appliesWhen: raw.appliesWhen as CheckRule } : {}),
    rule: ruleInput as CheckRule,
    ...(isPlainObject(raw.messages)
      ? { messages: raw.messages as CheckMessages }
      : {}),
    severity: severity as CheckSeverity,
    remediation,
    ...(docsUrl !== undefined ? { docsUrl } : {}),
  };
  return {
    check: external
      ? createExternalCheck(definition, ruleResult.rule)
      : createCompiledCheck(definition, ruleResult.rule, messages, appliesWhen),
    problems: [],
  };
}

/**
 * A check whose result a pipeline pushes: the `external` facts hold the
 * pushed result (see `ExternalCheckResult`), which counts until it expires;
 * a failure takes the check's failure status (`warn` for a warning check).
 */
function createExternalCheck(
  definition: CheckDefinition,
  rule: CompiledRule,
): CompiledCheck {
  const base = createCompiledCheck(definition, rule, {});
  const failureStatus = base.failureStatus;
  return Object.freeze({
    ...base,
    evaluate(facts: RuleFacts, context: RuleContext): CheckEvaluation {
      const document = facts[EXTERNAL_RESULTS_FACT_ID] as
        | { results?: Record<string, ExternalCheckResult | undefined> }
        | undefined;
      const pushed = document?.results?.[definition.id];
      if (!pushed) {
        return {
          status: 'error',
          message: `No result has been pushed for ${definition.id} yet: a pipeline pushes it with POST /api/readiness/results/{kind}/{namespace}/{name}.`,
          missingFacts: [
            `${EXTERNAL_RESULTS_FACT_ID}.results.${definition.id}`,
          ],
        };
      }
      const details = [
        `Pushed by ${pushed.pushedBy} at ${pushed.pushedAt}`,
        ...(typeof pushed.value === 'number' ? [`value ${pushed.value}`] : []),
        ...(pushed.detailsUrl ? [pushed.detailsUrl] : []),
      ].join('; ');
      const expiresAt = Date.parse(pushed.expiresAt);
      if (!Number.isFinite(expiresAt) || context.now >= expiresAt) {
        return {
          status: 'error',
          message: `Stale: the result pushed at ${pushed.pushedAt} expired at ${pushed.expiresAt}; push a new one (it said: ${pushed.message})`,
          details: `${details}.`,
          missingFacts: [],
        };
      }
      return {
        status: pushed.status === 'fail' ? failureStatus : pushed.status,
        message: pushed.message,
        details: `${details}.`,
        missingFacts: [],
      };
    },
  });
}

/** A rendered template as a sentence, or undefined when it renders nothing. */
function renderMessage(
  template: MessageTemplate | undefined,
  facts: RuleFacts,
): string | undefined {
  return template ? template.sentence(facts) || undefined : undefined;
}

/** The compiled `messages` of a check. */
type CheckMessageTemplates = {
  pass?: MessageTemplate;
  fail?: MessageTemplate;
  notApplicable?: MessageTemplate;
};

/**
 * Whether a check applies to these facts, by its `appliesWhen` rule: the
 * reason it does not, or undefined when it applies. A missing fact document
 * makes a check not apply (the collector that would provide it is not
 * installed, or does not apply to the entity).
 */
function notApplicableReason(
  appliesWhen: CompiledRule,
  messages: CheckMessageTemplates,
  facts: RuleFacts,
  context: RuleContext,
): string | undefined {
  const outcome = appliesWhen.evaluate(facts, context);
  if (outcome.verdict === 'pass') {
    return undefined;
  }
  const message =
    outcome.message ?? renderMessage(messages.notApplicable, facts);
  if (message !== undefined) {
    return message;
  }
  return `Not applicable: ${
    outcome.verdict === 'unknown'
      ? `no ${outcome.missingFacts.join(
          ', ',
        )} facts were collected for this entity`
      : joinReasons(outcome.reasons)
  }.`;
}

function createCompiledCheck(
  definition: CheckDefinition,
  rule: CompiledRule,
  messages: CheckMessageTemplates,
  appliesWhen?: CompiledRule,
): CompiledCheck {
  const failureStatus = FAILURE_STATUS_BY_SEVERITY[definition.severity];
  const failurePrefix = failureStatus === 'fail' ? 'Failed' : 'Warning';
  const applicability = definition.applicability;
  const restricted =
    applicability !== undefined &&
    APPLICABILITY_FIELDS.some(key => (applicability[key]?.length ?? 0) > 0);
  const appliesTo = restricted
    ? (subject: ApplicabilitySubject) => isApplicable(applicability, subject)
    : () => true;
  return Object.freeze({
    id: definition.id,
    definition,
    rule,
    failureStatus,
    appliesTo,
    appliesToEntity: (entity: Entity) =>
      !restricted || appliesTo(getApplicabilitySubject(entity)),
    evaluate(facts: RuleFacts, context: RuleContext): CheckEvaluation {
      try {
        if (appliesWhen) {
          // Like a check that does not apply to the entity: a reason, no details.
          const notApplicable = notApplicableReason(
            appliesWhen,
            messages,
            facts,
            context,
          );
          if (notApplicable !== undefined) {
            return {
              status: 'not-applicable',
              message: notApplicable,
              missingFacts: [],
            };
          }
        }
        const outcome = rule.evaluate(facts, context);
        const reasons = joinReasons(outcome.reasons);
        if (outcome.verdict === 'pass') {
          const message = renderMessage(messages.pass, facts);
          return {
            status: 'pass',
            ...(message === undefined
              ? { message: `Passed: ${reasons}.` }
              : { message, details: `${reasons}.` }),
            missingFacts: outcome.missingFacts,
          };
        }
        if (outcome.verdict === 'fail') {
          const message =
            outcome.message ?? renderMessage(messages.fail, facts);
          return {
            status: failureStatus,
            ...(message === undefined
              ? { message: `${failurePrefix}: ${reasons}.` }
              : { message, details: `${reasons}.` }),
            missingFacts: outcome.missingFacts,
          };
        }
        return {
          status: 'error',
          message: `Could not evaluate: ${reasons}.`,
          missingFacts: outcome.missingFacts,
        };
      } catch (error) {
        return {
          status: 'error',
          message: `Could not evaluate: ${errorMessage(error)}.`,
          missingFacts: [],
        };
      }
    },
  });
}

function checkLabel(raw: unknown, index: number): string {
  const id = isPlainObject(raw) ? raw.id : undefined;
  return isNonEmptyString(id)
    ? `Invalid readiness check '${id}'`
    : `Invalid readiness check #${index + 1} (no id)`;
}

function createEnvironment(
  options?: CompileCheckOptions,
): ValidationEnvironment {
  return {
    rules: createRuleEnvironment(options ?? {}),
    levels: levelIds(options?.levels),
  };
}

/**
 * Validates a whole set of check definitions (from app-config or YAML files)
 * and compiles their rules.
 *
 * @remarks
 *
 * Checks the required fields and their types, that the area and severity are
 * known (and the level, when `levels` is given), the applicability lists, the
 * rule, that the docs link is an http(s) URL, and that ids are unique. Throws
 * one {@link CheckDefinitionError} listing every problem, each naming the
 * check and the field.
 *
 * @public
 */
export function compileChecks(
  definitions: ReadonlyArray<unknown>,
  options?: CompileCheckOptions,
): CompiledCheck[] {
  if (!Array.isArray(definitions)) {
    throw new CheckDefinitionError([
      `Invalid readiness checks: expected a list of checks; got ${formatValue(
        definitions,
      )}`,
    ]);
  }
  const environment = createEnvironment(options);
  const problems: string[] = [];
  const checks: CompiledCheck[] = [];
  const firstIndexById = new Map<string, number>();
  definitions.forEach((raw, index) => {
    const result = validateCheck(raw, environment);
    const label = checkLabel(raw, index);
    problems.push(...result.problems.map(problem => `${label}: ${problem}`));
    const id = isPlainObject(raw) ? raw.id : undefined;
    if (isNonEmptyString(id)) {
      const first = firstIndexById.get(id);
      if (first === undefined) {
        firstIndexById.set(id, index);
      } else {
        problems.push(
          `Invalid readiness check '${id}' (#${
            index + 1
          }): id is already used by check #${first + 1}`,
        );
      }
    }
    if (result.check) {
      checks.push(result.check);
    }
  });
  if (problems.length > 0) {
    throw new CheckDefinitionError(problems);
  }
  return checks;
}

/**
 * Validates one check definition and compiles its rule; see
 * {@link compileChecks}.
 *
 * @public
 */
export function compileCheck(
  definition: unknown,
  options?: CompileCheckOptions,
): CompiledCheck {
  return compileChecks([definition], options)[0];
}
