/**
 * Ordered runs: `abcdef`, `987654`, `ABCDEFGH...` (the base64 or hex alphabet written out) and
 * decimal counting (`123456789101112`). A run is a handful of choices (start, direction, length).
 */

/** A sequence found in a string. */
export interface SequenceRun {
  start: number;
  length: number;
  kind: 'alphabet' | 'counting';
  /** Bits needed to describe the run. */
  cost: number;
}

/** Shortest ordered run reported; shorter ones occur by chance in random keys. */
export const MIN_SEQUENCE = 3;

/** Finds maximal runs of consecutive code points (step +1 or -1). Linear. */
export function findAlphabetRuns(s: string, bitsPerChar: number): SequenceRun[] {
  const out: SequenceRun[] = [];
  let start = 0;
  let step = 0;
  for (let i = 1; i <= s.length; i++) {
    const d = i < s.length ? s.charCodeAt(i) - s.charCodeAt(i - 1) : 0;
    if ((d === 1 || d === -1) && (step === 0 || d === step)) {
      step = d;
      continue;
    }
    const len = i - start;
    if (len >= MIN_SEQUENCE) {
      // First character, direction, length.
      out.push({ start, length: len, kind: 'alphabet', cost: bitsPerChar + 1 + Math.log2(len) });
    }
    // The current pair may begin a new run in the other direction.
    if (d === 1 || d === -1) {
      start = i - 1;
      step = d;
    } else {
      start = i;
      step = 0;
    }
  }
  return out;
}

/**
 * Finds decimal counting (`7891011`, `100101102`, `1 2 3 4`, `1,2,3`): at least three consecutive
 * integers written out, optionally with one separator character used between all of them.
 */
export function findCounting(s: string): SequenceRun[] {
  const out: SequenceRun[] = [];
  let i = 0;
  while (i < s.length) {
    let best = 0;
    let bestCost = 0;
    for (let w = 1; w <= 4 && i + w <= s.length; w++) {
      const first = s.slice(i, i + w);
      if (!/^[1-9][0-9]*$/.test(first) && first !== '0') break;
      let n = Number(first);
      let pos = i + w;
      let count = 1;
      let sep = '';
      for (;;) {
        const next = String(n + 1);
        // The separator, if any, is fixed by the first gap: `1 2 3`, `1,2,3`, `1-2-3`.
        const gap = count === 1 && !isDigit(s.charCodeAt(pos)) && pos < s.length ? s[pos]! : sep;
        if (s.startsWith(gap + next, pos)) {
          sep = gap;
          pos += gap.length + next.length;
          n++;
          count++;
        } else break;
      }
      if (count >= 3 && pos - i > best) {
        best = pos - i;
        bestCost = w * Math.log2(10) + Math.log2(count) + 1 + (sep ? 5 : 0);
      }
    }
    if (best > 0) {
      out.push({ start: i, length: best, kind: 'counting', cost: bestCost });
      i += best;
    } else i++;
  }
  return out;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/**
 * Finds two interleaved ordered runs (`a1b2c3d4`, `z9y8x7`): every character one step from the one
 * two places before, each of the two streams keeping its own direction. At least 6 characters.
 */
export function findInterleavedRuns(s: string, bitsPerChar: number): SequenceRun[] {
  const out: SequenceRun[] = [];
  const step = (j: number): number => s.charCodeAt(j) - s.charCodeAt(j - 2);
  let start = 0;
  for (let j = 2; j <= s.length; j++) {
    const ok = j < s.length && Math.abs(step(j)) === 1 && (j - start < 4 || step(j) === step(j - 2));
    if (ok) continue;
    const len = j - start;
    if (len >= 6)
      out.push({ start, length: len, kind: 'alphabet', cost: 2 * bitsPerChar + 2 + Math.log2(len) });
    start = j - 1;
  }
  return out;
}
