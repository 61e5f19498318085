/**
 * The rotation example in CI: through `main.ts` itself (two live rings on one store, a rotation and an
 * emergency revocation), on Secrets Manager on moto, and the grace window on a fake clock.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createResolver, rotateSecret } from 'secretsource';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { memorySource } from 'secretsource/providers/memory';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTokenService } from './tokens.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('JWT key rotation across instances', () => {
  it('main.ts rotates and revokes without a restart, and prints only key ids', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const { stdout } = await promisify(execFile)(
      join(root, 'node_modules/.bin/tsx'),
      ['examples/jwt-rotation/main.ts'],
      { cwd: root, env: { PATH: process.env.PATH, HOME: process.env.HOME } },
    );
    expect(stdout).toMatch(/B verifies it: alice\n/);
    expect(stdout).toMatch(/v1 kept: true\n/);
    expect(stdout).toMatch(/both instances now sign with the new key: true\n/);
    expect(stdout).toMatch(/tokens verify on either instance: alice=alice bob=bob\n/);
    expect(stdout).toMatch(/revoked v2, v1; key v3/);
    expect(stdout).toMatch(/after one refresh: alice=undefined bob=undefined carol=carol \(keys: 1\)\n/);
    expect(stdout).not.toMatch(/[A-Za-z0-9_-]{60,}/);
  }, 60_000);

  it('keeps old tokens valid for exactly the grace window (fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date', 'performance'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
    const store = memorySource();
    await rotateSecret(store, 'memory:jwt', { create: true });
    const ring = await createResolver({ sources: [store] }).keyRing('memory:jwt', {
      graceMs: 15 * 60_000,
      refreshMs: 60_000,
    });
    const tokens = createTokenService(ring);
    await vi.advanceTimersByTimeAsync(3_600_000);
    const old = await tokens.issue('alice');
    await rotateSecret(store, 'memory:jwt');
    await vi.advanceTimersByTimeAsync(120_000);
    const fresh = await tokens.issue('bob');
    expect(await tokens.verify(old)).toBe('alice');
    expect(await tokens.verify(fresh)).toBe('bob');
    expect(ring.verificationKeys()).toHaveLength(2);
    // The window is counted from the rotation: 15 minutes.
    await vi.advanceTimersByTimeAsync(15 * 60_000 - 120_000 - 1000);
    expect(await tokens.verify(old)).toBe('alice');
    await vi.advanceTimersByTimeAsync(1000);
    expect(await tokens.verify(old)).toBeUndefined();
    expect(await tokens.verify(fresh)).toBe('bob');
    expect(ring.verificationKeys()).toHaveLength(1);
    // A tampered token never verifies.
    expect(await tokens.verify(`${fresh.slice(0, -3)}abc`)).toBeUndefined();
    ring.close();
  });

  it('follows the versions of a Secrets Manager secret (moto)', async () => {
    const ref = `aws-sm:example/${randomBytes(4).toString('hex')}/jwt`;
    const resolver = createResolver({ sources: [awsSecretsManager()] });
    await rotateSecret(resolver, ref, { create: true });
    const ring = await resolver.keyRing(ref, { graceMs: 60_000, refreshMs: 500, signDelayMs: 0 });
    const tokens = createTokenService(ring);
    const old = await tokens.issue('alice');
    const second = await rotateSecret(resolver, ref);
    await ring.refresh();
    expect(ring.signingKey().kid).toBe(second.kid);
    expect(await tokens.verify(old)).toBe('alice');
    expect(await tokens.verify(await tokens.issue('bob'))).toBe('bob');
    await rotateSecret(resolver, ref, { revokePrevious: true });
    await ring.refresh();
    expect(await tokens.verify(old)).toBeUndefined();
    await resolver.close();
  });
});
