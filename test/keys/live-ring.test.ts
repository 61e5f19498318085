/**
 * Live key rings (issue 16): background reads before the data is refreshMs old, with jitter; an
 * unknown kid reads at once, single-flight, at most once per cooldown; the hot path never waits;
 * outages keep the last good ring within maxStaleMs, denial refuses at once; revocations are seen
 * without a token; close() stops it; jose and createHmac use it directly. Fake timers throughout.
 */
import { execFile } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { inspect, promisify } from 'node:util';
import { jwtVerify, SignJWT } from 'jose';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type MemorySource, memorySource } from '../../providers/memory.js';
import { SourceError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource, SecretVersionInfo } from '../../src/core/source.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { createResolver } from '../../src/resolver/resolver.js';

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
  vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
});
afterEach(() => {
  vi.useRealTimers();
});

/** A memory store whose version listing can be held (a slow store) or made to fail (an outage). */
function store(): {
  mem: MemorySource;
  source: SecretSource;
  hold(): () => void;
  fail(err: Error | undefined): void;
} {
  const mem = memorySource();
  let gate: Promise<void> | undefined;
  let failure: Error | undefined;
  const source: SecretSource = {
    ...mem,
    async *versions(name, o) {
      if (gate) await gate;
      if (failure) throw failure;
      yield* mem.versions!(name, o);
    },
  };
  return {
    mem,
    source,
    hold() {
      let release!: () => void;
      gate = new Promise((r) => {
        release = r;
      });
      return () => {
        gate = undefined;
        release();
      };
    },
    fail(err) {
      failure = err;
    },
  };
}

const REF = 'memory:jwt';

async function setup(options: Parameters<ReturnType<typeof createResolver>['keyRing']>[1] = {}) {
  const s = store();
  const events: SecretEvent[] = [];
  const resolver = createResolver({ sources: [s.source] });
  const first = await rotateSecret(s.mem, REF, { create: true });
  const ring = await resolver.keyRing(REF, { refreshMs: 1000, onEvent: (e) => events.push(e), ...options });
  return { ...s, resolver, ring, first, events };
}

/** An HS256 token for alice, signed with the ring's signing key. */
async function sign(ring: {
  signingKey(): { kid: string; key: import('node:crypto').KeyObject };
}): Promise<string> {
  const { kid, key } = ring.signingKey();
  return new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256', kid }).sign(key);
}

const reads = (events: SecretEvent[], trigger?: string) =>
  events.filter(
    (e) => e.type === 'refresh' && e.outcome === 'ok' && (trigger === undefined || e.trigger === trigger),
  ).length;

describe('live key ring: keeping current', () => {
  it('reads in the background before its data is refreshMs old, and sees a rotation without a token', async () => {
    const { mem, ring, first, events } = await setup();
    expect(ring.current.kid).toBe(first.kid);
    const second = await rotateSecret(mem, REF);
    const gets = mem.stats.get;
    await vi.advanceTimersByTimeAsync(599);
    // 60% of refreshMs is the earliest a background read starts: nothing read yet.
    expect(ring.verificationKeys().map((k) => k.kid)).toEqual([first.kid]);
    await vi.advanceTimersByTimeAsync(301);
    expect(ring.verificationKeys().map((k) => k.kid)).toEqual([second.kid, first.kid]);
    expect(reads(events, 'schedule')).toBe(1);
    // A minute later: one read per 0.6-0.9 refreshMs, never more, never less.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(reads(events, 'schedule')).toBeGreaterThanOrEqual(Math.floor(60_900 / 900));
    expect(reads(events, 'schedule')).toBeLessThanOrEqual(Math.ceil(60_900 / 600));
    // Versions never change: of some 70 reads, only one read a value (the new version's).
    expect(mem.stats.get).toBe(gets + 1);
    ring.close();
  });

  it.each([
    ['least', 0, 6000],
    ['most', 1 - 2 ** -53, 9000],
  ])(
    'with the %s jitter (Math.random() = %d) the first background read is due exactly at %d ms of refreshMs 10000, not before',
    async (_name, random, due) => {
      vi.spyOn(Math, 'random').mockReturnValue(random);
      try {
        const { ring, events } = await setup({ refreshMs: 10_000 });
        // The ring's clock is the fake one (beforeEach): these are scheduled times, not measured ones.
        await vi.advanceTimersByTimeAsync(due - 1);
        expect(reads(events, 'schedule')).toBe(0);
        await vi.advanceTimersByTimeAsync(1);
        expect(reads(events, 'schedule')).toBe(1);
        ring.close();
      } finally {
        vi.mocked(Math.random).mockRestore();
      }
    },
  );

  it('spreads the reads of rings started together over 60-90% of refreshMs (jitter)', async () => {
    const s = store();
    await rotateSecret(s.mem, REF, { create: true });
    const times: number[] = [];
    // performance is faked (beforeEach): each time is when the fake clock fired the ring's timer.
    expect(vi.isFakeTimers()).toBe(true);
    const t0 = performance.now();
    const rings = await Promise.all(
      Array.from({ length: 40 }, () =>
        createResolver({ sources: [s.source] }).keyRing(REF, {
          refreshMs: 10_000,
          onEvent: (e) => {
            if (e.trigger === 'schedule') times.push(performance.now() - t0);
          },
        }),
      ),
    );
    for (let t = 0; t < 10_000; t += 10) await vi.advanceTimersByTimeAsync(10);
    expect(times).toHaveLength(40);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(6000);
    expect(Math.max(...times)).toBeLessThanOrEqual(9000);
    // Lockstep would put them all in one 10 ms step; jitter spreads them over many.
    expect(new Set(times.map((t) => Math.floor(t / 10))).size).toBeGreaterThan(20);
    for (const r of rings) r.close();
  });

  it('reads at once for an unknown kid: single-flight, at most once per cooldown, and never makes a known kid wait', async () => {
    const { mem, ring, first, events, hold } = await setup({ refreshMs: 600_000, cooldownMs: 1000 });
    const before = mem.stats.versions;
    const release = hold();
    const unknown = Array.from({ length: 100 }, () => ring.lookup('k_0000000000000000'));
    // One read in flight for the hundred lookups.
    expect(mem.stats.versions).toBe(before);
    await vi.advanceTimersByTimeAsync(0);
    // The hot path answers from memory while the store is held (waiting would never end: the test would time out).
    expect(ring.find(first.kid)?.kid).toBe(first.kid);
    expect((await ring.lookup(first.kid))?.kid).toBe(first.kid);
    expect((await jwtVerify(await sign(ring), ring.getKey)).payload.sub).toBe('alice');
    expect(ring.current.kid).toBe(first.kid);
    release();
    expect(await Promise.all(unknown)).toEqual(Array(100).fill(undefined));
    expect(mem.stats.versions).toBe(before + 1);
    expect(reads(events, 'unknown-kid')).toBe(1);
    // Within the cooldown: no store call, an immediate answer.
    expect(await ring.lookup('k_1111111111111111')).toBeUndefined();
    expect(mem.stats.versions).toBe(before + 1);
    await vi.advanceTimersByTimeAsync(1000);
    expect(await ring.lookup('k_2222222222222222')).toBeUndefined();
    expect(mem.stats.versions).toBe(before + 2);
    // A flood of 10,000 forged kids over 10 s: at most one read per cooldown.
    for (let i = 0; i < 10_000; i++) {
      ring.find(`k_${i.toString(16).padStart(16, '0')}`);
      if (i % 10 === 0) await vi.advanceTimersByTimeAsync(10);
    }
    expect(reads(events, 'unknown-kid')).toBeLessThanOrEqual(2 + 10 + 1);
    expect(reads(events, 'unknown-kid')).toBeGreaterThanOrEqual(2 + 9);
    ring.close();
  });

  it('signs with a new version only once every ring has had time to learn it; a token signed with it verifies at once anywhere', async () => {
    const { mem, ring, first, resolver } = await setup({ refreshMs: 1000 });
    const otherEvents: SecretEvent[] = [];
    const other = await createResolver({ sources: [mem] }).keyRing(REF, {
      refreshMs: 600_000,
      onEvent: (e) => otherEvents.push(e),
    });
    await vi.advanceTimersByTimeAsync(5000);
    const second = await rotateSecret(mem, REF);
    await ring.refresh();
    // Known, verifying, but not yet signing: another instance may not have read it yet.
    expect(ring.find(second.kid)).toBeDefined();
    expect(ring.current.kid).toBe(first.kid);
    expect(ring.signingKey().kid).toBe(first.kid);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ring.current.kid).toBe(second.kid);
    // An instance that has not read since still verifies it: the unknown kid reads at once.
    const { kid, key } = ring.signingKey();
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256', kid }).sign(key);
    expect((await jwtVerify(token, other.getKey)).payload.sub).toBe('alice');
    expect(reads(otherEvents, 'unknown-kid')).toBe(1);
    other.close();
    // signDelayMs 0: the store's current version signs at once.
    const eager = await resolver.keyRing(REF, { refreshMs: 1000, signDelayMs: 0 });
    const third = await rotateSecret(mem, REF);
    await eager.refresh();
    expect(eager.current.kid).toBe(third.kid);
    eager.close();
    ring.close();
  });

  it('never goes back to signing an older version when the store later reports a newer creation time', async () => {
    // moto 5.2.1 reports every version as created at the time of the listing; a store clock can jump.
    const mem = memorySource();
    let stamp = (v: SecretVersionInfo): Date | undefined => v.createdAt;
    const source: SecretSource = {
      ...mem,
      async *versions(name, o) {
        for await (const v of mem.versions!(name, o)) yield { ...v, createdAt: stamp(v) };
      },
    };
    const first = await rotateSecret(mem, REF, { create: true });
    const ring = await createResolver({ sources: [source] }).keyRing(REF, {
      refreshMs: 1000,
      signDelayMs: 2000,
    });
    await vi.advanceTimersByTimeAsync(5000);
    const second = await rotateSecret(mem, REF);
    // Created 10 s ago by the store's clock: every instance has had the time to learn it.
    stamp = (v) => (v.version === second.version ? new Date(Date.now() - 10_000) : v.createdAt);
    await ring.refresh();
    expect(ring.current.kid).toBe(second.kid);
    // The next listing calls it new: the ring has signed with it, so it stays.
    stamp = () => new Date();
    await ring.refresh();
    expect(ring.current.kid).toBe(second.kid);
    expect(ring.signingKey().kid).toBe(second.kid);
    expect(ring.find(first.kid)).toBeDefined();
    ring.close();
  });

  it('drops revoked versions at its next read, without a token, and signs with the kept one at once', async () => {
    const { mem, ring, first } = await setup({ refreshMs: 1000 });
    const second = await rotateSecret(mem, REF);
    await vi.advanceTimersByTimeAsync(2000);
    expect(ring.current.kid).toBe(second.kid);
    const third = await rotateSecret(mem, REF, { revokePrevious: true });
    expect(third.revoked).toEqual(['2', '1']);
    expect(ring.find(second.kid)).toBeDefined();
    await vi.advanceTimersByTimeAsync(900);
    expect(ring.find(second.kid)).toBeUndefined();
    expect(ring.find(first.kid)).toBeUndefined();
    expect(ring.current.kid).toBe(third.kid);
    expect(ring.verificationKeys().map((k) => k.kid)).toEqual([third.kid]);
    ring.close();
  });
});

describe('live key ring: failures', () => {
  it('keeps the last good ring through an outage within maxStaleMs, then refuses, then recovers', async () => {
    const { ring, first, events, fail } = await setup({ refreshMs: 1000, maxStaleMs: 5000 });
    const token = await sign(ring);
    fail(new SourceError('ERR_SOURCE_UNAVAILABLE', 'store down', { source: 'memory', retryable: true }));
    await vi.advanceTimersByTimeAsync(5000);
    expect(ring.current.kid).toBe(first.kid);
    expect(ring.find(first.kid)).toBeDefined();
    expect(events.some((e) => e.type === 'stale-served' && e.code === 'ERR_SOURCE_UNAVAILABLE')).toBe(true);
    expect(events.filter((e) => e.type === 'refresh' && e.outcome === 'error').length).toBeGreaterThan(1);
    await vi.advanceTimersByTimeAsync(1500);
    // Past refreshMs + maxStaleMs: a revocation could have been missed, so it neither signs nor verifies.
    expect(() => ring.current).toThrow(expect.objectContaining({ code: 'ERR_SOURCE_UNAVAILABLE' }));
    expect(ring.find(first.kid)).toBeUndefined();
    await expect(jwtVerify(token, ring.getKey)).rejects.toBeDefined();
    expect(events.some((e) => e.type === 'error' && /refuses to sign or verify/.test(e.message ?? ''))).toBe(
      true,
    );
    fail(undefined);
    await vi.advanceTimersByTimeAsync(1000);
    expect(ring.current.kid).toBe(first.kid);
    expect((await jwtVerify(token, ring.getKey)).payload.sub).toBe('alice');
    ring.close();
  });

  it('refuses at once when the store denies access, and never serves a stale key for it', async () => {
    const { ring, first, fail } = await setup({ refreshMs: 1000 });
    fail(new SourceError('ERR_SOURCE_ACCESS_DENIED', 'denied', { source: 'memory' }));
    await vi.advanceTimersByTimeAsync(900);
    expect(() => ring.signingKey()).toThrow(expect.objectContaining({ code: 'ERR_SOURCE_ACCESS_DENIED' }));
    expect(ring.find(first.kid)).toBeUndefined();
    ring.close();
  });

  it('close() stops reading the store; the first read failing rejects and leaves nothing running', async () => {
    const { mem, ring } = await setup({ refreshMs: 1000 });
    ring.close();
    const calls = mem.stats.versions;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(mem.stats.versions).toBe(calls);
    // Closed, it answers from its last data until that goes stale: one (unref-ed) timer says when.
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(300_000);
    expect(() => ring.current).toThrow(expect.objectContaining({ code: 'ERR_SOURCE_UNAVAILABLE' }));
    expect(vi.getTimerCount()).toBe(0);
    const resolver = createResolver({ sources: [mem] });
    await expect(resolver.keyRing('memory:absent')).rejects.toMatchObject({ code: 'ERR_SECRET_NOT_FOUND' });
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('live key ring: drop-in for jose and createHmac', () => {
  it('signs with signingKey() and verifies with getKey, by kid', async () => {
    const { mem, ring, first } = await setup({ refreshMs: 1000, signDelayMs: 0 });
    const { kid, key } = ring.signingKey();
    expect(kid).toBe(first.kid);
    const token = await new SignJWT({ sub: 'alice' }).setProtectedHeader({ alg: 'HS256', kid }).sign(key);
    expect((await jwtVerify(token, ring.getKey, { algorithms: ['HS256'] })).payload.sub).toBe('alice');
    const second = await rotateSecret(mem, REF);
    await ring.refresh();
    const fresh = ring.signingKey();
    expect(fresh.kid).toBe(second.kid);
    const next = await new SignJWT({ sub: 'bob' })
      .setProtectedHeader({ alg: 'HS256', kid: fresh.kid })
      .sign(fresh.key);
    // Both verify: the old one inside its grace window.
    expect((await jwtVerify(token, ring.getKey)).payload.sub).toBe('alice');
    expect((await jwtVerify(next, ring.getKey)).payload.sub).toBe('bob');
    await expect(jwtVerify(`${next.slice(0, -3)}abc`, ring.getKey)).rejects.toBeDefined();
    const forged = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'k_1234567890abcdef' })
      .sign(fresh.key);
    await expect(jwtVerify(forged, ring.getKey)).rejects.toMatchObject({
      code: 'ERR_SECRET_VERSION_NOT_FOUND',
    });
    const noKid = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).sign(fresh.key);
    await expect(jwtVerify(noKid, ring.getKey)).rejects.toMatchObject({
      code: 'ERR_SECRET_VERSION_NOT_FOUND',
    });
    // The key object never prints the key.
    const value = (await mem.get('jwt'))!.value.reveal();
    expect(inspect(ring.signingKey(), { depth: 5, showHidden: true })).not.toContain(value);
    expect(JSON.stringify(ring.signingKey())).not.toContain(value);
    ring.close();
  });

  it('gives createHmac users the signing key with its kid and the key for a kid', async () => {
    const { ring } = await setup({ refreshMs: 1000 });
    const body = 'order=42';
    const { kid, key } = ring.signingKey();
    const mac = createHmac('sha256', key).update(body).digest('hex');
    const verifying = await ring.verifyingKey(kid);
    expect(verifying).toBeDefined();
    expect(createHmac('sha256', verifying!).update(body).digest('hex')).toBe(mac);
    expect(await ring.verifyingKey('k_ffffffffffffffff')).toBeUndefined();
    ring.close();
  });
});

describe('live key ring: in the resolver', () => {
  it('returns the same ring for the same ref and options, read again; the resolver closes it', async () => {
    const { mem, resolver, ring } = await setup({ refreshMs: 1000 });
    const calls = mem.stats.versions;
    // The setup's ring has its own listener: another ring.
    const plain = await resolver.keyRing(REF, { refreshMs: 1000 });
    expect(plain).not.toBe(ring);
    expect(await resolver.keyRing(REF, { refreshMs: 1000 })).toBe(plain);
    expect(mem.stats.versions).toBe(calls + 2);
    await resolver.close();
    const after = mem.stats.versions;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(mem.stats.versions).toBe(after);
  });

  it('never keeps a process alive (timers are unref-ed)', async () => {
    vi.useRealTimers();
    const root = join(import.meta.dirname, '..', '..');
    const script = [
      "import { createResolver, rotateSecret } from './src/index.ts';",
      "import { memorySource } from './providers/memory.ts';",
      'const mem = memorySource();',
      "await rotateSecret(mem, 'memory:jwt', { create: true });",
      "const ring = await createResolver({ sources: [mem] }).keyRing('memory:jwt', { refreshMs: 60_000 });",
      "console.log('ring', ring.current.kid);",
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      {
        cwd: root,
        timeout: 25_000,
      },
    );
    expect(stdout).toMatch(/^ring k_[0-9a-f]{16}\n$/);
  });
});
