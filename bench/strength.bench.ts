/**
 * Strength check benchmarks (`tsx bench/strength.bench.ts`, or `npm run bench -- strength`):
 * - median µs per `checkStrength` call on 64-character random keys (target ≤ 50 µs), beside a
 *   SHA-256 of the same key as the baseline of the same run;
 * - median ms per call on a 1 MB random value and on a 1 MB repeated value (bounded, no target);
 * - time and memory (heap, external and RSS deltas) to load the known JWT secrets lookup
 *   (target ≤ 20 ms and ≤ 10 MB), and the same for the word list the dictionary rule loads;
 * - the digest lookup (md5/sha1/sha2 digests of known defaults and common words): its share of a
 *   check, measured as the same engine with and without the `known-digest` rule (target ≤ 10 µs),
 *   the lookup alone, and its table's load time and memory (≤ 20 ms, ≤ 10 MB).
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildDigestTable,
  DIGEST_ALGORITHMS,
  decodeBytes,
  loadKnownDigests,
  lookupDigest,
  unloadKnownDigests,
} from '../src/strength/digests.js';
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

gc?.();
const beforeDigests = process.memoryUsage();
t = performance.now();
const { count: digestCount } = loadKnownDigests();
const digestLoadMs = performance.now() - t;
const afterDigests = process.memoryUsage();
const digestReloads: number[] = [];
for (let i = 0; i < 20; i++) {
  unloadKnownDigests();
  t = performance.now();
  loadKnownDigests();
  digestReloads.push(performance.now() - t);
}
const digestMem =
  afterDigests.heapUsed - beforeDigests.heapUsed + (afterDigests.external - beforeDigests.external);

// 2. checkStrength on 64-character keys (48 random bytes, base64url), each call timed on its own.
const { checkStrength, evaluate } = await import('../src/strength/index.js');
const { RULES } = await import('../src/strength/rules/index.js');
const { knownDigestRule } = await import('../src/strength/rules/known-digest.js');
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

// The digest rule's share: the engine with every rule vs without `known-digest`, on base64url (a
// sha384 shape) and hex (a sha256 shape) keys of 64 characters. The order alternates per key (the
// first check of a fresh string pays for hashing it), and the rule's own time inside a full check
// is timed too.
const withoutDigest = RULES.filter((r) => r !== knownDigestRule);
const ownTimes: number[] = [];
const timedDigest: typeof knownDigestRule = {
  ...knownDigestRule,
  check: (ctx) => {
    const s = performance.now();
    const found = knownDigestRule.check(ctx);
    ownTimes.push((performance.now() - s) * 1000);
    return found;
  },
};
const withTimed = RULES.map((r) => (r === knownDigestRule ? timedDigest : r));
const input = { environment: 'production', profile: 'jwt-hs256' } as const;
const hexKeys = Array.from({ length: 2000 }, () => randomBytes(32).toString('hex'));
const share = { all: [] as number[], without: [] as number[], lookup: [] as number[] };
const hexShare = { all: [] as number[], without: [] as number[] };
for (let r = 0; r < 3; r++) for (const k of keys) evaluate(k, input, { rules: withoutDigest });
for (let r = 0; r < 5; r++) {
  for (let i = 0; i < keys.length; i++) {
    for (const [k, into] of [
      [keys[i]!, share],
      [hexKeys[i]!, hexShare],
    ] as const) {
      const order = (i + r) % 2 === 0 ? [RULES, withoutDigest] : [withoutDigest, RULES];
      for (const rules of order) {
        const s = performance.now();
        evaluate(k, input, { rules });
        (rules === RULES ? into.all : into.without).push((performance.now() - s) * 1000);
      }
    }
    const s = performance.now();
    const d = decodeBytes(keys[i]!);
    if (d) lookupDigest(d.bytes);
    share.lookup.push((performance.now() - s) * 1000);
  }
}
for (const k of [...keys, ...hexKeys]) evaluate(k, input, { rules: withTimed });
const digestCost = Math.max(median(share.all) - median(share.without), median(ownTimes));
const hexDigestCost = median(hexShare.all) - median(hexShare.without);

// Headroom for issue 17: a table of 5,000 mined defaults (random 40-character values) and the
// common words under twelve families (sha3 and blake2 added), loaded and looked up as shipped.
const projectedFamilies = [
  ...DIGEST_ALGORITHMS,
  'sha3-224',
  'sha3-256',
  'sha3-384',
  'sha3-512',
  'blake2b512',
  'blake2s256',
];
const projectedInputs = Array.from({ length: 5000 }, (_, i) => ({
  value: randomBytes(30).toString('base64url'),
  source: `mined default ${i % 700}`,
}));
const projectedFile = join(mkdtempSync(join(tmpdir(), 'ss-bench-')), 'projected-digests.bin');
writeFileSync(projectedFile, buildDigestTable(projectedInputs, projectedFamilies));
unloadKnownDigests();
gc?.();
const beforeProjected = process.memoryUsage();
t = performance.now();
const { count: projectedCount } = loadKnownDigests(projectedFile);
const projectedLoadMs = performance.now() - t;
const afterProjected = process.memoryUsage();
const projectedMem =
  afterProjected.heapUsed - beforeProjected.heapUsed + (afterProjected.external - beforeProjected.external);
const projectedLookups: number[] = [];
for (const k of keys) {
  const s = performance.now();
  const d = decodeBytes(k);
  if (d) lookupDigest(d.bytes);
  projectedLookups.push((performance.now() - s) * 1000);
}
unloadKnownDigests();
loadKnownDigests();

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
    'evaluate (the engine every door calls), 64-char base64url key: all rules / without known-digest',
    `${median(share.all).toFixed(1)} / ${median(share.without).toFixed(1)} µs`,
    '≤ 50 µs',
    median(share.all) <= 50 ? 'ok' : 'MISSED',
  ],
  [
    'digest checks: their share of that check (the larger of: difference of medians, the rule timed inside the check)',
    `${digestCost.toFixed(1)} µs (${(median(share.all) - median(share.without)).toFixed(1)}; ${median(ownTimes).toFixed(1)})`,
    '≤ 10 µs',
    digestCost <= 10 ? 'ok' : 'MISSED',
  ],
  [
    'evaluate, 64-char hex key (a sha256 shape): all rules / without known-digest',
    `${median(hexShare.all).toFixed(1)} / ${median(hexShare.without).toFixed(1)} µs (digest share ${hexDigestCost.toFixed(1)} µs)`,
    '≤ 50 µs; ≤ 10 µs',
    median(hexShare.all) <= 50 && hexDigestCost <= 10 ? 'ok' : 'MISSED',
  ],
  ['digest lookup alone: decode + binary search (median)', `${median(share.lookup).toFixed(2)} µs`, '', ''],
  [
    `known digests: cold load (${digestCount} entries; ${DIGEST_ALGORITHMS.length} families + key bytes)`,
    `${digestLoadMs.toFixed(2)} ms`,
    '≤ 20 ms',
    digestLoadMs <= 20 ? 'ok' : 'MISSED',
  ],
  [
    'known digests: reload, median of 20',
    `${median(digestReloads).toFixed(2)} ms`,
    '≤ 20 ms',
    median(digestReloads) <= 20 ? 'ok' : 'MISSED',
  ],
  [
    'known digests: heap + external delta',
    mb(digestMem),
    '≤ 10 MB',
    digestMem <= 10 * 1024 * 1024 ? 'ok' : 'MISSED',
  ],
  [
    `projected: ${projectedCount} entries (5,000 mined values + words, 12 families): load, memory, lookup`,
    `${projectedLoadMs.toFixed(2)} ms, ${mb(projectedMem)}, ${median(projectedLookups).toFixed(2)} µs`,
    '≤ 20 ms, ≤ 10 MB',
    projectedLoadMs <= 20 && projectedMem <= 10 * 1024 * 1024 ? 'ok' : 'MISSED',
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
