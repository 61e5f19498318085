/**
 * Tests the app against LocalStack: `LOCALSTACK_ENDPOINT` or `AWS_ENDPOINT_URL` (here, the moto
 * server test/emulators/moto.start.ts starts), else http://localhost:4566.
 */
import { randomBytes } from 'node:crypto';
import { createResolver, isSecretError } from 'secretsource';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { localAwsOptions, memorySource, seedSecrets } from 'secretsource/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAuthApp } from './app.js';

const secretName = `example/${randomBytes(4).toString('hex')}/auth`;
const signingKey = randomBytes(48).toString('base64url');
const sm = awsSecretsManager({ ...localAwsOptions() });

beforeAll(async () => {
  await seedSecrets(sm, { [secretName]: JSON.stringify({ jwt: signingKey, issuer: 'example' }) });
});
afterAll(async () => {
  await sm.delete(secretName, { force: true });
  await sm.close();
});

describe('the auth app on LocalStack', () => {
  it('signs and verifies with the key from Secrets Manager, and never prints it', async () => {
    const app = await createAuthApp(createResolver({ sources: [sm] }), `aws-sm:${secretName}#jwt`);
    const token = await app.issue('user-1');
    expect(await app.verify(token)).toBe('user-1');
    expect(await app.verify(`${token.slice(0, -2)}xx`)).toBeUndefined();
    expect(app.describeKey()).not.toContain(signingKey);
    expect(app.describeKey()).toMatch(/^\[secret .+\] \(fpr_[0-9a-f]{16}\)$/);
  });

  it('refuses to start when the secret is missing, naming the source, not a value', async () => {
    const err = await createAuthApp(
      createResolver({ sources: [sm] }),
      `aws-sm:${secretName}-absent#jwt`,
    ).catch((e: unknown) => e);
    expect(isSecretError(err) && err.code).toBe('ERR_SECRET_NOT_FOUND');
    expect(String((err as Error).message)).toContain('aws-sm');
  });

  it('runs unchanged on memorySource for unit tests', async () => {
    const mem = memorySource({ id: 'aws-sm' });
    await seedSecrets(mem, { [secretName]: JSON.stringify({ jwt: signingKey }) });
    const app = await createAuthApp(createResolver({ sources: [mem] }), `aws-sm:${secretName}#jwt`);
    expect(await app.verify(await app.issue('user-2'))).toBe('user-2');
  });
});
