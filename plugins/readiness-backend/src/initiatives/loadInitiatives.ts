import fs from 'fs';
import path from 'path';
import { parse as parseYaml } from 'yaml';
import type { Config } from '@backstage/config';
import {
  InitiativeDefinition,
  PhaseDefinition,
  ValidateInitiativeOptions,
  validateInitiativeDefinition,
} from '@prodready/plugin-readiness-common';
import type { ScorecardDefinition } from '../service/engine/types';

/** Thrown at start-up when initiatives are invalid; lists every problem. */
export class InitiativeDefinitionError extends Error {
  readonly problems: string[];

  constructor(problems: string[]) {
    super(
      `Invalid readiness initiatives:\n${problems
        .map(problem => `  - ${problem}`)
        .join('\n')}`,
    );
    this.name = 'InitiativeDefinitionError';
    this.problems = problems;
  }
}

/** Options of {@link loadInitiatives}. */
export interface LoadInitiativesOptions {
  config: Config;
  /** The checks and levels in force. */
  definition: Pick<ScorecardDefinition, 'checks' | 'levels'>;
  /** The phases in force. */
  phases: ReadonlyArray<PhaseDefinition>;
  /** `readiness.initiativeFiles` are relative to this; default `process.cwd()`. */
  workingDirectory?: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** What initiatives are validated against: the checks, levels and phases in force. */
export function initiativeValidationOptions(
  definition: Pick<ScorecardDefinition, 'checks' | 'levels'>,
  phases: ReadonlyArray<PhaseDefinition>,
): ValidateInitiativeOptions {
  return {
    knownCheckIds: definition.checks.map(check => check.id),
    knownLevelIds: [...definition.levels]
      .sort((a, b) => a.rank - b.rank)
      .map(level => level.id),
    knownPhases: new Map(
      phases.map(phase => [
        phase.id,
        phase.checklists.map(checklist => checklist.id),
      ]),
    ),
    knownPhaseItems: new Map(
      phases.map(phase => [
        phase.id,
        phase.checklists.flatMap(checklist =>
          checklist.items.map(item => item.id),
        ),
      ]),
    ),
  };
}

/** The initiatives of one file: one, a list, or `{ initiatives: [...] }`. */
function readInitiativeFile(
  file: string,
  workingDirectory: string,
): { definitions: unknown[]; problems: string[] } {
  const problem = (text: string) => ({
    definitions: [],
    problems: [`readiness initiative file '${file}' ${text}`],
  });
  let text: string;
  try {
    text = fs.readFileSync(path.resolve(workingDirectory, file), 'utf8');
  } catch (error) {
    return problem(`could not be read: ${errorMessage(error)}`);
  }
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    return problem(`is not valid YAML: ${errorMessage(error)}`);
  }
  if (Array.isArray(document)) {
    return { definitions: document, problems: [] };
  }
  if (isPlainObject(document) && Array.isArray(document.initiatives)) {
    return { definitions: document.initiatives, problems: [] };
  }
  if (isPlainObject(document) && document.id !== undefined) {
    return { definitions: [document], problems: [] };
  }
  return problem(
    "holds no initiatives; expected an initiative, a list of initiatives, or an object with an 'initiatives' list",
  );
}

/**
 * Loads the initiatives of app-config, once, at start-up: those of
 * `readiness.initiatives` and of the YAML files of `readiness.initiativeFiles`
 * (relative to the working directory; each an initiative, a list, or
 * `{ initiatives: [...] }`). Each is validated against the checks, levels
 * and phases in force. Every problem (each naming the initiative, the field
 * and the file), and ids used twice, are reported at once in an
 * {@link InitiativeDefinitionError}.
 */
export function loadInitiatives(
  options: LoadInitiativesOptions,
): InitiativeDefinition[] {
  const { config } = options;
  const workingDirectory = options.workingDirectory ?? process.cwd();
  const validation = initiativeValidationOptions(
    options.definition,
    options.phases,
  );
  const sources: Array<{ where: string; definitions: unknown[] }> = [];
  const problems: string[] = [];

  const configured = config.getOptional<unknown>('readiness.initiatives');
  if (configured !== undefined) {
    if (Array.isArray(configured)) {
      sources.push({
        where: ' (in readiness.initiatives)',
        definitions: configured,
      });
    } else {
      problems.push('readiness.initiatives is not a list of initiatives');
    }
  }
  const files = config.getOptional<unknown>('readiness.initiativeFiles');
  if (files !== undefined) {
    if (
      !Array.isArray(files) ||
      !files.every(file => typeof file === 'string')
    ) {
      problems.push('readiness.initiativeFiles is not a list of file paths');
    } else {
      for (const file of files as string[]) {
        const read = readInitiativeFile(file, workingDirectory);
        problems.push(...read.problems);
        sources.push({
          where: ` (in readiness initiative file '${file}')`,
          definitions: read.definitions,
        });
      }
    }
  }

  const byId = new Map<string, { where: string }>();
  const initiatives: InitiativeDefinition[] = [];
  for (const source of sources) {
    for (const raw of source.definitions) {
      const result = validateInitiativeDefinition(raw, validation);
      if (!result.ok) {
        problems.push(...result.errors.map(error => `${error}${source.where}`));
        continue;
      }
      const first = byId.get(result.value.id);
      if (first) {
        problems.push(
          `initiative '${
            result.value.id
          }': id is already used by another initiative${
            first.where === source.where ? ' of the same source' : first.where
          }${source.where}`,
        );
        continue;
      }
      byId.set(result.value.id, { where: source.where });
      initiatives.push(result.value);
    }
  }
  if (problems.length > 0) {
    throw new InitiativeDefinitionError(problems);
  }
  return initiatives;
}
