/** What every command receives: io, the exit code it sets, and the sources built from the environment. */
import type { Command } from 'commander';
import { isSecretError, type SecretError } from '../core/errors.js';
import { EXIT } from './exit-codes.js';
import type { CliIo } from './io.js';

/** Shared state of one CLI run. */
export interface CliContext {
  io: CliIo;
  /** Set by a command; the run exits with it. */
  exitCode: number;
}

/** A command module: adds itself to the program. */
export interface CliCommand {
  register(program: Command, ctx: CliContext): void;
}

/** Exit code for an error thrown by a command. */
export function exitCodeFor(err: unknown): number {
  if (!isSecretError(err)) return EXIT.SOURCE_FAILED;
  const e = err as SecretError;
  switch (e.code) {
    case 'ERR_USAGE':
    case 'ERR_REF_INVALID':
      return EXIT.USAGE;
    case 'ERR_SOURCE_ACCESS_DENIED':
    case 'ERR_SOURCE_UNAVAILABLE':
    case 'ERR_SOURCE_TIMEOUT':
    case 'ERR_SOURCE_MISCONFIGURED':
    case 'ERR_PROVIDER_DEPENDENCY_MISSING':
      return EXIT.SOURCE_FAILED;
    default:
      return EXIT.FINDINGS;
  }
}

/** One line describing an error: code and message, never a value (messages never carry one). */
export function formatError(err: unknown): string {
  if (isSecretError(err)) {
    const hint = err.hint ? `\n  hint: ${err.hint}` : '';
    return `error ${err.code}: ${err.message}${hint}\n`;
  }
  const name = err instanceof Error ? err.name : typeof err;
  return `error: unexpected ${name}\n`;
}
