/**
 * azureKeyVault() against its own loopback emulator (so tests can plant, disable and inject faults),
 * through the real @azure/keyvault-secrets client and, where possible, a real @azure/identity credential.
 */
import { inspect } from 'node:util';
import { ClientSecretCredential, type TokenCredential } from '@azure/identity';
import { SecretClient, type SecretClientOptions } from '@azure/keyvault-secrets';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  AZURE_KEY_VAULT_NAME_RULE,
  type AzureKeyVaultOptions,
  assertNoAzureNameCollisions,
  azureKeyVault,
  checkAzureSecretName,
  fromAzureSecretName,
  toAzureSecretName,
} from '../../providers/azure-kv/index.js';
import { isSecretError, type SecretError } from '../../src/core/errors.js';
import type { SecretSource } from '../../src/core/source.js';
import { type AzureKvEmulator, startAzureKvEmulator } from '../../src/testing/emulators/azure-kv.js';
import { collect } from '../helpers/assertions.js';

const SENTINEL = 'SENTINEL-azure-kv-5d1e0b77-never-print';

/** Awaits a rejection and checks it is a SecretError with `code`, and that it never shows the sentinel. */
async function rejection(p: Promise<unknown>, code: string): Promise<SecretError> {
  const err = await p.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (e: unknown) => e,
  );
  expect(isSecretError(err), inspect(err)).toBe(true);
  const e = err as SecretError;
  expect(e.code).toBe(code);
  for (const shown of [
    e.message,
    String(e.stack),
    JSON.stringify(e),
    inspect(e, { depth: 8, showHidden: true }),
  ]) {
    expect(shown).not.toContain(SENTINEL);
  }
  // The SDK's RestError carries the request (headers, URL); only name/code/status may survive.
  expect(inspect(e.cause, { depth: 8, showHidden: true })).not.toMatch(/request|authorization|Bearer/i);
  return e;
}

describe('name mapping', () => {
  it('maps env-style names to Key Vault names and back', () => {
    expect(toAzureSecretName('JWT_SECRET_KEY')).toBe('JWT-SECRET-KEY');
    expect(fromAzureSecretName('JWT-SECRET-KEY')).toBe('JWT_SECRET_KEY');
    expect(checkAzureSecretName('db_password_2')).toBe('db-password-2');
  });

  it('round-trips every valid name both ways', () => {
    const caller = fc.stringMatching(/^[0-9A-Za-z_]{1,127}$/);
    fc.assert(fc.property(caller, (n) => fromAzureSecretName(checkAzureSecretName(n)) === n));
    const store = fc.stringMatching(/^[0-9A-Za-z-]{1,127}$/);
    fc.assert(fc.property(store, (n) => checkAzureSecretName(fromAzureSecretName(n)) === n));
  });

  it('refuses names with "-", which could not map back, naming the fix', () => {
    expect(() => toAzureSecretName('JWT-SECRET')).toThrowError(
      expect.objectContaining({
        code: 'ERR_SECRET_NAME_INVALID',
        hint: expect.stringContaining('JWT_SECRET'),
      }),
    );
  });

  it('refuses names Key Vault cannot hold', () => {
    for (const bad of ['', 'a/b', 'a.b', 'a b', 'x'.repeat(128), 'é']) {
      expect(() => checkAzureSecretName(bad), bad).toThrowError(
        expect.objectContaining({ code: 'ERR_SECRET_NAME_INVALID' }),
      );
    }
    expect(() => fromAzureSecretName('a_b')).toThrowError(
      expect.objectContaining({ code: 'ERR_SECRET_NAME_INVALID' }),
    );
    expect(AZURE_KEY_VAULT_NAME_RULE.pattern.test('a-B-9')).toBe(true);
  });

  it('refuses names that collide in Key Vault, which ignores case', () => {
    expect(() => assertNoAzureNameCollisions(['jwt_secret', 'JWT_SECRET'])).toThrowError(
      expect.objectContaining({
        code: 'ERR_SECRET_NAME_INVALID',
        message: expect.stringContaining('case-insensitive'),
      }),
    );
    expect(() => assertNoAzureNameCollisions(['JWT_SECRET', 'JWT_SECRET_KEY', 'jwt_key'])).not.toThrow();
  });
});

describe('azureKeyVault on the emulator', () => {
  let emu: AzureKvEmulator;
  let credential: TokenCredential & { calls: number };

  const clientOptions = (): SecretClientOptions =>
    ({
      // Test-only: a loopback host cannot pass challenge resource verification, and the CA is the emulator's.
      disableChallengeResourceVerification: true,
      tlsOptions: { ca: emu.ca },
      retryOptions: { maxRetries: 0 },
    }) as SecretClientOptions;

  const source = (extra: AzureKeyVaultOptions = {}): SecretSource =>
    azureKeyVault({
      vaultUrl: emu.url,
      credential,
      clientOptions: clientOptions(),
      pollIntervalMs: 20,
      ...extra,
    });

  beforeAll(async () => {
    emu = await startAzureKvEmulator({ deleteVisibilityMs: 250, recoverVisibilityMs: 60 });
  });
  afterAll(async () => {
    await emu.stop();
  });
  beforeEach(() => {
    emu.reset();
    credential = {
      calls: 0,
      async getToken() {
        credential.calls++;
        return { token: emu.token, expiresOnTimestamp: Date.now() + 3_600_000 };
      },
    };
  });

  describe('reads', () => {
    it('reads JWT_SECRET_KEY from the Key Vault secret JWT-SECRET-KEY, with metadata', async () => {
      const version = emu.plant('JWT-SECRET-KEY', 'k1', {
        contentType: 'text/plain',
        tags: { team: 'core' },
      });
      const rec = await source().get('JWT_SECRET_KEY');
      expect(rec?.name).toBe('JWT_SECRET_KEY');
      expect(rec?.value.reveal()).toBe('k1');
      expect(String(rec?.value)).toBe('[secret JWT_SECRET_KEY]');
      expect(rec).toMatchObject({ version, contentType: 'text/plain', tags: { team: 'core' } });
      expect(rec?.createdAt).toBeInstanceOf(Date);
    });

    it('reads a given version, refuses an unknown one, and resolves undefined for a missing name', async () => {
      const v1 = emu.plant('multi', 'one');
      emu.plant('multi', 'two');
      const s = source();
      expect((await s.get('multi', { version: v1 }))?.value.reveal()).toBe('one');
      expect((await s.get('multi'))?.value.reveal()).toBe('two');
      await rejection(s.get('multi', { version: 'f'.repeat(32) }), 'ERR_SECRET_VERSION_NOT_FOUND');
      const before = emu.requests.length;
      await rejection(s.get('multi', { version: '../../deletedsecrets/x' }), 'ERR_SECRET_VERSION_NOT_FOUND');
      expect(emu.requests.length).toBe(before); // a malformed version never reaches the URL
      await expect(s.get('missing')).resolves.toBeUndefined();
    });

    it('refuses a disabled secret with a clear error that holds no value', async () => {
      emu.plant('off', SENTINEL, { enabled: false });
      const err = await rejection(source().get('off'), 'ERR_SOURCE_ACCESS_DENIED');
      expect(err.message).toBe(`read "off" in source "azure-kv" (${new URL(emu.url).origin}): is disabled`);
      expect(err.hint).toMatch(/enabled true/);
      expect(err.cause).toEqual({ name: 'RestError', code: 'Forbidden', status: 403 });
    });

    it('refuses an expired secret, naming the expiry date and not the value', async () => {
      emu.plant('old', SENTINEL, { expiresOn: new Date('2021-06-30T12:00:00Z') });
      const err = await rejection(source().get('old'), 'ERR_SECRET_EXPIRED');
      expect(err.message).toBe(
        'read "old" in source "azure-kv": expired on 2021-06-30T12:00:00.000Z; refusing to use it',
      );
    });

    it('refuses a secret that is not valid yet', async () => {
      emu.plant('later', SENTINEL, { notBefore: new Date(Date.now() + 86_400_000) });
      await rejection(source().get('later'), 'ERR_SECRET_NOT_YET_VALID');
    });

    it('reuses one SecretClient: one 401 challenge and one token for many calls', async () => {
      emu.plant('a', 'x');
      const s = source();
      await s.get('a');
      // After the first challenge the token is cached: concurrent calls go straight through.
      await Promise.all([s.get('a'), s.get('a'), s.get('b')]);
      await collect(s.list!());
      expect(emu.requests.filter((r) => !r.authorized)).toHaveLength(1);
      expect(credential.calls).toBe(1);
    });

    it('uses a prebuilt client', async () => {
      emu.plant('pre', 'built');
      const client = new SecretClient(emu.url, credential, clientOptions());
      const s = azureKeyVault({ client, vaultUrl: 'not even a url' });
      expect((await s.get('pre'))?.value.reveal()).toBe('built');
    });
  });

  describe('list and versions', () => {
    it('lists through the empty pages the service interleaves, mapping names back', async () => {
      for (let i = 0; i < 7; i++) emu.plant(`APP-KEY-${i}`, SENTINEL);
      emu.plant('OTHER', 'x');
      const listed = await collect(source().list!({ prefix: 'APP_KEY_', pageSize: 2 }));
      expect(listed.map((m) => m.name)).toEqual([0, 1, 2, 3, 4, 5, 6].map((i) => `APP_KEY_${i}`));
      expect(inspect(listed, { depth: 5 })).not.toContain(SENTINEL);
      const pages = emu.requests.filter((r) => r.path === '/secrets' && r.authorized);
      // empty, [2], empty, [2], empty, [2], empty, [2]: empty pages were fetched and passed, not treated as the end.
      expect(pages).toHaveLength(8);
      expect(pages[0]?.query.maxresults).toBe('2');
    });

    it('lists versions newest first, marking the current one and disabled ones', async () => {
      const s = source();
      const ids: string[] = [];
      for (const v of ['v1', 'v2', 'v3']) ids.push((await s.set!('ROTATED', v)).version!);
      emu.setEnabled('ROTATED', false, ids[0]);
      const versions = await collect(s.versions!('ROTATED'));
      expect(versions.map((v) => v.version)).toEqual([...ids].reverse());
      expect(versions.map((v) => v.current)).toEqual([true, false, false]);
      expect(versions.map((v) => v.enabled)).toEqual([true, true, false]);
      expect(await collect(s.versions!('NEVER_WRITTEN'))).toEqual([]);
    });
  });

  describe('writes', () => {
    it('writes contentType and tags, and reports whether it created the name', async () => {
      const s = source();
      const first = await s.set!('DB_PASSWORD', 'p1', { contentType: 'text/plain', tags: { env: 'prod' } });
      expect(first.created).toBe(true);
      expect((await s.set!('DB_PASSWORD', 'p2')).created).toBe(false);
      const rec = await s.get('DB_PASSWORD');
      expect(rec).toMatchObject({ contentType: undefined, version: expect.stringMatching(/^[0-9a-f]{32}$/) });
      const put = emu.requests.filter((r) => r.method === 'PUT' && r.authorized).map((r) => r.path);
      expect(put).toEqual(['/secrets/DB-PASSWORD', '/secrets/DB-PASSWORD']);
      const v1 = (await collect(s.versions!('DB_PASSWORD'))).at(-1)!.version;
      expect(await s.get('DB_PASSWORD', { version: v1 })).toMatchObject({
        contentType: 'text/plain',
        tags: { env: 'prod' },
      });
    });

    it('notices an SDK that drops contentType (4.10.0-4.11.1, docs/protocols/azure-key-vault.md#known-sdk-bugs) instead of losing it silently', async () => {
      // Simulate the bug with a pipeline policy that strips contentType from the request body.
      const client = new SecretClient(emu.url, credential, {
        ...clientOptions(),
        additionalPolicies: [
          {
            position: 'perCall',
            policy: {
              name: 'drop-content-type',
              sendRequest: (req, next) => {
                if (req.method === 'PUT' && typeof req.body === 'string') {
                  const body = JSON.parse(req.body) as Record<string, unknown>;
                  delete body.contentType;
                  req.body = JSON.stringify(body);
                }
                return next(req);
              },
            },
          },
        ],
      } as SecretClientOptions);
      const err = await rejection(
        azureKeyVault({ client }).set!('TYPED', SENTINEL, { contentType: 'application/json' }),
        'ERR_SOURCE_MISCONFIGURED',
      );
      expect(err.hint).toMatch(/4\.10\.0 to 4\.11\.1.*>= 4\.11\.2/);
    });

    it('ifAbsent refuses an existing name, even a disabled one', async () => {
      emu.plant('TAKEN', SENTINEL, { enabled: false });
      await rejection(source().set!('TAKEN', SENTINEL, { ifAbsent: true }), 'ERR_SECRET_CONFLICT');
    });

    it('refuses binary values (Key Vault stores text)', async () => {
      await rejection(source().set!('BYTES', Uint8Array.from([0, 1])), 'ERR_OPERATION_UNSUPPORTED');
    });

    it('refuses a soft-deleted name by default, and never purges it', async () => {
      const s = source();
      emu.plant('REUSED', 'old');
      expect(await s.delete!('REUSED')).toBe(true);
      const err = await rejection(s.set!('REUSED', SENTINEL), 'ERR_SECRET_CONFLICT');
      expect(err.message).toBe(
        'write "REUSED" in source "azure-kv": the name is held by a soft-deleted secret',
      );
      expect(err.hint).toMatch(/onDeletedConflict: 'recover'/);
      expect(err.cause).toMatchObject({ status: 409, code: 'Conflict' });
      expect(emu.requests.some((r) => r.method === 'DELETE' && r.path.startsWith('/deletedsecrets'))).toBe(
        false,
      );
    });

    it("re-creates a soft-deleted name by recovering it with onDeletedConflict: 'recover'", async () => {
      const s = source({ onDeletedConflict: 'recover' });
      const old = emu.plant('REUSED', 'old');
      await s.delete!('REUSED');
      const r = await s.set!('REUSED', 'new');
      expect(r.created).toBe(false);
      expect((await s.get('REUSED'))?.value.reveal()).toBe('new');
      // The recovered history is kept: nothing was purged.
      expect((await s.get('REUSED', { version: old }))?.value.reveal()).toBe('old');
      expect(
        emu.requests.some((q) => q.method === 'POST' && q.path === '/deletedsecrets/REUSED/recover'),
      ).toBe(true);
      expect(emu.requests.some((q) => q.method === 'DELETE' && q.path.startsWith('/deletedsecrets'))).toBe(
        false,
      );
    });

    it('ifAbsent does not recover a soft-deleted name', async () => {
      const s = source({ onDeletedConflict: 'recover' });
      emu.plant('HELD', 'old');
      await s.delete!('HELD');
      await rejection(s.set!('HELD', 'new', { ifAbsent: true }), 'ERR_SECRET_CONFLICT');
      expect(emu.requests.some((q) => q.path.endsWith('/recover'))).toBe(false);
    });
  });

  describe('delete', () => {
    it('soft-deletes and waits until the vault shows the deletion; again reports absent', async () => {
      const s = source();
      emu.plant('GONE', 'x');
      expect(await s.delete!('GONE')).toBe(true);
      const polls = emu.requests.filter((r) => r.path === '/deletedsecrets/GONE');
      expect(polls.length).toBeGreaterThanOrEqual(2); // 404 "still deleting", then 200
      await expect(s.get('GONE')).resolves.toBeUndefined();
      expect(await s.delete!('GONE')).toBe(false);
    });

    it('purges only with force, after which the name is free', async () => {
      const s = source();
      emu.plant('PURGED', 'x');
      expect(await s.delete!('PURGED', { force: true })).toBe(true);
      expect(
        emu.requests.filter(
          (r) => r.method === 'DELETE' && r.path === '/deletedsecrets/PURGED' && r.authorized,
        ),
      ).toHaveLength(1);
      expect((await s.set!('PURGED', 'again')).created).toBe(true);
    });

    it('force also purges a name that was already soft-deleted', async () => {
      const s = source();
      emu.plant('HALF', 'x');
      await s.delete!('HALF');
      expect(await s.delete!('HALF', { force: true })).toBe(true);
      expect(await s.delete!('HALF', { force: true })).toBe(false);
    });
  });

  describe('error mapping (retries off)', () => {
    it('maps 403 to ERR_SOURCE_ACCESS_DENIED', async () => {
      emu.plant('A', SENTINEL);
      emu.failNext(403);
      const err = await rejection(source().get('A'), 'ERR_SOURCE_ACCESS_DENIED');
      expect(err.message).toBe(
        `read "A" in source "azure-kv" (${new URL(emu.url).origin}): access denied (403 Forbidden)`,
      );
      expect(err.retryable).toBe(false);
    });

    it('maps 429 to a retryable ERR_SOURCE_UNAVAILABLE with a throttling hint', async () => {
      emu.failNext(429, 1, { retryAfterSeconds: 1 });
      const err = await rejection(source().get('A'), 'ERR_SOURCE_UNAVAILABLE');
      expect(err.message).toBe(
        `read "A" in source "azure-kv" (${new URL(emu.url).origin}): throttled (429 Throttled)`,
      );
      expect(err.retryable).toBe(true);
      expect(err.cause).toEqual({ name: 'RestError', code: 'Throttled', status: 429 });
    });

    it('maps 503 and a dropped connection to ERR_SOURCE_UNAVAILABLE', async () => {
      const s = source();
      emu.failNext(503);
      await rejection(s.get('A'), 'ERR_SOURCE_UNAVAILABLE');
      emu.setOutage(true);
      await rejection(s.get('A'), 'ERR_SOURCE_UNAVAILABLE');
      await rejection(collect(s.list!()), 'ERR_SOURCE_UNAVAILABLE');
    });

    it('maps a token the vault rejects to ERR_SOURCE_ACCESS_DENIED', async () => {
      const wrong: TokenCredential = {
        getToken: async () => ({ token: 'wrong', expiresOnTimestamp: Date.now() + 3_600_000 }),
      };
      await rejection(source({ credential: wrong }).get('A'), 'ERR_SOURCE_ACCESS_DENIED');
    });

    it("maps a caller's abort to ERR_ABORTED (not a timeout, not retryable)", async () => {
      emu.setLatency(500);
      const ac = new AbortController();
      const p = source().get('A', { signal: ac.signal });
      setTimeout(() => ac.abort(), 50);
      expect((await rejection(p, 'ERR_ABORTED')).retryable).toBe(false);
    });

    it('refuses a missing or non-https vault URL with ERR_SOURCE_MISCONFIGURED', async () => {
      const saved = process.env.AZURE_KEY_VAULT_URL;
      delete process.env.AZURE_KEY_VAULT_URL;
      try {
        await rejection(azureKeyVault({ credential }).get('A'), 'ERR_SOURCE_MISCONFIGURED');
      } finally {
        if (saved !== undefined) process.env.AZURE_KEY_VAULT_URL = saved;
      }
      await rejection(
        azureKeyVault({ vaultUrl: 'http://127.0.0.1:1', credential }).get('A'),
        'ERR_SOURCE_MISCONFIGURED',
      );
    });

    it('without the test-only client options, fails as misconfigured: untrusted certificate, then challenge resource', async () => {
      const noCa = azureKeyVault({
        vaultUrl: emu.url,
        credential,
        clientOptions: { retryOptions: { maxRetries: 0 } },
      });
      const tls = await rejection(noCa.get('A'), 'ERR_SOURCE_MISCONFIGURED');
      expect(tls.hint).toMatch(/tlsOptions\.ca|NODE_EXTRA_CA_CERTS/);
      const noSkip = azureKeyVault({
        vaultUrl: emu.url,
        credential,
        clientOptions: { tlsOptions: { ca: emu.ca }, retryOptions: { maxRetries: 0 } } as SecretClientOptions,
      });
      const challenge = await rejection(noSkip.get('A'), 'ERR_SOURCE_MISCONFIGURED');
      expect(challenge.message).toBe(
        `read "A" in source "azure-kv" (${new URL(emu.url).origin}): the vault's auth challenge does not match its host`,
      );
      expect(credential.calls).toBe(0);
    });

    it('reads the vault URL from AZURE_KEY_VAULT_URL', async () => {
      emu.plant('FROM-ENV', 'yes');
      process.env.AZURE_KEY_VAULT_URL = emu.url;
      try {
        const s = azureKeyVault({ credential, clientOptions: clientOptions() });
        expect((await s.get('FROM_ENV'))?.value.reveal()).toBe('yes');
      } finally {
        delete process.env.AZURE_KEY_VAULT_URL;
      }
    });
  });

  describe('with real @azure/identity credentials', () => {
    it('ClientSecretCredential gets its token from the emulated Entra ID and reads the secret', async () => {
      const aad = { clientId: 'secretsource-test-app', clientSecret: 'client-secret-for-tests' };
      const vault = await startAzureKvEmulator({ aad });
      try {
        vault.plant('VIA-IDENTITY', 'ok');
        const cred = new ClientSecretCredential(vault.tenantId, aad.clientId, aad.clientSecret, {
          authorityHost: vault.url,
          disableInstanceDiscovery: true,
          tlsOptions: { ca: vault.ca },
        } as ConstructorParameters<typeof ClientSecretCredential>[3]);
        const s = azureKeyVault({
          vaultUrl: vault.url,
          credential: cred,
          clientOptions: {
            disableChallengeResourceVerification: true,
            tlsOptions: { ca: vault.ca },
            retryOptions: { maxRetries: 0 },
          } as SecretClientOptions,
        });
        expect((await s.get('VIA_IDENTITY'))?.value.reveal()).toBe('ok');

        const wrong = new ClientSecretCredential(vault.tenantId, aad.clientId, 'wrong-secret', {
          authorityHost: vault.url,
          disableInstanceDiscovery: true,
          tlsOptions: { ca: vault.ca },
          retryOptions: { maxRetries: 0 },
        } as ConstructorParameters<typeof ClientSecretCredential>[3]);
        const denied = azureKeyVault({
          vaultUrl: vault.url,
          credential: wrong,
          clientOptions: {
            disableChallengeResourceVerification: true,
            tlsOptions: { ca: vault.ca },
          } as SecretClientOptions,
        });
        const err = await rejection(denied.get('VIA_IDENTITY'), 'ERR_SOURCE_ACCESS_DENIED');
        // identity reports MSAL's invalid_client as AuthenticationRequiredError
        expect(err.cause).toMatchObject({ name: 'AuthenticationRequiredError' });
        expect(err.message).not.toContain('wrong-secret');
      } finally {
        await vault.stop();
      }
    });

    it('ClientSecretCredential for another tenant is refused by identity itself (tenant from the challenge)', async () => {
      const cred = new ClientSecretCredential(
        '11111111-1111-4111-8111-111111111111',
        'client-id',
        'client-secret',
      );
      const err = await rejection(source({ credential: cred }).get('A'), 'ERR_SOURCE_MISCONFIGURED');
      expect(err.cause).toMatchObject({ name: 'CredentialUnavailableError' });
      expect(emu.requests.every((r) => !r.authorized)).toBe(true);
    });

    it('the default DefaultAzureCredential, with nothing configured, fails with ERR_SOURCE_MISCONFIGURED', async () => {
      const saved = { ...process.env };
      for (const k of Object.keys(process.env)) {
        if (k.startsWith('AZURE_') || k.startsWith('IDENTITY_') || k.startsWith('MSI_'))
          delete process.env[k];
      }
      try {
        const s = azureKeyVault({ vaultUrl: emu.url, clientOptions: clientOptions() });
        const err = await rejection(s.get('A'), 'ERR_SOURCE_MISCONFIGURED');
        expect(err.hint).toMatch(/az login/);
        expect(err.cause).toMatchObject({ name: 'AggregateAuthenticationError' });
      } finally {
        Object.assign(process.env, saved);
      }
    });
  });
});
