// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/providers/vault.md's sample: an AppRole login against the Vault emulator. */
// #region approle
import { createResolver } from 'secretsource';
import { hashicorpVault } from 'secretsource/providers/vault';
// #endregion approle
import { startVaultEmulator } from 'secretsource/testing';
import { expect, it, vi } from 'vitest';

it('logs in with AppRole and reads a field of a KV v2 secret', async () => {
  const emulator = await startVaultEmulator();
  try {
    emulator.setPolicy('app-reader', [{ path: 'secret/data/app/*', capabilities: ['read'] }]);
    const role = emulator.addAppRole('app', { policies: ['app-reader'] });
    await emulator.seed({ 'app/db': { user: 'app', password: 'a-database-password' } });
    vi.stubEnv('VAULT_ADDR', emulator.address);
    vi.stubEnv('ROLE_ID', role.roleId);
    vi.stubEnv('SECRET_ID', role.secretId);

    // #region approle

    const vault = hashicorpVault({
      endpoint: process.env.VAULT_ADDR, // e.g. https://vault.internal:8200
      appRole: { roleId: process.env.ROLE_ID!, secretId: process.env.SECRET_ID! },
    });
    const resolver = createResolver({ sources: [vault] });
    const dbPassword = await resolver.get('vault:app/db#password'); // field "password" of secret/data/app/db
    // #endregion approle

    expect(dbPassword.reveal()).toBe('a-database-password');
    expect(emulator.requests.some((r) => r.path === 'auth/approle/login')).toBe(true);
    await resolver.close();
  } finally {
    await emulator.stop();
  }
});
