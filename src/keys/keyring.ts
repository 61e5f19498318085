/**
 * Key rings: the current version of a key for signing, and every previous version still inside
 * the grace window for verifying, read from the store's own versions. `kid` is published in tokens,
 * so it is a digest of the name and version, never of the value (docs/fingerprints.md).
 */
import { SecretError } from '../core/errors.js';
import { keyIdOf } from '../core/fingerprint.js';
import { formatRef, parseRef, type SecretRef } from '../core/ref.js';
import type { Secret } from '../core/secret.js';
import { type SecretVersionInfo, supports } from '../core/source.js';
import type { KeyHost } from './host.js';

/** Options for {@link createKeyRing}. */
export interface KeyRingOptions {
  /**
   * How long a replaced key still verifies, counted from when its successor was created.
   * @default 86400000 (24 hours)
   */
  graceMs?: number | undefined;
  /** Most previous versions read from the store. @default 10 */
  maxPrevious?: number | undefined;
  signal?: AbortSignal | undefined;
}

/** One key of a ring. */
export interface KeyRingKey {
  /** Key id for a JWT header (`k_…`): from the name and store version, never the value; safe to publish. */
  kid: string;
  /** The store's version id, when it has versions. */
  version: string | undefined;
  secret: Secret;
  /** True for the signing key. */
  current: boolean;
  createdAt: Date | undefined;
  /** When the next version replaced this one; undefined for the current key. */
  replacedAt: Date | undefined;
}

/** A snapshot of a key's versions. Load a new one (`resolver.keyRing()` again) after a rotation. */
export interface KeyRing {
  /** The ref the ring was read from. */
  readonly ref: string;
  readonly graceMs: number;
  /** The key to sign with. */
  readonly current: KeyRingKey;
  /** Keys that verify at `now`: the current one, then previous ones whose grace window is still open. */
  verificationKeys(now?: number): KeyRingKey[];
  /** The verifying key with this `kid`, or undefined (unknown, or its grace window has closed). */
  find(kid: string, now?: number): KeyRingKey | undefined;
}

/**
 * Reads the ring for `ref` through `resolver` (so the cache and the strength policy apply). Stores
 * without versions give a ring of one key.
 * @example
 * const ring = await createKeyRing(resolver, 'aws-sm:prod/jwt', { graceMs: 60 * 60_000 });
 * const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid: ring.current.kid })
 *   .sign(ring.current.secret.bytes());
 */
export async function createKeyRing(
  resolver: KeyHost,
  ref: string | SecretRef,
  options: KeyRingOptions = {},
): Promise<KeyRing> {
  const graceMs = options.graceMs ?? 86_400_000;
  const r = typeof ref === 'string' ? parseRef(ref) : ref;
  const text = formatRef(r);
  if (r.source === undefined || r.version !== undefined) {
    throw new SecretError('ERR_REF_INVALID', `a key ring ref names its source and no version: "${r.name}"`, {
      secretName: r.name,
      hint: 'e.g. aws-sm:prod/app#jwt',
    });
  }
  const source = resolver.sources.get(r.source);
  const versions: SecretVersionInfo[] = [];
  if (source && supports(source, 'versions')) {
    for await (const v of source.versions(r.name, { signal: options.signal })) versions.push(v);
  }
  const currentInfo = versions.find((v) => v.current) ?? versions[0];
  const keyName = r.field === undefined ? r.name : `${r.name}#${r.field}`;
  const signing = await resolver.get(currentInfo ? { ...r, version: currentInfo.version } : r, {
    signal: options.signal,
  });
  const current: KeyRingKey = {
    kid: keyIdOf(signing.bytes(), { name: keyName, version: currentInfo?.version }),
    version: currentInfo?.version,
    secret: signing,
    current: true,
    createdAt: currentInfo?.createdAt,
    replacedAt: undefined,
  };
  // `versions()` lists newest first (the contract); a version was replaced when the next newer one was
  // created. Store clocks have second precision, so the order comes from the store, not from dates.
  const start = currentInfo ? versions.indexOf(currentInfo) : -1;
  const previous: KeyRingKey[] = [];
  if (start >= 0) {
    const now = Date.now();
    for (let i = start + 1; i < versions.length && previous.length < (options.maxPrevious ?? 10); i++) {
      const v = versions[i]!;
      // Unknown creation time: treat it as replaced now, so the key verifies for one full window.
      const replacedAt = versions[i - 1]!.createdAt ?? new Date(now);
      if (replacedAt.getTime() + graceMs <= now) break;
      if (!v.enabled) continue;
      let secret: Secret;
      try {
        secret = await resolver.get({ ...r, version: v.version }, { signal: options.signal });
      } catch (err) {
        // A version pruned or destroyed since it was listed simply no longer verifies.
        if ((err as SecretError).code === 'ERR_SECRET_VERSION_NOT_FOUND') continue;
        throw err;
      }
      previous.push({
        kid: keyIdOf(secret.bytes(), { name: keyName, version: v.version }),
        version: v.version,
        secret,
        current: false,
        createdAt: v.createdAt,
        replacedAt,
      });
    }
  }
  const open = (k: KeyRingKey, now: number) =>
    k.replacedAt === undefined || k.replacedAt.getTime() + graceMs > now;
  return Object.freeze({
    ref: text,
    graceMs,
    current,
    verificationKeys: (now = Date.now()) => [current, ...previous.filter((k) => open(k, now))],
    find: (kid: string, now = Date.now()) =>
      [current, ...previous].find((k) => k.kid === kid && open(k, now)),
  });
}
