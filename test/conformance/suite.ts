/**
 * The one conformance suite every SecretSource runs. It registers the groups a source's
 * capabilities declare, and checks that the declaration itself is honest.
 * Names are unique per test (`c<random>_<base>`), made of letters, digits and `_` (every store
 * accepts those), so a shared emulator needs no cleanup between tests.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import type { SecretSource } from '../../src/core/source.js';
import { isSecret, isSecretError, type SecretError } from '../../src/index.js';

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
  /** Stores that make a deletion visible late (Azure) may need to wait before a re-read. @default 0 */
  deleteSettleMs?: number;
}

const SENTINEL = 'SENTINEL-conformance-7f3a9c1e-do-not-print';

/** Registers every conformance group that `target`'s capabilities declare. */
export function runConformance(target: ConformanceTarget): void {
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

  async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
    const out: T[] = [];
    for await (const x of it) out.push(x);
    return out;
  }

  /** Asserts nothing reachable from `thing` prints the sentinel. */
  function assertNoSentinel(thing: unknown): void {
    expect(inspect(thing, { depth: 8, showHidden: true })).not.toContain(SENTINEL);
    if (thing instanceof Error) {
      expect(thing.message).not.toContain(SENTINEL);
      expect(String(thing.stack)).not.toContain(SENTINEL);
      expect(JSON.stringify(thing)).not.toContain(SENTINEL);
    }
  }

  async function expectCode(p: Promise<unknown>, code: string): Promise<SecretError> {
    const err = await p.then(
      () => {
        throw new Error(`expected ${code}, but the call succeeded`);
      },
      (e: unknown) => e,
    );
    expect(isSecretError(err), `expected a SecretError, got ${inspect(err)}`).toBe(true);
    expect((err as SecretError).code).toBe(code);
    expect(typeof (err as SecretError).message).toBe('string');
    return err as SecretError;
  }

  describe(`conformance: ${target.name}`, async () => {
    const { source: probe, cleanup: probeCleanup } = await target.create({});
    const caps = probe.capabilities;
    await probeCleanup?.();
    await probe.close?.();

    describe('capability manifest is honest', () => {
      it('declares read, and has exactly the optional methods its flags declare', async () => {
        await withSource({}, async (s) => {
          const c = s.capabilities;
          expect(c.read).toBe(true);
          expect(typeof s.id).toBe('string');
          expect(typeof s.get).toBe('function');
          expect(typeof s.set === 'function').toBe(c.write);
          expect(typeof s.delete === 'function').toBe(c.delete);
          expect(typeof s.list === 'function').toBe(c.list);
          expect(typeof s.versions === 'function').toBe(c.versions);
          expect(typeof s.getMany === 'function').toBe(c.batchGet);
          expect(c.nameRule.pattern).toBeInstanceOf(RegExp);
          expect(c.nameRule.maxLength).toBeGreaterThan(0);
          if (c.maxValueBytes !== undefined) expect(c.maxValueBytes).toBeGreaterThan(0);
        });
      });
    });

    describe('read', () => {
      it('returns a record whose value is a redacted Secret', async () => {
        const name = makeName('alpha');
        await withSource({ [name]: 'value-alpha-1' }, async (s) => {
          const rec = await s.get(name);
          expect(rec).toBeDefined();
          expect(isSecret(rec!.value)).toBe(true);
          expect(rec!.value.reveal()).toBe('value-alpha-1');
          expect(String(rec!.value)).not.toContain('value-alpha-1');
          expect(JSON.stringify(rec)).not.toContain('value-alpha-1');
          expect(inspect(rec, { depth: 5 })).not.toContain('value-alpha-1');
        });
      });

      it('keeps unicode and multiline values byte for byte', async () => {
        const name = makeName('uni');
        const value = 'héllo wörld ✓ 🔑 日本\nsecond line\n\tthird "quoted" \'single\' line';
        await withSource({ [name]: value }, async (s) => {
          expect((await s.get(name))?.value.reveal()).toBe(value);
        });
      });

      it('reads a large value', async () => {
        const max = caps.maxValueBytes ?? 64 * 1024;
        const size = Math.min(Math.floor(max * 0.9), 60 * 1024);
        const value = randomBytes(size).toString('base64').slice(0, size);
        const name = makeName('large');
        await withSource({ [name]: value }, async (s) => {
          const got = await s.get(name);
          expect(got?.value.byteLength).toBe(size);
          expect(got?.value.reveal() === value).toBe(true);
        });
      });
    });

    describe('missing', () => {
      it('resolves to undefined for a name the store does not have', async () => {
        await withSource({}, async (s) => {
          await expect(s.get(makeName('absent'))).resolves.toBeUndefined();
        });
      });
    });

    describe('errors carry codes', () => {
      it('refuses an empty name and a ".." segment with ERR_SECRET_NAME_INVALID', async () => {
        await withSource({}, async (s) => {
          await expectCode(s.get(''), 'ERR_SECRET_NAME_INVALID');
          await expectCode(s.get(`${prefix}a/../b`), 'ERR_SECRET_NAME_INVALID');
          await expectCode(s.get(' padded '), 'ERR_SECRET_NAME_INVALID');
        });
      });

      it('refuses a name longer than its rule', async () => {
        await withSource({}, async (s) => {
          await expectCode(
            s.get(`${prefix}${'a'.repeat(s.capabilities.nameRule.maxLength + 1)}`),
            'ERR_SECRET_NAME_INVALID',
          );
        });
      });
    });

    describe('no value in any error or record print', () => {
      it('never shows a planted sentinel in errors, records or listings', async () => {
        const name = makeName('sentinel');
        await withSource({ [name]: SENTINEL }, async (s) => {
          const rec = await s.get(name);
          expect(rec?.value.reveal()).toBe(SENTINEL);
          assertNoSentinel(rec);
          if (s.set) {
            const err = await expectCode(s.set(name, SENTINEL, { ifAbsent: true }), 'ERR_SECRET_CONFLICT');
            assertNoSentinel(err);
          }
          if (s.list) assertNoSentinel(await collect(s.list({ prefix: name })));
          if (s.versions) {
            const err = await s
              .get(name, { version: caps.versions ? '999999' : 'x' })
              .catch((e: unknown) => e);
            if (err instanceof Error) assertNoSentinel(err);
          }
        });
      });
    });

    describe('declared name rule and binary', () => {
      it('names with "/" work when the name rule allows them', async () => {
        const nested = `${prefix}c${uid()}_dir/sub/leaf`;
        const allowed = caps.nameRule.pattern.test(probe.toStoreName ? probe.toStoreName(nested) : nested);
        if (!allowed) {
          await withSource({}, async (s) => {
            await expectCode(s.get(nested), 'ERR_SECRET_NAME_INVALID');
          });
          return;
        }
        await withSource({ [nested]: 'nested-value' }, async (s) => {
          expect((await s.get(nested))?.value.reveal()).toBe('nested-value');
        });
      });

      it('binary values round-trip when declared, and are refused or re-encoded only when not', async () => {
        const bytes = Uint8Array.from([0, 255, 254, 1, 128, 10, 13, 0, 200]);
        if (!caps.binary) {
          // Not declared: the source must not claim binary values in its records either.
          const name = makeName('text');
          await withSource({ [name]: 'plain' }, async (s) => {
            expect((await s.get(name))?.value.isBinary).toBe(false);
          });
          return;
        }
        const name = makeName('bin');
        await withSource({ [name]: bytes }, async (s) => {
          const got = await s.get(name);
          expect(got?.value.isBinary).toBe(true);
          expect(Buffer.from(got!.value.bytes()).equals(Buffer.from(bytes))).toBe(true);
        });
      });
    });

    if (caps.list) {
      it('list pages through every name, with metadata and no values', async () => {
        const base = `${prefix}c${uid()}_l`;
        const initial: Record<string, string> = {};
        for (let i = 0; i < 27; i++) initial[`${base}${String(i).padStart(2, '0')}`] = `${SENTINEL}-${i}`;
        await withSource(initial, async (s) => {
          const listed = await collect(s.list!({ prefix: base, pageSize: 5 }));
          expect(listed.map((m) => m.name).sort()).toEqual(Object.keys(initial).sort());
          for (const m of listed) expect(Object.values(m).every((v) => !isSecret(v))).toBe(true);
          assertNoSentinel(listed);
        });
      });
    }

    if (caps.write) {
      it('set creates, then adds a value; ifAbsent refuses an existing name', async () => {
        await withSource({}, async (s) => {
          const name = makeName('w');
          const first = await s.set!(name, 'one');
          expect(first.created).toBe(true);
          expect((await s.get(name))?.value.reveal()).toBe('one');
          const second = await s.set!(name, 'two');
          expect(second.created).toBe(false);
          expect((await s.get(name))?.value.reveal()).toBe('two');
          await expectCode(s.set!(name, 'three', { ifAbsent: true }), 'ERR_SECRET_CONFLICT');
          expect((await s.get(name))?.value.reveal()).toBe('two');
          const fresh = makeName('w2');
          expect((await s.set!(fresh, 'x', { ifAbsent: true })).created).toBe(true);
        });
      });

      if (caps.maxValueBytes !== undefined) {
        it('refuses a value over maxValueBytes with a coded error', async () => {
          await withSource({}, async (s) => {
            const err = await s.set!(makeName('big'), 'x'.repeat(caps.maxValueBytes! + 1)).catch(
              (e: unknown) => e,
            );
            expect(isSecretError(err)).toBe(true);
            expect(['ERR_SECRET_MALFORMED', 'ERR_SECRET_NAME_INVALID', 'ERR_SOURCE_MISCONFIGURED']).toContain(
              (err as SecretError).code,
            );
          });
        });
      }

      it(`empty values: ${caps.emptyValues === false ? 'refused with ERR_SECRET_MALFORMED, nothing written' : 'kept as values'}`, async () => {
        await withSource({}, async (s) => {
          const name = makeName('empty');
          if (caps.emptyValues === false) {
            await expectCode(s.set!(name, ''), 'ERR_SECRET_MALFORMED');
            expect(await s.get(name)).toBeUndefined();
          } else {
            await s.set!(name, '');
            expect((await s.get(name))?.value.reveal()).toBe('');
          }
        });
      });

      if (caps.tags) {
        it('stores and returns tags', async () => {
          await withSource({}, async (s) => {
            const name = makeName('tag');
            await s.set!(name, 'tagged', { tags: { team: 'core', env: 'test' } });
            expect((await s.get(name))?.tags).toMatchObject({ team: 'core', env: 'test' });
          });
        });
      }
    }

    if (caps.delete) {
      it('delete removes the name; deleting again reports it absent', async () => {
        const name = makeName('d');
        await withSource({ [name]: 'doomed' }, async (s) => {
          expect(await s.delete!(name)).toBe(true);
          if (target.deleteSettleMs) await new Promise((r) => setTimeout(r, target.deleteSettleMs));
          await expect(s.get(name)).resolves.toBeUndefined();
          expect(await s.delete!(name)).toBe(false);
        });
      });
    }

    if (caps.versions && caps.write) {
      it('keeps versions, newest first, and reads an older one by id', async () => {
        await withSource({}, async (s) => {
          const name = makeName('v');
          const ids: string[] = [];
          for (const v of ['v1', 'v2', 'v3']) {
            const r = await s.set!(name, v);
            expect(r.version).toBeDefined();
            ids.push(r.version!);
          }
          expect(new Set(ids).size).toBe(3);
          const versions = await collect(s.versions!(name));
          expect(versions.length).toBeGreaterThanOrEqual(3);
          expect(versions.filter((v) => v.current).map((v) => v.version)).toEqual([ids[2]]);
          expect((await s.get(name, { version: ids[0]! }))?.value.reveal()).toBe('v1');
          expect((await s.get(name))?.value.reveal()).toBe('v3');
          expect((await s.get(name))?.version).toBe(ids[2]);
        });
      });
    }

    if (caps.batchGet) {
      it('getMany returns every name, with undefined for a partial miss', async () => {
        const a = makeName('ba');
        const b = makeName('bb');
        const missing = makeName('bmiss');
        await withSource({ [a]: 'A', [b]: 'B' }, async (s) => {
          const out = await s.getMany!([a, b, missing]);
          expect(out.size).toBe(3);
          const ea = out.get(a);
          const eb = out.get(b);
          const em = out.get(missing);
          expect(ea?.ok && ea.record?.value.reveal()).toBe('A');
          expect(eb?.ok && eb.record?.value.reveal()).toBe('B');
          expect(em).toEqual({ ok: true, record: undefined });
        });
      });
    }
  });
}
