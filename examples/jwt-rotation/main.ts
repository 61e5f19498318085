/**
 * `tsx examples/jwt-rotation/main.ts`: rotate a JWT key across two app instances without a restart,
 * then revoke it in an emergency. A memory store stands in for Secrets Manager, Parameter Store, Key
 * Vault or Vault: a live key ring reads each store's versions the same way. Times are short so the
 * demo is quick: rings read the store every 0.2-0.3 s (refreshMs 300 ms).
 */
import { createResolver, rotateSecret } from 'secretsource';
import { memorySource } from 'secretsource/providers/memory';
import { createTokenService } from './tokens.js';

const say = (line: string) => console.log(line);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const REF = 'memory:auth/jwt';
const RING = { graceMs: 60_000, refreshMs: 300 };

// One store, two instances (in production: separate processes or machines, each with its own resolver).
const store = memorySource();
const first = await rotateSecret(store, REF, { create: true });
say(`key v${first.version} created (kid ${first.kid})`);
const ringA = await createResolver({ sources: [store] }).keyRing(REF, RING);
const ringB = await createResolver({ sources: [store] }).keyRing(REF, RING);
const a = createTokenService(ringA);
const b = createTokenService(ringB);
await sleep(RING.refreshMs);
const alice = await a.issue('alice');
say(
  `instance A signed alice's token with kid ${ringA.signingKey().kid}; B verifies it: ${await b.verify(alice)}`,
);

// The 90-day rotation (`secretsource rotate memory:auth/jwt` in production): nobody restarts.
const second = await rotateSecret(store, REF);
say(
  `rotated: key v${second.version} (kid ${second.kid}); v${second.previousVersion} kept: ${second.previousKept}`,
);
await sleep(2 * RING.refreshMs + 100);
say(
  `both instances now sign with the new key: ${ringA.signingKey().kid === second.kid && ringB.signingKey().kid === second.kid}`,
);
const bob = await b.issue('bob');
say(`tokens verify on either instance: alice=${await a.verify(alice)} bob=${await a.verify(bob)}`);

// The emergency (`secretsource rotate memory:auth/jwt --revoke-previous`): every older key dies.
const third = await rotateSecret(store, REF, { revokePrevious: true });
say(`revoked v${third.revoked.join(', v')}; key v${third.version} (kid ${third.kid}) signs at once`);
await sleep(RING.refreshMs + 100);
const carol = await a.issue('carol');
say(
  `after one refresh: alice=${await b.verify(alice)} bob=${await b.verify(bob)} carol=${await b.verify(carol)} (keys: ${ringB.verificationKeys().length})`,
);
ringA.close();
ringB.close();
