/**
 * Core resolver benchmarks, each beside its baseline in the same run:
 * - warm cache-hit `get` ops/s against an awaited `Map.get` floor (target: within 3x);
 * - 1000 concurrent cold `get`s of one key: store calls (target: 1);
 * - fresh-process `import('secretsource')` time (target: <= 25 ms) against an empty `node -e`, and
 *   the proof that no cloud SDK module was resolved.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { memorySource } from '../providers/memory.js';
import { createResolver } from '../src/index.js';
import { fmt, median, opsPerSecond } from './measure.js';

const root = join(import.meta.dirname, '..');

// 1. warm cache hits against the floor
const map = new Map([['memory:JWT_SECRET_KEY', 'x']]);
const floor = await opsPerSecond(async () => map.get('memory:JWT_SECRET_KEY'));
const resolver = createResolver({ sources: [memorySource({ initial: { JWT_SECRET_KEY: 'k'.repeat(64) } })] });
await resolver.get('memory:JWT_SECRET_KEY');
const ours = await opsPerSecond(() => resolver.get('memory:JWT_SECRET_KEY'));
const bare = await opsPerSecond(() => resolver.get('JWT_SECRET_KEY'));

// 2. 1000 concurrent cold gets of one key
const slow = memorySource({ initial: { K: 'v' } });
const inner = slow.get.bind(slow);
let calls = 0;
slow.get = async (name, o) => {
  calls++;
  await new Promise((r) => setTimeout(r, 20));
  return inner(name, o);
};
const cold = createResolver({ sources: [slow] });
await Promise.all(Array.from({ length: 1000 }, () => cold.get('memory:K')));

// 3. fresh-process import time, against an empty process, and SDK resolution
function childMs(code: string): number {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', code], {
    cwd: root,
    encoding: 'utf8',
  });
  return Number(out.trim());
}
const importCode = `const t = performance.now(); await import('secretsource'); console.log(performance.now() - t);`;
const emptyCode = `const t = performance.now(); await import('node:path'); console.log(performance.now() - t);`;
const importTimes: number[] = [];
const emptyTimes: number[] = [];
for (let i = 0; i < 15; i++) {
  importTimes.push(childMs(importCode));
  emptyTimes.push(childMs(emptyCode));
}
const hooks = `export async function resolve(s, c, n) { if (/^(@aws-sdk|@smithy|@azure|node-vault)/.test(s)) console.log('SDK ' + s); return n(s, c); }`;
const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
const sdkLines = execFileSync(
  process.execPath,
  [
    '--import',
    `data:text/javascript,${encodeURIComponent(register)}`,
    '--input-type=module',
    '-e',
    `await import('secretsource'); await import('secretsource/providers/env'); await import('secretsource/providers/dotenv');`,
  ],
  { cwd: root, encoding: 'utf8' },
)
  .split('\n')
  .filter((l) => l.startsWith('SDK '));

console.log('| measure | secretsource | baseline | ratio | target |');
console.log('|---|---|---|---|---|');
console.log(
  `| warm cache-hit get, explicit ref (ops/s) | ${fmt(ours)} | awaited Map.get ${fmt(floor)} | ${(floor / ours).toFixed(2)}x slower | within 3x |`,
);
console.log(
  `| warm cache-hit get, bare name (ops/s) | ${fmt(bare)} | awaited Map.get ${fmt(floor)} | ${(floor / bare).toFixed(2)}x slower | |`,
);
console.log(
  `| 1000 concurrent cold gets of one key (store calls) | ${calls} | 1000 without single-flight | | 1 |`,
);
console.log(
  `| fresh-process import('secretsource'), median of 15 (ms) | ${median(importTimes).toFixed(1)} | import('node:path') ${median(emptyTimes).toFixed(1)} | | <= 25 ms |`,
);
console.log(
  `| cloud SDK modules resolved by importing the core, env and dotenv | ${sdkLines.length} | | | 0 |`,
);
await resolver.close();
