// `secretsource copy file:<k8s volume> memory: --apply`: does it copy every key, or 0 items with exit 0?
import { brief, fail, packageRoot, pass, runCli, tempDir } from '../lib/common.mjs';
import { k8sVolume } from '../lib/k8s-volume.mjs';

const ID = 'copy-k8s-volume';
const root = packageRoot();
const { volume, values } = k8sVolume(tempDir());
const r = await runCli(root, ['copy', `file:${volume}`, 'memory:', '--apply', '--format', 'json'], {
  timeoutMs: 14_000,
});
let items;
try {
  items = JSON.parse(r.stdout).items;
} catch {
  // Not JSON: judged below from the exit code.
}
const names = Object.keys(values);
const copied = (items ?? []).filter((i) => names.includes(i.name) && /create|update/.test(`${i.action}`));
if (r.killed) fail(ID, `process had not exited: ${r.killed}`);
else if (r.code === 0 && copied.length < names.length)
  fail(
    ID,
    `exit 0 with ${copied.length} of ${names.length} keys copied (${items ? `${items.length} items` : brief(r)})`,
  );
else if (r.code !== 0) fail(ID, `exit ${r.code}: ${brief(r)}`);
else
  pass(
    ID,
    `(exit 0, ${copied.length} of ${names.length} keys: ${copied.map((i) => `${i.name} ${i.action}`).join(', ')})`,
  );
