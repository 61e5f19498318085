/**
 * Parse errors name the file, the line and the rule broken, never any text of the file: a line
 * without "=" is often a value (an unquoted PEM body, the lines after a lost closing quote, a
 * pasted token). Checked on the issues, the thrown error and the resolver's `error` event, with
 * every 8-character piece of the planted value.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { dotenvSource } from '../../providers/dotenv.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { SecretEvent } from '../../src/core/events.js';
import { parseDotenv } from '../../src/dotenv/parse.js';
import { createResolver } from '../../src/resolver/resolver.js';

/** A value that looks like key material: base64 letters only, so every line of it is one "name". */
const SECRET = 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4';

/** Every 8-character piece of the secret: none may appear anywhere. */
function expectNoPiece(text: string): void {
  for (let i = 0; i + 8 <= SECRET.length; i++) {
    const piece = SECRET.slice(i, i + 8);
    if (text.includes(piece)) throw new Error(`found a piece of the secret at offset ${i}`);
  }
}

const SHAPES: Array<[string, string, number[]]> = [
  [
    'an unquoted multi-line PEM',
    `A=1\nKEY=-----BEGIN PRIVATE KEY-----\n${SECRET.slice(0, 40)}\n${SECRET.slice(40)}\n-----END PRIVATE KEY-----\nB=2\n`,
    [3, 4, 5],
  ],
  ['a lost closing quote', `A=1\nKEY="${SECRET.slice(0, 30)}\n${SECRET.slice(30)}\nB=2\n`, [2, 3]],
  ['a pasted token on its own line', `A=1\n${SECRET}\nB=2\n`, [2]],
  ['a name, blanks and a colon', `A=1\nKEY : ${SECRET}\n`, [2]],
  ['a YAML block pasted in', `A=1\nkey:\n  ${SECRET}\n`, [2]],
  ['text after a closing quote', `A="${SECRET.slice(0, 20)}" ${SECRET.slice(20)}\n`, [1]],
];

describe('.env parse errors hold line numbers and rules, never text', () => {
  it.each(SHAPES)('%s', (_, text, lines) => {
    const r = parseDotenv(text, 'app.env');
    expect(r.issues.map((i) => i.path?.[1])).toEqual(lines);
    for (const i of r.issues) expect(i.message).toMatch(/^app\.env:\d+: /);
    expectNoPiece(JSON.stringify(r.issues) + inspect(r.issues, { depth: 5 }));
  });

  it.each(SHAPES)('%s: the thrown error and the resolver error event', async (_, text) => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-parse-leak-'));
    await writeFile(join(dir, '.env'), text);
    const events: SecretEvent[] = [];
    const resolver = createResolver({
      sources: [dotenvSource({ path: join(dir, '.env') })],
      onEvent: (e) => events.push(e),
    });
    const err = await resolver.get('dotenv:A').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID', source: 'dotenv' });
    expect(events.some((e) => e.type === 'error')).toBe(true);
    const e = err as Error;
    expectNoPiece(
      [e.message, String(e.stack), JSON.stringify(e), inspect(e, { depth: 9, showHidden: true })].join('\n') +
        JSON.stringify(events) +
        inspect(events, { depth: 9 }),
    );
    await resolver.close();
  });
});

describe('.env parse errors through the CLI: check, get, run and copy print the line, never its text', () => {
  it.each(SHAPES)('%s', async (_, text) => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-parse-cli-'));
    await writeFile(join(dir, 'app.env'), text);
    const doors = [
      ['check', '--env-file', 'app.env'],
      ['get', 'A', '--env-file', 'app.env'],
      ['run', '--env-file', 'app.env', '--', process.execPath, '-e', '0'],
      ['copy', 'dotenv:app.env', 'memory:'],
      ['copy', 'dotenv:app.env', 'memory:', '--format', 'json'],
    ];
    for (const args of doors) {
      const io = memoryIo({ env: {}, cwd: dir });
      const code = await runCli(args, io);
      expect(code, args.join(' ')).not.toBe(0);
      expect(io.stdoutText + io.stderrText, args.join(' ')).toMatch(/app\.env:\d+/);
      expectNoPiece(io.stdoutText + io.stderrText);
    }
  });
});

describe('.env parse errors name the file as it was given', () => {
  it('a relative path stays relative: a random-looking directory name is neither printed nor hidden', async () => {
    // A name like mkdtemp's (six random characters) that the value-like masking reads as random.
    const base = await mkdtemp(join(tmpdir(), 'ss-'));
    const dir = join(base, 'q7XkP2vR9mTz4Lw8');
    await mkdir(dir);
    await writeFile(join(dir, 'app.env'), `A=1\n${SECRET}\n`);
    const source = dotenvSource({ path: 'app.env', cwd: dir });
    const err = (await source.get('A').catch((e: unknown) => e)) as Error;
    expect(err.message).toContain('app.env:2: not NAME=value');
    expect(err.message).not.toContain('q7XkP2vR9mTz4Lw8');
    expect(err.message).not.toContain('[hidden');
    const absent = dotenvSource({ path: 'missing.env', cwd: dir });
    const e2 = (await absent.get('A').catch((e: unknown) => e)) as Error;
    expect(e2.message).toContain('cannot read missing.env (ENOENT)');
  });
});
