/**
 * The .env round trip every writable store runs: each file of the curated corpus that reads
 * cleanly (test/dotenv/corpus/, plus a file with a value over every store's size limit) goes
 * through `copy --apply`; every name dotenv reads is then either read back with the store's own
 * client, byte for byte equal to `dotenv.parse`, or refused in the plan with a code and a reason
 * (and absent from the store). A second run finds everything unchanged and writes nothing.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import { describe, it } from 'vitest';
import { dotenvSource } from '../../providers/dotenv.js';
import { copySecrets } from '../../src/copy/index.js';
import type { SecretSource } from '../../src/core/source.js';
import { parseDotenv } from '../../src/dotenv/parse.js';

/** A store under test: our source to copy into, and a read through the store's own client. */
export interface RoundTripStore {
  name: string;
  /** A source and a fresh prefix (or mount) for one corpus file. */
  create(): Promise<{ source: SecretSource; prefix: string }>;
  /**
   * Reads caller-side names with the store's own SDK client (batched where the store has a batch
   * read): each name's text, or undefined when absent, in the order given.
   */
  readRaw(targets: readonly string[]): Promise<Array<string | undefined>>;
}

const corpusDir = fileURLToPath(new URL('../dotenv/corpus/', import.meta.url));

/** The corpus files that read cleanly, and one with a value over every store's limit. */
function corpus(): Array<{ file: string; path: string }> {
  const clean = readdirSync(corpusDir)
    .filter((f) => f.endsWith('.env') && !f.startsWith('refused-'))
    .map((file) => ({ file, path: join(corpusDir, file) }));
  const dir = mkdtempSync(join(tmpdir(), 'ss-roundtrip-'));
  const big = join(dir, 'sizes.env');
  writeFileSync(big, `SMALL=fits-everywhere\nHUGE=${'x'.repeat(600 * 1024)}\nMEDIUM=${'m'.repeat(30_000)}\n`);
  return [...clean, { file: 'sizes.env (generated)', path: big }];
}

/** Registers the round trip for one store. */
export function runRoundTrip(store: RoundTripStore): void {
  // Files run concurrently (each under its own prefix): the time is the emulator's, not the CPU's.
  describe.concurrent(`.env round trip through ${store.name}`, () => {
    // The files share one emulator and run side by side, so one file's wall time includes the
    // others' calls (laravel.env took 30 s on Key Vault at load 15 on 2 cores): the limit is there
    // to catch a hang, not to time the store.
    it.for(corpus())('$file', { timeout: 120_000 }, async ({ path }, { expect }) => {
      const bytes = readFileSync(path);
      expect(parseDotenv(bytes).issues.filter((i) => i.severity === 'error')).toEqual([]);
      const expected = dotenv.parse(bytes);
      const { source, prefix } = await store.create();
      const copy = () =>
        copySecrets({
          from: dotenvSource({ path }),
          to: source,
          toPrefix: prefix,
          apply: true,
          allowWeak: true,
          references: 'literal',
        });
      try {
        const first = await copy();
        expect(first.items.map((i) => i.name).sort()).toEqual(Object.keys(expected).sort());
        expect(first.failed).toBe(0);
        const raws = await store.readRaw(first.items.map((item) => item.target));
        expect(raws.length).toBe(first.items.length);
        for (const [n, item] of first.items.entries()) {
          const raw = raws[n];
          if (item.action === 'refused') {
            expect(item.code, item.name).toMatch(/^ERR_/);
            expect(item.reason, item.name).toBeTruthy();
            expect(raw, `${item.name} was refused but is in the store`).toBeUndefined();
          } else {
            expect(item, item.name).toMatchObject({ action: 'create', status: 'done' });
            expect(raw === expected[item.name], `${item.name} read back differently`).toBe(true);
          }
        }
        const again = await copy();
        expect(again.writes).toBe(0);
        expect(again.failed).toBe(0);
        for (const item of again.items) expect(['unchanged', 'refused'], item.name).toContain(item.action);
        expect(again.counts.unchanged).toBe(first.counts.create);
      } finally {
        await source.close?.();
      }
    });
  });
}

/** A unique prefix. */
export const uid = () => randomBytes(4).toString('hex');
