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

afterEach(() => vi.useRealTimers());

describe('waitForEndpoint', () => {
  it('gives up after 8 s by default (inside vitest 10 s hook timeout) with a coded error saying how to start an emulator', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'Date'] });
    const start = Date.now();
    const settled = waitForEndpoint(`http://127.0.0.1:${await closedPort()}`).then(
      () => undefined,
      (e: unknown) => e,
    );
    let err: unknown;
    for (let i = 0; i < 200 && err === undefined; i++) {
      await vi.advanceTimersByTimeAsync(200);
      err = await Promise.race([settled, new Promise((r) => setImmediate(() => r(undefined)))]);
    }
    expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE' });
    expect((err as { hint: string }).hint).toMatch(/LocalStack.*moto/s);
    const waited = Date.now() - start;
    expect(waited).toBeGreaterThanOrEqual(8_000);
    expect(waited).toBeLessThan(10_000);
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
