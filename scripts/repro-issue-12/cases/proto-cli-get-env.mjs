// `secretsource get env:constructor` (and __proto__, toString): a TypeError coded retryable, or absent?
import { brief, fail, packageRoot, pass, runCli } from '../lib/common.mjs';

const ID = 'proto-cli-get-env';
const root = packageRoot();
const problems = [];
const codes = [];
for (const name of ['constructor', '__proto__', 'toString']) {
  const r = await runCli(root, ['get', `env:${name}`], { timeoutMs: 5000 });
  if (r.killed || r.code === 0 || /TypeError|unexpected|ERR_SOURCE_UNAVAILABLE/.test(r.stderr))
    problems.push(`get env:${name}: exit ${r.killed ?? r.code}: ${brief(r)}`);
  else codes.push(`${name} exit ${r.code}`);
}
if (problems.length > 0) fail(ID, problems.join(' | '));
else pass(ID, `(${codes.join(', ')})`);
