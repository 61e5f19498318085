/**
 * The conformance suite every SecretSource runs, shipped so a third-party source can prove itself.
 * It registers the groups a source's capabilities declare, and checks that the declaration itself
 * is honest. It takes the test runner's `describe` and `it` (vitest, jest, mocha and `node:test`
 * all fit) and asserts with `node:assert`, so no test framework is a dependency.
 * Names are unique per test (`c<random>_<base>`), made of letters, digits and `_` (every store
 * accepts those), so a shared store needs no cleanup between tests.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { isSecretError, type SecretError } from '../core/errors.js';
import { isSecret } from '../core/secret.js';
import type { SecretSource } from '../core/source.js';

/** A store under test. */
export interface ConformanceTarget {
  /** Shown in test names, e.g. 'aws-sm'. */
  name: string;
  /** Builds a source whose store holds (at least) `initial`. Called once per test. */
  create(
    initial: Record<string, string | Uint8Array>,
  ): Promise<{ source: SecretSource; cleanup?(): Promise<void> }>;
  /** Prepended to every generated name (SSM wants '/conf/'). @default '' */
  namePrefix?: string;
  /** Stores that make a deletion visible late may need to wait before a re-read. @default 0 */
  deleteSettleMs?: number;
  /** Passed to `it` as its timeout, for slow stores. @default the runner's own */
  timeoutMs?: number;
}

/** The test runner's functions the suite registers its tests with. */
export interface ConformanceRunner {
  describe(name: string, body: () => void): unknown;
  it(name: string, body: () => Promise<void>, timeoutMs?: number): unknown;
}

const SENTINEL = 'SENTINEL-conformance-7f3a9c1e-do-not-print';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** Asserts that nothing reachable from `thing` prints the sentinel. */
function assertNoSentinel(thing: unknown): void {
  assert.ok(
    !inspect(thing, { depth: 8, showHidden: true }).includes(SENTINEL),
    'the value shows in inspect()',
  );
  if (thing instanceof Error) {
    for (const text of [thing.message, String(thing.stack), JSON.stringify(thing)]) {
      assert.ok(!text.includes(SENTINEL), 'the value shows in an error');
    }
  }
}

async function expectCode(p: Promise<unknown>, code: string): Promise<SecretError> {
  const err = await p.then(
    () => assert.fail(`expected ${code}, but the call succeeded`),
    (e: unknown) => e,
  );
  assert.ok(isSecretError(err), `expected a SecretError, got ${inspect(err)}`);
  assert.equal(err.code, code);
  assert.equal(typeof err.message, 'string');
  return err;
}

/**
 * Probes `target`'s capabilities with one `create({})`, then registers every conformance group
 * they declare with the runner's `describe` and `it`. Await it at the top of the test file, after
 * whatever `create` needs (an emulator) is running.
 * @example
 * import { describe, it } from 'vitest';
 * import { runConformance } from 'secretsource/testing';
 * await runConformance({ name: 'my-store', create: async (initial) => ({ source: myStore(initial) }) }, { describe, it });
 */
export async function runConformance(target: ConformanceTarget, runner: ConformanceRunner): Promise<void> {
  const { describe } = runner;
  const it = (name: string, body: () => Promise<void>) =>
    target.timeoutMs === undefined ? runner.it(name, body) : runner.it(name, body, target.timeoutMs);
  const prefix = target.namePrefix ?? '';
  const uid = () => randomBytes(5).toString('hex');
  const makeName = (base: string) => `${prefix}c${uid()}_${base}`;

  async function withSource(
    initial: Record<string, string | Uint8Array>,
    body: (s: SecretSource) => Promise<void>,
  ): Promise<void> {
    const { source, cleanup } = await target.create(initial);
    try {
      await body(source);
    } finally {
      await cleanup?.();
      await source.close?.();
    }
  }
  const reveal = async (s: SecretSource, name: string, version?: string) =>
    (await s.get(name, version === undefined ? {} : { version }))?.value.reveal();

  const { source: probe, cleanup: probeCleanup } = await target.create({});
  const caps = probe.capabilities;
  const storeName = (name: string) => (probe.toStoreName ? probe.toStoreName(name) : name);
  await probeCleanup?.();
  await probe.close?.();

  describe(`conformance: ${target.name}`, () => {
    it('declares read, and has exactly the optional methods its flags declare', async () => {
      await withSource({}, async (s) => {
        const c = s.capabilities;
        assert.equal(c.read, true);
        assert.equal(typeof s.id, 'string');
        assert.equal(typeof s.get, 'function');
        for (const [method, flag] of [
          ['set', c.write],
          ['delete', c.delete],
          ['list', c.list],
          ['versions', c.versions],
          ['getMany', c.batchGet],
          ['revokeVersions', c.revoke === true],
        ] as const) {
          assert.equal(
            typeof s[method] === 'function',
            flag,
            `${method}() exists exactly when its capability says so`,
          );
        }
        // Revocation is told apart by versions(): a store that revokes has versions.
        if (c.revoke) assert.equal(c.versions, true, 'a store that revokes lists versions');
        assert.ok(c.nameRule.pattern instanceof RegExp);
        assert.ok(c.nameRule.maxLength > 0);
        if (c.maxValueBytes !== undefined) assert.ok(c.maxValueBytes > 0);
      });
    });

    it('get returns a record whose value is a redacted Secret', async () => {
      const name = makeName('alpha');
      await withSource({ [name]: 'value-alpha-1' }, async (s) => {
        const rec = await s.get(name);
        assert.ok(rec !== undefined && isSecret(rec.value));
        assert.equal(rec.value.reveal(), 'value-alpha-1');
        for (const printed of [String(rec.value), JSON.stringify(rec), inspect(rec, { depth: 5 })]) {
          assert.ok(!printed.includes('value-alpha-1'), 'the value shows when the record is printed');
        }
      });
    });

    it('keeps unicode and multiline values byte for byte', async () => {
      const name = makeName('uni');
      const value = 'héllo wörld ✓ 🔑 日本\nsecond line\n\tthird "quoted" \'single\' line';
      await withSource({ [name]: value }, async (s) => assert.equal(await reveal(s, name), value));
    });

    it('reads a large value', async () => {
      const max = caps.maxValueBytes ?? 64 * 1024;
      const size = Math.min(Math.floor(max * 0.9), 60 * 1024);
      const value = randomBytes(size).toString('base64').slice(0, size);
      const name = makeName('large');
      await withSource({ [name]: value }, async (s) => {
        const got = await s.get(name);
        assert.equal(got?.value.byteLength, size);
        assert.ok(got.value.reveal() === value);
      });
    });

    it('resolves to undefined for a name the store does not have', async () => {
      await withSource({}, async (s) => assert.equal(await s.get(makeName('absent')), undefined));
    });

    it('refuses an empty name, a ".." segment, padding and an over-long name with ERR_SECRET_NAME_INVALID', async () => {
      await withSource({}, async (s) => {
        await expectCode(s.get(''), 'ERR_SECRET_NAME_INVALID');
        await expectCode(s.get(`${prefix}a/../b`), 'ERR_SECRET_NAME_INVALID');
        await expectCode(s.get(' padded '), 'ERR_SECRET_NAME_INVALID');
        const long = `${prefix}${'a'.repeat(s.capabilities.nameRule.maxLength + 1)}`;
        await expectCode(s.get(long), 'ERR_SECRET_NAME_INVALID');
      });
    });

    it('never shows a planted sentinel in errors, records or listings', async () => {
      const name = makeName('sentinel');
      await withSource({ [name]: SENTINEL }, async (s) => {
        const rec = await s.get(name);
        assert.equal(rec?.value.reveal(), SENTINEL);
        assertNoSentinel(rec);
        if (s.set)
          assertNoSentinel(
            await expectCode(s.set(name, SENTINEL, { ifAbsent: true }), 'ERR_SECRET_CONFLICT'),
          );
        if (s.list) assertNoSentinel(await collect(s.list({ prefix: name })));
        if (s.versions) {
          const err = await s.get(name, { version: '999999' }).catch((e: unknown) => e);
          if (err instanceof Error) assertNoSentinel(err);
        }
      });
    });

    const nested = `${prefix}c${uid()}_dir/sub/leaf`;
    if (caps.nameRule.pattern.test(storeName(nested))) {
      it('names with "/" work (the name rule allows them)', async () => {
        await withSource({ [nested]: 'nested-value' }, async (s) =>
          assert.equal(await reveal(s, nested), 'nested-value'),
        );
      });
    } else {
      it('names with "/" are refused (the name rule does not allow them)', async () => {
        await withSource({}, async (s) => void (await expectCode(s.get(nested), 'ERR_SECRET_NAME_INVALID')));
      });
    }

    if (caps.binary) {
      it('binary values round-trip', async () => {
        const bytes = Uint8Array.from([0, 255, 254, 1, 128, 10, 13, 0, 200]);
        const name = makeName('bin');
        await withSource({ [name]: bytes }, async (s) => {
          const got = await s.get(name);
          assert.equal(got?.value.isBinary, true);
          assert.ok(Buffer.from(got.value.bytes()).equals(Buffer.from(bytes)));
        });
      });
    } else {
      it('text values are not reported as binary (binary is not declared)', async () => {
        const name = makeName('text');
        await withSource({ [name]: 'plain' }, async (s) =>
          assert.equal((await s.get(name))?.value.isBinary, false),
        );
      });
    }

    if (caps.list) {
      it('list pages through every name, with metadata and no values', async () => {
        const base = `${prefix}c${uid()}_l`;
        const initial: Record<string, string> = {};
        for (let i = 0; i < 27; i++) initial[`${base}${String(i).padStart(2, '0')}`] = `${SENTINEL}-${i}`;
        await withSource(initial, async (s) => {
          const listed = await collect(s.list!({ prefix: base, pageSize: 5 }));
          assert.deepEqual(listed.map((m) => m.name).sort(), Object.keys(initial).sort());
          for (const m of listed) assert.ok(Object.values(m).every((v) => !isSecret(v)));
          assertNoSentinel(listed);
        });
      });
    }

    if (caps.write) {
      it('set creates, then adds a value; ifAbsent refuses an existing name', async () => {
        await withSource({}, async (s) => {
          const name = makeName('w');
          assert.equal((await s.set!(name, 'one')).created, true);
          assert.equal(await reveal(s, name), 'one');
          assert.equal((await s.set!(name, 'two')).created, false);
          assert.equal(await reveal(s, name), 'two');
          await expectCode(s.set!(name, 'three', { ifAbsent: true }), 'ERR_SECRET_CONFLICT');
          assert.equal(await reveal(s, name), 'two');
          assert.equal((await s.set!(makeName('w2'), 'x', { ifAbsent: true })).created, true);
        });
      });
    }

    if (caps.write) {
      const refused = caps.emptyValues === false;
      it(`empty values: ${refused ? 'refused with ERR_SECRET_MALFORMED, nothing written' : 'kept as values'}`, async () => {
        await withSource({}, async (s) => {
          const name = makeName('empty');
          if (refused) {
            await expectCode(s.set!(name, ''), 'ERR_SECRET_MALFORMED');
            assert.equal(await s.get(name), undefined);
          } else {
            await s.set!(name, '');
            assert.equal(await reveal(s, name), '');
          }
        });
      });
    }

    const maxValueBytes = caps.maxValueBytes;
    if (caps.write && maxValueBytes !== undefined) {
      it('refuses a value over maxValueBytes with a coded error', async () => {
        await withSource({}, async (s) => {
          const err = await s.set!(makeName('big'), 'x'.repeat(maxValueBytes + 1)).catch((e: unknown) => e);
          assert.ok(isSecretError(err), 'a coded error');
          assert.ok(
            ['ERR_SECRET_MALFORMED', 'ERR_SECRET_NAME_INVALID', 'ERR_SOURCE_MISCONFIGURED'].includes(
              err.code,
            ),
          );
        });
      });
    }

    if (caps.write && caps.tags) {
      it('stores and returns tags', async () => {
        await withSource({}, async (s) => {
          const name = makeName('tag');
          await s.set!(name, 'tagged', { tags: { team: 'core', env: 'test' } });
          const tags = (await s.get(name))?.tags;
          assert.equal(tags?.team, 'core');
          assert.equal(tags?.env, 'test');
        });
      });
    }

    if (caps.delete) {
      it('delete removes the name; deleting again reports it absent', async () => {
        const name = makeName('d');
        await withSource({ [name]: 'doomed' }, async (s) => {
          assert.equal(await s.delete!(name), true);
          if (target.deleteSettleMs) await new Promise((r) => setTimeout(r, target.deleteSettleMs));
          assert.equal(await s.get(name), undefined);
          assert.equal(await s.delete!(name), false);
        });
      });
    }

    if (caps.versions && caps.write) {
      it('keeps versions, newest first, and reads an older one by id', async () => {
        await withSource({}, async (s) => {
          const name = makeName('v');
          const ids: string[] = [];
          for (const v of ['v1', 'v2', 'v3']) {
            const { version } = await s.set!(name, v);
            assert.notEqual(version, undefined, 'set() reports the version it wrote');
            ids.push(version!);
          }
          assert.equal(new Set(ids).size, 3);
          const versions = await collect(s.versions!(name));
          assert.ok(versions.length >= 3);
          assert.deepEqual(
            versions.filter((v) => v.current).map((v) => v.version),
            [ids[2]],
          );
          assert.equal(await reveal(s, name, ids[0]), 'v1');
          assert.equal(await reveal(s, name), 'v3');
          assert.equal((await s.get(name))?.version, ids[2]);
        });
      });
    }

    if (caps.revoke && caps.write) {
      it('revokes every version older than the one kept, in versions(), once', async () => {
        await withSource({}, async (s) => {
          const name = makeName('r');
          const ids: string[] = [];
          for (const v of ['r1', 'r2', 'r3']) ids.push((await s.set!(name, v)).version!);
          assert.deepEqual((await s.revokeVersions!(name, ids[2]!)).sort(), [ids[0], ids[1]].sort());
          const after = await collect(s.versions!(name));
          const enabled = (id: string) => after.find((v) => v.version === id)?.enabled;
          assert.deepEqual([enabled(ids[2]!), enabled(ids[1]!), enabled(ids[0]!)], [true, false, false]);
          assert.equal(await reveal(s, name), 'r3');
          // Idempotent, and a later version neither brings them back nor revokes the kept one.
          assert.deepEqual(await s.revokeVersions!(name, ids[2]!), []);
          const v4 = (await s.set!(name, 'r4')).version!;
          const later = await collect(s.versions!(name));
          assert.deepEqual(
            later.filter((v) => v.enabled).map((v) => v.version),
            [v4, ids[2]],
          );
          await expectCode(s.revokeVersions!(makeName('absent'), ids[2]!), 'ERR_SECRET_NOT_FOUND');
        });
      });
    }

    if (caps.batchGet) {
      it('getMany returns every name, with undefined for a partial miss', async () => {
        const [a, b, missing] = [makeName('ba'), makeName('bb'), makeName('bmiss')];
        await withSource({ [a]: 'A', [b]: 'B' }, async (s) => {
          const out = await s.getMany!([a, b, missing]);
          assert.equal(out.size, 3);
          const [ea, eb] = [out.get(a), out.get(b)];
          assert.equal(ea?.ok && ea.record?.value.reveal(), 'A');
          assert.equal(eb?.ok && eb.record?.value.reveal(), 'B');
          assert.deepEqual(out.get(missing), { ok: true, record: undefined });
        });
      });
    }
  });
}
