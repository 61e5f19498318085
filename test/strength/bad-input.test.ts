/** Bad input: empty, whitespace, 1 MB, invalid UTF-8, binary Secrets, unknown profiles. */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { Secret } from '../../src/core/secret.js';
import { checkStrength } from '../../src/strength/index.js';
import type { StrengthResult } from '../../src/strength/types.js';
import { PROD } from './helpers.js';
import { countWork, MAX_WHOLE_CALLS, readBudget, WHOLE_VALUE_REGEXES, wholeCallCount } from './work.js';

const MB = 1024 * 1024;

/**
 * Checks a long value and asserts the work it took is linear, counted rather than timed (see
 * work.ts): each character past the analysis window read a bounded number of times, a bounded
 * number of whole-value passes, and only reviewed regexes over the whole value.
 */
function checkLinear(value: string): StrengthResult {
  const { result, work } = countWork(value.length, () => checkStrength(value, PROD));
  expect(work.tailReads).toBeLessThanOrEqual(readBudget(value.length));
  expect(wholeCallCount(work)).toBeLessThanOrEqual(MAX_WHOLE_CALLS);
  for (const re of work.wholeRegexes) expect(WHOLE_VALUE_REGEXES).toContain(re);
  return result;
}

// Load the lists and tables first, so only the checks themselves are counted.
beforeAll(() => {
  checkStrength('warm-up: qwerty password 2024 changeme', PROD);
  checkStrength(randomBytes(48).toString('base64'), PROD);
});

describe('bad input', () => {
  it('empty string: WEAK_EMPTY, 0 bits', () => {
    expect(checkStrength('', PROD)).toMatchObject({
      ok: false,
      estimatedBits: 0,
      issues: [{ code: 'WEAK_EMPTY' }],
    });
  });

  it('whitespace only: WEAK_EMPTY', () => {
    expect(checkStrength(' \t\n  ', PROD).issues.map((i) => i.code)).toEqual(['WEAK_EMPTY']);
  });

  it('surrounding whitespace is trimmed before counting', () => {
    expect(checkStrength(`  ${randomBytes(32).toString('hex')}\n`, PROD).ok).toBe(true);
  });

  it('a 1 MB random value passes, in linear work (bench/ measures its time)', () => {
    const value = randomBytes(MB).toString('base64url').slice(0, MB);
    expect(checkLinear(value).ok).toBe(true);
  });

  it.each([
    ['one repeated character', 'a'.repeat(MB)],
    ['a repeated unit', 'abc123'.repeat(MB / 6)],
    // Inputs built to trip backtracking regexes: long runs of template and reference openers.
    ['template openers', '${'.repeat(MB / 2)],
    ['brace runs', '{{'.repeat(MB / 4) + 'x'.repeat(MB / 2)],
    ['assignment-like', `${'a'.repeat(MB - 2)}= `],
  ])('a 1 MB value of %s fails, in linear work', (_name, value) => {
    expect(checkLinear(value).ok).toBe(false);
  });

  it('invalid UTF-8 bytes in a Secret are judged as bytes (8 bits each)', () => {
    const bytes = randomBytes(32);
    bytes[0] = 0xff; // never valid in UTF-8
    const r = checkStrength(new Secret(bytes), PROD);
    expect(r).toMatchObject({ ok: true, estimatedBits: 256 });
    const short = randomBytes(16);
    short[0] = 0xc3;
    short[1] = 0x28; // invalid continuation byte
    expect(checkStrength(new Secret(short), PROD).issues.map((i) => i.code)).toContain('WEAK_TOO_SHORT');
  });

  it('a string with lone surrogates is checked without throwing', () => {
    const r = checkStrength(`\ud800${randomBytes(32).toString('base64url')}\udc00`, PROD);
    expect(typeof r.ok).toBe('boolean');
  });

  it('a binary Secret of 64 random bytes passes jwt-hs512; zero bytes fail', () => {
    expect(checkStrength(new Secret(randomBytes(64)), { ...PROD, profile: 'jwt-hs512' }).ok).toBe(true);
    const zeros = checkStrength(new Secret(new Uint8Array(64)), PROD);
    expect(zeros.ok).toBe(false);
    expect(zeros.issues.map((i) => i.code)).toContain('WEAK_LOW_ENTROPY');
  });

  it('a binary Secret holding printable text is judged as that text', () => {
    const r = checkStrength(new Secret(new TextEncoder().encode('changeme')), PROD);
    expect(r.issues.map((i) => i.code)).toContain('WEAK_KNOWN_DEFAULT');
  });

  it('a Secret holding text is revealed for the check only', () => {
    const s = new Secret('your-256-bit-secret', { name: 'JWT_SECRET' });
    expect(checkStrength(s, PROD).issues.map((i) => i.code)).toContain('WEAK_KNOWN_DEFAULT');
  });

  it('a non-string, non-Secret value is a TypeError', () => {
    expect(() => checkStrength(42 as never, PROD)).toThrow(TypeError);
  });
});

describe('inputs built against quadratic algorithms', () => {
  it.each([
    ['a run ending in another character', `${'a'.repeat(MB - 1)}b`],
    ['a unit repeated, broken at the end', `${'ab'.repeat(MB / 2 - 1)}abc`],
    ['base64 zero bytes with a last change', `${'A'.repeat(MB - 1)}B`],
  ])('%s (1 MB) fails, in linear work', (_name, value) => {
    expect(checkLinear(value).ok).toBe(false);
  });
});
