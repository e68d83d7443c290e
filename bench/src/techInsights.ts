/*
 * Tech Insights, set up as a user would for the same work, from its real
 * packages: three fact retrievers (one per fact document of the readiness
 * engine) whose facts are written through its persistence context, the
 * built-in checks as json-rules-engine checks for the jsonfc fact checker,
 * and its router for the bulk `POST /checks/run`.
 */
import http from 'http';
import { AddressInfo } from 'net';
import express from 'express';
import { Knex } from 'knex';
import { DateTime } from 'luxon';
import { Operator } from 'json-rules-engine';
import type {
  AuthService,
  DatabaseService,
  DiscoveryService,
  HttpAuthService,
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import {
  createFactRetrieverRegistration,
  createRouter,
  initializePersistenceContext,
} from '@backstage-community/plugin-tech-insights-backend';
import {
  JSON_RULE_ENGINE_CHECK_TYPE,
  JsonRuleBooleanCheckResult,
  JsonRulesEngineFactChecker,
  JsonRulesEngineFactCheckerFactory,
  TechInsightJsonRuleCheck,
} from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import type {
  FactLifecycle,
  FactRetriever,
  FactRetrieverContext,
  FactRetrieverRegistration,
  TechInsightsStore,
} from '@backstage-community/plugin-tech-insights-node';
import {
  CheckDefinition,
  READINESS_ANNOTATION_TIER,
  parseDuration,
  parsePercentage,
} from '@prodready/plugin-readiness-common';
import type { Item } from '@prodready/plugin-readiness-backend/bench/generate';
import {
  benchAuth,
  silentLogger,
} from '@prodready/plugin-readiness-backend/bench/generate';

/** The fact documents of the readiness engine, one fact retriever each. */
export const FACT_DOCUMENTS = ['entity', 'serviceLevels', 'deployment'];

/** The id of the fact retriever that writes a document. */
export const retrieverId = (document: string) => `readiness-${document}`;

// ---------------------------------------------------------------------------
// Checks

type Condition = Record<string, unknown>;

function isCondition(value: unknown): value is Condition {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * The documents a rule reads, in its facts and in fact-valued operands
 * (`value: { fact, path }`).
 */
function referencedDocuments(condition: unknown, out = new Set<string>()) {
  if (!isCondition(condition)) return out;
  for (const key of ['all', 'any']) {
    const list = condition[key];
    if (Array.isArray(list)) list.forEach(c => referencedDocuments(c, out));
  }
  if (condition.not) referencedDocuments(condition.not, out);
  if (typeof condition.fact === 'string') out.add(condition.fact);
  if (isCondition(condition.value) && typeof condition.value.fact === 'string')
    out.add(condition.value.fact);
  return out;
}

/**
 * json-rules-engine requires a `value` on every condition; `exists` needs
 * none in our format, so it gets `value: true` (which ours accepts too).
 */
function withValues(condition: unknown): unknown {
  if (!isCondition(condition)) return condition;
  const copy: Condition = { ...condition };
  for (const key of ['all', 'any']) {
    if (Array.isArray(copy[key]))
      copy[key] = (copy[key] as unknown[]).map(withValues);
  }
  if (copy.not) copy.not = withValues(copy.not);
  if (typeof copy.fact === 'string' && !('value' in copy)) copy.value = true;
  return copy;
}

/**
 * A check of the readiness engine as a jsonfc check, one for one:
 *
 * - the rule's conditions are the same JSON (json-rules-engine syntax), with
 *   a single top-level condition wrapped in `all` (json-rules-engine needs
 *   all/any/not at the top) and `value: true` on `exists`;
 * - `factIds` are the retrievers of the documents the rule reads;
 * - applicability (kinds/types/lifecycles/tiers) becomes jsonfc's entity
 *   `filter` (AND of the keys, any of the values, case-insensitive: the
 *   same as ours). A check filtered out has no result, like our
 *   `not-applicable`.
 */
export function toTechInsightsCheck(
  definition: CheckDefinition,
): TechInsightJsonRuleCheck {
  const rule = definition.rule as unknown as Condition;
  const topLevel = 'all' in rule || 'any' in rule || 'not' in rule;
  const conditions = withValues(topLevel ? rule : { all: [rule] });
  const applicability = definition.applicability ?? {};
  const filter: Record<string, string[]> = {};
  if (applicability.kinds?.length) filter.kind = [...applicability.kinds];
  if (applicability.types?.length)
    filter['spec.type'] = [...applicability.types];
  if (applicability.lifecycles?.length)
    filter['spec.lifecycle'] = [...applicability.lifecycles];
  if (applicability.tiers?.length)
    filter[`metadata.annotations["${READINESS_ANNOTATION_TIER}"]`] = [
      ...applicability.tiers,
    ];
  return {
    id: definition.id,
    type: JSON_RULE_ENGINE_CHECK_TYPE,
    name: definition.title,
    description: definition.description ?? definition.title,
    factIds: [...referencedDocuments(rule)].map(retrieverId),
    rule: { conditions: conditions as any },
    ...(Object.keys(filter).length > 0 && { filter }),
  };
}

// ---------------------------------------------------------------------------
// Operators: the ones our format adds to json-rules-engine's, written for
// json-rules-engine from their documented meaning (not from our engine's
// code), so that the comparison of results can find a difference.

function toMs(value: unknown): number {
  if (typeof value === 'number') return value >= 0 ? value : NaN;
  const parsed = parseDuration(value, { allowZero: true });
  return parsed.ok ? parsed.value : NaN;
}

function toPercent(value: unknown): number {
  if (typeof value === 'number')
    return value >= 0 && value <= 100 ? value : NaN;
  const parsed = parsePercentage(
    typeof value === 'string' ? value : String(value),
    { allowZero: true },
  );
  return parsed.ok ? parsed.value : NaN;
}

function toEpochMs(value: unknown): number {
  if (typeof value !== 'string') return NaN;
  const text = value.trim();
  return /^\d{4}-\d{2}-\d{2}$/.test(text)
    ? Date.parse(`${text}T00:00:00Z`)
    : Date.parse(text);
}

function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/**
 * `exists`, durations, percentages and date age; and `equal`/`notEqual`
 * that compare lists and objects by value (json-rules-engine's compare
 * with `===`, so `errors equal []` would never hold).
 */
export function techInsightsOperators(
  now: Date,
  options: { stockEqual?: boolean } = {},
): Operator[] {
  const at = now.getTime();
  const cmp =
    (f: (a: number, b: number) => boolean) => (a: number, b: number) =>
      !Number.isNaN(a) && !Number.isNaN(b) && f(a, b);
  const le = cmp((a, b) => a <= b);
  const ge = cmp((a, b) => a >= b);
  const equality = options.stockEqual
    ? []
    : [
        new Operator('equal', (f: unknown, v: unknown) => jsonEqual(f, v)),
        new Operator('notEqual', (f: unknown, v: unknown) => !jsonEqual(f, v)),
      ];
  return [
    ...equality,
    new Operator('exists', (f: unknown) => f !== undefined && f !== null),
    new Operator('durationAtMost', (f: unknown, v: unknown) =>
      le(toMs(f), toMs(v)),
    ),
    new Operator('durationAtLeast', (f: unknown, v: unknown) =>
      ge(toMs(f), toMs(v)),
    ),
    new Operator('percentageAtLeast', (f: unknown, v: unknown) =>
      ge(toPercent(f), toPercent(v)),
    ),
    new Operator('percentageAtMost', (f: unknown, v: unknown) =>
      le(toPercent(f), toPercent(v)),
    ),
    new Operator('dateWithin', (f: unknown, v: unknown) =>
      le(at - toEpochMs(f), toMs(v)),
    ),
  ];
}

// ---------------------------------------------------------------------------
// The Tech Insights backend parts

/** Tech Insights over one database, for a generated population. */
export interface TechInsights {
  store: TechInsightsStore;
  checker: JsonRulesEngineFactChecker;
  checks: TechInsightJsonRuleCheck[];
  registrations: FactRetrieverRegistration[];
  /**
   * One run of every fact retriever, as Tech Insights' scheduled task does
   * it (the handler, then `insertFacts` with the registration's lifecycle),
   * with facts stamped `at`.
   */
  collect(at: Date, lifecycle?: FactLifecycle): Promise<number>;
  /** `POST /checks/run` of its real router, served on a loopback port. */
  serve(): Promise<{ url: string; close(): Promise<void> }>;
}

const allowAll = {
  async authorize(requests: unknown[]) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
  async authorizeConditional(requests: unknown[]) {
    return requests.map(() => ({ result: AuthorizeResult.ALLOW }));
  },
} as unknown as PermissionsService;

const anyCaller = {
  async credentials() {
    return {
      $$type: '@backstage/BackstageCredentials',
      principal: { type: 'user', userEntityRef: 'user:default/bench' },
    };
  },
} as unknown as HttpAuthService;

export async function createTechInsights(options: {
  knex: Knex;
  items: Item[];
  definitions: CheckDefinition[];
  now: Date;
  stockEqual?: boolean;
}): Promise<TechInsights> {
  const { knex, items } = options;
  const database = { getClient: async () => knex } as DatabaseService;
  const persistenceContext = await initializePersistenceContext(database, {
    logger: silentLogger,
  });
  const store = persistenceContext.techInsightsStore;

  let stamp = DateTime.fromJSDate(options.now);
  const retrievers: FactRetriever[] = FACT_DOCUMENTS.map(document => ({
    id: retrieverId(document),
    version: '1.0.0',
    title: `Readiness facts: ${document}`,
    description: `The '${document}' fact document of the readiness engine`,
    schema: {
      [document]: {
        type: 'object',
        description: `The '${document}' facts of the entity`,
      },
    },
    async handler() {
      return items.map(item => ({
        entity: {
          namespace: item.entity.metadata.namespace ?? 'default',
          kind: item.entity.kind,
          name: item.entity.metadata.name,
        },
        facts: { [document]: item.facts[document] },
        timestamp: stamp,
      }));
    },
  }));
  const registrations = retrievers.map(factRetriever =>
    createFactRetrieverRegistration({ cadence: '0 * * * *', factRetriever }),
  );
  for (const retriever of retrievers) {
    await store.insertFactSchema(retriever);
  }
  const context = {
    config: new ConfigReader({}),
    discovery: {} as DiscoveryService,
    logger: silentLogger,
    auth: benchAuth as AuthService,
    urlReader: {} as UrlReaderService,
  } satisfies FactRetrieverContext;

  // A check over a document that no retriever collects (an optional one,
  // such as the observed service levels without Prometheus) is left out:
  // it has no result, as ours is not applicable where its documents were
  // not collected.
  const checks = options.definitions
    .filter(definition =>
      [
        ...referencedDocuments(definition.rule),
        ...referencedDocuments(definition.appliesWhen),
      ].every(document => FACT_DOCUMENTS.includes(document)),
    )
    .map(toTechInsightsCheck);
  const byRef = new Map(items.map(item => [item.ref, item.entity]));
  const catalog = {
    async getEntityByRef(ref: string) {
      return byRef.get(ref);
    },
  } as unknown as CatalogService;
  const checker = new JsonRulesEngineFactCheckerFactory({
    checks,
    logger: silentLogger,
    operators: techInsightsOperators(options.now, {
      stockEqual: options.stockEqual,
    }),
    catalog,
    auth: benchAuth as AuthService,
  }).construct(store) as JsonRulesEngineFactChecker;

  return {
    store,
    checker,
    checks,
    registrations,
    async collect(at, lifecycle) {
      stamp = DateTime.fromJSDate(at);
      let rows = 0;
      for (const registration of registrations) {
        const { factRetriever } = registration;
        const facts = await factRetriever.handler({
          ...context,
          entityFilter: factRetriever.entityFilter,
        });
        await store.insertFacts({
          id: factRetriever.id,
          facts,
          lifecycle: lifecycle ?? registration.lifecycle,
        });
        rows += facts.length;
      }
      return rows;
    },
    async serve() {
      const router = await createRouter({
        persistenceContext,
        factChecker: checker,
        logger: silentLogger,
        config: new ConfigReader({}),
        permissions: allowAll,
        httpAuth: anyCaller,
      });
      const app = express();
      app.use('/api/tech-insights', router);
      const server = http.createServer(app);
      await new Promise<void>(resolve =>
        server.listen(0, '127.0.0.1', () => resolve()),
      );
      const { port } = server.address() as AddressInfo;
      return {
        url: `http://127.0.0.1:${port}/api/tech-insights`,
        close: () =>
          new Promise<void>((resolve, reject) =>
            server.close(error => (error ? reject(error) : resolve())),
          ),
      };
    },
  };
}

/** The pass/fail of each check that ran, by check id. */
export function techInsightsVerdicts(
  results: JsonRuleBooleanCheckResult[],
): Map<string, boolean> {
  return new Map(results.map(r => [r.check.id, r.result]));
}
