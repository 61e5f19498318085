/**
 * The Azure Key Vault emulator honours docs/protocols/azure-key-vault.md: driven with raw HTTPS requests and with
 * the real @azure/keyvault-secrets SecretClient.
 */
import { request } from 'node:https';
import type { TokenCredential } from '@azure/identity';
import { SecretClient } from '@azure/keyvault-secrets';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AzureKvEmulator, startAzureKvEmulator } from '../../src/testing/emulators/azure-kv.js';

// biome-ignore lint/suspicious/noExplicitAny: raw JSON bodies are probed field by field in assertions
type Json = any;

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: Json;
}

function raw(
  emu: AzureKvEmulator,
  method: string,
  path: string,
  options: { auth?: boolean; body?: unknown; host?: string; token?: string } = {},
): Promise<Raw> {
  const url = new URL(path, emu.url);
  if (options.host) url.hostname = options.host;
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method,
        ca: emu.ca,
        headers: {
          ...(options.auth === false ? {} : { authorization: `Bearer ${options.token ?? emu.token}` }),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            text,
            json: text ? JSON.parse(text) : undefined,
          });
        });
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** Every item of a paged list, following nextLink to the end. */
async function collect(emu: AzureKvEmulator, path: string): Promise<Json[]> {
  const items: Json[] = [];
  let next: string | null = path;
  while (next) {
    const page: Raw = await raw(emu, 'GET', next);
    expect(page.status).toBe(200);
    items.push(...page.json.value);
    next = page.json.nextLink;
  }
  return items;
}

/** A static credential that records what the challenge asked for. */
function staticCredential(
  token: string,
): TokenCredential & { calls: Array<{ scopes: string | string[]; tenantId?: string | undefined }> } {
  const calls: Array<{ scopes: string | string[]; tenantId?: string | undefined }> = [];
  return {
    calls,
    async getToken(scopes, options) {
      calls.push({ scopes, tenantId: options?.tenantId });
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

function clientFor(emu: AzureKvEmulator, url = emu.url): SecretClient {
  return new SecretClient(url, staticCredential(emu.token), {
    disableChallengeResourceVerification: true,
    tlsOptions: { ca: emu.ca },
    retryOptions: { maxRetries: 0 },
  } as ConstructorParameters<typeof SecretClient>[2]);
}

const V = '?api-version=7.5';
const HEX32 = /^[0-9a-f]{32}$/;

describe('azure-kv emulator', () => {
  let emu: AzureKvEmulator;
  beforeAll(async () => {
    emu = await startAzureKvEmulator({ deleteVisibilityMs: 250, recoverVisibilityMs: 100 });
  });
  afterAll(async () => {
    await emu.stop();
  });
  beforeEach(() => emu.reset());

  describe('transport and auth (docs/protocols/azure-key-vault.md#transport, #authentication-challenge)', () => {
    it('serves HTTPS with a certificate valid for 127.0.0.1 and localhost', async () => {
      emu.plant('a', 'x');
      const viaIp = await raw(emu, 'GET', `/secrets/a${V}`);
      const viaName = await raw(emu, 'GET', `/secrets/a${V}`, { host: 'localhost' });
      expect(viaIp.status).toBe(200);
      expect(viaName.status).toBe(200);
    });

    it('is rejected by a client that does not trust its certificate', async () => {
      const c = new SecretClient(emu.url, staticCredential(emu.token), {
        disableChallengeResourceVerification: true,
        retryOptions: { maxRetries: 0 },
      });
      await expect(c.getSecret('a')).rejects.toMatchObject({
        name: 'RestError',
        code: expect.stringMatching(/CERT/),
      });
    });

    it('answers an unauthenticated request with 401 and a quoted challenge naming the tenant', async () => {
      const res = await raw(emu, 'GET', `/secrets/a${V}`, { auth: false });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toBe(
        `Bearer authorization="https://login.windows.net/${emu.tenantId}", resource="https://vault.azure.net"`,
      );
      expect(res.json).toEqual({
        error: { code: 'Unauthorized', message: 'AKV10000: Request is missing a Bearer or PoP token.' },
      });
    });

    it('challenges the SDK first, then accepts the token it got for the vault scope and tenant', async () => {
      const cred = staticCredential(emu.token);
      const c = new SecretClient(emu.url, cred, {
        disableChallengeResourceVerification: true,
        tlsOptions: { ca: emu.ca },
      } as ConstructorParameters<typeof SecretClient>[2]);
      await c.setSecret('first', 'v');
      await c.getSecret('first');
      expect(emu.requests.map((r) => [r.method, r.authorized])).toEqual([
        ['PUT', false],
        ['PUT', true],
        ['GET', true],
      ]);
      expect(cred.calls[0]).toEqual({ scopes: ['https://vault.azure.net/.default'], tenantId: emu.tenantId });
    });

    it('rejects a wrong token with the challenge again', async () => {
      const res = await raw(emu, 'GET', `/secrets/a${V}`, { token: 'not-the-token' });
      expect(res.status).toBe(401);
      expect(res.headers['www-authenticate']).toContain('resource="https://vault.azure.net"');
    });

    it('accepts api%2Dversion, and refuses unknown or missing api-version with 400 BadParameter', async () => {
      emu.plant('a', 'x');
      expect((await raw(emu, 'GET', '/secrets/a?api%2Dversion=2025-07-01')).status).toBe(200);
      const bad = await raw(emu, 'GET', '/secrets/a?api-version=1999-01-01');
      expect(bad.status).toBe(400);
      expect(bad.json.error.code).toBe('BadParameter');
      expect(bad.json.error.message).toMatch(/^The specified version \(1999-01-01\) is not recognized\./);
      const missing = await raw(emu, 'GET', '/secrets/a');
      expect(missing.status).toBe(400);
      expect(missing.json.error.code).toBe('BadParameter');
    });

    it('builds ids from the Host header, with the port', async () => {
      const put = await raw(emu, 'PUT', `/secrets/Host-Test${V}`, {
        body: { value: 'v' },
        host: 'localhost',
      });
      const port = new URL(emu.url).port;
      expect(put.json.id).toMatch(new RegExp(`^https://localhost:${port}/secrets/Host-Test/[0-9a-f]{32}$`));
    });
  });

  describe('data model and reads (docs/protocols/azure-key-vault.md#data-model, #endpoints)', () => {
    it('routes GET /secrets/{name}/ (trailing slash) and /secrets/{name} to the latest version', async () => {
      emu.plant('t', 'one');
      const v2 = emu.plant('t', 'two');
      const a = await raw(emu, 'GET', `/secrets/t/${V}`);
      const b = await raw(emu, 'GET', `/secrets/t${V}`);
      expect(a.json.value).toBe('two');
      expect(b.json.id).toBe(a.json.id);
      expect(a.json.id.endsWith(v2)).toBe(true);
      await clientFor(emu).getSecret('t');
      expect(emu.requests.at(-1)?.path).toBe('/secrets/t/');
    });

    it('uses 32-hex versions, Unix-second times, and omits unset optional fields', async () => {
      const before = Math.floor(Date.now() / 1000);
      const res = await raw(emu, 'PUT', `/secrets/m${V}`, { body: { value: 'v', attributes: {} } });
      const after = Math.floor(Date.now() / 1000);
      expect(res.status).toBe(200);
      const version = res.json.id.split('/').at(-1);
      expect(version).toMatch(HEX32);
      expect(Number.isInteger(res.json.attributes.created)).toBe(true);
      // Unix seconds of the write: between the clock before and after the request (no elapsed-time bound).
      expect(res.json.attributes.created).toBeGreaterThanOrEqual(before);
      expect(res.json.attributes.created).toBeLessThanOrEqual(after);
      expect(res.json.attributes).toMatchObject({
        enabled: true,
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      });
      expect('contentType' in res.json).toBe(false);
      expect('tags' in res.json).toBe(false);
    });

    it('treats names case-insensitively and keeps the original case in ids', async () => {
      emu.plant('MixedCase', 'v1');
      const res = await raw(emu, 'GET', `/secrets/mixedcase${V}`);
      expect(res.json.value).toBe('v1');
      expect(res.json.id).toContain('/secrets/MixedCase/');
      await raw(emu, 'PUT', `/secrets/MIXEDCASE${V}`, { body: { value: 'v2' } });
      expect(await collect(emu, `/secrets/mixedcase/versions${V}`)).toHaveLength(2);
    });

    it('refuses invalid names with 400 BadParameter and PUT /secrets/ with 405', async () => {
      const bad = await raw(emu, 'PUT', `/secrets/a_b${V}`, { body: { value: 'v' } });
      expect(bad.status).toBe(400);
      expect(bad.json.error).toEqual({
        code: 'BadParameter',
        message: 'The request URI contains an invalid name: a_b',
      });
      const empty = await raw(emu, 'PUT', `/secrets/${V}`, { body: { value: 'v' } });
      expect(empty.status).toBe(405);
      expect(empty.json.error).toEqual({ code: 'MethodNotAllowed', message: 'HTTP PUT not allowed' });
    });

    it('answers unknown names and versions with 404 SecretNotFound and a JSON body', async () => {
      const res = await raw(emu, 'GET', `/secrets/nope/${V}`);
      expect(res.status).toBe(404);
      expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(res.json.error.code).toBe('SecretNotFound');
      expect(res.json.error.message).toMatch(
        /^A secret with \(name\/id\) nope was not found in this key vault\./,
      );
      emu.plant('has', 'v');
      expect((await raw(emu, 'GET', `/secrets/has/${'0'.repeat(32)}${V}`)).status).toBe(404);
    });

    it('refuses a disabled version with 403 SecretDisabled, and PATCH re-enables it', async () => {
      const version = emu.plant('off', 'v', { enabled: false });
      const c = clientFor(emu);
      await expect(c.getSecret('off')).rejects.toMatchObject({
        statusCode: 403,
        code: 'Forbidden',
        message: 'Operation get is not allowed on a disabled secret.',
        details: { error: { innerError: { code: 'SecretDisabled' } } },
      });
      await c.updateSecretProperties('off', version, { enabled: true, tags: { t: '1' } });
      const s = await c.getSecret('off');
      expect(s.value).toBe('v');
      expect(s.properties.tags).toEqual({ t: '1' });
    });

    it('still returns an expired secret (exp is not enforced on reads, docs/protocols/azure-key-vault.md#errors)', async () => {
      emu.plant('old', 'v', { expiresOn: new Date('2020-01-01T00:00:00Z') });
      const s = await clientFor(emu).getSecret('old');
      expect(s.value).toBe('v');
      expect(s.properties.expiresOn?.toISOString()).toBe('2020-01-01T00:00:00.000Z');
    });

    it('round-trips contentType, tags and an expiry through the SDK', async () => {
      const c = clientFor(emu);
      const s = await c.setSecret('ct', 'v', {
        contentType: 'text/plain',
        tags: { env: 'prod' },
        expiresOn: new Date('2037-06-01T00:00:00Z'),
      });
      expect(s.properties.contentType).toBe('text/plain');
      expect(s.properties.tags).toEqual({ env: 'prod' });
      expect(s.properties.expiresOn?.toISOString()).toBe('2037-06-01T00:00:00.000Z');
    });

    it('keeps a date after 2038 as whole seconds, and the SDK reads it back', async () => {
      // Sent raw: @azure/keyvault-secrets 4.10 to 4.12.0 write such dates as a wrapped 32-bit
      // number (docs/protocols/azure-key-vault.md#known-sdk-bugs); reading them is unaffected.
      const exp = Date.UTC(2040, 0, 1) / 1000;
      const put = await raw(emu, 'PUT', `/secrets/after-2038${V}`, {
        body: { value: 'v', attributes: { exp } },
      });
      expect((put.json as { attributes: { exp: number } }).attributes.exp).toBe(exp);
      const s = await clientFor(emu).getSecret('after-2038');
      expect(s.properties.expiresOn?.toISOString()).toBe('2040-01-01T00:00:00.000Z');
    });
  });

  describe('paging (docs/protocols/azure-key-vault.md#paging)', () => {
    it('returns empty intermediate pages with an absolute nextLink carrying port, api-version and maxresults', async () => {
      for (const n of ['p1', 'p2', 'p3']) emu.plant(n, 'v');
      const first = await raw(emu, 'GET', `/secrets${V}&maxresults=2`);
      expect(first.json.value).toEqual([]);
      const link = new URL(first.json.nextLink);
      expect(link.origin).toBe(emu.url);
      expect(link.port).not.toBe('');
      expect(link.searchParams.get('api-version')).toBe('7.5');
      expect(link.searchParams.get('maxresults')).toBe('2');
      const names: string[] = [];
      let next: string | null = first.json.nextLink;
      let pages = 1;
      while (next) {
        const res = await raw(emu, 'GET', next);
        expect(Array.isArray(res.json.value)).toBe(true);
        for (const item of res.json.value) {
          expect(item.value).toBeUndefined();
          expect(item.id).toMatch(/\/secrets\/p\d$/); // list ids carry no version
          names.push(item.id.split('/').at(-1));
        }
        next = res.json.nextLink;
        pages++;
      }
      expect(names).toEqual(['p1', 'p2', 'p3']);
      expect(pages).toBe(4); // empty, [p1,p2], empty, [p3]
    });

    it('is followed by the SDK page iterator through every empty page', async () => {
      for (let i = 0; i < 5; i++) emu.plant(`s${i}`, 'v');
      const pages: string[][] = [];
      for await (const page of clientFor(emu).listPropertiesOfSecrets().byPage({ maxPageSize: 2 })) {
        pages.push(page.map((p) => p.name));
      }
      expect(pages).toEqual([[], ['s0', 's1'], [], ['s2', 's3'], [], ['s4']]);
    });

    it('lists versions with ids that include the version, and an unknown secret as an empty list', async () => {
      emu.plant('vv', 'a');
      emu.plant('vv', 'b');
      const versions: string[] = [];
      for await (const p of clientFor(emu).listPropertiesOfSecretVersions('vv'))
        versions.push(p.version ?? '');
      expect(versions).toHaveLength(2);
      expect(versions.every((v) => HEX32.test(v))).toBe(true);
      const none = await raw(emu, 'GET', `/secrets/never/versions${V}`);
      expect(none.status).toBe(200);
      expect(await collect(emu, `/secrets/never/versions${V}`)).toEqual([]);
    });

    it('refuses maxresults above 25', async () => {
      const res = await raw(emu, 'GET', `/secrets${V}&maxresults=26`);
      expect(res.status).toBe(400);
      expect(res.json.error.code).toBe('BadParameter');
    });
  });

  describe('soft delete, recover and purge (docs/protocols/azure-key-vault.md#soft-delete, #the-sdk)', () => {
    // Raw-request cases use long delays and settle() so a slow machine cannot pass a delay by accident.
    let slow: AzureKvEmulator;
    beforeAll(async () => {
      slow = await startAzureKvEmulator({ deleteVisibilityMs: 60_000, recoverVisibilityMs: 60_000 });
    });
    afterAll(async () => {
      await slow.stop();
    });

    it('hides /deletedsecrets/{name} for a while after DELETE, then shows it', async () => {
      slow.plant('gone', 'v');
      const del = await raw(slow, 'DELETE', `/secrets/gone${V}`);
      expect(del.status).toBe(200);
      expect(del.json.recoveryId).toBe(`${slow.url}/deletedsecrets/gone`);
      expect(del.json.value).toBeUndefined();
      expect(Number.isInteger(del.json.deletedDate)).toBe(true);
      const early = await raw(slow, 'GET', `/deletedsecrets/gone${V}`);
      expect(early.status).toBe(404);
      expect(early.json.error.message).toBe('Deleted Secret not found: gone');
      expect((await raw(slow, 'GET', `/secrets/gone${V}`)).status).toBe(404);
      slow.settle();
      const later = await raw(slow, 'GET', `/deletedsecrets/gone${V}`);
      expect(later.status).toBe(200);
      expect(later.json.scheduledPurgeDate).toBeGreaterThan(later.json.deletedDate);
      const items = await collect(slow, `/deletedsecrets${V}`);
      expect(items.map((i: { recoveryId: string }) => i.recoveryId)).toEqual([
        `${slow.url}/deletedsecrets/gone`,
      ]);
    });

    it('lets the SDK delete poller finish, then answers PUT with 409 ObjectIsDeletedButRecoverable', async () => {
      const c = clientFor(emu);
      await c.setSecret('again', 'v1');
      const poller = await c.beginDeleteSecret('again', { intervalInMs: 20 });
      const deleted = await poller.pollUntilDone();
      expect(deleted.name).toBe('again');
      const polls = emu.requests.filter((r) => r.path === '/deletedsecrets/again');
      expect(polls.length).toBeGreaterThan(1); // at least one 404 "still running" before the 200
      await expect(c.setSecret('again', 'v2')).rejects.toMatchObject({
        statusCode: 409,
        code: 'Conflict',
        details: { error: { innerError: { code: 'ObjectIsDeletedButRecoverable' } } },
      });
    });

    it('answers 409 ObjectIsBeingDeleted to PUT and purge while the delete is in progress', async () => {
      slow.plant('busy', 'v');
      await raw(slow, 'DELETE', `/secrets/busy${V}`);
      const put = await raw(slow, 'PUT', `/secrets/busy${V}`, { body: { value: 'v' } });
      expect(put.json.error.innererror).toEqual({ code: 'ObjectIsBeingDeleted' });
      const purge = await raw(slow, 'DELETE', `/deletedsecrets/busy${V}`);
      expect(purge.status).toBe(409);
    });

    it('recovers (200 without value), briefly 404s and 409s ObjectIsBeingRecovered, then serves the secret', async () => {
      slow.plant('rec', 'v');
      await raw(slow, 'DELETE', `/secrets/rec${V}`);
      slow.settle();
      const rec = await raw(slow, 'POST', `/deletedsecrets/rec/recover${V}`);
      expect(rec.status).toBe(200);
      expect(rec.json.value).toBeUndefined();
      expect(rec.json.id).toMatch(/\/secrets\/rec\/[0-9a-f]{32}$/);
      expect((await raw(slow, 'GET', `/secrets/rec/${V}`)).status).toBe(404);
      const put = await raw(slow, 'PUT', `/secrets/rec${V}`, { body: { value: 'w' } });
      expect(put.json.error.innererror).toEqual({ code: 'ObjectIsBeingRecovered' });
      slow.settle();
      expect((await raw(slow, 'GET', `/secrets/rec/${V}`)).json.value).toBe('v');
    });

    it('lets the SDK recover poller finish', async () => {
      const c = clientFor(emu);
      await c.setSecret('rp', 'v');
      await (await c.beginDeleteSecret('rp', { intervalInMs: 20 })).pollUntilDone();
      await (await c.beginRecoverDeletedSecret('rp', { intervalInMs: 20 })).pollUntilDone();
      expect((await c.getSecret('rp')).value).toBe('v');
    });

    it('purges with 204 and no body; the name is free again', async () => {
      slow.plant('pg', 'v');
      await raw(slow, 'DELETE', `/secrets/pg${V}`);
      slow.settle();
      const purge = await raw(slow, 'DELETE', `/deletedsecrets/pg${V}`);
      expect(purge.status).toBe(204);
      expect(purge.text).toBe('');
      expect((await raw(slow, 'GET', `/deletedsecrets/pg${V}`)).status).toBe(404);
      expect((await raw(slow, 'PUT', `/secrets/pg${V}`, { body: { value: 'w' } })).status).toBe(200);
    });
  });

  describe('vault variants', () => {
    it('without soft delete, DELETE is final and has no recoveryId (the SDK poller completes at once)', async () => {
      const hard = await startAzureKvEmulator({ softDelete: false });
      try {
        const c = clientFor(hard);
        await c.setSecret('h', 'v');
        const done = await (await c.beginDeleteSecret('h', { intervalInMs: 20 })).pollUntilDone();
        expect(done.recoveryId).toBeUndefined();
        expect(hard.requests.some((r) => r.path.startsWith('/deletedsecrets'))).toBe(false);
        expect((await raw(hard, 'PUT', `/secrets/h${V}`, { body: { value: 'w' } })).status).toBe(200);
      } finally {
        await hard.stop();
      }
    });

    it('with purge protection, purge answers 403', async () => {
      const pp = await startAzureKvEmulator({ purgeProtection: true, deleteVisibilityMs: 0 });
      try {
        pp.plant('x', 'v');
        await raw(pp, 'DELETE', `/secrets/x${V}`);
        const purge = await raw(pp, 'DELETE', `/deletedsecrets/x${V}`);
        expect(purge.status).toBe(403);
        expect(purge.json.error.code).toBe('Forbidden');
      } finally {
        await pp.stop();
      }
    });
  });

  describe('test controls', () => {
    it('injects 429 with Retry-After and 503, each with a JSON body', async () => {
      emu.failNext(429, 1, { retryAfterSeconds: 3 });
      emu.failNext(503);
      const t = await raw(emu, 'GET', `/secrets/a${V}`);
      expect(t.status).toBe(429);
      expect(t.headers['retry-after']).toBe('3');
      expect(t.json.error.code).toBe('Throttled');
      const u = await raw(emu, 'GET', `/secrets/a${V}`);
      expect(u.status).toBe(503);
      expect(u.json.error.code).toBe('ServiceUnavailable');
    });

    it('drops connections during an outage', async () => {
      emu.setOutage(true);
      await expect(raw(emu, 'GET', `/secrets/a${V}`)).rejects.toThrow();
      emu.setOutage(false);
      expect((await raw(emu, 'GET', `/secrets/a${V}`)).status).toBe(404);
    });

    it('delays responses', async () => {
      emu.setLatency(120);
      const t0 = Date.now();
      await raw(emu, 'GET', `/secrets/a${V}`);
      // A guaranteed lower bound, not a speed target: the emulator sleeps 120 ms before answering,
      // and load only makes that longer (100 leaves room for the two clocks' rounding).
      expect(Date.now() - t0).toBeGreaterThanOrEqual(100);
    });
  });
});
