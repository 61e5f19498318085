/** generateKey: CSPRNG bytes, encodings, limits; every generated key passes jwt-hs512. */
import { describe, expect, it } from 'vitest';
import { generateKey, MAX_KEY_BYTES, MIN_KEY_BYTES } from '../../src/keys/keygen.js';
import { checkStrength } from '../../src/strength/index.js';

describe('generateKey', () => {
  it('defaults to 64 bytes of base64url (86 characters, no padding)', () => {
    const k = generateKey();
    expect(k).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(Buffer.from(k, 'base64url')).toHaveLength(64);
  });

  it.each([
    ['hex', /^[0-9a-f]{128}$/],
    ['base64', /^[A-Za-z0-9+/]{86}==$/],
    ['base64url', /^[A-Za-z0-9_-]{86}$/],
  ] as const)('encodes %s', (encoding, pattern) => {
    expect(generateKey({ encoding })).toMatch(pattern);
  });

  it('keys differ', () => {
    const keys = new Set(Array.from({ length: 100 }, () => generateKey({ bytes: 32 })));
    expect(keys.size).toBe(100);
  });

  it.each(['base64url', 'hex', 'base64'] as const)(
    '300 default %s keys all pass jwt-hs512 in production',
    (encoding) => {
      for (let i = 0; i < 300; i++) {
        const r = checkStrength(generateKey({ encoding }), {
          profile: 'jwt-hs512',
          environment: 'production',
        });
        expect(r).toMatchObject({ ok: true, issues: [] });
      }
    },
  );

  it.each([0, 1, 16, 31, -5])('refuses %i bytes with ERR_USAGE', (bytes) => {
    expect(() => generateKey({ bytes })).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE', message: expect.stringContaining('too short') }),
    );
  });

  it.each([MAX_KEY_BYTES + 1, 10_000_000])('refuses %i bytes with ERR_USAGE', (bytes) => {
    expect(() => generateKey({ bytes })).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE', message: expect.stringContaining('maximum') }),
    );
  });

  it('refuses fractional sizes and unknown encodings', () => {
    expect(() => generateKey({ bytes: 32.5 })).toThrow(expect.objectContaining({ code: 'ERR_USAGE' }));
    expect(() => generateKey({ encoding: 'rot13' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_USAGE' }),
    );
  });

  it('accepts the bounds', () => {
    expect(Buffer.from(generateKey({ bytes: MIN_KEY_BYTES, encoding: 'hex' }), 'hex')).toHaveLength(32);
    expect(Buffer.from(generateKey({ bytes: MAX_KEY_BYTES, encoding: 'hex' }), 'hex')).toHaveLength(1024);
  });
});
