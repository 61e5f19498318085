/** Key rings (the snapshot form, and live rings read from each store): the current key signs, previous versions verify until the grace window closes. */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { envSource } from '../../providers/env.js';
import { memorySource } from '../../providers/memory.js';
import type { SecretEvent } from '../../src/core/events.js';
import { keyIdOf } from '../../src/core/fingerprint.js';
import type { SecretSource } from '../../src/core/source.js';
import { createKeyRing } from '../../src/keys/keyring.js';
import { rotateSecret } from '../../src/keys/rotate.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { emulatedAzure, emulatedVault } from './stores.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('key ring on a memory store', () => {
  it('signs with the newest version and verifies the previous one until the window closes', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
    const resolver = createResolver({ sources: [memorySource()] });
    const first = await rotateSecret(resolver, 'memory:jwt', { create: true });
    expect(first).toMatchObject({ source: 'memory', name: 'jwt', version: '1', previousVersion: undefined });
    vi.setSystemTime(new Date('2026-01-02T00:00:00Z'));
    const events: SecretEvent[] = [];
    const second = await rotateSecret(resolver, 'memory:jwt', {
      onEvent: (e) => events.push(e),
      context: { by: 'test' },
    });
    expect(second).toMatchObject({ version: '2', previousVersion: '1' });
    expect(events).toEqual([
      expect.objectContaining({
        type: 'rotate',
        outcome: 'ok',
        version: '2',
        fingerprint: expect.stringMatching(/^fpr_[0-9a-f]{16}$/),
        context: { by: 'test' },
      }),
    ]);

    // The snapshot form (scripts): one read, judged against the clock at each call.
    const ring = await createKeyRing(resolver, 'memory:jwt', { graceMs: 3_600_000 });
    expect(ring.current).toMatchObject({ kid: second.kid, version: '2', current: true });
    // The kid is published in tokens: a digest of the name and version, not of the key.
    expect(ring.current.kid).toBe(keyIdOf(new Uint8Array(), { name: 'jwt', version: '2' }));
    expect(ring.current.kid).toMatch(/^k_[0-9a-f]{16}$/);
    expect(ring.current.kid).not.toContain(ring.current.secret.fingerprint().slice(4));
    expect(ring.verificationKeys().map((k) => k.version)).toEqual(['2', '1']);
    expect(ring.find(first.kid)?.version).toBe('1');

    vi.setSystemTime(new Date('2026-01-02T00:59:59Z'));
    expect(ring.find(first.kid)).toBeDefined();
    vi.setSystemTime(new Date('2026-01-02T01:00:00Z'));
    expect(ring.find(first.kid)).toBeUndefined();
    expect(ring.verificationKeys().map((k) => k.version)).toEqual(['2']);
    expect(ring.find(second.kid)).toBeDefined();
    // A ring read after the window closed leaves the old key out from the start.
    expect(
      (await createKeyRing(resolver, 'memory:jwt', { graceMs: 3_600_000 })).verificationKeys(),
    ).toHaveLength(1);
  });

  it('refuses a ref without a source', async () => {
    const resolver = createResolver({ sources: [memorySource()] });
    await expect(resolver.keyRing('jwt')).rejects.toMatchObject({ code: 'ERR_REF_INVALID' });
  });

  it('a store without versions gives a ring of one key', async () => {
    const resolver = createResolver({
      sources: [envSource({ env: { JWT_SECRET_KEY: randomBytes(48).toString('base64url') } })],
    });
    const ring = await resolver.keyRing('env:JWT_SECRET_KEY');
    expect(ring.verificationKeys()).toHaveLength(1);
    expect(ring.current.version).toBeUndefined();
  });
});

describe("key ring from each store's versions, and revocation in each store's terms", () => {
  beforeAll(() => {
    for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
  });
  const uid = () => randomBytes(4).toString('hex');
  const stores: Array<[string, () => SecretSource, () => string]> = [
    ['aws-sm (stages)', () => awsSecretsManager(), () => `ring/${uid()}`],
    ['aws-ssm (versions)', () => awsSsm(), () => `/ring/${uid()}`],
    ['azure-kv (versions)', emulatedAzure, () => `ring_${uid()}`],
    ['vault KV v2 (versions)', emulatedVault, () => `ring/${uid()}`],
  ];
  for (const [label, make, name] of stores) {
    it(label, async () => {
      const source = make();
      const resolver = createResolver({ sources: [source] });
      const ref = `${source.id}:${name()}`;
      const kids = [];
      for (let i = 0; i < 3; i++) kids.push((await rotateSecret(resolver, ref, { create: i === 0 })).kid);
      const ring = await resolver.keyRing(ref, { graceMs: 3_600_000 });
      expect(ring.current.kid).toBe(kids[2]);
      expect(ring.verificationKeys().map((k) => k.kid)).toEqual([kids[2], kids[1], kids[0]]);
      const closed = await resolver.keyRing(ref, { graceMs: 0 });
      expect(closed.verificationKeys().map((k) => k.kid)).toEqual([kids[2]]);
      // Emergency revocation in the store's own terms: the live ring drops every previous key at its next read.
      const revoked = await rotateSecret(resolver, ref, { revokePrevious: true });
      expect(revoked.revoked).toHaveLength(3);
      await ring.refresh();
      expect(ring.verificationKeys().map((k) => k.kid)).toEqual([revoked.kid]);
      expect(ring.current.kid).toBe(revoked.kid);
      expect(ring.find(kids[2]!)).toBeUndefined();
      await resolver.close();
    });
  }
});
