// NAME_FILE=/dev/zero under a 1 s resolver timeout: does reading go on (RSS growing) after the call ended?
import { describeError, fail, load, packageRoot, pass, rssKb, sleep } from '../lib/common.mjs';

const ID = 'name-file-dev-zero';
const LIMIT_MB = 600;
const root = packageRoot();
const { createResolver } = await load(root, 'secretsource');
const { envSource } = await load(root, 'secretsource/providers/env');
const resolver = createResolver({
  sources: [envSource({ env: { DB_PASSWORD_FILE: '/dev/zero' } })],
  timeoutMs: 1000,
  cache: false,
});
const started = Date.now();
let peak = 0;
const watch = setInterval(() => {
  peak = Math.max(peak, rssKb());
  if (peak > LIMIT_MB * 1024)
    fail(
      ID,
      `RSS reached ${Math.round(peak / 1024)} MB ${Date.now() - started} ms after the read started (${outcome})`,
    );
}, 20);
let outcome = 'call still running';
try {
  await resolver.get('env:DB_PASSWORD');
  outcome = 'returned a value';
} catch (err) {
  outcome = `call ended as ${describeError(err)} after ${Date.now() - started} ms`;
}
await sleep(4000);
clearInterval(watch);
if (outcome === 'returned a value') fail(ID, 'reading /dev/zero returned a value');
else pass(ID, `(${outcome}; peak RSS ${Math.round(peak / 1024)} MB over the next 4 s)`);
