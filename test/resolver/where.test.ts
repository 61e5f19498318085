/**
 * Not-found errors say where they looked: a secret written in eu-west-1 and read with
 * region us-east-1 names the region (and the emulator endpoint); Vault and Key Vault name their URL,
 * Kubernetes its API server, Secret Manager its project. Timeouts and refused connections name the
 * same place, from the source or the resolver's deadline.
 */
import { randomBytes } from 'node:crypto';
import { type AddressInfo, createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { gcpSecretManager } from '../../providers/gcp-sm/index.js';
import { kubernetesSecrets } from '../../providers/k8s/index.js';
import { callError } from '../../providers/kit/errors.js';
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

  it('k8s names its API server, gcp-sm its project', async () => {
    const k8s = kubernetesSecrets({ server: 'https://10.0.0.1:6443/?x=1', token: 't', env: {} });
    const gcp = gcpSecretManager({ projectId: 'my-project', env: {} });
    expect(k8s.location).toBe('https://10.0.0.1:6443');
    expect(gcp.location).toBe('project my-project');
    // Where the source itself finds it (a kubeconfig, the pod, the credentials), it is not known up front.
    expect(kubernetesSecrets({ env: {} }).location).toBeUndefined();
    expect(gcpSecretManager({ env: {} }).location).toBeUndefined();
  });
});

describe('store failures name where the store is', () => {
  /** A TCP peer that accepts and never answers: every call ends at the source's own deadline. */
  async function silentPeer(): Promise<{ port: number; close: () => Promise<void> }> {
    const sockets = new Set<import('node:net').Socket>();
    const server = createServer((s) => sockets.add(s));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return {
      port: (server.address() as AddressInfo).port,
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise((ok) => server.close(() => ok()));
      },
    };
  }

  const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

  it('a timeout names the region and endpoint, or the vault URL, for every network store', async () => {
    const peer = await silentPeer();
    const at = `127.0.0.1:${peer.port}`;
    const sources = [
      awsSecretsManager({ endpoint: `http://${at}`, region: 'eu-central-1', credentials, timeoutMs: 300 }),
      awsSsm({ endpoint: `http://${at}`, region: 'eu-central-1', credentials, timeoutMs: 300 }),
      hashicorpVault({ endpoint: `http://${at}/v1?x=1`, token: 't', timeoutMs: 300 }),
      azureKeyVault({
        vaultUrl: `https://${at}/`,
        credential: { getToken: async () => ({ token: 't', expiresOnTimestamp: Date.now() + 3_600_000 }) },
        clientOptions: { retryOptions: { maxRetries: 0 } } as never,
        timeoutMs: 300,
      }),
    ];
    const where = [
      `(region eu-central-1, endpoint http://${at})`,
      `(region eu-central-1, endpoint http://${at})`,
      `(http://${at})`,
      `(https://${at})`,
    ];
    try {
      for (const [i, source] of sources.entries()) {
        const name = { 'aws-ssm': '/app/where', 'azure-kv': 'APP_WHERE' }[source.id] ?? 'app/where';
        const err = await codeOf(source.get(name));
        expect(err.code, source.id).toBe('ERR_SOURCE_TIMEOUT');
        expect(err.message, source.id).toContain(`in source "${source.id}" ${where[i]}`);
        await source.close?.();
      }
    } finally {
      await peer.close();
    }
  });

  it('a refused connection names where it was refused (vault, aws-sm)', async () => {
    const vault = hashicorpVault({ endpoint: 'http://127.0.0.1:1', token: 't' });
    // The SDK's own three attempts (with backoff) come first.
    const sm = awsSecretsManager({ endpoint: 'http://127.0.0.1:1', region: 'sa-east-1', credentials });
    const v = await codeOf(vault.get('app/where'));
    expect(v.code).toBe('ERR_SOURCE_UNAVAILABLE');
    expect(v.message).toContain('in source "vault" (http://127.0.0.1:1)');
    const a = await codeOf(sm.get('app/where'));
    expect(a.code).toBe('ERR_SOURCE_UNAVAILABLE');
    expect(a.message).toContain('in source "aws-sm" (region sa-east-1, endpoint http://127.0.0.1:1)');
    await Promise.all([vault.close?.(), sm.close?.()]);
  });

  it('a secret error stays about the secret: the place is named only in ERR_SOURCE_* messages', () => {
    const site = { source: 'aws-sm', action: 'read', name: 'app/jwt', where: 'region eu-west-1' };
    expect(callError('ERR_SOURCE_UNAVAILABLE', site, 'down').message).toBe(
      'read "app/jwt" in source "aws-sm" (region eu-west-1): down',
    );
    expect(callError('ERR_SECRET_CONFLICT', site, 'conflict').message).toBe(
      'read "app/jwt" in source "aws-sm": conflict',
    );
  });

  it("the resolver's own deadline names where the store is", async () => {
    const peer = await silentPeer();
    const r = createResolver({
      sources: [hashicorpVault({ endpoint: `http://127.0.0.1:${peer.port}`, token: 't', timeoutMs: 60_000 })],
      timeoutMs: 200,
    });
    try {
      const err = await codeOf(r.get('vault:app/where'));
      expect(err.code).toBe('ERR_SOURCE_TIMEOUT');
      expect(err.message).toContain(
        `in source "vault" (http://127.0.0.1:${peer.port}) took longer than 200 ms`,
      );
    } finally {
      await r.close();
      await peer.close();
    }
  });
});
