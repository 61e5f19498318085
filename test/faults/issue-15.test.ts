/**
 * Issue 15's reproductions, one test each, written against the public surface only (the package's
 * subpaths, the CLI's `runCli` and the leak scanner's `scanForSentinel`), so the same file runs on
 * a tree from before the fixes: there every test here failed; now every one passes.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createResolver, type SecretEvent, SourceError } from 'secretsource';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { dotenvSource } from 'secretsource/providers/dotenv';
import { memorySource } from 'secretsource/providers/memory';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { scanForSentinel } from '../../scripts/leak-scan.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

/** A value shaped like key material: letters and digits only, so each line of it reads as a "name". */
const KEY = 'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7VJTUt9Us8cKjMzEfYyjiWA4R4';

/** Every way an error can be shown: message, stack, inspected with hidden properties, JSON. */
function shown(err: unknown): string {
  const e = err as Error;
  return [e?.message, e?.stack, inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)].join(
    '\n',
  );
}

/** Fails with the offset (never the text) of the first 8-character piece of `value` in `text`, any case. */
function expectNoPiece(text: string, value: string): void {
  const folded = text.toLowerCase();
  for (let i = 0; i + 8 <= value.length; i++) {
    if (folded.includes(value.slice(i, i + 8).toLowerCase())) {
      throw new Error(`a piece of the value (offset ${i}) was shown`);
    }
  }
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

const BROKEN_ENV: Array<[string, string]> = [
  [
    'an unquoted multi-line PEM',
    `A=1\nKEY=-----BEGIN PRIVATE KEY-----\n${KEY.slice(0, 40)}\n${KEY.slice(40)}\n-----END PRIVATE KEY-----\n`,
  ],
  ['a lost closing quote', `A=1\nKEY="${KEY.slice(0, 30)}\n${KEY.slice(30)}\nB=2\n`],
  ['a pasted token on its own line', `A=1\n${KEY}\nB=2\n`],
  ['a very long line', `A=1\n${KEY.repeat(40)}\n`],
];

describe('issue 15: .env parse errors print secret lines', () => {
  it.each(BROKEN_ENV)('%s: the thrown error and the resolver error event', async (_, text) => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-i15-'));
    await writeFile(join(dir, 'app.env'), text);
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [dotenvSource({ path: join(dir, 'app.env') })],
      onEvent: (e) => events.push(e),
    });
    const err = await rejection(r.get('dotenv:A'));
    expect(events.some((e) => e.type === 'error')).toBe(true);
    expectNoPiece(shown(err) + JSON.stringify(events) + inspect(events, { depth: 9 }), KEY);
    await r.close();
  });

  it.each([
    ['check', ['check', 'A', '--env-file', 'app.env']],
    ['get', ['get', 'dotenv:A', '--env-file', 'app.env']],
    ['run', ['run', '--env-file', 'app.env', '--', process.execPath, '-e', '0']],
    ['copy', ['copy', 'dotenv:app.env', 'memory:']],
  ])('secretsource %s: stdout and stderr', async (_, argv) => {
    for (const [, text] of BROKEN_ENV) {
      const dir = await mkdtemp(join(tmpdir(), 'ss-i15-cli-'));
      await writeFile(join(dir, 'app.env'), text);
      const io = memoryIo({ env: { PATH: process.env.PATH }, cwd: dir });
      expect(await runCli(argv, io)).not.toBe(0);
      expect(io.stdoutText + io.stderrText).toMatch(/app\.env/);
      expectNoPiece(io.stdoutText + io.stderrText, KEY);
    }
  });
});

describe("issue 15: load() lets a schema's exception through", () => {
  async function loadError(value: string, schema: unknown): Promise<unknown> {
    const r = createResolver({ sources: [memorySource({ initial: { V: value } })] });
    const err = await rejection(r.load({ V: { ref: 'memory:V', schema: schema as never } }));
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID' });
    return err;
  }

  it('z.string().transform((s) => new URL(s)): no TypeError carrying the URL', async () => {
    const password = 'Sup3rS3cretPassw0rd';
    const err = await loadError(
      `db.internal/app?password=${password}`,
      z.string().transform((s) => new URL(s)),
    );
    expectNoPiece(shown(err), password);
  });

  it(".transform(JSON.parse): V8's message quoting the value's start", async () => {
    const value = 's3cr3t-VALUE-abcdefgh-0123';
    const err = await loadError(
      value,
      z.string().transform((s) => JSON.parse(s) as unknown),
    );
    expectNoPiece(shown(err), value);
  });

  /** A Standard Schema whose only issue message is built from the value. */
  const quoting = (message: (v: string) => string) => ({
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (v: unknown) => ({ issues: [{ message: message(String(v)) }] }),
    },
  });

  it.each([
    ['upper-cased', 'lowercase-secret-value', (v: string) => `bad ${v.toUpperCase()}`, /lowercase/i],
    ['trimmed', '  padded-secret-value  ', (v: string) => `bad ${v.trim()}`, /padded-s/],
    ['JSON-escaped', 'a"quote\\secret"value', (v: string) => `bad ${JSON.stringify(v)}`, /quote\\\\secret/],
    ['a 2-character value', 'ab', (v: string) => `expected number, got ${v}`, /got ab/],
    ['a 1-character value', 'x', (v: string) => `got ${v}!`, /got x/],
    [
      '"[value]" in place of a word',
      'Password',
      (v: string) => `expected ${v}, not a word`,
      /\[value\]|password/i,
    ],
  ])('a schema message quoting the value %s is not shown', async (_, value, msg, leak) => {
    const err = await loadError(value, quoting(msg));
    expect(shown(err)).not.toMatch(leak);
  });
});

describe('issue 15: a value used where a ref belongs is echoed', () => {
  const jwt = 'Zq8vN3xKp2LmR7tYw4Hs9BcF6gJd1QeU';
  const b64 = 'q8v/N3x+Kp2LmR7tYw4Hs9BcF6gJd1QeUa0=';

  it('resolver.get(process.env.JWT_SECRET_KEY)', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({ sources: [memorySource({ initial: {} })], onEvent: (e) => events.push(e) });
    const err = await rejection(r.get(jwt));
    expectNoPiece(shown(err) + JSON.stringify(events), jwt);
  });

  it.each([
    ['check', ['check', jwt], jwt],
    ['get', ['get', b64], b64],
  ])('secretsource %s <the value>', async (_, argv, value) => {
    const io = memoryIo({ env: {} });
    await runCli(argv, io);
    expect(io.stdoutText + io.stderrText).not.toBe('');
    expectNoPiece(io.stdoutText + io.stderrText, value);
  });
});

describe('issue 15: fingerprints let anyone confirm a guess offline', () => {
  it('the fingerprint `get` prints for Summer2024! is not the public-key HMAC (nor a plain digest)', async () => {
    const value = 'Summer2024!';
    const io = memoryIo({ env: { DB_PASSWORD: value } });
    await runCli(['get', 'env:DB_PASSWORD'], io);
    const printed = /fpr?_[0-9a-f]+/.exec(io.stdoutText + io.stderrText)?.[0];
    expect(printed).toBeDefined();
    const hex = printed!.replace(/^fpr?_/, '');
    // What anyone could compute from the library's source: the fixed public key, or no key.
    const guesses = [
      createHmac('sha256', 'secretsource/fingerprint/v1').update(value).digest('hex'),
      createHmac('sha256', '').update(value).digest('hex'),
    ];
    for (const g of guesses) expect(g.startsWith(hex)).toBe(false);
  });
});

describe('issue 15: the canary cannot see these (the scanner misses encodings)', () => {
  const sentinel = `${randomBytes(9).toString('base64url')}/${randomBytes(9).toString('base64url')}`;
  it.each([
    [
      'the first 10 characters, as V8 quotes them',
      (s: string) => `Unexpected token, "${s.slice(0, 10)}"... is not valid JSON`,
    ],
    ['upper case', (s: string) => s.toUpperCase()],
    ['UTF-16', (s: string) => Buffer.from(s, 'utf16le')],
    ['gzip', (s: string) => gzipSync(Buffer.from(`log line ${s}\n`))],
    ['base64 of a part', (s: string) => Buffer.from(s.slice(0, 12)).toString('base64')],
    ['split across lines', (s: string) => `${s.slice(0, 12)}\n${s.slice(12)}`],
    [
      'JSON \\u escapes',
      (s: string) => [...s].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join(''),
    ],
  ])('%s is found', async (_, leak) => {
    const dir = await mkdtemp(join(tmpdir(), 'ss-i15-scan-'));
    await writeFile(join(dir, 'leaky.log'), leak(sentinel));
    const result = scanForSentinel(sentinel, [dir]);
    expect(result.hits.length).toBeGreaterThan(0);
  });
});

describe('issue 15: messages that do not help', () => {
  const down = {
    id: 'down',
    capabilities: memorySource().capabilities,
    async get() {
      throw new SourceError('ERR_SOURCE_UNAVAILABLE', 'the store said no', {
        source: 'down',
        hint: 'check the network',
      });
    },
  };

  it("load() keeps each key's hint and is retryable when every cause is", async () => {
    const r = createResolver({ sources: [down as never] });
    const err = await rejection(r.load({ A: { ref: 'down:A' }, B: { ref: 'down:B' } }));
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID', retryable: true });
    expect(shown(err)).toContain('check the network');
  });

  it('a secret in eu-west-1 read with region us-east-1 says us-east-1', async () => {
    const endpoint = process.env.AWS_ENDPOINT_URL;
    const name = `i15/${randomBytes(4).toString('hex')}`;
    await awsSecretsManager({ endpoint, region: 'eu-west-1' }).set(name, 'x'.repeat(40));
    const r = createResolver({ sources: [awsSecretsManager({ endpoint, region: 'us-east-1' })] });
    const err = await rejection(r.get(`aws-sm:${name}`));
    expect(err).toMatchObject({ code: 'ERR_SECRET_NOT_FOUND' });
    expect((err as Error).message).toContain('us-east-1');
    await r.close();
  });

  it('an optional key with a default emits no error event', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({ sources: [memorySource({ initial: {} })], onEvent: (e) => events.push(e) });
    const config = await r.load({ PORT: { ref: 'memory:PORT', schema: z.coerce.number(), default: 3000 } });
    expect(config).toEqual({ PORT: 3000 });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
  });
});
