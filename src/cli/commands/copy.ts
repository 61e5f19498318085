/** `secretsource copy FROM TO`: a masked plan by default; `--apply` writes, verifies and reports. */
import { resolve } from 'node:path';
import { Option } from 'commander';
import { copySecrets } from '../../copy/index.js';
import { parseLocation } from '../../copy/location.js';
import type { CopyItem, CopyReport } from '../../copy/types.js';
import { SecretError } from '../../core/errors.js';
import type { SecretSource } from '../../core/source.js';
import { own } from '../../internal/own.js';
import { auditLog } from '../../resolver/audit.js';
import { ENVIRONMENTS } from '../../strength/environment.js';
import type { Environment } from '../../strength/types.js';
import type { CliCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { type CliFinding, findingsOf, formatFinding } from '../findings.js';
import type { CliIo } from '../io.js';
import { PATH_FACTORIES, SOURCE_FACTORIES } from '../sources.js';

interface CopyFlags {
  apply: boolean;
  onConflict: 'skip' | 'overwrite' | 'fail';
  allowWeak: boolean;
  concurrency: string;
  environment: Environment;
  format: 'text' | 'json';
  only?: string[];
  expand: boolean;
  literal: boolean;
  auditLog?: string;
}

/** The `copy` command. */
export const copyCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('copy')
      .description(
        'Copy secrets between stores. Prints a masked plan and writes nothing unless --apply is given.',
      )
      .argument('<from>', 'source and prefix, e.g. dotenv:.env, aws-sm:myapp/prod/, memory:')
      .argument('<to>', 'target and prefix, e.g. aws-ssm:/myapp/prod/, azure-kv:, vault:myapp/prod/')
      .option('--apply', 'execute the plan', false)
      .addOption(
        new Option('--on-conflict <policy>', 'when the target holds a different value')
          .choices(['skip', 'overwrite', 'fail'])
          .default('fail'),
      )
      .option('--allow-weak', 'copy values the strength policy refuses (still listed)', false)
      .addOption(
        new Option(
          '--expand',
          "write values with variable references as dotenv-expand expands them (the file's own values)",
        )
          .default(false)
          .conflicts('literal'),
      )
      .option('--literal', 'write values with variable references as written', false)
      .option('--concurrency <n>', 'most store calls in flight', '8')
      .addOption(
        new Option('--environment <name>', 'environment the strength policy checks for')
          .choices(ENVIRONMENTS)
          .default('production'),
      )
      .option('--audit-log <file>', 'append a JSON line per write to this file (never a value)')
      .option('--only <name...>', 'copy only these names (relative to the FROM prefix)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .action(async (fromText: string, toText: string, flags: CopyFlags) => {
        const concurrency = Number(flags.concurrency);
        if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
          throw new SecretError('ERR_USAGE', '--concurrency must be a whole number from 1 to 256');
        }
        const from = await locate(fromText, ctx.io);
        const to = await locate(toText, ctx.io);
        const bar =
          flags.apply && flags.format === 'text' && ctx.io.isTTY ? await progressBar(ctx.io) : undefined;
        const audit = flags.auditLog ? auditLog({ path: resolve(ctx.io.cwd, flags.auditLog) }) : undefined;
        let report: CopyReport;
        try {
          report = await copySecrets({
            from: from.source,
            fromPrefix: from.prefix,
            to: to.source,
            toPrefix: to.prefix,
            names: flags.only,
            apply: flags.apply,
            onConflict: flags.onConflict,
            allowWeak: flags.allowWeak,
            references: flags.expand ? 'expand' : flags.literal ? 'literal' : 'hold',
            policy: { environment: flags.environment },
            concurrency,
            onProgress: bar ? (p) => bar.update(p.done, p.total) : undefined,
            onEvent: audit,
            context: { command: 'copy' },
          });
        } finally {
          bar?.stop();
          await Promise.allSettled([from.source.close?.(), to.source.close?.(), audit?.close()]);
        }
        // Show the locations as typed (`dotenv:.env`), not as rebuilt from the source.
        report.from = fromText;
        report.to = toText;
        // Strength findings as `check` reports them: the same words in text, the same fields in JSON.
        ctx.io.stdout(
          flags.format === 'json'
            ? `${JSON.stringify({ ...report, findings: reportFindings(report) }, null, 2)}\n`
            : formatReport(report),
        );
        ctx.exitCode = report.ok ? EXIT.OK : EXIT.FINDINGS;
      });
  },
};

/** Builds the source a location names: a path for dotenv/file, a name prefix for every other store. */
async function locate(text: string, io: CliIo): Promise<{ source: SecretSource; prefix: string }> {
  const loc = parseLocation(text);
  const byPath = own(PATH_FACTORIES, loc.source);
  if (byPath && loc.prefix !== '') return { source: await byPath(io, loc.prefix), prefix: '' };
  const factory = own(SOURCE_FACTORIES, loc.source);
  if (!factory) {
    throw new SecretError(
      'ERR_USAGE',
      `unknown source "${loc.source}"; known: ${Object.keys(SOURCE_FACTORIES).join(', ')}`,
    );
  }
  return { source: await factory(io, {}), prefix: loc.prefix };
}

/** One line per item (name, target, fingerprint, why), then the counts. Never a value. */
export function formatReport(report: CopyReport): string {
  const head =
    report.mode === 'plan'
      ? `copy plan ${report.from} -> ${report.to} (nothing written; add --apply to execute)\n`
      : `copy ${report.from} -> ${report.to}\n`;
  const lines = report.items.map(
    (i) =>
      `  ${line(i, report.mode)}\n${findingsOf(i.name, i.issues ?? [])
        .map((f) => `      ${formatFinding(f)}`)
        .join('')}`,
  );
  const c = report.counts;
  const tail =
    `${c.create} create, ${c.update} update, ${c.unchanged} unchanged, ${c.skip} skip, ` +
    `${c.conflict} conflict, ${c.refused} refused, ${c.reference} reference` +
    (report.mode === 'apply' ? `; ${report.writes} written, ${report.failed} failed` : '');
  return `${head}${lines.join('')}${tail}\n`;
}

/** Every item's strength findings, named by the item's source name. */
export function reportFindings(report: CopyReport): CliFinding[] {
  return report.items.flatMap((i) => findingsOf(i.name, i.issues ?? [], i.profile));
}

function line(i: CopyItem, mode: CopyReport['mode']): string {
  const status = mode === 'apply' && i.status !== 'done' ? ` [${i.status}]` : '';
  const arrow = i.target === i.name ? i.name : `${i.name} -> ${i.target}`;
  const why = i.code ? `  ${i.code}: ${i.reason ?? ''}` : i.reason ? `  ${i.reason}` : '';
  const warn =
    !i.code && i.issues?.length ? `  (weak, allowed: ${i.issues.map((x) => x.code).join(', ')})` : '';
  const expanded = i.expanded ? '  (expanded)' : '';
  return `${i.action.padEnd(9)} ${arrow}  ${i.fingerprint ?? ''}${expanded}${status}${why}${warn}`.trimEnd();
}

/** A progress bar on stderr, drawn by cli-progress when it is installed; none otherwise. */
async function progressBar(
  io: CliIo,
): Promise<{ update(done: number, total: number): void; stop(): void } | undefined> {
  let mod: typeof import('cli-progress');
  try {
    mod = await import('cli-progress');
  } catch {
    return undefined;
  }
  const stream = {
    write: (s: string) => {
      io.stderr(s);
      return true;
    },
    isTTY: true,
    columns: 80,
  };
  const bar = new mod.SingleBar(
    {
      stream: stream as unknown as NodeJS.WritableStream,
      format: 'copy [{bar}] {value}/{total}',
      hideCursor: true,
    },
    mod.Presets.shades_classic,
  );
  let started = false;
  return {
    update(done, total) {
      if (!started) {
        bar.start(total, 0);
        started = true;
      }
      bar.update(done);
    },
    stop: () => started && bar.stop(),
  };
}
