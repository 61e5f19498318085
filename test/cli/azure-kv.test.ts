/**
 * The CLI's azure-kv source against a test vault (the shared Key Vault emulator), pointed at it with
 * the SECRETSOURCE_TEST_ONLY_AZURE_KV_* variables: get and copy work, and each run says on stderr
 * that test-only settings are in use. Without the challenge setting it fails as misconfigured.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';

const url = process.env.SECRETSOURCE_TEST_AZURE_KV_URL;
const caFile = process.env.SECRETSOURCE_TEST_AZURE_KV_CA;
const token = process.env.SECRETSOURCE_TEST_AZURE_KV_TOKEN;
if (!url || !caFile || !token)
  throw new Error('run through vitest: test/global-setup.ts starts the Key Vault emulator');

const testVault = {
  AZURE_KEY_VAULT_URL: url,
  SECRETSOURCE_TEST_ONLY_AZURE_KV_CA: caFile,
  SECRETSOURCE_TEST_ONLY_AZURE_KV_TOKEN: token,
  SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK: '1',
};
const direct = azureKeyVault({
  vaultUrl: url,
  credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) },
  clientOptions: {
    tlsOptions: { ca: readFileSync(caFile, 'utf8') },
    disableChallengeResourceVerification: true,
  },
  pollIntervalMs: 20,
});
const key = () => randomBytes(48).toString('base64url');
const uniqueName = () => `CLI_${randomBytes(4).toString('hex').toUpperCase()}_JWT_SECRET_KEY`;

describe('CLI azure-kv against a test vault', () => {
  it('get resolves a secret and announces the test-only settings', async () => {
    const name = uniqueName();
    const value = key();
    await direct.set!(name, value);
    const io = memoryIo({ env: testVault });
    expect(await runCli(['get', `azure-kv:${name}`, '--format', 'json'], io)).toBe(0);
    expect(JSON.parse(io.stdoutText)).toMatchObject({ ref: `azure-kv:${name}`, bytes: 64 });
    expect(io.stderrText).toMatch(
      /^warning: test-only Azure Key Vault settings in use \(SECRETSOURCE_TEST_ONLY_AZURE_KV_CA, /,
    );
    expect(io.stdoutText + io.stderrText).not.toContain(value);
  });

  it('copy --apply writes .env values into the vault', async () => {
    const name = uniqueName();
    const value = key();
    const dir = await mkdtemp(join(tmpdir(), 'ss-cli-azure-'));
    await writeFile(join(dir, '.env'), `${name}=${value}\n`);
    const io = memoryIo({ cwd: dir, env: testVault });
    expect(await runCli(['copy', 'dotenv:.env', 'azure-kv:', '--apply'], io)).toBe(0);
    expect((await direct.get(name))?.value.reveal()).toBe(value);
  });

  it('without the challenge setting, a loopback vault is refused as misconfigured (exit 3), with the fix in the hint', async () => {
    const { SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK: _, ...noSkip } = testVault;
    const io = memoryIo({ env: noSkip });
    expect(await runCli(['get', 'azure-kv:ANY_NAME'], io)).toBe(3);
    expect(io.stderrText).toContain(
      `ERR_SOURCE_MISCONFIGURED: read "ANY_NAME" in source "azure-kv" (${new URL(url!).origin}): the vault's auth challenge does not match its host`,
    );
    expect(io.stderrText).toContain('SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK=1');
  });

  it('refuses a skip value other than 1 or true as a usage error', async () => {
    const io = memoryIo({
      env: { ...testVault, SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK: 'yes please' },
    });
    expect(await runCli(['get', 'azure-kv:ANY_NAME'], io)).toBe(2);
    expect(io.stderrText).toContain('ERR_USAGE');
  });
});
