// envSource and the resolver asked for `constructor`, `__proto__`, `toString` (absent): do they
// reach the prototype (a value, a TypeError, a retryable error) instead of "absent"?
import { describeError, fail, load, packageRoot, pass } from '../lib/common.mjs';

const ID = 'proto-env-names';
const root = packageRoot();
const { createResolver } = await load(root, 'secretsource');
const { envSource } = await load(root, 'secretsource/providers/env');
const source = envSource({ env: { PRESENT: 'x' } });
const resolver = createResolver({ sources: [source], cache: false });
const problems = [];
const seen = [];
for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
  try {
    const rec = await source.get(name);
    if (rec !== undefined) problems.push(`source.get(${name}) returned a value`);
  } catch (err) {
    problems.push(`source.get(${name}) threw ${describeError(err)}`);
  }
  try {
    await resolver.get(`env:${name}`);
    problems.push(`resolver.get(env:${name}) returned a value`);
  } catch (err) {
    if (err?.retryable === true || err?.code === 'ERR_SOURCE_UNAVAILABLE' || !/^ERR_/.test(err?.code ?? ''))
      problems.push(`resolver.get(env:${name}) threw ${describeError(err)}`);
    else seen.push(err.code);
  }
}
if (problems.length > 0) fail(ID, problems.join('; '));
else pass(ID, `(${[...new Set(seen)].join(', ')})`);
