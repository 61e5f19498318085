/**
 * Well-formed files and the writer: whole generated files in the shapes people write (export, `:`
 * and spaced `=`, three quote kinds spanning lines, trailing comments, CRLF, comment and blank
 * lines, duplicates) must give exactly `dotenv.parse`'s values with no issue, and every value
 * `formatDotenvLine` writes must read back the same in our parser and in dotenv. Malformed and
 * Unicode-blank inputs are test/fuzz/dotenv-differential.test.ts's.
 */
import dotenv from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatDotenvLine, parseDotenv } from '../../src/dotenv/parse.js';

const key = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_.-]{0,10}$/);
/** Unquoted: no '#', no line break, not starting with a quote; inner spaces kept, ends trimmed. */
const unquoted = fc
  .stringMatching(/^[A-Za-z0-9_\-.,/:@+=%^~*!$&()[\]{}|;<>?\\ '"`]{0,20}$/)
  .filter((v) => !/^\s*['"`]/.test(v));
/** Quoted content: anything but that quote, NUL or a trailing backslash; may span lines. */
const inner = (q: string) =>
  fc
    .string({
      maxLength: 24,
      unit: fc.constantFrom('a', 'Z', '9', ' ', '#', '\\', '$', '=', '\n', '"', "'", '`', 'é', '\t'),
    })
    .filter((v) => !v.includes(q) && !v.endsWith('\\'));

const line = fc.record({
  exp: fc.boolean(),
  key,
  sep: fc.constantFrom('=', ' = ', '= ', ': ', ' =  '),
  value: fc.oneof(
    unquoted,
    inner("'").map((v) => `'${v}'`),
    inner('"').map((v) => `"${v}"`),
    inner('`').map((v) => `\`${v}\``),
  ),
  tail: fc.constantFrom('', ' ', '  # a comment', '\t#c'),
  before: fc.constantFrom('', '', '# comment line\n', '\n', '   \n'),
});

const file = fc.record({
  lines: fc.array(line, { maxLength: 8 }),
  eol: fc.constantFrom('\n', '\r\n'),
  last: fc.constantFrom('', '\n'),
});

describe('parseDotenv on generated well-formed files', () => {
  it('returns exactly what dotenv.parse returns, with no issue (property)', () => {
    fc.assert(
      fc.property(file, ({ lines, eol, last }) => {
        const text =
          lines
            .map((l) => {
              // An unquoted value cannot carry a comment-looking tail without changing meaning; keep it simple.
              const tail = /^['"`]/.test(l.value) ? l.tail : l.tail.includes('#') ? ' #c' : '';
              const sep = l.sep.startsWith(':') && l.value === '' ? '=' : l.sep;
              return `${l.before}${l.exp ? 'export ' : ''}${l.key}${sep}${l.value}${tail}`;
            })
            .join(eol)
            .replace(/\n/g, eol) + last;
        const ours = parseDotenv(text);
        expect(ours.issues).toEqual([]);
        expect({ ...ours.values }).toEqual(dotenv.parse(text));
      }),
      { numRuns: 600, seed: 51 },
    );
  });
});

describe('formatDotenvLine round trips', () => {
  const value = fc.string({
    maxLength: 16,
    unit: fc.constantFrom('a', ' ', '\\', "'", '"', '`', '#', '\n', 'n', 'r', '=', '$', '\r'),
  });

  it('every value it writes reads back the same, in our parser and in dotenv, next to other lines (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(key, value), { minLength: 1, maxLength: 5 }), (pairs) => {
        const kept = new Map<string, string>();
        const lines: string[] = [];
        for (const [k, v] of pairs) {
          let written: string;
          try {
            written = formatDotenvLine(k, v);
          } catch (e) {
            // It may refuse, but only with a TypeError saying why.
            expect(e).toBeInstanceOf(TypeError);
            continue;
          }
          lines.push(written);
          kept.delete(k);
          kept.set(k, v);
        }
        const text = lines.join('\n');
        const parsed = parseDotenv(text);
        expect(parsed.issues).toEqual([]);
        expect({ ...parsed.values }).toEqual(Object.fromEntries(kept));
        expect(dotenv.parse(text)).toEqual(Object.fromEntries(kept));
      }),
      { numRuns: 1000, seed: 52 },
    );
  });

  it('a value ending in a backslash, followed by a line with a quote, keeps both lines apart', () => {
    const text = [formatDotenvLine('A', 'x\\'), formatDotenvLine('B', '#')].join('\n');
    expect({ ...parseDotenv(text).values }).toEqual({ A: 'x\\', B: '#' });
    expect(dotenv.parse(text)).toEqual({ A: 'x\\', B: '#' });
  });
});
