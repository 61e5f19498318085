import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classifyAlphabet } from '../../src/strength/alphabet.js';
import { checkStrength } from '../../src/strength/index.js';

describe('named encoding prefixes', () => {
  it('`base64:` and `hex:` carry no entropy and are not read as text', () => {
    for (let i = 0; i < 50; i++) {
      const b64 = randomBytes(32).toString('base64');
      const hex = randomBytes(32).toString('hex');
      expect(classifyAlphabet(`base64:${b64}`)).toEqual(classifyAlphabet(b64));
      expect(classifyAlphabet(`hex:${hex}`)).toMatchObject({ kind: 'hex', body: hex, bits: 256 });
    }
  });

  it('the prefix is not a dictionary word of the key (the sweep once rejected a random base64: key)', () => {
    // "base" + a chance keyboard walk in the payload explained 25% of the text when the prefix counted.
    const value = 'base64:qwertyZ3v9Q1mW8xK2pL7rT4nB6cY0dF5gH1jS8uV3w=';
    expect(classifyAlphabet(value).body).not.toContain('base64');
    expect(checkStrength(value, { profile: 'jwt-hs256', environment: 'production' }).ok).toBe(true);
  });
});
