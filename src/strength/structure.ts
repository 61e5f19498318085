/**
 * Structure-aware estimate: the cheapest description of a value as a mix of random characters,
 * repeats, runs of one character, ordered sequences, keyboard walks and dictionary words. A pattern
 * only lowers the estimate by what it saves over random characters, so a random key that contains
 * `abc` or a short word by chance loses a few bits, never its verdict; the rules judge by how much
 * of the key the patterns explain.
 */

import type { PatternKind } from '../core/issues.js';
import { findKeyboardWalks, LAYOUT_NAMES } from './keyboard.js';
import { findRepeats } from './repetition.js';
import { findAlphabetRuns, findCounting, findInterleavedRuns } from './sequence.js';
import type { Dictionary } from './words.js';
import { findWords } from './words.js';

export type { PatternKind };

const KINDS: readonly PatternKind[] = ['run', 'repeat', 'sequence', 'keyboard', 'word'];
const RUN = 0;
const REPEAT = 1;
const SEQUENCE = 2;
const KEYBOARD = 3;
const WORD = 4;

/** Result of {@link analyseStructure}. */
export interface StructureResult {
  /** Estimated bits of the cheapest description. */
  bits: number;
  /** Bits of the same text counted as random characters. */
  randomBits: number;
  /** Bits each pattern family saved over random characters. */
  savings: Record<PatternKind, number>;
  /** Characters each family covers. */
  coverage: Record<PatternKind, number>;
  /** Word tokens used, and how many of them are common words. */
  words: number;
  commonWords: number;
  /** Keyboard layouts of the walks used. */
  layouts: string[];
}

/** Options for {@link analyseStructure}. */
export interface StructureOptions {
  bitsPerChar: number;
  dictionary?: Dictionary | undefined;
  /** Cost common words at the small list's size (for sentences) instead of the large list's. */
  discountCommon?: boolean | undefined;
  /** Look for keyboard walks and decimal counting (not in decoded bytes). @default true */
  keyboard?: boolean | undefined;
  /** Largest repeat period searched. @default MAX_PERIOD */
  maxPeriod?: number | undefined;
}

/** Cost of a repeated separator (`-`, `_`, space...): the same choice again. */
const REPEATED_SEPARATOR_BITS = 1;

/**
 * Reusable zeroed work arrays: the check is synchronous and not re-entrant, and allocating six typed
 * arrays per call cost more than the analysis of a 64-character key.
 */
const scratch = {
  f: [] as Float64Array[],
  i: [] as Int32Array[],
  floats(slot: number, size: number): Float64Array {
    let a = this.f[slot];
    if (!a || a.length < size) {
      a = new Float64Array(Math.max(size, 256));
      this.f[slot] = a;
    }
    const view = a.subarray(0, size);
    view.fill(0);
    return view;
  },
  ints(slot: number, size: number): Int32Array {
    let a = this.i[slot];
    if (!a || a.length < size) {
      a = new Int32Array(Math.max(size, 256));
      this.i[slot] = a;
    }
    const view = a.subarray(0, size);
    view.fill(0);
    return view;
  },
};

/** Cheapest description of `s` (callers bound its length). */
export function analyseStructure(s: string, opts: StructureOptions): StructureResult {
  const n = s.length;
  const b = opts.bitsPerChar;
  const K = KINDS.length;
  const charCost = scratch.floats(0, n);
  // A symbol equal to the previous symbol (a separator used again) is nearly free.
  let lastSymbol = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    const symbol = !((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122));
    charCost[i] = symbol && c === lastSymbol ? Math.min(b, REPEATED_SEPARATOR_BITS) : b;
    if (symbol) lastSymbol = c;
  }
  const prefix = scratch.floats(1, n + 1);
  for (let i = 0; i < n; i++) prefix[i + 1] = prefix[i]! + charCost[i]!;

  // Best jump per (start, family): length, cost, and a tag (layout index or common-word flag).
  const jumpLen = scratch.ints(0, n * K);
  const jumpCost = scratch.floats(2, n * K);
  const jumpTag = scratch.ints(1, n * K);
  const offer = (kind: number, start: number, len: number, cost: number, tag = 0): void => {
    if (len <= 0 || start + len > n) return;
    const saving = prefix[start + len]! - prefix[start]! - cost;
    if (saving <= 0) return;
    const at = start * K + kind;
    const curLen = jumpLen[at]!;
    if (curLen > 0 && prefix[start + curLen]! - prefix[start]! - jumpCost[at]! >= saving) return;
    jumpLen[at] = len;
    jumpCost[at] = cost;
    jumpTag[at] = tag;
  };

  for (const r of findRepeats(s, opts.maxPeriod)) {
    // Offer the stretch from its start and a few positions in, so a parse that arrives late still uses it.
    const kind = r.period === 1 ? RUN : REPEAT;
    for (let k = 0; k < 4 && k < r.length; k++) offer(kind, r.start + k, r.length - k, r.cost);
  }
  for (const q of findAlphabetRuns(s, b)) {
    for (let k = 0; k < 2 && q.length - k >= 3; k++) offer(SEQUENCE, q.start + k, q.length - k, q.cost);
  }
  for (const q of opts.keyboard === false ? [] : findCounting(s)) offer(SEQUENCE, q.start, q.length, q.cost);
  for (const q of findInterleavedRuns(s, b)) offer(SEQUENCE, q.start, q.length, q.cost);
  for (const w of opts.keyboard === false ? [] : findKeyboardWalks(s)) {
    // Layout (2 bits), start key and its shift state, length, log2(6) per new direction, 1 bit per shift change:
    // a random run of adjacent keys costs about what its characters cost, a straight walk far less.
    const cost = 2 + Math.log2(96) + Math.log2(w.length) + w.turns * Math.log2(6) + w.shifts;
    for (let k = 0; k < 2 && w.length - k >= 3; k++)
      offer(KEYBOARD, w.start + k, w.length - k, cost, w.layout);
  }
  if (opts.dictionary) {
    const d = opts.dictionary;
    for (const w of findWords(s, d, opts.discountCommon === true)) {
      const base = w.common && opts.discountCommon ? d.commonBits : d.wordBits;
      offer(WORD, w.start, w.length, base + w.caseBits, w.common ? 1 : 0);
    }
  }

  // Forward DP over positions; `step` records the family used to reach each position (-1: a character).
  const best = scratch.floats(3, n + 1).fill(Number.POSITIVE_INFINITY);
  const from = scratch.ints(2, n + 1);
  const step = scratch.ints(3, n + 1);
  best[0] = 0;
  for (let i = 0; i < n; i++) {
    const here = best[i]!;
    if (here + charCost[i]! < best[i + 1]!) {
      best[i + 1] = here + charCost[i]!;
      from[i + 1] = i;
      step[i + 1] = -1;
    }
    for (let k = 0; k < K; k++) {
      const len = jumpLen[i * K + k]!;
      if (len === 0) continue;
      const total = here + jumpCost[i * K + k]!;
      if (total < best[i + len]!) {
        best[i + len] = total;
        from[i + len] = i;
        step[i + len] = k;
      }
    }
  }

  const savings = { run: 0, repeat: 0, sequence: 0, keyboard: 0, word: 0 } as Record<PatternKind, number>;
  const coverage = { run: 0, repeat: 0, sequence: 0, keyboard: 0, word: 0 } as Record<PatternKind, number>;
  const layouts = new Set<string>();
  let words = 0;
  let commonWords = 0;
  for (let at = n; at > 0; at = from[at]!) {
    const k = step[at]!;
    if (k < 0) continue;
    const start = from[at]!;
    const kind = KINDS[k]!;
    savings[kind] += prefix[at]! - prefix[start]! - jumpCost[start * K + k]!;
    coverage[kind] += at - start;
    if (k === WORD) {
      words++;
      if (jumpTag[start * K + k] === 1) commonWords++;
    }
    if (k === KEYBOARD) layouts.add(LAYOUT_NAMES[jumpTag[start * K + k]!] ?? 'keyboard');
  }
  return { bits: best[n]!, randomBits: n * b, savings, coverage, words, commonWords, layouts: [...layouts] };
}

/** Pattern families in a stable order, for reporting. */
export const PATTERN_KINDS = KINDS;
