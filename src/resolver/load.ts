/**
 * `resolver.load(spec)`: a whole config resolved concurrently at boot, typed, frozen, with every
 * failing key reported in one `ERR_CONFIG_INVALID`. Schemas are any Standard Schema (zod carries
 * `~standard`), so the core never imports zod.
 */
import { ConfigError, type Issue, isSecretError, type SecretError } from '../core/errors.js';
import { looksLikeValue, mentionsValue } from '../core/redact.js';
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
  /** Strength profile; `'none'` skips the check. Otherwise the names decide: the config key, then the ref's field and store name. */
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
export interface LoadHost {
  get(ref: string, options: LoadReadOptions): Promise<Secret>;
  getOptional(ref: string, options: LoadReadOptions): Promise<Secret | undefined>;
  /**
   * Fills the cache with one batched call per batching source; returns, by index, the refs whose
   * answer is already known to be a store failure (asking again at once would double the wait).
   */
  warm(
    refs: readonly string[],
    options: { signal?: AbortSignal | undefined },
  ): Promise<Map<number, SecretError>>;
}

interface LoadReadOptions {
  profile?: StrengthProfile | 'none' | undefined;
  /** The config key: it picks the strength profile before the ref's field and store name. */
  key?: string | undefined;
  signal?: AbortSignal | undefined;
  context?: Readonly<Record<string, unknown>> | undefined;
}

/**
 * Resolves every key of `spec`; see {@link LoadSpec}. Every failing key is one or more issues of
 * one `ERR_CONFIG_INVALID`, which is `retryable` when every issue is, and carries the keys' hints.
 */
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
    } else if ('schema' in item && typeof item.schema?.['~standard']?.validate !== 'function') {
      issues.push({
        code: 'ERR_CONFIG_INVALID',
        message: 'the schema is not a Standard Schema',
        path: [key],
      });
    }
  }
  if (issues.length)
    throw new ConfigError(
      `the load() spec is invalid: ${issues.map((i) => `${i.path?.[0]}: ${i.message}`).join('; ')}`,
      issues,
    );

  const entries = Object.entries(spec);
  const known = await host.warm(
    entries.map(([, s]) => s.ref),
    { signal: options.signal },
  );
  const out: Record<string, unknown> = {};
  await Promise.all(
    entries.map(async ([key, item], index) => {
      const isValue = 'schema' in item;
      const early = known.get(index);
      if (early) {
        issues.push(issueOf(early, key));
        return;
      }
      const read: LoadReadOptions = {
        profile: isValue ? 'none' : (item as SecretSpec).profile,
        key,
        signal: options.signal,
        context: options.context,
      };
      // A key with a fallback is read quietly: a missing PORT with a default is not an error event.
      const required = !item.optional && !(isValue && 'default' in item && item.default !== undefined);
      try {
        const secret = required ? await host.get(item.ref, read) : await host.getOptional(item.ref, read);
        if (secret === undefined) {
          out[key] = isValue && 'default' in item ? item.default : undefined;
          return;
        }
        if (!isValue) {
          out[key] = secret;
          return;
        }
        const parsed = await parseValue((item as ValueSpec).schema, secret.reveal(), key);
        if (parsed.ok) out[key] = parsed.value;
        else issues.push(...parsed.issues);
      } catch (err) {
        if (!isSecretError(err)) throw err;
        const nested = (err as SecretError & { issues?: readonly Issue[] }).issues;
        if (err.code === 'ERR_SECRET_WEAK' && nested) {
          for (const i of nested) issues.push({ ...i, path: [key], ...(err.hint ? { hint: err.hint } : {}) });
        } else issues.push(issueOf(err, key));
      }
    }),
  );
  if (issues.length) throw configError(issues);
  return Object.freeze(out) as LoadedConfig<S>;
}

/** One issue for a failed key: the error's code and message, with its hint, source and retryability. */
export function issueOf(err: SecretError, key: string): Issue {
  const issue: Issue = { code: err.code, message: err.message, path: [key], retryable: err.retryable };
  if (err.source !== undefined) issue.source = err.source;
  if (err.hint !== undefined) issue.hint = err.hint;
  return issue;
}

/**
 * One `ERR_CONFIG_INVALID` for many failed keys: the message lists each with its hint, `retryable`
 * is true only when every issue is (a boot loop may then wait and try again), and `hint` joins
 * the distinct hints.
 */
export function configError(issues: readonly Issue[], what?: string): ConfigError {
  const keys = [...new Set(issues.map((i) => String(i.path?.[0])))];
  const head = what ?? `configuration failed for ${keys.length} key${keys.length === 1 ? '' : 's'}:`;
  const lines = issues.map(
    (i) =>
      `  ${i.path?.map(String).join('.')}: ${i.code} ${i.message}${typeof i.hint === 'string' ? `\n    hint: ${i.hint}` : ''}`,
  );
  const hints = [...new Set(issues.map((i) => i.hint).filter((h): h is string => typeof h === 'string'))];
  return new ConfigError(`${head}\n${lines.join('\n')}`, issues, {
    retryable: issues.length > 0 && issues.every((i) => i.retryable === true),
    ...(hints.length ? { hint: hints.join('; ') } : {}),
  });
}

/**
 * Runs a schema on a value from a store. Whatever the schema throws or returns, the outcome is
 * data: its issue codes, and its messages only when they provably hold no form of the value. A
 * foreign error (Node's `TypeError` from `new URL()` keeps the whole input; V8's `JSON.parse`
 * message quotes its start) never leaves here.
 */
async function parseValue(
  schema: StandardSchemaV1,
  raw: string,
  key: string,
): Promise<{ ok: true; value: unknown } | { ok: false; issues: Issue[] }> {
  let result: unknown;
  try {
    result = await schema['~standard'].validate(raw);
    if (typeof result !== 'object' || result === null) throw new TypeError('no result');
    const issues = (result as { issues?: unknown }).issues;
    if (issues === undefined || issues === null)
      return { ok: true, value: (result as { value: unknown }).value };
    if (!Array.isArray(issues) || issues.length === 0) throw new TypeError('issues is not a list');
    return { ok: false, issues: issues.map((i: unknown) => schemaIssue(i, raw, key)) };
  } catch (thrown) {
    const name = safeWord(thrown instanceof Error ? thrown.name : typeof thrown, raw) ?? 'a value';
    const code = safeWord((thrown as { code?: unknown } | null)?.code, raw);
    const message = thrown instanceof Error ? safeText(thrown.message, raw) : undefined;
    return {
      ok: false,
      issues: [
        {
          code: 'ERR_CONFIG_INVALID',
          message: `the schema threw ${name}${code ? ` (${code})` : ''} on the value${message ? `: ${message}` : `; ${WITHHELD}`}`,
          path: [key],
          schemaCode: 'thrown',
        },
      ],
    };
  }
}

const WITHHELD = 'its message is withheld because it may quote the value';

/** A schema's issue as ours: its code and path (when safe), its message only when it cannot quote the value. */
function schemaIssue(raw: unknown, value: string, key: string): Issue {
  const i = (typeof raw === 'object' && raw !== null ? raw : {}) as {
    code?: unknown;
    message?: unknown;
    path?: unknown;
  };
  const code = safeWord(i.code, value);
  const path: Array<string | number> = [key];
  if (Array.isArray(i.path)) {
    for (const seg of i.path) {
      const k = typeof seg === 'object' && seg !== null && 'key' in seg ? (seg as { key: unknown }).key : seg;
      // Path segments are field names (as in a ref's `#field`), shown unless they look like a value.
      const name = typeof k === 'string' && /^[A-Za-z0-9_.$-]{1,64}$/.test(k) && !looksLikeValue(k);
      path.push(typeof k === 'number' ? k : name ? (k as string) : '?');
    }
  }
  const message = safeText(i.message, value);
  const what = `the value does not fit the schema${code ? ` (${code})` : ''}`;
  return {
    code: 'ERR_CONFIG_INVALID',
    message: message ? `${what}: ${message}` : `${what}; ${WITHHELD}`,
    path,
    ...(code ? { schemaCode: code } : {}),
  };
}

/** `text` when it is a short string holding no form of `value`, else undefined. */
function safeText(text: unknown, value: string): string | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > 500) return undefined;
  return mentionsValue(text, value) || looksLikeValue(text) ? undefined : text.replace(/\s+/g, ' ');
}

/** `word` when it is an identifier-like string (an error name, an issue code) holding no form of `value`. */
function safeWord(word: unknown, value: string): string | undefined {
  return typeof word === 'string' && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(word)
    ? safeText(word, value)
    : undefined;
}
