/**
 * The mined known-defaults corpus (data/known-defaults.bin) as the checker sees it: published values
 * named by their product, the same bytes in another encoding, digests under every hash family in
 * every text encoding, values made of the words of published defaults, and the structure rules
 * (UUID keys, base32, Math.random()).
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DIGEST_ALGORITHMS, loadKnownDigests } from '../../src/strength/digests.js';
import { checkStrength } from '../../src/strength/index.js';
import { loadKnownDefaults } from '../../src/strength/known-table.js';
import { parseUuidKey } from '../../src/strength/uuid.js';
import { PROD } from './helpers.js';

const known = (v: string) => checkStrength(v, PROD).issues.find((i) => i.code === 'WEAK_KNOWN_DEFAULT');
// Plausible CE's README prints this SECRET_KEY_BASE: 64 base64 characters, 384 bits by alphabet.
const PLAUSIBLE = 'GLVzDZW04FzuS1gMcmBRVhwgd4Gu9YmSl/k/TqfTUXti7FLBd7aflXeQDdwCj6Cz';

describe('known-defaults corpus lookup', () => {
  it('loads thousands of values, their digests and the products', () => {
    const t = loadKnownDefaults();
    expect(t.values).toBeGreaterThan(1800);
    expect(t.products).toBeGreaterThan(200);
    // Their digests and key bytes are in the one digest table, beside the curated list's.
    expect(loadKnownDigests().count).toBeGreaterThan(50_000);
  });

  it('rejects a long random-looking published default and names its product, never the value', () => {
    const issue = known(PLAUSIBLE);
    expect(issue?.message).toContain('Plausible CE');
    expect(JSON.stringify(checkStrength(PLAUSIBLE, PROD))).not.toContain(PLAUSIBLE.slice(0, 12));
  });

  it('sees the same published bytes through hex, HEX, base64url, base64: and 0x', () => {
    const bytes = Buffer.from(PLAUSIBLE, 'base64');
    for (const v of [
      bytes.toString('hex'),
      bytes.toString('hex').toUpperCase(),
      `0x${bytes.toString('hex')}`,
      bytes.toString('base64url'),
      `base64:${PLAUSIBLE}`,
    ]) {
      expect(known(v)?.message, v.slice(0, 8)).toContain('Plausible CE');
    }
  });

  it('rejects digests of defaults and common words under every family, in every text encoding', () => {
    const missed: string[] = [];
    for (const alg of DIGEST_ALGORITHMS) {
      for (const word of ['minioadmin', 'changeme', 'supersecret', PLAUSIBLE]) {
        const d = createHash(alg).update(word).digest();
        const forms = {
          hex: d.toString('hex'),
          HEX: d.toString('hex').toUpperCase(),
          base64: d.toString('base64'),
          base64url: d.toString('base64url'),
          'base64 unpadded': d.toString('base64').replace(/=+$/, ''),
        };
        for (const [form, v] of Object.entries(forms))
          if (!known(v)) missed.push(`${alg} ${form} ${word.slice(0, 6)}`);
      }
    }
    expect(missed).toEqual([]);
  });

  it('rejects a hex digest written again in base64', () => {
    const hex = createHash('md5').update('password').digest('hex');
    expect(known(Buffer.from(hex).toString('base64'))?.via).toBe('md5');
  });

  it('rejects values made of the words of published defaults, and a product name beside a credential word', () => {
    for (const v of [
      'please-change-this-secret',
      'your_super_secret_value',
      'teslamate-pass',
      'Password123@acme',
    ]) {
      expect(known(v)?.via, v).toBe('words');
    }
  });
});

describe('structure rules count real entropy', () => {
  it('counts joined UUIDs at 122 bits each: two are short for HS256', () => {
    for (const sep of ['', '-', '_', '.', ':']) {
      const r = checkStrength(`${randomUUID()}${sep}${randomUUID()}`, PROD);
      expect(r.estimatedBits).toBe(244);
      expect(r.issues.map((i) => i.code)).toContain('WEAK_TOO_SHORT');
    }
    const three = [randomUUID(), randomUUID(), randomUUID()].map((u) => u.replace(/-/g, '')).join('_');
    expect(checkStrength(three, PROD).estimatedBits).toBe(366);
  });

  it('counts time-based UUIDs for their random part only (v7: 74 bits, v1 with a MAC: 14)', () => {
    const v7 = () => {
      const b = randomBytes(16);
      b.writeUIntBE(Date.now(), 0, 6);
      b[6] = (b[6]! & 0x0f) | 0x70;
      b[8] = (b[8]! & 0x3f) | 0x80;
      return b.toString('hex');
    };
    expect(parseUuidKey(v7() + v7() + v7())?.bits).toBe(222);
    expect(checkStrength(v7() + v7() + v7(), PROD).issues.map((i) => i.code)).toContain('WEAK_TOO_SHORT');
    // A v1 UUID from 2024 with a real (unicast) MAC address as its node.
    expect(parseUuidKey('6ba7b810-9dad-11ef-80b4-00c04fd430c8')?.bits).toBe(14);
  });

  it('leaves 64 random hex digits alone even when they look like two v4 UUIDs', () => {
    const a = randomUUID().replace(/-/g, '');
    const b = randomUUID().replace(/-/g, '');
    expect(checkStrength(a + b, PROD).ok).toBe(true);
  });

  it('counts base32 at 5 bits a character: 50 characters are 250 bits', () => {
    const b32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
    let s = '';
    for (const byte of randomBytes(50)) s += b32[byte & 31];
    expect(checkStrength(s, PROD).estimatedBits).toBe(250);
    expect(checkStrength(s.toLowerCase(), PROD).ok).toBe(false);
  });

  it('counts Math.random() numbers at 52 bits each, however many digits they print', () => {
    const v = Array.from({ length: 4 }, () => String(Math.random())).join('');
    const r = checkStrength(v, PROD);
    expect(r.estimatedBits).toBeLessThanOrEqual(208);
    expect(r.ok).toBe(false);
  });
});
