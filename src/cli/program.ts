/** Builds the commander program, runs one command line and turns every outcome into an exit code. */
import { Command, CommanderError } from 'commander';
import { maskValueLike } from '../core/redact.js';
import { packageVersion } from '../internal/package-root.js';
import { commands } from './commands/index.js';
import { type CliContext, exitCodeFor, formatError } from './context.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Creates the program with every command registered, writing only through `ctx.io`. */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command('secretsource')
    .description('Get secrets out of cloud secret managers safely.')
    .version(packageVersion(), '-V, --version')
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      // Usage errors echo the argument they refuse: one that looks like a value is hidden.
      writeOut: (s) => ctx.io.stdout(maskValueLike(s)),
      writeErr: (s) => ctx.io.stderr(maskValueLike(s)),
    });
  for (const command of commands) command.register(program, ctx);
  return program;
}

/**
 * Runs the CLI with `argv` (without node and script) and resolves to the exit code.
 * @example process.exitCode = await runCli(process.argv.slice(2), processIo());
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const ctx: CliContext = { io, exitCode: EXIT.OK };
  const program = buildProgram(ctx);
  try {
    await program.parseAsync(legacySpellings(argv), { from: 'user' });
    return ctx.exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // help and version end with exitCode 0; every other commander error is a usage error.
      return err.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    io.stderr(formatError(err));
    return exitCodeFor(err);
  }
}

/**
 * Accepts `--env-file` as another spelling of `--dotenv`, up to a `--` (what follows belongs to
 * `run`'s command). The documented flag is `--dotenv` because Node 20 itself reads `--env-file`
 * anywhere on its command line, even after the script name, and exits 9 before any of our code runs
 * when the file is missing (docs/cli.md#node-20-and---env-file).
 */
function legacySpellings(argv: readonly string[]): string[] {
  const end = argv.indexOf('--');
  return argv.map((arg, i) => {
    if (end !== -1 && i >= end) return arg;
    if (arg === '--env-file') return '--dotenv';
    return arg.startsWith('--env-file=') ? `--dotenv=${arg.slice('--env-file='.length)}` : arg;
  });
}
