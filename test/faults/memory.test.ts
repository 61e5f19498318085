/**
 * The control: the same resolver rules with no network at all. A memory source (and one with
 * batch reads) wrapped so a test can make it fail, hang or throw garbage, counting every call.
 */
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { type SecretError, SourceError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource } from '../../src/core/source.js';
import { createResolver } from '../../src/resolver/resolver.js';

type Mode = 'ok' | 'down' | 'hang' | 'throw-garbage' | 'reject-string';

/** A memory source whose behaviour a test switches, with call counters. */
function flaky(batch: boolean) {
  const inner = memorySource({
    id: 'mem',
    initial: { ONE: 'v1-5Fq8rZ2mXw9LkP3t', TWO: 'v2-9Hs4nB7cVx2QjR6y', THREE: 'v3-2Mw8dT5gYk7NpC4z' },
  });
  const state = { mode: 'ok' as Mode, get: 0, getMany: 0 };
  const misbehave = (signal?: AbortSignal): Promise<never> | undefined => {
    if (state.mode === 'down')
      return Promise.reject(new SourceError('ERR_SOURCE_UNAVAILABLE', 'mem is down', { source: 'mem' }));
    if (state.mode === 'hang')
      return new Promise<never>((_, reject) =>
        signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );
    if (state.mode === 'throw-garbage') return Promise.reject({ weird: true, value: 'v1-5Fq8rZ2mXw9LkP3t' });
    if (state.mode === 'reject-string') return Promise.reject('a bare string');
    return undefined;
  };
  const source: SecretSource = {
    id: 'mem',
    capabilities: { ...inner.capabilities, batchGet: batch },
    get(name, o) {
      state.get++;
      return misbehave(o?.signal) ?? inner.get(name, o);
    },
    ...(batch
      ? {
          getMany(names: readonly string[], o?: { signal?: AbortSignal | undefined }) {
            state.getMany++;
            return misbehave(o?.signal) ?? inner.getMany!(names, o);
          },
        }
      : {}),
  };
  return { source, state };
}

const unhandled: unknown[] = [];
const onUnhandled = (r: unknown) => unhandled.push(r);
beforeAll(() => {
  process.on('unhandledRejection', onUnhandled);
});
afterAll(async () => {
  await new Promise((r) => setTimeout(r, 100));
  process.off('unhandledRejection', onUnhandled);
  expect(unhandled.map((u) => inspect(u))).toEqual([]);
});

const spec = { ONE: { ref: 'mem:ONE' }, TWO: { ref: 'mem:TWO' }, THREE: { ref: 'mem:THREE' } };

describe.each([
  ['single reads', false],
  ['batch reads', true],
])('memory control (%s)', (_label, batch) => {
  it('a cold boot against a down store asks each key once and lists all three', async () => {
    const { source, state } = flaky(batch);
    const r = createResolver({ sources: [source] });
    state.mode = 'down';
    const err = (await r.load(spec).catch((e: unknown) => e)) as SecretError & {
      issues: Array<{ code: string; path: string[] }>;
    };
    expect(err.code).toBe('ERR_CONFIG_INVALID');
    expect(err.issues.map((i) => [i.path[0], i.code]).sort()).toEqual([
      ['ONE', 'ERR_SOURCE_UNAVAILABLE'],
      ['THREE', 'ERR_SOURCE_UNAVAILABLE'],
      ['TWO', 'ERR_SOURCE_UNAVAILABLE'],
    ]);
    // Before the fix the prefetch failed, then every key was fetched again (6 calls, or 1 + 3).
    expect(state.get + state.getMany).toBe(batch ? 1 : 3);
  });

  it('a hanging store: one timeout for the whole boot, not two', async () => {
    const { source, state } = flaky(batch);
    const r = createResolver({ sources: [source], timeoutMs: 150 });
    state.mode = 'hang';
    const err = (await r.load(spec).catch((e: unknown) => e)) as SecretError & {
      issues: Array<{ code: string }>;
    };
    expect(err.issues.map((i) => i.code)).toEqual([
      'ERR_SOURCE_TIMEOUT',
      'ERR_SOURCE_TIMEOUT',
      'ERR_SOURCE_TIMEOUT',
    ]);
    expect(state.get + state.getMany).toBe(batch ? 1 : 3);
  });

  it('a warm key keeps its stale value when the batch fails, with the event', async () => {
    const { source, state } = flaky(batch);
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [source],
      cache: { ttlMs: 20, maxStaleMs: 60_000 },
      onEvent: (e) => events.push(e),
    });
    const warm = await r.getMany(['mem:ONE', 'mem:TWO']);
    await new Promise((res) => setTimeout(res, 60));
    state.mode = 'down';
    const settled = await r.getManySettled(['mem:ONE', 'mem:TWO', 'mem:THREE']);
    expect(settled.map((s) => s.ok)).toEqual([true, true, false]);
    expect(settled[0]?.ok && settled[0].secret).toBe(warm.get('mem:ONE'));
    expect(events.filter((e) => e.type === 'stale-served').map((e) => e.name)).toEqual(['ONE', 'TWO']);
  });

  it('a source that throws a non-Error or a plain object: coded, and the value in it never shown', async () => {
    const { source, state } = flaky(batch);
    const r = createResolver({ sources: [source], cache: false });
    for (const mode of ['throw-garbage', 'reject-string'] as const) {
      state.mode = mode;
      const err = (await r.get('mem:ONE').catch((e: unknown) => e)) as SecretError;
      expect(err.code).toBe('ERR_SOURCE_UNAVAILABLE');
      expect(inspect(err, { depth: 8, showHidden: true })).not.toContain('v1-5Fq8rZ2mXw9LkP3t');
      expect(JSON.stringify(err)).not.toContain('v1-5Fq8rZ2mXw9LkP3t');
    }
  });
});
