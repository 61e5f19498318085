/** `secretsource get REF`: resolve one secret; prints metadata unless --reveal. */
import { Option } from 'commander';
import { parseRef } from '../../core/ref.js';
import { createResolver } from '../../resolver/resolver.js';
import type { CliCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { buildSources, defaultOrder } from '../sources.js';

/** The `get` command. */
export const getCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('get')
      .description(
        'Resolve one secret. Prints its name, source and fingerprint; the value only with --reveal.',
      )
      .argument('<ref>', 'a reference: source:name[#field][?version=v], or a bare name')
      .option('--env-file <path...>', '.env files to read (repeatable)')
      .option('--environment <name>', 'environment for .env layers and the strength policy')
      .option('--reveal', 'print the value itself', false)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .action(
        async (
          refText: string,
          flags: { envFile?: string[]; environment?: string; reveal: boolean; format: 'text' | 'json' },
        ) => {
          const ref = parseRef(refText);
          const ids = defaultOrder(ctx.io, flags);
          if (ref.source !== undefined && !ids.includes(ref.source)) ids.push(ref.source);
          const resolver = createResolver({ sources: await buildSources(ids, ctx.io, flags), cache: false });
          try {
            const secret = await resolver.get(ref);
            if (flags.reveal) {
              ctx.io.stdout(
                flags.format === 'json'
                  ? `${JSON.stringify({ ref: refText, value: secret.reveal() })}\n`
                  : `${secret.reveal()}\n`,
              );
            } else if (flags.format === 'json') {
              ctx.io.stdout(
                `${JSON.stringify({ ref: refText, fingerprint: secret.fingerprint(), bytes: secret.byteLength })}\n`,
              );
            } else {
              ctx.io.stdout(
                `${refText}  ${secret.fingerprint()}  ${secret.byteLength} bytes  (use --reveal to print the value)\n`,
              );
            }
            ctx.exitCode = EXIT.OK;
          } finally {
            await resolver.close();
          }
        },
      );
  },
};
