/** The .env round trip into Secrets Manager and Parameter Store on moto, read back with the AWS SDK. */
import { BatchGetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParametersCommand, SSMClient } from '@aws-sdk/client-ssm';
import { afterAll } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { runRoundTrip, uid } from './round-trip.js';

const sm = new SecretsManagerClient({});
const ssm = new SSMClient({});
afterAll(() => {
  sm.destroy();
  ssm.destroy();
});

/** `names` in chunks of `size`. */
const chunks = (names: readonly string[], size: number) =>
  Array.from({ length: Math.ceil(names.length / size) }, (_, i) => names.slice(i * size, (i + 1) * size));

/** Secrets Manager values with BatchGetSecretValue (20 ids a call); a name it reports not found is absent. */
async function readSm(names: readonly string[]): Promise<Array<string | undefined>> {
  const found = new Map<string, string | undefined>();
  for (const ids of chunks(names, 20)) {
    let token: string | undefined;
    do {
      const out = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ids, NextToken: token }));
      for (const v of out.SecretValues ?? []) found.set(v.Name!, v.SecretString);
      for (const e of out.Errors ?? [])
        if (e.ErrorCode !== 'ResourceNotFoundException') throw new Error(`${e.SecretId}: ${e.ErrorCode}`);
      token = out.NextToken;
    } while (token);
  }
  return names.map((n) => found.get(n));
}

/** Parameter Store values with GetParameters (10 names a call, decrypted); InvalidParameters are absent. */
async function readSsm(names: readonly string[]): Promise<Array<string | undefined>> {
  const found = new Map<string, string | undefined>();
  for (const batch of chunks(names, 10)) {
    const out = await ssm.send(new GetParametersCommand({ Names: batch, WithDecryption: true }));
    for (const p of out.Parameters ?? []) found.set(p.Name!, p.Value);
  }
  return names.map((n) => found.get(n));
}

runRoundTrip({
  name: 'aws-sm',
  create: async () => ({ source: awsSecretsManager(), prefix: `rt/${uid()}/` }),
  readRaw: readSm,
});

runRoundTrip({
  name: 'aws-ssm',
  create: async () => ({ source: awsSsm(), prefix: `/rt/${uid()}/` }),
  readRaw: readSsm,
});
