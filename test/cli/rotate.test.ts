/**
 * `secretsource rotate`: a new version in SSM on moto, only names and versions printed; and it never
 * destroys or pretends: a JSON secret is not replaced without `#field` or `--whole`, a missing secret
 * or field is not created without `--create`, and "previous kept" is printed only when the previous
 * version still reads back (Vault `max_versions: 1` prunes it).
 */
import { randomBytes } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import { keyIdOf } from '../../src/core/fingerprint.js';

const uid = () => randomBytes(4).toString('hex');
const VAULT_ADDR = process.env.SECRETSOURCE_TEST_VAULT_ADDR;
const VAULT_TOKEN = process.env.SECRETSOURCE_TEST_VAULT_TOKEN;

beforeAll(() => {
  for (const key of Object.keys(process.env)) if (key.startsWith('VAULT_')) delete process.env[key];
});

async function cli(argv: string[], env: Record<string, string | undefined> = {}) {
  const io = memoryIo({ env: { ...process.env, ...env } });
  const code = await runCli(argv, io);
  return { code, out: io.stdoutText, err: io.stderrText };
}

describe('secretsource rotate', () => {
  it('writes a new version, keeps the previous one, and prints no key', async () => {
    const name = `/rotate/${randomBytes(4).toString('hex')}/jwt`;
    const ssm = awsSsm();
    const io = () => memoryIo({ env: { ...process.env } });
    const first = io();
    expect(await runCli(['rotate', `aws-ssm:${name}`, '--create'], first)).toBe(0);
    expect(first.stdoutText).toMatch(
      new RegExp(`^created aws-ssm:${name}: version 1 \\(kid k_[0-9a-f]{16}\\)\\n$`),
    );
    const key1 = (await ssm.get(name))!.value.reveal();
    const second = io();
    expect(
      await runCli(
        ['rotate', `aws-ssm:${name}`, '--format', 'json', '--bytes', '32', '--encoding', 'hex'],
        second,
      ),
    ).toBe(0);
    const result = JSON.parse(second.stdoutText);
    expect(result).toMatchObject({
      source: 'aws-ssm',
      name,
      version: '2',
      previousVersion: '1',
      previousKept: true,
      created: false,
      warnings: [],
    });
    const key2 = (await ssm.get(name))!.value.reveal();
    expect(key2).toMatch(/^[0-9a-f]{64}$/);
    expect(result.kid).toBe(keyIdOf(new Uint8Array(), { name, version: '2' }));
    expect((await ssm.get(name, { version: '1' }))!.value.reveal()).toBe(key1);
    for (const out of [first, second]) {
      expect(out.stdoutText + out.stderrText).not.toContain(key1);
      expect(out.stdoutText + out.stderrText).not.toContain(key2);
    }
  });

  it('exits 1 for a store without versions and 2 on usage errors', async () => {
    const env = memoryIo({ env: { JWT: 'x' } });
    expect(await runCli(['rotate', 'env:JWT'], env)).toBe(1);
    expect(env.stderrText).toMatch(/^error ERR_OPERATION_UNSUPPORTED: /);
    for (const argv of [
      ['rotate'],
      ['rotate', 'JWT'],
      ['rotate', 'memory:jwt', '--bytes', '8'],
      ['rotate', 'memory:jwt?version=1'],
    ]) {
      expect(await runCli(argv, memoryIo()), argv.join(' ')).toBe(2);
    }
  });
});

describe('rotate on a JSON secret (Secrets Manager on moto)', () => {
  it('refuses to replace a JSON secret without #field, and --whole replaces it', async () => {
    const sm = awsSecretsManager();
    const name = `prod/${uid()}/app`;
    const original = JSON.stringify({ jwt: randomBytes(32).toString('hex'), db_password: 'keep-me-1234' });
    await sm.set(name, original);
    const refused = await cli(['rotate', `aws-sm:${name}`]);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/^error ERR_USAGE: .*JSON object/);
    expect(refused.err).toMatch(/#FIELD|--whole/);
    expect(refused.out).toBe('');
    expect((await sm.get(name))!.value.reveal()).toBe(original);

    const field = await cli(['rotate', `aws-sm:${name}#jwt`]);
    expect(field.code).toBe(0);
    expect(JSON.parse((await sm.get(name))!.value.reveal()).db_password).toBe('keep-me-1234');

    const whole = await cli(['rotate', `aws-sm:${name}`, '--whole']);
    expect(whole.code).toBe(0);
    expect((await sm.get(name))!.value.reveal()).toMatch(/^[A-Za-z0-9_-]{86}$/);
    await sm.close();
  });
});

describe('rotate on a missing secret or field (Secrets Manager on moto)', () => {
  it('refuses a typo instead of creating a new secret, and creates only with --create', async () => {
    const sm = awsSecretsManager();
    const name = `prod/${uid()}/nothere`;
    const typo = await cli(['rotate', `aws-sm:${name}#jwt`]);
    expect(typo.code).toBe(1);
    expect(typo.err).toMatch(/^error ERR_SECRET_NOT_FOUND: /);
    expect(typo.err).toMatch(/--create/);
    expect(await sm.get(name)).toBeUndefined();

    const created = await cli(['rotate', `aws-sm:${name}#jwt`, '--create']);
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/created/);
    expect(Object.keys(JSON.parse((await sm.get(name))!.value.reveal()))).toEqual(['jwt']);

    // A misspelt field of an existing JSON secret is a typo too: the real key would stay current.
    const field = await cli(['rotate', `aws-sm:${name}#jtw`]);
    expect(field.code).toBe(1);
    expect(field.err).toMatch(/^error ERR_SECRET_NOT_FOUND: .*"jtw"/);
    expect(Object.keys(JSON.parse((await sm.get(name))!.value.reveal()))).toEqual(['jwt']);
    await sm.close();
  });
});

describe('rotate reports the previous version honestly (Vault emulator)', () => {
  it('with max_versions 1, warns that the previous version is gone instead of "kept"', async () => {
    const mount = `rot-${uid()}`;
    const headers = { 'X-Vault-Token': VAULT_TOKEN!, 'Content-Type': 'application/json' };
    const mounted = await fetch(`${VAULT_ADDR}/v1/sys/mounts/${mount}`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ type: 'kv', options: { version: '2' } }),
    });
    expect(mounted.status).toBe(204);
    const configured = await fetch(`${VAULT_ADDR}/v1/${mount}/config`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ max_versions: 1 }),
    });
    expect(configured.status).toBe(204);
    const vault = hashicorpVault({ endpoint: VAULT_ADDR, token: VAULT_TOKEN, mount });
    await vault.set('app/jwt', randomBytes(48).toString('base64url'));
    const env = { VAULT_ADDR, VAULT_TOKEN, SECRETSOURCE_VAULT_MOUNT: mount };
    const run = await cli(['rotate', 'vault:app/jwt'], env);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/^rotated vault:app\/jwt: version 2 /);
    expect(run.out).toMatch(/, previous 1 not kept\n$/);
    expect(run.err).toMatch(/^warning: previous version 1 .*no longer readable/m);
    expect(run.err).toMatch(/max_versions/);

    const json = await cli(['rotate', 'vault:app/jwt', '--format', 'json'], env);
    expect(JSON.parse(json.out)).toMatchObject({ version: '3', previousVersion: '2', previousKept: false });

    // With room for versions, the previous one is read back and reported kept.
    await fetch(`${VAULT_ADDR}/v1/${mount}/config`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ max_versions: 5 }),
    });
    const kept = await cli(['rotate', 'vault:app/jwt'], env);
    expect(kept.out).toMatch(/previous 3 kept/);
    expect(kept.err).toBe('');
    await vault.close();
  });
});

describe('rotate --revoke-previous and --if-older-than (Parameter Store on moto)', () => {
  it('revokes every previous version in the store, and rotates on a schedule only when due', async () => {
    const ssm = awsSsm();
    const name = `/rotate/${uid()}/jwt`;
    expect((await cli(['rotate', `aws-ssm:${name}`, '--create'])).code).toBe(0);
    const young = await cli(['rotate', `aws-ssm:${name}`, '--if-older-than', '90d']);
    expect(young.code).toBe(0);
    expect(young.out).toMatch(
      new RegExp(
        `^not rotated aws-ssm:${name}: version 1 is 0 minutes old, younger than asked \\(kid k_[0-9a-f]{16}\\)\\n$`,
      ),
    );
    const due = await cli(['rotate', `aws-ssm:${name}`, '--if-older-than', '1ms', '--format', 'json']);
    expect(JSON.parse(due.out)).toMatchObject({ rotated: true, version: '2', previousKept: true });
    expect(JSON.parse(due.out).ageMs).toBeGreaterThanOrEqual(1);
    const revoke = await cli(['rotate', `aws-ssm:${name}`, '--revoke-previous']);
    expect(revoke.code).toBe(0);
    expect(revoke.out).toMatch(
      new RegExp(`^rotated aws-ssm:${name}: version 3 \\(kid k_[0-9a-f]{16}\\), revoked 2, 1\\n$`),
    );
    const versions = [];
    for await (const v of ssm.versions(name)) versions.push([v.version, v.enabled]);
    expect(versions).toEqual([
      ['3', true],
      ['2', false],
      ['1', false],
    ]);
    for (const bad of ['90', '90 days', '-1d', '1y']) {
      const r = await cli(['rotate', `aws-ssm:${name}`, '--if-older-than', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.err).toMatch(/^error ERR_USAGE: --if-older-than takes a number and a unit/);
    }
    const env = await cli(['rotate', 'env:JWT', '--revoke-previous'], { JWT: 'x' });
    expect(env.code).toBe(1);
    expect(env.err).toMatch(/^error ERR_OPERATION_UNSUPPORTED: /);
    await ssm.close();
  });
});
