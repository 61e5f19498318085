/**
 * `secretsource run -- CMD ARGS`: resolve every variable whose value is a ref, check them with the
 * strength policy, then start CMD with refs replaced (nothing else changed), forward signals and
 * exit with CMD's code. Nothing starts when any ref fails: every failure is listed first.
 */
import { spawn } from 'node:child_process';
import { constants } from 'node:os';
import { resolve as resolvePath } from 'node:path';
import { Option } from 'commander';
import { isSecretError } from '../../core/errors.js';
import { looksLikeSourcedRef, parseRef } from '../../core/ref.js';
import { auditLog } from '../../resolver/audit.js';
import { createResolver } from '../../resolver/resolver.js';
import { defaultEnvironment, ENVIRONMENTS } from '../../strength/environment.js';
import type { Environment } from '../../strength/types.js';
import { type CliCommand, exitCodeFor } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { findingsOf, findingsOfError, formatFinding } from '../findings.js';
import type { CliIo } from '../io.js';
import { buildSources, RUN_REF_SOURCES } from '../sources.js';

interface RunFlags {
  dotenv?: string[];
  environment?: Environment;
  auditLog?: string;
}

/** Signals passed on to the child: the ones a supervisor or a terminal sends to stop or reload. */
const FORWARDED: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** The `run` command. */
export const runCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('run')
      .description(
        'Start a command with every ref-valued variable resolved (refs replaced, nothing else changed).',
      )
      .usage('[options] -- <command> [args...]')
      .argument('<command>', 'the program to start')
      .argument('[args...]', 'its arguments')
      .option('--audit-log <file>', 'append a JSON line per resolve to this file (never a value)')
      .option('--dotenv <path...>', '.env files whose variables are added (the environment wins)')
      .addOption(
        new Option(
          '--environment <name>',
          'environment for the strength policy (default: from NODE_ENV)',
        ).choices(ENVIRONMENTS),
      )
      .action(async (command: string, args: string[], flags: RunFlags) => {
        const env = await mergedEnv(ctx.io, flags);
        const environment: Environment = flags.environment ?? defaultEnvironment(env);
        const ids = RUN_REF_SOURCES;
        const refs = Object.entries(env).filter(
          (e): e is [string, string] => e[1] !== undefined && looksLikeSourcedRef(e[1], ids),
        );
        const runIo: CliIo = { ...ctx.io, env };
        const needed = [...new Set(refs.map(([, v]) => parseRef(v).source!))];
        const audit = flags.auditLog
          ? auditLog({ path: resolvePath(ctx.io.cwd, flags.auditLog) })
          : undefined;
        const resolver = createResolver({
          sources: await buildSources(needed, runIo, { envFile: flags.dotenv, environment }),
          cache: false,
          policy: { environment },
          onEvent: (e) => {
            audit?.(e);
            if (e.type === 'weak' && e.outcome === 'warning') {
              const name = (e.context?.variable as string | undefined) ?? e.ref ?? '';
              for (const f of findingsOf(name, e.issues ?? [])) ctx.io.stderr(formatFinding(f));
            }
          },
        });
        const resolved = new Map<string, string>();
        const failures: Array<{ name: string; error: unknown }> = [];
        try {
          await Promise.all(
            refs.map(async ([name, ref]) => {
              try {
                // The variable's name picks the strength profile before the ref's field and store name.
                const secret = await resolver.get(ref, { key: name, context: { variable: name } });
                resolved.set(name, secret.reveal());
              } catch (error) {
                failures.push({ name, error });
              }
            }),
          );
        } finally {
          await resolver.close();
          await audit?.close();
        }
        if (failures.length > 0) {
          failures.sort((a, b) => a.name.localeCompare(b.name));
          ctx.io.stderr(`not starting ${command}: ${failures.length} of ${refs.length} secrets failed\n`);
          for (const f of failures) {
            ctx.io.stderr(`  ${f.name}: ${describe(f.error)}\n`);
            for (const finding of findingsOfError(f.name, f.error))
              ctx.io.stderr(`    ${formatFinding(finding)}`);
          }
          const codes = failures.map((f) => exitCodeFor(f.error));
          ctx.exitCode = codes.includes(EXIT.SOURCE_FAILED) ? EXIT.SOURCE_FAILED : EXIT.FINDINGS;
          return;
        }
        const childEnv: Record<string, string> = {};
        for (const [k, v] of Object.entries(env)) if (v !== undefined) childEnv[k] = resolved.get(k) ?? v;
        ctx.exitCode = await start(command, args, childEnv, ctx.io);
      });
  },
};

/** The environment plus variables from --dotenv files that the environment does not set. */
async function mergedEnv(io: CliIo, flags: RunFlags): Promise<Record<string, string | undefined>> {
  const env: Record<string, string | undefined> = { ...io.env };
  if (!flags.dotenv?.length) return env;
  const { dotenvSource } = await import('../../../providers/dotenv.js');
  const files = dotenvSource({ cwd: io.cwd, path: flags.dotenv });
  for await (const { name } of files.list!()) {
    if (env[name] !== undefined) continue;
    const record = await files.get(name);
    if (record) env[name] = record.value.reveal();
  }
  return env;
}

/** Code and message of a failure; messages never carry a value. */
function describe(err: unknown): string {
  if (isSecretError(err)) {
    const issues = 'issues' in err ? (err.issues as Array<{ code: string }>).map((i) => i.code) : [];
    return `${err.code} ${err.message}${issues.length && err.code !== 'ERR_SECRET_WEAK' ? ` (${issues.join(', ')})` : ''}`;
  }
  return `unexpected ${err instanceof Error ? err.name : typeof err}`;
}

/** Spawns the child, forwards signals, and resolves to its exit code (128 + n when a signal ended it). */
function start(command: string, args: string[], env: Record<string, string>, io: CliIo): Promise<number> {
  // The real process hands its terminal to the child; an injected io (tests, embedding) gets the output piped.
  const inherit = io.env === process.env;
  const child = spawn(command, args, {
    env,
    cwd: io.cwd,
    stdio: inherit ? 'inherit' : ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (b: Buffer) => io.stdout(b.toString('utf8')));
  child.stderr?.on('data', (b: Buffer) => io.stderr(b.toString('utf8')));
  const forward = (signal: NodeJS.Signals) => () => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  const handlers = FORWARDED.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    const done = (code: number) => {
      for (const [s, h] of handlers) process.off(s, h);
      resolve(code);
    };
    child.once('error', (err: NodeJS.ErrnoException) => {
      io.stderr(
        err.code === 'ENOENT'
          ? `error: command not found: ${command}\n`
          : `error: could not start ${command} (${err.code ?? err.name})\n`,
      );
      done(err.code === 'ENOENT' ? 127 : 126);
    });
    child.once('close', (code, signal) => {
      done(code ?? 128 + (signal ? (constants.signals[signal] ?? 0) : 0));
    });
  });
}
