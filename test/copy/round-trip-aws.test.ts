/** The .env round trip into Secrets Manager and Parameter Store on moto, read back with the AWS SDK. */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
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

/** The SDK's "no such thing" answers, by name. */
const absent = (err: unknown, names: string[]) => names.includes((err as { name?: string }).name ?? '');

runRoundTrip({
  name: 'aws-sm',
  create: async () => ({ source: awsSecretsManager(), prefix: `rt/${uid()}/` }),
  readRaw: async (name) => {
    try {
      const out = await sm.send(new GetSecretValueCommand({ SecretId: name }));
      return out.SecretString;
    } catch (err) {
      if (absent(err, ['ResourceNotFoundException'])) return undefined;
      throw err;
    }
  },
});

runRoundTrip({
  name: 'aws-ssm',
  create: async () => ({ source: awsSsm(), prefix: `/rt/${uid()}/` }),
  readRaw: async (name) => {
    try {
      const out = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
      return out.Parameter?.Value;
    } catch (err) {
      if (absent(err, ['ParameterNotFound'])) return undefined;
      throw err;
    }
  },
});
