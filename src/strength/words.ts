/**
 * The word lists the dictionary rule matches against: a large English list shipped as
 * `data/words.txt` (51,606 lower-case words of 4 to 10 letters derived from SCOWL's size-50
 * American list, see NOTICE) and the short {@link COMMON_WORDS} list. Loaded on first use.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';
import { COMMON_WORDS } from './common-words.js';

/** Loaded dictionaries. */
export interface Dictionary {
  /** Large list, words of {@link MIN_WORD}..{@link MAX_WORD} letters. */
  words: ReadonlySet<string>;
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

/** Path of the shipped word list. */
export function wordListPath(): string {
  return join(packageRoot(), 'data', 'words.txt');
}

/** Loads (once) and returns the dictionaries. */
export function loadDictionary(): Dictionary {
  if (dictionary) return dictionary;
  const words = new Set<string>();
  const stems = new Uint8Array(26 ** MIN_WORD);
  for (const w of readFileSync(wordListPath(), 'utf8').split('\n')) {
    if (w.length >= MIN_WORD && w.length <= MAX_WORD) {
      words.add(w);
      stems[stemIndex(w, 0)] = 1;
    }
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
