/**
 * The false-rejection sweep shared by random-keys.test.ts and random-passphrases.test.ts (every
 * encoding the lookups decode, including 0x, hex: and base64: prefixes, and 20-word passphrases): at least
 * 300,000 CSPRNG keys in all, the same number of every supported encoding, each checked for
 * jwt-hs256 in production by the full rule registry. A single rejection fails the run.
 */
import { expect, it } from 'vitest';
import { checkStrength } from '../../src/strength/index.js';
import { PROD, STRONG_GENERATORS } from './helpers.js';

/** Keys in the whole sweep; split evenly over every encoding. */
export const TOTAL_KEYS = 300_000;
export const PER_ENCODING = Math.ceil(TOTAL_KEYS / Object.keys(STRONG_GENERATORS).length);

/** One test per encoding whose name passes `pick`: PER_ENCODING keys, zero rejections. */
export function sweep(pick: (encoding: string) => boolean): void {
  for (const [name, make] of Object.entries(STRONG_GENERATORS)) {
    if (!pick(name)) continue;
    it(`accepts ${PER_ENCODING.toLocaleString('en')} keys: ${name}`, () => {
      const rejected = new Map<string, number>();
      let minBits = Number.POSITIVE_INFINITY;
      for (let i = 0; i < PER_ENCODING; i++) {
        const r = checkStrength(make(), PROD);
        if (r.estimatedBits < minBits) minBits = r.estimatedBits;
        if (!r.ok || r.issues.length > 0) {
          const key = r.issues.map((x) => x.code).join('+') || 'not ok';
          rejected.set(key, (rejected.get(key) ?? 0) + 1);
        }
      }
      expect(Object.fromEntries(rejected)).toEqual({});
      expect(minBits).toBeGreaterThanOrEqual(256);
    }, 120_000);
  }
}
