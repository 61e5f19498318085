// biome-ignore-all assist/source/organizeImports: the first imports are the README's, in its order
/** The README's quick start, run as written against moto or LocalStack (AWS_ENDPOINT_URL). */
// #region quick-start
import { createResolver } from 'secretsource';
import { envSource } from 'secretsource/providers/env';
import { dotenvSource } from 'secretsource/providers/dotenv';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { z } from 'zod';
// #endregion quick-start
import { expect, it } from 'vitest';
import { seeded } from './quick-start.setup.js';

const logged: unknown[] = [];
const logger = { info: (e: unknown) => logged.push(e) };

// #region quick-start

const resolver = createResolver({
  sources: [envSource(), dotenvSource(), awsSecretsManager({ region: 'eu-west-1' })],
  cache: { ttlMs: 5 * 60_000, maxStaleMs: 5 * 60_000 },
  policy: { environment: 'production' },
  onEvent: (e) => logger.info(e), // structured, never a value
});

// One call at boot: every key resolved concurrently, every problem listed in one error.
const config = await resolver.load({
  JWT_SECRET_KEY: { ref: 'aws-sm:prod/app#jwt', profile: 'jwt-hs256' },
  DATABASE_PASSWORD: { ref: 'aws-sm:prod/app#db_password' },
  PORT: { ref: 'env:PORT', schema: z.coerce.number(), default: 3000 },
});

config.PORT; // 3000 (a number)
String(config.JWT_SECRET_KEY); // '[secret prod/app#jwt]'
config.JWT_SECRET_KEY.reveal(); // the key: the one greppable way out
// #endregion quick-start

it('prints what the README says it prints', async () => {
  expect(config.PORT).toBe(3000);
  expect(String(config.JWT_SECRET_KEY)).toBe('[secret prod/app#jwt]');
  expect(`${config.DATABASE_PASSWORD}`).toBe('[secret prod/app#db_password]');
  expect(config.JWT_SECRET_KEY.reveal()).toBe(seeded.jwt);
  expect(config.DATABASE_PASSWORD.reveal()).toBe(seeded.db_password);
  expect(logged.length).toBeGreaterThan(0);
  expect(JSON.stringify(logged)).not.toContain(seeded.jwt);
  await resolver.close();
});
