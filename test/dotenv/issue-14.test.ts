/**
 * Issue 14's .env reproductions: each read differently from dotenv on main (NBSP before a quote
 * kept the quotes, `K : v` replaced a value, a last `K:` added a key, U+2028 in a comment dropped
 * the next key, `__proto__` was kept, a BOM failed the file, bad UTF-8 became U+FFFD).
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import dotenv from 'dotenv';
import { describe, expect, it } from 'vitest';
import { dotenvSource } from '../../providers/dotenv.js';
import { parseDotenv } from '../../src/dotenv/parse.js';

/** The codes of the errors (not warnings) found. */
const errors = (text: string) =>
  parseDotenv(text)
    .issues.filter((i) => i.severity === 'error')
    .map((i) => [i.code, i.path?.[1]]);

describe('issue 14: .env parsing differs from dotenv', () => {
  it('K=<NBSP>"x" unquotes like dotenv', () => {
    const text = 'K=\u00a0"x"\n';
    expect({ ...parseDotenv(text).values }).toEqual({ K: 'x' });
    expect(dotenv.parse(text)).toEqual({ K: 'x' });
  });

  it('API_KEY : placeholder never replaces API_KEY=real: the line dotenv skips is refused', () => {
    const text = 'API_KEY=real\nAPI_KEY : placeholder\n';
    expect(dotenv.parse(text)).toEqual({ API_KEY: 'real' });
    expect(errors(text)).toEqual([['DOTENV_SYNTAX', 2]]);
    expect(parseDotenv(text).values.API_KEY).toBe('real');
    expect(JSON.stringify(parseDotenv(text).issues)).not.toContain('placeholder');
  });

  it('a last line K: adds no key (dotenv skips it, so it is refused)', () => {
    expect(dotenv.parse('A=1\nK:')).toEqual({ A: '1' });
    expect(Object.hasOwn(parseDotenv('A=1\nK:').values, 'K')).toBe(false);
    expect(errors('A=1\nK:')).toEqual([['DOTENV_SYNTAX', 2]]);
  });

  it('A=x # c<U+2028>B=2 keeps B, as dotenv does', () => {
    const text = 'A=x # c\u2028B=2\n';
    expect({ ...parseDotenv(text).values }).toEqual({ A: 'x', B: '2' });
    expect(dotenv.parse(text)).toEqual({ A: 'x', B: '2' });
  });

  it('__proto__=val is dropped as dotenv drops it, with a warning', () => {
    const r = parseDotenv('__proto__=val\nA=1\n');
    expect(Object.hasOwn(r.values, '__proto__')).toBe(false);
    expect({ ...r.values }).toEqual(dotenv.parse('__proto__=val\nA=1\n'));
    expect(r.issues.map((i) => [i.code, i.severity])).toEqual([['DOTENV_PROTO', 'warning']]);
  });

  it('a UTF-8 BOM reads like dotenv', () => {
    const bytes = Buffer.from('\ufeffA=1\nB=2\n');
    expect(parseDotenv(bytes).issues).toEqual([]);
    expect({ ...parseDotenv(bytes).values }).toEqual(dotenv.parse(bytes));
  });

  it('invalid UTF-8 is refused with its line, not read as U+FFFD', async () => {
    const bytes = Buffer.concat([Buffer.from('A=1\nB=x'), Buffer.from([0xff, 0xfe]), Buffer.from('y\n')]);
    expect(dotenv.parse(bytes).B).toBe('x\ufffd\ufffdy');
    expect(parseDotenv(bytes, 'app.env').issues).toEqual([
      {
        code: 'DOTENV_INVALID_UTF8',
        message: 'app.env:2: bytes that are not UTF-8',
        path: ['app.env', 2],
        severity: 'error',
      },
    ]);
    const dir = await mkdtemp(join(tmpdir(), 'ss-utf8-'));
    await writeFile(join(dir, '.env'), bytes);
    await expect(dotenvSource({ path: join(dir, '.env') }).get('A')).rejects.toMatchObject({
      code: 'ERR_CONFIG_INVALID',
    });
  });
});
