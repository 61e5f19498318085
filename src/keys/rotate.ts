/** `rotateSecret()`: a new random key written as a new version; the previous version is never destroyed. */
import { isSecretError, OperationUnsupportedError, SecretError, WeakSecretError } from '../core/errors.js';
import { type EventListener, emitSafely } from '../core/events.js';
import { keyIdOf } from '../core/fingerprint.js';
import { formatRef, parseRef, type SecretRef } from '../core/ref.js';
import { Secret } from '../core/secret.js';
import { type SecretSource, type SetOptions, supports } from '../core/source.js';
import { evaluate } from '../strength/engine.js';
import type { KeyHost } from './host.js';
import { type GenerateKeyOptions, generateKey } from './keygen.js';

/** Options for {@link rotateSecret}: the key options of `generateKey`, plus events. */
export interface RotateOptions extends GenerateKeyOptions {
  /** Receives one `rotate` event (names, versions and the new key's fingerprint; never a value). */
  onEvent?: EventListener | undefined;
  /** Copied into the event. */
  context?: Readonly<Record<string, unknown>> | undefined;
  signal?: AbortSignal | undefined;
}

/** What a rotation did: names and versions only. */
export interface RotateResult {
  ref: string;
  source: string;
  name: string;
  field?: string | undefined;
  /** The version written, when the store reports one. */
  version: string | undefined;
  /** The version that was current before; still in the store. */
  previousVersion: string | undefined;
  /** The new key's key-ring `kid` (`k_…`, from the name and version). */
  kid: string;
}

/**
 * Generates a key and writes it as a new version of `ref` (for `#field`, the field of the JSON value
 * is replaced and the rest kept). Refuses stores without versions, where a write would destroy the
 * old key that tokens in flight still need. With a resolver, its cached value is refreshed.
 * @example
 * const { version, previousVersion } = await rotateSecret(resolver, 'aws-sm:prod/app#jwt');
 */
export async function rotateSecret(
  target: KeyHost | SecretSource,
  ref: string | SecretRef,
  options: RotateOptions = {},
): Promise<RotateResult> {
  const r = typeof ref === 'string' ? parseRef(ref) : ref;
  const resolver = 'sources' in target ? target : undefined;
  const source = resolver
    ? r.source === undefined
      ? undefined
      : resolver.sources.get(r.source)
    : (target as SecretSource);
  if (!source || (r.source !== undefined && source.id !== r.source)) {
    throw new SecretError('ERR_REF_INVALID', `rotation needs a ref naming a configured source: "${r.name}"`, {
      secretName: r.name,
      source: r.source,
    });
  }
  if (!supports(source, 'set')) throw new OperationUnsupportedError(source.id, 'writing (set)');
  if (!source.capabilities.versions) {
    throw new OperationUnsupportedError(source.id, 'versions, so rotating would destroy the current key', {
      secretName: r.name,
      hint: 'rotate in a store with versions (aws-sm, aws-ssm, azure-kv, vault KV v2)',
    });
  }
  const key = generateKey(options);
  // The key written passes the same policy every reader applies to this name (a 32-byte key is
  // refused for a name that implies HS512), judged as a store value: for production.
  const verdict = evaluate(key, { names: { field: r.field, store: r.name }, environment: 'production' });
  if (!verdict.ok) {
    throw new WeakSecretError(
      `the generated key for "${r.name}" fails the ${verdict.profile} policy: ${verdict.issues.map((i) => i.code).join(', ')}`,
      verdict.issues.map((i) => ({ ...i, path: [r.name] })),
      { source: source.id, secretName: r.name, hint: 'generate more bytes (--bytes 64)' },
    );
  }
  const started = Date.now();
  const before = await source.get(r.name, { signal: options.signal });
  const value = r.field === undefined ? key : withField(before?.value, r, source.id, key);
  const setOptions: SetOptions = { signal: options.signal };
  const base = {
    source: source.id,
    name: r.name,
    ref: formatRef(r),
    fingerprint: new Secret(key).fingerprint(),
  };
  let version: string | undefined;
  try {
    version = (await source.set(r.name, value, setOptions)).version;
  } catch (err) {
    emitSafely(options.onEvent, {
      type: 'rotate',
      time: new Date().toISOString(),
      ...base,
      outcome: 'error',
      durationMs: Date.now() - started,
      code: isSecretError(err) ? err.code : undefined,
      ...(options.context ? { context: options.context } : {}),
    });
    throw err;
  }
  emitSafely(options.onEvent, {
    type: 'rotate',
    time: new Date().toISOString(),
    ...base,
    version,
    outcome: 'ok',
    durationMs: Date.now() - started,
    ...(options.context ? { context: options.context } : {}),
  });
  // The resolver would otherwise serve the old key until its TTL ends.
  await resolver?.refresh(r).catch(() => {});
  return {
    ref: formatRef(r),
    source: source.id,
    name: r.name,
    ...(r.field === undefined ? {} : { field: r.field }),
    version,
    previousVersion: before?.version,
    // The kid key rings give this version (from the name and version id, never the key).
    kid: keyIdOf(Buffer.from(key), {
      name: r.field === undefined ? r.name : `${r.name}#${r.field}`,
      version,
    }),
  };
}

/** The JSON text of `current` with `field` set to `key`; an absent secret becomes `{ field: key }`. */
function withField(current: Secret | undefined, r: SecretRef, source: string, key: string): string {
  if (current === undefined) return JSON.stringify({ [r.field!]: key });
  let parsed: unknown;
  try {
    parsed = JSON.parse(current.reveal());
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    // Never quote the value or JSON.parse's message, which starts with it.
    throw new SecretError(
      'ERR_SECRET_MALFORMED',
      `secret "${r.name}" in source "${source}" is not a JSON object`,
      {
        source,
        secretName: r.name,
      },
    );
  }
  return JSON.stringify({ ...(parsed as Record<string, unknown>), [r.field!]: key });
}
