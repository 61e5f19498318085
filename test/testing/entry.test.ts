/** `secretsource/testing`: waitForEndpoint's error and deadline, and the exported emulators used with the real providers. */
import { createServer } from 'node:net';
import { createResolver } from 'secretsource';
import { azureKeyVault } from 'secretsource/providers/azure-kv';
import { hashicorpVault } from 'secretsource/providers/vault';
import { startAzureKvEmulator, startVaultEmulator, waitForEndpoint } from 'secretsource/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

/** A loopback port nothing listens on. */
async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

describe('waitForEndpoint', () => {
  it('gives up at the 8 s deadline by default (inside vitest 10 s hook timeout) with a coded error saying how to start an emulator', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    // Each attempt is a real refused connection. The fake clock moves on only once the attempt has
    // failed, so the deadline is reached in fake time alone, the same way on a loaded machine.
    const realFetch = globalThis.fetch;
    const attempts: Promise<unknown>[] = [];
    const attemptedAt: number[] = [];
    let start = 0;
    vi.spyOn(globalThis, 'fetch').mockImplementation((...args) => {
      attemptedAt.push(Date.now() - start);
      const attempt = realFetch(...args);
      attempts.push(attempt.catch(() => undefined));
      return attempt;
    });
    const url = `http://127.0.0.1:${await closedPort()}`;
    start = Date.now();
    let outcome: { err: unknown } | undefined;
    waitForEndpoint(url).then(
      () => (outcome = { err: undefined }),
      (err: unknown) => (outcome = { err }),
    );
    while (outcome === undefined && attempts.length <= 100) {
      await attempts.at(-1);
      await vi.advanceTimersByTimeAsync(0); // the failed attempt's catch: give up, or sleep
      if (outcome === undefined) await vi.advanceTimersByTimeAsync(200);
    }
    const err = outcome?.err as { code: string; hint: string } | undefined;
    expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE' });
    expect(err?.hint).toMatch(/LocalStack.*moto/s);
    // Attempts from 0 until the last one, at the 8 s deadline of the fake clock; none after it.
    expect(attemptedAt.length).toBeGreaterThan(2);
    expect(attemptedAt[0]).toBe(0);
    expect(attemptedAt.at(-1)).toBe(8_000);
    expect(attemptedAt).toEqual([...attemptedAt].sort((a, b) => a - b));
    expect(Date.now() - start).toBe(8_000);
  });

  it('resolves as soon as something answers HTTP', async () => {
    const { createServer: http } = await import('node:http');
    const srv = http((_, res) => res.end('ok'));
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    try {
      await expect(
        waitForEndpoint(`http://127.0.0.1:${(srv.address() as { port: number }).port}`),
      ).resolves.toBeUndefined();
    } finally {
      await new Promise((r) => srv.close(r));
    }
  });
});

describe('the exported emulators', () => {
  it('Vault: seed, then read through hashicorpVault() with the root token', async () => {
    const vault = await startVaultEmulator();
    try {
      await vault.seed({
        'app/jwt': 'a-seeded-test-key',
        'app/db': { user: 'app', password: 'pw-from-seed' },
      });
      const resolver = createResolver({
        sources: [hashicorpVault({ endpoint: vault.address, token: vault.rootToken })],
      });
      expect((await resolver.get('vault:app/jwt', { profile: 'none' })).reveal()).toBe('a-seeded-test-key');
      expect((await resolver.get('vault:app/db#password', { profile: 'none' })).reveal()).toBe(
        'pw-from-seed',
      );
      await resolver.close();
      await expect(vault.seed({ x: 'y' }, { mount: 'nope' })).rejects.toThrow(/no KV mount "nope"/);
    } finally {
      await vault.stop();
    }
  });

  it('Key Vault: seed, then read through azureKeyVault() with the emulator credential and client options', async () => {
    const kv = await startAzureKvEmulator();
    try {
      kv.seed({ 'JWT-SECRET-KEY': 'a-seeded-key-vault-key' });
      const source = azureKeyVault({
        vaultUrl: kv.url,
        credential: kv.credential,
        clientOptions: kv.clientOptions,
      });
      expect((await source.get('JWT_SECRET_KEY'))?.value.reveal()).toBe('a-seeded-key-vault-key');
      await source.close?.();
    } finally {
      await kv.stop();
    }
  });
});
