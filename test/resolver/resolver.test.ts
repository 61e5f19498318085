import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { memorySource } from '../../providers/memory.js';
import { Secret } from '../../src/core/secret.js';
import {
  createResolver,
  isSecretError,
  type SecretEvent,
  type SecretSource,
  SourceError,
} from '../../src/index.js';

const SENTINEL = 'SENTINEL-resolver-b81f0a-never-print';

/** Wraps a source so a test can count, delay or fail its calls. */
function instrumented(inner: SecretSource, id = inner.id) {
  const state = { calls: 0, batchCalls: 0, fail: undefined as unknown, hang: false, delayMs: 0 };
  const source: SecretSource = {
    id,
    capabilities: inner.capabilities,
    async get(name, opts) {
      state.calls++;
      if (state.delayMs) await new Promise((r) => setTimeout(r, state.delayMs));
      if (state.hang) return new Promise(() => {});
      if (state.fail !== undefined) throw state.fail;
      return inner.get(name, opts);
    },
    ...(inner.getMany
      ? {
          async getMany(
            names: readonly string[],
            opts?: Parameters<NonNullable<SecretSource['getMany']>>[1],
          ) {
            state.batchCalls++;
            if (state.fail !== undefined) throw state.fail;
            return inner.getMany!(names, opts);
          },
        }
      : {}),
  };
  return { source, state };
}

const unavailable = () => new SourceError('ERR_SOURCE_UNAVAILABLE', 'store is down', { source: 'memory' });

describe('createResolver: get', () => {
  it('resolves explicit refs and bare names in source order', async () => {
    const a = memorySource({ id: 'a', initial: { ONLY_A: 'from-a', BOTH: 'a-wins' } });
    const b = memorySource({ id: 'b', initial: { ONLY_B: 'from-b', BOTH: 'b-loses' } });
    const r = createResolver({ sources: [a, b] });
    expect((await r.get('ONLY_B')).reveal()).toBe('from-b');
    expect((await r.get('BOTH')).reveal()).toBe('a-wins');
    expect((await r.get('b:BOTH')).reveal()).toBe('b-loses');
  });

  it('throws ERR_SECRET_NOT_FOUND naming every source tried', async () => {
    const r = createResolver({ sources: [memorySource({ id: 'a' }), memorySource({ id: 'b' })] });
    await expect(r.get('NOPE')).rejects.toMatchObject({
      code: 'ERR_SECRET_NOT_FOUND',
      message: 'secret "NOPE" was not found in "a", "b"',
      sourcesTried: ['a', 'b'],
    });
    await expect(r.getOptional('NOPE')).resolves.toBeUndefined();
  });

  it('refuses an unknown source id with ERR_REF_INVALID', async () => {
    const r = createResolver({ sources: [memorySource()] });
    await expect(r.get('nosuch:X')).rejects.toMatchObject({
      code: 'ERR_REF_INVALID',
      message: 'unknown source "nosuch" in reference to "X"; configured: memory',
    });
  });

  it('refuses malformed refs with ERR_REF_INVALID', async () => {
    const r = createResolver({ sources: [memorySource()] });
    await expect(r.get('memory:')).rejects.toMatchObject({ code: 'ERR_REF_INVALID' });
    await expect(r.get('memory:a#')).rejects.toMatchObject({ code: 'ERR_REF_INVALID' });
  });

  it('refuses two sources with one id', () => {
    expect(() => createResolver({ sources: [memorySource(), memorySource()] })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });
});

describe('createResolver: JSON fields', () => {
  const mem = () =>
    memorySource({ initial: { app: JSON.stringify({ jwt: 'j-value', n: 5 }), plain: SENTINEL } });

  it('selects a top-level field', async () => {
    const r = createResolver({ sources: [mem()] });
    expect((await r.get('memory:app#jwt')).reveal()).toBe('j-value');
    expect((await r.get('memory:app#n')).reveal()).toBe('5');
  });

  it('fails with ERR_SECRET_MALFORMED on a non-JSON value without quoting it', async () => {
    const r = createResolver({ sources: [mem()] });
    const err = await r.get('memory:plain#x').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_SECRET_MALFORMED',
      message: 'secret "plain" in source "memory" is not JSON, so field "x" cannot be selected',
    });
    expect(inspect(err, { showHidden: true, depth: 9 })).not.toContain(SENTINEL);
  });

  it('fails with ERR_SECRET_MALFORMED on a missing field', async () => {
    const r = createResolver({ sources: [mem()] });
    await expect(r.get('memory:app#nope')).rejects.toMatchObject({
      code: 'ERR_SECRET_MALFORMED',
      message: 'secret "app" in source "memory" has no field "nope"',
    });
  });

  it('shares one store call between fields of one secret', async () => {
    const { source, state } = instrumented(mem());
    const r = createResolver({ sources: [source] });
    await Promise.all([r.get('memory:app#jwt'), r.get('memory:app#n')]);
    expect(state.calls).toBe(1);
  });
});

describe('createResolver: cache', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves hits within the TTL and fetches again after it', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'v1' } }));
    const r = createResolver({ sources: [source], cache: { ttlMs: 1000 } });
    await r.get('memory:K');
    await r.get('memory:K');
    expect(state.calls).toBe(1);
    vi.advanceTimersByTime(999);
    await r.get('memory:K');
    expect(state.calls).toBe(1);
    vi.advanceTimersByTime(2);
    await r.get('memory:K');
    expect(state.calls).toBe(2);
  });

  it('takes its default TTL from SECRETSOURCE_CACHE_TTL_MS', async () => {
    vi.stubEnv('SECRETSOURCE_CACHE_TTL_MS', '50');
    const { source, state } = instrumented(memorySource({ initial: { K: 'v1' } }));
    const r = createResolver({ sources: [source] });
    await r.get('memory:K');
    vi.advanceTimersByTime(51);
    await r.get('memory:K');
    expect(state.calls).toBe(2);
  });

  it('rejects a malformed SECRETSOURCE_CACHE_TTL_MS', () => {
    vi.stubEnv('SECRETSOURCE_CACHE_TTL_MS', 'soon');
    expect(() => createResolver({ sources: [memorySource()] })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });

  it('keys by version: a versioned read does not return the latest', async () => {
    const mem = memorySource();
    await mem.set!('K', 'one');
    await mem.set!('K', 'two');
    const r = createResolver({ sources: [mem] });
    expect((await r.get('memory:K')).reveal()).toBe('two');
    expect((await r.get('memory:K?version=1')).reveal()).toBe('one');
    expect((await r.get('memory:K', { version: 'previous' })).reveal()).toBe('one');
  });

  it('makes one store call for 1000 concurrent cold callers', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'v' } }));
    state.delayMs = 20;
    const r = createResolver({ sources: [source] });
    const all = Promise.all(Array.from({ length: 1000 }, () => r.get('memory:K')));
    await vi.advanceTimersByTimeAsync(25);
    const values = await all;
    expect(state.calls).toBe(1);
    expect(new Set(values.map((v) => v.reveal()))).toEqual(new Set(['v']));
  });

  it('does not cache misses by default', async () => {
    const mem = memorySource();
    const { source, state } = instrumented(mem);
    const r = createResolver({ sources: [source] });
    await expect(r.getOptional('memory:K')).resolves.toBeUndefined();
    await mem.set!('K', 'now');
    expect((await r.get('memory:K')).reveal()).toBe('now');
    expect(state.calls).toBe(2);
  });

  it('bounds the number of entries', async () => {
    const initial = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`K${i}`, `v${i}`]));
    const { source, state } = instrumented(memorySource({ initial }));
    const r = createResolver({ sources: [source], cache: { maxEntries: 2 } });
    for (let i = 0; i < 5; i++) await r.get(`memory:K${i}`);
    expect(state.calls).toBe(5);
    await r.get('memory:K4');
    expect(state.calls).toBe(5);
    await r.get('memory:K0');
    expect(state.calls).toBe(6);
  });

  it('cache: false fetches every time but still shares concurrent calls', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'v' } }));
    const r = createResolver({ sources: [source], cache: false });
    await Promise.all([r.get('memory:K'), r.get('memory:K')]);
    await r.get('memory:K');
    expect(state.calls).toBe(2);
  });

  it('refresh(ref) fetches now; refresh() marks everything stale', async () => {
    const mem = memorySource({ initial: { K: 'old' } });
    const { source, state } = instrumented(mem);
    const r = createResolver({ sources: [source] });
    await r.get('memory:K');
    await mem.set!('K', 'new');
    expect((await r.get('memory:K')).reveal()).toBe('old');
    await r.refresh('memory:K');
    expect((await r.get('memory:K')).reveal()).toBe('new');
    await mem.set!('K', 'newer');
    await r.refresh();
    expect((await r.get('memory:K')).reveal()).toBe('newer');
    expect(state.calls).toBe(3);
  });
});

describe('createResolver: stale-on-error', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('serves the last good value up to maxStaleMs after a retryable failure, with an event', async () => {
    const events: SecretEvent[] = [];
    const { source, state } = instrumented(memorySource({ initial: { K: 'good' } }));
    const r = createResolver({
      sources: [source],
      cache: { ttlMs: 100, maxStaleMs: 1000 },
      onEvent: (e) => events.push(e),
    });
    await r.get('memory:K');
    state.fail = unavailable();
    vi.advanceTimersByTime(600);
    expect((await r.get('memory:K')).reveal()).toBe('good');
    const stale = events.find((e) => e.type === 'stale-served');
    expect(stale).toMatchObject({
      outcome: 'stale',
      code: 'ERR_SOURCE_UNAVAILABLE',
      source: 'memory',
      name: 'K',
      staleForMs: 500,
    });
    vi.advanceTimersByTime(501);
    await expect(r.get('memory:K')).rejects.toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE' });
  });

  it('does not serve stale after a non-retryable failure such as access denied', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'good' } }));
    const r = createResolver({ sources: [source], cache: { ttlMs: 100, maxStaleMs: 10_000 } });
    await r.get('memory:K');
    state.fail = new SourceError('ERR_SOURCE_ACCESS_DENIED', 'denied', { source: 'memory' });
    vi.advanceTimersByTime(200);
    await expect(r.get('memory:K')).rejects.toMatchObject({ code: 'ERR_SOURCE_ACCESS_DENIED' });
  });

  it('fails a cold read at once: there is nothing stale to serve', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'good' } }));
    state.fail = unavailable();
    const r = createResolver({ sources: [source] });
    await expect(r.get('memory:K')).rejects.toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE' });
  });
});

describe('createResolver: hostile sources', () => {
  it('turns a thrown non-Error into a coded error without its content', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'v' } }));
    state.fail = { secret: SENTINEL };
    const r = createResolver({ sources: [source] });
    const err = await r.get('memory:K').catch((e: unknown) => e);
    expect(isSecretError(err)).toBe(true);
    expect(err).toMatchObject({
      code: 'ERR_SOURCE_UNAVAILABLE',
      message: 'reading secret "K" failed in source "memory": a non-Error value of type object was thrown',
    });
    expect(inspect(err, { showHidden: true, depth: 9 })).not.toContain(SENTINEL);
  });

  it('turns a thrown Error into a coded error without its message', async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'v' } }));
    state.fail = new TypeError(`boom ${SENTINEL}`);
    const r = createResolver({ sources: [source] });
    const err = await r.get('memory:K').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_SOURCE_UNAVAILABLE',
      message: 'reading secret "K" failed in source "memory": TypeError',
    });
    expect(inspect(err, { showHidden: true, depth: 9 })).not.toContain(SENTINEL);
    expect(JSON.stringify(err)).not.toContain(SENTINEL);
  });

  it('times out a hanging source with ERR_SOURCE_TIMEOUT', async () => {
    vi.useFakeTimers();
    try {
      const { source, state } = instrumented(memorySource({ initial: { K: 'v' } }));
      state.hang = true;
      const r = createResolver({ sources: [source], timeoutMs: 250 });
      const p = r.get('memory:K').catch((e: unknown) => e);
      await vi.advanceTimersByTimeAsync(251);
      expect(await p).toMatchObject({
        code: 'ERR_SOURCE_TIMEOUT',
        message: 'reading secret "K" in source "memory" took longer than 250 ms',
        retryable: true,
      });
    } finally {
      vi.useRealTimers();
    }
  });

  it("a caller's abort ends only its own wait", async () => {
    const { source, state } = instrumented(memorySource({ initial: { K: 'v' } }));
    state.delayMs = 30;
    const r = createResolver({ sources: [source] });
    const ac = new AbortController();
    const first = r.get('memory:K', { signal: ac.signal }).catch((e: unknown) => e);
    const second = r.get('memory:K');
    ac.abort();
    // The caller's own abort is not a store timeout: not retryable, and named as such.
    expect(await first).toMatchObject({ code: 'ERR_ABORTED', retryable: false });
    expect((await second).reveal()).toBe('v');
    expect(state.calls).toBe(1);
  });

  it('a throwing event listener does not break resolution', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { K: 'v' } })],
      onEvent: () => {
        throw new Error('logger down');
      },
    });
    expect((await r.get('memory:K')).reveal()).toBe('v');
  });

  it('fails every call after close()', async () => {
    const r = createResolver({ sources: [memorySource({ initial: { K: 'v' } })] });
    await r.close();
    await expect(r.get('memory:K')).rejects.toMatchObject({
      code: 'ERR_RESOLVER_CLOSED',
      message: 'the resolver is closed',
    });
  });
});

describe('createResolver: getMany', () => {
  it("uses the source's getMany once for many names", async () => {
    const initial = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`K${i}`, `v${i}`]));
    const { source, state } = instrumented(memorySource({ initial }));
    const r = createResolver({ sources: [source] });
    const refs = Object.keys(initial).map((k) => `memory:${k}`);
    const out = await r.getMany(refs);
    expect(out.size).toBe(50);
    expect(out.get('memory:K7')?.reveal()).toBe('v7');
    expect(state.batchCalls).toBe(1);
    expect(state.calls).toBe(0);
  });

  it('reports every failing ref in one ERR_CONFIG_INVALID', async () => {
    const r = createResolver({ sources: [memorySource({ initial: { A: 'a' } })] });
    const err = await r.getMany(['memory:A', 'memory:B', 'memory:C', 'bad ref']).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID' });
    const issues = (err as { issues: Array<{ code: string; path: string[] }> }).issues;
    expect(issues.map((i) => [i.path[0], i.code])).toEqual([
      ['memory:B', 'ERR_SECRET_NOT_FOUND'],
      ['memory:C', 'ERR_SECRET_NOT_FOUND'],
      ['bad ref', 'ERR_REF_INVALID'],
    ]);
  });

  it('getManySettled maps a batch failure to each ref', async () => {
    const { source, state } = instrumented(memorySource({ initial: { A: 'a', B: 'b' } }));
    state.fail = unavailable();
    const r = createResolver({ sources: [source] });
    const settled = await r.getManySettled(['memory:A', 'memory:B']);
    expect(settled.map((s) => s.ok)).toEqual([false, false]);
    expect(settled.map((s) => (s.ok ? '' : s.error.code))).toEqual([
      'ERR_SOURCE_UNAVAILABLE',
      'ERR_SOURCE_UNAVAILABLE',
    ]);
  });
});

describe('createResolver: events', () => {
  it('emits resolve, cache-hit and error events with no value', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [memorySource({ initial: { K: SENTINEL } })],
      onEvent: (e) => events.push(e),
    });
    await r.get('memory:K', { context: { requestId: 'r-1' } });
    await r.get('memory:K');
    await r.get('memory:MISSING').catch(() => {});
    const types = events.map((e) => e.type);
    expect(types).toEqual(['refresh', 'resolve', 'cache-hit', 'refresh', 'error']);
    expect(events[1]).toMatchObject({
      source: 'memory',
      name: 'K',
      version: '1',
      outcome: 'ok',
      cacheHit: false,
      context: { requestId: 'r-1' },
    });
    expect(events[0]!.durationMs).toBeGreaterThanOrEqual(0);
    expect(events[1]!.fingerprint).toMatch(/^fpr_[0-9a-f]{16}$/);
    expect(events[2]!.fingerprint).toBe(events[1]!.fingerprint);
    expect(JSON.stringify(events)).not.toContain(SENTINEL);
  });
});

describe('createResolver: load()', () => {
  it('returns a typed, frozen config with secrets as Secret and values parsed', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: 'k'.repeat(10), PORT: '8080' } })],
    });
    const config = await r.load({
      JWT_SECRET_KEY: { ref: 'memory:JWT_SECRET_KEY', profile: 'none' },
      PORT: { ref: 'memory:PORT', schema: z.coerce.number() },
      HOST: { ref: 'memory:HOST', schema: z.string(), default: 'localhost' },
      EXTRA: { ref: 'memory:EXTRA', optional: true },
    });
    expect(config.JWT_SECRET_KEY).toBeInstanceOf(Secret);
    const port: number = config.PORT;
    expect(port).toBe(8080);
    expect(config.HOST).toBe('localhost');
    expect(config.EXTRA).toBeUndefined();
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reports every failing key in one ERR_CONFIG_INVALID, masking the value in schema messages', async () => {
    const r = createResolver({ sources: [memorySource({ initial: { PORT: SENTINEL } })] });
    const err = await r
      .load({
        A: { ref: 'memory:A' },
        B: { ref: 'memory:B' },
        PORT: { ref: 'memory:PORT', schema: z.enum(['x', 'y']) },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message: expect.stringMatching(/^configuration failed for 3 keys/),
    });
    const issues = (err as { issues: Array<{ path: string[]; code: string }> }).issues;
    expect(issues.map((i) => i.path[0]).sort()).toEqual(['A', 'B', 'PORT']);
    expect(inspect(err, { depth: 9, showHidden: true })).not.toContain(SENTINEL);
  });

  it('refuses a default on a secret', async () => {
    const r = createResolver({ sources: [memorySource()] });
    await expect(r.load({ JWT: { ref: 'memory:JWT', default: 'changeme' } as never })).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
      message:
        'the load() spec is invalid: JWT: a secret may not have a default: give it a schema or make it optional',
    });
  });

  it('batches its reads through getMany', async () => {
    const { source, state } = instrumented(memorySource({ initial: { A: 'a', B: 'b', C: 'c' } }));
    const r = createResolver({ sources: [source] });
    await r.load({ A: { ref: 'memory:A' }, B: { ref: 'memory:B' }, C: { ref: 'memory:C' } });
    expect(state.batchCalls).toBe(1);
    expect(state.calls).toBe(0);
  });
});
