/**
 * `load()`: whatever a schema throws or returns becomes ERR_CONFIG_INVALID with the key and the
 * schema's issue codes, never a foreign error and never a message that may quote the value (in any
 * case, trimmed, escaped or as a prefix); hints and retryability survive; a default is quiet.
 */
import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { memorySource } from '../../providers/memory.js';
import { type ConfigError, SourceError } from '../../src/core/errors.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource } from '../../src/core/source.js';
import type { StandardSchemaV1 } from '../../src/resolver/load.js';
import { createResolver } from '../../src/resolver/resolver.js';

/** Every way the error can be shown: message, stack, inspect (hidden properties too), JSON, issues. */
function shown(err: unknown): string {
  const e = err as Error;
  return [e.message, e.stack, inspect(err, { depth: 10, showHidden: true }), JSON.stringify(err)].join('\n');
}

async function loadError(value: string, schema: StandardSchemaV1): Promise<ConfigError> {
  const r = createResolver({ sources: [memorySource({ initial: { V: value } })] });
  const err = await r.load({ V: { ref: 'memory:V', schema } }).then(
    () => {
      throw new Error('expected load() to fail');
    },
    (e: unknown) => e as ConfigError,
  );
  expect(err.name).toBe('ConfigError');
  expect(err.code).toBe('ERR_CONFIG_INVALID');
  expect(err.issues.every((i) => i.path?.[0] === 'V')).toBe(true);
  return err;
}

/** A schema whose only issue message is built from the value. */
function quoting(message: (v: string) => string): StandardSchemaV1 {
  return {
    '~standard': {
      version: 1,
      vendor: 'test',
      validate: (v: unknown) => ({ issues: [{ message: message(String(v)) }] }),
    },
  };
}

describe('load(): schemas that throw', () => {
  it('z.string().transform((s) => new URL(s)): no TypeError and no `input`, only the code', async () => {
    const password = 'Sup3rS3cretPassw0rd';
    const err = await loadError(
      `db.internal/app?password=${password}`,
      z.string().transform((s) => new URL(s)),
    );
    expect(err.issues).toEqual([
      expect.objectContaining({
        code: 'ERR_CONFIG_INVALID',
        schemaCode: 'thrown',
        message: expect.stringMatching(/^the schema threw TypeError \(ERR_INVALID_URL\) on the value/),
      }),
    ]);
    expect(shown(err)).not.toContain(password);
    expect(shown(err)).not.toMatch(/sup3r/i);
  });

  it(".transform(JSON.parse): V8's message quoting the value's start is not passed on", async () => {
    const err = await loadError(
      's3cr3t-VALUE-abcdefgh',
      z.string().transform((s) => JSON.parse(s) as unknown),
    );
    expect(err.issues[0]).toMatchObject({ schemaCode: 'thrown' });
    expect(err.issues[0]!.message).toMatch(
      /^the schema threw SyntaxError on the value; its message is withheld/,
    );
    expect(shown(err)).not.toMatch(/s3cr3t/i);
  });

  it('an async schema that rejects, a thrown non-Error and a broken result are issues too', async () => {
    const rejecting: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 't',
        validate: async (v) => Promise.reject(new RangeError(`bad ${v}`)),
      },
    };
    const throwingString: StandardSchemaV1 = {
      '~standard': {
        version: 1,
        vendor: 't',
        validate: (v) => {
          throw `nope ${String(v)}`;
        },
      },
    };
    const broken = { '~standard': { version: 1, vendor: 't', validate: () => null } } as never;
    for (const [schema, expected] of [
      [rejecting, /^the schema threw RangeError on the value; its message is withheld/],
      [throwingString, /^the schema threw string on the value; its message is withheld/],
      [broken, /^the schema threw TypeError on the value: no result$/],
    ] as const) {
      const err = await loadError('hunter2-hunter2', schema);
      expect(err.issues[0]!.message).toMatch(expected);
      expect(shown(err)).not.toMatch(/hunter2/i);
    }
  });
});

describe('load(): schema messages are shown only when they cannot quote the value', () => {
  it.each([
    ['upper-cased', 'lowercase-secret-value', (v: string) => `bad ${v.toUpperCase()}`, /lowercase|LOWERCASE/],
    ['trimmed', '  padded-secret-value  ', (v: string) => `bad ${v.trim()}`, /padded/],
    ['JSON-escaped', 'a"quote\\secret"', (v: string) => `bad ${JSON.stringify(v)}`, /"quote|quote\\/],
    ['URL-encoded', 'p@ss/w0rd secret', (v: string) => `bad ${encodeURIComponent(v)}`, /w0rd/],
    ['a 2-character value', 'ab', (v: string) => `expected number, got ${v}`, /got ab/],
    ['a 1-character value', 'x', (v: string) => `got ${v}!`, /got x/],
    [
      'the first 10 characters',
      'Zq8vN3xKp2LmR7tY',
      (v: string) => `"${v.slice(0, 10)}"... is not valid`,
      /Zq8v/,
    ],
    ['base64', 'secret-in-base64', (v: string) => `bad ${Buffer.from(v).toString('base64')}`, /c2VjcmV0/],
  ])(
    '%s: withheld whole (no "[value]" patch that reveals the word around it)',
    async (_, value, msg, leak) => {
      const err = await loadError(value, quoting(msg));
      expect(err.issues[0]!.message).toBe(
        'the value does not fit the schema; its message is withheld because it may quote the value',
      );
      expect(shown(err)).not.toMatch(leak);
      expect(shown(err)).not.toContain('[value]');
    },
  );

  it('keeps a message that holds no form of the value, with the issue code and path', async () => {
    const err = await loadError('12', z.coerce.number().min(1024));
    expect(err.issues).toEqual([
      {
        code: 'ERR_CONFIG_INVALID',
        message: 'the value does not fit the schema (too_small): Too small: expected number to be >=1024',
        path: ['V'],
        schemaCode: 'too_small',
      },
    ]);
    const nested = await loadError(
      '{"port":"x"}',
      z
        .string()
        .transform((s) => JSON.parse(s) as unknown)
        .pipe(z.object({ port: z.number() })),
    );
    expect(nested.issues[0]).toMatchObject({ path: ['V', 'port'], schemaCode: 'invalid_type' });
  });

  it('a refining schema that quotes the value in its message is withheld', async () => {
    const err = await loadError(
      'https://user:Zq8vN3xKp2LmR7@db.internal/app',
      z
        .string()
        .refine((s) => s.startsWith('postgres:'), { error: (i) => `not postgres: ${String(i.input)}` }),
    );
    expect(err.issues[0]).toMatchObject({ schemaCode: 'custom' });
    expect(shown(err)).not.toMatch(/Zq8vN3x|db\.internal/i);
  });
});

describe('load(): messages that help', () => {
  const down = (hint: string, code: 'ERR_SOURCE_UNAVAILABLE' | 'ERR_SOURCE_ACCESS_DENIED'): SecretSource => ({
    id: `down-${code === 'ERR_SOURCE_UNAVAILABLE' ? 'a' : 'b'}`,
    capabilities: memorySource().capabilities,
    async get() {
      throw new SourceError(code, 'the store said no', { source: 'down', hint });
    },
  });

  it("keeps each key's hint, and is retryable when every cause is", async () => {
    const r = createResolver({ sources: [down('check the network', 'ERR_SOURCE_UNAVAILABLE')] });
    const err = (await r
      .load({ A: { ref: 'down-a:A' }, B: { ref: 'down-a:B', optional: true } })
      .catch((e: unknown) => e)) as ConfigError;
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID', retryable: true, hint: 'check the network' });
    expect(err.issues).toEqual([
      expect.objectContaining({
        path: ['A'],
        code: 'ERR_SOURCE_UNAVAILABLE',
        retryable: true,
        hint: 'check the network',
      }),
      expect.objectContaining({ path: ['B'], code: 'ERR_SOURCE_UNAVAILABLE', retryable: true }),
    ]);
    expect(err.message).toContain('\n    hint: check the network');
  });

  it('is not retryable when one cause is not', async () => {
    const r = createResolver({
      sources: [
        down('check the network', 'ERR_SOURCE_UNAVAILABLE'),
        down('grant secretsmanager:GetSecretValue', 'ERR_SOURCE_ACCESS_DENIED'),
      ],
    });
    const err = (await r
      .load({ A: { ref: 'down-a:A' }, B: { ref: 'down-b:B' } })
      .catch((e: unknown) => e)) as ConfigError;
    expect(err.retryable).toBe(false);
    expect(err.hint).toBe('check the network; grant secretsmanager:GetSecretValue');
  });

  it('an optional key with a default emits no error event; a missing required key emits one', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({ sources: [memorySource({ initial: {} })], onEvent: (e) => events.push(e) });
    const config = await r.load({
      PORT: { ref: 'memory:PORT', schema: z.coerce.number(), default: 3000 },
      EXTRA: { ref: 'memory:EXTRA', optional: true },
    });
    expect(config).toEqual({ PORT: 3000, EXTRA: undefined });
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    await r.load({ JWT: { ref: 'memory:JWT' } }).catch(() => undefined);
    expect(events.filter((e) => e.type === 'error')).toEqual([
      expect.objectContaining({ ref: 'memory:JWT', code: 'ERR_SECRET_NOT_FOUND' }),
    ]);
  });
});
