/**
 * The hostile-peer suite (issue 12) for every network store, through its real client: a redirect
 * to another origin or from https to http, a peer that trickles or never answers, listings that
 * never end (a new token every page, or the same one), and an answer far larger than any store
 * sends. Each case asserts a coded error within the documented bound, that nothing reached the
 * other origin, and, counted by the peer itself, that no connection is left open.
 */
import { Agent } from 'node:https';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { gcpSecretManager } from '../../providers/gcp-sm/index.js';
import { kubernetesSecrets } from '../../providers/k8s/index.js';
import type { CallLimits } from '../../providers/kit/guard.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import type { SecretSource } from '../../src/core/source.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { codeOf, collect } from '../helpers/assertions.js';
import { type Flavor, type Peer, startPeer } from './hostile.js';

const TIMEOUT_MS = 400;
const LIMITS: CallLimits = { timeoutMs: TIMEOUT_MS, listTimeoutMs: 3000, maxPages: 20 };
const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };

/** One network store as this suite drives it. */
interface HostileStore {
  id: string;
  flavor: Flavor;
  /** The name a read asks for. */
  name: string;
  make(peer: Peer, limits?: CallLimits): SecretSource;
}

const stores: HostileStore[] = [
  {
    id: 'aws-sm',
    flavor: 'aws',
    name: 'app/jwt',
    make: (peer, limits = LIMITS) =>
      peer.ca === undefined
        ? awsSecretsManager({ endpoint: peer.url, region: 'us-east-1', credentials, ...limits })
        : awsSecretsManager({
            ...limits,
            // The SDK takes a CA only on its own handler: a prebuilt client over https.
            client: new SecretsManagerClient({
              endpoint: peer.url,
              region: 'us-east-1',
              credentials,
              requestHandler: { httpsAgent: new Agent({ ca: peer.ca }) },
            }),
          }),
  },
  {
    id: 'aws-ssm',
    flavor: 'aws',
    name: '/app/jwt',
    make: (peer, limits = LIMITS) =>
      peer.ca === undefined
        ? awsSsm({ endpoint: peer.url, region: 'us-east-1', credentials, ...limits })
        : awsSsm({
            ...limits,
            client: new SSMClient({
              endpoint: peer.url,
              region: 'us-east-1',
              credentials,
              requestHandler: { httpsAgent: new Agent({ ca: peer.ca }) },
            }),
          }),
  },
  {
    id: 'vault',
    flavor: 'vault',
    name: 'app/jwt',
    make: (peer, limits = LIMITS) =>
      hashicorpVault({ endpoint: peer.url, token: 'hostile-test-token', ca: peer.ca, ...limits }),
  },
  {
    id: 'azure-kv',
    flavor: 'azure',
    name: 'JWT',
    make: (peer, limits = LIMITS) =>
      azureKeyVault({
        vaultUrl: peer.url,
        credential: {
          getToken: async () => ({ token: 'hostile-test-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
        },
        clientOptions: {
          // Test-only: a loopback host cannot pass the challenge's resource check.
          disableChallengeResourceVerification: true,
          tlsOptions: { ca: peer.ca },
          retryOptions: { maxRetries: 0 },
        } as SecretClientOptions,
        ...limits,
      }),
  },
  {
    id: 'k8s',
    flavor: 'k8s',
    name: 'default/app/jwt',
    make: (peer, limits = LIMITS) =>
      kubernetesSecrets({ server: peer.url, token: 'hostile-test-token', ca: peer.ca, env: {}, ...limits }),
  },
  {
    id: 'gcp-sm',
    flavor: 'gcp',
    name: 'jwt',
    make: (peer, limits = LIMITS) => {
      const url = new URL(peer.url);
      return gcpSecretManager({
        apiEndpoint: url.hostname,
        port: Number(url.port),
        protocol: url.protocol === 'https:' ? 'https' : 'http',
        ca: peer.ca,
        projectId: 'p',
        authClient: { getRequestHeaders: async () => ({ authorization: 'Bearer hostile-test-token' }) },
        env: {},
        ...limits,
      });
    },
  },
];

/**
 * The message of a timeout the call guard raised at `ms`: the deadline that ended the call is the
 * documented one, not a test timer or a slower bound further out (no clock is read here: the
 * guard's own timer is what fired).
 */
const atDeadline = (ms: number) => `no answer within ${ms} ms`;

/**
 * Limits for the cases that test a refusal, not time: a deadline no loaded machine reaches, so a
 * slow first call (an AWS client resolves its credentials and endpoint inside it) cannot turn the
 * refusal into a timeout. The page cap stays small.
 */
const NOT_TIMED: CallLimits = { ...LIMITS, timeoutMs: 15_000, listTimeoutMs: 60_000 };

/**
 * A source that already read once (SDK loaded, credentials, token or challenge done), so the next
 * call reaches the peer at once. Its first read may outlive the short deadline on a loaded machine:
 * that read is tried again (up to three times); a read that is not a timeout fails at once.
 */
async function warm(s: SecretSource, name: string): Promise<SecretSource> {
  for (let attempt = 1; ; attempt++) {
    try {
      expect((await s.get(name))?.value.reveal()).toBe('other-origin-value');
      return s;
    } catch (err) {
      if ((err as { code?: string }).code !== 'ERR_SOURCE_TIMEOUT' || attempt === 3) throw err;
    }
  }
}

/** How many reads of a secret the peer saw (not token lookups, nor Key Vault's unauthenticated challenge). */
function readsSeen(p: Peer): number {
  return p.requests.filter((r) => {
    const target = String(r.headers['x-amz-target'] ?? '');
    if (target !== '') return /GetSecretValue$|GetParameter$/.test(target);
    if (r.method !== 'GET') return false;
    if (r.path.includes(':access')) return true;
    if (r.path.startsWith('/api/v1/')) return /\/secrets\/[^/?]+/.test(r.path);
    if (r.path.startsWith('/v1/')) return r.path.startsWith('/v1/secret/data/');
    return /^\/secrets\/[^/?]+/.test(r.path) && r.headers.authorization !== undefined;
  }).length;
}

for (const store of stores) {
  describe(`${store.id} against hostile peers`, () => {
    let peer: Peer;
    let tlsPeer: Peer;
    let other: Peer;
    const opened: SecretSource[] = [];
    const make = (p: Peer, limits?: CallLimits) => {
      const s = store.make(p, limits);
      opened.push(s);
      return s;
    };

    beforeAll(async () => {
      [peer, tlsPeer, other] = await Promise.all([
        startPeer({ flavor: store.flavor }),
        startPeer({ flavor: store.flavor, tls: true }),
        startPeer({ flavor: store.flavor, tls: false }),
      ]);
    });
    afterEach(async () => {
      await Promise.all(opened.splice(0).map((s) => s.close?.()));
      for (const p of [peer, tlsPeer, other]) {
        p.behave({ kind: 'answer' });
        p.requests.length = 0;
      }
    });
    afterAll(() => Promise.all([peer, tlsPeer, other].map((p) => p.stop())));

    const redirects: Array<[string, () => Peer]> = [
      ['to another origin', () => (store.flavor === 'azure' ? tlsPeer : peer)],
      ['from https to http', () => tlsPeer],
    ];
    for (const [label, from] of redirects) {
      it(`a redirect ${label} is refused: ERR_SOURCE_MISCONFIGURED, nothing reaches the other origin`, async () => {
        const p = from();
        p.behave({ kind: 'redirect', to: other.url });
        // Not a test of time: a generous deadline, so a loaded machine cannot turn the refusal into a timeout.
        const s = make(p, NOT_TIMED);
        const read = await codeOf(s.get(store.name));
        expect(read).toMatchObject({ code: 'ERR_SOURCE_MISCONFIGURED', source: store.id });
        expect(read.message).toContain('redirect');
        const write = await codeOf(s.set!(store.name, 'a-value-for-the-other-origin'));
        expect(write).toMatchObject({ code: 'ERR_SOURCE_MISCONFIGURED', source: store.id });
        // No request, so no token and no value, ever reached the other origin.
        expect(other.requests).toEqual([]);
      });
    }

    it('a trickling answer ends with ERR_SOURCE_TIMEOUT at timeoutMs, and its connection is closed', async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      const s = await warm(make(p), store.name);
      const before = readsSeen(p);
      p.behave({ kind: 'trickle', everyMs: 50 });
      const err = await codeOf(s.get(store.name));
      expect(err).toMatchObject({ code: 'ERR_SOURCE_TIMEOUT', retryable: true, source: store.id });
      expect(err.message).toContain(atDeadline(TIMEOUT_MS));
      // The read reached the peer and was being answered: the deadline ended a live transfer.
      expect(readsSeen(p)).toBe(before + 1);
      // Closed by the client at the deadline, before any close(): the work stopped, not only the wait.
      await p.drained();
    });

    it('an answer that never comes ends at timeoutMs; nothing is left open', async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      const s = await warm(make(p), store.name);
      const before = readsSeen(p);
      p.behave({ kind: 'hang' });
      const err = await codeOf(s.get(store.name));
      expect(err).toMatchObject({ code: 'ERR_SOURCE_TIMEOUT', retryable: true, source: store.id });
      expect(err.message).toContain(atDeadline(TIMEOUT_MS));
      expect(readsSeen(p)).toBe(before + 1);
      await p.drained();
    });

    it('twenty timed-out calls, then close(): no connection left open', async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      const s = await warm(make(p), store.name);
      p.behave({ kind: 'trickle', everyMs: 50 });
      const errs = await Promise.all(Array.from({ length: 20 }, () => codeOf(s.get(store.name))));
      expect(new Set(errs.map((e) => e.code))).toEqual(new Set(['ERR_SOURCE_TIMEOUT']));
      await s.close?.();
      await p.drained();
    });

    it("a caller's abort cancels the request: ERR_ABORTED, and the connection is closed", async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      p.behave({ kind: 'hang' });
      const ac = new AbortController();
      const pending = codeOf(
        make(p, { ...LIMITS, timeoutMs: 60_000 }).get(store.name, { signal: ac.signal }),
      );
      // Abort once the read itself is at the peer (not a token lookup or the 401 challenge before it).
      while (
        !p.requests.some(
          (r) =>
            r.headers.authorization !== undefined ||
            /secret\/data|X-Amz/i.test(`${r.path} ${JSON.stringify(r.headers)}`),
        )
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      ac.abort();
      expect(await pending).toMatchObject({ code: 'ERR_ABORTED', retryable: false });
      await p.drained();
    });

    for (const token of ['new', 'same'] as const) {
      it(`a listing that never ends (${token} token each page) stops at maxPages with a coded error`, async () => {
        const p = store.flavor === 'azure' ? tlsPeer : peer;
        p.behave({ kind: 'pages', token });
        const err = await codeOf(collect(make(p, NOT_TIMED).list!()));
        expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: false, source: store.id });
        const lists = p.requests.filter(
          (r) =>
            r.method === 'LIST' ||
            /List|Describe|\/secrets\?/.test(`${r.path} ${r.headers['x-amz-target'] ?? ''}`),
        );
        expect(lists.length).toBeLessThanOrEqual(LIMITS.maxPages! + 1);
      });
    }

    // Vault's versions are one metadata read, not a paged listing; Kubernetes keeps no versions.
    const pagedVersions = store.flavor === 'aws' || store.flavor === 'azure' || store.flavor === 'gcp';
    for (const token of pagedVersions ? (['new', 'same'] as const) : []) {
      it(`a key ring over versions that never end (${token} token) stops with a coded error`, async () => {
        const p = store.flavor === 'azure' ? tlsPeer : peer;
        p.behave({ kind: 'pages', token });
        const resolver = createResolver({ sources: [make(p, NOT_TIMED)] });
        try {
          const err = await codeOf(resolver.keyRing(`${store.id}:${store.name}`));
          expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: false, source: store.id });
          // The page cap, or a token seen before (Azure's SDK follows its own nextLink, so a repeated
          // link reaches the cap instead).
          expect(err.message).toMatch(
            token === 'new' || store.flavor === 'azure'
              ? /more than 20 pages/
              : /page token it had returned before/,
          );
        } finally {
          await resolver.close();
        }
      });
    }

    it('a listing page that never comes ends at what is left of listTimeoutMs, not at timeoutMs', async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      p.behave({ kind: 'hang' });
      // A call deadline no test waits for: only the listing's own deadline can end this.
      const err = await codeOf(
        collect(make(p, { ...LIMITS, timeoutMs: 120_000, listTimeoutMs: 500 }).list!()),
      );
      expect(err).toMatchObject({ code: 'ERR_SOURCE_TIMEOUT', source: store.id });
      // The deadline the guard gave the page: what was left of the listing's, never the call's.
      expect(Number(/within (\d+) ms/.exec(err.message)?.[1])).toBeLessThanOrEqual(500);
      await p.drained();
    });

    if (store.flavor === 'azure') {
      it('a delete the vault never finishes ends at pollTimeoutMs with ERR_SOURCE_TIMEOUT', async () => {
        tlsPeer.behave({ kind: 'deleting' });
        const limits = { ...LIMITS, pollTimeoutMs: 500, pollIntervalMs: 20 } as CallLimits;
        const err = await codeOf(make(tlsPeer, limits).delete!(store.name));
        expect(err).toMatchObject({ code: 'ERR_SOURCE_TIMEOUT', source: store.id });
        expect(err.message).toContain(atDeadline(500));
        // The vault was asked, and kept answering "not yet": the deadline, not an error, ended it.
        expect(tlsPeer.requests.filter((r) => r.path.startsWith('/deletedsecrets/')).length).toBeGreaterThan(
          0,
        );
        await tlsPeer.drained();
      });
    }

    it('an answer far over maxResponseBytes is refused without being read', async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      const huge = 256 * 1024 * 1024;
      p.behave({ kind: 'oversized', bytes: huge });
      const before = p.bytesSent();
      const err = await codeOf(
        make(p, { ...LIMITS, timeoutMs: 30_000, maxResponseBytes: 1024 * 1024 }).get(store.name),
      );
      expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: false });
      expect(err.message).toContain('larger than 1048576 bytes');
      await p.drained();
      // What the peer managed to send before the client closed: the cap plus socket buffers, not 256 MiB.
      expect(p.bytesSent() - before).toBeLessThan(32 * 1024 * 1024);
    });

    it('after good answers, close() leaves no connection open', async () => {
      const p = store.flavor === 'azure' ? tlsPeer : peer;
      const s = make(p, NOT_TIMED);
      expect((await s.get(store.name))?.value.reveal()).toBe('other-origin-value');
      await s.close?.();
      await p.drained();
    });
  });
}

describe('vault over plain http', () => {
  const token = 'hostile-test-token';
  it('to a host that is not loopback: ERR_SOURCE_MISCONFIGURED before anything is sent', () => {
    for (const endpoint of ['http://vault.internal:8200', 'http://10.0.0.7:8200', 'http://[fd00::1]:8200']) {
      let thrown: unknown;
      try {
        hashicorpVault({ endpoint, token });
      } catch (err) {
        thrown = err;
      }
      expect(thrown, endpoint).toMatchObject({ code: 'ERR_SOURCE_MISCONFIGURED', source: 'vault' });
      expect((thrown as Error).message).toContain('loopback');
    }
  });

  it('allowed to loopback, over https, or with allowInsecureHttp: true', () => {
    for (const endpoint of ['http://127.0.0.1:8200', 'http://localhost:8200', 'http://[::1]:8200']) {
      expect(hashicorpVault({ endpoint, token }).id).toBe('vault');
    }
    expect(hashicorpVault({ endpoint: 'https://vault.internal:8200', token }).id).toBe('vault');
    expect(
      hashicorpVault({ endpoint: 'http://vault.internal:8200', token, allowInsecureHttp: true }).id,
    ).toBe('vault');
  });
});
