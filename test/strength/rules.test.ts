/**
 * One table per category, both outcomes: values that must raise the code, and near misses that
 * must not (strong keys that contain the pattern by chance, or legitimate values that look alike).
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { checkStrength } from '../../src/strength/index.js';
import { codes, PROD, passphrase, randomString, wordsFor } from './helpers.js';
import { WEAK_CORPUS } from './weak-corpus.js';

const b64 = (n: number) => randomBytes(n).toString('base64url');
const hex = (n: number) => randomBytes(n).toString('hex');
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Strong values that contain each category's pattern by chance or by design, and must not raise it. */
const NEAR_MISSES: Record<string, string[]> = {
  WEAK_EMPTY: [b64(32), ` ${b64(32)} `],
  WEAK_TOO_SHORT: [
    hex(32),
    hex(32).toUpperCase(),
    `0x${hex(32)}`,
    b64(32),
    randomBytes(32).toString('base64'),
    randomString(ALNUM, 43),
  ],
  WEAK_LOW_ENTROPY: [
    hex(32),
    `${b64(40)}aaaa`,
    `${b64(48)}${'0'.repeat(8)}`,
    randomString('0123456789', 80),
    // A tiny alphabet used at random, long enough: 300 characters of 7 letters carry 842 bits.
    randomString('abcdefg', 300),
  ],
  WEAK_REPEATED: [`${b64(32)}abcabc`, `${hex(32)}${hex(32)}`.slice(0, 96), `${b64(40)}xyzxyz${b64(8)}`],
  WEAK_SEQUENCE: [`abc${b64(32)}`, `${b64(32)}123456`, `${b64(24)}abcdef${b64(24)}`, `${hex(32)}0123`],
  WEAK_KEYBOARD_WALK: [`qwerty${b64(40)}`, `${b64(32)}asdf`, `${b64(24)}1qaz2wsx${b64(24)}`],
  WEAK_DICTIONARY: [
    `password${b64(40)}`,
    `${b64(32)}secret`,
    passphrase(wordsFor(256), '-'),
    passphrase(wordsFor(256), ' '),
    passphrase(wordsFor(256), '', true),
    passphrase(wordsFor(384), '.'),
  ],
  WEAK_PLACEHOLDER: [b64(32), `${b64(20)}todo${b64(20)}`, `${b64(32)}xxx`, randomString(ALNUM, 64)],
  WEAK_UNRESOLVED_REF: [b64(48), `arn${b64(40)}`, `vault${b64(40)}`, `op${b64(40)}`],
  WEAK_OWN_NAME: [b64(48), `JWT_SECRET_${b64(40)}`],
  WEAK_KNOWN_DEFAULT: [b64(48), `your-256-bit-secret-${b64(40)}`, hex(32)],
  WEAK_KNOWN_LEAKED: [b64(48), `secret${b64(40)}`, hex(64)],
};

describe.each(Object.keys(NEAR_MISSES))('%s', (code) => {
  it.each(WEAK_CORPUS[code]!.map((v, i) => [i, v] as const))(
    'raises it for weak example #%i',
    (_i, value) => {
      const r = checkStrength(value, PROD);
      expect(r.ok).toBe(false);
      expect(r.issues.map((x) => x.code)).toContain(code);
    },
  );
  it.each(NEAR_MISSES[code]!.map((v, i) => [i, v] as const))(
    'does not raise it for near miss #%i',
    (_i, value) => {
      expect(codes(value)).not.toContain(code);
    },
  );
});

describe('issue shape', () => {
  it('every issue has a code, a severity and a message; fields are data', () => {
    for (const values of Object.values(WEAK_CORPUS)) {
      for (const v of values) {
        for (const issue of checkStrength(v, PROD).issues) {
          expect(issue.code).toMatch(/^WEAK_[A-Z_]+$/);
          expect(['error', 'warning']).toContain(issue.severity);
          expect(typeof issue.message).toBe('string');
        }
      }
    }
  });

  it('reports the bits needed and carried for a short key', () => {
    const [issue] = checkStrength(hex(16), PROD).issues;
    expect(issue).toMatchObject({
      code: 'WEAK_TOO_SHORT',
      estimatedBits: 128,
      requiredBits: 256,
      alphabet: 'hex',
    });
  });

  it('names the documented source of a known default', () => {
    const r = checkStrength('your-256-bit-secret', PROD);
    expect(r.issues.find((i) => i.code === 'WEAK_KNOWN_DEFAULT')).toMatchObject({
      source: expect.stringContaining('jwt.io'),
    });
  });

  it('names the keyboard layout of a walk', () => {
    const r = checkStrength('azertyuiopqsdfghjklmwxcvbn', PROD);
    const issue = r.issues.find((i) => i.code === 'WEAK_KEYBOARD_WALK');
    expect(issue?.layouts).toContain('azerty');
  });
});

describe('profiles', () => {
  it('counts bits on the decoded alphabet: 32 hex chars are 128 bits, a UUID 122', () => {
    expect(checkStrength(hex(16), PROD).estimatedBits).toBe(128);
    expect(checkStrength(hex(32), PROD).estimatedBits).toBe(256);
    expect(checkStrength(b64(32), PROD).estimatedBits).toBe(256);
  });

  it('jwt-hs384 and jwt-hs512 need 48 and 64 bytes', () => {
    expect(checkStrength(b64(32), { ...PROD, profile: 'jwt-hs384' }).ok).toBe(false);
    expect(checkStrength(b64(48), { ...PROD, profile: 'jwt-hs384' }).ok).toBe(true);
    expect(checkStrength(b64(48), { ...PROD, profile: 'jwt-hs512' }).ok).toBe(false);
    expect(checkStrength(b64(64), { ...PROD, profile: 'jwt-hs512' }).ok).toBe(true);
    expect(checkStrength(hex(64), { ...PROD, profile: 'jwt-hs512' }).ok).toBe(true);
  });

  it('api-key and generic need 128 bits', () => {
    expect(checkStrength(hex(16), { ...PROD, profile: 'api-key' }).ok).toBe(true);
    expect(checkStrength(hex(15), { ...PROD, profile: 'api-key' }).ok).toBe(false);
    expect(checkStrength(b64(16), { ...PROD, profile: 'generic' }).ok).toBe(true);
  });

  it('password accepts a random 12-character password and rejects a dictionary one', () => {
    expect(checkStrength(randomString(ALNUM, 12), { ...PROD, profile: 'password' }).ok).toBe(true);
    expect(checkStrength('Password123!', { ...PROD, profile: 'password' }).ok).toBe(false);
  });

  it('refuses an unknown profile with ERR_CONFIG_INVALID', () => {
    expect(() => checkStrength('x', { profile: 'hs999' as never })).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringContaining('unknown strength profile'),
      }),
    );
  });

  it('refuses an unknown environment with ERR_CONFIG_INVALID', () => {
    expect(() => checkStrength('x', { environment: 'prod' as never })).toThrow(
      expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
    );
  });
});

describe('chance patterns in random keys', () => {
  it('no random key of any encoding looks like a template, mask, reference or expression (40,000 each)', async () => {
    const { placeholderKind } = await import('../../src/strength/rules/placeholder.js');
    const { referenceKind } = await import('../../src/strength/rules/unresolved-ref.js');
    const { ownNameRule } = await import('../../src/strength/rules/own-name.js');
    const printable = Array.from({ length: 95 }, (_, i) => String.fromCharCode(32 + i)).join('');
    const makers: Record<string, () => string> = {
      base64: () => randomBytes(32).toString('base64'),
      base64url: () => randomBytes(32).toString('base64url'),
      hex: () => hex(32),
      alphanumeric: () => randomString(ALNUM, 43),
      'printable with spaces': () => randomString(printable, 40).trim(),
    };
    const hits: string[] = [];
    for (const [name, make] of Object.entries(makers)) {
      for (let i = 0; i < 40_000; i++) {
        const v = make();
        const kind =
          placeholderKind(v) ??
          referenceKind(v) ??
          (ownNameRule.check({ text: v, binary: false, names: [] } as never)[0]?.kind as string | undefined);
        if (kind) hits.push(`${name}: ${kind}`);
      }
    }
    expect(hits).toEqual([]);
    // 200,000 values: seconds when idle, over 30 s on a loaded 2-core machine (no time is asserted).
  }, 300_000);
});
