/**
 * Parameter Store specifics, against moto (or LOCALSTACK_ENDPOINT) through the real SDK, plus a
 * loopback server that answers with AWS JSON-protocol errors for the failure paths moto cannot make.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  DescribeParametersCommand,
  GetParameterCommand,
  LabelParameterVersionCommand,
  ListTagsForResourceCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { awsSsm } from '../../providers/aws/ssm.js';
import { Secret } from '../../src/core/secret.js';
import type { SecretSource } from '../../src/core/source.js';
import { localAwsOptions, localstackEndpoint, memorySource, seedSecrets } from '../../src/testing.js';
import { codeOf, collect, expectNoValue } from '../helpers/assertions.js';
import { sdkModulesAroundFirstCall } from '../helpers/sdk-load.js';

const SENTINEL = 'SENTINEL-aws-ssm-0e9c4d21-never-print';
const uid = () => randomBytes(5).toString('hex');

function countingClient(config: { endpoint?: string; maxAttempts?: number } = {}) {
  const client = new SSMClient({
    endpoint: config.endpoint ?? process.env.AWS_ENDPOINT_URL!,
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

async function describeParam(client: SSMClient, name: string) {
  const out = await client.send(
    new DescribeParametersCommand({ ParameterFilters: [{ Key: 'Name', Option: 'Equals', Values: [name] }] }),
  );
  return out.Parameters?.[0];
}

describe('aws-ssm: types', () => {
  it('writes SecureString by default and decrypts it on read; withDecryption: false does not', async () => {
    const { client } = countingClient();
    const ssm = awsSsm({ client });
    const name = `/p${uid()}/app/jwt`;
    const r = await ssm.set(name, SENTINEL);
    expect(r).toEqual({ created: true, version: '1' });
    expect((await describeParam(client, name))?.Type).toBe('SecureString');
    const got = await ssm.get(name);
    expect(got?.value.reveal()).toBe(SENTINEL);
    expect(got?.version).toBe('1');
    expect(got?.updatedAt).toBeInstanceOf(Date);
    const raw = await awsSsm({ client, withDecryption: false }).get(name);
    expect(raw?.value.reveal()).not.toBe(SENTINEL);
    expectNoSentinel(got);
  });

  it('StringList and String keep their type, also when overwritten without one', async () => {
    const { client } = countingClient();
    const ssm = awsSsm({ client });
    const list = `/p${uid()}/hosts`;
    const plain = `/p${uid()}/plain`;
    await ssm.set(list, 'a.example,b.example,c.example', { type: 'StringList' });
    await ssm.set(plain, 'not-secret', { type: 'String' });
    expect((await ssm.get(list))?.value.reveal()).toBe('a.example,b.example,c.example');
    await ssm.set(list, 'a.example,d.example', { overwrite: true });
    const after = await client.send(new GetParameterCommand({ Name: list }));
    expect(after.Parameter?.Type).toBe('StringList');
    expect(after.Parameter?.Value).toBe('a.example,d.example');
    expect((await describeParam(client, plain))?.Type).toBe('String');
  });

  it('passes the KMS key id for SecureString parameters', async () => {
    const { client } = countingClient();
    const name = `/p${uid()}/kms`;
    await awsSsm({ client, kmsKeyId: 'alias/app-secrets' }).set(name, 'v');
    expect((await describeParam(client, name))?.KeyId).toBe('alias/app-secrets');
  });
});

describe('aws-ssm: overwrite only when asked', () => {
  it('a plain set adds a version (the contract); ifAbsent refuses an existing name', async () => {
    const { client } = countingClient();
    const ssm = awsSsm({ client });
    const name = `/p${uid()}/plain`;
    expect(await ssm.set(name, 'one')).toEqual({ created: true, version: '1' });
    expect(await ssm.set(name, 'two')).toEqual({ created: false, version: '2' });
    const err = await codeOf(ssm.set(name, SENTINEL, { ifAbsent: true }));
    expect(err).toMatchObject({ code: 'ERR_SECRET_CONFLICT', secretName: name, source: 'aws-ssm' });
    expectNoSentinel(err);
    expect((await ssm.get(name))?.value.reveal()).toBe('two');
  });

  it('with overwrite: false, refuses an existing name with ERR_SECRET_CONFLICT unless overwrite is set per call', async () => {
    const { client } = countingClient();
    const strict = awsSsm({ client, overwrite: false });
    const name = `/p${uid()}/ow`;
    await strict.set(name, 'one');
    const err = await codeOf(strict.set(name, SENTINEL));
    expect(err).toMatchObject({ code: 'ERR_SECRET_CONFLICT', secretName: name, source: 'aws-ssm' });
    expect(err.hint).toContain('overwrite');
    expectNoSentinel(err);
    expect((await strict.get(name))?.value.reveal()).toBe('one');
    expect(await strict.set(name, 'two', { overwrite: true })).toEqual({ created: false, version: '2' });
    expect(await awsSsm({ client, overwrite: true }).set(name, 'three')).toEqual({
      created: false,
      version: '3',
    });
    // ifAbsent wins over overwrite.
    const conflict = await codeOf(awsSsm({ client, overwrite: true }).set(name, 'four', { ifAbsent: true }));
    expect(conflict.code).toBe('ERR_SECRET_CONFLICT');
    expect((await strict.get(name))?.value.reveal()).toBe('three');
  });

  it('stores tags on create and on overwrite (reads do not return them: capability tags is false)', async () => {
    const { client } = countingClient();
    const ssm = awsSsm({ client, overwrite: true });
    expect(ssm.capabilities.tags).toBe(false);
    const name = `/p${uid()}/tagged`;
    await ssm.set(name, 'one', { tags: { team: 'core' } });
    await ssm.set(name, 'two', { tags: { env: 'test' } });
    const tags = await client.send(
      new ListTagsForResourceCommand({ ResourceType: 'Parameter', ResourceId: name }),
    );
    expect(Object.fromEntries((tags.TagList ?? []).map((t) => [t.Key, t.Value]))).toEqual({
      team: 'core',
      env: 'test',
    });
  });
});

describe('aws-ssm: tiers and sizes', () => {
  it('uses Advanced only when the value is over 4 KB or it is asked for', async () => {
    const { client, calls } = countingClient();
    const ssm = awsSsm({ client });
    const small = `/p${uid()}/small`;
    const big = `/p${uid()}/big`;
    const asked = `/p${uid()}/asked`;
    await ssm.set(small, 'x'.repeat(4096));
    await ssm.set(big, 'y'.repeat(4097));
    await ssm.set(asked, 'z', { tier: 'Advanced' });
    expect((await describeParam(client, small))?.Tier).toBe('Standard');
    expect((await describeParam(client, big))?.Tier).toBe('Advanced');
    expect((await describeParam(client, asked))?.Tier).toBe('Advanced');
    expect((await ssm.get(big))?.value.byteLength).toBe(4097);

    calls.length = 0;
    const standard = await codeOf(ssm.set(`/p${uid()}/std`, 'y'.repeat(4097), { tier: 'Standard' }));
    expect(standard.code).toBe('ERR_SECRET_MALFORMED');
    const tooBig = await codeOf(ssm.set(`/p${uid()}/huge`, 'y'.repeat(8193)));
    expect(tooBig.code).toBe('ERR_SECRET_MALFORMED');
    expect(calls).toEqual([]);
    expect(awsSsm({ tier: 'Standard' }).capabilities.maxValueBytes).toBe(4096);
    expect(ssm.capabilities.maxValueBytes).toBe(8192);
  });

  it('refuses binary values and empty text with coded errors', async () => {
    const ssm = awsSsm();
    const name = `/p${uid()}/bin`;
    expect((await codeOf(ssm.set(name, Uint8Array.from([1, 2])))).code).toBe('ERR_OPERATION_UNSUPPORTED');
    expect((await codeOf(ssm.set(name, new Secret(Uint8Array.from([1]))))).code).toBe(
      'ERR_OPERATION_UNSUPPORTED',
    );
    expect((await codeOf(ssm.set(name, ''))).code).toBe('ERR_SECRET_MALFORMED');
  });
});

describe('aws-ssm: versions and labels', () => {
  it('reads name:3 and name:label through the version option, and lists labels newest first', async () => {
    const { client } = countingClient();
    const ssm = awsSsm({ client, overwrite: true });
    const name = `/p${uid()}/versions`;
    for (const v of ['v1', 'v2', 'v3']) await ssm.set(name, v);
    await client.send(
      new LabelParameterVersionCommand({ Name: name, ParameterVersion: 2, Labels: ['prod'] }),
    );
    expect((await ssm.get(name, { version: '1' }))?.value.reveal()).toBe('v1');
    const labelled = await ssm.get(name, { version: 'prod' });
    expect(labelled?.value.reveal()).toBe('v2');
    expect(labelled?.version).toBe('2');
    expect((await ssm.get(name))?.value.reveal()).toBe('v3');
    const versions = await collect(ssm.versions(name));
    expect(versions.map((v) => v.version)).toEqual(['3', '2', '1']);
    expect(versions.map((v) => v.current)).toEqual([true, false, false]);
    expect(versions[1]?.stages).toEqual(['prod']);
    expectNoSentinel(versions);

    expect((await codeOf(ssm.get(name, { version: '9' }))).code).toBe('ERR_SECRET_VERSION_NOT_FOUND');
    expect((await codeOf(ssm.get(name, { version: 'nolabel' }))).code).toBe('ERR_SECRET_VERSION_NOT_FOUND');
    await expect(ssm.get(`/p${uid()}/absent`, { version: '1' })).resolves.toBeUndefined();
    expect(await collect(ssm.versions(`/p${uid()}/absent`))).toEqual([]);
  });
});

describe('aws-ssm: getMany with GetParameters', () => {
  it('reads 25 names in 3 calls of at most 10, with a missing name absent and a bad name coded', async () => {
    const { client, calls } = countingClient();
    const ssm = awsSsm({ client });
    const base = `/p${uid()}/batch/`;
    const names = Array.from({ length: 25 }, (_, i) => `${base}s${i}`);
    await Promise.all(names.map((n, i) => ssm.set(n, `value-${i}`)));
    calls.length = 0;
    const missing = `${base}missing`;
    const bad = 'no/leading/slash';
    const out = await ssm.getMany([...names, missing, bad]);
    expect(calls).toEqual(['GetParametersCommand', 'GetParametersCommand', 'GetParametersCommand']);
    expect([...out.keys()]).toEqual([...names, missing, bad]);
    names.forEach((n, i) => {
      const e = out.get(n);
      expect(e?.ok && e.record?.value.reveal()).toBe(`value-${i}`);
    });
    expect(out.get(missing)).toEqual({ ok: true, record: undefined });
    const b = out.get(bad);
    expect(!b?.ok && b?.error.code).toBe('ERR_SECRET_NAME_INVALID');
  });

  it('reads a version of each name with name:version selectors', async () => {
    const ssm = awsSsm({ overwrite: true });
    const a = `/p${uid()}/a`;
    const b = `/p${uid()}/b`;
    await ssm.set(a, 'a1');
    await ssm.set(a, 'a2');
    await ssm.set(b, 'b1');
    const out = await ssm.getMany([a, b], { version: '1' });
    const ea = out.get(a);
    const eb = out.get(b);
    expect(ea?.ok && ea.record?.value.reveal()).toBe('a1');
    expect(eb?.ok && eb.record?.value.reveal()).toBe('b1');
    const v2 = await ssm.getMany([a, b], { version: '2' });
    const missingVersion = v2.get(b);
    expect(!missingVersion?.ok && missingVersion?.error.code).toBe('ERR_SECRET_VERSION_NOT_FOUND');
  });
});

describe('aws-ssm: list by path', () => {
  it('lists a path recursively past one page, metadata only', async () => {
    const { client, calls } = countingClient();
    const ssm = awsSsm({ client });
    const base = `/p${uid()}/app`;
    const names = [
      ...Array.from({ length: 9 }, (_, i) => `${base}/n${i}`),
      `${base}/deep/a`,
      `${base}/deep/er/b`,
      `${base}/deep/er/c`,
    ];
    await Promise.all(names.map((n) => ssm.set(n, SENTINEL)));
    await ssm.set(`${base}x/not-under`, 'x');
    calls.length = 0;
    const listed = await collect(ssm.list({ prefix: `${base}/`, pageSize: 5 }));
    expect(listed.map((m) => m.name).sort()).toEqual([...names].sort());
    // 12 names take at least two pages (moto pages DescribeParameters by 10 whatever MaxResults says).
    expect(calls.filter((c) => c === 'DescribeParametersCommand').length).toBeGreaterThanOrEqual(2);
    expect(listed[0]?.version).toBe('1');
    expect(listed[0]?.updatedAt).toBeInstanceOf(Date);
    expectNoSentinel(listed);
    // A prefix that is not a path matches the start of the name.
    const byName = await collect(ssm.list({ prefix: `${base}/deep/er` }));
    expect(byName.map((m) => m.name).sort()).toEqual([`${base}/deep/er/b`, `${base}/deep/er/c`]);
  });
});

describe('aws-ssm: names and delete', () => {
  it('refuses invalid names before any API call', async () => {
    const { client, calls } = countingClient();
    const ssm = awsSsm({ client });
    for (const bad of ['has space', 'no/leading/slash', '/double//slash', '/trailing/', '/sel:3', '/a$b']) {
      expect((await codeOf(ssm.get(bad))).code).toBe('ERR_SECRET_NAME_INVALID');
      expect((await codeOf(ssm.set(bad, SENTINEL))).code).toBe('ERR_SECRET_NAME_INVALID');
    }
    expect(calls).toEqual([]);
  });

  it('deletes, then reports the name absent', async () => {
    const ssm = awsSsm();
    const name = `/p${uid()}/del`;
    await ssm.set(name, 'x');
    expect(await ssm.delete(name)).toBe(true);
    await expect(ssm.get(name)).resolves.toBeUndefined();
    expect(await ssm.delete(name)).toBe(false);
  });
});

async function faultServer(
  reply: (target: string) => { status: number; body: unknown },
): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const r = reply(String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '');
      res.writeHead(r.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(r.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(() => r())) };
}

describe('aws-ssm: error mapping (loopback AWS JSON-protocol server)', () => {
  let fault: Awaited<ReturnType<typeof faultServer>>;
  let mode: { status: number; type: string; message?: string } = {
    status: 400,
    type: 'AccessDeniedException',
  };
  beforeAll(async () => {
    fault = await faultServer(() => ({
      status: mode.status,
      body: { __type: mode.type, message: mode.message ?? `echo of input: ${SENTINEL}` },
    }));
  });
  afterAll(() => fault.close());

  const cases: Array<[number, string, string, boolean]> = [
    [400, 'AccessDeniedException', 'ERR_SOURCE_ACCESS_DENIED', false],
    [400, 'InvalidKeyId', 'ERR_SOURCE_ACCESS_DENIED', false],
    [400, 'ThrottlingException', 'ERR_SOURCE_UNAVAILABLE', true],
    [500, 'InternalServerError', 'ERR_SOURCE_UNAVAILABLE', true],
  ];
  for (const [status, type, code, retryable] of cases) {
    it(`${type} (${status}) → ${code}, retryable ${retryable}`, async () => {
      mode = { status, type };
      const { client } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
      const ssm = awsSsm({ client });
      const err = await codeOf(ssm.get('/app/prod/jwt'));
      expect(err).toMatchObject({ code, retryable, source: 'aws-ssm', secretName: '/app/prod/jwt' });
      expect(err.cause).toMatchObject({ name: type, status });
      expectNoSentinel(err);
      const batch = await ssm.getMany(['/a', '/b']);
      for (const n of ['/a', '/b']) {
        const e = batch.get(n);
        expect(!e?.ok && e?.error).toMatchObject({ code, secretName: n });
        expectNoSentinel(!e?.ok && e?.error);
      }
    });
  }

  it('ParameterNotFound reads as absent; a ValidationException about the name is ERR_SECRET_NAME_INVALID', async () => {
    const { client } = countingClient({ endpoint: fault.url, maxAttempts: 1 });
    const ssm = awsSsm({ client });
    mode = { status: 400, type: 'ParameterNotFound' };
    await expect(ssm.get('/gone')).resolves.toBeUndefined();
    mode = {
      status: 400,
      type: 'ValidationException',
      message: `Parameter name: can't be prefixed with "${SENTINEL}"`,
    };
    const err = await codeOf(ssm.set('/ssm-ish', 'v'));
    expect(err.code).toBe('ERR_SECRET_NAME_INVALID');
    expectNoSentinel(err);
    // Any other validation failure is not blamed on the name.
    mode = {
      status: 400,
      type: 'ValidationException',
      message: `Value '${SENTINEL} name' failed a constraint`,
    };
    expect((await codeOf(ssm.set('/x', 'v'))).code).toBe('ERR_SOURCE_MISCONFIGURED');
  });
});

describe('aws-ssm: the SDK loads on first use', () => {
  it('importing the provider loads no @aws-sdk module; the first call does', async () => {
    const { before, after } = await sdkModulesAroundFirstCall(
      "const { awsSsm } = await import('./providers/aws/ssm.ts'); const source = awsSsm();",
      `source.get('/never-there-${uid()}')`,
    );
    expect(before).toBe(0);
    expect(after).toBeGreaterThan(0);
  });
});

describe('secretsource/testing helpers', () => {
  it('discovers LOCALSTACK_ENDPOINT, then AWS_ENDPOINT_URL, then localhost:4566', () => {
    expect(localstackEndpoint({ LOCALSTACK_ENDPOINT: 'http://a:1', AWS_ENDPOINT_URL: 'http://b:2' })).toBe(
      'http://a:1',
    );
    expect(localstackEndpoint({ AWS_ENDPOINT_URL: 'http://b:2' })).toBe('http://b:2');
    expect(localstackEndpoint({})).toBe('http://localhost:4566');
    expect(localAwsOptions({})).toEqual({
      endpoint: 'http://localhost:4566',
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
  });

  it('seeds a source with store-specific options, and refuses a read-only one', async () => {
    const ssm = awsSsm({ ...localAwsOptions() });
    const base = `/p${uid()}/seed`;
    const first = await seedSecrets(ssm, { [`${base}/a`]: 'A', [`${base}/b`]: 'B' });
    expect([...first.values()].every((r) => r.created)).toBe(true);
    const again = await seedSecrets(ssm, { [`${base}/a`]: 'A2' }, { overwrite: true });
    expect(again.get(`${base}/a`)).toEqual({ created: false, version: '2' });
    expect((await ssm.get(`${base}/a`))?.value.reveal()).toBe('A2');
    const mem = memorySource();
    const readOnly: SecretSource = {
      id: 'ro',
      get: (name) => mem.get(name),
      capabilities: { ...mem.capabilities, write: false },
    };
    expect((await codeOf(seedSecrets(readOnly, { x: 'y' }))).code).toBe('ERR_OPERATION_UNSUPPORTED');
  });
});

describe('aws providers: a missing SDK', () => {
  it('is ERR_PROVIDER_DEPENDENCY_MISSING naming the npm i command, at the first call', async () => {
    const root = fileURLToPath(new URL('../../', import.meta.url));
    // A module hook makes the SDK packages unresolvable, as on an install without the optional peers.
    const hooks = `export async function resolve(s, c, n) { if (s.startsWith('@aws-sdk/')) { const e = new Error('Cannot find package ' + s); e.code = 'ERR_MODULE_NOT_FOUND'; throw e; } return n(s, c); }`;
    const register = `import { register } from 'node:module'; register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});`;
    const script = `
      const { awsSecretsManager } = await import('./providers/aws/sm.ts');
      const { awsSsm } = await import('./providers/aws/ssm.ts');
      const out = [];
      for (const s of [awsSecretsManager(), awsSsm()]) {
        const e = await s.get('/x').catch((e) => e);
        out.push({ code: e.code, message: e.message, hint: e.hint });
      }
      console.log(JSON.stringify(out));
    `;
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '--import',
        'tsx',
        '--import',
        `data:text/javascript,${encodeURIComponent(register)}`,
        '--input-type=module',
        '-e',
        script,
      ],
      { cwd: root, env: process.env },
    );
    const out = JSON.parse(stdout.trim().split('\n').pop()!) as Array<{
      code: string;
      message: string;
      hint: string;
    }>;
    expect(out).toEqual([
      {
        code: 'ERR_PROVIDER_DEPENDENCY_MISSING',
        message: 'source "aws-sm" needs @aws-sdk/client-secrets-manager, which is not installed',
        hint: 'npm i @aws-sdk/client-secrets-manager',
      },
      {
        code: 'ERR_PROVIDER_DEPENDENCY_MISSING',
        message: 'source "aws-ssm" needs @aws-sdk/client-ssm, which is not installed',
        hint: 'npm i @aws-sdk/client-ssm',
      },
    ]);
  });
});
