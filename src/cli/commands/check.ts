/**
 * `secretsource check`: the pre-deploy gate. Checks secrets from the environment, `--dotenv`
 * files or `source:name` refs against the strength rules, optionally the deploy configuration
 * rules (`--deploy`) and values shared with another env file (`--compare`). Prints one line per
 * finding with name, code and reason, never a value. Exit 0 all good, 1 findings, 2 usage error,
 * 3 a source failed.
 */
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { Option } from 'commander';
import { isSecretError, SecretError, SourceError } from '../../core/errors.js';
import { maskValueLike } from '../../core/redact.js';
import { parseRef } from '../../core/ref.js';
import { Secret } from '../../core/secret.js';
import { MAX_SIZE, parseDotenv } from '../../dotenv/parse.js';
import { own } from '../../internal/own.js';
import { readBoundedFile } from '../../internal/read-file.js';
import { createResolver } from '../../resolver/resolver.js';
import type { SharedWith } from '../../strength/context.js';
import { checkDeployConfig, ENVIRONMENTS, evaluate, PROFILE_NAMES } from '../../strength/index.js';
import { type PolicyNames, profileForName } from '../../strength/names.js';
import type { Environment, StrengthProfile } from '../../strength/types.js';
import type { CliCommand } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { type CliFinding, findingsOf, formatFinding } from '../findings.js';
import { buildSources, defaultOrder } from '../sources.js';

interface CheckFlags {
  dotenv?: string[];
  environment?: Environment;
  profile?: StrengthProfile;
  strict: boolean;
  format: 'text' | 'json';
  compare?: string;
  deploy: boolean;
}

type Finding = CliFinding;

/** A value to check and where it came from. */
interface Checked {
  /** What the user named: a variable name or the ref as typed. */
  name: string;
  /** The names the strength policy picks the profile from. */
  names: PolicyNames;
  origin: string;
  secret: Secret;
  /** The store's `rotation-due` warning: its date for the value is past the rotation period. */
  rotationDue?: string | undefined;
}

/**
 * True for a variable name that holds a secret: the policy's name rule implies a profile for it
 * (config such as PORT, or public settings such as JWT_PUBLIC_KEY, are not judged).
 */
export function looksSecret(name: string): boolean {
  const p = profileForName(name);
  return p !== undefined && p !== 'none';
}

/** The `check` command. */
export const checkCommand: CliCommand = {
  register(program, ctx) {
    program
      .command('check')
      .description(
        'Check secrets before deploy: strength rules on names or refs (default: every secret-looking variable of the --dotenv files, or of the environment without them). Exit 0 all good, 1 findings, 2 usage error, 3 a source failed.',
      )
      .argument('[refs...]', 'names or refs (source:name[#field]) to check')
      .option('--dotenv <path...>', '.env files to read (repeatable; later files win)')
      .addOption(
        new Option(
          '--environment <name>',
          'environment to judge for (default production: this is the deploy gate)',
        ).choices(ENVIRONMENTS),
      )
      .addOption(
        new Option(
          '--profile <profile>',
          'strength profile for every value (default: from the variable name, JSON field or store name; names that imply none are not judged)',
        ).choices(PROFILE_NAMES),
      )
      .option('--strict', 'warnings fail too', false)
      .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
      .option('--compare <file>', 'report secrets whose values also appear in this env file')
      .option(
        '--deploy',
        'also check the deploy configuration (NODE_ENV, debug, CORS, database URLs, admin passwords)',
        false,
      )
      .action(async (refs: string[], flags: CheckFlags) => {
        const environment: Environment = flags.environment ?? 'production';
        const strict = flags.strict;
        const findings: Finding[] = [];

        // Values: environment, then env files in order (later wins).
        const fileValues: Record<string, string> = Object.create(null);
        for (const path of flags.dotenv ?? []) {
          const parsed = await readEnvFile(ctx.io.cwd, path);
          for (const issue of parsed.issues) {
            findings.push({
              name: path,
              code: issue.code,
              severity: issue.severity === 'warning' ? 'warning' : 'error',
              message: issue.message,
            });
          }
          Object.assign(fileValues, parsed.values);
        }
        const lookup = (name: string): { value: string; origin: string } | undefined => {
          if (Object.hasOwn(fileValues, name)) return { value: fileValues[name]!, origin: 'env-file' };
          const v = own(ctx.io.env, name);
          return v === undefined ? undefined : { value: v, origin: 'env' };
        };

        const checked: Checked[] = [];
        if (refs.length === 0) {
          // With env files, their variables; without, the process environment's.
          const names = new Set(flags.dotenv?.length ? Object.keys(fileValues) : Object.keys(ctx.io.env));
          for (const name of [...names].sort()) {
            if (!looksSecret(name)) continue;
            const found = lookup(name);
            if (found)
              checked.push({
                name,
                names: { key: name },
                origin: found.origin,
                secret: new Secret(found.value, { name }),
              });
          }
        } else {
          for (const text of refs) {
            const ref = parseRef(text);
            // Plain names (and env:/dotenv: names) are read here; fields and other sources go through a resolver.
            const plain =
              ref.field === undefined &&
              (ref.source === undefined || ref.source === 'env' || ref.source === 'dotenv');
            if (plain) {
              const found = ref.source === 'env' ? envOnly(ctx.io.env, ref.name) : lookup(ref.name);
              if (found) {
                checked.push({
                  name: ref.name,
                  names: { key: ref.name },
                  origin: found.origin,
                  secret: new Secret(found.value, { name: ref.name }),
                });
                continue;
              }
            }
            // NAME_FILE=/path stands for an unset NAME (Docker, Kubernetes): the env source reads it.
            const nameFile = plain && ref.source !== 'dotenv' && ctx.io.env[`${ref.name}_FILE`] !== undefined;
            if (!plain || nameFile) {
              const ids = ref.source === undefined ? defaultOrder(ctx.io, flags) : [ref.source];
              const fetched = await fetchRef(text, ids, ctx, flags);
              if (fetched) {
                checked.push(fetched);
                continue;
              }
            }
            findings.push({
              // A value passed where a name belongs is not echoed.
              name: maskValueLike(text),
              code: 'ERR_SECRET_NOT_FOUND',
              severity: 'error',
              message: 'not set',
            });
          }
        }

        // Values also set in the --compare file, by fingerprints keyed with a per-run random key
        // (the fingerprints printed cannot be matched against anything else).
        const shared = new Map<Checked, SharedWith[]>();
        if (flags.compare !== undefined) {
          const other = await readEnvFile(ctx.io.cwd, flags.compare);
          const key = randomBytes(32);
          const theirs = new Map<string, string[]>();
          for (const [name, value] of Object.entries(other.values)) {
            if (!looksSecret(name) || value.trim().length === 0) continue;
            const fp = new Secret(value).fingerprint(key);
            theirs.set(fp, [...(theirs.get(fp) ?? []), name]);
          }
          for (const c of checked) {
            if (c.secret.byteLength === 0) continue;
            const fp = c.secret.fingerprint(key);
            const names = theirs.get(fp) ?? [];
            if (names.length > 0) {
              shared.set(
                c,
                names.map((name) => ({ environment: flags.compare!, fingerprint: fp, name })),
              );
            }
          }
        }

        // The one policy every door applies (src/strength/engine.ts), with the resolver's default:
        // a name that implies no profile (PORT, DATABASE_URL) is not judged unless --profile says how.
        const profiles = new Map<Checked, string>();
        for (const c of checked) {
          const verdict = evaluate(c.secret, {
            names: c.names,
            environment,
            strict,
            profile: flags.profile,
            defaultProfile: 'none',
            sharedWith: shared.get(c),
          });
          profiles.set(c, verdict.profile);
          if (verdict.profile === 'none') {
            ctx.io.stderr(`${c.name}: not judged (its name implies no strength profile; use --profile)\n`);
          }
          findings.push(...findingsOf(c.name, verdict.issues, verdict.profile));
          // The store's own date for the value is past the rotation period.
          if (c.rotationDue !== undefined) {
            findings.push({
              name: c.name,
              code: 'ROTATION_DUE',
              severity: 'warning',
              message: c.rotationDue,
            });
          }
        }

        if (flags.deploy) {
          const env: Record<string, string | undefined> = { ...ctx.io.env, ...fileValues };
          for (const issue of checkDeployConfig(env, { environment, strict }).issues) {
            findings.push({ ...issue, name: typeof issue.name === 'string' ? issue.name : '(config)' });
          }
        }

        const errors = findings.filter((f) => f.severity === 'error').length;
        const warnings = findings.length - errors;
        const ok = errors === 0 && !(strict && warnings > 0);
        if (flags.format === 'json') {
          ctx.io.stdout(
            `${JSON.stringify({ ok, environment, strict, checked: checked.map((c) => ({ name: c.name, origin: c.origin, profile: profiles.get(c) })), findings }, null, 2)}\n`,
          );
        } else {
          for (const f of findings) ctx.io.stdout(formatFinding(f));
          ctx.io.stdout(
            `${checked.length} secret${checked.length === 1 ? '' : 's'} checked for ${environment}: ${errors} error${errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}\n`,
          );
        }
        ctx.exitCode = ok ? EXIT.OK : EXIT.FINDINGS;
      });
  },
};

function envOnly(
  env: Readonly<Record<string, string | undefined>>,
  name: string,
): { value: string; origin: string } | undefined {
  const v = own(env, name);
  return v === undefined ? undefined : { value: v, origin: 'env' };
}

/** Reads and parses an env file relative to cwd: missing is a usage error (2), unreadable a source failure (3). */
async function readEnvFile(cwd: string, path: string): Promise<ReturnType<typeof parseDotenv>> {
  let text: Uint8Array;
  try {
    // Bytes: parseDotenv refuses what is not UTF-8 rather than reading U+FFFD.
    // Read at most one byte past the parser's limit: /dev/zero costs 64 MB, not all memory.
    text = await readBoundedFile(resolve(cwd, path), { maxBytes: MAX_SIZE, truncate: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR' || code === 'EISDIR') {
      throw new SecretError('ERR_USAGE', `env file ${path} not found`, {
        hint: 'check the --dotenv / --compare path',
      });
    }
    throw new SourceError('ERR_SOURCE_UNAVAILABLE', `cannot read env file ${path} (${code ?? 'error'})`, {
      source: 'dotenv',
      cause: err,
    });
  }
  return parseDotenv(text, path);
}

/**
 * Fetches a ref through a resolver over `ids` with the resolver's own check off (this command judges).
 * Undefined when the secret is absent; source failures throw (exit 3).
 */
async function fetchRef(
  text: string,
  ids: readonly string[],
  ctx: Parameters<CliCommand['register']>[1],
  flags: CheckFlags,
): Promise<Checked | undefined> {
  let rotationDue: string | undefined;
  const resolver = createResolver({
    sources: await buildSources(ids, ctx.io, { envFile: flags.dotenv, environment: flags.environment }),
    cache: false,
    policy: { check: false },
    // The age comes from the store's own date for the value (every store that keeps one).
    onEvent: (e) => {
      if (e.type === 'rotation-due') rotationDue = e.message;
    },
  });
  try {
    const secret = await resolver.get(text);
    const ref = parseRef(text);
    return {
      name: text,
      names: { field: ref.field, store: ref.name },
      origin: ids.join(','),
      secret,
      rotationDue,
    };
  } catch (err) {
    if (
      isSecretError(err) &&
      (err.code === 'ERR_SECRET_NOT_FOUND' || err.code === 'ERR_SECRET_VERSION_NOT_FOUND')
    ) {
      return undefined;
    }
    throw err;
  } finally {
    await resolver.close();
  }
}
