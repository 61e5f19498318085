import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  DescribeSecretCommand,
  RotateSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { awsClientConfig } from '../../providers/aws/config.js';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { Secret } from '../../src/core/secret.js';
import { startMoto } from '../emulators/moto.start.js';
import { codeOf, collect, expectNoValue } from '../helpers/assertions.js';
import { sdkModulesAroundFirstCall } from '../helpers/sdk-load.js';

const SENTINEL = 'SENTINEL-aws-sm-5b1d0c77-never-print';
const uid = () => randomBytes(5).toString('hex');
const endpoint = () => process.env.AWS_ENDPOINT_URL!;

/** A client on the test endpoint that records every command it sends. */
function countingClient(config: { endpoint?: string; maxAttempts?: number } = {}) {
  const client = new SecretsManagerClient({
    endpoint: config.endpoint ?? endpoint(),
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: config.maxAttempts ?? 3,
  });
  const calls: string[] = [];
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(context.commandName ?? '?');
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { client, calls };
}

const expectNoSentinel = (thing: unknown) => expectNoValue(thing, SENTINEL);

describe('aws-sm: versions by stage and id', () => {
  it('moves AWSCURRENT/AWSPREVIOUS on a put, reads by id, and keeps custom stages apart', async () => {
    const sm = awsSecretsManager();
    const name = `p${uid()}/app/jwt`;
    const v1 = await sm.set(name, 'first');
    const v2 = await sm.set(name, 'second');
    expect(v1).toMatchObject({ created: true });
    expect(v2).toMatchObject({ created: false });
    expect(v1.version).not.toBe(v2.version);

    const current = await sm.get(name);
    expect(current?.value.reveal()).toBe('second');
    expect(current?.version).toBe(v2.version);
    expect(current?.stages).toContain('AWSCURRENT');
    expect((await sm.get(name, { version: 'AWSCURRENT' }))?.value.reveal()).toBe('second');
    const previous = await sm.get(name, { version: 'AWSPREVIOUS' });
    expect(previous?.value.reveal()).toBe('first');
    expect(previous?.stages).toContain('AWSPREVIOUS');
    expect((await sm.get(name, { version: v1.version! }))?.value.reveal()).toBe('first');
    expect((await sm.get(name, { version: `id:${v1.version}` }))?.value.reveal()).toBe('first');

    // A custom stage without AWSCURRENT does not change what plain reads return.
    const staged = await sm.set(name, 'candidate', { stages: ['STAGING'] });
    expect((await sm.get(name))?.value.reveal()).toBe('second');
    expect((await sm.get(name, { version: 'STAGING' }))?.value.reveal()).toBe('candidate');
    expect((await sm.get(name, { version: 'stage:STAGING' }))?.version).toBe(staged.version);

    const versions = await collect(sm.versions(name));
    expect(versions.map((v) => v.version).sort()).toEqual([v1.version, v2.version, staged.version].sort());
    expect(versions.filter((v) => v.current).map((v) => v.version)).toEqual([v2.version]);
    expect(versions.find((v) => v.version === v1.version)?.stages).toEqual(['AWSPREVIOUS']);
    expect(versions.find((v) => v.version === staged.version)?.stages).toEqual(['STAGING']);
    await sm.delete(name, { force: true });
  });

  it('a missing stage of an existing secret is ERR_SECRET_VERSION_NOT_FOUND; of a missing secret, absent', async () => {
    const sm = awsSecretsManager();
    const name = `p${uid()}_v`;
    await sm.set(name, SENTINEL);
    const err = await codeOf(sm.get(name, { version: 'NOPE' }));
    expect(err).toMatchObject({ code: 'ERR_SECRET_VERSION_NOT_FOUND', secretName: name, source: 'aws-sm' });
    expectNoSentinel(err);
    await expect(sm.get(`p${uid()}_absent`, { version: 'AWSPREVIOUS' })).resolves.toBeUndefined();
    await sm.delete(name, { force: true });
  });
});

describe('aws-sm: binary values', () => {
  it('writes SecretBinary and reads it back as bytes, alone and in a batch', async () => {
    const sm = awsSecretsManager();
    const name = `p${uid()}_bin`;
    const bytes = Uint8Array.from([0, 255, 1, 128, 10, 0, 13, 200]);
    await sm.set(name, bytes);
    const got = await sm.get(name);
    expect(got?.value.isBinary).toBe(true);
    expect(Buffer.from(got!.value.bytes()).equals(Buffer.from(bytes))).toBe(true);
    const batch = await sm.getMany([name]);
    const entry = batch.get(name);
    expect(entry?.ok && entry.record?.value.isBinary).toBe(true);
    // A binary Secret stays binary on the way in.
    await sm.set(name, new Secret(Uint8Array.from([9, 9, 9])));
    expect(Buffer.from((await sm.get(name))!.value.bytes())).toEqual(Buffer.from([9, 9, 9]));
    await sm.delete(name, { force: true });
  });
});

describe('aws-sm: getMany with BatchGetSecretValue', () => {
  it('reads 45 names in 3 parallel calls, maps a missing name to undefined and a bad name to its code', async () => {
    const { client, calls } = countingClient();
    const sm = awsSecretsManager({ client });
    const base = `p${uid()}/batch/`;
    const names = Array.from({ length: 45 }, (_, i) => `${base}s${i}`);
    await Promise.all(names.map((n, i) => sm.set(n, `value-${i}`)));
    calls.length = 0;
    const missing = `${base}missing`;
    const bad = `${base}bad name!`;
    const out = await sm.getMany([...names, missing, bad, names[0]!]);
    expect(calls.filter((c) => c === 'BatchGetSecretValueCommand')).toHaveLength(3);
    expect(calls).toHaveLength(3);
    expect([...out.keys()]).toEqual([...names, missing, bad]);
    names.forEach((n, i) => {
      const e = out.get(n);
      expect(e?.ok && e.record?.value.reveal()).toBe(`value-${i}`);
    });
    expect(out.get(missing)).toEqual({ ok: true, record: undefined });
    const badEntry = out.get(bad);
    expect(badEntry?.ok).toBe(false);
    expect(!badEntry?.ok && badEntry?.error.code).toBe('ERR_SECRET_NAME_INVALID');
    await Promise.all(names.map((n) => sm.delete(n, { force: true })));
  });

  it('reads a requested version one name at a time (the batch API reads only AWSCURRENT)', async () => {
    const { client, calls } = countingClient();
    const sm = awsSecretsManager({ client });
    const a = `p${uid()}_a`;
    await sm.set(a, 'old');
    await sm.set(a, 'new');
    calls.length = 0;
    const out = await sm.getMany([a], { version: 'AWSPREVIOUS' });
    const e = out.get(a);
    expect(e?.ok && e.record?.value.reveal()).toBe('old');
    expect(calls).toEqual(['GetSecretValueCommand']);
    await sm.delete(a, { force: true });
  });
});

describe('aws-sm: list', () => {
  it('pages past one page with the store NextToken and returns only names under the prefix', async () => {
    const { client, calls } = countingClient();
    const sm = awsSecretsManager({ client });
    const base = `p${uid()}/list/`;
    const names = Array.from({ length: 7 }, (_, i) => `${base}n${i}`);
    await Promise.all(names.map((n) => sm.set(n, SENTINEL, { tags: { team: 'core' } })));
    await sm.set(`p${uid()}/other`, 'x');
    calls.length = 0;
    const listed = await collect(sm.list({ prefix: base, pageSize: 2 }));
    expect(listed.map((m) => m.name).sort()).toEqual(names.sort());
    expect(calls.filter((c) => c === 'ListSecretsCommand').length).toBeGreaterThanOrEqual(4);
    expect(listed[0]?.tags).toEqual({ team: 'core' });
    expect(listed[0]?.createdAt).toBeInstanceOf(Date);
    expect(listed[0]?.updatedAt).toBeInstanceOf(Date);
    expectNoSentinel(listed);
  });
});

describe('aws-sm: names', () => {
  it('refuses a name with invalid characters before any API call', async () => {
    const { client, calls } = countingClient();
    const sm = awsSecretsManager({ client });
    for (const bad of ['has space', 'semi;colon', 'dollar$sign', 'hash#tag', 'x'.repeat(513)]) {
      const err = await codeOf(sm.get(bad));
      expect(err.code).toBe('ERR_SECRET_NAME_INVALID');
      expect((await codeOf(sm.set(bad, SENTINEL))).code).toBe('ERR_SECRET_NAME_INVALID');
    }
    expect(calls).toEqual([]);
  });
});

describe('aws-sm: writes, tags, dates, delete', () => {
  it('ifAbsent refuses an existing name with ERR_SECRET_CONFLICT and never echoes the value', async () => {
    const sm = awsSecretsManager();
    const name = `p${uid()}_ifabsent`;
    await sm.set(name, 'keep', { ifAbsent: true });
    const err = await codeOf(sm.set(name, SENTINEL, { ifAbsent: true }));
    expect(err).toMatchObject({ code: 'ERR_SECRET_CONFLICT', secretName: name });
    expectNoSentinel(err);
    expect((await sm.get(name))?.value.reveal()).toBe('keep');
    await sm.delete(name, { force: true });
  });

  it('returns tags and last-changed dates only with includeMetadata, at one extra call', async () => {
    const { client, calls } = countingClient();
    const plain = awsSecretsManager({ client });
    const meta = awsSecretsManager({ client, includeMetadata: true });
    expect(plain.capabilities.tags).toBe(false);
    expect(meta.capabilities.tags).toBe(true);
    const name = `p${uid()}_tags`;
    await plain.set(name, 'v', { tags: { team: 'core' }, description: 'test secret' });
    await plain.set(name, 'v2', { tags: { env: 'test' } });
    calls.length = 0;
    const bare = await plain.get(name);
    expect(calls).toEqual(['GetSecretValueCommand']);
    expect(bare?.tags).toBeUndefined();
    expect(bare?.createdAt).toBeInstanceOf(Date);
    calls.length = 0;
    const full = await meta.get(name);
    expect(calls.sort()).toEqual(['DescribeSecretCommand', 'GetSecretValueCommand']);
    expect(full?.tags).toEqual({ team: 'core', env: 'test' });
    expect(full?.updatedAt).toBeInstanceOf(Date);
    const batch = await meta.getMany([name]);
    const e = batch.get(name);
    expect(e?.ok && e.record?.tags).toEqual({ team: 'core', env: 'test' });
    await plain.delete(name, { force: true });
  });

  it('refuses a value over 64 KB before calling the store', async () => {
    const { client, calls } = countingClient();
    const sm = awsSecretsManager({ client });
    const err = await codeOf(sm.set(`p${uid()}_big`, 'x'.repeat(65_537)));
    expect(err.code).toBe('ERR_SECRET_MALFORMED');
    expect(calls).toEqual([]);
  });

  it('deletes with a recovery window by default, force-deletes only when asked, and set restores', async () => {
    const { client } = countingClient();
    const sm = awsSecretsManager({ client, recoveryWindowDays: 7 });
    const name = `p${uid()}_del`;
    await sm.set(name, 'one');
    expect(await sm.delete(name)).toBe(true);
    const described = await client.send(new DescribeSecretCommand({ SecretId: name }));
    expect(described.DeletedDate).toBeInstanceOf(Date);
    await expect(sm.get(name)).resolves.toBeUndefined();
    const many = await sm.getMany([name]);
    expect(many.get(name)).toEqual({ ok: true, record: undefined });
    expect(await sm.delete(name)).toBe(false);
    // The name is held until the window ends: set restores the secret and adds the new value.
    const again = await sm.set(name, 'two');
    expect(again.created).toBe(true);
    expect((await sm.get(name))?.value.reveal()).toBe('two');

    expect(await sm.delete(name, { force: true })).toBe(true);
    const gone = await client.send(new DescribeSecretCommand({ SecretId: name })).catch((e: Error) => e.name);
    expect(gone).toBe('ResourceNotFoundException');
    expect(await sm.delete(name, { force: true })).toBe(false);
    expect(await sm.delete(`p${uid()}_never`)).toBe(false);
  });
});

/** A loopback server speaking the AWS JSON protocol, answering every call with `reply`. */
async function faultServer(
  reply: (target: string, body: Record<string, unknown>) => { status: number; body: unknown },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => {
      raw += c.toString('utf8');
    });
    req.on('end', () => {
      const target = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
      const r = reply(target, raw ? (JSON.parse(raw) as Record<string, unknown>) : {});
      res.writeHead(r.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describe('aws-sm: error mapping (loopback AWS JSON-protocol server)', () => {
  let fault: Awaited<ReturnType<typeof faultServer>>;
  let mode = { status: 400, type: 'AccessDeniedException' };
  beforeAll(async () => {
    fault = await faultServer((target, body) => {
      if (mode.type === 'nobatch') {
        // An endpoint without the batch API (older LocalStack) that still serves single reads.
        if (target === 'BatchGetSecretValue') {
          return { status: 400, body: { __type: 'UnknownOperationException', message: 'unknown' } };
        }
        const id = String(body.SecretId);
        if (id === 'missing')
          return { status: 400, body: { __type: 'ResourceNotFoundException', message: 'x' } };
        return { status: 200, body: { Name: id, SecretString: `single-${id}`, VersionId: 'v1' } };
      }
      if (target === 'BatchGetSecretValue' && mode.type === 'partial') {
        const ids = body.SecretIdList as string[];
        return {
          status: 200,
          body: {
            SecretValues: [
              { Name: ids[0], SecretString: 'ok-value', VersionId: 'v', VersionStages: ['AWSCURRENT'] },
            ],
            Errors: [
              { SecretId: ids[1], ErrorCode: 'AccessDeniedException', Message: `denied ${SENTINEL}` },
              { SecretId: ids[2], ErrorCode: 'DecryptionFailure', Message: `kms ${SENTINEL}` },
              { SecretId: ids[3], ErrorCode: 'ResourceNotFoundException', Message: 'not found' },
            ],
          },
        };
      }
      return { status: mode.status, body: { __type: mode.type, message: `echo of input: ${SENTINEL}` } };
    });
  });
  afterAll(() => fault.close());

  const cases: Array<[number, string, string, boolean]> = [
    [400, 'AccessDeniedException', 'ERR_SOURCE_ACCESS_DENIED', false],
    [400, 'UnrecognizedClientException', 'ERR_SOURCE_ACCESS_DENIED', false],
    [400, 'DecryptionFailure', 'ERR_SOURCE_ACCESS_DENIED', false],
    [400, 'ThrottlingException', 'ERR_SOURCE_UNAVAILABLE', true],
    [500, 'InternalServiceError', 'ERR_SOURCE_UNAVAILABLE', true],
    [503, 'ServiceUnavailable', 'ERR_SOURCE_UNAVAILABLE', true],
    [400, 'LimitExceededException', 'ERR_SOURCE_MISCONFIGURED', false],
  ];
  for (const [status, type, code, retryable] of cases) {
    it(`${type} (${status}) → ${code}, retryable ${retryable}, with a sanitised cause`, async () => {
      mode = { status, type };
      const { client } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
      const sm = awsSecretsManager({ client });
      const err = await codeOf(sm.get('prod/app/jwt'));
      expect(err).toMatchObject({ code, retryable, source: 'aws-sm', secretName: 'prod/app/jwt' });
      expect(err.message).toContain('prod/app/jwt');
      expect(err.message).toContain(type);
      expect(err.cause).toMatchObject({ name: type, status });
      expect(err.cause?.message).toBeUndefined();
      expectNoSentinel(err);
    });
  }

  it('ResourceNotFoundException reads as absent', async () => {
    mode = { status: 400, type: 'ResourceNotFoundException' };
    const { client } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
    await expect(awsSecretsManager({ client }).get('gone')).resolves.toBeUndefined();
  });

  it('maps per-name batch errors and never copies their messages', async () => {
    mode = { status: 200, type: 'partial' };
    const { client } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
    const out = await awsSecretsManager({ client }).getMany(['ok', 'denied', 'kms', 'missing']);
    const ok = out.get('ok');
    expect(ok?.ok && ok.record?.value.reveal()).toBe('ok-value');
    const denied = out.get('denied');
    const kms = out.get('kms');
    expect(!denied?.ok && denied?.error).toMatchObject({
      code: 'ERR_SOURCE_ACCESS_DENIED',
      secretName: 'denied',
    });
    expect(!kms?.ok && kms?.error).toMatchObject({ code: 'ERR_SOURCE_ACCESS_DENIED', secretName: 'kms' });
    expect(out.get('missing')).toEqual({ ok: true, record: undefined });
    expectNoSentinel([...out.values()].map((e) => (e.ok ? undefined : e.error)));
  });

  it('falls back to one read per name when the endpoint lacks BatchGetSecretValue', async () => {
    mode = { status: 200, type: 'nobatch' };
    const { client, calls } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
    const out = await awsSecretsManager({ client }).getMany(['a', 'b', 'missing']);
    const a = out.get('a');
    expect(a?.ok && a.record?.value.reveal()).toBe('single-a');
    expect(out.get('missing')).toEqual({ ok: true, record: undefined });
    expect(calls.filter((c) => c === 'GetSecretValueCommand')).toHaveLength(3);
  });

  it('a failed batch call gives every name in it a coded error', async () => {
    mode = { status: 400, type: 'AccessDeniedException' };
    const { client } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
    const out = await awsSecretsManager({ client }).getMany(['a', 'b']);
    for (const n of ['a', 'b']) {
      const e = out.get(n);
      expect(!e?.ok && e?.error).toMatchObject({ code: 'ERR_SOURCE_ACCESS_DENIED', secretName: n });
    }
  });

  it('a refused connection is ERR_SOURCE_UNAVAILABLE, retryable', async () => {
    const closed = await faultServer(() => ({ status: 500, body: {} }));
    await closed.close();
    const { client } = countingClient({ endpoint: closed.url, maxAttempts: 1 });
    const err = await codeOf(awsSecretsManager({ client }).get('x'));
    expect(err).toMatchObject({ code: 'ERR_SOURCE_UNAVAILABLE', retryable: true });
  });

  it("a caller's abort is ERR_ABORTED (not retryable); AbortSignal.timeout() is ERR_SOURCE_TIMEOUT", async () => {
    const { client } = countingClient({ maxAttempts: 1 });
    const err = await codeOf(awsSecretsManager({ client }).get('x', { signal: AbortSignal.abort() }));
    expect(err).toMatchObject({ code: 'ERR_ABORTED', retryable: false });
    const deadline = new AbortController();
    deadline.abort(new DOMException('the deadline passed', 'TimeoutError'));
    const late = await codeOf(awsSecretsManager({ client }).get('x', { signal: deadline.signal }));
    expect(late).toMatchObject({ code: 'ERR_SOURCE_TIMEOUT', retryable: true });
  });
});

describe('aws-sm: rotation dates', () => {
  it('returns LastRotatedDate as rotatedAt, from reads with includeMetadata and from list', async () => {
    const { client } = countingClient();
    const sm = awsSecretsManager({ client, includeMetadata: true });
    const name = `p${uid()}/rotated`;
    await sm.set(name, 'before');
    expect((await sm.get(name))?.rotatedAt).toBeUndefined();
    // moto rotates without a Lambda: it stamps LastRotatedDate but leaves the new version empty,
    // so a value is put on top, as a rotation Lambda would.
    await client.send(new RotateSecretCommand({ SecretId: name, RotateImmediately: true }));
    await sm.set(name, 'after');
    const got = await sm.get(name);
    expect(got?.value.reveal()).toBe('after');
    expect(got?.rotatedAt).toBeInstanceOf(Date);
    expect(got?.updatedAt).toBeInstanceOf(Date);
    const [listed] = await collect(sm.list({ prefix: name }));
    expect(listed?.rotatedAt?.getTime()).toBe(got?.rotatedAt?.getTime());
    await sm.delete(name, { force: true });
  });
});

describe('test endpoint: moto starter', () => {
  it('fails, saying how to get an endpoint, when python is missing or has no moto', async () => {
    const missing = await startMoto({ python: ['python3-not-installed-here'] }).catch(
      (e: Error) => e.message,
    );
    expect(missing).toContain("pip install 'moto[server]'");
    expect(missing).toContain('LOCALSTACK_ENDPOINT');
    // -I -S: an isolated interpreter without site-packages, so moto cannot be imported.
    const noMoto = await startMoto({ python: ['python3', '-I', '-S'] }).catch((e: Error) => e.message);
    expect(noMoto).toContain('has no moto module');
    expect(noMoto).toContain("pip install 'moto[server]'");
  });
});

describe('aws-sm: configuration errors', () => {
  it('no region anywhere is ERR_SOURCE_MISCONFIGURED with a hint', async () => {
    vi.stubEnv('AWS_REGION', undefined);
    vi.stubEnv('AWS_DEFAULT_REGION', undefined);
    vi.stubEnv('AWS_PROFILE', undefined);
    vi.stubEnv('AWS_CONFIG_FILE', '/nonexistent/aws-config');
    const err = await codeOf(
      awsSecretsManager({ credentials: { accessKeyId: 'test', secretAccessKey: 'test' } }).get('x'),
    );
    expect(err).toMatchObject({ code: 'ERR_SOURCE_MISCONFIGURED', retryable: false });
    expect(err.hint).toContain('AWS_REGION');
  });

  it('no credentials is ERR_SOURCE_MISCONFIGURED with a hint', async () => {
    const credentials = async () => {
      throw Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      });
    };
    const err = await codeOf(awsSecretsManager({ region: 'us-east-1', credentials }).get('x'));
    expect(err).toMatchObject({ code: 'ERR_SOURCE_MISCONFIGURED', source: 'aws-sm', secretName: 'x' });
    expect(err.hint).toContain('AWS_PROFILE');
  });

  it('takes the endpoint from AWS_ENDPOINT_URL_SECRETS_MANAGER, then AWS_ENDPOINT_URL, unless told to ignore them', () => {
    vi.stubEnv('AWS_ENDPOINT_URL', 'http://generic:1');
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', 'http://sm:2');
    expect(awsClientConfig({}, 'SECRETS_MANAGER').endpoint).toBe('http://sm:2');
    expect(awsClientConfig({}, 'SSM').endpoint).toBe('http://generic:1');
    expect(awsClientConfig({ endpoint: 'http://opt:3' }, 'SSM').endpoint).toBe('http://opt:3');
    vi.stubEnv('AWS_IGNORE_CONFIGURED_ENDPOINT_URLS', 'true');
    expect(awsClientConfig({}, 'SSM').endpoint).toBeUndefined();
  });
});

describe('aws-sm: the SDK loads on first use', () => {
  it('importing the provider loads no @aws-sdk module; the first call does', async () => {
    const { before, after } = await sdkModulesAroundFirstCall(
      "const { awsSecretsManager } = await import('./providers/aws/sm.ts'); const source = awsSecretsManager();",
      `source.get('never-there-${uid()}')`,
    );
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});
