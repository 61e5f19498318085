/**
 * Digests of known values: the shipped table is exactly what the build script makes from the lists,
 * and every known default and common word is caught as its md5/sha1/sha2 digest in hex (either
 * case), base64 and base64url, padded or not, and a published example key in another encoding.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readProvenance } from '../../scripts/known-defaults/provenance.js';
import { analyse } from '../../src/strength/check.js';
import { knownDigestInputs } from '../../src/strength/digest-inputs.js';
import {
  buildDigestTable,
  DIGEST_ALGORITHMS,
  decodeBytes,
  knownDigestsPath,
  lookupDigest,
} from '../../src/strength/digests.js';
import { checkStrength, PROFILES } from '../../src/strength/index.js';
import { knownDigestRule } from '../../src/strength/rules/known-digest.js';
import { PROD } from './helpers.js';

const ENCODINGS: Record<string, (d: Buffer) => string> = {
  hex: (d) => d.toString('hex'),
  HEX: (d) => d.toString('hex').toUpperCase(),
  '0x hex': (d) => `0x${d.toString('hex')}`,
  base64: (d) => d.toString('base64'),
  'base64 unpadded': (d) => d.toString('base64').replace(/=+$/, ''),
  base64url: (d) => d.toString('base64url'),
};

describe('known digests', () => {
  it('the shipped table is what scripts/known-defaults.ts builds from the lists and the corpus', () => {
    const shipped = readFileSync(knownDigestsPath());
    const rows = readProvenance(join(import.meta.dirname, '../../data/known-defaults/provenance.jsonl'));
    const built = buildDigestTable(knownDigestInputs(rows));
    // On failure: run `tsx scripts/known-defaults.ts` after changing the known defaults or words.
    expect(shipped.equals(built)).toBe(true);
  });

  it('every curated default and common word is caught as its digest under every family and encoding', () => {
    const missed: string[] = [];
    // The mined values are sampled in known-corpus.test.ts: all of them here would take minutes.
    const inputs = knownDigestInputs();
    // The rule alone (checkStrength runs it among the others: see the weak corpus).
    const profile = PROFILES['jwt-hs256'];
    for (const { value } of inputs) {
      for (const algorithm of DIGEST_ALGORITHMS) {
        const digest = createHash(algorithm).update(value).digest();
        for (const [encoding, encode] of Object.entries(ENCODINGS)) {
          const [hit] = analyse(encode(digest), { profile, rules: [knownDigestRule] }).findings;
          if (hit?.code !== 'WEAK_KNOWN_DEFAULT' || hit.via !== algorithm)
            missed.push(`${algorithm}/${encoding} of ${JSON.stringify(value)}`);
        }
      }
    }
    expect(missed).toEqual([]);
    expect(inputs.length).toBeGreaterThan(350);
  });

  it('echo adds a newline: the digest of the value and a newline is caught too', () => {
    const r = checkStrength(createHash('sha384').update('your-256-bit-secret\n').digest('hex'), PROD);
    expect(r.issues.find((i) => i.code === 'WEAK_KNOWN_DEFAULT')).toMatchObject({ via: 'sha384' });
  });

  it('names the family and encoding, never the value', () => {
    const value = createHash('sha512').update('secret').digest('base64');
    const issue = checkStrength(value, PROD).issues.find((i) => i.code === 'WEAK_KNOWN_DEFAULT')!;
    expect(issue).toMatchObject({ via: 'sha512', encoding: 'base64' });
    expect(issue.message).toMatch(
      /^the value is the sha512 digest \(base64\) of a known default or common word/,
    );
    expect(JSON.stringify(issue)).not.toContain(value.slice(0, 12));
  });

  it('a published example key is caught in any encoding of its bytes', () => {
    const owasp = Buffer.from('KYkbbclxtjJMiHzoPvuahOfarej0VV-nQZPFxK0hyro=', 'base64url');
    for (const encode of Object.values(ENCODINGS)) {
      const issue = checkStrength(encode(owasp), PROD).issues.find((i) => i.code === 'WEAK_KNOWN_DEFAULT');
      expect(issue?.source).toMatch(/OWASP JSON Web Token Cheat Sheet/);
    }
  });

  it('decodes only well-formed hex and base64 of 16 bytes or more', () => {
    expect(decodeBytes('ab'.repeat(16))?.encoding).toBe('hex');
    expect(decodeBytes(`${'ab'.repeat(16)}a`)).toBeUndefined();
    expect(decodeBytes(randomBytes(15).toString('base64'))).toBeUndefined();
    expect(decodeBytes(`${randomBytes(32).toString('base64')}=`)).toBeUndefined();
    expect(decodeBytes(randomBytes(32).toString('base64url'))?.bytes.length).toBe(32);
    expect(decodeBytes('not base64 at all, spaces and !')).toBeUndefined();
  });

  it('base64 that starts with "0x" by chance is still base64, and prefixes name their encoding', () => {
    // blake2s256("three") in base64 starts with 0x: it was read as a failed hex value before.
    const d = createHash('blake2s256').update('three').digest();
    expect(d.toString('base64').startsWith('0x')).toBe(true);
    expect(decodeBytes(d.toString('base64'))).toMatchObject({ bytes: d, encoding: 'base64' });
    const key = randomBytes(32);
    expect(decodeBytes(`base64:${key.toString('base64')}`)).toMatchObject({
      bytes: key,
      encoding: 'base64:',
    });
    expect(decodeBytes(`HEX:${key.toString('hex')}`)).toMatchObject({ bytes: key, encoding: 'hex:' });
    expect(decodeBytes(`hex:${key.toString('base64')}`)).toBeUndefined();
  });

  it('a hex digest written again in base64 is caught through both encodings', () => {
    const hex = createHash('sha3-256').update('changeme').digest('hex');
    const issue = checkStrength(Buffer.from(hex).toString('base64'), PROD).issues.find(
      (i) => i.code === 'WEAK_KNOWN_DEFAULT',
    );
    expect(issue).toMatchObject({ via: 'sha3-256', encoding: 'hex of base64' });
  });

  it('random bytes of every length from 16 to 128 never match', () => {
    const hits: number[] = [];
    for (let n = 16; n <= 128; n++)
      for (let i = 0; i < 200; i++) if (lookupDigest(randomBytes(n))) hits.push(n);
    expect(hits).toEqual([]);
  });
});
