/**
 * The word lists the dictionary rule matches against: a large English list shipped as
 * `data/words.txt` (51,606 lower-case words of 4 to 10 letters derived from SCOWL's size-50
 * American list, see NOTICE) and the short {@link COMMON_WORDS} list. Loaded on first use.
 */
import { join } from 'node:path';
import { nodeFs } from '../core/builtins.js';
import { packageRoot } from '../internal/package-root.js';
import { COMMON_WORDS } from './common-words.js';

/** A set of words answered by binary search over the sorted list file: no per-word objects to build. */
export interface WordSet {
  readonly size: number;
  has(word: string): boolean;
}

/** Loaded dictionaries. */
export interface Dictionary {
  /** Large list, words of {@link MIN_WORD}..{@link MAX_WORD} letters. */
  words: WordSet;
  common: ReadonlySet<string>;
  /** Bitmap over the 26^4 four-letter stems of every word: most random letter runs stop here. */
  stems: Uint8Array;
  /** Bits of one word picked from the large list: log2 of its size. */
  wordBits: number;
  /** Bits of one word picked from the common list. */
  commonBits: number;
}

/** Shortest large-list word matched: shorter ones are too frequent by chance in random keys. */
export const MIN_WORD = 4;
/** Longest word matched (bounds the work per position). */
export const MAX_WORD = 10;

let dictionary: Dictionary | undefined;

/** Path of the shipped word list (one lower-case word a line, sorted by code unit, no duplicates). */
export function wordListPath(): string {
  return join(packageRoot(), 'data', 'words.txt');
}

/**
 * Loads (once) and returns the dictionaries. The list stays one string with an index of line starts
 * (about 3 ms and 1 MB, against 20 ms and 6 MB for a Set of 51,606 strings).
 */
export function loadDictionary(): Dictionary {
  if (dictionary) return dictionary;
  const text = nodeFs().readFileSync(wordListPath(), 'latin1');
  const words = sortedWords(text);
  const stems = new Uint8Array(26 ** MIN_WORD);
  for (let i = 0; i < words.size; i++) {
    const at = words.starts[i]!;
    if (words.starts[i + 1]! - 1 - at >= MIN_WORD) stems[stemIndex(text, at)] = 1;
  }
  const common = new Set(COMMON_WORDS);
  for (const w of common) if (w.length >= MIN_WORD && /^[a-z]+$/.test(w)) stems[stemIndex(w, 0)] = 1;
  dictionary = {
    words,
    common,
    stems,
    wordBits: Math.log2(Math.max(words.size, 2)),
    commonBits: Math.log2(common.size),
  };
  return dictionary;
}

/** Index of line starts over `text` (sorted, one word a line) and a binary-search `has`. */
function sortedWords(text: string): WordSet & { starts: Int32Array } {
  const body = text.endsWith('\n') ? text : `${text}\n`;
  // indexOf is native: a charCodeAt loop over 440 kB costs milliseconds before the JIT warms up.
  const list: number[] = [0];
  for (let nl = body.indexOf('\n'); nl >= 0; nl = body.indexOf('\n', nl + 1)) list.push(nl + 1);
  // starts[i] is where word i begins; starts[count] is one past the last newline.
  const starts = Int32Array.from(list);
  const count = starts.length - 1;
  const compare = (i: number, w: string): number => {
    const a = starts[i]!;
    const len = starts[i + 1]! - 1 - a;
    const n = Math.min(len, w.length);
    for (let j = 0; j < n; j++) {
      const d = body.charCodeAt(a + j) - w.charCodeAt(j);
      if (d !== 0) return d;
    }
    return len - w.length;
  };
  return {
    size: count,
    starts,
    has(w: string): boolean {
      let lo = 0;
      let hi = count - 1;
      while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = compare(mid, w);
        if (c === 0) return true;
        if (c < 0) lo = mid + 1;
        else hi = mid - 1;
      }
      return false;
    },
  };
}

/** Index of the four lower-case letters at `at` in the stem bitmap (the caller guarantees a-z). */
function stemIndex(s: string, at: number): number {
  return (
    (((s.charCodeAt(at) - 97) * 26 + (s.charCodeAt(at + 1) - 97)) * 26 + (s.charCodeAt(at + 2) - 97)) * 26 +
    (s.charCodeAt(at + 3) - 97)
  );
}

/** A dictionary word found in a string (case-insensitive). */
export interface WordMatch {
  start: number;
  length: number;
  common: boolean;
  /** Extra bits for the capitalisation pattern and l33t substitutions. */
  caseBits: number;
}

/**
 * For each position, the longest word that starts there (common words may be 2 letters and up,
 * large-list words {@link MIN_WORD} and up). O(length × {@link MAX_WORD}) set lookups.
 */
export function findWords(s: string, dict: Dictionary, shortCommon = true): WordMatch[] {
  const out: WordMatch[] = [];
  const n = s.length;
  // ASCII-lower copy of the letters; every other character becomes a space so words never span it.
  const { lower, subs } = asciiLetters(s);
  const extra = (a: number, len: number): number => {
    let k = 0;
    for (let i = a; i < a + len; i++) k += subs[i]!;
    return caseBits(s, a, len) + k;
  };
  let i = 0;
  while (i < n) {
    if (lower.charCodeAt(i) === 32) {
      i++;
      continue;
    }
    let end = i;
    while (end < n && lower.charCodeAt(end) !== 32) end++;
    // Letter run [i, end): try every start within it.
    for (let a = i; a < end; a++) {
      let found: WordMatch | undefined;
      const maxLen = Math.min(MAX_WORD, end - a);
      // Longest first, but only past the stem check: random letter runs rarely start a word stem.
      if (maxLen >= MIN_WORD && dict.stems[stemIndex(lower, a)] === 1) {
        for (let len = maxLen; len >= MIN_WORD; len--) {
          const w = lower.slice(a, a + len);
          const common = dict.common.has(w);
          if (common || dict.words.has(w)) {
            found = { start: a, length: len, common, caseBits: extra(a, len) };
            break;
          }
        }
      }
      // Two- and three-letter common words only matter when common words are costed cheaply.
      for (let len = shortCommon ? Math.min(MIN_WORD - 1, maxLen) : 0; !found && len >= 2; len--) {
        const w = lower.slice(a, a + len);
        if (dict.common.has(w))
          found = { start: a, length: len, common: true, caseBits: caseBits(s, a, len) };
      }
      if (found) out.push(found);
    }
    i = end;
  }
  return out;
}

/** Bits for capitalisation: none for lower case, 1 for Capitalised or UPPER, one per letter otherwise. */
function caseBits(s: string, start: number, len: number): number {
  let upper = 0;
  for (let k = start; k < start + len; k++) {
    const c = s.charCodeAt(k);
    if (c >= 65 && c <= 90) upper++;
  }
  if (upper === 0) return 0;
  const first = s.charCodeAt(start);
  if (upper === len || (upper === 1 && first >= 65 && first <= 90)) return 1;
  return len;
}

/** Typed arrays use the platform's byte order; utf16le decoding of them is exact only on little-endian. */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * ASCII code -> the lower-case letter it reads as (letters, and the common l33t substitutions
 * 0 1 3 4 5 7 @ $ of `p@ssw0rd`, `s3cr3t`), or 32 for a word break. Each substitution costs one bit.
 */
const READS_AS = new Uint8Array(128).fill(32);
const LEET_CHARS = new Uint8Array(128);
for (let c = 65; c <= 90; c++) READS_AS[c] = c + 32;
for (let c = 97; c <= 122; c++) READS_AS[c] = c;
for (const [ch, letter] of [
  ['0', 'o'],
  ['1', 'i'],
  ['3', 'e'],
  ['4', 'a'],
  ['5', 's'],
  ['7', 't'],
  ['@', 'a'],
  ['$', 's'],
] as const) {
  READS_AS[ch.charCodeAt(0)] = letter.charCodeAt(0);
  LEET_CHARS[ch.charCodeAt(0)] = 1;
}

/**
 * Lower-case ASCII letters of `s` (l33t digits and symbols read as the letters they stand for, and
 * flagged in `subs`); every other character becomes a space, so the result has the same length.
 */
function asciiLetters(s: string): { lower: string; subs: Uint8Array } {
  const codes = new Uint16Array(s.length);
  const subs = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 128) {
      codes[i] = READS_AS[c]!;
      subs[i] = LEET_CHARS[c]!;
    } else codes[i] = 32;
  }
  const lower = LITTLE_ENDIAN
    ? Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength).toString('utf16le')
    : String.fromCharCode(...codes);
  return { lower, subs };
}
