/**
 * The shipped conformance suite is honest: it passes the reference source through a runner that is
 * not vitest, and it fails sources that break the contract.
 */
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import type { SecretRecord, SecretSource } from '../../src/core/source.js';
import { type ConformanceTarget, runConformance } from '../../src/testing/conformance.js';

/** A minimal runner of its own (no vitest), collecting each test's outcome. */
async function outcomes(target: ConformanceTarget): Promise<Map<string, string>> {
  const tests: Array<[string, () => Promise<void>]> = [];
  const path: string[] = [];
  await runConformance(target, {
    describe(name, body) {
      path.push(name);
      body();
      path.pop();
    },
    it(name, body) {
      tests.push([[...path, name].join(' > '), body]);
    },
  });
  const out = new Map<string, string>();
  for (const [name, body] of tests) {
    out.set(
      name,
      await body().then(
        () => 'pass',
        (e: unknown) => `fail: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`,
      ),
    );
  }
  return out;
}

const failures = (m: Map<string, string>) => [...m].filter(([, r]) => r !== 'pass').map(([n]) => n);

/** A target whose source is memorySource with `get` answers changed by `change`. */
function withGet(
  name: string,
  change: (r: SecretRecord | undefined) => SecretRecord | undefined,
): ConformanceTarget {
  return {
    name,
    create: async (initial) => {
      const m = memorySource({ initial });
      const source: SecretSource = { ...m, get: async (n, options) => change(await m.get(n, options)) };
      return { source };
    },
  };
}

describe('runConformance', () => {
  it('passes memorySource through any runner, registering the groups its capabilities declare', async () => {
    const results = await outcomes({
      name: 'memory',
      create: async (initial) => ({ source: memorySource({ initial }) }),
    });
    expect(failures(results)).toEqual([]);
    expect([...results.keys()].some((n) => n.includes('getMany'))).toBe(true);
    expect(results.size).toBeGreaterThanOrEqual(15);
  });

  it('fails a source whose manifest lies (set() without the write capability)', async () => {
    const results = await outcomes({
      name: 'liar',
      create: async (initial) => {
        const m = memorySource({ initial });
        return { source: { ...m, capabilities: { ...m.capabilities, write: false } } as SecretSource };
      },
    });
    expect(failures(results)).toContain(
      'conformance: liar > declares read, and has exactly the optional methods its flags declare',
    );
  });

  it('fails a source that throws for a missing name instead of answering undefined', async () => {
    const results = await outcomes(
      withGet('thrower', (r) => {
        if (r === undefined) throw new Error('not found');
        return r;
      }),
    );
    expect(failures(results)).toContain(
      'conformance: thrower > resolves to undefined for a name the store does not have',
    );
  });

  it('fails a source whose records print their value', async () => {
    const results = await outcomes(withGet('leaky', (r) => r && { ...r, description: r.value.reveal() }));
    expect(failures(results)).toContain(
      'conformance: leaky > get returns a record whose value is a redacted Secret',
    );
  });
});
