/** Puts the README quick start's secret into moto (or LocalStack) before the sample runs. */
import { randomBytes } from 'node:crypto';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { seedSecrets } from 'secretsource/testing';

/** What the sample reads back. */
export const seeded = {
  jwt: randomBytes(48).toString('base64url'),
  db_password: randomBytes(24).toString('base64url'),
};
const sm = awsSecretsManager({ region: 'eu-west-1' });
await seedSecrets(sm, { 'prod/app': JSON.stringify(seeded) });
await sm.close();
