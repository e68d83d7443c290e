import fs from 'fs';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  CheckDefinition,
  DEFAULT_LEVELS,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';
import type { CheckOperator } from '@prodready/plugin-readiness-node';
import {
  CheckDefinitionError,
  CompiledCheck,
  compileChecks,
} from '@prodready/plugin-readiness-engine';
import { formatValue } from '@prodready/plugin-readiness-engine';

/** Where checks come from, in increasing precedence. */
interface CheckSource {
  /** Appended to each problem, e.g. ` (in checks/extra.yaml)`; empty for app-config. */
  where: string;
  definitions: ReadonlyArray<unknown>;
}

/** Options of {@link loadChecks}. */
export interface LoadChecksOptions {
  config: Config;
  logger: LoggerService;
  /** The built-in checks, overridable by id. */
  builtInChecks: ReadonlyArray<CheckDefinition>;
  /** Custom rule operators (from the checks extension point). */
  operators?: ReadonlyArray<CheckOperator>;
  /** The fact documents that exist: the ids of the fact collectors. */
  knownFacts?: ReadonlyArray<string>;
  /** `readiness.checkFiles` are relative to this; default `process.cwd()`. */
  workingDirectory?: string;
}

/** The checks and levels in force. */
export interface LoadedChecks {
  /** Compiled, in display order: built-in order first, then added checks. */
  checks: CompiledCheck[];
  levels: LevelDefinition[];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return typeof error === 'object' && error !== null && 'message' in error
    ? String(error.message)
    : String(error);
}

function idOf(raw: unknown): string | undefined {
  return isPlainObject(raw) && typeof raw.id === 'string' && raw.id !== ''
    ? raw.id
    : undefined;
}

/**
 * The levels of the scorecard: `readiness.levels`, or Bronze, Silver and
 * Gold. Ids and ranks must be unique.
 */
export function readLevels(config: Config): LevelDefinition[] {
  const items = config.getOptionalConfigArray('readiness.levels');
  if (!items) {
    return DEFAULT_LEVELS.map(level => ({ ...level }));
  }
  const problems: string[] = [];
  if (items.length === 0) {
    problems.push('Invalid readiness.levels: the list must not be empty');
  }
  const levels = items.map(item => {
    const description = item.getOptionalString('description');
    const color = item.getOptionalString('color');
    return {
      id: item.getString('id'),
      title: item.getString('title'),
      rank: item.getNumber('rank'),
      ...(description !== undefined && { description }),
      ...(color !== undefined && { color }),
    };
  });
  const ids = new Set<string>();
  const ranks = new Set<number>();
  levels.forEach((level, index) => {
    const label = `Invalid readiness level '${level.id}' (readiness.levels[${index}])`;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(level.id)) {
      problems.push(
        `${label}: id must start with a letter or digit and contain only letters, digits, '.', '_' and '-'`,
      );
    }
    if (ids.has(level.id)) {
      problems.push(`${label}: id is already used by another level`);
    }
    if (!Number.isFinite(level.rank) || level.rank <= 0) {
      problems.push(
        `${label}: rank must be a number greater than zero; got ${level.rank}`,
      );
    } else if (ranks.has(level.rank)) {
      problems.push(
        `${label}: rank ${level.rank} is already used by another level`,
      );
    }
    ids.add(level.id);
    ranks.add(level.rank);
  });
  if (problems.length > 0) {
    throw new CheckDefinitionError(problems);
  }
  return levels;
}

/** The checks of one `readiness.checkFiles` entry: a list, or `{ checks: [...] }`. */
function readCheckFile(file: string, workingDirectory: string): CheckSource {
  const where = ` (in readiness check file '${file}')`;
  const fail = (problem: string): never => {
    throw new CheckDefinitionError([
      `Invalid readiness check file '${file}': ${problem}`,
    ]);
  };
  let text = '';
  try {
    text = fs.readFileSync(path.resolve(workingDirectory, file), 'utf8');
  } catch (error) {
    fail(`it could not be read: ${errorMessage(error)}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    fail(`it is not valid YAML: ${errorMessage(error)}`);
  }
  if (Array.isArray(document)) {
    return { where, definitions: document };
  }
  if (isPlainObject(document) && Array.isArray(document.checks)) {
    return { where, definitions: document.checks };
  }
  return fail(
    `expected a list of checks, or an object with a 'checks' list; got ${formatValue(
      document,
    )}`,
  );
}

/**
 * Loads and compiles the checks in force, once, at start-up:
 *
 * 1. the built-in checks;
 * 2. the files of `readiness.checkFiles` (relative to the working directory),
 *    in order, each a list of checks or `{ checks: [...] }`;
 * 3. the checks of `readiness.checks` in app-config.
 *
 * A check replaces a check with the same id from an earlier source (so a
 * config check with a built-in id replaces the built-in one, in its place).
 * `readiness.disabledChecks` removes checks by id, whatever their source.
 * Within one source, ids must be unique.
 *
 * Throws one {@link CheckDefinitionError} listing every problem of every
 * source, each naming the check and the field (and the file, for files).
 */
export function loadChecks(options: LoadChecksOptions): LoadedChecks {
  const { config, logger, operators, knownFacts } = options;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const levels = readLevels(config);

  const sources: CheckSource[] = [
    { where: ' (built in)', definitions: options.builtInChecks },
  ];
  const problems: string[] = [];
  for (const file of config.getOptionalStringArray('readiness.checkFiles') ??
    []) {
    try {
      sources.push(readCheckFile(file, workingDirectory));
    } catch (error) {
      if (!(error instanceof CheckDefinitionError)) throw error;
      problems.push(...error.problems);
    }
  }
  const configured = config.getOptional<unknown>('readiness.checks');
  if (configured !== undefined) {
    if (Array.isArray(configured)) {
      sources.push({ where: '', definitions: configured });
    } else {
      problems.push(
        `Invalid readiness.checks: expected a list of checks; got ${formatValue(
          configured,
        )}`,
      );
    }
  }

  const disabled = new Set(
    config.getOptionalStringArray('readiness.disabledChecks') ?? [],
  );
  const allIds = new Set(sources.flatMap(s => s.definitions.map(idOf)));
  for (const id of disabled) {
    if (!allIds.has(id)) {
      logger.warn(
        `readiness.disabledChecks names '${id}', which is not a known check`,
      );
    }
  }

  // The display order: where each id first appears.
  const order = new Map<string, number>();
  for (const source of sources) {
    for (const raw of source.definitions) {
      const id = idOf(raw);
      if (id !== undefined && !order.has(id)) {
        order.set(id, order.size);
      }
    }
  }

  const compileOptions = {
    operators,
    knownFacts,
    levels,
  };
  const byId = new Map<string, CompiledCheck>();
  sources.forEach((source, index) => {
    const laterIds = new Set(
      sources.slice(index + 1).flatMap(s => s.definitions.map(idOf)),
    );
    const kept = source.definitions.filter(raw => {
      const id = idOf(raw);
      return id === undefined || (!disabled.has(id) && !laterIds.has(id));
    });
    try {
      for (const check of compileChecks(kept, compileOptions)) {
        byId.set(check.id, check);
      }
    } catch (error) {
      if (!(error instanceof CheckDefinitionError)) throw error;
      problems.push(
        ...error.problems.map(problem => `${problem}${source.where}`),
      );
    }
  });
  if (problems.length > 0) {
    throw new CheckDefinitionError(problems);
  }

  const checks = [...byId.values()].sort(
    (a, b) => (order.get(a.id) ?? 0) - (order.get(b.id) ?? 0),
  );
  return { checks, levels };
}
