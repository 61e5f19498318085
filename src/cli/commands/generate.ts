/**
 * `secretsource generate`: a new CSPRNG key, printed in the chosen format or appended to a .env file
 * (created with mode 0600, only when the name is absent, never printing the key).
 */
import { constants } from 'node:fs';
import { open, readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { SecretError, SourceError } from '../../core/errors.js';
import { formatDotenvLine, parseDotenv } from '../../dotenv/parse.js';
import {
  generateKey,
  KEY_ENCODINGS,
  type KeyEncoding,
  MAX_KEY_BYTES,
  MIN_KEY_BYTES,
} from '../../keys/keygen.js';
import type { CliCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';

interface GenerateFlags {
  bytes: string;
  encoding: KeyEncoding;
  format: 'raw' | 'env' | 'export' | 'json';
  name?: string;
  quiet: boolean;
  write?: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;

/** The `generate` command. */
export const generateCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('generate')
      .description(
        `Generate a random key (${MIN_KEY_BYTES} to ${MAX_KEY_BYTES} bytes from the OS CSPRNG). With --write, append NAME=key to a .env file instead of printing it.`,
      )
      .option('--bytes <n>', `random bytes, ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`, '64')
      .addOption(
        new Option('--encoding <encoding>', 'key encoding').choices(KEY_ENCODINGS).default('base64url'),
      )
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['raw', 'env', 'export', 'json'])
          .default('raw'),
      )
      .option('--name <name>', 'variable name for env, export, json and --write')
      .option('--quiet', 'print only the key, no summary on stderr', false)
      .option(
        '--write <file>',
        'append NAME=key to this .env file (mode 0600) if NAME is absent; prints no key',
      )
      .action(async (flags: GenerateFlags) => {
        if (!/^\d{1,12}$/.test(flags.bytes.trim())) {
          throw new SecretError('ERR_USAGE', '--bytes must be a whole number of bytes', {
            hint: `use --bytes ${MIN_KEY_BYTES} to ${MAX_KEY_BYTES}`,
          });
        }
        const bytes = Number(flags.bytes.trim());
        if (flags.name !== undefined && !NAME.test(flags.name)) {
          throw new SecretError(
            'ERR_USAGE',
            '--name must be a variable name: letters, digits and _, not starting with a digit',
          );
        }
        const needsName = flags.write !== undefined || flags.format === 'env' || flags.format === 'export';
        if (needsName && flags.name === undefined) {
          throw new SecretError(
            'ERR_USAGE',
            `${flags.write !== undefined ? '--write' : `--format ${flags.format}`} needs --name`,
            {
              hint: 'e.g. --name JWT_SECRET_KEY',
            },
          );
        }
        const key = generateKey({ bytes, encoding: flags.encoding });
        const summary = `generated ${bytes} random bytes (${bytes * 8} bits), ${flags.encoding}`;

        if (flags.write !== undefined) {
          const file = resolve(ctx.io.cwd, flags.write);
          await appendIfAbsent(file, flags.name!, key);
          // Never print the key when writing it: the file is its only copy.
          if (!flags.quiet) ctx.io.stderr(`${summary}; wrote ${flags.name} to ${flags.write}\n`);
          ctx.exitCode = EXIT.OK;
          return;
        }
        switch (flags.format) {
          case 'raw':
            ctx.io.stdout(`${key}\n`);
            break;
          case 'env':
            ctx.io.stdout(`${formatDotenvLine(flags.name!, key)}\n`);
            break;
          case 'export':
            ctx.io.stdout(`export ${formatDotenvLine(flags.name!, key)}\n`);
            break;
          case 'json':
            ctx.io.stdout(
              `${JSON.stringify({ ...(flags.name ? { name: flags.name } : {}), key, bytes, bits: bytes * 8, encoding: flags.encoding })}\n`,
            );
            break;
        }
        if (!flags.quiet) ctx.io.stderr(`${summary}\n`);
        ctx.exitCode = EXIT.OK;
      });
  },
};

/**
 * Appends `NAME=key` to `file` unless the file already defines NAME; creates the file with mode 0600.
 * Throws ERR_SECRET_CONFLICT when NAME is there, ERR_SOURCE_ACCESS_DENIED when the file cannot be written.
 */
async function appendIfAbsent(file: string, name: string, key: string): Promise<void> {
  let existing = '';
  try {
    existing = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code !== 'ENOENT') throw writeError(file, name, err);
  }
  if (existing && Object.hasOwn(parseDotenv(existing, file).values, name)) {
    throw new SecretError('ERR_SECRET_CONFLICT', `${file} already defines ${name}; it was left unchanged`, {
      secretName: name,
      hint: 'remove the line first to replace the key, or pick another --name',
    });
  }
  const line = `${existing.length > 0 && !existing.endsWith('\n') ? '\n' : ''}${formatDotenvLine(name, key)}\n`;
  let handle: Awaited<ReturnType<typeof open>> | undefined;
  try {
    // O_APPEND so a concurrent writer's lines are kept; 0600 applies when the file is created.
    handle = await open(file, constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT, 0o600);
    // An existing file keeps its mode on open: narrow it before the key is written into it.
    await handle.chmod(0o600);
    await handle.writeFile(line, 'utf8');
  } catch (err) {
    throw writeError(file, name, err);
  } finally {
    await handle?.close();
  }
}

function writeError(file: string, name: string, err: unknown): SecretError {
  const code = (err as { code?: string }).code ?? 'unknown';
  return new SourceError('ERR_SOURCE_ACCESS_DENIED', `cannot write ${name} to ${file} (${code})`, {
    source: 'dotenv',
    secretName: name,
    cause: err,
    hint: 'check the path exists and is writable',
  });
}
