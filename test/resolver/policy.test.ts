import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { describe, expect, it, vi } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { createResolver, type SecretEvent } from '../../src/index.js';

const strong = () => randomBytes(48).toString('base64url');

describe('resolver strength policy', () => {
  it('production: a weak JWT key throws ERR_SECRET_WEAK listing every issue, without the value', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: 'changeme' } })],
      policy: { environment: 'production' },
    });
    const err = await r.get('memory:JWT_SECRET_KEY').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_SECRET_WEAK', source: 'memory', secretName: 'JWT_SECRET_KEY' });
    const codes = (err as { issues: Array<{ code: string }> }).issues.map((i) => i.code);
    expect(codes.length).toBeGreaterThanOrEqual(2);
    expect(codes).toContain('WEAK_PLACEHOLDER');
    expect(inspect(err, { depth: 9, showHidden: true })).not.toContain('changeme');
  });

  it('policy.knownValues: this resolver rejects your own values (any encoding of their bytes), others do not', async () => {
    const leaked = randomBytes(32);
    const initial = { JWT_SECRET_KEY: leaked.toString('base64url'), API_KEY: strong() };
    const r = createResolver({
      sources: [memorySource({ initial })],
      policy: {
        environment: 'production',
        knownValues: [{ value: leaked.toString('hex'), source: 'the key leaked in INC-42' }],
      },
    });
    const err = await r.get('memory:JWT_SECRET_KEY').catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_SECRET_WEAK' });
    expect((err as { issues: unknown[] }).issues).toContainEqual(
      expect.objectContaining({
        code: 'WEAK_KNOWN_DEFAULT',
        source: 'the key leaked in INC-42',
        via: 'user list',
      }),
    );
    expect(inspect(err, { depth: 9, showHidden: true })).not.toContain(initial.JWT_SECRET_KEY.slice(0, 12));
    expect((await r.get('memory:API_KEY', { profile: 'jwt-hs256' })).reveal()).toBe(initial.API_KEY);
    // The list is this resolver's: another one accepts the same key.
    const other = createResolver({
      sources: [memorySource({ initial })],
      policy: { environment: 'production' },
    });
    expect((await other.get('memory:JWT_SECRET_KEY')).reveal()).toBe(initial.JWT_SECRET_KEY);
  });

  it('development: the same key resolves, with a weak warning event', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: 'changeme' } })],
      policy: { environment: 'development' },
      onEvent: (e) => events.push(e),
    });
    expect((await r.get('memory:JWT_SECRET_KEY')).reveal()).toBe('changeme');
    const weak = events.find((e) => e.type === 'weak');
    expect(weak).toMatchObject({ outcome: 'warning', name: 'JWT_SECRET_KEY' });
    expect(JSON.stringify(events)).not.toContain('changeme');
  });

  it('strict development fails like production', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: 'changeme' } })],
      policy: { environment: 'development', strict: true },
    });
    await expect(r.get('memory:JWT_SECRET_KEY')).rejects.toMatchObject({ code: 'ERR_SECRET_WEAK' });
  });

  it('a strong key passes; the name rule only picks JWT and SECRET_KEY names', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: strong(), GREETING: 'hello' } })],
      policy: { environment: 'production' },
    });
    await expect(r.get('memory:JWT_SECRET_KEY')).resolves.toBeDefined();
    await expect(r.get('memory:GREETING')).resolves.toBeDefined();
    await expect(r.get('memory:GREETING', { profile: 'jwt-hs256' })).rejects.toMatchObject({
      code: 'ERR_SECRET_WEAK',
    });
  });

  it('policy.profiles maps names (exact and /regex/) to profiles, or to none', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { API_TOKEN: 'short', JWT_SECRET_KEY: 'changeme' } })],
      policy: { environment: 'production', profiles: { '/TOKEN$/': 'api-key', JWT_SECRET_KEY: 'none' } },
    });
    await expect(r.get('memory:API_TOKEN')).rejects.toMatchObject({ code: 'ERR_SECRET_WEAK' });
    await expect(r.get('memory:JWT_SECRET_KEY')).resolves.toBeDefined();
  });

  it('checks once per fetched version, not on every cache hit', async () => {
    const check = vi.fn(() => ({ ok: true, issues: [], estimatedBits: 300 }));
    const mem = memorySource({ initial: { JWT_SECRET_KEY: strong() } });
    const r = createResolver({
      sources: [mem],
      policy: { environment: 'production', check },
      cache: { ttlMs: 60_000 },
    });
    for (let i = 0; i < 50; i++) await r.get('memory:JWT_SECRET_KEY');
    expect(check).toHaveBeenCalledTimes(1);
    await mem.set!('JWT_SECRET_KEY', strong());
    await r.refresh('memory:JWT_SECRET_KEY');
    await r.get('memory:JWT_SECRET_KEY');
    expect(check).toHaveBeenCalledTimes(2);
  });

  it('load() reports weak and missing keys together', async () => {
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: 'secret' } })],
      policy: { environment: 'production' },
    });
    const err = await r
      .load({
        JWT_SECRET_KEY: { ref: 'memory:JWT_SECRET_KEY', profile: 'jwt-hs256' },
        OTHER: { ref: 'memory:OTHER' },
      })
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'ERR_CONFIG_INVALID' });
    const issues = (err as { issues: Array<{ code: string; path: string[] }> }).issues;
    expect(issues.some((i) => i.path[0] === 'OTHER' && i.code === 'ERR_SECRET_NOT_FOUND')).toBe(true);
    expect(issues.some((i) => i.path[0] === 'JWT_SECRET_KEY' && i.code.startsWith('WEAK_'))).toBe(true);
  });

  it('warns when the store date is older than the rotation period', async () => {
    const events: SecretEvent[] = [];
    const mem = memorySource({ initial: { JWT_SECRET_KEY: strong() } });
    const r = createResolver({
      sources: [mem],
      policy: { environment: 'production', rotationDays: 90 },
      onEvent: (e) => events.push(e),
    });
    vi.useFakeTimers();
    try {
      vi.setSystemTime(Date.now() + 91 * 86_400_000);
      await r.get('memory:JWT_SECRET_KEY');
    } finally {
      vi.useRealTimers();
    }
    expect(events.find((e) => e.type === 'rotation-due')).toMatchObject({
      outcome: 'warning',
      name: 'JWT_SECRET_KEY',
      message: expect.stringMatching(/last changed 91 days ago \(rotation period 90 days\)/),
    });
  });
});

describe('reuse across environments', () => {
  const shared = strong();
  const staging = () =>
    createResolver({ sources: [memorySource({ initial: { JWT_SECRET_KEY: shared, OWN: strong() } })] });

  it('production: a value equal to staging is ERR_SECRET_WEAK, reported by fingerprint only', async () => {
    const peer = staging();
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: shared, OWN: strong() } })],
      policy: {
        environment: 'production',
        compareWith: [{ environment: 'staging', get: (ref) => peer.getOptional(ref, { profile: 'none' }) }],
      },
    });
    const err = await r.get('memory:JWT_SECRET_KEY').catch((e: unknown) => e);
    expect(err).toMatchObject({
      code: 'ERR_SECRET_WEAK',
      message: 'secret "JWT_SECRET_KEY" from source "memory" is shared with staging',
    });
    const issue = (err as { issues: Array<Record<string, unknown>> }).issues[0];
    expect(issue).toMatchObject({
      code: 'WEAK_SHARED',
      otherEnvironment: 'staging',
      fingerprint: expect.stringMatching(/^fpr_/),
    });
    expect(inspect(err, { depth: 9, showHidden: true })).not.toContain(shared);
    await expect(r.get('memory:OWN')).resolves.toBeDefined();
  });

  it('development: a warning event, the value still resolves; the comparison runs once per version', async () => {
    const peer = staging();
    const peerGet = vi.fn((ref: string) => peer.getOptional(ref, { profile: 'none' }));
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: shared } })],
      policy: { environment: 'development', compareWith: [{ environment: 'staging', get: peerGet }] },
      onEvent: (e) => events.push(e),
    });
    for (let i = 0; i < 5; i++) await r.get('memory:JWT_SECRET_KEY');
    expect(peerGet).toHaveBeenCalledTimes(1);
    expect(events.filter((e) => e.type === 'reused')).toHaveLength(1);
    expect(JSON.stringify(events)).not.toContain(shared);
  });

  it('a peer that cannot be read is a warning, not a pass in silence', async () => {
    const events: SecretEvent[] = [];
    const r = createResolver({
      sources: [memorySource({ initial: { JWT_SECRET_KEY: shared } })],
      policy: {
        environment: 'production',
        compareWith: [
          {
            environment: 'staging',
            map: (ref) => ref.replace('memory:', 'nosuch:'),
            get: (ref) => staging().getOptional(ref),
          },
        ],
      },
      onEvent: (e) => events.push(e),
    });
    await expect(r.get('memory:JWT_SECRET_KEY')).resolves.toBeDefined();
    expect(events.find((e) => e.type === 'reused')).toMatchObject({
      outcome: 'warning',
      code: 'ERR_REF_INVALID',
      message: 'could not compare "JWT_SECRET_KEY" with environment staging',
    });
  });
});
