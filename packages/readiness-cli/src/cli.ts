import fs from 'fs';
import path from 'path';
import { parseArgs } from 'util';
import { BUILT_IN_CHECKS } from '@prodready/plugin-readiness-engine';
import { fetchPortalChecks, runGate, UsageError } from './gate';
import { Format, FORMATS, formatReport } from './report';

/** Where the CLI writes; the process's streams by default. */
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
}

/** Exit codes: the gate passed, failed, or the command was wrong. */
export const EXIT = { passed: 0, failed: 1, usage: 2 } as const;

export const USAGE = `Usage: readiness check [dir] [options]

Scores the service of a repository with the readiness engine's built-in
checks (its catalog file, the plans it references, its deployment files on
disk) and gates on the result.

Options:
  --catalog-file <file>  the catalog file, relative to dir (default catalog-info.yaml)
  --entity <name>        the entity to score, when the file holds several
  --entities <file>      more entities it references, such as shared SLA and DR plans (repeatable)
  --min-level <level>    fail below this level (bronze, silver, gold)
  --require <check>      fail unless this check passes (repeatable, or comma-separated)
  --format <format>      table (default), json or sarif
  --output <file>        write the report to a file instead of standard output
  --backend <url>        evaluate the checks in force in this portal instead of the built-in ones
  --token <token>        a Backstage token for --backend (default: READINESS_TOKEN)
  --now <date>           evaluate as of this ISO date (default now)
  --list-checks          list the checks and exit
  -h, --help             this help

Exit codes: 0 the gate passed, 1 it failed, 2 the command or its input is wrong.
`;

function listChecks(): string {
  return `${BUILT_IN_CHECKS.map(
    c =>
      `${c.id.padEnd(34)} ${c.level.padEnd(7)} ${c.area.padEnd(18)} ${c.title}`,
  ).join('\n')}\n`;
}

/** Runs the CLI with the arguments after the program name; returns the exit code. */
export async function runCli(
  argv: string[],
  io: CliIo = {
    stdout: text => process.stdout.write(text),
    stderr: text => process.stderr.write(text),
  },
): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      strict: true,
      options: {
        'catalog-file': { type: 'string' },
        entity: { type: 'string' },
        entities: { type: 'string', multiple: true },
        'min-level': { type: 'string' },
        require: { type: 'string', multiple: true },
        format: { type: 'string' },
        output: { type: 'string' },
        now: { type: 'string' },
        backend: { type: 'string' },
        token: { type: 'string' },
        'list-checks': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    io.stderr(`readiness: ${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(USAGE);
    return EXIT.passed;
  }
  if (values['list-checks']) {
    io.stdout(listChecks());
    return EXIT.passed;
  }
  const [command, dir = '.', ...extra] = positionals;
  if (command !== 'check' || extra.length > 0) {
    io.stderr(
      `readiness: ${
        command === undefined
          ? 'a command is needed'
          : `unknown arguments '${[command, ...extra]
              .filter(a => a !== 'check')
              .join(' ')}'`
      }\n\n${USAGE}`,
    );
    return EXIT.usage;
  }
  const format = (values.format ?? 'table') as Format;
  if (!FORMATS.includes(format)) {
    io.stderr(
      `readiness: --format '${
        values.format
      }' is not a format; expected one of ${FORMATS.join(', ')}\n`,
    );
    return EXIT.usage;
  }
  let now: Date | undefined;
  if (values.now !== undefined) {
    now = new Date(values.now);
    if (Number.isNaN(now.getTime())) {
      io.stderr(
        `readiness: --now '${values.now}' is not a date; expected an ISO date such as 2026-11-26\n`,
      );
      return EXIT.usage;
    }
  }
  try {
    const portal = values.backend
      ? await fetchPortalChecks(
          values.backend,
          values.token ?? process.env.READINESS_TOKEN,
        )
      : undefined;
    const outcome = await runGate({
      ...(portal
        ? { checks: portal.checks, levels: portal.levels, notes: portal.notes }
        : {}),
      dir,
      ...(values['catalog-file']
        ? { catalogFile: values['catalog-file'] }
        : {}),
      ...(values.entity ? { entity: values.entity } : {}),
      entityFiles: values.entities ?? [],
      ...(values['min-level'] ? { minLevel: values['min-level'] } : {}),
      requiredChecks: (values.require ?? [])
        .flatMap(v => v.split(','))
        .map(v => v.trim())
        .filter(Boolean),
      ...(now ? { now } : {}),
    });
    const report = formatReport(outcome, format);
    if (values.output) {
      fs.writeFileSync(path.resolve(values.output), report);
      io.stderr(
        `readiness: ${outcome.entityRef} is ${
          outcome.scorecard.level ?? 'below every level'
        }; the ${format} report is in ${values.output}\n`,
      );
    } else {
      io.stdout(report);
    }
    if (outcome.failures.length > 0) {
      if (format !== 'table' || values.output) {
        io.stderr(
          `readiness: the gate failed:\n${outcome.failures
            .map(f => `  - ${f}`)
            .join('\n')}\n`,
        );
      }
      return EXIT.failed;
    }
    return EXIT.passed;
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`readiness: ${error.message}\n`);
      return EXIT.usage;
    }
    io.stderr(
      `readiness: ${error instanceof Error ? error.stack : String(error)}\n`,
    );
    return EXIT.usage;
  }
}
