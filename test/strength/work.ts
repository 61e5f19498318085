/**
 * Counts the work a strength check does on a long value, without a clock (tests never assert
 * wall-clock times; `bench/strength.bench.ts` times the same inputs).
 *
 * The engine is linear because everything that could be super-linear (the structure search for
 * repeats, sequences, walks and words) reads only the first ANALYSIS_WINDOW characters, and what
 * sees the whole value is a fixed number of passes. Both halves are observed here while the check
 * runs, by wrapping the String and RegExp methods the engine reads text with. The value's copies
 * are the strings longer than the window and at most {@link COPY_SLACK} characters shorter than
 * the value (trimmed, without `0x`, `base64:` or padding); the word list the window's word search
 * reads (one 440 KB string) is window work and is left out by that length test.
 * - every character read of a copy (`charCodeAt`, `codePointAt`, `charAt`, `at`) at an index past
 *   the window: a linear engine reads each such character a bounded number of times, whatever
 *   the length, and a quadratic loop or an uncapped window reads it thousands of times;
 * - every other String method called on a copy (`trim`, `slice`, `indexOf`, iteration...): each
 *   is one linear pass, and their number must not grow with the length (a loop calling `indexOf`
 *   from every position would);
 * - every regular expression run over a string longer than the window: it must be one reviewed in
 *   {@link WHOLE_VALUE_REGEXES}, linear by construction (a backtracking one would be ReDoS).
 * The engine reads characters with `charCodeAt`; a loop indexing with `s[i]` past the window is
 * not seen (V8 offers no hook for it), which is why its regexes and method calls are counted too.
 */
import { ANALYSIS_WINDOW } from '../../src/strength/context.js';

/** How much shorter than the value a string may be and still count as its copy. */
export const COPY_SLACK = 64;
/** Reads per character past the window a check may make: a few whole passes (measured: 4 to 7). */
export const MAX_READS_PER_CHAR = 12;
/** String method calls on the whole value (measured: 6 or 7 at 100 KB and at 1 MB alike). */
export const MAX_WHOLE_CALLS = 16;
/**
 * The regular expressions allowed to run over more than the window, each reviewed as linear:
 * - `^(base64|hex):` (alphabet.ts, the named-encoding prefix): anchored, matches at most 7
 *   characters, so it stops after 7 whatever the length.
 */
export const WHOLE_VALUE_REGEXES: readonly string[] = ['/^(base64|hex):/i'];

/** The most character reads past the window a check of a value of `length` may make. */
export function readBudget(length: number): number {
  return MAX_READS_PER_CHAR * Math.max(0, length - ANALYSIS_WINDOW);
}

/** What {@link countWork} saw. */
export interface Work {
  /** Character reads of the value's copies at an index at or past ANALYSIS_WINDOW. */
  tailReads: number;
  /** Other String method calls on the value's copies, by method. */
  wholeCalls: Record<string, number>;
  /** Regular expressions run over a string longer than the window, as `/source/flags`. */
  wholeRegexes: string[];
}

const READS = new Set(['charCodeAt', 'codePointAt', 'charAt', 'at']);
type Method = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Runs `f` (synchronous) with the String and RegExp methods counted, and restores them after.
 * Throws once the reads past the window exceed `MAX_READS_PER_CHAR` per character of a value of
 * `length`, so a quadratic engine fails at once instead of running for minutes (a throw the
 * engine swallows still leaves the count over the budget for the caller's assertion).
 */
export function countWork<T>(length: number, f: () => T): { result: T; work: Work } {
  const budget = readBudget(length);
  const isCopy = (s: unknown): boolean =>
    typeof s === 'string' &&
    s.length > ANALYSIS_WINDOW &&
    s.length <= length &&
    s.length >= length - COPY_SLACK;
  const work: Work = { tailReads: 0, wholeCalls: {}, wholeRegexes: [] };
  const proto = String.prototype as unknown as Record<PropertyKey, Method>;
  const keys: PropertyKey[] = [
    ...Object.getOwnPropertyNames(String.prototype).filter(
      (k) => !['constructor', 'length', 'toString', 'valueOf'].includes(k) && typeof proto[k] === 'function',
    ),
    Symbol.iterator,
  ];
  const saved = keys.map((k) => [k, proto[k]!] as const);
  const exec = RegExp.prototype.exec;
  for (const [k, original] of saved) {
    const name = String(k);
    // Character reads get a one-argument wrapper: the engine makes millions of them.
    proto[k] = READS.has(name)
      ? function (this: unknown, i: unknown) {
          if ((i as number) >= ANALYSIS_WINDOW && isCopy(this) && ++work.tailReads > budget) {
            throw new Error(`more than ${MAX_READS_PER_CHAR} reads per character past the analysis window`);
          }
          return original.call(this, i);
        }
      : function (this: unknown, ...args: unknown[]) {
          if (isCopy(this)) {
            work.wholeCalls[name] = (work.wholeCalls[name] ?? 0) + 1;
          }
          return original.apply(this, args);
        };
  }
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const key = `/${this.source}/${this.flags}`;
    if (typeof s === 'string' && s.length > ANALYSIS_WINDOW && !work.wholeRegexes.includes(key)) {
      work.wholeRegexes.push(key);
    }
    return exec.call(this, s);
  };
  try {
    return { result: f(), work };
  } finally {
    for (const [k, original] of saved) proto[k] = original;
    RegExp.prototype.exec = exec;
  }
}

/** Total of {@link Work.wholeCalls}. */
export function wholeCallCount(work: Work): number {
  return Object.values(work.wholeCalls).reduce((a, b) => a + b, 0);
}
