/**
 * `rotateSecret()`: a new random key written as a new version. It never destroys by accident: a
 * JSON secret is not replaced without `#field` or `whole`, a missing secret or field is not
 * created without `create`, and the previous version is read back before it is reported kept.
 */
import { isSecretError, OperationUnsupportedError, SecretError, WeakSecretError } from '../core/errors.js';
import { type EventListener, emitSafely, type SecretEvent } from '../core/events.js';
import { keyIdOf } from '../core/fingerprint.js';
import { formatRef, parseRef, type SecretRef } from '../core/ref.js';
import { Secret } from '../core/secret.js';
import { type SecretRecord, type SecretSource, supports } from '../core/source.js';
import { evaluate } from '../strength/engine.js';
import { isSecretSource, type KeyHost } from './host.js';
import { type GenerateKeyOptions, generateKey } from './keygen.js';
import { ringKeyName } from './keyring.js';
import { currentKid, rotatedValue } from './rotate-value.js';

/** Options for {@link rotateSecret}: the key options of `generateKey`, plus what may be changed. */
export interface RotateOptions extends GenerateKeyOptions {
  /**
   * Replace the whole value even when it holds a JSON object. Without it (and without `#field`)
   * such a secret is refused, so its other fields are never lost. @default false
   */
  whole?: boolean | undefined;
  /**
   * Create the secret (or add the `#field`) when it does not exist. Without it a missing one is
   * refused with `ERR_SECRET_NOT_FOUND`: a typo must not leave the real key current. @default false
   */
  create?: boolean | undefined;
  /**
   * Emergency revocation: after writing, mark every previous version revoked in the store's own
   * terms (`revokeVersions`), so live key rings drop them at their next read. Stores without the
   * `revoke` capability are refused before anything is written. @default false
   */
  revokePrevious?: boolean | undefined;
  /**
   * Rotate only when the current version is older than this many milliseconds (by the store's own
   * version date); otherwise nothing is written and the result says `rotated: false`.
   */
  ifOlderThanMs?: number | undefined;
  /**
   * Receives a `rotate` event when the key is written, and with `revokePrevious` a `revoke` event
   * (the version kept, the versions revoked): names, versions and the new key's fingerprint, never a value.
   */
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
  /** False when `ifOlderThanMs` found the current version young enough: nothing was written. */
  rotated: boolean;
  /** True when this call created the secret (or its field). */
  created: boolean;
  /** Age of the version that was current before, in ms, when `ifOlderThanMs` asked for it. */
  ageMs?: number | undefined;
  /** Versions this call marked revoked (`revokePrevious`), newest first. */
  revoked: string[];
  /** The version written, when the store reports one. */
  version: string | undefined;
  /** The version that was current before. */
  previousVersion: string | undefined;
  /**
   * True when the previous version was read back unchanged after the write; false when the store
   * no longer returns it (see `warnings`); undefined when there was none or it could not be checked.
   */
  previousKept: boolean | undefined;
  /**
   * The new key's key-ring `kid` (`k_…`, from the name and version, never the key); the current
   * key's when nothing was written.
   */
  kid: string;
  /** What the caller should know, e.g. a previous version the store pruned. Never a value. */
  warnings: string[];
}

/**
 * Generates a key and writes it as a new version of `ref` (for `#field`, the field of the JSON value
 * is replaced and the rest kept). Refuses stores without versions, where a write would destroy the
 * old key that tokens in flight still need. With a resolver, its cached value is refreshed.
 * @example
 * const { version, previousVersion, previousKept } = await rotateSecret(resolver, 'aws-sm:prod/app#jwt');
 */
export async function rotateSecret(
  target: KeyHost | SecretSource,
  ref: string | SecretRef,
  options: RotateOptions = {},
): Promise<RotateResult> {
  const r = typeof ref === 'string' ? parseRef(ref) : ref;
  const resolver = isSecretSource(target) ? undefined : target;
  const source = isSecretSource(target)
    ? target
    : r.source === undefined
      ? undefined
      : target.sources.get(r.source);
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
  if (options.revokePrevious && !supports(source, 'revokeVersions')) {
    throw new OperationUnsupportedError(source.id, 'revoking versions', {
      secretName: r.name,
      hint: 'aws-sm, aws-ssm, azure-kv, vault KV v2 and memory revoke; elsewhere rotate and remove the old version by hand',
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
  const { value, created } = rotatedValue(before?.value, r, source.id, key, options);
  let ageMs: number | undefined;
  if (options.ifOlderThanMs !== undefined && before) {
    ageMs = await versionAge(source, r.name, before, options.signal);
    if (ageMs < options.ifOlderThanMs) {
      return {
        ref: formatRef(r),
        source: source.id,
        name: r.name,
        ...(r.field === undefined ? {} : { field: r.field }),
        rotated: false,
        created: false,
        ageMs,
        version: before.version,
        previousVersion: undefined,
        previousKept: undefined,
        revoked: [],
        kid: currentKid(before, r),
        warnings: [],
      };
    }
  }
  const base = {
    source: source.id,
    name: r.name,
    ref: formatRef(r),
    fingerprint: new Secret(key).fingerprint(),
  };
  const event = (extra: Partial<SecretEvent>) =>
    emitSafely(options.onEvent, {
      type: 'rotate',
      time: new Date().toISOString(),
      ...base,
      outcome: 'ok',
      durationMs: Date.now() - started,
      ...extra,
      ...(options.context ? { context: options.context } : {}),
    });
  let version: string | undefined;
  try {
    version = (await source.set(r.name, value, { signal: options.signal })).version;
  } catch (err) {
    event({ outcome: 'error', code: isSecretError(err) ? err.code : undefined });
    throw err;
  }
  event({ version });
  const warnings: string[] = [];
  let revoked: string[] = [];
  let previousKept: boolean | undefined;
  if (options.revokePrevious && version !== undefined && supports(source, 'revokeVersions')) {
    const revoking = Date.now();
    try {
      revoked = await source.revokeVersions(r.name, version, { signal: options.signal });
    } catch (err) {
      event({
        type: 'revoke',
        version,
        outcome: 'error',
        durationMs: Date.now() - revoking,
        code: isSecretError(err) ? err.code : undefined,
      });
      throw err;
    }
    event({ type: 'revoke', version, versions: revoked, durationMs: Date.now() - revoking });
  } else if (before) {
    previousKept = await readBack(source, r.name, before, warnings, options.signal);
  }
  // The resolver would otherwise serve the old key until its TTL ends.
  await resolver?.refresh(r).catch(() => {});
  return {
    ref: formatRef(r),
    source: source.id,
    name: r.name,
    ...(r.field === undefined ? {} : { field: r.field }),
    rotated: true,
    created,
    ...(ageMs === undefined ? {} : { ageMs }),
    version,
    previousVersion: before?.version,
    previousKept,
    revoked,
    // The kid key rings give this version (from the name and version id, never the key).
    kid: keyIdOf(Buffer.from(key), { name: ringKeyName(r), version }),
    warnings,
  };
}

/**
 * Age of the current version by the store's own date for it: the `versions()` entry of the current
 * version, else the record's dates. Refused when the store has none (an age cannot be guessed).
 */
async function versionAge(
  source: SecretSource,
  name: string,
  current: SecretRecord,
  signal: AbortSignal | undefined,
): Promise<number> {
  let at: Date | undefined;
  if (supports(source, 'versions')) {
    for await (const v of source.versions(name, { signal })) {
      if (v.version === current.version || (current.version === undefined && v.current)) {
        at = v.createdAt;
        break;
      }
    }
  }
  at ??= current.updatedAt ?? current.createdAt;
  if (at === undefined) {
    throw new OperationUnsupportedError(
      source.id,
      'version dates, so the age of the current key is unknown',
      {
        secretName: name,
      },
    );
  }
  return Math.max(0, Date.now() - at.getTime());
}

/**
 * Reads the previous version back by its id: a store may prune it on write (Vault `max_versions`),
 * and "kept" must then not be claimed. The store's error says which setting pruned it.
 */
async function readBack(
  source: SecretSource,
  name: string,
  before: SecretRecord,
  warnings: string[],
  signal: AbortSignal | undefined,
): Promise<boolean | undefined> {
  const v = before.version;
  if (v === undefined) {
    warnings.push(`the store reported no version id for the previous value of "${name}": not checked`);
    return undefined;
  }
  try {
    const again = await source.get(name, { version: v, signal });
    if (again?.value.equals(before.value)) return true;
    warnings.push(`previous version ${v} of "${name}" no longer reads back as it was`);
    return false;
  } catch (err) {
    if (isSecretError(err) && err.code === 'ERR_SECRET_VERSION_NOT_FOUND') {
      const hint = err.hint ? ` (${err.hint})` : '';
      warnings.push(
        `previous version ${v} of "${name}" is no longer readable, so tokens signed with it stop verifying now: ${err.message}${hint}`,
      );
      return false;
    }
    const code = isSecretError(err) ? err.code : 'an unexpected error';
    warnings.push(`previous version ${v} of "${name}" could not be read back (${code}): not checked`);
    return undefined;
  }
}
