/**
 * Not-found errors say where they looked: a secret written in eu-west-1 and read with
 * region us-east-1 names the region (and the emulator endpoint); Vault and Key Vault name their URL.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { codeOf } from '../helpers/assertions.js';

const endpoint = process.env.AWS_ENDPOINT_URL;

describe('not-found errors name where they looked', () => {
  it('aws-sm: a secret in eu-west-1 read with region us-east-1 says us-east-1', async () => {
    const name = `where/${randomBytes(4).toString('hex')}`;
    await awsSecretsManager({ endpoint, region: 'eu-west-1' }).set(name, 'x'.repeat(40));
    const r = createResolver({ sources: [awsSecretsManager({ endpoint, region: 'us-east-1' })] });
    const err = await codeOf(r.get(`aws-sm:${name}`));
    expect(err.code).toBe('ERR_SECRET_NOT_FOUND');
    expect(err.message).toBe(
      `secret "${name}" was not found in "aws-sm" (region us-east-1, endpoint ${new URL(endpoint!).origin})`,
    );
    await r.close();
  });

  it('aws-ssm, vault and azure-kv name their region or URL', async () => {
    const r = createResolver({
      sources: [
        awsSsm({ endpoint, region: 'ap-south-1' }),
        hashicorpVault({ endpoint: 'http://127.0.0.1:1/some/path?x=1', token: 't' }),
        azureKeyVault({
          vaultUrl: 'https://my-vault.vault.azure.net/?q=1',
          credential: { getToken: async () => null },
        }),
      ],
    });
    const err = await codeOf(r.get('aws-ssm:/where/none'));
    expect(err.message).toMatch(
      /^secret "\/where\/none" was not found in "aws-ssm" \(region ap-south-1, endpoint http/,
    );
    expect(r.sources.get('vault')?.location).toBe('http://127.0.0.1:1');
    expect(r.sources.get('azure-kv')?.location).toBe('https://my-vault.vault.azure.net');
    await r.close();
  });
});
