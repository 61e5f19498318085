/**
 * Live key rings (`resolver.keyRing`): a ring that keeps itself current. It reads the store in the
 * background before its data is `refreshMs` old (jittered, so a fleet booted together does not read
 * in lockstep), at once on an unknown `kid` (single-flight, at most once per `cooldownMs`, so forged
 * kids cannot become store calls), and answers `current` and `find` from memory: the hot path never
 * waits on the store. Reads that fail keep the last good ring within `maxStaleMs`, never past it.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { SecretError, SecretNotFoundError, toSecretError } from '../core/errors.js';
import { type EventListener, emitSafely, type SecretEvent } from '../core/events.js';
import { formatRef, type SecretRef } from '../core/ref.js';
import type { KeyHost } from './host.js';
import { isOpen, type KeyRing, type KeyRingKey, type KeyRingOptions, readRing, ringRef } from './keyring.js';

/** Options for a live key ring (`resolver.keyRing`). */
export interface LiveKeyRingOptions extends KeyRingOptions {
  /**
   * The ring's data is never older than this while the store answers: each background read starts
   * at a random point between 60% and 90% of it after the last one (the rest is room for the read
   * itself on a slow store). One read costs one version listing, plus one value read per new version.
   * @default 60000
   */
  refreshMs?: number | undefined;
  /** Least time between two reads caused by unknown `kid`s. @default 30000 */
  cooldownMs?: number | undefined;
  /**
   * How long past `refreshMs` the last good ring still answers while reads fail with a retryable
   * error (an outage). Past it, and at once on denial, absence or a weak key, the ring refuses to
   * sign or verify until a read succeeds. @default 300000
   */
  maxStaleMs?: number | undefined;
  /**
   * A new version becomes the signing key once this ring has known it this long, or the store
   * created it this long ago, so every other ring has had a read to learn it before tokens signed
   * with it arrive. When the previous version is revoked, the new one signs at once. @default refreshMs
   */
  signDelayMs?: number | undefined;
  /** Longest one version listing may take (reads of values use the resolver's timeout). @default 10000 */
  timeoutMs?: number | undefined;
  /** Receives `refresh`, `stale-served` and `error` events, never a value. */
  onEvent?: EventListener | undefined;
}

/**
 * A key ring that keeps itself current. Every method is safe to pass around unbound. Once the ring
 * refuses (no good read for refreshMs + maxStaleMs, or denied), `current`, `signingKey()` and
 * `verificationKeys()` throw its coded error and `find`, `lookup` and `getKey` find nothing.
 */
export interface LiveKeyRing extends KeyRing {
  /** When the last good read finished (ms since the epoch). */
  readonly refreshedAt: number;
  /**
   * The verifying key with this `kid`. A known kid answers from memory; an unknown one triggers a
   * read (single-flight, at most once per `cooldownMs`) and is looked up again after it.
   */
  lookup(kid: string): Promise<KeyRingKey | undefined>;
  /**
   * For `jwtVerify(token, ring.getKey)` (jose): the key the header's `kid` names, as a `KeyObject`.
   * Rejects with `ERR_SECRET_VERSION_NOT_FOUND` for a missing, unknown, retired or revoked kid.
   */
  getKey(header: { kid?: string | undefined }): Promise<KeyObject>;
  /**
   * For `new SignJWT(…).setProtectedHeader({ alg: 'HS256', kid }).sign(key)` and
   * `createHmac('sha256', key)`: the signing key and its kid. Never waits.
   */
  signingKey(): { kid: string; key: KeyObject };
  /** For `createHmac` verification: the key for `kid` (read as `lookup` does), or undefined. */
  verifyingKey(kid: string): Promise<KeyObject | undefined>;
  /** Reads the store now (joining a read under way); rejects when the read fails. */
  refresh(): Promise<void>;
  /** Stops reading the store. The ring answers from its last data until that goes stale. */
  close(): void;
}

/** Why a ring read the store, as the `trigger` of its `refresh` events. */
type Trigger = 'initial' | 'schedule' | 'unknown-kid' | 'manual';

interface State {
  /** The store's current key first, then previous keys, newest first. */
  keys: KeyRingKey[];
  byKid: Map<string, KeyRingKey>;
  /** Monotonic time of the read. */
  readAt: number;
  /** Wall time of the read. */
  refreshedAt: number;
}

/** Monotonic milliseconds: a wall-clock step must not make a ring stale or fresh. */
const mono = () => performance.now();

/** Starts an unref-ed timer: a ring never keeps a process alive. */
function later(ms: number, fn: () => void): ReturnType<typeof setTimeout> {
  const t = setTimeout(fn, Math.max(0, ms));
  t.unref?.();
  return t;
}

/**
 * Reads the ring for `ref` and keeps it current until `close()`. Rejects when the first read fails.
 * @example
 * const ring = await resolver.keyRing('aws-sm:prod/jwt', { graceMs: 86_400_000, refreshMs: 60_000 });
 * const { kid, key } = ring.signingKey();
 * const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', kid }).sign(key);
 * const { payload } = await jwtVerify(token, ring.getKey);
 */
export async function createLiveKeyRing(
  host: KeyHost,
  ref: string | SecretRef,
  options: LiveKeyRingOptions = {},
  hooks: { onClose?: (() => void) | undefined } = {},
): Promise<LiveKeyRing> {
  const r = ringRef(ref);
  const text = formatRef(r);
  const graceMs = options.graceMs ?? 86_400_000;
  const refreshMs = positive('refreshMs', options.refreshMs, 60_000);
  const cooldownMs = positive('cooldownMs', options.cooldownMs, 30_000, true);
  const maxStaleMs = positive('maxStaleMs', options.maxStaleMs, 300_000, true);
  const signDelayMs = positive('signDelayMs', options.signDelayMs, refreshMs, true);
  const timeoutMs = positive('timeoutMs', options.timeoutMs, 10_000);
  const known = new Map<string, KeyRingKey['secret']>();
  /** Monotonic time each version (or kid, without versions) was first read. */
  const firstSeen = new Map<string, number>();
  /**
   * Versions this ring has signed with: settled for good, whatever a later read says of their dates
   * (a store clock can move; moto reports the listing time), so signing never goes back to an older key.
   */
  const signedWith = new Set<string>();
  const keyObjects = new Map<string, KeyObject>();
  let state: State | undefined;
  /**
   * The hot path reads these two and no clock: `serving` turns false when the data passes
   * refreshMs + maxStaleMs (a timer) or a read fails for good; `signing` moves to the store's
   * current key when it has settled (a timer).
   */
  let serving = false;
  let signing: KeyRingKey | undefined;
  /** Set by a non-retryable failure (denied, absent, weak): the ring refuses until a read succeeds. */
  let failure: SecretError | undefined;
  let failures = 0;
  let inflight: Promise<void> | undefined;
  let lastKidRead = Number.NEGATIVE_INFINITY;
  let readTimer: ReturnType<typeof setTimeout> | undefined;
  let staleTimer: ReturnType<typeof setTimeout> | undefined;
  let switchTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;

  function emit(event: Omit<SecretEvent, 'time' | 'ref' | 'source' | 'name'>): void {
    emitSafely(options.onEvent, {
      time: new Date().toISOString(),
      ref: text,
      source: r.source,
      name: r.name,
      ...event,
    });
  }

  /**
   * Installs a read. The store's current key signs once it has settled: known to this ring for
   * signDelayMs, or created that long ago by the store's clock. Until then the newest settled key
   * still inside its grace window signs; with none (revoked, or all new), the current key at once.
   */
  function install(keys: KeyRingKey[]): void {
    const now = mono();
    const wall = Date.now();
    const seenNow = new Map<string, number>();
    const settlesAt = (k: KeyRingKey): number => {
      const id = k.version ?? k.kid;
      const seen = firstSeen.get(id) ?? now;
      seenNow.set(id, seen);
      if (signedWith.has(id)) return Number.NEGATIVE_INFINITY;
      const byStore = k.createdAt
        ? now + (k.createdAt.getTime() + signDelayMs - wall)
        : Number.POSITIVE_INFINITY;
      return Math.min(seen + signDelayMs, byStore);
    };
    const settled = keys.map(settlesAt);
    firstSeen.clear();
    for (const [id, t] of seenNow) firstSeen.set(id, t);
    for (const id of signedWith) if (!seenNow.has(id)) signedWith.delete(id);
    const kids = new Set(keys.map((k) => k.kid));
    for (const kid of keyObjects.keys()) if (!kids.has(kid)) keyObjects.delete(kid);
    const newest = keys[0]!;
    const switchAt = settled[0]!;
    // The interim signer must stay inside its grace window until the switch.
    const interim = keys.find(
      (k, i) =>
        i > 0 &&
        settled[i]! <= now &&
        k.replacedAt !== undefined &&
        k.replacedAt.getTime() + graceMs > wall + (switchAt - now),
    );
    clearTimeout(switchTimer);
    const signWith = (k: KeyRingKey) => {
      signing = k;
      signedWith.add(k.version ?? k.kid);
    };
    if (switchAt <= now || interim === undefined) signWith(newest);
    else {
      signWith(interim);
      switchTimer = later(switchAt - now, () => {
        if (state?.keys[0] === newest) signWith(newest);
      });
    }
    state = { keys, byKid: new Map(keys.map((k) => [k.kid, k])), readAt: now, refreshedAt: wall };
    serving = true;
    clearTimeout(staleTimer);
    staleTimer = later(refreshMs + maxStaleMs, () => {
      serving = false;
    });
  }

  function schedule(delay: number): void {
    if (closed) return;
    clearTimeout(readTimer);
    readTimer = later(delay, () => {
      read('schedule').catch(() => {});
    });
  }

  /** 60–90% of refreshMs; after failures, an exponential backoff from 1 s, never later than that. */
  function nextDelay(): number {
    const regular = refreshMs * (0.6 + 0.3 * Math.random());
    if (failures === 0) return regular;
    return Math.min(regular, 1000 * 2 ** Math.min(failures - 1, 16) * (0.5 + Math.random() / 2));
  }

  /** One store read at a time, whoever asks. */
  function read(trigger: Trigger): Promise<void> {
    if (closed && trigger !== 'manual') return Promise.resolve();
    inflight ??= run(trigger).finally(() => {
      inflight = undefined;
    });
    return inflight;
  }

  async function run(trigger: Trigger): Promise<void> {
    const started = mono();
    try {
      const keys = await readRing(host, r, {
        graceMs,
        maxPrevious: options.maxPrevious ?? 10,
        timeoutMs,
        known,
        fresh: true,
        signal: trigger === 'initial' ? options.signal : undefined,
      });
      install(keys);
      failure = undefined;
      failures = 0;
      emit({
        type: 'refresh',
        version: keys[0]!.version,
        outcome: 'ok',
        durationMs: Math.round(mono() - started),
        trigger,
      });
    } catch (err) {
      const e = toSecretError(err, { source: r.source!, secretName: r.name, action: 'reading key ring' });
      failures++;
      const base = { code: e.code, durationMs: Math.round(mono() - started), trigger };
      emit({ type: 'refresh', outcome: 'error', message: e.message, ...base });
      if (!e.retryable) {
        failure = e;
        serving = false;
        emit({
          type: 'error',
          outcome: 'error',
          message: `key ring refuses to sign or verify: ${e.message}`,
          ...base,
        });
      } else if (state && serving) {
        emit({
          type: 'stale-served',
          outcome: 'stale',
          staleForMs: Math.round(mono() - state.readAt),
          ...base,
        });
      } else if (state) {
        emit({
          type: 'error',
          outcome: 'error',
          message: `key ring "${text}" has had no good read for ${Math.round(mono() - state.readAt)} ms (over refreshMs + maxStaleMs); it refuses to sign or verify until the store answers`,
          ...base,
        });
      }
      throw e;
    } finally {
      schedule(nextDelay());
    }
  }

  /** The data, or the reason there is none to use. */
  function live(): State {
    if (serving) return state!;
    throw (
      failure ??
      new SecretError(
        'ERR_SOURCE_UNAVAILABLE',
        `key ring "${text}" is stale: no good read of the store for ${Math.round(mono() - state!.readAt)} ms`,
        {
          source: r.source,
          secretName: r.name,
          retryable: true,
          hint: 'check the store; the ring reads it again on its own',
        },
      )
    );
  }

  /** A read for an unknown kid, unless one ran within `cooldownMs`; joins a read under way. */
  function readForKid(): Promise<void> | undefined {
    if (inflight) return inflight;
    const now = mono();
    if (closed || now - lastKidRead < cooldownMs) return undefined;
    lastKidRead = now;
    return read('unknown-kid');
  }

  /** The hot path: one Map lookup; a clock only for a previous key's grace window. */
  function findKey(kid: string, now: number | undefined): KeyRingKey | undefined {
    if (!serving) return undefined;
    const k = state!.byKid.get(kid);
    if (k === undefined || k.replacedAt === undefined) return k;
    return k.replacedAt.getTime() + graceMs > (now ?? Date.now()) ? k : undefined;
  }

  function find(kid: string, now?: number): KeyRingKey | undefined {
    const k = findKey(kid, now);
    if (k === undefined) readForKid()?.catch(() => {});
    return k;
  }

  async function lookup(kid: string): Promise<KeyRingKey | undefined> {
    let k = findKey(kid, undefined);
    if (k !== undefined) return k;
    if (inflight) {
      // A read under way may have started before the key was written: wait for it, then look again.
      await inflight.catch(() => {});
      k = findKey(kid, undefined);
      if (k !== undefined) return k;
    }
    const pending = readForKid();
    if (pending === undefined) return undefined;
    await pending.catch(() => {});
    return findKey(kid, undefined);
  }

  function keyObject(k: KeyRingKey): KeyObject {
    let o = keyObjects.get(k.kid);
    if (o === undefined) {
      o = createSecretKey(k.secret.bytes());
      keyObjects.set(k.kid, o);
    }
    return o;
  }

  function signer(): KeyRingKey {
    if (!serving) live();
    return signing!;
  }

  try {
    await read('initial');
  } catch (err) {
    closed = true;
    clearTimeout(readTimer);
    throw err;
  }

  const ring: LiveKeyRing = {
    ref: text,
    graceMs,
    get current() {
      return signer();
    },
    get refreshedAt() {
      return state!.refreshedAt;
    },
    verificationKeys(now = Date.now()) {
      return live().keys.filter((k) => isOpen(k, graceMs, now));
    },
    find,
    lookup,
    async getKey(header) {
      const kid = header.kid;
      const k = kid === undefined ? undefined : await lookup(kid);
      if (k === undefined) {
        throw new SecretNotFoundError(
          kid === undefined
            ? `the token names no kid, so key ring "${text}" cannot pick a key`
            : `no verifying key for the token's kid in key ring "${text}" (unknown, past its grace window or revoked)`,
          { source: r.source, secretName: r.name, version: true },
        );
      }
      return keyObject(k);
    },
    signingKey() {
      const k = signer();
      return { kid: k.kid, key: keyObject(k) };
    },
    async verifyingKey(kid) {
      const k = await lookup(kid);
      return k === undefined ? undefined : keyObject(k);
    },
    refresh: () => read('manual'),
    close() {
      if (closed) return;
      closed = true;
      clearTimeout(readTimer);
      hooks.onClose?.();
    },
  };
  return ring;
}

function positive(name: string, value: number | undefined, fallback: number, zeroOk = false): number {
  const v = value ?? fallback;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && !zeroOk)) {
    throw new SecretError(
      'ERR_USAGE',
      `key ring option ${name} must be a ${zeroOk ? 'non-negative' : 'positive'} number of milliseconds`,
    );
  }
  return v;
}
