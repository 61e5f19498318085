// `constructor`, `__proto__`, `toString` as a source id in every command that takes a ref
// (get, check, copy, rotate): a crash ("unexpected TypeError", exit 3), or a clean refusal?
import { brief, fail, packageRoot, pass, runCli } from '../lib/common.mjs';

const ID = 'proto-source-id';
const root = packageRoot();
const problems = [];
let clean = 0;
for (const id of ['constructor', '__proto__', 'toString']) {
  for (const args of [
    ['get', `${id}:x`],
    ['check', `${id}:x`],
    ['copy', `${id}:x`, 'memory:'],
    ['rotate', `${id}:x`],
  ]) {
    const r = await runCli(root, args, { timeoutMs: 5000 });
    if (r.killed || r.code === 0 || r.code === 3 || /TypeError|unexpected/.test(r.stderr))
      problems.push(`${args.join(' ')}: exit ${r.killed ?? r.code}: ${brief(r)}`);
    else clean++;
  }
}
if (problems.length > 0) fail(ID, problems.join(' | '));
else pass(ID, `(${clean} of 12 runs refused cleanly, none exit 0 or 3)`);
