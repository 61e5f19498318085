/**
 * Repetition: a stretch equal to the text `period` characters before it (`abcdabcdabcd`, a random
 * half written twice, `aaaaaaaa`). A repeat costs only its period and length, not its characters.
 */

/** A repeated stretch: characters [start, start+length) copy those `period` characters earlier. */
export interface RepeatRun {
  start: number;
  length: number;
  period: number;
  cost: number;
}

/** Largest period searched: a repeated unit longer than this already carries enough bits. */
export const MAX_PERIOD = 256;

/** Shortest copied stretch reported for periods above 1. */
const MIN_COPY = 3;

/**
 * Finds maximal periodic stretches for every period up to {@link MAX_PERIOD} (and half the length).
 * O(length × periods), so callers bound the length they pass.
 */
export function findRepeats(s: string, maxPeriod = MAX_PERIOD): RepeatRun[] {
  const out: RepeatRun[] = [];
  const maxP = Math.min(maxPeriod, s.length >> 1);
  for (let p = 1; p <= maxP; p++) {
    let runStart = -1;
    for (let j = p; j <= s.length; j++) {
      const same = j < s.length && s.charCodeAt(j) === s.charCodeAt(j - p);
      if (same) {
        if (runStart < 0) runStart = j;
        continue;
      }
      if (runStart >= 0) {
        const len = j - runStart;
        if (len >= (p === 1 ? 2 : Math.max(MIN_COPY, Math.min(p, 8)))) {
          out.push({ start: runStart, length: len, period: p, cost: Math.log2(p) + Math.log2(len) + 2 });
        }
        runStart = -1;
      }
    }
  }
  return out;
}

/**
 * Smallest period p ≤ {@link MAX_PERIOD} such that all of `s` repeats with period p, or 0.
 * Used for values longer than the analysis window: a long value that is one unit over and over
 * carries only the unit's bits. Linear: the smallest period is `n - border(s)`, with the border from
 * the Knuth-Morris-Pratt failure function (trying each period in turn is quadratic on `aaa...ab`).
 */
export function wholePeriod(s: string): number {
  const n = s.length;
  if (n < 2) return 0;
  const fail = new Int32Array(n);
  let k = 0;
  for (let i = 1; i < n; i++) {
    const c = s.charCodeAt(i);
    while (k > 0 && c !== s.charCodeAt(k)) k = fail[k - 1]!;
    if (c === s.charCodeAt(k)) k++;
    fail[i] = k;
  }
  const p = n - fail[n - 1]!;
  return p <= MAX_PERIOD && p <= n >> 1 ? p : 0;
}
