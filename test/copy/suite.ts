/**
 * The copy suite every target store runs: masked plan, idempotent apply, conflict policies, weak
 * values, interrupted-then-resumed copies and a sentinel that must never reach any output.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { copySecrets } from '../../src/copy/index.js';
import { SourceError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource, SetOptions } from '../../src/core/source.js';
import { generateKey } from '../../src/keys/keygen.js';

/** A store under test. */
export interface CopyTarget {
  name: string;
  /** A source for the store and a fresh, unique prefix (or mount) for one test. */
  create(): Promise<{ source: SecretSource; prefix: string; cleanup?(): Promise<void> }>;
}

export const SENTINEL = 'SENTINEL-copy-3b1d-never-print';

/** The target with a counter of `set` calls and, optionally, a failure after `failAfter` writes. */
export function instrument(source: SecretSource, failAfter = Number.POSITIVE_INFINITY) {
  const counts = { set: 0 };
  const wrapped: SecretSource = {
    ...source,
    id: source.id,
    capabilities: source.capabilities,
    async set(name: string, value, options?: SetOptions) {
      if (counts.set >= failAfter) {
        // Not retryable: as if the process had been killed at this point.
        throw new SourceError('ERR_SOURCE_ACCESS_DENIED', `simulated interruption writing "${name}"`, {
          source: source.id,
          secretName: name,
        });
      }
      counts.set++;
      return source.set!(name, value, options);
    },
  };
  return { source: wrapped, counts };
}

async function versionCount(source: SecretSource, name: string): Promise<number> {
  let n = 0;
  for await (const v of source.versions!(name)) if (v.enabled) n++;
  return n;
}

/** Registers the suite for one target store. */
export function runCopySuite(target: CopyTarget): void {
  const strong = () => generateKey({ bytes: 48 });
  const seed = () => ({
    JWT_SECRET_KEY: strong(),
    DB_PASSWORD: `${SENTINEL}-${randomBytes(8).toString('hex')}`,
    API_TOKEN: strong(),
  });

  async function withTarget(body: (t: { source: SecretSource; prefix: string }) => Promise<void>) {
    const t = await target.create();
    try {
      await body(t);
    } finally {
      await t.cleanup?.();
      await t.source.close?.();
    }
  }

  describe(`copy into ${target.name}`, () => {
    it('plans without writing, and the plan is masked', async () => {
      await withTarget(async ({ source, prefix }) => {
        const from = memorySource({ initial: seed() });
        const { source: to, counts } = instrument(source);
        const events: SecretEvent[] = [];
        const report = await copySecrets({ from, to, toPrefix: prefix, onEvent: (e) => events.push(e) });
        expect(report.mode).toBe('plan');
        expect(report.counts.create).toBe(3);
        expect(report.items.map((i) => i.status)).toEqual(['planned', 'planned', 'planned']);
        expect(report.items.every((i) => /^fpr_[0-9a-f]{16}$/.test(i.fingerprint ?? ''))).toBe(true);
        expect(counts.set).toBe(0);
        expect(events).toEqual([]);
        for (const item of report.items) expect(await source.get(item.target)).toBeUndefined();
        expect(JSON.stringify(report) + inspect(report, { depth: 10 })).not.toContain(SENTINEL);
      });
    });

    it('applies, reads back, and a re-run writes nothing', async () => {
      await withTarget(async ({ source, prefix }) => {
        const values = seed();
        const from = memorySource({ initial: values });
        const first = instrument(source);
        const events: SecretEvent[] = [];
        const report = await copySecrets({
          from,
          to: first.source,
          toPrefix: prefix,
          apply: true,
          onEvent: (e) => events.push(e),
          context: { run: 'first' },
        });
        expect(report).toMatchObject({ mode: 'apply', ok: true, writes: 3, failed: 0 });
        expect(report.items.every((i) => i.status === 'done' && i.action === 'create')).toBe(true);
        expect(first.counts.set).toBe(3);
        expect(events.filter((e) => e.type === 'write' && e.outcome === 'ok')).toHaveLength(3);
        expect(events[0]).toMatchObject({ source: source.id, context: { run: 'first' } });
        for (const [name, value] of Object.entries(values)) {
          expect((await source.get(`${prefix}${name}`))?.value.reveal()).toBe(value);
        }
        const second = instrument(source);
        const again = await copySecrets({ from, to: second.source, toPrefix: prefix, apply: true });
        expect(again.counts).toMatchObject({ unchanged: 3, create: 0, update: 0 });
        expect(again.writes).toBe(0);
        expect(second.counts.set).toBe(0);
        if (source.capabilities.versions) {
          for (const name of Object.keys(values))
            expect(await versionCount(source, `${prefix}${name}`)).toBe(1);
        }
        const text =
          JSON.stringify([report, again, events]) + inspect([report, again, events], { depth: 10 });
        expect(text).not.toContain(SENTINEL);
      });
    });

    it('conflicts: fail by default, skip, or overwrite when asked', async () => {
      await withTarget(async ({ source, prefix }) => {
        const theirs = strong();
        await source.set!(`${prefix}API_TOKEN`, theirs, { overwrite: true } as SetOptions);
        const from = memorySource({ initial: { API_TOKEN: strong() } });
        const failed = await copySecrets({ from, to: source, toPrefix: prefix, apply: true });
        expect(failed.ok).toBe(false);
        expect(failed.items[0]).toMatchObject({
          action: 'conflict',
          code: 'ERR_SECRET_CONFLICT',
          status: 'not-run',
        });
        expect(failed.items[0]!.targetFingerprint).toMatch(/^fpr_/);
        expect((await source.get(`${prefix}API_TOKEN`))?.value.reveal()).toBe(theirs);

        const skipped = await copySecrets({
          from,
          to: source,
          toPrefix: prefix,
          apply: true,
          onConflict: 'skip',
        });
        expect(skipped).toMatchObject({ ok: true, writes: 0 });
        expect(skipped.items[0]).toMatchObject({ action: 'skip', status: 'done' });
        expect((await source.get(`${prefix}API_TOKEN`))?.value.reveal()).toBe(theirs);

        const over = await copySecrets({
          from,
          to: source,
          toPrefix: prefix,
          apply: true,
          onConflict: 'overwrite',
        });
        expect(over).toMatchObject({ ok: true, writes: 1 });
        expect(over.items[0]).toMatchObject({ action: 'update', status: 'done' });
        expect((await source.get(`${prefix}API_TOKEN`))?.value.fingerprint()).toBe(
          over.items[0]!.fingerprint,
        );
        if (source.capabilities.versions) expect(await versionCount(source, `${prefix}API_TOKEN`)).toBe(2);
      });
    });

    it('refuses weak values, each by name and code, unless allowWeak', async () => {
      await withTarget(async ({ source, prefix }) => {
        const from = memorySource({ initial: { JWT_SECRET_KEY: 'changeme', API_TOKEN: strong() } });
        const refused = await copySecrets({ from, to: source, toPrefix: prefix, apply: true });
        expect(refused.ok).toBe(false);
        const weak = refused.items.find((i) => i.name === 'JWT_SECRET_KEY')!;
        expect(weak).toMatchObject({ action: 'refused', code: 'ERR_SECRET_WEAK' });
        expect(weak.issues?.length).toBeGreaterThan(0);
        expect(weak.reason).toMatch(/jwt-hs256/);
        expect(await source.get(`${prefix}JWT_SECRET_KEY`)).toBeUndefined();
        expect(refused.items.find((i) => i.name === 'API_TOKEN')).toMatchObject({
          action: 'create',
          status: 'done',
        });
        expect(JSON.stringify(refused)).not.toContain('changeme');

        const allowed = await copySecrets({
          from,
          to: source,
          toPrefix: prefix,
          apply: true,
          allowWeak: true,
        });
        expect(allowed.ok).toBe(true);
        expect(allowed.items.find((i) => i.name === 'JWT_SECRET_KEY')).toMatchObject({
          action: 'create',
          status: 'done',
        });
      });
    });

    it('an interrupted copy completes on re-run, with nothing lost and nothing written twice', async () => {
      await withTarget(async ({ source, prefix }) => {
        const values = Object.fromEntries(Array.from({ length: 7 }, (_, i) => [`KEY_${i}`, strong()]));
        const from = memorySource({ initial: values });
        const broken = instrument(source, 3);
        const first = await copySecrets({
          from,
          to: broken.source,
          toPrefix: prefix,
          apply: true,
          concurrency: 2,
        });
        expect(first.ok).toBe(false);
        expect(first.writes).toBe(3);
        expect(first.failed).toBe(4);
        const resumed = instrument(source);
        const second = await copySecrets({ from, to: resumed.source, toPrefix: prefix, apply: true });
        expect(second).toMatchObject({ ok: true, writes: 4 });
        expect(second.counts).toMatchObject({ unchanged: 3, create: 4 });
        for (const [name, value] of Object.entries(values)) {
          expect((await source.get(`${prefix}${name}`))?.value.reveal()).toBe(value);
          if (source.capabilities.versions) expect(await versionCount(source, `${prefix}${name}`)).toBe(1);
        }
      });
    });
  });
}
