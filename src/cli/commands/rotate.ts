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
      .option('--audit-log <file>', 'append a JSON line for the rotation to this file (never a value)')
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .action(async (refText: string, flags: RotateFlags) => {
        if (!/^\d{1,12}$/.test(flags.bytes.trim())) {
          throw new SecretError('ERR_USAGE', '--bytes must be a whole number of bytes');
        }
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
            onEvent: audit,
            context: { command: 'rotate' },
          });
          ctx.io.stdout(flags.format === 'json' ? `${JSON.stringify(result)}\n` : `${summary(result)}\n`);
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
function summary(r: RotateResult): string {
  const head = `${r.created ? 'created' : 'rotated'} ${r.ref}: version ${r.version ?? '(unknown)'} (kid ${r.kid})`;
  if (r.previousVersion === undefined) return head;
  if (r.previousKept === true) return `${head}, previous ${r.previousVersion} kept`;
  return `${head}, previous ${r.previousVersion} ${r.previousKept === false ? 'not kept' : 'not checked'}`;
}
