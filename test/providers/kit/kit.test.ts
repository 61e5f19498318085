/** The provider kit on its own: the call guard, the pager's bounds, the batch skeleton, values. */
import { describe, expect, it, vi } from 'vitest';
import { batchGet } from '../../../providers/kit/batch.js';
import { callError, describeCall } from '../../../providers/kit/errors.js';
import { callLimits, guarded } from '../../../providers/kit/guard.js';
import { pages } from '../../../providers/kit/pager.js';
import { readValue, writeValue } from '../../../providers/kit/value.js';
import { Secret } from '../../../src/core/secret.js';
import { codeOf, collect } from '../../helpers/assertions.js';

const site = { source: 'store', action: 'read', name: 'app/jwt' };
const never = () => new Promise<never>(() => {});

describe('call guard', () => {
  it('a call that never settles ends at its deadline, and its signal is aborted', async () => {
    let seen: AbortSignal | undefined;
    const err = await codeOf(
      guarded(site, 30, undefined, (s) => {
        seen = s;
        return never();
      }),
    );
    expect(err).toMatchObject({
      code: 'ERR_SOURCE_TIMEOUT',
      retryable: true,
      source: 'store',
      secretName: 'app/jwt',
    });
    expect(err.message).toBe('read "app/jwt" in source "store": no answer within 30 ms');
    expect(seen?.aborted).toBe(true);
  });

  it("a caller's abort is ERR_ABORTED and reaches the call's signal", async () => {
    const ac = new AbortController();
    let seen: AbortSignal | undefined;
    const p = codeOf(
      guarded(site, 10_000, ac.signal, (s) => {
        seen = s;
        return never();
      }),
    );
    ac.abort();
    expect(await p).toMatchObject({ code: 'ERR_ABORTED', retryable: false });
    expect(seen?.aborted).toBe(true);
  });

  it("an abort whose reason is already coded (a resolver's deadline) keeps that error", async () => {
    const ac = new AbortController();
    const reason = callError('ERR_SOURCE_TIMEOUT', site, 'took longer than 5 ms');
    ac.abort(reason);
    expect(await codeOf(guarded(site, 10_000, ac.signal, never))).toBe(reason);
  });

  it('the call rejecting on abort does not win over the guard', async () => {
    const err = await codeOf(
      guarded(
        site,
        20,
        undefined,
        (s) => new Promise((_, reject) => s.addEventListener('abort', () => reject(new Error('AbortError')))),
      ),
    );
    expect(err.code).toBe('ERR_SOURCE_TIMEOUT');
  });

  it('timeouts above 2^31-1 ms, or not whole, are refused (Node would fire them after 1 ms)', () => {
    expect(() => callLimits({ timeoutMs: 2 ** 31 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
    expect(() => callLimits({ timeoutMs: 0.5 })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
    vi.stubEnv('SECRETSOURCE_TIMEOUT_MS', String(2 ** 31));
    expect(() => callLimits({})).toThrow(/SECRETSOURCE_TIMEOUT_MS must be a whole number/);
    vi.stubEnv('SECRETSOURCE_TIMEOUT_MS', '2500');
    expect(callLimits({}).timeoutMs).toBe(2500);
  });
});

describe('pager', () => {
  const limits = (o: { maxPages?: number; listTimeoutMs?: number; timeoutMs?: number } = {}) =>
    callLimits({ timeoutMs: 1000, ...o });

  it('follows tokens to the last page', async () => {
    const got = await collect(
      pages(site, limits(), async (token) => ({
        page: token ?? 'first',
        next: token === undefined ? 'a' : token === 'a' ? 'b' : undefined,
      })),
    );
    expect(got).toEqual(['first', 'a', 'b']);
  });

  it('a store that always returns a new token stops at maxPages with a coded error', async () => {
    let calls = 0;
    const err = await codeOf(
      collect(
        pages({ ...site, action: 'list' }, limits({ maxPages: 5 }), async () => ({
          page: ++calls,
          next: `t${calls}`,
        })),
      ),
    );
    expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: false });
    expect(err.message).toContain('more than 5 pages');
    expect(calls).toBe(5);
  });

  it('a store that returns the same token again stops at once', async () => {
    let calls = 0;
    const err = await codeOf(collect(pages(site, limits(), async () => ({ page: ++calls, next: 'same' }))));
    expect(err.message).toContain('page token it had returned before');
    expect(calls).toBe(2);
  });

  it('the listing deadline counts the wait across pages and bounds each page by what is left', async () => {
    const asked: number[] = [];
    const err = await codeOf(
      collect(
        pages(site, limits({ listTimeoutMs: 60 }), async (token, ms) => {
          asked.push(ms);
          await new Promise((r) => setTimeout(r, 25));
          return { page: 1, next: `${token ?? ''}x` };
        }),
      ),
    );
    expect(err.code).toBe('ERR_SOURCE_TIMEOUT');
    expect(err.message).toContain('the listing did not finish within 60 ms');
    // Each page gets what is left of the listing's time, never more (how many pages fit depends on the machine).
    expect(asked[0]).toBe(60);
    for (let i = 1; i < asked.length; i++) expect(asked[i]).toBeLessThan(asked[i - 1]!);
  });
});

describe('batch skeleton', () => {
  it('dedupes, validates, chunks, falls back per name, and keeps the caller order', async () => {
    const chunks: string[][] = [];
    const singles: string[] = [];
    const out = await batchGet(['b', 'bad!', 'a', 'b', 'c', 'd'], {
      site: { source: 'store' },
      validate: (n) => {
        if (n.includes('!')) throw callError('ERR_SECRET_NAME_INVALID', { ...site, name: n }, 'bad');
      },
      chunkSize: 2,
      readChunk: async (names, into) => {
        chunks.push(names);
        // The store settles the first name of each chunk only.
        into.set(names[0]!, { ok: true, record: undefined });
      },
      readOne: async (name) => {
        singles.push(name);
        return { name, value: new Secret(`v-${name}`) };
      },
    });
    expect([...out.keys()]).toEqual(['b', 'bad!', 'a', 'c', 'd']);
    expect(chunks).toEqual([
      ['b', 'a'],
      ['c', 'd'],
    ]);
    expect(singles.sort()).toEqual(['a', 'd']);
    expect(out.get('bad!')).toMatchObject({ ok: false, error: { code: 'ERR_SECRET_NAME_INVALID' } });
  });

  it('a failed chunk gives each of its names the error, re-addressed; a fallback reads them singly', async () => {
    const fail = () => {
      throw callError('ERR_SOURCE_UNAVAILABLE', { ...site, action: 'batch read' }, 'down');
    };
    const failed = await batchGet(['x', 'y'], {
      site: { source: 'store' },
      validate: () => {},
      chunkSize: 10,
      readChunk: async () => fail(),
      readOne: async () => undefined,
    });
    const x = failed.get('x');
    expect(x?.ok).toBe(false);
    expect(!x?.ok && x?.error.message).toBe(
      'read "x" in source "store": the batch read failed (ERR_SOURCE_UNAVAILABLE)',
    );
    const fell = await batchGet(['x', 'y'], {
      site: { source: 'store' },
      validate: () => {},
      chunkSize: 10,
      readChunk: async () => fail(),
      readOne: async () => undefined,
      fallBack: () => true,
    });
    expect([...fell.values()]).toEqual([
      { ok: true, record: undefined },
      { ok: true, record: undefined },
    ]);
  });
});

describe('values', () => {
  const at = { source: 'store', action: 'write', name: 'k' };
  it('writes refuse bytes where the store has no binary, and sizes over its limit', async () => {
    expect(() => writeValue(at, new Uint8Array([1]), { binary: false, maxValueBytes: 10 })).toThrow(
      expect.objectContaining({ code: 'ERR_OPERATION_UNSUPPORTED' }),
    );
    expect(() =>
      writeValue(at, new Secret(new Uint8Array([1])), { binary: false, maxValueBytes: 10 }),
    ).toThrow(expect.objectContaining({ code: 'ERR_OPERATION_UNSUPPORTED' }));
    expect(() => writeValue(at, 'x'.repeat(11), { binary: true, maxValueBytes: 10 })).toThrow(
      'write "k" in source "store": the value is 11 bytes, over the store\'s 10-byte limit',
    );
    expect(() => writeValue(at, '', { binary: true, maxValueBytes: 10, emptyValues: false })).toThrow(
      /this store keeps no empty value/,
    );
    expect(writeValue(at, new Secret('abc'), { binary: false, maxValueBytes: 10 })).toBe('abc');
  });

  it('reads refuse a missing value, a value of the wrong type, and one over the declared size', () => {
    const r = { ...at, action: 'read' };
    expect(() => readValue(r, undefined, 10)).toThrow(
      expect.objectContaining({ code: 'ERR_SECRET_MALFORMED' }),
    );
    expect(() => readValue(r, { a: 1 }, 10)).toThrow(/not text or bytes/);
    expect(() => readValue(r, 'x'.repeat(11), 10)).toThrow(/11 bytes, over the store's 10-byte limit/);
    expect(readValue(r, 'abc', 10).reveal()).toBe('abc');
  });

  it('one message shape, with room for where the store is', () => {
    expect(describeCall({ source: 'aws-sm-eu', action: 'read', name: 'a\u0000b', where: 'eu-west-1' })).toBe(
      'read "a?b" in source "aws-sm-eu" (eu-west-1)',
    );
  });
});
