/**
 * Strength check benchmarks (`tsx bench/strength.bench.ts`, or `npm run bench -- strength`):
 * - median µs per `checkStrength` call on 64-character random keys (target ≤ 50 µs), beside a
 *   SHA-256 of the same key as the baseline of the same run;
 * - median ms per call on a 1 MB random value and on a 1 MB repeated value (bounded, no target);
 * - time and memory (heap, external and RSS deltas) to load the known JWT secrets lookup
 *   (target ≤ 20 ms and ≤ 10 MB), and the same for the word list the dictionary rule loads.
 */
import { createHash, randomBytes } from 'node:crypto';
import { isKnownLeaked, loadKnownKeys, unloadKnownKeys } from '../src/strength/known-keys.js';
import { loadDictionary } from '../src/strength/words.js';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(2)} MB`;

// 1. Cold load of the known-keys lookup, measured first so nothing else has touched it.
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const before = process.memoryUsage();
let t = performance.now();
const { count } = loadKnownKeys();
const coldLoadMs = performance.now() - t;
const after = process.memoryUsage();
isKnownLeaked('warm-up');
const loadRuns: number[] = [];
for (let i = 0; i < 20; i++) {
  unloadKnownKeys();
  t = performance.now();
  loadKnownKeys();
  loadRuns.push(performance.now() - t);
}
const memDelta = after.heapUsed - before.heapUsed + (after.external - before.external);

gc?.();
const beforeWords = process.memoryUsage();
t = performance.now();
const dict = loadDictionary();
const wordsLoadMs = performance.now() - t;
const afterWords = process.memoryUsage();

// 2. checkStrength on 64-character keys (48 random bytes, base64url), each call timed on its own.
const { checkStrength } = await import('../src/strength/index.js');
const keys = Array.from({ length: 2000 }, () => randomBytes(48).toString('base64url'));
for (let r = 0; r < 3; r++) for (const k of keys) checkStrength(k, { environment: 'production' });
const perCall: number[] = [];
const baseline: number[] = [];
for (let r = 0; r < 10; r++) {
  for (const k of keys) {
    let s = performance.now();
    checkStrength(k, { environment: 'production' });
    perCall.push((performance.now() - s) * 1000);
    s = performance.now();
    createHash('sha256').update(k).digest('hex');
    baseline.push((performance.now() - s) * 1000);
  }
}

// 3. 1 MB values.
const big = randomBytes(1024 * 1024)
  .toString('base64url')
  .slice(0, 1024 * 1024);
const bigRepeated = 'abc123'.repeat(Math.ceil((1024 * 1024) / 6)).slice(0, 1024 * 1024);
const bigRuns: number[] = [];
const repRuns: number[] = [];
for (let i = 0; i < 9; i++) {
  let s = performance.now();
  checkStrength(big, { environment: 'production' });
  bigRuns.push(performance.now() - s);
  s = performance.now();
  checkStrength(bigRepeated, { environment: 'production' });
  repRuns.push(performance.now() - s);
}

const keyMedian = median(perCall);
const rows: Array<[string, string, string, string]> = [
  [
    'checkStrength, 64-char random key (median per call)',
    `${keyMedian.toFixed(1)} µs`,
    '≤ 50 µs',
    keyMedian <= 50 ? 'ok' : 'MISSED',
  ],
  [
    'baseline: sha256 of the same key',
    `${median(baseline).toFixed(1)} µs`,
    '',
    `ratio ${(keyMedian / median(baseline)).toFixed(0)}x`,
  ],
  ['checkStrength, 1 MB random value (median of 9)', `${median(bigRuns).toFixed(1)} ms`, 'bounded', 'ok'],
  ['checkStrength, 1 MB repeated unit (median of 9)', `${median(repRuns).toFixed(1)} ms`, 'bounded', 'ok'],
  [
    `known-keys lookup: cold load (${count} entries)`,
    `${coldLoadMs.toFixed(2)} ms`,
    '≤ 20 ms',
    coldLoadMs <= 20 ? 'ok' : 'MISSED',
  ],
  [
    'known-keys lookup: reload, median of 20',
    `${median(loadRuns).toFixed(2)} ms`,
    '≤ 20 ms',
    median(loadRuns) <= 20 ? 'ok' : 'MISSED',
  ],
  [
    'known-keys lookup: heap + external delta',
    mb(memDelta),
    '≤ 10 MB',
    memDelta <= 10 * 1024 * 1024 ? 'ok' : 'MISSED',
  ],
  [
    'known-keys lookup: RSS delta',
    mb(after.rss - before.rss),
    '≤ 10 MB',
    after.rss - before.rss <= 10 * 1024 * 1024 ? 'ok' : 'MISSED',
  ],
  [
    `word list: load (${dict.words.size} words), first dictionary check`,
    `${wordsLoadMs.toFixed(1)} ms`,
    '',
    '',
  ],
  ['word list: heap delta', mb(afterWords.heapUsed - beforeWords.heapUsed), '', ''],
];

console.log('| measure | result | target | verdict |');
console.log('| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(
  `\nnode ${process.version}, ${perCall.length} timed calls; ${gc ? 'run with --expose-gc' : 'without --expose-gc: memory deltas include garbage'}`,
);
