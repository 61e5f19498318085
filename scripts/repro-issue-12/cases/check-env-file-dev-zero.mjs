// `secretsource check --env-file /dev/zero`, exactly as the issue runs it: does memory stay bounded and the process exit?
import { brief, fail, packageRoot, pass, runCli } from '../lib/common.mjs';

const ID = 'check-env-file-dev-zero';
const LIMIT_MB = 400;
const root = packageRoot();
const r = await runCli(root, ['check', '--env-file', '/dev/zero'], {
  timeoutMs: 12_000,
  maxRssKb: 1024 * 1024,
});
const peak = Math.round(r.peakKb / 1024);
if (r.killed) fail(ID, `killed: ${r.killed} (peak RSS ${peak} MB)`);
else if (peak > LIMIT_MB) fail(ID, `peak RSS ${peak} MB, over ${LIMIT_MB} MB (exit ${r.code})`);
else pass(ID, `(exit ${r.code} after ${r.exitedAt} ms, peak RSS ${peak} MB: ${brief(r)})`);
