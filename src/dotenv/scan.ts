/**
 * A scanner that reads .env text the way `dotenv.parse` (dotenv 16–18) does, and says where each
 * assignment is. It is written by hand, and `dotenv.parse` is not called at run time, because:
 * - dotenv returns only values: no line numbers, and lines it cannot read vanish without a trace,
 *   so a line-numbered diagnosis needs to know where dotenv's matches start and end anyway, and
 *   that is all the grammar there is;
 * - dotenv's regular expression throws RangeError on a quoted value of about 8 M characters (V8's
 *   backtracking stack) and then leaves its shared `/g` expression mid-file, so the next
 *   `dotenv.parse` anywhere in the process skips the start of its input: a library must not do
 *   that to its host app. This scanner is linear and keeps no state between calls;
 * - `node:util.parseEnv` follows another grammar (a BOM or `export\n` becomes part of a name, no
 *   `NAME: value`, `NAME=<NBSP>"x"` keeps its quotes), exists only from Node 20.12, and has no
 *   line numbers either.
 * The differential test in test/fuzz/dotenv-differential.test.ts holds this file to dotenv's
 * answers on a curated corpus and on 100,000+ generated files per run.
 *
 * dotenv's grammar, as this file reads it (`blank` is JavaScript's `\s`, `break` is LF, U+2028 or
 * U+2029 after CRLF and CR became LF): a match starts at the start of the text or after a break;
 * blanks (line breaks too), an optional `export` and blanks, a name of `[A-Za-z0-9_.-]`, then
 * `=` after any blanks, or `:` and exactly one blank; the value is a quoted string after any blanks
 * (closed by a quote that only blanks, then a comment or a break, follow), else the rest of the
 * line up to `#`, trimmed. Text where no match starts is skipped.
 */

/** One assignment dotenv reads, with where it is. */
export interface ScannedAssignment {
  key: string;
  /** The value exactly as `dotenv.parse` returns it. */
  value: string;
  /** 1-based line of the name. */
  line: number;
  /** Where dotenv's match starts and ends, in the text with CRLF and CR turned into LF. */
  span: [number, number];
  /** `quoted` ('…', "…", `…`), `plain` (unquoted text) or `empty`. */
  form: 'quoted' | 'plain' | 'empty';
  /** For a plain value that begins with a quote: that quote (dotenv kept it as text). */
  strayQuote?: string | undefined;
  /** True when an unescaped quote of that kind follows on the same line (it closes, but text follows it). */
  quoteCloses?: boolean | undefined;
  /** True when the `=`, or the start of the value, is on a later line than the name (outside quotes). */
  split: boolean;
}

/** What dotenv reads from a text, and the lines it skips that are neither blank nor a comment. */
export interface DotenvScan {
  assignments: ScannedAssignment[];
  /** 1-based lines holding text dotenv skips (not blank, not a comment). */
  skipped: number[];
}

const QUOTES = '\'"`';

/** JavaScript's `\s`: what dotenv's expression and `String.prototype.trim` treat as blank. */
export function isBlank(c: number): boolean {
  if (c <= 32) return c === 32 || (c >= 9 && c <= 13);
  if (c < 160) return false;
  return (
    c === 160 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

/** A line terminator for `^`, `$` and `.` in JavaScript's multiline mode. */
function isBreak(c: number): boolean {
  return c === 10 || c === 13 || c === 0x2028 || c === 0x2029;
}

function isKeyChar(c: number): boolean {
  return (
    (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95 || c === 46 || c === 45
  );
}

/** Scans `input` (CRLF and CR are turned into LF first, as dotenv does). */
export function scanDotenv(input: string): DotenvScan {
  const text = input.replace(/\r\n?/g, '\n');
  return new Scanner(text).run();
}

class Scanner {
  readonly n: number;
  /** Offsets of every LF, for line numbers. */
  readonly lf: number[] = [];
  /** Per quote kind: offsets of that quote with and without a backslash before it. */
  readonly plainQuotes = new Map<number, number[]>();
  readonly escapedQuotes = new Map<number, number[]>();
  readonly assignments: ScannedAssignment[] = [];
  readonly skipped = new Set<number>();

  constructor(readonly text: string) {
    this.n = text.length;
    for (const q of QUOTES) {
      this.plainQuotes.set(q.charCodeAt(0), []);
      this.escapedQuotes.set(q.charCodeAt(0), []);
    }
    for (let i = 0; i < this.n; i++) {
      const c = text.charCodeAt(i);
      if (c === 10) this.lf.push(i);
      else if (c === 39 || c === 34 || c === 96) {
        const escaped = i > 0 && text.charCodeAt(i - 1) === 92;
        (escaped ? this.escapedQuotes : this.plainQuotes).get(c)!.push(i);
      }
    }
  }

  run(): DotenvScan {
    let pos = 0;
    while (pos < this.n) {
      // Candidate starts: `pos` when a line starts there, then each position after a break.
      let p = pos;
      let end = -1;
      while (p < this.n) {
        if (p === 0 || isBreak(this.text.charCodeAt(p - 1))) {
          const i = this.skipBlanks(p);
          end = this.matchAt(i, p);
          if (end >= 0) break;
          // Every line start up to `i` skips the same blanks to the same failure: go past them.
          p = i + 1;
          continue;
        }
        p++;
      }
      this.noteSkipped(pos, end >= 0 ? p : this.n);
      if (end < 0) break;
      pos = end;
    }
    return { assignments: this.assignments, skipped: [...this.skipped].sort((a, b) => a - b) };
  }

  /** The offset of the LF ending the line that holds `at` (or the end of the text). */
  lineEnd(at: number): number {
    const next = this.lf[firstAbove(this.lf, at - 1)];
    return next ?? this.n;
  }

  /** 1-based line of an offset. */
  line(at: number): number {
    let lo = 0;
    let hi = this.lf.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.lf[mid]! < at) lo = mid + 1;
      else hi = mid;
    }
    return lo + 1;
  }

  skipBlanks(i: number): number {
    while (i < this.n && isBlank(this.text.charCodeAt(i))) i++;
    return i;
  }

  /** Records lines in [from, to) whose first non-blank character is not `#`. */
  noteSkipped(from: number, to: number): void {
    let atLineStart = true;
    for (let i = from; i < to; i++) {
      const c = this.text.charCodeAt(i);
      if (isBreak(c)) atLineStart = true;
      else if (atLineStart && !isBlank(c)) {
        atLineStart = false;
        if (c !== 35) this.skipped.add(this.line(i));
      }
    }
  }

  /** Tries a match at line start `p`, whose leading blanks end at `i`; returns where it ends, or -1. */
  matchAt(i: number, p: number): number {
    const t = this.text;
    // `export` and its blanks are optional: with them first, then without (the name may be `export`).
    if (t.startsWith('export', i) && isBlank(t.charCodeAt(i + 6))) {
      const end = this.fromName(this.skipBlanks(i + 6), p);
      if (end >= 0) return end;
    }
    return this.fromName(i, p);
  }

  /** The name at `k0`, a separator and a value; the match began at `p`. */
  fromName(k0: number, p: number): number {
    const t = this.text;
    let k = k0;
    while (k < this.n && isKeyChar(t.charCodeAt(k))) k++;
    if (k === k0) return -1;
    const s = this.skipBlanks(k);
    let sep: number;
    let v: number;
    if (t.charCodeAt(s) === 61) {
      sep = s;
      v = s + 1;
    } else if (t.charCodeAt(k) === 58 && k + 1 < this.n && isBlank(t.charCodeAt(k + 1))) {
      // `:` takes exactly one blank, and that may be a line break: then the value is on the next line.
      sep = k;
      v = k + 2;
    } else return -1;
    const key = t.slice(k0, k);
    const line = this.line(k0);
    const { value, end, at, ...rest } = this.value(v, sep);
    this.assignments.push({ key, value, line, span: [p, end], ...rest, split: this.line(at) !== line });
    return end;
  }

  /** The value group at `v` (dotenv's alternatives in order), and where the match ends. */
  value(
    v: number,
    sep: number,
  ): Pick<ScannedAssignment, 'value' | 'form' | 'strayQuote' | 'quoteCloses'> & { at: number; end: number } {
    const t = this.text;
    const a = this.skipBlanks(v);
    const q = t.charCodeAt(a);
    if (q === 39 || q === 34 || q === 96) {
      const quoted = this.closeQuote(a, q);
      if (quoted) {
        const inner = t.slice(a + 1, quoted.close);
        const value = q === 34 ? expandEscapes(inner) : inner;
        return { value, form: 'quoted', at: a, end: quoted.end };
      }
    }
    // The rest of the line, up to `#` or LF (U+2028 and U+2029 included), trimmed.
    let e = v;
    while (e < this.n) {
      const c = t.charCodeAt(e);
      if (c === 35 || c === 10) break;
      e++;
    }
    const raw = t.slice(v, e).trim();
    if (raw.length === 0) return { value: '', form: 'empty', at: sep, end: this.tail(e) };
    const first = this.skipBlanks(v);
    const opening = raw.charCodeAt(0);
    const stripped = stripQuotePairs(raw);
    const value = opening === 34 ? expandEscapes(stripped) : stripped;
    const stray =
      opening === 39 || opening === 34 || opening === 96
        ? {
            strayQuote: raw[0],
            quoteCloses: (this.nextPlainQuote(opening, first) ?? this.n) < this.lineEnd(first),
          }
        : {};
    return { value, form: 'plain', ...stray, at: first, end: this.tail(e) };
  }

  /** The first unescaped quote of kind `q` after `at`. */
  nextPlainQuote(q: number, at: number): number | undefined {
    const list = this.plainQuotes.get(q)!;
    const i = firstAbove(list, at);
    return list[i];
  }

  /**
   * dotenv's `q(?:\\q|[^q])*q` followed by the tail: the first unescaped quote closes; when the
   * tail does not follow it, each escaped quote before it is tried, the last one first.
   */
  closeQuote(a: number, q: number): { close: number; end: number } | undefined {
    const first = this.nextPlainQuote(q, a);
    if (first !== undefined) {
      const end = this.tail(first + 1);
      if (end >= 0) return { close: first, end };
    }
    const escaped = this.escapedQuotes.get(q)!;
    const lo = firstAbove(escaped, a);
    for (let i = firstAbove(escaped, (first ?? this.n) - 1) - 1; i >= lo; i--) {
      const c = escaped[i]!;
      const end = this.tail(c + 1);
      if (end >= 0) return { close: c, end };
    }
    return undefined;
  }

  /** `\s*(?:#.*)?$` with backtracking: where it ends, or -1 when it cannot match at `from`. */
  tail(from: number): number {
    const w = this.skipBlanks(from);
    if (w >= this.n) return this.n;
    if (this.text.charCodeAt(w) === 35) {
      let e = w + 1;
      while (e < this.n && !isBreak(this.text.charCodeAt(e))) e++;
      return e;
    }
    for (let x = w - 1; x >= from; x--) if (isBreak(this.text.charCodeAt(x))) return x;
    return -1;
  }
}

/** dotenv turns the two characters `\\n` and `\\r` into LF and CR in a value that starts with `"`. */
function expandEscapes(v: string): string {
  return v.replaceAll('\\n', '\n').replaceAll('\\r', '\r');
}

/** Index of the first element of the ascending `list` greater than `at`. */
function firstAbove(list: readonly number[], at: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (list[mid]! <= at) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * dotenv removes a pair of like quotes that starts a line of the value and ends one (its
 * multiline `^(['"`])([\s\S]*)\1$` replacement): normally the whole value's outer quotes, but
 * inside a plain value a U+2028 or U+2029 also starts a line.
 */
export function stripQuotePairs(v: string): string {
  let out = '';
  let last = 0;
  let p = 0;
  const n = v.length;
  while (p < n) {
    let found: { s: number; z: number } | undefined;
    for (let s = p; s < n && !found; s++) {
      if (s > 0 && !isBreak(v.charCodeAt(s - 1))) continue;
      const q = v.charCodeAt(s);
      if (q !== 39 && q !== 34 && q !== 96) continue;
      for (let z = n - 1; z > s; z--) {
        if (v.charCodeAt(z) === q && (z + 1 === n || isBreak(v.charCodeAt(z + 1)))) {
          found = { s, z };
          break;
        }
      }
    }
    if (!found) break;
    out += v.slice(last, found.s) + v.slice(found.s + 1, found.z);
    last = found.z + 1;
    p = found.z + 1;
  }
  return last === 0 ? v : out + v.slice(last);
}
