/**
 * The rotation example in CI: tokens signed with the previous key verify until the grace window
 * closes, in a memory store (fake clock), in Secrets Manager on moto, and through `main.ts` itself.
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

describe('JWT key rotation with a grace window', () => {
  it('keeps old tokens valid for exactly the grace window (memory store, fake clock)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-03-01T10:00:00Z'));
    const resolver = createResolver({ sources: [memorySource()] });
    await rotateSecret(resolver, 'memory:jwt', { create: true });
    const tokens = await createTokenService(resolver, 'memory:jwt', 15 * 60_000);
    const old = await tokens.issue('alice');

    vi.setSystemTime(new Date('2026-03-01T11:00:00Z'));
    await rotateSecret(resolver, 'memory:jwt');
    await tokens.reload();
    const fresh = await tokens.issue('bob');
    expect(await tokens.verify(old)).toBe('alice');
    expect(await tokens.verify(fresh)).toBe('bob');
    expect(tokens.kids()).toHaveLength(2);

    vi.setSystemTime(new Date('2026-03-01T11:14:59Z'));
    expect(await tokens.verify(old)).toBe('alice');
    vi.setSystemTime(new Date('2026-03-01T11:15:00Z'));
    expect(await tokens.verify(old)).toBeUndefined();
    expect(await tokens.verify(fresh)).toBe('bob');
    expect(tokens.kids()).toHaveLength(1);
    // A forged kid or a tampered token never verifies.
    expect(await tokens.verify(`${fresh.slice(0, -3)}abc`)).toBeUndefined();
  });

  it('reads the versions of a Secrets Manager secret (moto)', async () => {
    const ref = `aws-sm:example/${randomBytes(4).toString('hex')}/jwt`;
    const resolver = createResolver({ sources: [awsSecretsManager()] });
    await rotateSecret(resolver, ref, { create: true });
    const tokens = await createTokenService(resolver, ref, 60_000);
    const old = await tokens.issue('alice');
    await rotateSecret(resolver, ref);
    await tokens.reload();
    expect(await tokens.verify(old)).toBe('alice');
    expect(await tokens.verify(await tokens.issue('bob'))).toBe('bob');
    const closed = await createTokenService(resolver, ref, 0);
    expect(await closed.verify(old)).toBeUndefined();
    await resolver.close();
  });

  it('main.ts runs and prints only key ids', async () => {
    const root = join(import.meta.dirname, '..', '..');
    const { stdout } = await promisify(execFile)(
      join(root, 'node_modules/.bin/tsx'),
      ['examples/jwt-rotation/main.ts'],
      {
        cwd: root,
        env: { PATH: process.env.PATH, HOME: process.env.HOME },
      },
    );
    expect(stdout).toMatch(/verifying now: alice=alice bob=bob \(keys: 2\)/);
    expect(stdout).toMatch(/after the grace window: alice=undefined bob=bob \(keys: 1\)/);
    expect(stdout).not.toMatch(/[A-Za-z0-9_-]{60,}/);
  }, 60_000);
});
