// 20 Vault reads time out against a server trickling one byte every 200 ms; after resolver.close(),
// are sockets still open on the server?
import { deadline, fail, load, packageRoot, pass, sleep } from '../lib/common.mjs';
import { startPeer, trickle } from '../lib/peers.mjs';

const ID = 'vault-trickle-sockets-after-close';
const root = packageRoot();
deadline(ID, 15_000, 'hung: 20 reads under a 300 ms resolver timeout and close() did not end within 15 s');
const peer = await startPeer(trickle(200));
const { createResolver } = await load(root, 'secretsource');
const { hashicorpVault } = await load(root, 'secretsource/providers/vault');
const resolver = createResolver({
  sources: [hashicorpVault({ endpoint: peer.url, token: 't' })],
  timeoutMs: 300,
  cache: false,
});
const results = await Promise.allSettled(
  Array.from({ length: 20 }, (_, i) => resolver.get(`vault:app/k${i}`)),
);
const timedOut = results.filter(
  (r) => r.status === 'rejected' && r.reason?.code === 'ERR_SOURCE_TIMEOUT',
).length;
const openAtTimeout = peer.openSockets();
await resolver.close();
for (let i = 0; i < 40 && peer.openSockets() > 0; i++) await sleep(50);
const open = peer.openSockets();
// Reads the server received by now, also those sent after their caller had stopped waiting.
const reads = peer.requests.filter((r) => r.path.startsWith('/v1/secret/')).length;
if (timedOut !== 20) fail(ID, `cannot judge: ${timedOut} of 20 reads timed out`);
else if (open > 0)
  fail(
    ID,
    `${open} sockets still open on the server 2 s after resolver.close() (${reads} reads sent, ${openAtTimeout} open at the timeouts)`,
  );
else
  pass(
    ID,
    `(20 timeouts, ${reads} reads sent, ${openAtTimeout} sockets open at the timeouts, 0 after close)`,
  );
