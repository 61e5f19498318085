/**
 * Names that look like values are hidden in every error, event and CLI message (one mechanism:
 * the SecretError constructor and emitSafely), and `mentionsValue` recognises a value in every form
 * the leak scan looks for.
 */
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { envSource } from '../../providers/env.js';
import { memorySource } from '../../providers/memory.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { type ConfigError, SecretError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import { HIDDEN, looksLikeValue, maskValueLike, mentionsValue, valueForms } from '../../src/core/redact.js';
import { createResolver } from '../../src/resolver/resolver.js';

// The classic mistake: resolver.get(process.env.JWT_SECRET_KEY).
const KEY = 'Zq8vN3xKp2LmR7tYw4HcB9dFgJ6sQ1eA';
const B64 = 'q8v/N3x+Kp2LmR7tYw4HcB9dFgJ6sQ1e=';

describe('looksLikeValue', () => {
  it.each([
    KEY,
    B64,
    randomBytes(32).toString('base64'),
    randomBytes(32).toString('base64url'),
    randomBytes(32).toString('hex'),
    randomBytes(16).toString('hex').toUpperCase(),
    'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
    'MIIEvAIBADANBgkqhkiG9w0BAQEFAASCBKYwggSiAgEAAoIBAQC7VJTUt9Us8cKj',
    '4111111111111111',
    'kqzvmwpxrtybnhjdfgls',
    'JBSWY3DPEHPK3PXPJBSWY3DP',
    'postgres://app:Vq8wN2rT6yLp3ZkX9s@db/app',
  ])('%s looks like a value', (text) => {
    expect(looksLikeValue(text)).toBe(true);
  });

  it.each([
    'JWT_SECRET_KEY',
    'prod/app/database-password',
    '/app/prod/jwt',
    'aws-sm:prod/app#jwt',
    'secretsource-canary/leak-scan',
    'SECRETSOURCE_CANARY_LEAK_SCAN',
    'ResourceNotFoundException',
    'exactOptionalPropertyTypes',
    'arn:aws:secretsmanager:us-east-1:123456789012:secret:prod/app-AbCdEf',
    'https://myvault.vault.azure.net/',
    '3f2a9c1e-8b7d-4c6e-9f0a-1b2c3d4e5f60',
    'fp_0123456789abcdef',
    'kubernetesserviceaccount',
    'Summer2024!',
  ])('%s does not', (text) => {
    expect(looksLikeValue(text)).toBe(false);
  });

  it('maskValueLike hides whole words, keeps the rest, and is idempotent', () => {
    const masked = maskValueLike(`secret "${KEY}" was not found in "env" (region us-east-1)`);
    expect(masked).toBe(`secret ${HIDDEN} was not found in "env" (region us-east-1)`);
    expect(maskValueLike(masked)).toBe(masked);
  });
});

describe('a value where a ref belongs is never echoed', () => {
  const forms = [KEY, B64, KEY.slice(0, 10), B64.slice(4, 14)];
  const expectHidden = (text: string) => {
    for (const f of forms) expect(text).not.toContain(f);
  };

  it('resolver.get(value): ERR_SECRET_NOT_FOUND names no value, says what went wrong, and so do events', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [envSource({ env: { JWT_SECRET_KEY: KEY } }), memorySource()],
      onEvent: (e) => events.push(e),
    });
    for (const ref of [KEY, `memory:${KEY}`, `memory:${B64}`, B64, `memory:app/${KEY}#field`]) {
      const err = (await r.get(ref).catch((e: unknown) => e)) as SecretError;
      expect(err).toBeInstanceOf(SecretError);
      expect(['ERR_SECRET_NOT_FOUND', 'ERR_SECRET_NAME_INVALID']).toContain(err.code);
      expectHidden(
        `${err.message}\n${err.stack}\n${inspect(err, { showHidden: true })}\n${JSON.stringify(err)}`,
      );
      expect(err.secretName).toBe(HIDDEN);
    }
    const notFound = (await r.get(`memory:${KEY}`).catch((e: unknown) => e)) as SecretError;
    expect(notFound).toMatchObject({
      code: 'ERR_SECRET_NOT_FOUND',
      message: `secret "${HIDDEN}" was not found in "memory"`,
      hint: expect.stringMatching(/^the name looks like a secret value: pass a reference/),
    });
    const many = (await r.getMany([KEY, 'env:JWT_SECRET_KEY']).catch((e: unknown) => e)) as ConfigError;
    expect(many.issues[0]!.path).toEqual([HIDDEN]);
    expectHidden(inspect(many, { depth: 10, showHidden: true }));
    expect(events.length).toBeGreaterThan(0);
    expectHidden(JSON.stringify(events));
  });

  it('the CLI: check, get and usage errors', async () => {
    const runs = [
      ['check', KEY],
      ['check', B64, '--format', 'json'],
      ['get', B64],
      ['get', `env:${KEY}`],
      ['get', KEY, '--format', 'json'],
      ['check', 'JWT_SECRET_KEY', '--environment', KEY],
      ['get', 'env:JWT_SECRET_KEY', `--${KEY}`],
      ['check', '--profile', KEY],
    ];
    for (const argv of runs) {
      const io = memoryIo({ env: { JWT_SECRET_KEY: KEY } });
      const code = await runCli(argv, io);
      expect(code, argv.join(' ')).not.toBe(0);
      expectHidden(io.stdoutText + io.stderrText);
    }
  });

  it('messages name the error without the value: one SecretError built by hand', () => {
    const e = new SecretError('ERR_SECRET_NOT_FOUND', `no "${KEY}" in "env"`, {
      secretName: KEY,
      hint: `try ${KEY}`,
    });
    expect(e.message).toBe(`no "${HIDDEN}" in "env"`);
    expect(e.hint).toBe(`try ${HIDDEN}`);
    const plain = new SecretError('ERR_SECRET_NOT_FOUND', 'secret "JWT_SECRET_KEY" was not found', {
      secretName: 'JWT_SECRET_KEY',
    });
    expect(plain).toMatchObject({
      message: 'secret "JWT_SECRET_KEY" was not found',
      secretName: 'JWT_SECRET_KEY',
    });
    expect(plain.hint).toBeUndefined();
  });
});

describe('mentionsValue and valueForms', () => {
  const value = 'Kq8Zr2mX/w9L+kP3é"tN5\\bV7cD';

  it.each([
    ['raw', (v: string) => v],
    ['upper-cased', (v: string) => v.toUpperCase()],
    ['a 4-character piece', (v: string) => `…${v.slice(3, 7)}…`],
    ['JSON-escaped', (v: string) => JSON.stringify(v)],
    [
      'JSON \\u-escaped',
      (v: string) =>
        v
          .split('')
          .map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
          .join(''),
    ],
    ['URL-encoded', (v: string) => encodeURIComponent(v)],
    ['base64', (v: string) => Buffer.from(`xx${v}`).toString('base64')],
    ['base64url', (v: string) => Buffer.from(`x${v}`).toString('base64url')],
    ['hex', (v: string) => Buffer.from(v).toString('hex').toUpperCase()],
  ])('finds the value %s', (_, encode) => {
    expect(mentionsValue(`before ${encode(value)} after`, value)).toBe(true);
  });

  it('says no for text that holds no piece of it', () => {
    expect(mentionsValue('Too small: expected number to be >=1024', value)).toBe(false);
    expect(mentionsValue('Too small: expected number to be >=1024', '12')).toBe(false);
    expect(mentionsValue('expected number, got ab', 'ab')).toBe(true);
  });

  it('valueForms gives each encoding of every 8-character piece', () => {
    const forms = new Set(valueForms(value, 8).map((f) => f.form));
    for (const f of [
      'raw',
      'json',
      'json-u',
      'url',
      'hex',
      'utf16le',
      'utf16be',
      'base64+0',
      'base64+1',
      'base64+2',
    ])
      expect(forms).toContain(f);
  });
});
