import { randomBytes } from 'node:crypto';
import { createResolver } from 'secretsource';
import { azureKeyVault } from 'secretsource/providers/azure-kv';
import { hashicorpVault } from 'secretsource/providers/vault';
import {
  type AzureKvEmulator,
  startAzureKvEmulator,
  startVaultEmulator,
  type VaultEmulator,
} from 'secretsource/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const jwtKey = randomBytes(48).toString('base64url');
let vault: VaultEmulator;
let keyVault: AzureKvEmulator;

beforeAll(async () => {
  [vault, keyVault] = await Promise.all([startVaultEmulator(), startAzureKvEmulator()]);
  await vault.seed({ 'app/auth': { jwt: jwtKey, issuer: 'example' } });
  keyVault.seed({ 'JWT-SECRET-KEY': jwtKey });
});

afterAll(async () => {
  await Promise.all([vault?.stop(), keyVault?.stop()]);
});

describe('the app reads its JWT key', () => {
  it('from HashiCorp Vault', async () => {
    const resolver = createResolver({
      sources: [hashicorpVault({ endpoint: vault.address, token: vault.rootToken })],
    });
    const key = await resolver.get('vault:app/auth#jwt');
    expect(String(key)).toBe('[secret app/auth#jwt]');
    expect(key.reveal()).toBe(jwtKey);
    await resolver.close();
  });

  it('from Azure Key Vault', async () => {
    const source = azureKeyVault({
      vaultUrl: keyVault.url,
      credential: keyVault.credential,
      clientOptions: keyVault.clientOptions,
    });
    const resolver = createResolver({ sources: [source] });
    expect((await resolver.get('azure-kv:JWT_SECRET_KEY')).reveal()).toBe(jwtKey);
    await resolver.close();
  });
});
