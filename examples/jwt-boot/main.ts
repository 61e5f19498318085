/**
 * `npm run demo`: boots the JWT service twice.
 * 1. With no JWT_SECRET_KEY anywhere: the service refuses to start and says why.
 * 2. With the embedded default (a key generated for this run, held in a memory source), or with
 *    your own JWT_SECRET_KEY from the environment or ./.env, which come first: it starts, signs a
 *    token, verifies it over HTTP and prints only redacted values.
 */
import { randomBytes } from 'node:crypto';
import { createResolver, isSecretError } from 'secretsource';
import { dotenvSource } from 'secretsource/providers/dotenv';
import { envSource } from 'secretsource/providers/env';
import { memorySource } from 'secretsource/providers/memory';
import { bootJwtService } from './server.js';

const say = (line: string) => console.log(line);

say('1) booting with no JWT_SECRET_KEY configured');
try {
  await bootJwtService(
    createResolver({ sources: [envSource({ env: {} })], policy: { environment: 'production' } }),
  );
  say('   unexpected: the service started without a key');
  process.exitCode = 1;
} catch (err) {
  if (!isSecretError(err)) throw err;
  say(`   refused to start, as it should: ${err.code}`);
  say(`   ${err.message.replace(/\n/g, '\n   ')}`);
}

say('\n2) booting with env, ./.env, then the embedded default');
const embedded = memorySource({
  id: 'embedded',
  initial: { JWT_SECRET_KEY: randomBytes(64).toString('base64url') },
});
const resolver = createResolver({
  sources: [envSource(), dotenvSource(), embedded],
  onEvent: (e) => {
    if (e.type === 'resolve') say(`   event: ${e.type} ${e.name} from ${e.source} (${e.outcome})`);
  },
});
const service = await bootJwtService(resolver);
say(`   started at ${service.url} with ${service.describe()}`);
const { token } = (await (await fetch(`${service.url}/token`)).json()) as { token: string };
say(`   issued a token of ${token.length} characters`);
const verified = (await (await fetch(`${service.url}/verify?token=${encodeURIComponent(token)}`)).json()) as {
  valid: boolean;
  sub?: string;
};
say(`   verified: ${verified.valid} (sub=${verified.sub})`);
const forged = (await (
  await fetch(`${service.url}/verify?token=${encodeURIComponent(`${token.slice(0, -4)}AAAA`)}`)
).json()) as { valid: boolean };
say(`   a tampered token verified: ${forged.valid}`);
await service.close();
await resolver.close();
if (!verified.valid || forged.valid) process.exitCode = 1;
say('\ndone');
