/**
 * The fault suite every store runs (one short test file per store): the real client talks to the
 * store's emulator through the fault proxy, and the resolver must turn every fault into a correct
 * value, a stale value it announces, or a coded error, in bounded time and bounded calls.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isSecretError, type SecretError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import { createResolver, type ResolverOptions } from '../../src/resolver/resolver.js';
import { capture } from '../helpers/capture.js';
import { type Fault, type FaultProxy, startFaultProxy } from './proxy.js';
import type { FaultStore } from './stores.js';

const GARBAGE_OK = ['ERR_SOURCE_UNAVAILABLE', 'ERR_SECRET_MALFORMED'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** A strong random value, so the default strength policy has nothing to say. */
const value = (tag: string) => `${tag}-${randomBytes(24).toString('base64url')}`;

async function rejection(p: Promise<unknown>): Promise<SecretError> {
  const err = await p.then(
    () => {
      throw new Error('expected a rejection, but the call resolved');
    },
    (e: unknown) => e,
  );
  expect(isSecretError(err), inspect(err)).toBe(true);
  // Saved for the final leak scan: whatever an app would log about this failure.
  capture('faults-errors.log', err);
  return err as SecretError;
}

/** Every place an error could show a value: none may. */
function expectNotShown(err: unknown, secretValue: string): void {
  const e = err as Error;
  for (const shown of [
    e.message,
    String(e.stack),
    JSON.stringify(err),
    inspect(err, { depth: 10, showHidden: true }),
  ]) {
    expect(shown).not.toContain(secretValue);
  }
}

/** Registers the fault suite for one store. */
export function runFaultSuite(store: FaultStore): void {
  describe(`${store.id} under faults`, () => {
    let proxy: FaultProxy;
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown) => unhandled.push(reason);
    const events: SecretEvent[] = [];
    const resolvers: Array<{ close(): Promise<void> }> = [];

    function resolver(o: Partial<ResolverOptions> = {}) {
      const r = createResolver({
        sources: [store.source(proxy)],
        onEvent: (e) => events.push(e),
        timeoutMs: 20_000,
        ...o,
      });
      resolvers.push(r);
      return r;
    }

    beforeAll(async () => {
      process.on('unhandledRejection', onUnhandled);
      const t = store.target();
      proxy = await startFaultProxy({
        target: t.url,
        flavor: store.flavor,
        ...(t.ca ? { targetCa: t.ca } : {}),
      });
      // The SDK loads on a source's first call: load it now, so no short deadline below pays for it.
      const warm = store.source(proxy);
      await warm.get(await store.seed('warm', value('w')));
      await warm.close?.();
      proxy.clear();
    });
    afterEach(async () => {
      proxy.clear();
      events.length = 0;
      await Promise.all(resolvers.splice(0).map((r) => r.close()));
    });
    afterAll(async () => {
      // Give abandoned calls a moment to settle, so a late rejection is seen here.
      await sleep(200);
      await proxy.stop();
      await sleep(50);
      process.off('unhandledRejection', onUnhandled);
      expect(unhandled.map((u) => inspect(u))).toEqual([]);
    });

    describe('retries are bounded', () => {
      const faults: Array<[string, Fault]> = [
        ['HTTP 500', { kind: 'status', status: 500 }],
        ['HTTP 503', { kind: 'status', status: 503 }],
        ['throttling', { kind: 'throttle' }],
        ['a dropped connection', { kind: 'drop' }],
        ['a reset connection', { kind: 'reset' }],
      ];
      for (const [label, fault] of faults) {
        it(`${label} on every read: ERR_SOURCE_UNAVAILABLE after at most ${store.maxAttempts} request(s)`, async () => {
          const name = await store.seed('bounded', value('b'));
          const r = resolver({ cache: false });
          proxy.inject({ fault, match: store.read });
          const err = await rejection(r.get(`${store.id}:${name}`));
          expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: true, source: store.id });
          expect(err.message).toContain(name);
          const reads = proxy.count(store.read);
          expect(reads).toBeGreaterThanOrEqual(1);
          expect(reads).toBeLessThanOrEqual(store.maxAttempts);
          // Nothing keeps retrying in the background once the call has failed.
          await sleep(300);
          expect(proxy.count(store.read)).toBe(reads);
        });
      }

      it('one fault, then a healthy store: the client retry (if any) or the next call gets the value', async () => {
        const v = value('once');
        const name = await store.seed('once', v);
        const r = resolver({ cache: false });
        proxy.inject({ fault: { kind: 'status', status: 503 }, match: store.read, times: 1 });
        const first = await r.get(`${store.id}:${name}`).then(
          (s) => s.reveal(),
          (e: SecretError) => e.code,
        );
        // A client with retries hides the blip; one without reports it as retryable.
        expect(store.maxAttempts > 1 ? v : 'ERR_SOURCE_UNAVAILABLE').toBe(first);
        expect((await r.get(`${store.id}:${name}`)).reveal()).toBe(v);
      });
    });

    describe("the resolver's timeout wins over the client's retries", () => {
      const cases: Array<[string, Fault]> = [
        ['a store that never answers', { kind: 'hang' }],
        ['a store answering after 5 s', { kind: 'latency', ms: 5000 }],
        ['throttling with backoff', { kind: 'throttle' }],
      ];
      for (const [label, fault] of cases) {
        it(`${label}: ERR_SOURCE_TIMEOUT naming timeoutMs, and no request after it`, async () => {
          const name = await store.seed('timeout', value('t'));
          const timeoutMs = 300;
          const r = resolver({ cache: false, timeoutMs });
          proxy.inject({ fault, match: store.read });
          const outcome = await r.get(`${store.id}:${name}`).then(
            () => 'resolved',
            (e: SecretError) => e,
          );
          // No clock is read: a store that never answers can only end in the deadline's error, and
          // the 5 s answer would have been the value had the call waited for it. That the deadline
          // fired is in the code and in the message, which names the timeoutMs that ran out.
          expect(isSecretError(outcome)).toBe(true);
          const e = outcome as SecretError;
          if (fault.kind === 'throttle' && e.code === 'ERR_SOURCE_UNAVAILABLE') {
            // The client gave up before the deadline: still bounded, still coded.
            expect(e.retryable).toBe(true);
          } else {
            expect(e).toMatchObject({ code: 'ERR_SOURCE_TIMEOUT', retryable: true });
            expect(e.message).toContain(`${timeoutMs} ms`);
          }
          // A request the client sent just before the deadline may reach the proxy a moment after
          // the error on a loaded machine (it was seen at load 18): let it land before counting.
          // A client the abort did not reach keeps retrying through the whole wait below.
          await sleep(50);
          const after = proxy.count(store.read);
          await sleep(2 * timeoutMs + 400);
          // The abort reached the client: no retry went out after the deadline.
          expect(proxy.count(store.read)).toBe(after);
        });
      }
    });

    describe('a warm cache serves stale values up to maxStaleMs and says so', () => {
      const cases: Array<[string, Fault, string]> = [
        ['HTTP 503', { kind: 'status', status: 503 }, 'ERR_SOURCE_UNAVAILABLE'],
        ['a dropped connection', { kind: 'drop' }, 'ERR_SOURCE_UNAVAILABLE'],
        ['a store that never answers', { kind: 'hang' }, 'ERR_SOURCE_TIMEOUT'],
      ];
      for (const [label, fault, code] of cases) {
        it(`${label} after the TTL: the last good value, with a stale-served event (${code})`, async () => {
          const v = value('stale');
          const name = await store.seed('stale', v);
          const r = resolver({ cache: { ttlMs: 50, maxStaleMs: 60_000 }, timeoutMs: 1000 });
          const ref = `${store.id}:${name}`;
          expect((await r.get(ref)).reveal()).toBe(v);
          await sleep(120);
          proxy.inject({ fault, match: store.read });
          const stale = await r.get(ref);
          expect(stale.reveal()).toBe(v);
          const ev = events.filter((e) => e.type === 'stale-served');
          expect(ev).toHaveLength(1);
          expect(ev[0]).toMatchObject({ source: store.id, name, outcome: 'stale', code, cacheHit: true });
          expect(ev[0]?.staleForMs).toBeGreaterThan(0);
          expect(JSON.stringify(events)).not.toContain(v);
        });
      }

      it('past maxStaleMs the failure is reported, not the old value', async () => {
        const name = await store.seed('too-stale', value('old'));
        const r = resolver({ cache: { ttlMs: 30, maxStaleMs: 60 } });
        const ref = `${store.id}:${name}`;
        await r.get(ref);
        await sleep(200);
        proxy.inject({ fault: { kind: 'status', status: 503 }, match: store.read });
        const err = await rejection(r.get(ref));
        expect(err.code).toBe('ERR_SOURCE_UNAVAILABLE');
        expect(events.filter((e) => e.type === 'stale-served')).toHaveLength(0);
        expect(events.filter((e) => e.type === 'error').map((e) => e.code)).toEqual([
          'ERR_SOURCE_UNAVAILABLE',
        ]);
      });

      it('access denied is never masked by a stale value', async () => {
        const name = await store.seed('denied', value('d'));
        const r = resolver({ cache: { ttlMs: 30, maxStaleMs: 60_000 } });
        const ref = `${store.id}:${name}`;
        await r.get(ref);
        await sleep(100);
        proxy.inject({ fault: { kind: 'body', ...store.denied }, match: store.read });
        const err = await rejection(r.get(ref));
        expect(err.code).toBe('ERR_SOURCE_ACCESS_DENIED');
        expect(events.filter((e) => e.type === 'stale-served')).toHaveLength(0);
      });
    });

    describe('a cold boot fails fast with every failing key listed', () => {
      async function seedThree() {
        const names = await Promise.all(['one', 'two', 'three'].map((t) => store.seed(t, value(t))));
        return {
          ONE: { ref: `${store.id}:${names[0]}` },
          TWO: { ref: `${store.id}:${names[1]}` },
          THREE: { ref: `${store.id}:${names[2]}` },
        };
      }

      it('every connection dropped: ERR_CONFIG_INVALID naming all three keys as unavailable', async () => {
        const spec = await seedThree();
        const r = resolver();
        proxy.inject({ fault: { kind: 'drop' } });
        const err = await rejection(r.load(spec));
        expect(err.code).toBe('ERR_CONFIG_INVALID');
        const issues = (err as SecretError & { issues: Array<{ code: string; path: string[] }> }).issues;
        expect(issues.map((i) => i.path[0]).sort()).toEqual(['ONE', 'THREE', 'TWO']);
        for (const i of issues) expect(i.code).toBe('ERR_SOURCE_UNAVAILABLE');
        for (const key of ['ONE', 'TWO', 'THREE']) expect(err.message).toContain(key);
      });

      it('a store that never answers: one deadline for the whole boot, and each key asked once', async () => {
        const spec = await seedThree();
        const timeoutMs = 400;
        const r = resolver({ timeoutMs });
        proxy.inject({ fault: { kind: 'hang' } });
        const err = await rejection(r.load(spec));
        expect(err.code).toBe('ERR_CONFIG_INVALID');
        const issues = (err as SecretError & { issues: Array<{ code: string; path: string[] }> }).issues;
        expect(issues.map((i) => i.path[0]).sort()).toEqual(['ONE', 'THREE', 'TWO']);
        for (const i of issues) expect(i.code).toBe('ERR_SOURCE_TIMEOUT');
        // Keys are resolved concurrently and a failed prefetch is not fetched again.
        expect(proxy.count(), JSON.stringify(proxy.requests)).toBeLessThanOrEqual(3);
        // One deadline for the whole boot, shown by order and not by a duration: every request was
        // open at the same time (one batch request, or one per key sent together). Deadlines taken
        // in turn would close each request before sending the next, so no two would overlap.
        expect(proxy.peakHanging()).toBe(proxy.count());
      });
    });

    describe('garbage answers are coded errors, never crashes', () => {
      const garbage: Array<[string, Fault]> = [
        ['JSON cut in the middle', { kind: 'malformed' }],
        ['the real answer truncated', { kind: 'truncate' }],
        [
          'an HTML error page',
          {
            kind: 'body',
            status: 502,
            body: '<html><body>Bad Gateway</body></html>',
            contentType: 'text/html',
          },
        ],
        ['an empty 200', { kind: 'body', status: 200, body: '' }],
        ['200 null', { kind: 'body', status: 200, body: 'null' }],
        ['200 []', { kind: 'body', status: 200, body: '[]' }],
        ['200 {}', { kind: 'body', status: 200, body: '{}' }],
        ['200 with wrong types', { kind: 'body', status: 200, body: wrongTypes(store) }],
        [
          '200 binary noise',
          { kind: 'body', status: 200, body: Buffer.from([0xff, 0xfe, 0, 1, 0x7b, 0x22]) },
        ],
      ];
      for (const [label, fault] of garbage) {
        it(`${label}: ${GARBAGE_OK.join(' or ')}, the value never shown`, async () => {
          const v = value('GARBAGE-CANARY');
          const name = await store.seed('garbage', v);
          const r = resolver({ cache: false, timeoutMs: 5000 });
          proxy.inject({ fault, match: store.read });
          const err = await rejection(r.get(`${store.id}:${name}`));
          expect(GARBAGE_OK, `${err.code}: ${err.message}`).toContain(err.code);
          expectNotShown(err, v);
          expect(proxy.count(store.read)).toBeLessThanOrEqual(store.maxAttempts);
        });
      }

      it('any 200 body at all (property, 12 runs)', async () => {
        const name = await store.seed('fuzz', value('f'));
        const r = resolver({ cache: false, timeoutMs: 5000 });
        await fc.assert(
          fc.asyncProperty(
            fc.oneof(
              fc.json({ maxDepth: 3 }),
              fc.string({ maxLength: 200 }),
              fc.uint8Array({ maxLength: 200 }).map((b) => Buffer.from(b)),
            ),
            async (body) => {
              const rule = proxy.inject({ fault: { kind: 'body', status: 200, body }, match: store.read });
              try {
                const out = await r.get(`${store.id}:${name}`).then(
                  () => 'value',
                  (e: unknown) => (isSecretError(e) ? e.code : `not coded: ${inspect(e)}`),
                );
                // A body that happens to parse as a valid answer may yield a value; anything else is coded.
                expect([...GARBAGE_OK, 'value']).toContain(out);
              } finally {
                proxy.remove(rule);
              }
            },
          ),
          { numRuns: 12, seed: 7 },
        );
      });
    });
  });
}

/** A 200 in the store's shape whose fields have the wrong types. */
function wrongTypes(store: FaultStore): string {
  if (store.id === 'aws-sm') return JSON.stringify({ Name: 7, SecretString: { a: 1 }, VersionId: [] });
  if (store.id === 'aws-ssm')
    return JSON.stringify({ Parameter: { Name: 7, Value: { a: 1 }, Version: 'x' } });
  if (store.id === 'vault') return JSON.stringify({ data: { data: 'not a map', metadata: 5 } });
  if (store.id === 'k8s') return JSON.stringify({ kind: 'Secret', metadata: { name: 7 }, data: 'x' });
  if (store.id === 'gcp-sm') return JSON.stringify({ name: 7, payload: { data: 5, dataCrc32c: {} } });
  return JSON.stringify({ value: { a: 1 }, id: 42, attributes: 'x' });
}
