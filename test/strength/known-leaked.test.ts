/** Every entry of the public JWT secrets list is found; the lookup file is honest and loads lazily. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/internal/package-root.js';
import { checkStrength } from '../../src/strength/index.js';
import { isKnownLeaked, knownKeysPath, loadKnownKeys } from '../../src/strength/known-keys.js';
import { normalizeForMatch } from '../../src/strength/normalize.js';
import { PROD } from './helpers.js';

const LIST = join(packageRoot(), 'data', 'jwt-secrets', 'jwt.secrets.list');

describe('known leaked JWT secrets', () => {
  it('the list is in the repository (data/jwt-secrets)', () => {
    expect(existsSync(LIST), `expected ${LIST}`).toBe(true);
  });

  it('finds every one of the list entries after normalisation', () => {
    const entries = readFileSync(LIST, 'utf8')
      .split('\n')
      .map((l) => (l.endsWith('\r') ? l.slice(0, -1) : l))
      .filter((l) => normalizeForMatch(l).length > 0);
    expect(entries.length).toBeGreaterThan(100_000);
    const missing = entries.filter((e) => !isKnownLeaked(normalizeForMatch(e)));
    expect(missing.length).toBe(0);
  });

  it('rejects a sample of entries through checkStrength with WEAK_KNOWN_LEAKED', () => {
    const lines = readFileSync(LIST, 'utf8').split('\n');
    const sample = lines
      .filter((_, i) => i % 347 === 1)
      .map((l) => l.replace(/\r$/, ''))
      .filter((l) => l.trim());
    expect(sample.length).toBeGreaterThanOrEqual(290);
    const missed = sample.filter(
      (v) => !checkStrength(v, PROD).issues.some((i) => i.code === 'WEAK_KNOWN_LEAKED'),
    );
    expect(missed.length).toBe(0);
  });

  it('the lookup file has the documented header and size', () => {
    const buf = readFileSync(knownKeysPath());
    expect(buf.toString('ascii', 0, 8)).toBe('SSJWTK01');
    const count = buf.readUInt32BE(8);
    expect(buf.readUInt32BE(12)).toBe(8);
    expect(buf.length).toBe(16 + count * 8);
    expect(loadKnownKeys().count).toBe(count);
  });

  it('a corrupt lookup file is refused with ERR_CONFIG_INVALID', async () => {
    const { mkdtempSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'ss-known-'));
    const bad = join(dir, 'bad.bin');
    writeFileSync(bad, Buffer.from('not a lookup file'));
    const mod = await import('../../src/strength/known-keys.js');
    mod.unloadKnownKeys();
    try {
      expect(() => mod.loadKnownKeys(bad)).toThrow(expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }));
      expect(() => mod.loadKnownKeys(join(dir, 'absent.bin'))).toThrow(
        expect.objectContaining({ code: 'ERR_CONFIG_INVALID' }),
      );
    } finally {
      mod.unloadKnownKeys();
    }
  });

  it('random keys are not on the list', () => {
    expect(isKnownLeaked('a-value-nobody-has-ever-published-9f8e7d6c5b4a')).toBe(false);
  });
});
