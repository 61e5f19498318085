import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { isSecret, Secret } from '../../src/core/secret.js';

const SENTINEL = 'SENTINEL-secret-4c2d-never-print';

describe('Secret', () => {
  const s = new Secret(SENTINEL, { name: 'JWT_SECRET_KEY' });

  it('prints redacted everywhere', () => {
    expect(String(s)).toBe('[secret JWT_SECRET_KEY]');
    expect(`${s}`).toBe('[secret JWT_SECRET_KEY]');
    expect(JSON.stringify({ s })).toBe('{"s":"[secret JWT_SECRET_KEY]"}');
    expect(inspect(s)).toBe('[secret JWT_SECRET_KEY]');
    expect(inspect({ nested: [s] }, { depth: 9, showHidden: true })).not.toContain(SENTINEL);
    expect(Object.keys(s)).toEqual(['name']);
    expect(Object.getOwnPropertyNames(s).join()).not.toContain(SENTINEL);
    // biome-ignore lint/style/useTemplate: string concatenation goes through Symbol.toPrimitive, which is under test
    expect(s + '').toBe('[secret JWT_SECRET_KEY]');
  });

  it('reveals text and bytes', () => {
    expect(s.reveal()).toBe(SENTINEL);
    expect(Buffer.from(s.bytes()).toString()).toBe(SENTINEL);
    expect(s.byteLength).toBe(Buffer.byteLength(SENTINEL));
    expect(s.isBinary).toBe(false);
  });

  it('keeps binary values as bytes and copies them', () => {
    const raw = Uint8Array.from([0, 1, 255]);
    const b = new Secret(raw);
    raw[0] = 9;
    expect([...b.bytes()]).toEqual([0, 1, 255]);
    expect(b.isBinary).toBe(true);
    b.bytes()[1] = 7;
    expect([...b.bytes()]).toEqual([0, 1, 255]);
  });

  it('compares in constant time against secrets, strings and bytes', () => {
    expect(s.equals(new Secret(SENTINEL))).toBe(true);
    expect(s.equals(SENTINEL)).toBe(true);
    expect(s.equals(Buffer.from(SENTINEL))).toBe(true);
    expect(s.equals(`${SENTINEL}x`)).toBe(false);
    expect(s.equals('')).toBe(false);
  });

  it('fingerprints with a keyed digest that hides the value and depends on the key', () => {
    const fp = s.fingerprint();
    expect(fp).toMatch(/^fpr_[0-9a-f]{16}$/);
    expect(fp).toBe(new Secret(SENTINEL).fingerprint());
    expect(fp).not.toBe(new Secret(`${SENTINEL}!`).fingerprint());
    expect(s.fingerprint('other-key')).not.toBe(fp);
  });

  it('is recognised across copies by brand, and refuses non-string values', () => {
    expect(isSecret(s)).toBe(true);
    expect(isSecret({ name: 'x', reveal: () => 'y' })).toBe(false);
    expect(() => new Secret(42 as never)).toThrow(TypeError);
  });

  it('is frozen', () => {
    expect(Object.isFrozen(s)).toBe(true);
  });
});
