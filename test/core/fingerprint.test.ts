/**
 * A printed fingerprint or kid never lets anyone confirm a guess of a low-entropy value offline:
 * the attack that recovered `Summer2024!` from `get` output is run against every place that prints
 * one, and must find nothing; comparisons that need fingerprints still work.
 */
import { createHash, createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { fingerprintScope, keyIdOf } from '../../src/core/fingerprint.js';
import { Secret } from '../../src/core/secret.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { createResolver } from '../../src/resolver/resolver.js';

const WEAK = 'Summer2024!';

/** The guesses an attacker tries first: seasons and years, with the usual suffixes (1,230 of them). */
function guesses(): string[] {
  const out: string[] = [];
  for (const s of ['Spring', 'Summer', 'Autumn', 'Fall', 'Winter', 'spring', 'summer', 'winter'])
    for (let y = 1990; y <= 2030; y++) for (const x of ['', '!', '1', '#', '@']) out.push(`${s}${y}${x}`);
  for (let pin = 0; pin < 1_000_000; pin += 1) if (pin % 997 === 0) out.push(String(pin).padStart(6, '0'));
  return out;
}

/** Every digest an offline attacker can compute without a secret key: old and new schemes, raw hashes. */
function offlineDigests(guess: string): string[] {
  const hex = (h: string) => h.slice(0, 16);
  return [
    hex(createHmac('sha256', 'secretsource/fingerprint/v1').update(guess).digest('hex')),
    hex(createHmac('sha256', 'secretsource/fingerprint/v2\0').update(guess).digest('hex')),
    hex(createHmac('sha256', '').update('secretsource/fingerprint/v2\0').update(guess).digest('hex')),
    hex(createHash('sha256').update(guess).digest('hex')),
    hex(createHash('sha256').update('secretsource/kid/v1\0').update(guess).digest('hex')),
  ];
}

/** Runs the guessing attack over every 16-hex digest printed in `text`; returns what it recovered. */
function attack(text: string): string | undefined {
  const printed = new Set(text.match(/[0-9a-f]{16}/g) ?? []);
  expect(printed.size).toBeGreaterThan(0);
  for (const g of guesses()) if (offlineDigests(g).some((d) => printed.has(d))) return g;
  return undefined;
}

afterEach(() => {
  delete process.env.SECRETSOURCE_FINGERPRINT_KEY;
});

describe('fingerprints cannot be reversed by guessing', () => {
  it('get, events, copy plans and kids print nothing an offline guess can match', async () => {
    // The reproduction: on the old scheme this recovers the value from get's output in about a millisecond.
    const oldStyle = `fp_${createHmac('sha256', 'secretsource/fingerprint/v1').update(WEAK).digest('hex').slice(0, 16)}`;
    expect(attack(oldStyle)).toBe(WEAK);

    const io = memoryIo({ env: { DB_PASSWORD: WEAK } });
    await runCli(['get', 'env:DB_PASSWORD'], io);
    await runCli(['get', 'env:DB_PASSWORD', '--format', 'json'], io);
    const events: unknown[] = [];
    const r = createResolver({
      sources: [memorySource({ initial: { DB_PASSWORD: WEAK } })],
      onEvent: (e) => events.push(e),
    });
    await r.get('memory:DB_PASSWORD', { profile: 'none' });
    await r.get('memory:DB_PASSWORD', { profile: 'none' });
    const ring = await r.keyRing('memory:DB_PASSWORD');
    const printed = [io.stdoutText, JSON.stringify(events), ring.current.kid].join('\n');
    expect(printed).toMatch(/fpr_[0-9a-f]{16}/);
    expect(attack(printed)).toBeUndefined();
  });

  it('with SECRETSOURCE_FINGERPRINT_KEY: fp_ fingerprints compare across secrets and processes, kids differ from them', () => {
    process.env.SECRETSOURCE_FINGERPRINT_KEY = `${'k'.repeat(8)}Zq8vN3xKp2LmR7tYw4HcB9dFgJ6sQ1eA`;
    expect(fingerprintScope()).toBe('installation');
    const a = new Secret(WEAK).fingerprint();
    expect(a).toMatch(/^fp_[0-9a-f]{16}$/);
    expect(new Secret(WEAK).fingerprint()).toBe(a);
    expect(attack(a)).toBeUndefined();
    const kid = keyIdOf(Buffer.from(WEAK), { name: 'jwt' });
    expect(kid).toMatch(/^k_[0-9a-f]{16}$/);
    expect(kid.slice(2)).not.toBe(a.slice(3));
  });

  it('refuses a guessable installation key', () => {
    process.env.SECRETSOURCE_FINGERPRINT_KEY = 'short-key';
    expect(() => new Secret('x').fingerprint()).toThrow(
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        message: expect.stringMatching(/shorter than 32/),
      }),
    );
  });

  it('without a key, fingerprints compare within the process (fpr_) and say so', () => {
    expect(fingerprintScope()).toBe('process');
    expect(new Secret(WEAK).fingerprint()).toBe(new Secret(WEAK).fingerprint());
    expect(new Secret(WEAK).fingerprint()).toMatch(/^fpr_/);
    expect(new Secret(WEAK).fingerprint('an explicit key')).toMatch(/^fp_/);
  });

  it('kids: from name and version (stable everywhere, new on rotation), never from the value', async () => {
    const r = createResolver({ sources: [memorySource()] });
    const one = await rotateSecret(r, 'memory:jwt', { create: true });
    const two = await rotateSecret(r, 'memory:jwt');
    expect(one.kid).not.toBe(two.kid);
    expect(two.kid).toBe(keyIdOf(new Uint8Array(), { name: 'jwt', version: two.version }));
    const ring = await r.keyRing('memory:jwt');
    expect(ring.current.kid).toBe(two.kid);
    expect(ring.find(one.kid)?.version).toBe(one.version);
    // A store without versions: one constant kid from the name, the same in every process.
    expect(keyIdOf(Buffer.from('a'), { name: 'JWT' })).toBe(keyIdOf(Buffer.from('b'), { name: 'JWT' }));
  });
});
