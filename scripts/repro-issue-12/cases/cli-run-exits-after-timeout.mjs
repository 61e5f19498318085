// `secretsource run` with a vault: ref against a trickling Vault, SECRETSOURCE_TIMEOUT_MS=1500: does it exit?
import { brief, fail, packageRoot, pass, runCli } from '../lib/common.mjs';
import { startPeer, trickle } from '../lib/peers.mjs';

const ID = 'cli-run-exits-after-timeout';
const root = packageRoot();
const peer = await startPeer(trickle(200));
const r = await runCli(root, ['run', '--', process.execPath, '-e', '0'], {
  env: { VAULT_ADDR: peer.url, VAULT_TOKEN: 't', SECRETSOURCE_TIMEOUT_MS: '1500', APP_SECRET: 'vault:app/x' },
  timeoutMs: 14_000,
});
if (r.killed)
  fail(
    ID,
    `process had not exited: ${r.killed}; it printed an ERR_ code at ${r.firstErrAt ?? 'never'} ms (${brief(r)})`,
  );
else if (r.code === 0) fail(ID, `exit 0: the command started without its secret (${brief(r)})`);
else pass(ID, `(exit ${r.code} after ${r.exitedAt} ms: ${brief(r)})`);
