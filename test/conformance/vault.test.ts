import { randomBytes } from 'node:crypto';
import { beforeAll, describe, it } from 'vitest';
import { hashicorpVault } from '../../providers/vault/index.js';
import { runConformance } from '../../src/testing/conformance.js';

// The shared emulator (test/emulators/vault.start.ts). node-vault reads VAULT_*: keep them out.
const address = process.env.SECRETSOURCE_TEST_VAULT_ADDR;
const token = process.env.SECRETSOURCE_TEST_VAULT_TOKEN;
beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
});

/** Mounts a fresh KV engine through Vault's own API, so every source gets an isolated store. */
async function enableKv(version: 1 | 2): Promise<string> {
  if (address === undefined || token === undefined) {
    throw new Error(
      'SECRETSOURCE_TEST_VAULT_ADDR is unset: run through vitest so test/global-setup.ts starts the Vault emulator',
    );
  }
  const mount = `conf-${randomBytes(6).toString('hex')}`;
  const res = await fetch(`${address}/v1/sys/mounts/${mount}`, {
    method: 'POST',
    headers: { 'X-Vault-Token': token, 'Content-Type': 'application/json' },
    body: JSON.stringify({ type: 'kv', options: { version: String(version) } }),
  });
  if (res.status !== 204) throw new Error(`enabling a KV mount failed with HTTP ${res.status}`);
  return mount;
}

for (const kvVersion of [2, 1] as const) {
  await runConformance(
    {
      name: kvVersion === 2 ? 'vault (KV v2)' : 'vault (KV v1)',
      create: async (initial) => {
        const mount = await enableKv(kvVersion);
        const source = hashicorpVault({ endpoint: address, token, mount, kvVersion });
        for (const [name, value] of Object.entries(initial)) await source.set(name, value);
        return {
          source,
          cleanup: async () => {
            await fetch(`${address}/v1/sys/mounts/${mount}`, {
              method: 'DELETE',
              headers: { 'X-Vault-Token': token! },
            });
          },
        };
      },
    },
    { describe, it },
  );
}
