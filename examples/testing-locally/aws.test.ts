import { randomBytes } from 'node:crypto';
import { createResolver } from 'secretsource';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { awsSsm } from 'secretsource/providers/aws-ssm';
import { localAwsOptions, memorySource, seedSecrets, waitForEndpoint } from 'secretsource/testing';
import { beforeAll, expect, it } from 'vitest';

const jwtKey = randomBytes(48).toString('base64url');
const app = `example-${randomBytes(4).toString('hex')}`; // a fresh name per run

// LOCALSTACK_ENDPOINT, else AWS_ENDPOINT_URL, else http://localhost:4566
beforeAll(() => waitForEndpoint());

it('reads the JWT key and the database password from LocalStack or moto', async () => {
  // That endpoint, AWS_REGION (else us-east-1), and test/test keys unless the environment has keys.
  const sm = awsSecretsManager({ ...localAwsOptions() });
  const ssm = awsSsm({ ...localAwsOptions() });
  await seedSecrets(sm, { [`${app}/auth`]: JSON.stringify({ jwt: jwtKey }) });
  await seedSecrets(ssm, { [`/${app}/db-password`]: 'a-database-password' }, { overwrite: true });

  const resolver = createResolver({ sources: [sm, ssm] });
  expect((await resolver.get(`aws-sm:${app}/auth#jwt`)).reveal()).toBe(jwtKey);
  expect((await resolver.get(`aws-ssm:/${app}/db-password`, { profile: 'none' })).reveal()).toBe(
    'a-database-password',
  );
  await resolver.close();
});

it('runs the same refs on memorySource in unit tests, with no emulator', async () => {
  const unit = memorySource({ id: 'aws-sm', initial: { [`${app}/auth`]: JSON.stringify({ jwt: jwtKey }) } });
  const resolver = createResolver({ sources: [unit] });
  expect((await resolver.get(`aws-sm:${app}/auth#jwt`)).reveal()).toBe(jwtKey);
});
