// DEBUG=node-vault: does anything printed carry the AppRole secret_id or a value written to Vault?
import { randomBytes } from 'node:crypto';
import { load } from '../lib/common.mjs';
import { startPeer, vaultAnswers } from '../lib/peers.mjs';
import { debugCase } from '../lib/shapes.mjs';

const secretId = process.env.REPRO_SECRET_ID ?? `secret-id-canary-${randomBytes(8).toString('hex')}`;
const value = process.env.REPRO_VALUE ?? `value-canary-${randomBytes(8).toString('hex')}`;
await debugCase('vault-debug-approle', {
  env: { DEBUG: 'node-vault', REPRO_SECRET_ID: secretId, REPRO_VALUE: value },
  canaries: { 'the AppRole secret_id': secretId, 'the written value': value },
  async inner(root) {
    const peer = await startPeer(vaultAnswers({ value: () => value }));
    const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
    const vault = hashicorpVault({ endpoint: peer.url, appRole: { roleId: 'role-id-1', secretId } });
    await vault.set('app/x', value);
    await vault.get('app/x');
    await vault.close();
    await peer.stop();
  },
});
