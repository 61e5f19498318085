/**
 * `resolver.load(spec)`: a whole config resolved concurrently at boot, typed, frozen, with every
 * failing key reported in one `ERR_CONFIG_INVALID`. Schemas are any Standard Schema (zod carries
 * `~standard`), so the core never imports zod.
 */
import { ConfigError, type Issue, isSecretError, type SecretError } from '../core/errors.js';
import type { Secret } from '../core/secret.js';
import type { StrengthProfile } from '../strength/types.js';

/** The Standard Schema v1 interface (standardschema.dev), the part `load()` uses. */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | {
      readonly issues: ReadonlyArray<{
        readonly message: string;
        readonly path?: ReadonlyArray<unknown> | undefined;
      }>;
    };

type Out<S> = S extends StandardSchemaV1<unknown, infer O> ? O : never;

/** A secret: resolved to a `Secret`, strength-checked with `profile`. Secrets have no default. */
export interface SecretSpec {
  ref: string;
  /** Strength profile; `'none'` skips the check. Otherwise the policy's name rules decide. */
  profile?: StrengthProfile | 'none' | undefined;
  /** Resolve to undefined instead of failing when no source has it. @default false */
  optional?: boolean | undefined;
}

/** A plain value: revealed and parsed by its schema (e.g. `z.coerce.number()`). */
export interface ValueSpec<S extends StandardSchemaV1 = StandardSchemaV1> {
  ref: string;
  schema: S;
  /** Used when no source has the value (never for a failing source). */
  default?: Out<S> | undefined;
  optional?: boolean | undefined;
}

/** What `load()` takes: config keys to specs. */
export type LoadSpec = Readonly<Record<string, SecretSpec | ValueSpec>>;

/** What `load()` returns for a spec: secrets as `Secret`, values as their schema's output. */
export type LoadedConfig<S extends LoadSpec> = {
  readonly [K in keyof S]: S[K] extends { schema: infer Sch }
    ? S[K] extends { default: NonNullable<unknown> }
      ? Out<Sch>
      : S[K] extends { optional: true }
        ? Out<Sch> | undefined
        : Out<Sch>
    : S[K] extends { optional: true }
      ? Secret | undefined
      : Secret;
};

/** The resolver methods `load` needs. */
interface LoadHost {
  getOptional(
    ref: string,
    options: {
      profile?: StrengthProfile | 'none' | undefined;
      signal?: AbortSignal | undefined;
      context?: Readonly<Record<string, unknown>> | undefined;
    },
  ): Promise<Secret | undefined>;
  getManySettled(
    refs: readonly string[],
    options: { signal?: AbortSignal | undefined },
  ): Promise<ReadonlyArray<{ ok: true } | { ok: false; error: SecretError }>>;
}

/** Failures that say nothing about the value or the profile: asking the store again at once would only double the wait. */
const STORE_FAILURES = new Set([
  'ERR_SOURCE_UNAVAILABLE',
  'ERR_SOURCE_TIMEOUT',
  'ERR_SOURCE_ACCESS_DENIED',
  'ERR_SOURCE_MISCONFIGURED',
]);

/** Resolves every key of `spec`; see {@link LoadSpec}. */
export async function loadConfig<S extends LoadSpec>(
  host: LoadHost,
  spec: S,
  options: { signal?: AbortSignal | undefined; context?: Readonly<Record<string, unknown>> | undefined } = {},
): Promise<LoadedConfig<S>> {
  const issues: Issue[] = [];
  for (const [key, item] of Object.entries(spec)) {
    if (typeof item?.ref !== 'string')
      issues.push({ code: 'ERR_CONFIG_INVALID', message: 'the spec has no "ref"', path: [key] });
    else if (!('schema' in item) && 'default' in item) {
      issues.push({
        code: 'ERR_CONFIG_INVALID',
        message: 'a secret may not have a default: give it a schema or make it optional',
        path: [key],
      });
    }
  }
  if (issues.length)
    throw new ConfigError(
      `the load() spec is invalid: ${issues.map((i) => `${i.path?.[0]}: ${i.message}`).join('; ')}`,
      issues,
    );

  // One batched prefetch fills the cache; the per-key reads below are then cache hits.
  const prefetched = await host.getManySettled(
    Object.values(spec).map((s) => s.ref),
    { signal: options.signal },
  );
  const out: Record<string, unknown> = {};
  await Promise.all(
    Object.entries(spec).map(async ([key, item], index) => {
      const isValue = 'schema' in item;
      const early = prefetched[index];
      // A store failure in the prefetch is the answer: a cold boot against a down store waits one timeout, not two.
      if (early && !early.ok && STORE_FAILURES.has(early.error.code)) {
        issues.push({ code: early.error.code, message: early.error.message, path: [key] });
        return;
      }
      try {
        const secret = await host.getOptional(item.ref, {
          profile: isValue ? 'none' : (item as SecretSpec).profile,
          signal: options.signal,
          context: options.context,
        });
        if (secret === undefined) {
          if (isValue && 'default' in item && item.default !== undefined) out[key] = item.default;
          else if (item.optional) out[key] = undefined;
          else
            issues.push({
              code: 'ERR_SECRET_NOT_FOUND',
              message: `no source has "${item.ref}"`,
              path: [key],
            });
          return;
        }
        if (!isValue) {
          out[key] = secret;
          return;
        }
        const raw = secret.reveal();
        const result = await (item as ValueSpec).schema['~standard'].validate(raw);
        if (result.issues) {
          for (const i of result.issues) {
            // Schema messages may quote the input; this value came from a store, so mask it.
            issues.push({ code: 'ERR_CONFIG_INVALID', message: mask(i.message, raw), path: [key] });
          }
        } else out[key] = result.value;
      } catch (err) {
        if (!isSecretError(err)) throw err;
        const nested = (err as SecretError & { issues?: readonly Issue[] }).issues;
        if (err.code === 'ERR_SECRET_WEAK' && nested) {
          for (const i of nested) issues.push({ ...i, path: [key] });
        } else issues.push({ code: err.code, message: err.message, path: [key] });
      }
    }),
  );
  if (issues.length) {
    const keys = [...new Set(issues.map((i) => String(i.path?.[0])))];
    throw new ConfigError(
      `configuration failed for ${keys.length} key${keys.length === 1 ? '' : 's'}:\n${issues.map((i) => `  ${i.path?.[0]}: ${i.code} ${i.message}`).join('\n')}`,
      issues,
    );
  }
  return Object.freeze(out) as LoadedConfig<S>;
}

function mask(message: string, raw: string): string {
  return raw.length >= 3 ? message.split(raw).join('[value]') : message;
}
