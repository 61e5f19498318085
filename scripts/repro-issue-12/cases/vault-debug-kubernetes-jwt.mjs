// DEBUG=*: does anything printed carry the Kubernetes service-account JWT used to log in to Vault?
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { load, tempDir } from '../lib/common.mjs';
import { startPeer, vaultAnswers } from '../lib/peers.mjs';
import { debugCase } from '../lib/shapes.mjs';

const jwt =
  process.env.REPRO_JWT ??
  `eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJjYW5hcnkifQ.jwt-canary-${randomBytes(8).toString('hex')}`;
await debugCase('vault-debug-kubernetes-jwt', {
  env: { DEBUG: '*', REPRO_JWT: jwt },
  canaries: { 'the Kubernetes JWT': jwt.split('.')[2] },
  async inner(root) {
    const jwtPath = join(tempDir(), 'token');
    writeFileSync(jwtPath, jwt);
    const peer = await startPeer(vaultAnswers());
    const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
    const vault = hashicorpVault({ endpoint: peer.url, kubernetes: { role: 'app', jwtPath } });
    await vault.get('app/x');
    await vault.close();
    await peer.stop();
  },
});
