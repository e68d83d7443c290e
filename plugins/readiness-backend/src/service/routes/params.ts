import {
  CompoundEntityRef,
  makeValidator,
  parseEntityRef,
  stringifyEntityRef,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';
import { OVERVIEW_FILTER_NONE } from '@prodready/plugin-readiness-common';
import { ScoreFilter } from '../../database/ReadinessStore';
import { ScorecardDefinition } from '../engine/types';

const validator = makeValidator();

/**
 * The entity ref of the `{kind}/{namespace}/{name}` path parameters, in lower
 * case (as the store and the catalog compare refs without regard to case).
 * Each part is checked as the catalog checks it, and an invalid one is named.
 */
export function parseEntityPath(params: {
  kind: string;
  namespace: string;
  name: string;
}): string {
  const { kind, name } = params;
  const namespace = params.namespace.toLocaleLowerCase('en-US');
  if (!validator.isValidKind(kind)) {
    throw new InputError(
      `Invalid kind '${kind}': expected letters and digits starting with a letter, such as 'component'`,
    );
  }
  if (!validator.isValidNamespace(namespace)) {
    throw new InputError(
      `Invalid namespace '${params.namespace}': expected at most 63 letters, digits and '-' between them, such as 'default'`,
    );
  }
  if (!validator.isValidEntityName(name)) {
    throw new InputError(
      `Invalid name '${name}': expected at most 63 letters and digits, with '-', '_' or '.' between them`,
    );
  }
  return stringifyEntityRef({ kind, namespace, name }).toLocaleLowerCase(
    'en-US',
  );
}

/** The overview filter parameters, as the typed router gives them. */
export interface OverviewFilterParams {
  owner?: string[];
  system?: string[];
  lifecycle?: string[];
  tier?: string[];
  level?: string[];
  kind?: string[];
  type?: string[];
  q?: string;
  /**
   * `tree` (the default): an owner group also matches the services of every
   * group under it; `direct`: only the services it owns itself.
   */
  ownerScope?: 'tree' | 'direct';
  /** Resolved by the route into the refs of the initiative's entities. */
  initiative?: string;
}

/** A list parameter as a store filter list, `none` standing for `null`. */
function values<T>(
  list: string[] | undefined,
  parse: (value: string) => T,
): Array<T | null> | undefined {
  if (!list || list.length === 0) {
    return undefined;
  }
  return [
    ...new Set(
      list.map(value => (value === OVERVIEW_FILTER_NONE ? null : parse(value))),
    ),
  ];
}

function parseRef(
  parameter: 'owner' | 'system',
  defaultKind: string,
): (value: string) => string {
  return value => {
    let ref: CompoundEntityRef;
    try {
      ref = parseEntityRef(value.trim(), {
        defaultKind,
        defaultNamespace: 'default',
      });
    } catch (error) {
      throw new InputError(
        `Invalid ${parameter} '${value}': expected an entity ref such as '${defaultKind}:default/name', a ${defaultKind} name, or '${OVERVIEW_FILTER_NONE}'; ${
          error instanceof Error ? error.message : String(error)
        }`,
      );
    }
    return stringifyEntityRef(ref).toLocaleLowerCase('en-US');
  };
}

/**
 * The store filter of the overview's query parameters (`GET /overview`,
 * `/overview/summary`, `/overview/trend`, `/overview.csv`). The OpenAPI
 * validator has checked their types, counts and fixed enums; this checks
 * what depends on the values: entity refs, kinds, and the levels of the
 * definition in force.
 */
export function parseOverviewFilter(
  query: OverviewFilterParams,
  definition: ScorecardDefinition,
): ScoreFilter {
  const levelIds = [...definition.levels]
    .sort((a, b) => a.rank - b.rank)
    .map(level => level.id);
  const filter: ScoreFilter = {
    owners: values(query.owner, parseRef('owner', 'group')),
    systems: values(query.system, parseRef('system', 'system')),
    lifecycles: values(query.lifecycle, value => value.trim()),
    tiers: values(query.tier, value => value),
    levels: values(query.level, value => {
      if (!levelIds.includes(value)) {
        throw new InputError(
          `Invalid level '${value}': expected one of ${[
            ...levelIds,
            OVERVIEW_FILTER_NONE,
          ].join(', ')}`,
        );
      }
      return value;
    }),
    types: values(query.type, value => value.trim()),
    search: query.q?.trim() || undefined,
  };
  if (query.kind && query.kind.length > 0) {
    filter.kinds = [...new Set(query.kind)].map(kind => {
      if (!validator.isValidKind(kind)) {
        throw new InputError(
          `Invalid kind '${kind}': expected letters and digits starting with a letter, such as 'Component'`,
        );
      }
      return kind;
    });
  }
  return Object.fromEntries(
    Object.entries(filter).filter(([, value]) => value !== undefined),
  ) as ScoreFilter;
}
