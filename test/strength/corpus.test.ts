/**
 * The corpus: every weak category is rejected with its code, and CSPRNG keys of the larger profiles
 * pass them (the 300,000-key sweep for jwt-hs256 is in random-keys.test.ts).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkStrength } from '../../src/strength/index.js';
import { PROD } from './helpers.js';
import { WEAK_CORPUS } from './weak-corpus.js';

const PER_ENCODING = 300;

describe('weak corpus: every category is rejected with its code', () => {
  for (const [code, values] of Object.entries(WEAK_CORPUS)) {
    it(`rejects every ${code} example`, () => {
      const missed: Array<{ index: number; codes: string[] }> = [];
      values.forEach((v, index) => {
        const r = checkStrength(v, PROD);
        const got: string[] = r.issues.map((x) => x.code);
        if (r.ok || !got.includes(code)) missed.push({ index, codes: got });
      });
      expect(missed).toEqual([]);
    });
  }
});

describe('strong corpus for the larger profiles', () => {
  const encodings = {
    hex: (b: Buffer) => b.toString('hex'),
    HEX: (b: Buffer) => b.toString('hex').toUpperCase(),
    base64: (b: Buffer) => b.toString('base64'),
    'base64 unpadded': (b: Buffer) => b.toString('base64').replace(/=+$/, ''),
    base64url: (b: Buffer) => b.toString('base64url'),
  };
  for (const [profile, bytes] of [
    ['jwt-hs384', 48],
    ['jwt-hs512', 64],
  ] as const) {
    for (const [name, encode] of Object.entries(encodings)) {
      it(`accepts ${PER_ENCODING} ${bytes}-byte keys in ${name} for ${profile}`, () => {
        const rejected: string[][] = [];
        for (let i = 0; i < PER_ENCODING; i++) {
          const r = checkStrength(encode(randomBytes(bytes)), { ...PROD, profile });
          if (!r.ok) rejected.push(r.issues.map((x) => x.code));
        }
        expect(rejected).toEqual([]);
      });
    }
  }
});
