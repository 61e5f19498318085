// Vault at http:// on a non-loopback address of this machine: does the token cross in clear?
import { networkInterfaces } from 'node:os';
import { deadline, describeError, fail, load, packageRoot, pass } from '../lib/common.mjs';
import { startPeer, vaultAnswers } from '../lib/peers.mjs';

const ID = 'vault-plain-http-non-loopback';
const root = packageRoot();
deadline(ID, 15_000, 'hung: a read from Vault over plain http did not end within 15 s');
const address = Object.values(networkInterfaces())
  .flat()
  .find((a) => a?.family === 'IPv4' && !a.internal)?.address;
if (address === undefined) fail(ID, 'cannot judge: this machine has no non-loopback IPv4 address');
else {
  const peer = await startPeer(vaultAnswers(), { host: address });
  const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
  let outcome;
  try {
    const vault = hashicorpVault({ endpoint: peer.url, token: 'tok-cleartext-canary' });
    try {
      outcome = (await vault.get('app/x')) ? 'read a value' : 'read: absent';
    } finally {
      await vault.close();
    }
  } catch (err) {
    outcome = `refused: ${describeError(err)}`;
  }
  const clear = peer.requests.filter((r) => r.headers['x-vault-token'] === 'tok-cleartext-canary').length;
  if (clear > 0)
    fail(ID, `${clear} request(s) carried X-Vault-Token in clear text to ${peer.url} (${outcome})`);
  else pass(ID, `(${outcome}; no request reached ${address})`);
}
