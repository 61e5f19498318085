/**
 * `secretsource get REF`: resolve one secret; prints metadata unless --reveal. The strength policy
 * applies as in the resolver: a value that fails it for the environment is not printed (exit 1,
 * its findings on stderr); warnings are printed on stderr and the value still resolves.
 */
import { Option } from 'commander';
import { parseRef } from '../../core/ref.js';
import { createResolver } from '../../resolver/resolver.js';
import { defaultEnvironment, ENVIRONMENTS } from '../../strength/environment.js';
import type { Environment } from '../../strength/types.js';
import type { CliCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { findingsOf, findingsOfError, formatFinding } from '../findings.js';
import { buildSources, defaultOrder } from '../sources.js';

interface GetFlags {
  dotenv?: string[];
  environment?: Environment;
  reveal: boolean;
  format: 'text' | 'json';
}

/** The `get` command. */
export const getCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('get')
      .description(
        'Resolve one secret. Prints its name, source and fingerprint; the value only with --reveal. A value the strength policy refuses for the environment is not printed (exit 1).',
      )
      .argument('<ref>', 'a reference: source:name[#field][?version=v], or a bare name')
      .option('--dotenv <path...>', '.env files to read (repeatable)')
      .addOption(
        new Option(
          '--environment <name>',
          'environment for .env layers and the strength policy (default: from NODE_ENV)',
        ).choices(ENVIRONMENTS),
      )
      .option('--reveal', 'print the value itself', false)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .action(async (refText: string, flags: GetFlags) => {
        const ref = parseRef(refText);
        const sourceFlags = { envFile: flags.dotenv, environment: flags.environment };
        const ids = defaultOrder(ctx.io, sourceFlags);
        if (ref.source !== undefined && !ids.includes(ref.source)) ids.push(ref.source);
        const environment = flags.environment ?? defaultEnvironment(ctx.io.env);
        const resolver = createResolver({
          sources: await buildSources(ids, ctx.io, sourceFlags),
          cache: false,
          policy: { environment },
          onEvent: (e) => {
            if (e.type === 'weak' && e.outcome === 'warning') {
              for (const f of findingsOf(refText, e.issues ?? [])) ctx.io.stderr(formatFinding(f));
            }
          },
        });
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
        } catch (err) {
          // The findings in the words `check` uses, then the error line.
          for (const f of findingsOfError(refText, err)) ctx.io.stderr(formatFinding(f));
          throw err;
        } finally {
          await resolver.close();
        }
      });
  },
};
