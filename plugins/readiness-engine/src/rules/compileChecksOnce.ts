import type {
  CheckDefinition,
  LevelDefinition,
} from '@prodready/plugin-readiness-common';
import type { CheckOperator } from '../types';
import { compileChecks, CompiledCheck } from './compileCheck';

const NONE: ReadonlyArray<never> = [];
const cache = new WeakMap<
  ReadonlyArray<CheckDefinition>,
  WeakMap<
    ReadonlyArray<CheckOperator>,
    WeakMap<ReadonlyArray<LevelDefinition>, CompiledCheck[]>
  >
>();

/**
 * Compiles a list of checks once: the same list (with the same operators and
 * levels, compared by identity) returns the same compiled checks, so tools
 * that score entity after entity (remediation, `scoreEntity`) compile the
 * built-in checks once per process.
 */
export function compileChecksOnce(
  definitions: ReadonlyArray<CheckDefinition>,
  options: {
    operators?: ReadonlyArray<CheckOperator>;
    levels?: ReadonlyArray<LevelDefinition>;
  } = {},
): CompiledCheck[] {
  const operators = options.operators ?? NONE;
  const levels = options.levels ?? NONE;
  let byOperators = cache.get(definitions);
  if (!byOperators) {
    byOperators = new WeakMap();
    cache.set(definitions, byOperators);
  }
  let byLevels = byOperators.get(operators);
  if (!byLevels) {
    byLevels = new WeakMap();
    byOperators.set(operators, byLevels);
  }
  let compiled = byLevels.get(levels);
  if (!compiled) {
    compiled = compileChecks(definitions, {
      ...(options.operators ? { operators } : {}),
      ...(options.levels ? { levels } : {}),
    });
    byLevels.set(levels, compiled);
  }
  return compiled;
}
