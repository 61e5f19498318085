/**
 * One app instance of the fleet test, in its own Node process: a resolver and a live key ring per
 * store, signing and verifying HS256 tokens with jose through the ring's drop-in functions, and
 * counting every store call its sources make. Driven over the IPC channel by test/fleet/fleet.test.ts.
 */
import { jwtVerify, SignJWT } from 'jose';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource } from '../../src/core/source.js';
import type { LiveKeyRing } from '../../src/keys/live-ring.js';
import { createResolver } from '../../src/resolver/resolver.js';
import type { AppReply, AppRequest, RingRead, StoreName } from './protocol.js';

const send = (m: AppReply) => process.send!(m);

/** Wraps a source so every store call it makes is counted by method; nothing else changes. */
function counted(source: SecretSource, calls: Record<string, number>): SecretSource {
  return new Proxy(source, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function' || prop === 'close' || typeof prop !== 'string') return v;
      return (...args: unknown[]) => {
        calls[prop] = (calls[prop] ?? 0) + 1;
        return (v as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

interface Ring {
  ring: LiveKeyRing;
  calls: Record<string, number>;
  triggers: Record<string, number>;
  reads: RingRead[];
  startedAt: number;
}
const rings = new Map<StoreName, Ring>();

async function open(m: Extract<AppRequest, { type: 'open' }>): Promise<void> {
  const calls: Record<string, number> = {};
  const triggers: Record<string, number> = {};
  const reads: RingRead[] = [];
  const source =
    m.store === 'aws-sm'
      ? awsSecretsManager()
      : hashicorpVault({ endpoint: m.vaultAddr, token: m.vaultToken });
  const resolver = createResolver({ sources: [counted(source, calls)] });
  const onEvent = (e: SecretEvent) => {
    if (e.type !== 'refresh') return;
    const endedAt = Date.now();
    reads.push({
      trigger: e.trigger ?? 'unknown',
      ok: e.outcome === 'ok',
      startedAt: endedAt - (e.durationMs ?? 0),
      endedAt,
      code: e.code,
    });
    if (e.outcome === 'ok' && e.trigger) triggers[e.trigger] = (triggers[e.trigger] ?? 0) + 1;
  };
  const ring = await resolver.keyRing(m.ref, { ...m.ring, onEvent });
  rings.set(m.store, { ring, calls, triggers, reads, startedAt: performance.now() });
}

async function handle(m: AppRequest): Promise<AppReply> {
  switch (m.type) {
    case 'open':
      await open(m);
      return { id: m.id, ok: true };
    case 'sign': {
      const { kid, key } = rings.get(m.store)!.ring.signingKey();
      const token = await new SignJWT({ n: m.id })
        .setProtectedHeader({ alg: 'HS256', kid })
        .setIssuedAt()
        .setExpirationTime('10m')
        .sign(key);
      return { id: m.id, ok: true, token, kid };
    }
    case 'verify': {
      // When this process took the decision (the reply's trip back to the driver is not counted).
      const at = Date.now();
      try {
        await jwtVerify(m.token, rings.get(m.store)!.ring.getKey, { algorithms: ['HS256'] });
        return { id: m.id, ok: true, at };
      } catch (err) {
        return { id: m.id, ok: false, at, code: (err as { code?: string }).code ?? 'unknown' };
      }
    }
    case 'flood': {
      const getKey = rings.get(m.store)!.ring.getKey;
      let accepted = 0;
      for (let j = 0; j < m.tokens.length; j += 50) {
        const batch = await Promise.allSettled(
          m.tokens.slice(j, j + 50).map((t) => jwtVerify(t, getKey, { algorithms: ['HS256'] })),
        );
        accepted += batch.filter((v) => v.status === 'fulfilled').length;
      }
      return { id: m.id, ok: true, accepted };
    }
    case 'stats': {
      const r = rings.get(m.store)!;
      return {
        id: m.id,
        ok: true,
        calls: { ...r.calls },
        triggers: { ...r.triggers },
        reads: [...r.reads],
        elapsedMs: performance.now() - r.startedAt,
      };
    }
  }
}

process.on('message', (m: AppRequest) => {
  handle(m).then(send, (err: unknown) =>
    send({ id: m.id, ok: false, code: (err as { code?: string }).code ?? String(err) }),
  );
});
process.on('disconnect', () => process.exit(0));
send({ id: 0, ok: true });
