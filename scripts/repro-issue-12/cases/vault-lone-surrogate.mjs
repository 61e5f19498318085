// A Vault name holding a lone surrogate: reported as "could not be reached" (retryable), or as an invalid name?
import { deadline, describeError, fail, load, packageRoot, pass } from '../lib/common.mjs';
import { startPeer, vaultAnswers } from '../lib/peers.mjs';

const ID = 'vault-lone-surrogate';
const root = packageRoot();
deadline(ID, 15_000, 'hung: a read did not end within 15 s');
const peer = await startPeer(vaultAnswers());
const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
const vault = hashicorpVault({ endpoint: peer.url, token: 't' });
let outcome;
try {
  outcome = (await vault.get('app/bad\uD800name')) === undefined ? 'absent' : 'a value';
} catch (err) {
  outcome = err;
}
await vault.close();
const requests = peer.requests.length;
if (typeof outcome === 'string') fail(ID, `answered "${outcome}" for an invalid name (${requests} requests)`);
else if (outcome?.retryable === true || /could not be reached/i.test(outcome?.message ?? ''))
  fail(ID, `coded ${describeError(outcome)}: "${outcome.message}"`);
else pass(ID, `(${describeError(outcome)}, ${requests} requests sent)`);
