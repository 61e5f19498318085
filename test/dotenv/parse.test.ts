import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import dotenv from 'dotenv';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dotenvLayers, dotenvSource } from '../../providers/dotenv.js';
import { formatDotenvLine, parseDotenv } from '../../src/dotenv/parse.js';

const SENTINEL = 'SENTINEL-dotenv-91aa-never-print';

describe('parseDotenv agrees with dotenv on well-formed files', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'A=1\nB=two words\n'],
    ['comments', '# c\nA=1 # trailing\n  # indented\nB=x#y\n'],
    ['export', 'export A=1\nexport   B="q"\n'],
    ['quotes', `A='single $x'\nB="double \\n newline"\nC=\`back 'and' "both"\`\n`],
    ['multiline', 'A="line1\nline2"\nB=\'l1\nl2\'\nC=after\n'],
    ['crlf', 'A=1\r\nB="x\r\ny"\r\nC=3\r'],
    ['colon', 'A: 1\nB:  spaced\n'],
    ['spaces around =', 'A = 1\nB =  "  keep  "\n'],
    ['empty', 'A=\nB=""\nC=\'\'\n'],
    ['duplicates', 'A=1\nA=2\n'],
    ['escaped quote', 'A="say \\"hi\\""\n'],
    ['hash in quotes', 'A="#not a comment"\nB=\'x # y\'\n'],
  ];
  it.each(cases)('%s', (_, text) => {
    const ours = parseDotenv(text);
    expect(ours.issues).toEqual([]);
    expect({ ...ours.values }).toEqual(dotenv.parse(text));
  });

  it('round-trips values through formatDotenvLine (property)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,8}$/),
          fc.string({ maxLength: 30 }).filter((v) => !v.includes('\u0000')),
          { maxKeys: 6 },
        ),
        (record) => {
          const lines: string[] = [];
          const kept: Record<string, string> = {};
          for (const [k, v] of Object.entries(record)) {
            try {
              lines.push(formatDotenvLine(k, v));
              kept[k] = v;
            } catch {
              // A value with every kind of quote cannot be written; formatDotenvLine says so.
            }
          }
          const text = lines.join('\n');
          const parsed = parseDotenv(text);
          expect(parsed.issues).toEqual([]);
          // Unquoted values are trimmed by the format itself, so compare what was written plainly.
          expect({ ...parsed.values }).toEqual(kept);
          expect(dotenv.parse(text)).toEqual(kept);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('parseDotenv reports bad input with line numbers and no values', () => {
  it('an unclosed quote, and goes on reading the next lines', () => {
    const r = parseDotenv(`A="${SENTINEL}\nB=2\n`, 'app.env');
    expect(r.issues).toEqual([
      {
        code: 'DOTENV_UNCLOSED_QUOTE',
        message:
          'app.env:1: the value opens a " quote that is never closed by a quote followed only by blanks or a comment (dotenv would keep the quote and the rest of the line as text)',
        path: ['app.env', 1],
        severity: 'error',
      },
    ]);
    expect(r.values).toEqual({ B: '2' });
    expect(inspect(r.issues)).not.toContain(SENTINEL);
  });

  it('a NUL byte', () => {
    const r = parseDotenv(`A=${SENTINEL}\u0000x\n`);
    expect(r.issues.map((i) => i.code)).toEqual(['DOTENV_NUL']);
    expect(r.values).toEqual({});
    expect(JSON.stringify(r.issues)).not.toContain(SENTINEL);
  });

  it('a line that is not NAME=value', () => {
    const r = parseDotenv('A=1\nthis is prose\nB=2\n');
    expect(r.issues.map((i) => [i.code, i.message])).toEqual([
      [
        'DOTENV_SYNTAX',
        '.env:2: not NAME=value, a comment or a blank line: dotenv would skip it (a value that spans lines needs quotes; a comment starts with #)',
      ],
    ]);
    expect(r.values).toEqual({ A: '1', B: '2' });
  });

  it('text after a closing quote', () => {
    const r = parseDotenv('A="x" y\n');
    expect(r.issues.map((i) => i.code)).toEqual(['DOTENV_TEXT_AFTER_QUOTE']);
  });

  it('a 10 MB line in linear time', () => {
    const big = 'x'.repeat(10 * 1024 * 1024);
    const r = parseDotenv(`BIG=${big}\nNEXT=1\n`);
    expect(r.values.BIG?.length).toBe(big.length);
    expect(r.values.NEXT).toBe('1');
  });

  it('a 10 MB unclosed quote without quadratic rescans', () => {
    const r = parseDotenv(`A="${'y'.repeat(10 * 1024 * 1024)}`);
    expect(r.issues.map((i) => i.code)).toEqual(['DOTENV_UNCLOSED_QUOTE']);
  });

  it('a quoted value dotenv cannot read (its expression overflows at about 8 M characters) is read', () => {
    const text = `A="${'y'.repeat(9_000_000)}"\nB=2\n`;
    expect(() => dotenv.parse(text)).toThrow(RangeError);
    // dotenv's shared expression is left mid-file after the throw: reset it before anyone else parses.
    dotenv.parse('');
    const r = parseDotenv(text);
    expect(r.issues).toEqual([]);
    expect(r.values.A?.length).toBe(9_000_000);
    expect(r.values.B).toBe('2');
  });

  it('20,000 unclosed quotes, each of which makes dotenv scan to the end of the file', () => {
    const text = Array.from({ length: 20_000 }, (_, i) => `K${i}="open`).join('\n');
    const r = parseDotenv(text);
    expect(r.issues).toHaveLength(20_000);
    expect(new Set(r.issues.map((i) => i.code))).toEqual(new Set(['DOTENV_UNCLOSED_QUOTE']));
  });

  it('formatDotenvLine refuses what it cannot write', () => {
    expect(() => formatDotenvLine('A', `'\`"\n`)).toThrow(TypeError);
    expect(() => formatDotenvLine('bad name', 'x')).toThrow(TypeError);
  });
});

describe('dotenvSource', () => {
  it('layers .env, .env.local, .env.<env> and .env.<env>.local, later winning', async () => {
    expect(dotenvLayers('production')).toEqual([
      '.env',
      '.env.local',
      '.env.production',
      '.env.production.local',
    ]);
    expect(dotenvLayers('test')).toEqual(['.env', '.env.test', '.env.test.local']);
    const dir = await mkdtemp(join(tmpdir(), 'ss-layers-'));
    await writeFile(join(dir, '.env'), 'A=base\nB=base\nC=base\nD=base\n');
    await writeFile(join(dir, '.env.local'), 'B=local\n');
    await writeFile(join(dir, '.env.production'), 'C=prod\n');
    await writeFile(join(dir, '.env.production.local'), 'D=prodlocal\n');
    const s = dotenvSource({ cwd: dir, environment: 'production' });
    const read = async (n: string) => (await s.get(n))?.value.reveal();
    expect([await read('A'), await read('B'), await read('C'), await read('D')]).toEqual([
      'base',
      'local',
      'prod',
      'prodlocal',
    ]);
  });

  it('fails every read with ERR_CONFIG_INVALID when a file is broken, naming the line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-broken-'));
    await writeFile(join(dir, '.env'), `GOOD=1\nBAD="${SENTINEL}\n`);
    const s = dotenvSource({ path: join(dir, '.env') });
    const err = await s.get('GOOD').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID', source: 'dotenv' });
    expect((err as Error).message).toContain('.env:2: the value opens a " quote that is never closed');
    expect(inspect(err, { depth: 9, showHidden: true })).not.toContain(SENTINEL);
  });

  it('a missing explicit file is a misconfiguration; a missing layer is not', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-missing-'));
    await expect(dotenvSource({ path: join(dir, 'nope.env') }).get('A')).rejects.toMatchObject({
      code: 'ERR_SOURCE_MISCONFIGURED',
    });
    await expect(dotenvSource({ cwd: dir }).get('A')).resolves.toBeUndefined();
  });

  it('sees a changed file on the next read', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-change-'));
    const f = join(dir, '.env');
    await writeFile(f, 'A=1\n');
    const s = dotenvSource({ path: f });
    expect((await s.get('A'))?.value.reveal()).toBe('1');
    await writeFile(f, 'A=22\n');
    expect((await s.get('A'))?.value.reveal()).toBe('22');
  });
});
