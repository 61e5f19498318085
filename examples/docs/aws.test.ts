// biome-ignore-all assist/source/organizeImports: the first imports are the page's, in its order
/** docs/providers/aws.md's sample, against moto or LocalStack, in a region of its own. */
// #region read
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { awsSsm } from 'secretsource/providers/aws-ssm';
// #endregion read
import { randomBytes } from 'node:crypto';
import { createResolver } from 'secretsource';
import { seedSecrets } from 'secretsource/testing';
import { expect, it, vi } from 'vitest';

it('reads a JSON field, the previous version, and an SSM version by number', async () => {
  vi.stubEnv('AWS_REGION', 'eu-west-3');
  const keys = [1, 2].map(() => randomBytes(48).toString('base64url'));
  const passwords = [1, 2, 3, 4].map(() => randomBytes(18).toString('base64url'));
  const sm = awsSecretsManager();
  const ssm = awsSsm();
  await sm.delete('prod/app', { force: true });
  await ssm.delete('/app/prod/db-password');
  for (const jwt of keys) await seedSecrets(sm, { 'prod/app': JSON.stringify({ jwt }) });
  for (const pw of passwords) await seedSecrets(ssm, { '/app/prod/db-password': pw });

  // #region read

  const resolver = createResolver({ sources: [awsSecretsManager(), awsSsm()] });
  const jwt = await resolver.get('aws-sm:prod/app#jwt'); // field "jwt" of a JSON secret
  const old = await resolver.get('aws-sm:prod/app#jwt?version=AWSPREVIOUS');
  const db = await resolver.get('aws-ssm:/app/prod/db-password?version=3'); // /app/prod/db-password:3
  // #endregion read

  expect([jwt.reveal(), old.reveal(), db.reveal()]).toEqual([keys[1], keys[0], passwords[2]]);
  await resolver.close();
});
