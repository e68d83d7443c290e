import type {
  CheckDefinition,
  CheckRule,
  CheckSeverity,
  ReadinessApplicability,
  ReadinessAreaId,
  ReadinessTier,
} from '@prodready/plugin-readiness-common';
import { READINESS_ANNOTATION_TIER } from '@prodready/plugin-readiness-common';
import { CheckDefinitionError } from './rules/errors';
import { formatValue } from './rules/format';
import { BUILT_IN_OPERATOR_NAMES } from './rules/operators';

/**
 * A Tech Insights check for its json-rules-engine fact checker (jsonfc), as
 * it is written in `techInsights.factChecker.checks` or passed to
 * `JsonRulesEngineFactCheckerFactory`. Only the fields the conversion reads
 * are typed; the others (`type`, `metadata`, ...) are accepted and ignored.
 *
 * @public
 */
export interface TechInsightsJsonRuleCheckLike {
  id: string;
  name: string;
  description?: string;
  /** The ids of the fact retrievers whose facts the rule reads. */
  factIds: string[];
  rule: {
    /** json-rules-engine conditions: `all`, `any` or `not` at the top. */
    conditions: unknown;
    name?: string;
    priority?: number;
  };
  /** jsonfc's entity filter: `kind`, `spec.type`, `spec.lifecycle`, ... */
  filter?: unknown;
  links?: Array<{ title?: string; url: string }>;
  [key: string]: unknown;
}

/**
 * Options of {@link fromTechInsightsCheck}.
 *
 * @public
 */
export interface FromTechInsightsCheckOptions {
  /** The readiness area of the check. */
  area: ReadinessAreaId;
  /** The level the check gates, such as `bronze`. */
  level: string;
  /**
   * The fact retriever that provides a fact, for conditions without
   * `params.factRetrieverId` in checks that read several retrievers. Return
   * undefined when unknown.
   */
  factRetrieverOf?: (factName: string) => string | undefined;
  /** Default `error`. */
  severity?: CheckSeverity;
  /** How to fix a failure. Default: a sentence naming the Tech Insights check. */
  remediation?: string;
  /** The id of the readiness check. Default: the Tech Insights check's id. */
  id?: string;
  /**
   * Names of custom operators registered with the readiness engine (through
   * `readinessChecksExtensionPoint`), accepted besides the built-in ones.
   */
  operators?: ReadonlyArray<string>;
  /** The id of the fact collector of the Tech Insights facts. Default `techInsights`. */
  collectorId?: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;

const LEAF_KEYS = new Set([
  'fact',
  'operator',
  'value',
  'path',
  'params',
  'name',
  'priority',
]);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** `.name` or `['odd name']`. */
function pathSegment(name: string): string {
  return IDENTIFIER.test(name)
    ? `.${name}`
    : `['${name.replace(/[\\']/g, c => `\\${c}`)}']`;
}

/** The part of a json-rules-engine `path` after its `$`. */
function pathSuffix(path: string): string {
  const trimmed = path.trim();
  const rest = trimmed.startsWith('$') ? trimmed.slice(1) : trimmed;
  if (rest === '' || rest.startsWith('.') || rest.startsWith('[')) {
    return rest;
  }
  return `.${rest}`;
}

/** jsonfc filter keys that map onto readiness applicability. */
const FILTER_KEYS: Record<string, keyof ReadinessApplicability> = {
  kind: 'kinds',
  'spec.type': 'types',
  'spec.lifecycle': 'lifecycles',
  [`metadata.annotations["${READINESS_ANNOTATION_TIER}"]`]: 'tiers',
  [`metadata.annotations['${READINESS_ANNOTATION_TIER}']`]: 'tiers',
  [`metadata.annotations.${READINESS_ANNOTATION_TIER}`]: 'tiers',
};

/**
 * Converts a Tech Insights jsonfc check into a readiness check that reads
 * the same facts from the `techInsights` fact collector (the Tech Insights
 * bridge module), so that the rule can be kept as it is.
 *
 * @remarks
 *
 * Each condition `{ fact: 'hasOwner', ... }` becomes
 * `{ fact: 'techInsights', path: '$.<retrieverId>.hasOwner', ... }`, and a
 * json-rules-engine `path` within the fact is appended. The retriever is the
 * condition's `params.factRetrieverId`, else `factRetrieverOf(fact)`, else
 * the check's only `factIds` entry. `all`, `any` and `not` nest as they are;
 * operators are json-rules-engine's (and the readiness ones); jsonfc's entity
 * `filter` becomes the check's applicability (kind, spec.type,
 * spec.lifecycle, the tier annotation). Shared conditions
 * (`condition: 'name'`), unknown operators, filters on other fields and
 * ambiguous facts are errors ({@link CheckDefinitionError}) that name the
 * check and the condition. Pure: the input is not modified.
 *
 * @public
 */
export function fromTechInsightsCheck(
  check: TechInsightsJsonRuleCheckLike,
  options: FromTechInsightsCheckOptions,
): CheckDefinition {
  const label = `Tech Insights check '${check?.id}'`;
  const problems: string[] = [];
  const fail = (problem: string) => problems.push(`${label}: ${problem}`);
  if (!isPlainObject(check) || typeof check.id !== 'string' || !check.id) {
    throw new CheckDefinitionError([
      `Tech Insights check: expected an object with an 'id'; got ${formatValue(
        check,
      )}`,
    ]);
  }
  const collectorId = options.collectorId ?? 'techInsights';
  const factIds = Array.isArray(check.factIds)
    ? check.factIds.filter((id): id is string => typeof id === 'string')
    : [];
  const operators = new Set([
    ...BUILT_IN_OPERATOR_NAMES,
    ...(options.operators ?? []),
  ]);

  const retrieverFor = (
    fact: string,
    params: unknown,
    path: string,
  ): string | undefined => {
    if (isPlainObject(params) && typeof params.factRetrieverId === 'string') {
      return params.factRetrieverId;
    }
    const mapped = options.factRetrieverOf?.(fact);
    if (mapped) {
      return mapped;
    }
    if (factIds.length === 1) {
      return factIds[0];
    }
    fail(
      `${path}: cannot tell which fact retriever provides fact '${fact}' (factIds: ${
        factIds.length ? factIds.join(', ') : 'none'
      }); set params.factRetrieverId on the condition or pass factRetrieverOf`,
    );
    return undefined;
  };

  const factPath = (
    raw: Record<string, unknown>,
    path: string,
  ): string | undefined => {
    if (typeof raw.fact !== 'string' || raw.fact === '') {
      fail(`${path}.fact must be a fact name; got ${formatValue(raw.fact)}`);
      return undefined;
    }
    const retriever = retrieverFor(raw.fact, raw.params, path);
    if (!retriever) {
      return undefined;
    }
    let suffix = '';
    if (raw.path !== undefined) {
      if (typeof raw.path !== 'string') {
        fail(`${path}.path must be a string; got ${formatValue(raw.path)}`);
        return undefined;
      }
      suffix = pathSuffix(raw.path);
    }
    return `$${pathSegment(retriever)}${pathSegment(raw.fact)}${suffix}`;
  };

  const convert = (raw: unknown, path: string): CheckRule | undefined => {
    if (!isPlainObject(raw)) {
      fail(`${path} must be a condition object; got ${formatValue(raw)}`);
      return undefined;
    }
    for (const key of ['all', 'any'] as const) {
      if (key in raw) {
        const list = raw[key];
        if (!Array.isArray(list)) {
          fail(`${path}.${key} must be a list; got ${formatValue(list)}`);
          return undefined;
        }
        const children = list.map((child, i) =>
          convert(child, `${path}.${key}[${i}]`),
        );
        if (!children.every((child): child is CheckRule => !!child)) {
          return undefined;
        }
        return key === 'all' ? { all: children } : { any: children };
      }
    }
    if ('not' in raw) {
      const child = convert(raw.not, `${path}.not`);
      return child ? { not: child } : undefined;
    }
    if ('condition' in raw) {
      fail(
        `${path}.condition: shared conditions ('condition: ${String(
          raw.condition,
        )}') are not supported; write the condition out in the rule`,
      );
      return undefined;
    }
    const unknown = Object.keys(raw).filter(key => !LEAF_KEYS.has(key));
    if (unknown.length > 0) {
      fail(
        `${path} has unsupported field${
          unknown.length > 1 ? 's' : ''
        } ${unknown.join(', ')}`,
      );
      return undefined;
    }
    const operator = raw.operator;
    if (typeof operator !== 'string' || !operators.has(operator)) {
      fail(
        `${path}.operator ${formatValue(
          operator,
        )} is not supported by the readiness engine; expected one of ${[
          ...operators,
        ].join(
          ', ',
        )} (register a custom operator through readinessChecksExtensionPoint and pass its name in options.operators)`,
      );
      return undefined;
    }
    const factPathText = factPath(raw, path);
    let value = raw.value;
    if (isPlainObject(value) && typeof value.fact === 'string') {
      const operandPath = factPath(value, `${path}.value`);
      if (!operandPath) {
        return undefined;
      }
      value = { fact: collectorId, path: operandPath };
    }
    if (!factPathText) {
      return undefined;
    }
    return {
      fact: collectorId,
      path: factPathText,
      operator,
      ...(raw.value !== undefined && { value: value as any }),
    } as CheckRule;
  };

  const conditions = isPlainObject(check.rule)
    ? check.rule.conditions
    : undefined;
  if (conditions === undefined) {
    fail(`rule.conditions is required`);
  }
  const rule =
    conditions === undefined
      ? undefined
      : convert(conditions, 'rule.conditions');
  const applicability = convertFilter(check.filter, fail);

  if (problems.length > 0 || !rule) {
    throw new CheckDefinitionError(problems);
  }
  const docsUrl = Array.isArray(check.links)
    ? check.links.find(link => typeof link?.url === 'string')?.url
    : undefined;
  return {
    id: options.id ?? check.id,
    title: typeof check.name === 'string' && check.name ? check.name : check.id,
    ...(typeof check.description === 'string' &&
      check.description && { description: check.description }),
    area: options.area,
    level: options.level,
    ...(applicability && { applicability }),
    rule,
    severity: options.severity ?? 'error',
    remediation:
      options.remediation ??
      `Make the facts of the Tech Insights check '${
        check.name || check.id
      }' hold.`,
    ...(docsUrl && { docsUrl }),
  };
}

function convertFilter(
  filter: unknown,
  fail: (problem: string) => void,
): ReadinessApplicability | undefined {
  if (filter === undefined || filter === null) {
    return undefined;
  }
  let single = filter;
  if (Array.isArray(filter)) {
    if (filter.length !== 1) {
      fail(
        'filter: a list of filters (any of them) is not supported; use one filter, or one readiness check per filter',
      );
      return undefined;
    }
    single = filter[0];
  }
  if (!isPlainObject(single)) {
    fail(`filter must be an object; got ${formatValue(filter)}`);
    return undefined;
  }
  const applicability: ReadinessApplicability = {};
  for (const [key, raw] of Object.entries(single)) {
    const field = FILTER_KEYS[key];
    if (!field) {
      fail(
        `filter.${key} is not supported; a filter may use kind, spec.type, spec.lifecycle and metadata.annotations["${READINESS_ANNOTATION_TIER}"]`,
      );
      continue;
    }
    const values = Array.isArray(raw) ? raw : [raw];
    if (!values.every(v => typeof v === 'string')) {
      fail(`filter.${key} must be a string or a list of strings`);
      continue;
    }
    if (field === 'tiers') {
      applicability.tiers = values as ReadinessTier[];
    } else {
      applicability[field] = values as string[];
    }
  }
  return Object.keys(applicability).length > 0 ? applicability : undefined;
}
