/**
 * `tsx examples/jwt-rotation/main.ts`: rotate a JWT key without logging anyone out.
 * A memory store stands in for Secrets Manager, Parameter Store, Key Vault or Vault: the key ring
 * reads the store's versions the same way in each. The grace window is 2 seconds so the demo is short.
 */
import { createResolver, rotateSecret } from 'secretsource';
import { memorySource } from 'secretsource/providers/memory';
import { createTokenService } from './tokens.js';

const say = (line: string) => console.log(line);
const REF = 'memory:auth/jwt';
const GRACE_MS = 2000;

const resolver = createResolver({ sources: [memorySource()] });
const first = await rotateSecret(resolver, REF, { create: true });
say(`key v${first.version} created (kid ${first.kid})`);
const tokens = await createTokenService(resolver, REF, GRACE_MS);
const before = await tokens.issue('alice');
say(`token for alice signed with kid ${first.kid}`);

const second = await rotateSecret(resolver, REF);
await tokens.reload();
say(
  `rotated: key v${second.version} (kid ${second.kid}); v${second.previousVersion} kept for ${GRACE_MS} ms`,
);
const after = await tokens.issue('bob');
say(`token for bob signed with kid ${second.kid}`);
say(
  `verifying now: alice=${await tokens.verify(before)} bob=${await tokens.verify(after)} (keys: ${tokens.kids().length})`,
);

await new Promise((r) => setTimeout(r, GRACE_MS + 100));
say(
  `after the grace window: alice=${await tokens.verify(before)} bob=${await tokens.verify(after)} (keys: ${tokens.kids().length})`,
);
await resolver.close();
