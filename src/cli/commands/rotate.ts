/** `secretsource rotate REF`: a new key written as a new version; prints names and versions, never the key. */
import { resolve } from 'node:path';
import { Option } from 'commander';
import { SecretError } from '../../core/errors.js';
import { parseRef } from '../../core/ref.js';
import { KEY_ENCODINGS, type KeyEncoding, MAX_KEY_BYTES, MIN_KEY_BYTES } from '../../keys/keygen.js';
import { type RotateResult, rotateSecret } from '../../keys/rotate.js';
import { auditLog } from '../../resolver/audit.js';
import { createResolver } from '../../resolver/resolver.js';
import type { CliCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { buildSources } from '../sources.js';

interface RotateFlags {
  bytes: string;
  encoding: KeyEncoding;
  format: 'text' | 'json';
  auditLog?: string;
  whole?: boolean;
  create?: boolean;
  revokePrevious?: boolean;
  ifOlderThan?: string;
}

const UNIT_MS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/**
 * `90d`, `12h`, `30m`, `45s`, `500ms`, `2w` in milliseconds. Hand-written: six units do not justify
 * a dependency, and a bare number is refused (minutes or days would be a guess).
 */
export function parseDuration(text: string): number {
  const m = /^(\d{1,9})(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!m) {
    throw new SecretError(
      'ERR_USAGE',
      '--if-older-than takes a number and a unit: 90d, 12h, 30m, 45s, 500ms or 2w',
    );
  }
  return Number(m[1]) * UNIT_MS[m[2]!]!;
}

/** The `rotate` command. */
export const rotateCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('rotate')
      .description(
        'Write a new random key as a new version of REF (stores with versions only; the old version stays for verifying).',
      )
      .argument('<ref>', 'source:name[#field], e.g. aws-sm:prod/app#jwt')
      .option('--bytes <n>', `random bytes, ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`, '64')
      .addOption(
        new Option('--encoding <encoding>', 'key encoding').choices(KEY_ENCODINGS).default('base64url'),
      )
      .option('--whole', 'replace the whole value even when it holds a JSON object (without #field)')
      .option('--create', 'create the secret (or the #field) when it does not exist')
      .option(
        '--revoke-previous',
        'emergency: also mark every previous version revoked in the store, so live key rings drop it at their next read',
      )
      .option(
        '--if-older-than <age>',
        'rotate only when the current version is older than this (90d, 12h, 30m); exit 0 either way',
      )
      .option('--audit-log <file>', 'append a JSON line for the rotation to this file (never a value)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .action(async (refText: string, flags: RotateFlags) => {
        if (!/^\d{1,12}$/.test(flags.bytes.trim())) {
          throw new SecretError('ERR_USAGE', '--bytes must be a whole number of bytes');
        }
        const ifOlderThanMs = flags.ifOlderThan === undefined ? undefined : parseDuration(flags.ifOlderThan);
        const ref = parseRef(refText);
        if (ref.source === undefined || ref.version !== undefined) {
          throw new SecretError('ERR_USAGE', 'rotate needs source:name[#field] without ?version=');
        }
        const audit = flags.auditLog ? auditLog({ path: resolve(ctx.io.cwd, flags.auditLog) }) : undefined;
        const resolver = createResolver({
          sources: await buildSources([ref.source], ctx.io, {}),
          cache: false,
        });
        try {
          const result = await rotateSecret(resolver, ref, {
            bytes: Number(flags.bytes.trim()),
            encoding: flags.encoding,
            whole: flags.whole === true,
            create: flags.create === true,
            revokePrevious: flags.revokePrevious === true,
            ...(ifOlderThanMs === undefined ? {} : { ifOlderThanMs }),
            onEvent: audit,
            context: { command: 'rotate' },
          });
          ctx.io.stdout(
            flags.format === 'json'
              ? `${JSON.stringify(result)}\n`
              : `${summary(result, flags.revokePrevious === true)}\n`,
          );
          for (const w of result.warnings) ctx.io.stderr(`warning: ${w}\n`);
          ctx.exitCode = EXIT.OK;
        } finally {
          await resolver.close();
          await audit?.close();
        }
      });
  },
};

/** One line: what was written, and what became of the previous version (claimed kept only when read back). */
function summary(r: RotateResult, revoking: boolean): string {
  const age = r.ageMs === undefined ? '' : ` (was ${days(r.ageMs)} old)`;
  if (!r.rotated) {
    return `not rotated ${r.ref}: version ${r.version ?? '(unknown)'} is ${days(r.ageMs ?? 0)} old, younger than asked (kid ${r.kid})`;
  }
  const head = `${r.created ? 'created' : 'rotated'} ${r.ref}${age}: version ${r.version ?? '(unknown)'} (kid ${r.kid})`;
  if (revoking)
    return `${head}, revoked ${r.revoked.join(', ') || 'none (no older version was still valid)'}`;
  if (r.previousVersion === undefined) return head;
  if (r.previousKept === true) return `${head}, previous ${r.previousVersion} kept`;
  return `${head}, previous ${r.previousVersion} ${r.previousKept === false ? 'not kept' : 'not checked'}`;
}

/** An age for people: days, or hours and minutes under a day. */
function days(ms: number): string {
  if (ms >= 86_400_000) return `${Math.floor(ms / 86_400_000)} days`;
  if (ms >= 3_600_000) return `${Math.floor(ms / 3_600_000)} hours`;
  return `${Math.floor(ms / 60_000)} minutes`;
}
