/**
 * Production Readiness for Backstage on the command line: `readiness check`
 * scores the service of a repository with the readiness engine library and
 * gates a pipeline on its level or on named checks.
 *
 * @packageDocumentation
 */
import { runCli } from './cli';

export { runCli, EXIT, USAGE } from './cli';
export type { CliIo } from './cli';
export { runGate, UsageError } from './gate';
export type { GateOptions, GateOutcome } from './gate';
export {
  formatJson,
  formatReport,
  formatSarif,
  formatTable,
  FORMATS,
} from './report';
export type { Format } from './report';

/** Runs the CLI on the process's arguments and exits with its code. */
export async function main(): Promise<void> {
  process.exitCode = await runCli(process.argv.slice(2));
}
