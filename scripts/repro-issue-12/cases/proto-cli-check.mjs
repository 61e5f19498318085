// `secretsource check constructor` (and __proto__, toString): "unexpected TypeError", or a clean answer?
import { brief, fail, packageRoot, pass, runCli } from '../lib/common.mjs';

const ID = 'proto-cli-check';
const root = packageRoot();
const problems = [];
const codes = [];
for (const name of ['constructor', '__proto__', 'toString']) {
  const r = await runCli(root, ['check', name], { timeoutMs: 5000 });
  if (r.killed || r.code === 3 || /TypeError|unexpected/.test(r.stderr + r.stdout))
    problems.push(`check ${name}: exit ${r.killed ?? r.code}: ${brief(r)}`);
  else codes.push(`${name} exit ${r.code}`);
}
if (problems.length > 0) fail(ID, problems.join(' | '));
else pass(ID, `(${codes.join(', ')})`);
