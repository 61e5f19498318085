/**
 * Key rings: the current version of a key for signing, and every previous version still inside
 * the grace window for verifying, read from the store's own versions. `kid` is published in tokens,
 * so it is a digest of the name and version, never of the value (docs/fingerprints.md).
 * `createKeyRing` reads once (a snapshot, for scripts); `resolver.keyRing` keeps itself current
 * (`live-ring.ts`). Both read through {@link readRing}.
 */
import { isSecretError, SecretError, SourceError } from '../core/errors.js';
import { keyIdOf } from '../core/fingerprint.js';
import { printableName } from '../core/names.js';
import { formatRef, parseRef, type SecretRef } from '../core/ref.js';
import type { Secret } from '../core/secret.js';
import { type SecretVersionInfo, supports } from '../core/source.js';
import { guard } from '../internal/guard.js';
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
  /** Aborts the first read. */
  signal?: AbortSignal | undefined;
}

/** One key of a ring. */
export interface KeyRingKey {
  /** Key id for a JWT header (`k_…`): from the name and store version, never the value; safe to publish. */
  kid: string;
  /** The store's version id, when it has versions. */
  version: string | undefined;
  secret: Secret;
  /**
   * True for the store's current version. A live ring may go on signing with the previous one for
   * up to `signDelayMs` after a rotation (see `LiveKeyRingOptions`).
   */
  current: boolean;
  createdAt: Date | undefined;
  /** When the next version replaced this one; undefined for the current key. */
  replacedAt: Date | undefined;
}

/** A key's versions: the one to sign with and the ones that verify. */
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

/** Settings of one {@link readRing}. */
export interface ReadRingOptions {
  graceMs: number;
  maxPrevious: number;
  /** Longest the version listing may take. */
  timeoutMs: number;
  signal?: AbortSignal | undefined;
  /** Values already read, by version id: versions never change, so they are not read again. */
  known?: Map<string, Secret> | undefined;
  /** For stores without versions: drop the resolver's cached value first, so the store is asked. */
  fresh?: boolean | undefined;
}

/** The grace window of a key is open at `now`. */
export function isOpen(k: KeyRingKey, graceMs: number, now: number): boolean {
  return k.replacedAt === undefined || k.replacedAt.getTime() + graceMs > now;
}

/**
 * The name a ring's kids are derived from (with `#field`): rings and `rotateSecret` give a version
 * the same kid through {@link keyIdOf}, from this name and the version id, never from the value.
 */
export function ringKeyName(r: SecretRef): string {
  return r.field === undefined ? r.name : `${r.name}#${r.field}`;
}

/** Parses a ring ref: it names its source and no version. */
export function ringRef(ref: string | SecretRef): SecretRef {
  const r = typeof ref === 'string' ? parseRef(ref) : ref;
  if (r.source === undefined || r.version !== undefined) {
    throw new SecretError('ERR_REF_INVALID', `a key ring ref names its source and no version: "${r.name}"`, {
      secretName: r.name,
      hint: 'e.g. aws-sm:prod/app#jwt',
    });
  }
  return r;
}

/**
 * Reads the keys of `r` once: the store's current version first, then previous versions that are
 * enabled and inside the grace window, newest first. Values go through `host` (cache and policy).
 */
export async function readRing(host: KeyHost, r: SecretRef, o: ReadRingOptions): Promise<KeyRingKey[]> {
  const source = host.sources.get(r.source!);
  let versions: SecretVersionInfo[] = [];
  if (source && supports(source, 'versions')) {
    // The store's own listing budget is minutes long; a ring's read is bounded tighter, so a hung
    // listing cannot hold the single-flight read (and every unknown-kid refresh) for that long.
    const site = `list versions of "${printableName(r.name)}" in source "${source.id}"`;
    versions = await guard(
      async (signal) => {
        const out: SecretVersionInfo[] = [];
        for await (const v of source.versions(r.name, { signal })) out.push(v);
        return out;
      },
      {
        timeoutMs: o.timeoutMs,
        signal: o.signal,
        timeoutError: () =>
          new SourceError('ERR_SOURCE_TIMEOUT', `${site}: no answer within ${o.timeoutMs} ms`, {
            source: source.id,
            secretName: r.name,
            retryable: true,
            hint: 'raise timeoutMs or check the store',
          }),
        abortError: (reason) =>
          isSecretError(reason)
            ? reason
            : new SecretError('ERR_ABORTED', `${site}: aborted by the caller`, {
                source: source.id,
                secretName: r.name,
              }),
      },
    );
  }
  const read = async (version: string | undefined): Promise<Secret> => {
    const known = version === undefined ? undefined : o.known?.get(version);
    if (known) return known;
    if (version === undefined && o.fresh) await host.refresh(r);
    const secret = await host.get(version === undefined ? r : { ...r, version }, { signal: o.signal });
    if (version !== undefined) o.known?.set(version, secret);
    return secret;
  };
  const currentInfo = versions.find((v) => v.current) ?? versions[0];
  const keyName = ringKeyName(r);
  const signing = await read(currentInfo?.version);
  const keys: KeyRingKey[] = [
    {
      kid: keyIdOf(signing.bytes(), { name: keyName, version: currentInfo?.version }),
      version: currentInfo?.version,
      secret: signing,
      current: true,
      createdAt: currentInfo?.createdAt,
      replacedAt: undefined,
    },
  ];
  // `versions()` lists newest first (the contract); a version was replaced when the next newer one was
  // created. Store clocks have second precision, so the order comes from the store, not from dates.
  const start = currentInfo ? versions.indexOf(currentInfo) : -1;
  const now = Date.now();
  for (let i = start + 1; start >= 0 && i < versions.length && keys.length <= o.maxPrevious; i++) {
    const v = versions[i]!;
    // Unknown creation time: treat it as replaced now, so the key verifies for one full window.
    const replacedAt = versions[i - 1]!.createdAt ?? new Date(now);
    if (replacedAt.getTime() + o.graceMs <= now) break;
    // Disabled, deleted, destroyed or revoked: it no longer verifies.
    if (!v.enabled) continue;
    let secret: Secret;
    try {
      secret = await read(v.version);
    } catch (err) {
      // A version pruned or destroyed since it was listed simply no longer verifies.
      if ((err as SecretError).code === 'ERR_SECRET_VERSION_NOT_FOUND') continue;
      throw err;
    }
    keys.push({
      kid: keyIdOf(secret.bytes(), { name: keyName, version: v.version }),
      version: v.version,
      secret,
      current: false,
      createdAt: v.createdAt,
      replacedAt,
    });
  }
  if (o.known) {
    // Forget versions that left the ring: the map never outgrows maxPrevious + 1 entries.
    const kept = new Set(keys.map((k) => k.version));
    for (const v of o.known.keys()) if (!kept.has(v)) o.known.delete(v);
  }
  return keys;
}

/**
 * Reads the ring for `ref` once through `resolver` (so the cache and the strength policy apply): a
 * snapshot for scripts. Stores without versions give a ring of one key. Apps use `resolver.keyRing`,
 * which keeps itself current.
 * @example
 * const ring = await createKeyRing(resolver, 'aws-sm:prod/jwt', { graceMs: 60 * 60_000 });
 * const { kid } = ring.current;
 */
export async function createKeyRing(
  resolver: KeyHost,
  ref: string | SecretRef,
  options: KeyRingOptions = {},
): Promise<KeyRing> {
  const graceMs = options.graceMs ?? 86_400_000;
  const r = ringRef(ref);
  const keys = await readRing(resolver, r, {
    graceMs,
    maxPrevious: options.maxPrevious ?? 10,
    timeoutMs: 10_000,
    signal: options.signal,
  });
  const [current, ...previous] = keys as [KeyRingKey, ...KeyRingKey[]];
  return Object.freeze({
    ref: formatRef(r),
    graceMs,
    current,
    verificationKeys: (now = Date.now()) => [current, ...previous.filter((k) => isOpen(k, graceMs, now))],
    find: (kid: string, now = Date.now()) => keys.find((k) => k.kid === kid && isOpen(k, graceMs, now)),
  });
}
