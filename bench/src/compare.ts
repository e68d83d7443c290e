/*
 * The same work for the readiness engine and for Tech Insights (jsonfc),
 * in one process, on one database engine at a time (each in its own
 * database of that engine): the same entities and facts, the same checks.
 */
import { performance } from 'perf_hooks';
import type { JsonRuleBooleanCheckResult } from '@backstage-community/plugin-tech-insights-backend-module-jsonfc';
import {
  CheckSet,
  DatabaseReadinessStore,
  Item,
  Target,
  createBenchEngine,
  createRandom,
  formatBytes,
  formatMs,
  log,
  percentile,
  postgresTarget,
  simulateHistory,
  sqliteTarget,
  timeReads,
} from '@prodready/plugin-readiness-backend/bench/generate';
import { evaluateChecks } from '@prodready/plugin-readiness-engine';
import type {
  CheckResult,
  JsonObject,
} from '@prodready/plugin-readiness-common';
import { createTechInsights, techInsightsVerdicts } from './techInsights';

/** What `store.getFacts` returns (StoredFacts by collector id). */
type StoredFactsMap = Awaited<ReturnType<DatabaseReadinessStore['getFacts']>>;

/**
 * Entities whose facts are read at once in the batched evaluation from stored
 * facts: the page size of the engine's cycle.
 */
const FACTS_BATCH = 500;

export type EngineName = 'SQLite' | 'PostgreSQL';

export interface CompareOptions {
  days: number;
  changeRate: number;
  reads: number;
  /** Hours of Tech Insights collection actually written (then extrapolated). */
  tiHours?: number;
  /** The `maxItems` lifecycle measured for Tech Insights. */
  tiMaxItems: number;
  /**
   * Leave json-rules-engine's own `equal`/`notEqual` (strict ===) in place,
   * to show what the comparison finds when the semantics differ.
   */
  stockEqual?: boolean;
  /** Skip Tech Insights' bulk POST /checks/run (its cost is bounded below by the jsonfc run). */
  skipBulk?: boolean;
  /** Simulate 30 days of collection (both). */
  history: boolean;
  /** Concurrency of the jsonfc runs, as its router's `checksRunConcurrency`. */
  concurrency: number;
}

/** One measured figure of the comparison. */
export interface Figure {
  engine: EngineName;
  entities: number;
  what: string;
  ours: string;
  techInsights: string;
  /** How many times faster (or smaller) ours is, when comparable. */
  ratio?: number;
  /** The same by CPU time of this process. */
  cpuRatio?: number;
}

/** Mismatches of pass/fail between the two, by check and kind. */
export interface Agreement {
  engine: EngineName;
  entities: number;
  compared: number;
  mismatches: number;
  byKind: Map<string, { count: number; example: string }>;
  /** How many of each: ours by status, Tech Insights by verdict. */
  ours: Record<string, number>;
  techInsights: Record<string, number>;
}

export interface CompareResult {
  figures: Figure[];
  agreement: Agreement;
}

async function mapLimit<T, R>(
  items: T[],
  limit: number,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index]);
    }
  };
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, worker),
  );
  return results;
}

/**
 * Wall time, and the CPU time of this process (user + system): the machine
 * is shared, so wall time includes waiting for a CPU; on SQLite the
 * database works in this process, on PostgreSQL the server's CPU is not
 * counted.
 */
const timed = async <T>(fn: () => Promise<T>) => {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const ms = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  return { value, ms, cpuMs: (cpu.user + cpu.system) / 1000 };
};

const wallCpu = (t: { ms: number; cpuMs: number }) =>
  `${formatMs(t.ms)} wall, ${formatMs(t.cpuMs)} CPU`;

const distribution = (durations: number[]) => {
  const sorted = [...durations].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
  };
};

const formatDistribution = (d: { p50: number; p95: number; p99: number }) =>
  `${d.p50.toFixed(2)} / ${d.p95.toFixed(2)} / ${d.p99.toFixed(2)} ms`;

/**
 * Compares our stored results with jsonfc's verdicts: pass ↔ true,
 * fail/warn ↔ false, not-applicable ↔ no result (filtered out).
 */
async function compareVerdicts(
  engine: EngineName,
  store: DatabaseReadinessStore,
  items: Item[],
  techInsights: JsonRuleBooleanCheckResult[][],
): Promise<Agreement> {
  const byKind = new Map<string, { count: number; example: string }>();
  let compared = 0;
  let mismatches = 0;
  const ours: Record<string, number> = {};
  const techInsightsCounts: Record<string, number> = {};
  const count = (tally: Record<string, number>, key: string) => {
    tally[key] = (tally[key] ?? 0) + 1;
  };
  for (let i = 0; i < items.length; i++) {
    const scorecard = await store.getScorecard(items[i].ref);
    if (!scorecard) throw new Error(`No scorecard for ${items[i].ref}`);
    const verdicts = techInsightsVerdicts(techInsights[i]);
    for (const verdict of verdicts.values())
      count(techInsightsCounts, verdict ? 'pass' : 'fail');
    count(techInsightsCounts, 'filtered out');
    techInsightsCounts['filtered out'] +=
      scorecard.results.length - verdicts.size - 1;
    const seen = new Set<string>();
    for (const result of scorecard.results) {
      compared++;
      count(ours, result.status);
      seen.add(result.checkId);
      const verdict = verdicts.get(result.checkId);
      // Ours pass = true, fail/warn = false, not-applicable = no result.
      const EXPECTED: Partial<Record<string, boolean>> = {
        pass: true,
        fail: false,
        warn: false,
      };
      const expected = EXPECTED[result.status];
      const agree = result.status === 'error' ? false : verdict === expected;
      if (!agree) {
        mismatches++;
        let theirs = 'no result';
        if (verdict !== undefined) {
          theirs = verdict ? 'pass' : 'fail';
        }
        const key = `${result.checkId}: ours ${result.status}, Tech Insights ${theirs}`;
        const entry = byKind.get(key) ?? {
          count: 0,
          example: `${items[i].ref}: ${result.message}`,
        };
        entry.count++;
        byKind.set(key, entry);
      }
    }
    for (const [checkId, verdict] of verdicts) {
      if (!seen.has(checkId)) {
        mismatches++;
        const key = `${checkId}: ours no result, Tech Insights ${verdict}`;
        const entry = byKind.get(key) ?? { count: 0, example: items[i].ref };
        entry.count++;
        byKind.set(key, entry);
      }
    }
  }
  return {
    engine,
    entities: items.length,
    compared,
    mismatches,
    byKind,
    ours,
    techInsights: techInsightsCounts,
  };
}

/**
 * The facts object that `evaluateChecks` takes (collector id to facts) from
 * what `store.getFacts` returns. The engine builds it inside its private
 * `prepare` (DefaultReadinessEngine) from the facts it has just collected,
 * falling back to the stored ones of a failed collector; no helper is
 * exported, so the bench builds it here from the stored map: every
 * collector's stored facts (stale or not), by collector id.
 */
const toFactsObject = (stored: StoredFactsMap): Record<string, JsonObject> => {
  const facts: Record<string, JsonObject> = {};
  for (const [collectorId, entry] of stored) facts[collectorId] = entry.facts;
  return facts;
};

/**
 * Checks that evaluation from stored facts gives what the engine's cycle
 * stored, for every entity: the same checks, statuses and messages. Throws,
 * with the count and examples, on any difference.
 */
async function compareWithStored(
  engine: EngineName,
  store: DatabaseReadinessStore,
  items: Item[],
  evaluated: CheckResult[][],
): Promise<{ compared: number; mismatches: number }> {
  let compared = 0;
  let mismatches = 0;
  const examples: string[] = [];
  const mismatch = (text: string) => {
    mismatches++;
    if (examples.length < 10) examples.push(text);
  };
  for (let i = 0; i < items.length; i++) {
    const ref = items[i].ref;
    const scorecard = await store.getScorecard(ref);
    if (!scorecard) throw new Error(`No scorecard for ${ref}`);
    const stored = new Map(scorecard.results.map(r => [r.checkId, r]));
    const seen = new Set<string>();
    for (const result of evaluated[i]) {
      compared++;
      seen.add(result.checkId);
      const expected = stored.get(result.checkId);
      if (!expected) {
        mismatch(`${ref} ${result.checkId}: no stored result`);
      } else if (
        expected.status !== result.status ||
        expected.message !== result.message
      ) {
        mismatch(
          `${ref} ${result.checkId}: stored ${expected.status} (${expected.message}), from stored facts ${result.status} (${result.message})`,
        );
      }
    }
    for (const checkId of stored.keys()) {
      if (!seen.has(checkId)) {
        compared++;
        mismatch(`${ref} ${checkId}: stored, not evaluated from stored facts`);
      }
    }
  }
  log(
    `[${engine} ${items.length}] evaluation from stored facts vs stored results: ${compared} compared, ${mismatches} mismatches`,
  );
  if (mismatches > 0) {
    throw new Error(
      `Evaluation from stored facts differs from the stored results in ${mismatches} of ${compared} results, e.g.:\n${examples.join(
        '\n',
      )}`,
    );
  }
  return { compared, mismatches };
}

export async function compareOn(
  engine: EngineName,
  population: Item[],
  set: CheckSet,
  options: CompareOptions,
): Promise<CompareResult> {
  const n = population.length;
  const figures: Figure[] = [];
  const add = (
    what: string,
    ours: string,
    techInsights: string,
    ratio?: number,
    cpuRatio?: number,
  ) => {
    figures.push({
      engine,
      entities: n,
      what,
      ours,
      techInsights,
      ratio,
      cpuRatio,
    });
    log(
      `[${engine} ${n}] ${what}: ours ${ours}; Tech Insights ${techInsights}`,
    );
  };
  const createTarget = (prefix: string) =>
    engine === 'SQLite' ? sqliteTarget(prefix) : postgresTarget(prefix);
  // Copies: the history simulation changes facts.
  const items = population.map(item => ({ ...item, facts: { ...item.facts } }));
  const day = 86_400_000;
  const now = new Date(Math.floor(Date.now() / day) * day - options.days * day);

  const ours: Target = await createTarget('readiness');
  const ti: Target = await createTarget('fact');
  try {
    // --- Facts in, evaluation --------------------------------------------
    const techInsights = await createTechInsights({
      knex: ti.knex,
      items,
      definitions: set.definitions,
      now,
      stockEqual: options.stockEqual,
    });
    const collected = await timed(() => techInsights.collect(now));
    const { store, engine: readiness } = await createBenchEngine(
      ours,
      items,
      now,
    );
    log(`[${engine} ${n}] our engine: full cycle...`);
    const cycle = await timed(() => readiness.runCycle());
    if (cycle.value.evaluated !== n) {
      throw new Error(
        `Expected ${n} evaluations, got ${cycle.value.evaluated}`,
      );
    }
    log(`[${engine} ${n}] jsonfc: every entity...`);
    const jsonfc = await timed(() =>
      mapLimit(items, options.concurrency, item =>
        techInsights.checker.runChecks(item.ref),
      ),
    );
    // Like for like with jsonfc's runChecks: per entity, one read of its
    // latest facts from the database, then evaluation; nothing stored. Same
    // concurrency as the jsonfc run.
    log(`[${engine} ${n}] our engine: evaluation from stored facts...`);
    const fromStored = await timed(() =>
      mapLimit(items, options.concurrency, async item =>
        evaluateChecks(set.checks, {
          entity: item.entity,
          entityRef: item.ref,
          facts: toFactsObject(await store.getFacts(item.ref)),
          now,
        }),
      ),
    );
    const storedCheck = await compareWithStored(
      engine,
      store,
      items,
      fromStored.value,
    );
    // The same evaluation, with the facts read as the engine's cycle reads
    // them: one store.getFactsOfEntities per batch of refs (a catalog page),
    // then evaluation of the batch; nothing stored.
    log(
      `[${engine} ${n}] our engine: evaluation from stored facts, read in batches of ${FACTS_BATCH}...`,
    );
    const fromStoredBatched = await timed(async () => {
      const evaluated: CheckResult[][] = [];
      for (let i = 0; i < items.length; i += FACTS_BATCH) {
        const batch = items.slice(i, i + FACTS_BATCH);
        const stored = await store.getFactsOfEntities(
          batch.map(item => item.ref),
        );
        for (const item of batch) {
          evaluated.push(
            evaluateChecks(set.checks, {
              entity: item.entity,
              entityRef: item.ref,
              facts: toFactsObject(
                stored.get(item.ref.toLocaleLowerCase('en-US')) ?? new Map(),
              ),
              now,
            }),
          );
        }
      }
      return evaluated;
    });
    const storedBatchedCheck = await compareWithStored(
      engine,
      store,
      items,
      fromStoredBatched.value,
    );
    // In memory, after a warm-up: the compiled checks alone.
    const evaluateAll = () => {
      for (const item of items) {
        evaluateChecks(set.checks, {
          entity: item.entity,
          entityRef: item.ref,
          facts: item.facts,
          now,
        });
      }
    };
    evaluateAll();
    const inMemory = await timed(async () => evaluateAll());

    // --- Same verdicts? (before any speed is reported) --------------------
    const agreement = await compareVerdicts(engine, store, items, jsonfc.value);
    log(
      `[${engine} ${n}] verdicts compared: ${agreement.compared}, mismatches: ${agreement.mismatches}`,
    );

    add(
      'Facts written (3 documents per entity)',
      `in the full cycle below`,
      `${wallCpu(collected)} (${collected.value.toLocaleString(
        'en-US',
      )} fact rows, 3 retrievers)`,
    );
    add(
      'Full evaluation of every entity',
      `${wallCpu(
        cycle,
      )} (engine cycle: collect, store facts, evaluate, store results and scores)`,
      `${wallCpu(jsonfc)} (jsonfc runChecks over its fact store, ${
        options.concurrency
      } at a time; stores nothing)`,
      jsonfc.ms / cycle.ms,
      jsonfc.cpuMs / cycle.cpuMs,
    );
    add(
      'Evaluation from stored facts (read each entity’s facts from the database, evaluate; stores nothing)',
      `${wallCpu(fromStored)} (store.getFacts + evaluateChecks per entity, ${
        options.concurrency
      } at a time; ${storedCheck.mismatches} of ${
        storedCheck.compared
      } results differ from the stored ones)`,
      `${wallCpu(jsonfc)} (jsonfc runChecks, the same run as above)`,
      jsonfc.ms / fromStored.ms,
      jsonfc.cpuMs / fromStored.cpuMs,
    );
    add(
      `Evaluation from stored facts, read in batches of ${FACTS_BATCH} (as the engine’s cycle reads them)`,
      `${wallCpu(
        fromStoredBatched,
      )} (store.getFactsOfEntities per ${FACTS_BATCH} entities + evaluateChecks; ${
        storedBatchedCheck.mismatches
      } of ${storedBatchedCheck.compared} results differ from the stored ones)`,
      `${wallCpu(jsonfc)} (jsonfc runChecks, the same run as above)`,
      jsonfc.ms / fromStoredBatched.ms,
      jsonfc.cpuMs / fromStoredBatched.cpuMs,
    );
    add(
      'Evaluation alone, in memory (compiled checks)',
      wallCpu(inMemory),
      '-',
      jsonfc.ms / inMemory.ms,
      jsonfc.cpuMs / inMemory.cpuMs,
    );

    // --- One entity's scorecard --------------------------------------------
    const random = createRandom(11);
    const ourReads = await timeReads(store, items, options.reads, random);
    const tiReads: number[] = [];
    for (let i = 0; i < options.reads; i++) {
      const item = random.pick(items);
      const t0 = performance.now();
      await techInsights.checker.runChecks(item.ref);
      tiReads.push(performance.now() - t0);
    }
    const tiRead = distribution(tiReads);
    add(
      'One entity’s scorecard, p50 / p95 / p99',
      `${formatDistribution(ourReads)} (stored results)`,
      `${formatDistribution(tiRead)} (runChecks for the entity)`,
      tiRead.p95 / ourReads.p95,
    );

    // --- Portfolio -----------------------------------------------------------
    const pages: number[] = [];
    for (let i = 0; i < 20; i++) {
      const t0 = performance.now();
      await store.listScores({ limit: 100 });
      pages.push(performance.now() - t0);
    }
    const firstPage = distribution(pages);
    const everything = await timed(async () => {
      let cursor: string | undefined;
      let count = 0;
      do {
        const page = await store.listScores({ limit: 1000, cursor });
        count += page.items.length;
        cursor = page.nextCursor;
      } while (cursor);
      return count;
    });
    if (everything.value !== n) {
      throw new Error(`Overview listed ${everything.value} of ${n} entities`);
    }
    let bulk: { ms: number; cpuMs: number; value: number };
    let bulkText: string;
    if (options.skipBulk) {
      // The bulk run is jsonfc over every entity plus HTTP and JSON: the
      // full run above is a lower bound of it.
      bulk = { ...jsonfc, value: jsonfc.value.length };
      bulkText = `≥ ${wallCpu(
        jsonfc,
      )} (POST /checks/run not run; lower bound: the jsonfc run above)`;
    } else {
      const server = await techInsights.serve();
      try {
        log(`[${engine} ${n}] Tech Insights POST /checks/run over all...`);
        bulk = await timed(async () => {
          const response = await fetch(`${server.url}/checks/run`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ entities: [] }),
          });
          if (!response.ok) {
            throw new Error(`POST /checks/run: ${response.status}`);
          }
          const body = (await response.json()) as unknown[];
          return body.length;
        });
      } finally {
        await server.close();
      }
      bulkText = `${wallCpu(bulk)} (POST /checks/run, entities: [])`;
    }
    if (bulk.value !== n) {
      throw new Error(`POST /checks/run returned ${bulk.value} of ${n}`);
    }
    add(
      'Portfolio: every entity’s results',
      `${wallCpu(everything)} (overview query, all ${n} rows, pages of 1,000)`,
      bulkText,
      bulk.ms / everything.ms,
      bulk.cpuMs / everything.cpuMs,
    );
    add(
      'Portfolio: first page (100), p50 / p95 / p99',
      formatDistribution(firstPage),
      'no paging (the whole run above)',
      bulk.ms / firstPage.p95,
    );
    if (!options.history) {
      return { figures, agreement };
    }

    // --- 30 days of hourly collection ----------------------------------------
    const tiHours = options.tiHours ?? (n > 2000 ? 8 : 24);
    const hourly = 3_600_000;
    const end = Date.now();
    log(`[${engine} ${n}] Tech Insights: ${tiHours} hourly collections...`);
    for (let h = tiHours; h >= 1; h--) {
      await techInsights.collect(new Date(end - h * hourly), {
        timeToLive: { days: options.days },
      });
    }
    if (engine === 'PostgreSQL') await ti.knex.raw('vacuum analyze');
    const tiRows = Number((await ti.knex('facts').count({ n: '*' }))[0].n);
    const tiBytes = (await ti.tableSizes()).get('facts') ?? 0;
    const perHour = tiBytes / tiHours;
    const month = perHour * options.days * 24;

    await techInsights.collect(new Date(end), {
      maxItems: options.tiMaxItems,
    });
    if (engine === 'PostgreSQL') await ti.knex.raw('vacuum full analyze facts');
    const keptRows = Number((await ti.knex('facts').count({ n: '*' }))[0].n);
    const keptBytes = (await ti.tableSizes()).get('facts') ?? 0;

    log(
      `[${engine} ${n}] our engine: ${options.days} days of hourly cycles...`,
    );
    const history = await timed(() =>
      simulateHistory({
        store,
        items,
        set,
        start: now,
        days: options.days,
        changeRate: options.changeRate,
        random: createRandom(7),
        afterDay:
          engine === 'PostgreSQL'
            ? () => ours.knex.raw('vacuum analyze')
            : undefined,
      }),
    );
    if (engine === 'PostgreSQL') await ours.knex.raw('vacuum analyze');
    const ourBytes = await ours.size();
    add(
      `Database after ${options.days} days of hourly collection`,
      `${formatBytes(
        ourBytes,
      )} (facts, results, history, scores, snapshots; ${history.value.toLocaleString(
        'en-US',
      )} evaluations written, ${(options.changeRate * 100).toFixed(
        0,
      )}% of entities changing per hour)`,
      `${formatBytes(month)} extrapolated with lifecycle timeToLive ${
        options.days
      } days (${formatBytes(
        tiBytes,
      )} measured after ${tiHours} h, ${tiRows.toLocaleString(
        'en-US',
      )} rows; every run writes every entity); ${formatBytes(
        keptBytes,
      )} with maxItems ${options.tiMaxItems} (${keptRows.toLocaleString(
        'en-US',
      )} rows, measured; keeps ${options.tiMaxItems} hours)`,
      month / ourBytes,
    );
    return { figures, agreement };
  } finally {
    await ours.dispose();
    await ti.dispose();
  }
}
