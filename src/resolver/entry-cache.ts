/**
 * The resolver's cache of store reads: a TTL per entry, a bound on entries, one store call per key
 * at a time (single-flight, batches included), timeouts, and bounded stale-on-error. It knows
 * nothing of refs, fields or the strength policy; the resolver layers those on top.
 */

import { isSecretError, SecretError, SourceError, toSecretError } from '../core/errors.js';
import type { SecretEvent } from '../core/events.js';
import type { Secret } from '../core/secret.js';
import type { BatchEntry, SecretRecord, SecretSource } from '../core/source.js';
import { guard, untilAborted } from '../internal/guard.js';
import { LruMap } from './lru.js';

/** One store read, with what the resolver memoises on it. */
export interface Entry {
  /** undefined: the store said the secret is absent (such entries are never cached). */
  record: SecretRecord | undefined;
  fetchedAt: number;
  expiresAt: number;
  /** Selected fields, memoised per fetched version. */
  fields: Map<string, Secret>;
  /** Field and profile pairs that passed the policy. */
  checked: Set<string>;
  /** Fields already compared with peer environments. */
  compared?: Set<string>;
  /** Set when the entry leaves the cache, so memoised pointers to it stop working. */
  dropped: boolean;
}

/** Settings, already resolved from options and environment. */
export interface EntryCacheOptions {
  ttlMs: number;
  maxStaleMs: number;
  maxEntries: number;
  /** Fetch every time (single-flight still applies). */
  cacheOff: boolean;
  timeoutMs: number;
  emit(event: Omit<SecretEvent, 'time'>, context?: Readonly<Record<string, unknown>>): void;
}

const SEP = '\u0000';

/** The cache key of one read: source, name and version. */
export function entryKey(sourceId: string, name: string, version: string | undefined): string {
  return sourceId + SEP + name + SEP + (version ?? '');
}

/** Store reads, cached and shared. */
export class EntryCache {
  readonly #o: EntryCacheOptions;
  readonly #lru: LruMap<string, Entry>;
  readonly #inflight = new Map<string, Promise<Entry>>();

  constructor(options: EntryCacheOptions) {
    this.#o = options;
    this.#lru = new LruMap<string, Entry>(options.maxEntries, (e) => {
      e.dropped = true;
    });
  }

  /** The entry under `key`, fresh or not, without touching its recency. */
  peek(key: string): Entry | undefined {
    return this.#lru.peek(key);
  }

  /** Marks `key` recently used. */
  touch(key: string): void {
    this.#lru.get(key);
  }

  /** The entry under `key` when it holds a record and is within its TTL. */
  fresh(key: string): Entry | undefined {
    const entry = this.#lru.get(key);
    return entry?.record && Date.now() < entry.expiresAt ? entry : undefined;
  }

  /** True when `key` is fresh or a read of it is under way (a batch need not ask again). */
  covered(key: string): boolean {
    const hit = this.#lru.peek(key);
    return (hit !== undefined && Date.now() < hit.expiresAt) || this.#inflight.has(key);
  }

  /** One store call per key at a time, whoever asks; a caller's abort ends only its own wait. */
  fetch(
    source: SecretSource,
    name: string,
    version: string | undefined,
    signal?: AbortSignal,
  ): Promise<Entry> {
    const key = entryKey(source.id, name, version);
    let pending = this.#inflight.get(key);
    if (!pending) {
      const started = Date.now();
      pending = this.#bounded(
        (sig) => source.get(name, { version, signal: sig }),
        source,
        name,
        'reading secret',
      )
        .then(
          (record) => {
            const entry = this.#store(key, record);
            this.#o.emit({
              type: 'refresh',
              source: source.id,
              name,
              version: record?.version ?? version,
              outcome: record ? 'ok' : 'miss',
              durationMs: Date.now() - started,
            });
            return entry;
          },
          (err: unknown) => {
            throw toSecretError(err, { source: source.id, secretName: name, action: 'reading secret' });
          },
        )
        .finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return untilAborted(pending, signal, (reason) => callerAbort(reason, source.id, name));
  }

  /** A fresh entry, else a fetch; after a retryable failure, the stale entry within `maxStaleMs`. */
  async lookup(
    source: SecretSource,
    name: string,
    version: string | undefined,
    signal?: AbortSignal,
    context?: Readonly<Record<string, unknown>>,
  ): Promise<Entry> {
    const cached = this.#lru.get(entryKey(source.id, name, version));
    const now = Date.now();
    if (cached && now < cached.expiresAt) return cached;
    try {
      return await this.fetch(source, name, version, signal);
    } catch (err) {
      const e = err as SecretError;
      const staleFor = cached ? now - cached.expiresAt : Number.POSITIVE_INFINITY;
      // Only outages are bridged: access denied or not found must never be masked by an old value.
      if (cached && e.retryable && staleFor <= this.#o.maxStaleMs) {
        this.#o.emit(
          {
            type: 'stale-served',
            source: source.id,
            name,
            version: cached.record?.version,
            outcome: 'stale',
            code: e.code,
            staleForMs: staleFor,
            cacheHit: true,
          },
          context,
        );
        return cached;
      }
      throw err;
    }
  }

  /**
   * Reads `names` (latest versions) with one `getMany` call, registering each as in flight first so
   * concurrent single reads join the batch. Resolves to the batch's error, if it failed as a whole.
   */
  async batch(source: SecretSource, names: readonly string[]): Promise<SecretError | undefined> {
    const started = Date.now();
    let settle!: (m: Map<string, BatchEntry>) => void;
    let fail!: (e: unknown) => void;
    const result = new Promise<Map<string, BatchEntry>>((res, rej) => {
      settle = res;
      fail = rej;
    });
    for (const name of names) {
      const key = entryKey(source.id, name, undefined);
      const p = result
        .then((m): Entry => {
          const got = m.get(name);
          if (!got) {
            throw new SourceError(
              'ERR_SOURCE_UNAVAILABLE',
              `source "${source.id}" returned no result for "${name}" in a batch`,
              { source: source.id, secretName: name, retryable: true },
            );
          }
          if (!got.ok) throw got.error;
          return this.#store(key, got.record);
        })
        .finally(() => this.#inflight.delete(key));
      // Joiners see the rejection; this handle only keeps it from being reported as unhandled.
      p.catch(() => {});
      this.#inflight.set(key, p);
    }
    try {
      settle(
        await this.#bounded(
          (sig) => source.getMany!(names, { signal: sig }),
          source,
          undefined,
          `reading ${names.length} secrets`,
        ),
      );
      this.#o.emit({
        type: 'refresh',
        source: source.id,
        outcome: 'ok',
        durationMs: Date.now() - started,
        name: `${names.length} names`,
      });
      return undefined;
    } catch (err) {
      const e = toSecretError(err, { source: source.id, action: `reading ${names.length} secrets` });
      fail(e);
      return e;
    }
  }

  /** Makes every entry stale now (each is fetched again on its next read; stale-on-error still applies). */
  expireAll(): void {
    const now = Date.now();
    for (const entry of this.#lru.values()) entry.expiresAt = Math.min(entry.expiresAt, now);
  }

  clear(): void {
    this.#lru.clear();
  }

  /** One store call under the resolver's deadline; the source gets the signal to cancel its request. */
  #bounded<T>(
    call: (signal: AbortSignal) => Promise<T>,
    { id: source, location }: Pick<SecretSource, 'id' | 'location'>,
    secretName: string | undefined,
    action: string,
  ): Promise<T> {
    const ms = this.#o.timeoutMs;
    // Where the store is (region, endpoint, vault URL), as the sources' own failures say it.
    const where = location === undefined ? '' : ` (${location})`;
    const what = `${action}${secretName === undefined ? '' : ` "${secretName}"`} in source "${source}"${where}`;
    return guard(call, {
      timeoutMs: ms,
      timeoutError: () =>
        new SourceError('ERR_SOURCE_TIMEOUT', `${what} took longer than ${ms} ms`, {
          source,
          secretName,
          hint: 'raise timeoutMs or check the store',
        }),
      // No caller signal reaches this guard: a caller's abort ends only its own wait (see fetch).
      abortError: (reason) => toSecretError(reason, { source, action }),
    });
  }

  #store(key: string, record: SecretRecord | undefined): Entry {
    const now = Date.now();
    const entry: Entry = {
      record,
      fetchedAt: now,
      expiresAt: now + this.#o.ttlMs,
      fields: new Map(),
      checked: new Set(),
      dropped: false,
    };
    // No negative caching: a missing secret is asked for again next time.
    if (record && !this.#o.cacheOff) this.#lru.set(key, entry);
    else this.#lru.delete(key);
    return entry;
  }
}

/** The caller's own abort: its reason when already coded, else `ERR_ABORTED` (never a timeout). */
function callerAbort(reason: unknown, source: string, name: string): SecretError {
  if (isSecretError(reason)) return reason;
  return new SecretError(
    'ERR_ABORTED',
    `reading secret "${name}" in source "${source}" was aborted by the caller`,
    {
      source,
      secretName: name,
    },
  );
}
