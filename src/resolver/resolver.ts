/**
 * createResolver: ordered sources, a TTL cache with single-flight and bounded stale-on-error,
 * JSON field selection, the strength policy and structured events, the same for every source.
 */

import {
  type ConfigError,
  type Issue,
  SecretError,
  SecretNotFoundError,
  toSecretError,
} from '../core/errors.js';
import { type EventListener, emitSafely, type SecretEvent } from '../core/events.js';
import { formatRef, parseRef, type SecretRef } from '../core/ref.js';
import type { Secret } from '../core/secret.js';
import { type SecretSource, supports } from '../core/source.js';
import { envNumber, timeoutSetting } from '../internal/env-config.js';
import type { LiveKeyRing, LiveKeyRingOptions } from '../keys/live-ring.js';
import type { StrengthProfile } from '../strength/types.js';
import { type Entry, EntryCache, entryKey } from './entry-cache.js';
import { selectField } from './field.js';
import { configError, issueOf, type LoadedConfig, type LoadSpec, loadConfig } from './load.js';
import { LruMap } from './lru.js';
import { type PolicyOptions, StrengthPolicy } from './policy.js';

/** Cache settings. */
export interface CacheOptions {
  /** How long a fetched value is fresh. @default 300000 (5 min), or `SECRETSOURCE_CACHE_TTL_MS` */
  ttlMs?: number | undefined;
  /** Most entries kept (least recently used evicted first). @default 1000 */
  maxEntries?: number | undefined;
  /** How long past its TTL a value may still be served when a refresh fails with a retryable error. @default 300000 */
  maxStaleMs?: number | undefined;
}

/** Options for {@link createResolver}. */
export interface ResolverOptions {
  /** Sources in the order bare names are looked up. Ids must be unique. */
  sources: readonly SecretSource[];
  /** Cache settings, or `false` to fetch on every call (single-flight still applies). */
  cache?: CacheOptions | false | undefined;
  /** Strength policy applied to every fetched secret. */
  policy?: PolicyOptions | undefined;
  /** Receives structured events; never a value. */
  onEvent?: EventListener | undefined;
  /** Longest a single store call may take. @default 10000, or `SECRETSOURCE_TIMEOUT_MS` */
  timeoutMs?: number | undefined;
}

/** Options for one `get`. */
export interface ResolveOptions {
  /** Strength profile (`'none'` skips the check); otherwise from the names, see `key`. */
  profile?: StrengthProfile | 'none' | undefined;
  /**
   * The name the app knows this secret by (a config key or variable name, e.g. `JWT_SECRET_KEY`).
   * It picks the strength profile before the ref's `#field` and store name do.
   */
  key?: string | undefined;
  /** Version (overrides `?version=` in the ref). */
  version?: string | undefined;
  signal?: AbortSignal | undefined;
  /** Copied into every event this call emits (request ids, caller names). */
  context?: Readonly<Record<string, unknown>> | undefined;
}

/** What `getManySettled` returns for each ref. */
export type Settled =
  | { ref: string; ok: true; secret: Secret }
  | { ref: string; ok: false; error: SecretError };

/** A resolver. */
export interface Resolver {
  /** Resolves a ref to a checked Secret; throws `ERR_SECRET_NOT_FOUND` naming the sources tried. */
  get(ref: string | SecretRef, options?: ResolveOptions): Promise<Secret>;
  /** Like `get`, but resolves to undefined when no source has the secret. Other errors still throw. */
  getOptional(ref: string | SecretRef, options?: ResolveOptions): Promise<Secret | undefined>;
  /** Resolves many refs with as few store calls as the sources allow; throws `ERR_CONFIG_INVALID` listing every failure. */
  getMany(refs: readonly string[], options?: ResolveOptions): Promise<Map<string, Secret>>;
  /** Resolves many refs, never throwing: one outcome per ref, in order. */
  getManySettled(refs: readonly string[], options?: ResolveOptions): Promise<Settled[]>;
  /** Resolves a whole config at once; every failing key reported in one `ERR_CONFIG_INVALID`. */
  load<S extends LoadSpec>(
    spec: S,
    options?: Pick<ResolveOptions, 'signal' | 'context'>,
  ): Promise<LoadedConfig<S>>;
  /** Fetches `ref` again now (or marks every entry stale when no ref is given). */
  refresh(ref?: string | SecretRef): Promise<void>;
  /**
   * A live key ring: the key to sign with and the previous versions inside `graceMs` that verify,
   * kept current in the background (see `LiveKeyRingOptions`). Asking again with the same ref and
   * options returns the same ring, read again. `close()` stops it; so does the resolver's.
   */
  keyRing(ref: string | SecretRef, options?: LiveKeyRingOptions): Promise<LiveKeyRing>;
  /** The sources, by id. */
  readonly sources: ReadonlyMap<string, SecretSource>;
  /** Drops the cache and closes every source. Later calls fail. */
  close(): Promise<void>;
}

/** The warmest path: a ref string resolved before with no options, pointing at its live entry. */
interface Hot {
  entry: Entry;
  secret: Secret;
  source: SecretSource;
  ref: SecretRef;
  key: string;
  hits: number;
}

const SEP = '\u0000';
/** Marks an entry whose rotation date was already checked. */
const ROTATION = '\u0000rotation';
const NO_OPTIONS: ResolveOptions = Object.freeze({});

/**
 * Creates a resolver over ordered sources.
 * @example
 * const resolver = createResolver({ sources: [envSource(), awsSecretsManager()] });
 * const jwt = await resolver.get('aws-sm:prod/app#jwt', { profile: 'jwt-hs256' });
 */
export function createResolver(options: ResolverOptions): Resolver {
  const sources = new Map<string, SecretSource>();
  for (const s of options.sources) {
    if (sources.has(s.id)) {
      throw new SecretError('ERR_CONFIG_INVALID', `two sources share the id "${s.id}"`, { source: s.id });
    }
    sources.set(s.id, s);
  }
  const cacheOff = options.cache === false;
  const cacheOpts = options.cache === false ? {} : (options.cache ?? {});
  const ttlMs = cacheOff ? 0 : (cacheOpts.ttlMs ?? envNumber('SECRETSOURCE_CACHE_TTL_MS', 300_000));
  const maxStaleMs = cacheOff ? 0 : (cacheOpts.maxStaleMs ?? 300_000);
  const timeoutMs = timeoutSetting(options.timeoutMs, 'SECRETSOURCE_TIMEOUT_MS', 10_000);
  const cache = new EntryCache({
    ttlMs,
    maxStaleMs,
    maxEntries: cacheOpts.maxEntries ?? 1000,
    cacheOff,
    timeoutMs,
    emit: (e, context) => emit(e, context),
  });
  const hot = new Map<string, Hot>();
  const parsed = new LruMap<string, SecretRef>(1000);
  const policy = new StrengthPolicy(options.policy ?? {}, (e, context) => emit(e, context));
  let closed = false;
  const listening = options.onEvent !== undefined;
  const ordered = [...sources.values()];

  function emit(event: Omit<SecretEvent, 'time'>, context?: ResolveOptions['context']): void {
    if (!options.onEvent) return;
    emitSafely(options.onEvent, {
      time: new Date().toISOString(),
      ...event,
      ...(context ? { context } : {}),
    });
  }

  function toRef(ref: string | SecretRef): SecretRef {
    if (typeof ref !== 'string') return ref;
    let r = parsed.peek(ref);
    if (!r) {
      r = parseRef(ref);
      parsed.set(ref, r);
    }
    return r;
  }

  function candidates(ref: SecretRef): readonly SecretSource[] {
    if (ref.source === undefined) return ordered;
    const s = sources.get(ref.source);
    if (!s) {
      throw new SecretError(
        'ERR_REF_INVALID',
        `unknown source "${ref.source}" in reference to "${ref.name}"; configured: ${[...sources.keys()].join(', ') || 'none'}`,
        { source: ref.source, secretName: ref.name },
      );
    }
    return [s];
  }

  function assertOpen(): void {
    if (closed) {
      throw new SecretError('ERR_RESOLVER_CLOSED', 'the resolver is closed', {
        hint: 'close() ends a resolver for good: create a new one',
      });
    }
  }

  /** Only called when a listener exists: the fingerprint (an HMAC) is not free. */
  function emitResolved(
    entry: Entry,
    source: SecretSource,
    ref: SecretRef,
    hit: boolean,
    o: ResolveOptions,
    secret: Secret,
  ): void {
    emit(
      {
        type: hit ? 'cache-hit' : 'resolve',
        ref: fmt(ref),
        source: source.id,
        name: ref.name,
        version: entry.record?.version,
        outcome: 'ok',
        cacheHit: hit,
        fingerprint: secret.fingerprint(),
      },
      o.context,
    );
  }

  /** The warm path, without awaits: the first candidate's fresh entry, or undefined to take the slow path. */
  function fresh(ref: SecretRef, o: ResolveOptions): Secret | undefined {
    if (closed) return undefined;
    const source = ref.source === undefined ? ordered[0] : sources.get(ref.source);
    if (!source || !holds(source, o.version ?? ref.version)) return undefined;
    const entry = cache.fresh(entryKey(source.id, ref.name, o.version ?? ref.version));
    if (!entry) return undefined;
    if (policy.comparing && !entry.compared?.has(ref.field ?? '')) return undefined;
    const secret = finish(entry, source, ref, o);
    if (listening) emitResolved(entry, source, ref, true, o, secret);
    return secret;
  }

  /**
   * Whether `source` can hold `version`: one that keeps no versions holds none, so `env:X?version=3`
   * is not found rather than answered with the current value.
   */
  function holds(source: SecretSource, version: string | undefined): boolean {
    return version === undefined || source.capabilities.versions;
  }

  async function resolveRef(ref: SecretRef, o: ResolveOptions): Promise<Secret | undefined> {
    assertOpen();
    const version = o.version ?? ref.version;
    for (const source of candidates(ref)) {
      if (!holds(source, version)) continue;
      const hit = cache.peek(entryKey(source.id, ref.name, version));
      const wasFresh = hit !== undefined && Date.now() < hit.expiresAt;
      let entry: Entry;
      try {
        entry = await cache.lookup(source, ref.name, version, o.signal, o.context);
      } catch (err) {
        if (!listening) throw err;
        emit(
          {
            type: 'error',
            ref: fmt(ref),
            source: source.id,
            name: ref.name,
            version,
            outcome: 'error',
            code: (err as SecretError).code,
            message: (err as SecretError).message,
          },
          o.context,
        );
        throw err;
      }
      if (!entry.record) continue;
      const secret = finish(entry, source, ref, o);
      if (policy.comparing && !entry.compared?.has(ref.field ?? '')) {
        await policy.compare(secret, {
          name: ref.name,
          ref: fmt(ref),
          source: source.id,
          version: entry.record.version,
        });
        entry.compared ??= new Set();
        entry.compared.add(ref.field ?? '');
      }
      if (listening) emitResolved(entry, source, ref, wasFresh, o, secret);
      return secret;
    }
    return undefined;
  }

  /** Field selection and the policy, memoised per fetched version. */
  function finish(entry: Entry, source: SecretSource, ref: SecretRef, o: ResolveOptions): Secret {
    const record = entry.record!;
    const fieldKey = ref.field ?? '';
    let secret = entry.fields.get(fieldKey);
    if (!secret) {
      secret =
        ref.field === undefined
          ? record.value
          : selectField(record.value, ref.field, { source: source.id, name: ref.name });
      entry.fields.set(fieldKey, secret);
    }
    const names = { key: o.key, field: ref.field, store: ref.name };
    const profile = policy.profileFor(names, o.profile);
    const checkKey = `${fieldKey}${SEP}${profile}${SEP}${o.key ?? ''}`;
    if (!entry.checked.has(checkKey)) {
      const at = {
        names,
        name: ref.name,
        ref: fmt(ref),
        source: source.id,
        profile,
        record,
        context: o.context,
      };
      // Once per fetched version, whichever names it is read by.
      if (!entry.checked.has(ROTATION)) {
        policy.rotation(at);
        entry.checked.add(ROTATION);
      }
      // Throws ERR_SECRET_WEAK when the policy fails; a weak value is not remembered as checked.
      policy.enforce(secret, at);
      entry.checked.add(checkKey);
    }
    return secret;
  }

  function notFound(ref: SecretRef, version: string | undefined): SecretNotFoundError {
    const tried = ref.source === undefined ? [...sources.keys()] : [ref.source];
    const what =
      version === undefined ? `secret "${ref.name}"` : `version "${version}" of secret "${ref.name}"`;
    // Each source tried, with where it looked (region, vault URL): the wrong region is the usual cause.
    const where = (id: string) => {
      const source = sources.get(id);
      const notes = [
        source?.location,
        source && !holds(source, version) ? 'it keeps no versions' : undefined,
      ].filter(Boolean);
      return notes.length ? `"${id}" (${notes.join('; ')})` : `"${id}"`;
    };
    return new SecretNotFoundError(
      `${what} was not found in ${tried.length ? tried.map(where).join(', ') : 'any source (none configured)'}`,
      {
        source: ref.source,
        secretName: ref.name,
        sourcesTried: tried,
        version: version !== undefined,
      },
    );
  }

  /** A hit on a memoised ref string: no parsing, no key building, no policy bookkeeping. */
  function hotHit(ref: string): Secret | undefined {
    const h = hot.get(ref);
    if (h === undefined) return undefined;
    const e = h.entry;
    if (e.dropped || Date.now() >= e.expiresAt) {
      hot.delete(ref);
      return undefined;
    }
    // Refresh LRU recency now and then, not on every hit: the bump costs as much as the hit.
    if ((++h.hits & 63) === 0) cache.touch(h.key);
    if (listening) emitResolved(e, h.source, h.ref, true, NO_OPTIONS, h.secret);
    return h.secret;
  }

  /**
   * Memoises a string ref's resolution. For a bare name that is the first source whose fresh entry
   * has it: the memo lives as long as that entry, so a name appearing in an earlier source is seen
   * within one TTL, as for any cached value.
   */
  function remember(ref: string, r: SecretRef, secret: Secret): void {
    if (cacheOff) return;
    for (const source of r.source === undefined ? ordered : [sources.get(r.source)]) {
      if (!source) return;
      const key = entryKey(source.id, r.name, r.version);
      const entry = cache.peek(key);
      if (!entry || entry.dropped || !entry.record) continue;
      if (hot.size >= 10_000) hot.clear();
      hot.set(ref, { entry, secret, source, ref: r, key, hits: 0 });
      return;
    }
  }

  async function get(ref: string | SecretRef, o: ResolveOptions = NO_OPTIONS): Promise<Secret> {
    if (o === NO_OPTIONS && typeof ref === 'string') {
      const h = hotHit(ref);
      if (h !== undefined) return h;
    }
    const r = toRef(ref);
    const secret = fresh(r, o) ?? (await resolveRef(r, o));
    if (secret && o === NO_OPTIONS && typeof ref === 'string') remember(ref, r, secret);
    if (!secret) {
      const err = notFound(r, o.version ?? r.version);
      emit(
        { type: 'error', ref: fmt(r), name: r.name, outcome: 'miss', code: err.code, message: err.message },
        o.context,
      );
      throw err;
    }
    return secret;
  }

  async function getOptional(
    ref: string | SecretRef,
    o: ResolveOptions = NO_OPTIONS,
  ): Promise<Secret | undefined> {
    const r = toRef(ref);
    return fresh(r, o) ?? resolveRef(r, o);
  }

  /** Prefetches refs that name a batching source, so the per-ref `get`s below are cache hits. */
  async function prefetch(refs: readonly SecretRef[], o: ResolveOptions): Promise<Map<string, SecretError>> {
    const failures = new Map<string, SecretError>();
    const groups = new Map<SecretSource, string[]>();
    for (const r of refs) {
      if (r.source === undefined || r.version !== undefined || o.version !== undefined) continue;
      const source = sources.get(r.source);
      if (!source || !supports(source, 'getMany')) continue;
      if (cache.covered(entryKey(source.id, r.name, undefined))) continue;
      const names = groups.get(source) ?? [];
      if (!names.includes(r.name)) names.push(r.name);
      groups.set(source, names);
    }
    await Promise.all(
      [...groups].map(async ([source, names]) => {
        if (names.length < 2) return;
        const failed = await cache.batch(source, names);
        if (failed) for (const n of names) failures.set(entryKey(source.id, n, undefined), failed);
      }),
    );
    return failures;
  }

  async function getManySettled(refs: readonly string[], o: ResolveOptions = {}): Promise<Settled[]> {
    const parsedRefs: Array<SecretRef | SecretError> = refs.map((r) => {
      try {
        return toRef(r);
      } catch (err) {
        return toSecretError(err, { action: 'parsing reference' });
      }
    });
    const failures = await prefetch(
      parsedRefs.filter((r): r is SecretRef => !(r instanceof Error)),
      o,
    );
    return Promise.all(
      parsedRefs.map(async (r, i): Promise<Settled> => {
        const ref = refs[i]!;
        if (r instanceof Error) return { ref, ok: false, error: r };
        const failed = knownFailure(r, failures);
        if (failed) return { ref, ok: false, error: failed };
        try {
          return { ref, ok: true, secret: await get(r, o) };
        } catch (err) {
          return { ref, ok: false, error: toSecretError(err, { action: 'resolving', secretName: r.name }) };
        }
      }),
    );
  }

  /**
   * A cold key whose batch just timed out or found the store down: asking again at once would
   * double the wait and the load. Denied or unsupported batches still fall back to single reads,
   * and a cached key still gets its stale value through get().
   */
  function knownFailure(r: SecretRef, failures: Map<string, SecretError>): SecretError | undefined {
    const key = r.source === undefined ? undefined : entryKey(r.source, r.name, undefined);
    const failed = key === undefined ? undefined : failures.get(key);
    if (
      failed &&
      (failed.code === 'ERR_SOURCE_UNAVAILABLE' || failed.code === 'ERR_SOURCE_TIMEOUT') &&
      cache.peek(key!) === undefined
    ) {
      return failed;
    }
    return undefined;
  }

  /** `load()`'s batched prefetch: the cache filled, and the refs whose answer is already a store failure. */
  async function warm(refs: readonly string[], o: ResolveOptions): Promise<Map<number, SecretError>> {
    const parsedRefs = refs.map((r) => {
      try {
        return toRef(r);
      } catch {
        return undefined; // get() reports it, with the key
      }
    });
    const failures = await prefetch(
      parsedRefs.filter((r): r is SecretRef => r !== undefined),
      o,
    );
    const known = new Map<number, SecretError>();
    parsedRefs.forEach((r, i) => {
      const failed = r && knownFailure(r, failures);
      if (failed) known.set(i, failed);
    });
    return known;
  }

  async function getMany(refs: readonly string[], o: ResolveOptions = {}): Promise<Map<string, Secret>> {
    const settled = await getManySettled(refs, o);
    const failed = settled.filter((s) => !s.ok);
    if (failed.length > 0) {
      throw aggregate(failed as Array<Extract<Settled, { ok: false }>>, refs.length);
    }
    return new Map(settled.map((s) => [s.ref, (s as Extract<Settled, { ok: true }>).secret]));
  }

  async function refresh(ref?: string | SecretRef): Promise<void> {
    assertOpen();
    if (ref === undefined) {
      cache.expireAll();
      return;
    }
    const r = toRef(ref);
    for (const source of candidates(r)) {
      if (!holds(source, r.version)) continue;
      const entry = await cache.fetch(source, r.name, r.version);
      if (entry.record) return;
    }
  }

  /** Live rings by ref, options and listener: asking again reads the same ring again. */
  const rings = new Map<string, { ring: Promise<LiveKeyRing>; onEvent: EventListener | undefined }[]>();

  async function keyRing(ref: string | SecretRef, o: LiveKeyRingOptions = {}): Promise<LiveKeyRing> {
    assertOpen();
    const { onEvent, signal: _signal, ...numbers } = o;
    const key = `${typeof ref === 'string' ? ref : fmt(ref)}${SEP}${JSON.stringify(numbers)}`;
    const same = rings.get(key) ?? [];
    const found = same.find((x) => x.onEvent === onEvent);
    if (found) {
      const ring = await found.ring;
      await ring.refresh();
      return ring;
    }
    const listener: EventListener | undefined =
      onEvent && options.onEvent
        ? (e) => {
            emitSafely(onEvent, e);
            emitSafely(options.onEvent, e);
          }
        : (onEvent ?? options.onEvent);
    const drop = () => {
      const list = rings.get(key)?.filter((x) => x !== entry) ?? [];
      if (list.length) rings.set(key, list);
      else rings.delete(key);
    };
    // Loaded on first use: most apps never rotate keys at boot.
    const ring = import('../keys/live-ring.js').then((m) =>
      m.createLiveKeyRing(resolver, ref, { ...o, onEvent: listener }, { onClose: drop }),
    );
    const entry = { ring, onEvent };
    rings.set(key, [...same, entry]);
    ring.catch(drop);
    return ring;
  }

  async function close(): Promise<void> {
    if (closed) return;
    closed = true;
    const open = [...rings.values()].flat();
    rings.clear();
    await Promise.allSettled(open.map(async (x) => (await x.ring).close()));
    cache.clear();
    hot.clear();
    parsed.clear();
    await Promise.allSettled([...sources.values()].map((s) => s.close?.()));
  }

  const resolver: Resolver = {
    get,
    getOptional,
    getMany,
    getManySettled,
    load: (spec, o) => loadConfig({ get, getOptional, warm }, spec, o),
    refresh,
    keyRing,
    sources,
    close,
  };
  return resolver;
}

function fmt(ref: SecretRef): string {
  try {
    return formatRef(ref);
  } catch {
    return ref.name;
  }
}

function aggregate(failed: Array<{ ref: string; error: SecretError }>, total: number): ConfigError {
  // A weak secret's findings travel with it, as in load(): the same codes and severities as get().
  const issues = failed.flatMap((f) => {
    const head = issueOf(f.error, f.ref);
    const nested = (f.error as SecretError & { issues?: readonly Issue[] }).issues;
    return f.error.code === 'ERR_SECRET_WEAK' && nested
      ? [head, ...nested.map((i) => ({ ...i, path: [f.ref] }))]
      : [head];
  });
  return configError(issues, `${failed.length} of ${total} secrets could not be resolved:`);
}
