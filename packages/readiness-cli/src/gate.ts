import fs from 'fs';
import path from 'path';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  CheckDefinition,
  CheckResult,
  DEFAULT_LEVELS,
  JsonObject,
  LevelDefinition,
  Scorecard,
} from '@prodready/plugin-readiness-common';
import {
  BUILT_IN_CHECKS,
  collectFacts,
  createOfflineFactCollectors,
  readCatalogFile,
  scoreEntity,
} from '@prodready/plugin-readiness-engine';

/** A problem with what the CLI was asked to do: exit code 2, nothing scored. */
export class UsageError extends Error {
  readonly name = 'UsageError';
}

/** What to score and what to require of it. */
export interface GateOptions {
  /** The repository (the working directory of the pipeline). */
  dir: string;
  /** Its catalog file, relative to `dir`; default `catalog-info.yaml`. */
  catalogFile?: string;
  /** The entity to score, by name, when the catalog file holds several. */
  entity?: string;
  /** Other catalog files with entities the service references (shared SLA and DR plans). */
  entityFiles?: string[];
  /** The lowest acceptable level (`bronze`, `silver`, `gold`). */
  minLevel?: string;
  /** Checks that must pass (or not apply, or be waived). */
  requiredChecks?: string[];
  now?: Date;
  checks?: ReadonlyArray<CheckDefinition>;
  levels?: ReadonlyArray<LevelDefinition>;
  /** Notes for the report, such as the checks left out. */
  notes?: string[];
}

/** Why the gate fails, one line each; empty when it passes. */
export interface GateOutcome {
  entity: Entity;
  entityRef: string;
  /** The catalog file, as given (for reports). */
  catalogFile: string;
  scorecard: Scorecard;
  facts: Record<string, JsonObject>;
  checks: ReadonlyArray<CheckDefinition>;
  levels: ReadonlyArray<LevelDefinition>;
  failures: string[];
  notes: string[];
}

function readEntities(file: string): Entity[] {
  if (!fs.existsSync(file)) {
    throw new UsageError(`${file} does not exist`);
  }
  try {
    return readCatalogFile(file);
  } catch (error) {
    throw new UsageError(
      error instanceof Error ? error.message : String(error),
    );
  }
}

function selectEntity(
  entities: Entity[],
  file: string,
  name: string | undefined,
): Entity {
  const components = entities.filter(e => e.kind === 'Component');
  if (name !== undefined) {
    const found = entities.find(e => e.metadata.name === name);
    if (!found) {
      throw new UsageError(
        `${file} has no entity named '${name}'; it has ${
          entities.map(e => `${e.kind}:${e.metadata.name}`).join(', ') ||
          'no entities'
        }`,
      );
    }
    return found;
  }
  if (components.length === 1) {
    return components[0];
  }
  throw new UsageError(
    components.length === 0
      ? `${file} has no Component to score`
      : `${file} has ${components.length} Components (${components
          .map(c => c.metadata.name)
          .join(', ')}); choose one with --entity`,
  );
}

function levelRank(levels: ReadonlyArray<LevelDefinition>, id: string | null) {
  return id === null ? 0 : levels.find(l => l.id === id)?.rank ?? 0;
}

const ACCEPTED: ReadonlySet<CheckResult['status']> = new Set([
  'pass',
  'not-applicable',
]);

/**
 * Scores the service of a repository offline, with the readiness engine's
 * built-in collectors and checks (the same library as the backend): its
 * catalog file, the SLA and DR plans it references when given, and its
 * deployment files on disk. Then applies the gate: the level at least
 * `minLevel`, and every required check passing (or waived, or not
 * applicable).
 */
export async function runGate(options: GateOptions): Promise<GateOutcome> {
  const checks = options.checks ?? BUILT_IN_CHECKS;
  const levels = options.levels ?? DEFAULT_LEVELS;
  if (
    options.minLevel !== undefined &&
    !levels.some(l => l.id === options.minLevel)
  ) {
    throw new UsageError(
      `--min-level '${
        options.minLevel
      }' is not a level; expected one of ${levels.map(l => l.id).join(', ')}`,
    );
  }
  const unknown = (options.requiredChecks ?? []).filter(
    id => !checks.some(c => c.id === id),
  );
  if (unknown.length > 0) {
    throw new UsageError(
      `--require names unknown check${unknown.length > 1 ? 's' : ''} ${unknown
        .map(id => `'${id}'`)
        .join(', ')}; see --list-checks`,
    );
  }
  const dir = path.resolve(options.dir);
  if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) {
    throw new UsageError(`${options.dir} is not a directory`);
  }
  const catalogFile = options.catalogFile ?? 'catalog-info.yaml';
  const catalogPath = path.resolve(dir, catalogFile);
  const entities = readEntities(catalogPath);
  const entity = selectEntity(entities, catalogFile, options.entity);
  const related = [
    ...entities,
    ...(options.entityFiles ?? []).flatMap(file =>
      readEntities(path.resolve(dir, file)),
    ),
  ];
  const now = options.now ?? new Date();
  const facts = await collectFacts(
    entity,
    createOfflineFactCollectors({ entities: related, now: () => now }),
  );
  let scorecard: Scorecard;
  try {
    ({ scorecard } = scoreEntity({ entity, facts, checks, levels, now }));
  } catch (error) {
    throw new UsageError(
      `the checks cannot be evaluated here: ${
        error instanceof Error ? error.message : String(error)
      }`,
    );
  }

  const failures: string[] = [];
  if (
    options.minLevel !== undefined &&
    levelRank(levels, scorecard.level) < levelRank(levels, options.minLevel)
  ) {
    const blocking = scorecard.results
      .filter(r => r.status === 'fail' || r.status === 'error')
      .filter(r => {
        const check = checks.find(c => c.id === r.checkId);
        return (
          check !== undefined &&
          levelRank(levels, check.level) <= levelRank(levels, options.minLevel!)
        );
      })
      .map(r => r.checkId);
    failures.push(
      `the level is ${scorecard.level ?? 'none'}, below ${
        options.minLevel
      }: ${blocking.join(', ')} must pass`,
    );
  }
  for (const id of options.requiredChecks ?? []) {
    const result = scorecard.results.find(r => r.checkId === id);
    if (result && !ACCEPTED.has(result.status) && !result.waiver) {
      failures.push(`${id} is ${result.status}: ${result.message}`);
    }
  }
  return {
    entity,
    entityRef: stringifyEntityRef(entity),
    catalogFile,
    scorecard,
    facts,
    checks,
    levels,
    failures,
    notes: options.notes ?? [],
  };
}

/**
 * The checks and levels in force in a portal (`GET /api/readiness/checks
 * ?includeRules=true`), to evaluate them here instead of the built-in ones.
 * External checks (their results are pushed to the portal) are left out,
 * with a note.
 */
export async function fetchPortalChecks(
  backendUrl: string,
  token: string | undefined,
): Promise<{
  checks: CheckDefinition[];
  levels: LevelDefinition[];
  notes: string[];
}> {
  let url: URL;
  try {
    url = new URL(
      'api/readiness/checks?includeRules=true',
      `${backendUrl.replace(/\/+$/, '')}/`,
    );
  } catch {
    throw new UsageError(`--backend '${backendUrl}' is not a URL`);
  }
  if (!token) {
    throw new UsageError(
      '--backend needs a token: --token, or the READINESS_TOKEN environment variable',
    );
  }
  let response: Response;
  try {
    response = await fetch(url, {
      headers: { Authorization: `Bearer ${token}` },
    });
  } catch (error) {
    throw new UsageError(
      `the portal at ${backendUrl} cannot be reached: ${
        (error as { cause?: Error }).cause?.message ?? String(error)
      }`,
    );
  }
  if (!response.ok) {
    const text = await response.text();
    let message = text;
    try {
      message = JSON.parse(text).error?.message ?? text;
    } catch {
      // not JSON
    }
    throw new UsageError(
      `the portal answered ${response.status} to GET ${url.pathname}: ${message}`,
    );
  }
  const body = (await response.json()) as {
    levels: LevelDefinition[];
    checks: Array<CheckDefinition & { rule?: unknown }>;
  };
  const external = body.checks.filter(c => c.source === 'external');
  const checks = body.checks.filter(
    c => c.source !== 'external' && c.rule !== undefined,
  );
  return {
    checks,
    levels: body.levels,
    notes: [
      `checks of the portal at ${backendUrl}: ${checks.length}`,
      ...(external.length > 0
        ? [
            `left out, their results are pushed to the portal: ${external
              .map(c => c.id)
              .join(', ')}`,
          ]
        : []),
    ],
  };
}
