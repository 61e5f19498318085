/**
 * Strength check benchmarks (`tsx bench/strength.bench.ts`, or `npm run bench -- strength`):
 * - median µs per `checkStrength` call on 64-character random keys (target ≤ 50 µs), beside a
 *   SHA-256 of the same key as the baseline of the same run;
 * - median ms per call on a 1 MB random value and on a 1 MB repeated value (bounded, no target);
 * - one 1 MB check beside ten 100 KB checks of five shapes (linear is at most 1×, target < 4×);
 * - time and memory (heap, external and RSS deltas) to load the known JWT secrets lookup
 *   (target ≤ 20 ms and ≤ 10 MB), and the same for the word list the dictionary rule loads;
 * - the known-value lookups on 64-character base64url, 64 hex digits and `base64:` keys: the one
 *   encoding and digest table (`known-digest`: digests of the curated and mined defaults and common
 *   words under 14 families, published key bytes) and, with it, every known-value lookup
 *   (`known-default`: curated list, mined corpus as text, user lists, words), each as its share of
 *   the engine's time (target ≤ 10 µs), the lookup alone, and each table's load time and memory
 *   (≤ 20 ms, ≤ 10 MB).
 */
import { createHash, randomBytes } from 'node:crypto';
import {
  DIGEST_ALGORITHMS,
  findKnownDigest,
  loadKnownDigests,
  unloadKnownDigests,
} from '../src/strength/digests.js';
import { isKnownLeaked, loadKnownKeys, unloadKnownKeys } from '../src/strength/known-keys.js';
import { loadKnownDefaults, unloadKnownDefaults } from '../src/strength/known-table.js';
import { loadDictionary } from '../src/strength/words.js';
import { LARGE_SHAPES } from '../test/strength/large-shapes.js';

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

gc?.();
const beforeDefaults = process.memoryUsage();
t = performance.now();
const corpus = loadKnownDefaults();
const defaultsColdMs = performance.now() - t;
const afterDefaults = process.memoryUsage();
const defaultsRuns: number[] = [];
for (let i = 0; i < 20; i++) {
  unloadKnownDefaults();
  t = performance.now();
  loadKnownDefaults();
  defaultsRuns.push(performance.now() - t);
}
const defaultsMem =
  afterDefaults.heapUsed - beforeDefaults.heapUsed + (afterDefaults.external - beforeDefaults.external);

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

// The known-value lookups' share. Three rule sets, interleaved per key with the order rotating
// (the first check of a fresh string pays for hashing it): every rule; without `known-digest` (the
// one encoding and digest table, issues 13 and 17); with `known-default` reduced to the curated list
// it had before the corpus (no mined corpus, user lists or words); both. Each rule's own time inside
// a full check is timed too, and the share reported is the larger of the two measures. Keys: 64-character base64url (a
// sha384 shape), 64 hex digits (a sha256 shape) and Laravel's `base64:` form.
const { findCuratedDefault, knownDefaultRule } = await import('../src/strength/rules/known-default.js');
// The curated list alone, as the rule was before the corpus: the baseline for the corpus's share.
const curatedOnly: (typeof RULES)[number] = {
  ...knownDefaultRule,
  check: (ctx) => {
    const hit = ctx.binary ? undefined : findCuratedDefault(ctx.candidates());
    return hit ? [{ code: 'WEAK_KNOWN_DEFAULT', message: hit.source, source: hit.source, via: hit.via }] : [];
  },
};
const withoutDigest = RULES.filter((r) => r !== knownDigestRule);
const withoutCorpus = RULES.map((r) => (r === knownDefaultRule ? curatedOnly : r));
const withoutLookups = withoutDigest.map((r) => (r === knownDefaultRule ? curatedOnly : r));
const own = { digest: [] as number[], defaults: [] as number[], curated: [] as number[] };
const timedRule = (rule: (typeof RULES)[number], into: number[]): (typeof RULES)[number] => ({
  ...rule,
  check: (ctx) => {
    const s = performance.now();
    const found = rule.check(ctx);
    into.push((performance.now() - s) * 1000);
    return found;
  },
});
const withTimed = [
  ...RULES.map((r) =>
    r === knownDigestRule
      ? timedRule(r, own.digest)
      : r === knownDefaultRule
        ? timedRule(r, own.defaults)
        : r,
  ),
  // The curated lookup timed once more on its own, after the rule: its own time is subtracted.
  timedRule(curatedOnly, own.curated),
];
const input = { environment: 'production', profile: 'jwt-hs256' } as const;
const shapes = {
  'base64url, 64 chars': keys,
  'hex, 64 digits': Array.from({ length: 2000 }, () => randomBytes(32).toString('hex')),
  'base64:, 32 bytes': Array.from({ length: 2000 }, () => `base64:${randomBytes(32).toString('base64')}`),
};
const sets = [RULES, withoutDigest, withoutCorpus, withoutLookups] as const;
const shares = Object.entries(shapes).map(([name, ks]) => {
  const times = sets.map(() => [] as number[]);
  for (const k of ks) for (const rules of sets) evaluate(k, input, { rules });
  for (let r = 0; r < 6; r++) {
    ks.forEach((k, i) => {
      for (let j = 0; j < sets.length; j++) {
        const which = (i + r + j) % sets.length;
        const s = performance.now();
        evaluate(k, input, { rules: sets[which] });
        times[which]!.push((performance.now() - s) * 1000);
      }
    });
  }
  own.digest.length = 0;
  own.defaults.length = 0;
  own.curated.length = 0;
  for (let r = 0; r < 3; r++) for (const k of ks) evaluate(k, input, { rules: withTimed });
  const [all, noDigest, noCorpus, noLookups] = times.map(median) as [number, number, number, number];
  const corpusOwn = median(own.defaults) - median(own.curated);
  return {
    name,
    all,
    noLookups,
    digest: Math.max(all - noDigest, median(own.digest)),
    digestParts: `${(all - noDigest).toFixed(1)}; ${median(own.digest).toFixed(1)}`,
    corpus: Math.max(all - noCorpus, corpusOwn),
    corpusParts: `${(all - noCorpus).toFixed(1)}; ${corpusOwn.toFixed(1)}`,
    lookups: Math.max(all - noLookups, median(own.digest) + corpusOwn),
    lookupParts: `${(all - noLookups).toFixed(1)}; ${(median(own.digest) + corpusOwn).toFixed(1)}`,
  };
});
const lookupTimes: number[] = [];
for (const k of keys) {
  const s = performance.now();
  findKnownDigest(k);
  lookupTimes.push((performance.now() - s) * 1000);
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

// 4. Linear cost, side by side in one run: ten 100 KB checks beside one 1 MB check of the same
// shape (the same amount of input). Linear is at most 1× (each small check also pays the fixed
// window analysis), quadratic about 10×. The tests count the work instead (test/strength/work.ts,
// test/fuzz/strength.test.ts, same shapes); this is where its time is measured.
const linearity = LARGE_SHAPES.map(([name, make]) => {
  const small = make(100_000);
  const large = make(1_000_000);
  checkStrength(small, { environment: 'production' });
  const tenSmall: number[] = [];
  const oneLarge: number[] = [];
  for (let round = 0; round < 5; round++) {
    let s = performance.now();
    for (let i = 0; i < 10; i++) checkStrength(small, { environment: 'production' });
    tenSmall.push(performance.now() - s);
    s = performance.now();
    checkStrength(large, { environment: 'production' });
    oneLarge.push(performance.now() - s);
  }
  return { name, small: median(tenSmall), large: median(oneLarge) };
});

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
  ...linearity.map((x): [string, string, string, string] => {
    const ratio = x.large / x.small;
    return [
      `checkStrength, ${x.name}: one 1 MB check / ten 100 KB checks (medians of 5)`,
      `${x.large.toFixed(1)} / ${x.small.toFixed(1)} ms`,
      '< 4× (linear: ≤ 1×, each check pays the window once)',
      `${ratio.toFixed(2)}× ${ratio < 4 ? 'ok' : 'MISSED'}`,
    ];
  }),
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
  ...shares.flatMap(
    (x): Array<[string, string, string, string]> => [
      [
        `evaluate (the engine every door calls), ${x.name}: all rules / without the lookups 13 and 17 added`,
        `${x.all.toFixed(1)} / ${x.noLookups.toFixed(1)} µs`,
        '≤ 50 µs',
        x.all <= 50 ? 'ok' : 'MISSED',
      ],
      [
        `  digest and encoding table (known-digest): share (larger of: difference of medians; own time)`,
        `${x.digest.toFixed(1)} µs (${x.digestParts})`,
        '≤ 10 µs',
        x.digest <= 10 ? 'ok' : 'MISSED',
      ],
      [
        `  mined corpus as text, user lists, words (known-default beyond the curated list): share`,
        `${x.corpus.toFixed(1)} µs (${x.corpusParts})`,
        '≤ 10 µs',
        x.corpus <= 10 ? 'ok' : 'MISSED',
      ],
      [
        `  both (what issues 13 and 17 added to the known-value lookups): share`,
        `${x.lookups.toFixed(1)} µs (${x.lookupParts})`,
        '≤ 10 µs',
        x.lookups <= 10 ? 'ok' : 'MISSED',
      ],
    ],
  ),
  [
    'digest table lookup alone: decode + binary search (median)',
    `${median(lookupTimes).toFixed(2)} µs`,
    '',
    '',
  ],
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
    `known-defaults corpus as text: cold load (${corpus.values} values, ${corpus.products} products)`,
    `${defaultsColdMs.toFixed(2)} ms`,
    '≤ 20 ms',
    defaultsColdMs <= 20 ? 'ok' : 'MISSED',
  ],
  [
    'known-defaults corpus as text: reload, median of 20',
    `${median(defaultsRuns).toFixed(2)} ms`,
    '≤ 20 ms',
    median(defaultsRuns) <= 20 ? 'ok' : 'MISSED',
  ],
  [
    'known-defaults corpus as text: heap + external delta',
    mb(defaultsMem),
    '≤ 10 MB',
    defaultsMem <= 10 * 1024 * 1024 ? 'ok' : 'MISSED',
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
