/**
 * The differential test of the .env parser against the real `dotenv` package. dotenv's own matches
 * are observed (its line expression's `exec` results, while `dotenv.parse` runs), so the test
 * knows from dotenv itself which text each assignment covers and which lines it skipped. From
 * those alone it derives which documented refusals apply (docs/dotenv.md); then each file must
 * either give exactly `dotenv.parse`'s values with no error, or be refused with exactly those
 * refusals, on exactly those lines.
 *
 * Inputs: a curated corpus (test/dotenv/corpus/, real-world shapes and tricky lines) and generated
 * files, at least 100,000 a run, with JavaScript's Unicode blanks, `:` with blanks around it, line
 * separators, BOMs, CR/CRLF, quotes of every kind, escapes and NULs. The seed is random unless
 * DOTENV_FUZZ_SEED is set; fast-check prints it, and the shrunk file, on failure.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDotenv } from '../../src/dotenv/parse.js';
import { scanDotenv } from '../../src/dotenv/scan.js';

interface Span {
  index: number;
  text: string;
  key: string;
  raw: string | undefined;
}

/** dotenv.parse, and the matches its line expression made (the one expression mentioning `export`). */
function dotenvObserved(text: string): { values: Record<string, string>; spans: Span[] } {
  const spans: Span[] = [];
  const exec = RegExp.prototype.exec;
  RegExp.prototype.exec = function (this: RegExp, s: string) {
    const m = exec.call(this, s);
    if (m && this.source.includes('export'))
      spans.push({ index: m.index, text: m[0], key: m[1]!, raw: m[2] });
    return m;
  };
  try {
    return { values: dotenv.parse(text), spans };
  } finally {
    RegExp.prototype.exec = exec;
  }
}

/** A whole quoted string as dotenv's quoted forms read one (the backslash-quote pair included). */
const QUOTED = /^\s*(?:'(?:\\'|[^'])*'|"(?:\\"|[^"])*"|`(?:\\`|[^`])*`)$/;

/** Offsets where `pattern` (one character, global) matches in `text`. */
function marks(text: string, pattern: RegExp): Uint8Array {
  const out = new Uint8Array(text.length);
  for (const m of text.matchAll(pattern)) out[m.index] = 1;
  return out;
}

/** The refusals docs/dotenv.md documents, derived from dotenv's own matches: [line, code] sorted. */
function expectedRefusals(text: string, spans: readonly Span[]): Array<[number, string]> {
  const norm = text.replace(/\r\n?/g, '\n');
  const lf = [...norm.matchAll(/\n/g)].map((m) => m.index);
  const lineOf = (at: number) => 1 + lf.filter((x) => x < at).length;
  const blank = marks(norm, /\s/g);
  const brk = marks(norm, /[\n\r\u2028\u2029]/g);
  const out: Array<[number, string]> = [];
  // Skipped text: outside every match, a dotenv line whose first non-blank character is not `#`.
  const covered = new Uint8Array(norm.length);
  for (const s of spans) covered.fill(1, s.index, s.index + s.text.length);
  let lineStart = true;
  const skipped = new Set<number>();
  for (let i = 0; i < norm.length; i++) {
    if (brk[i]) lineStart = true;
    else if (lineStart && !blank[i]) {
      lineStart = false;
      if (!covered[i] && norm[i] !== '#') skipped.add(lineOf(i));
    }
  }
  for (const line of skipped) out.push([line, 'DOTENV_SYNTAX']);
  for (const s of spans) {
    // Where the name is: after the leading blanks, and after `export` and blanks when dotenv took that path.
    const lead = s.text.length - s.text.trimStart().length;
    let keyAt = lead;
    const afterExport = /^export\s+/.exec(s.text.slice(lead));
    if (afterExport && s.text.startsWith(s.key, lead + afterExport[0].length))
      keyAt = lead + afterExport[0].length;
    const keyEnd = keyAt + s.key.length;
    const eq = /^\s*=/.exec(s.text.slice(keyEnd));
    const sepAt = eq ? keyEnd + eq[0].length - 1 : keyEnd;
    const rawAt = eq ? sepAt + 1 : keyEnd + 2;
    const raw = s.raw ?? '';
    if (!s.text.startsWith(s.key, keyAt) || (raw && !s.text.startsWith(raw, rawAt))) {
      throw new Error(`the test misplaced a part of dotenv's match ${JSON.stringify(s)}`);
    }
    const contentAt = raw.trim() ? rawAt + (raw.length - raw.trimStart().length) : sepAt;
    const line = lineOf(s.index + keyAt);
    const quoted = raw !== '' && QUOTED.test(raw);
    if (norm.slice(s.index + keyAt, s.index + contentAt).includes('\n'))
      out.push([line, 'DOTENV_SPLIT_LINE']);
    else if (!quoted && /^['"`]/.test(raw.trim())) out.push([line, 'DOTENV_UNCLOSED_QUOTE']);
    else if (raw.includes('\u0000')) out.push([line, 'DOTENV_NUL']);
  }
  return out.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
}

/** Fails with a diff when `actual` and `expected` differ (compared as JSON first: 100,000 files must be quick). */
function same(actual: unknown, expected: unknown, what: string): void {
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual, what).toEqual(expected);
}

/** The whole check for one file; returns whether it was refused. */
function check(text: string): boolean {
  const { values, spans } = dotenvObserved(text);
  same(
    scanDotenv(text).assignments.map((a) => [a.span[0], a.span[1], a.key]),
    spans.map((s) => [s.index, s.index + s.text.length, s.key]),
    "the matches differ from dotenv's",
  );
  const ours = parseDotenv(text);
  const errors = ours.issues.filter((i) => i.severity === 'error');
  // Text-after-quote and unclosed quote are one rule (a plain value that opens with a quote).
  const got = errors
    .map((i): [number, string] => [
      i.path![1] as number,
      i.code === 'DOTENV_TEXT_AFTER_QUOTE' ? 'DOTENV_UNCLOSED_QUOTE' : i.code,
    ])
    .sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  same(got, expectedRefusals(text, spans), 'the refusals differ from the documented ones');
  if (errors.length === 0) {
    const sorted = (o: Record<string, string>) => Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1));
    same(sorted(ours.values), sorted(values), 'the values differ from dotenv.parse');
  }
  return errors.length > 0;
}

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

describe('parseDotenv against dotenv: the curated corpus', () => {
  const dir = here('../dotenv/corpus/');
  const files = readdirSync(dir).filter((f) => f.endsWith('.env'));
  it.each(files)('%s', (file) => {
    const bytes = readFileSync(dir + file);
    const utf8 = parseDotenv(bytes).issues.filter((i) => i.code === 'DOTENV_INVALID_UTF8');
    // dotenv reads bytes that are not UTF-8 as U+FFFD; they are refused before any parsing.
    const refused = utf8.length > 0 || check(bytes.toString('utf8'));
    // Files under corpus/ read cleanly; the refused ones are named refused-*.env.
    expect(refused).toBe(file.startsWith('refused-'));
  });
});

// Generated files: structured lines from the shapes that matter, and free soups of the characters
// dotenv's grammar turns on. Every blank is one of JavaScript's `\s`.
const blanks = [
  ' ',
  '\t',
  '\v',
  '\f',
  '\u00a0',
  '\u1680',
  '\u2000',
  '\u2009',
  '\u200a',
  '\u202f',
  '\u205f',
  '\u3000',
  '\ufeff',
];
const breaks = ['\n', '\r\n', '\r', '\u2028', '\u2029'];
// Built from constantFrom and flat arrays only: nested oneof/tuple arbitraries cost ~10x more a file.
const leading = fc.constantFrom(
  '',
  '',
  '',
  ' ',
  '\t',
  '\u00a0',
  '\u3000',
  '\ufeff',
  '\u2028',
  ' \n',
  '\n\u2000',
);
const key = fc.constantFrom('A', 'B', 'KEY_1', 'a.b-c', 'export', '__proto__', 'constructor', '_', '9');
// Letters, the characters dotenv's grammar turns on, escapes, a NUL, an astral character, blanks, breaks.
const valueChar = fc.constantFrom(
  ...'a Z 0 # = : $ {'.split(' '),
  ' ',
  "'",
  '"',
  '`',
  '\\',
  '\\n',
  '\\r',
  'é',
  '\u{1f511}',
  '\u0000',
  ...blanks,
  ...breaks,
);
const valueText = fc.array(valueChar, { maxLength: 8 }).map((a) => a.join(''));
const opening = fc.constantFrom('', '', '', "'", '"', '`', ' "', "\u00a0'");
const closing = fc.constantFrom('', '', "'", '"', '`', '\\"', "' ", '" x', '"#c');
const separator = fc.constantFrom(
  ...['=', ' =', '= ', ' = ', ':', ': ', ' : ', ':=', ':\t', ':\n', '=\n', '\n='],
  ':\u00a0',
  ':\u2028',
);
const tail = fc.constantFrom('', '', ' ', ' # c', '#c', '\t#', ' x', '\u2028B=2', '\u2029#c\u2028C=3');
const exportWord = fc.constantFrom('', '', '', 'export ', 'export\t', 'export\n', 'export  ');
const line = fc
  .tuple(leading, exportWord, key, separator, opening, valueText, closing, tail)
  .map((parts) => parts.join(''));
const otherLine = fc.constantFrom(
  '',
  '# comment',
  '  # indented',
  'not an assignment',
  '-----BEGIN X-----',
  'export',
  'K:',
  '"',
);
const structured = fc
  .tuple(
    fc.array(fc.oneof({ weight: 4, arbitrary: line }, { weight: 1, arbitrary: otherLine }), { maxLength: 6 }),
    fc.constantFrom(...breaks),
    fc.constantFrom('', '\n', '\r\n', '\ufeff'),
  )
  .map(([lines, eol, edge]) => (edge === '\ufeff' ? edge + lines.join(eol) : lines.join(eol) + edge));
const soupChar = fc.constantFrom(
  'A',
  'b',
  'export',
  '=',
  ':',
  '#',
  "'",
  '"',
  '`',
  '\\',
  'x y',
  '\u0000',
  ...blanks,
  ...breaks,
);
const soup = fc.array(soupChar, { maxLength: 24 }).map((a) => a.join(''));

const seed = process.env.DOTENV_FUZZ_SEED
  ? Number(process.env.DOTENV_FUZZ_SEED)
  : Date.now() ^ (Math.random() * 2 ** 31);
const RUNS = { structured: Number(process.env.DOTENV_FUZZ_RUNS ?? 70_000), soup: 30_000 };

describe(`parseDotenv against dotenv: ${RUNS.structured + RUNS.soup} generated files (seed ${seed})`, () => {
  it.each([
    ['structured lines', structured, RUNS.structured],
    ['character soups', soup, RUNS.soup],
  ] as const)('%s', (_, files, numRuns) => {
    let refused = 0;
    fc.assert(
      fc.property(files, (text) => {
        if (check(text)) refused++;
      }),
      { numRuns, seed },
    );
    // Both outcomes are exercised: most files read as dotenv reads them, many are refused.
    expect(refused).toBeGreaterThan(numRuns / 20);
    expect(refused).toBeLessThan(numRuns * 0.95);
  });
});
