// After an AppRole login, a read and vault.close(): is the login token still in the heap?
import { randomBytes } from 'node:crypto';
import { getHeapSnapshot } from 'node:v8';
import { deadline, describeError, fail, load, packageRoot, pass, sleep } from '../lib/common.mjs';
import { startPeer, vaultAnswers } from '../lib/peers.mjs';

const ID = 'vault-close-keeps-token';
const root = packageRoot();
deadline(ID, 15_000, 'hung: login, read and close() did not end within 15 s');
// The token exists as a string only in the peer's answer and wherever the client keeps it; this
// process holds it as bytes (a Buffer's contents are not strings in a heap snapshot).
const tokenBytes = Buffer.from(`hvs.CAES${randomBytes(24).toString('hex')}`);
const peer = await startPeer(vaultAnswers({ token: () => tokenBytes.toString() }));
const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
const vault = hashicorpVault({ endpoint: peer.url, appRole: { roleId: 'r', secretId: 's' } });
let read;
try {
  read = (await vault.get('app/x'))?.value.reveal();
} catch (err) {
  read = describeError(err);
}
const sawToken = peer.requests.some((r) => r.headers['x-vault-token'] === tokenBytes.toString());
await vault.close();
// The peer's record of requests (with the header) and its connections go before the snapshot.
peer.requests.length = 0;
await peer.stop();
await sleep(200);
let text = '';
for await (const chunk of getHeapSnapshot()) text += chunk;
const found = text.includes(tokenBytes.toString());
if (!sawToken) fail(ID, `cannot judge: no read carried the login token (read: ${read})`);
else if (found) fail(ID, 'the login token is still in the heap after close()');
else pass(ID, `(heap snapshot of ${(text.length / 1048576).toFixed(0)} MB holds no token)`);
