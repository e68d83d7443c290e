import fs from 'fs';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { Config } from '@backstage/config';
import {
  BUILT_IN_PHASES,
  PhaseDefinition,
  parseDuration,
  validatePhaseDefinition,
} from '@prodready/plugin-readiness-common';

/** Thrown at start-up when phase definitions are invalid; lists every problem. */
export class PhaseDefinitionError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      `Invalid readiness phases:\n${problems
        .map(problem => `  - ${problem}`)
        .join('\n')}`,
    );
    this.name = 'PhaseDefinitionError';
    this.problems = problems;
  }
}

/** Options of {@link loadPhases}. */
export interface LoadPhasesOptions {
  config: Config;
  logger: LoggerService;
  /** The built-in phases, overridable by id; default Phase 4. */
  builtInPhases?: ReadonlyArray<PhaseDefinition>;
  /** The ids of the checks in force; items bound to others are reported. */
  knownCheckIds?: Iterable<string>;
  /** `readiness.phaseFiles` are relative to this; default `process.cwd()`. */
  workingDirectory?: string;
}

/** Settings of the checklists. */
export interface ChecklistSettings {
  /** How long a waiver lasts at most, and by default, in milliseconds. */
  waiverMaxAgeMs: number;
  /** How far ahead an expiry counts as "soon", in milliseconds. */
  expiringSoonMs: number;
}

const DAY_MS = 86_400_000;

interface PhaseSource {
  /** Appended to each problem, such as ` (in phases/extra.yaml)`. */
  where: string;
  definitions: ReadonlyArray<unknown>;
  /**
   * Whether items bound to checks that do not exist are reported. Not for
   * the built-in phases: their checks may be disabled or replaced, and the
   * items then stay open (with the check shown as missing).
   */
  checkIds?: boolean;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function idOf(raw: unknown): string | undefined {
  return isPlainObject(raw) && typeof raw.id === 'string' ? raw.id : undefined;
}

/** The phases of one `readiness.phaseFiles` entry: a list, or `{ phases: [...] }`. */
function readPhaseFile(file: string, workingDirectory: string): PhaseSource {
  const fail = (problem: string): never => {
    throw new PhaseDefinitionError([
      `readiness phase file '${file}' ${problem}`,
    ]);
  };
  let text = '';
  try {
    text = fs.readFileSync(path.resolve(workingDirectory, file), 'utf8');
  } catch (error) {
    fail(`could not be read: ${errorMessage(error)}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    fail(`is not valid YAML: ${errorMessage(error)}`);
  }
  const where = ` (in readiness phase file '${file}')`;
  if (Array.isArray(document)) {
    return { where, definitions: document, checkIds: true };
  }
  if (isPlainObject(document) && Array.isArray(document.phases)) {
    return { where, definitions: document.phases, checkIds: true };
  }
  if (isPlainObject(document) && document.id !== undefined) {
    return { where, definitions: [document], checkIds: true };
  }
  return fail(
    "holds no phases; expected a phase, a list of phases, or an object with a 'phases' list",
  );
}

/**
 * Loads the phases in force, once, at start-up:
 *
 * 1. the built-in phases (Phase 4 "Deployment & Scaling");
 * 2. the files of `readiness.phaseFiles` (relative to the working directory),
 *    in order, each a phase, a list of phases or `{ phases: [...] }`;
 * 3. the phases of `readiness.phases` in app-config.
 *
 * A phase replaces a phase with the same id from an earlier source.
 * `readiness.disabledPhases` removes phases by id. Phases are sorted by
 * `order`, then id. Every problem of every source is reported at once, in a
 * {@link PhaseDefinitionError} naming the phase, the field and the file.
 */
export function loadPhases(options: LoadPhasesOptions): PhaseDefinition[] {
  const { config, logger } = options;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const knownCheckIds = options.knownCheckIds
    ? [...options.knownCheckIds]
    : undefined;
  const sources: PhaseSource[] = [
    {
      where: ' (built in)',
      definitions: options.builtInPhases ?? BUILT_IN_PHASES,
    },
  ];
  const problems: string[] = [];
  for (const file of config.getOptionalStringArray('readiness.phaseFiles') ??
    []) {
    try {
      sources.push(readPhaseFile(file, workingDirectory));
    } catch (error) {
      if (!(error instanceof PhaseDefinitionError)) throw error;
      problems.push(...error.problems);
    }
  }
  const configured = config.getOptional<unknown>('readiness.phases');
  if (configured !== undefined) {
    if (Array.isArray(configured)) {
      sources.push({
        where: ' (in readiness.phases)',
        definitions: configured,
        checkIds: true,
      });
    } else {
      problems.push('readiness.phases is not a list of phases');
    }
  }

  const disabled = new Set(
    config.getOptionalStringArray('readiness.disabledPhases') ?? [],
  );
  const byId = new Map<string, PhaseDefinition>();
  for (const source of sources) {
    const seen = new Set<string>();
    for (const raw of source.definitions) {
      const errors = validatePhaseDefinition(raw, {
        knownCheckIds: source.checkIds ? knownCheckIds : undefined,
      });
      const id = idOf(raw);
      if (id !== undefined && seen.has(id)) {
        errors.push(
          `phase '${id}': id is used by another phase of the same source`,
        );
      }
      if (id !== undefined) {
        seen.add(id);
      }
      if (errors.length > 0) {
        problems.push(...errors.map(error => `${error}${source.where}`));
        continue;
      }
      const phase = raw as PhaseDefinition;
      byId.delete(phase.id);
      byId.set(phase.id, phase);
    }
  }
  for (const id of disabled) {
    if (!byId.delete(id)) {
      logger.warn(
        `readiness.disabledPhases names '${id}', which is not a known phase`,
      );
    }
  }
  if (problems.length > 0) {
    throw new PhaseDefinitionError(problems);
  }
  if (knownCheckIds) {
    const known = new Set(knownCheckIds);
    for (const phase of byId.values()) {
      const missing = phase.checklists.flatMap(checklist =>
        checklist.items.flatMap(item =>
          (item.checks ?? []).filter(id => !known.has(id)),
        ),
      );
      if (missing.length > 0) {
        logger.warn(
          `Items of phase '${
            phase.id
          }' are bound to checks that are not in force (${[
            ...new Set(missing),
          ].join(', ')}); they stay open until those checks pass`,
        );
      }
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      (a.order ?? Number.MAX_SAFE_INTEGER) -
        (b.order ?? Number.MAX_SAFE_INTEGER) || a.id.localeCompare(b.id),
  );
}

/**
 * The checklist settings of `readiness.checklists`: `waiverExpiresAfter`
 * (default `90d`), the longest and default validity of a waiver.
 */
export function readChecklistSettings(config: Config): ChecklistSettings {
  const raw = config.getOptionalString(
    'readiness.checklists.waiverExpiresAfter',
  );
  let waiverMaxAgeMs = 90 * DAY_MS;
  if (raw !== undefined) {
    const parsed = parseDuration(raw, {
      annotation: 'readiness.checklists.waiverExpiresAfter',
    });
    if (!parsed.ok) {
      throw new PhaseDefinitionError([parsed.error]);
    }
    waiverMaxAgeMs = parsed.value;
  }
  return { waiverMaxAgeMs, expiringSoonMs: 30 * DAY_MS };
}
