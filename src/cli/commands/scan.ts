/**
 * `secretsource scan [paths...]`: finds insecure fallbacks, hard-coded secrets, committed .env
 * secrets and unrendered tokens, judges each with the strength engine, and with `--values` looks
 * for the app's real secrets in the tree and in git history. Prints locations, names, verdicts and
 * codes, never a value. Exit 0 nothing found, 1 findings, 2 usage error, 3 a source failed.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { isSecretError, SecretError } from '../../core/errors.js';
import type { Secret } from '../../core/secret.js';
import { parseDotenv } from '../../dotenv/parse.js';
import { packageVersion } from '../../internal/package-root.js';
import { createResolver } from '../../resolver/resolver.js';
import type { Baseline, ScanReport, ScanValue } from '../../scan/index.js';
import { ENVIRONMENTS } from '../../strength/environment.js';
import type { Environment } from '../../strength/types.js';
import type { CliCommand, CliContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { buildSources, defaultOrder } from '../sources.js';

interface ScanFlags {
  format: 'text' | 'json' | 'sarif';
  baseline?: string;
  writeBaseline?: string;
  values?: string[];
  dotenv?: string[];
  history: boolean;
  gitignore: boolean;
  maxFileSize?: string;
  environment: Environment;
  workers: string;
}

const KEY_VAR = 'SECRETSOURCE_FINGERPRINT_KEY';

/** The `scan` command. */
export const scanCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('scan')
      .description(
        'Scan a source tree for insecure fallbacks, hard-coded secrets, committed .env secrets and unrendered tokens; with --values, for real secrets in the tree and git history. Never prints a value. Exit 0 nothing found, 1 findings, 2 usage error, 3 a source failed.',
      )
      .argument('[paths...]', 'files or directories to scan (default: the current directory)')
      .addOption(
        new Option('--format <format>', 'output format').choices(['text', 'json', 'sarif']).default('text'),
      )
      .option('--baseline <file>', 'do not report the findings recorded in this baseline file')
      .option('--write-baseline <file>', 'record every current finding in this baseline file and exit 0')
      .option('--values <refs...>', 'real secrets to look for: refs, or .env files whose values are refs')
      // --dotenv, as get, check and run: the program reads --env-file as its other spelling.
      .option('--dotenv <path...>', '.env files the refs given to --values may read (repeatable)')
      .option('--no-history', 'with --values, do not search git history')
      .option('--no-gitignore', 'also scan files .gitignore excludes')
      .option('--max-file-size <bytes>', 'skip files larger than this (default 1048576)')
      .addOption(
        new Option('--environment <name>', 'environment the values are judged for')
          .choices(ENVIRONMENTS)
          .default('production'),
      )
      .option('--workers <n>', "worker threads: a number or 'auto'", 'auto')
      .action(async (paths: string[], flags: ScanFlags) => {
        const scan = await import('../../scan/index.js');
        const envKey = ctx.io.env[KEY_VAR] || undefined;
        const maxFileBytes =
          flags.maxFileSize === undefined ? undefined : positiveInt(flags.maxFileSize, '--max-file-size');
        const workers = flags.workers === 'auto' ? 'auto' : positiveInt(flags.workers, '--workers', true);
        const baseline = flags.baseline
          ? scan.parseBaseline(readText(ctx, flags.baseline), flags.baseline)
          : undefined;
        const fingerprintKey = chooseKey(ctx, flags, baseline, envKey, scan);
        const values = flags.values?.length ? await resolveValues(ctx, flags) : undefined;
        const report = await scan.scanTree({
          root: ctx.io.cwd,
          paths,
          gitignore: flags.gitignore,
          maxFileBytes,
          environment: flags.environment,
          fingerprintKey: fingerprintKey.key,
          baseline,
          values,
          valueFingerprintKey: envKey,
          history: flags.history,
          workers,
        });
        for (const n of report.notes)
          ctx.io.stderr(`note: ${n.file ? `${n.file}${n.line ? `:${n.line}` : ''}: ` : ''}${n.message}\n`);
        if (flags.writeBaseline) {
          const b = scan.createBaseline(report.all, fingerprintKey.record);
          writeFileSync(resolve(ctx.io.cwd, flags.writeBaseline), `${JSON.stringify(b, null, 2)}\n`);
          ctx.io.stdout(
            `wrote ${b.findings.length} accepted finding${b.findings.length === 1 ? '' : 's'} to ${flags.writeBaseline}\n`,
          );
          ctx.exitCode = EXIT.OK;
          return;
        }
        if (flags.format === 'sarif') {
          ctx.io.stdout(`${JSON.stringify(scan.toSarif(report, { version: packageVersion() }), null, 2)}\n`);
        } else if (flags.format === 'json') {
          const { all: _all, ...rest } = report;
          ctx.io.stdout(`${JSON.stringify({ ok: report.findings.length === 0, ...rest }, null, 2)}\n`);
        } else {
          ctx.io.stdout(textReport(report));
        }
        ctx.exitCode = report.findings.length === 0 ? EXIT.OK : EXIT.FINDINGS;
      });
  },
};

/**
 * The fingerprint key: a new baseline keeps the key of the file it replaces (so its fingerprints
 * stay the same), or takes a fresh one; `SECRETSOURCE_FINGERPRINT_KEY` wins when set. Without a
 * baseline, the variable or none (fingerprints then hold no value).
 */
function chooseKey(
  ctx: CliContext,
  flags: ScanFlags,
  baseline: Baseline | undefined,
  envKey: string | undefined,
  scan: typeof import('../../scan/index.js'),
): { key: string | Uint8Array | null; record: string } {
  if (flags.writeBaseline) {
    if (envKey) return { key: envKey, record: scan.ENV_KEY };
    const old = resolve(ctx.io.cwd, flags.writeBaseline);
    const record = existsSync(old)
      ? scan.parseBaseline(readText(ctx, flags.writeBaseline), flags.writeBaseline).key
      : scan.newBaselineKey();
    return { key: record === scan.ENV_KEY ? null : Buffer.from(record, 'base64'), record };
  }
  if (baseline) {
    const key = scan.baselineKey(baseline);
    if (key) return { key, record: baseline.key };
    if (!envKey) {
      throw new SecretError(
        'ERR_USAGE',
        `${flags.baseline} was written with ${KEY_VAR} set; set it to the same key`,
      );
    }
    return { key: envKey, record: baseline.key };
  }
  return { key: envKey ?? null, record: '' };
}

function positiveInt(text: string, flag: string, zero = false): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < (zero ? 0 : 1)) {
    throw new SecretError('ERR_USAGE', `${flag} expects a ${zero ? 'non-negative' : 'positive'} integer`);
  }
  return n;
}

function readText(ctx: CliContext, path: string): string {
  try {
    return readFileSync(resolve(ctx.io.cwd, path), 'utf8');
  } catch {
    throw new SecretError('ERR_USAGE', `${path} cannot be read`, { hint: 'check the path' });
  }
}

/** The text report: one line per finding, then a summary. */
function textReport(report: ScanReport): string {
  const lines = report.findings.map((f) => {
    const where = `${f.file}:${f.line}:${f.column}${f.commit ? `@${f.commit.slice(0, 12)}` : ''}`;
    return `${where}  ${f.kind}  ${f.name}  ${f.message}\n`;
  });
  const byKind = new Map<string, number>();
  for (const f of report.findings) byKind.set(f.kind, (byKind.get(f.kind) ?? 0) + 1);
  const kinds = [...byKind].map(([k, n]) => `${n} ${k}`).join(', ');
  const n = report.findings.length;
  const suppressed = report.suppressed.baseline + report.suppressed.inline;
  const s = report.stats;
  lines.push(
    `${n} finding${n === 1 ? '' : 's'}${kinds ? ` (${kinds})` : ''} in ${s.files} file${s.files === 1 ? '' : 's'}` +
      (suppressed
        ? `; ${report.suppressed.baseline} in the baseline, ${report.suppressed.inline} ignored with a reason`
        : '') +
      (s.skipped.fixtures ? `; ${s.skipped.fixtures} test or example files not judged` : '') +
      (s.commits ? `; ${s.commits} commits searched` : '') +
      '\n',
  );
  return lines.join('');
}

/** Resolves `--values`: refs, or .env files whose values are refs (NAME=aws-sm:prod/app#jwt). */
async function resolveValues(ctx: CliContext, flags: ScanFlags): Promise<ScanValue[]> {
  const wanted: Array<{ name: string; ref: string }> = [];
  for (const arg of flags.values ?? []) {
    const path = resolve(ctx.io.cwd, arg);
    if (existsSync(path) && statSync(path).isFile()) {
      const parsed = parseDotenv(readFileSync(path, 'utf8'), arg);
      if (parsed.issues.length) throw new SecretError('ERR_USAGE', `${arg}: ${parsed.issues[0]!.message}`);
      for (const [name, ref] of Object.entries(parsed.values))
        if (ref.trim()) wanted.push({ name, ref: ref.trim() });
    } else {
      wanted.push({ name: arg, ref: arg });
    }
  }
  const sourceFlags = { envFile: flags.dotenv, environment: flags.environment };
  const ids = defaultOrder(ctx.io, sourceFlags);
  for (const { ref } of wanted) {
    const source = /^([a-z][\w-]*):/.exec(ref)?.[1];
    if (source && !ids.includes(source)) ids.push(source);
  }
  const resolver = createResolver({
    sources: await buildSources(ids, ctx.io, sourceFlags),
    cache: false,
    // The scan judges what it finds; the resolver must not refuse a weak real secret before it is searched for.
    policy: { check: false },
  });
  try {
    const out: ScanValue[] = [];
    for (const { name, ref } of wanted) {
      let secret: Secret;
      try {
        secret = await resolver.get(ref);
      } catch (err) {
        if (
          isSecretError(err) &&
          (err.code === 'ERR_SECRET_NOT_FOUND' || err.code === 'ERR_SECRET_VERSION_NOT_FOUND')
        ) {
          throw new SecretError('ERR_USAGE', `--values: ${name} (${ref}) was not found`, {
            hint: 'check the ref',
          });
        }
        throw err;
      }
      out.push({ name, secret });
    }
    return out;
  } finally {
    await resolver.close();
  }
}
