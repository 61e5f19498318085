/**
 * rotateSecret: a new version, the rest of a JSON secret kept byte for byte, and nothing destroyed
 * or created by accident (a JSON secret without #field, a typo, a pruned previous version).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { envSource } from '../../providers/env.js';
import { memorySource } from '../../providers/memory.js';
import type { SecretEvent } from '../../src/core/events.js';
import { keyIdOf } from '../../src/core/fingerprint.js';
import type { SecretSource } from '../../src/core/source.js';
import { createKeyRing } from '../../src/keys/keyring.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { codeOf, collect } from '../helpers/assertions.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('rotateSecret', () => {
  it('rotates a #field and keeps the other fields', async () => {
    const mem = memorySource({ initial: { app: JSON.stringify({ jwt: 'x'.repeat(10), db: 'keep' }) } });
    const resolver = createResolver({ sources: [mem] });
    const r = await rotateSecret(resolver, 'memory:app#jwt', { bytes: 32, encoding: 'hex' });
    const app = JSON.parse((await mem.get('app'))!.value.reveal());
    expect(app.db).toBe('keep');
    expect(app.jwt).toMatch(/^[0-9a-f]{64}$/);
    expect(r).toMatchObject({
      field: 'jwt',
      version: '2',
      previousVersion: '1',
      previousKept: true,
      created: false,
      warnings: [],
    });
    const ring = await createKeyRing(resolver, 'memory:app#jwt', { graceMs: 60_000 });
    expect(ring.current.secret.reveal()).toBe(app.jwt);
    expect(ring.verificationKeys()).toHaveLength(2);
  });

  it('keeps every other field as the exact stored text (numbers are not re-serialised)', async () => {
    const text =
      '{ "big": 12345678901234567890, "f": 1.10, "e": 1e21, "s": "a\\"}", "jwt": "old", "n": {"jwt": 1} }';
    const mem = memorySource({ initial: { app: text } });
    await rotateSecret(mem, 'memory:app#jwt');
    const after = (await mem.get('app'))!.value.reveal();
    const key = JSON.parse(after).jwt as string;
    expect(key).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(after).toBe(text.replace('"jwt": "old"', `"jwt": "${key}"`));
    await rotateSecret(mem, 'memory:app#added', { create: true });
    expect(JSON.parse((await mem.get('app'))!.value.reveal())).toHaveProperty('added');
    expect((await mem.get('app'))!.value.reveal()).toContain('"big": 12345678901234567890');
    const empty = memorySource({ initial: { e: ' {} ' } });
    await rotateSecret(empty, 'memory:e#k', { create: true });
    expect(Object.keys(JSON.parse((await empty.get('e'))!.value.reveal()))).toEqual(['k']);
  });

  it('refuses a JSON secret without #field unless whole, and a missing secret or field unless create', async () => {
    const json = JSON.stringify({ jwt: 'a'.repeat(40), db_password: 'keep' });
    const mem = memorySource({ initial: { app: json } });
    const whole = await codeOf(rotateSecret(mem, 'memory:app'));
    expect(whole).toMatchObject({ code: 'ERR_USAGE', source: 'memory', secretName: 'app' });
    expect(whole.message).toBe(
      'secret "app" in source "memory" holds a JSON object (2 fields); rotating it whole would replace every field with one key',
    );
    expect(whole.hint).toMatch(/--whole/);
    const missing = await codeOf(rotateSecret(mem, 'memory:apq#jwt'));
    expect(missing).toMatchObject({ code: 'ERR_SECRET_NOT_FOUND', secretName: 'apq' });
    expect(missing.hint).toMatch(/--create/);
    const field = await codeOf(rotateSecret(mem, 'memory:app#jtw'));
    expect(field).toMatchObject({ code: 'ERR_SECRET_NOT_FOUND' });
    expect(field.message).toBe(
      'field "jtw" of secret "app" in source "memory" was not found; nothing was rotated',
    );
    const notJson = memorySource({ initial: { k: 'plain-text-key' } });
    expect(await codeOf(rotateSecret(notJson, 'memory:k#jwt'))).toMatchObject({
      code: 'ERR_SECRET_MALFORMED',
    });
    for (const e of [whole, missing, field]) expect(e.message + e.hint).not.toContain('a'.repeat(40));
    // Nothing was written by any refusal.
    expect(mem.stats.set).toBe(0);
    expect(await mem.get('apq')).toBeUndefined();
    expect((await mem.get('app'))!.value.reveal()).toBe(json);

    const replaced = await rotateSecret(mem, 'memory:app', { whole: true });
    expect(replaced).toMatchObject({ version: '2', previousKept: true, created: false });
    expect((await mem.get('app'))!.value.reveal()).not.toContain('db_password');
    const created = await rotateSecret(mem, 'memory:new', { create: true });
    expect(created).toMatchObject({
      version: '1',
      created: true,
      previousVersion: undefined,
      previousKept: undefined,
    });
  });

  it('reports previousKept false, with the reason, when the store no longer returns the previous version', async () => {
    const mem = memorySource({ initial: { k: 'x'.repeat(64) } });
    // A store that prunes on write: reading any version but the newest fails as Vault's max_versions 1 does.
    const pruning: SecretSource = {
      ...mem,
      async get(name, o) {
        if (o?.version !== undefined && o.version !== (await mem.get(name))?.version) {
          const { SecretNotFoundError } = await import('../../src/core/errors.js');
          throw new SecretNotFoundError(
            `version "${o.version}" of secret "${name}" was pruned in source "memory"`,
            {
              version: true,
              hint: 'the store keeps 1 version',
            },
          );
        }
        return mem.get(name, o);
      },
    };
    const r = await rotateSecret(pruning, 'memory:k', { whole: true });
    expect(r).toMatchObject({ version: '2', previousVersion: '1', previousKept: false });
    expect(r.warnings).toEqual([
      'previous version 1 of "k" is no longer readable, so tokens signed with it stop verifying now: version "1" of secret "k" was pruned in source "memory" (the store keeps 1 version)',
    ]);
  });

  it('revokePrevious: writes a new key, revokes every previous version, and records both in events', async () => {
    const mem = memorySource();
    await rotateSecret(mem, 'memory:jwt', { create: true });
    await rotateSecret(mem, 'memory:jwt');
    const events: SecretEvent[] = [];
    const r = await rotateSecret(mem, 'memory:jwt', { revokePrevious: true, onEvent: (e) => events.push(e) });
    expect(r).toMatchObject({ rotated: true, version: '3', previousVersion: '2', revoked: ['2', '1'] });
    expect(r.previousKept).toBeUndefined();
    const versions = await collect(mem.versions!('jwt'));
    expect(versions.map((v) => [v.version, v.enabled])).toEqual([
      ['3', true],
      ['2', false],
      ['1', false],
    ]);
    expect(events.map((e) => [e.type, e.outcome, e.version, e.versions])).toEqual([
      ['rotate', 'ok', '3', undefined],
      ['revoke', 'ok', '3', ['2', '1']],
    ]);
    // A store that cannot revoke is refused before anything is written.
    const noRevoke: SecretSource = { ...mem, capabilities: { ...mem.capabilities, revoke: false } };
    delete (noRevoke as { revokeVersions?: unknown }).revokeVersions;
    const sets = mem.stats.set;
    await expect(rotateSecret(noRevoke, 'memory:jwt', { revokePrevious: true })).rejects.toMatchObject({
      code: 'ERR_OPERATION_UNSUPPORTED',
    });
    expect(mem.stats.set).toBe(sets);
  });

  it("ifOlderThanMs rotates only a version older than asked, by the store's version date", async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const mem = memorySource();
    await rotateSecret(mem, 'memory:jwt', { create: true });
    vi.setSystemTime(new Date('2026-03-01T00:00:00Z'));
    const young = await rotateSecret(mem, 'memory:jwt', { ifOlderThanMs: 90 * 86_400_000 });
    expect(young).toMatchObject({ rotated: false, version: '1', ageMs: 59 * 86_400_000, revoked: [] });
    // The current version's ring kid (name and version), as a key ring gives it.
    expect(young.kid).toBe(keyIdOf(new Uint8Array(), { name: 'jwt', version: '1' }));
    expect(mem.stats.set).toBe(1);
    vi.setSystemTime(new Date('2026-04-01T00:00:00Z'));
    const old = await rotateSecret(mem, 'memory:jwt', { ifOlderThanMs: 90 * 86_400_000 });
    expect(old).toMatchObject({ rotated: true, version: '2', previousVersion: '1', ageMs: 90 * 86_400_000 });
    // A missing secret has no age: created only with create, as without ifOlderThanMs.
    await expect(rotateSecret(mem, 'memory:other', { ifOlderThanMs: 1 })).rejects.toMatchObject({
      code: 'ERR_SECRET_NOT_FOUND',
    });
  });

  it('refuses stores that cannot keep the old key, and refs without a source', async () => {
    const resolver = createResolver({ sources: [envSource({ env: { JWT: 'x' } }), memorySource()] });
    await expect(rotateSecret(resolver, 'env:JWT')).rejects.toMatchObject({
      code: 'ERR_OPERATION_UNSUPPORTED',
    });
    const noVersions: SecretSource = {
      ...memorySource({ id: 'flat' }),
      capabilities: { ...memorySource().capabilities, versions: false },
    };
    await expect(rotateSecret(noVersions, 'flat:jwt')).rejects.toMatchObject({
      code: 'ERR_OPERATION_UNSUPPORTED',
    });
    await expect(rotateSecret(resolver, 'jwt')).rejects.toMatchObject({ code: 'ERR_REF_INVALID' });
    await expect(rotateSecret(resolver, 'memory:jwt', { bytes: 8 })).rejects.toMatchObject({
      code: 'ERR_USAGE',
    });
  });
});
