/**
 * Test-only settings that point the CLI's `azure-kv` source at a test vault such as the emulator in
 * `secretsource/testing`: a CA to trust, a static bearer token instead of `DefaultAzureCredential`,
 * and skipping the challenge's resource check, which a loopback host can never pass
 * (docs/protocols/azure-key-vault.md#resource-verification). Each use is announced on stderr.
 */
import { readFile } from 'node:fs/promises';
import { resolve as resolvePath } from 'node:path';
import { SecretError } from '../core/errors.js';
import type { CliIo } from './io.js';

/** The variables, named so nobody mistakes them for production settings. */
export const AZURE_TEST_ONLY = {
  /** A PEM file of the CA the vault's certificate is signed by. */
  ca: 'SECRETSOURCE_TEST_ONLY_AZURE_KV_CA',
  /** A bearer token sent as is (the emulator's `token`). */
  token: 'SECRETSOURCE_TEST_ONLY_AZURE_KV_TOKEN',
  /** `1` or `true`: skip the check that the auth challenge names the vault's host. */
  skipChallengeCheck: 'SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK',
} as const;

/** What `azureKeyVault()` gets from the test-only variables: nothing when none is set. */
export async function azureTestVaultOptions(io: CliIo): Promise<{
  credential?: { getToken(): Promise<{ token: string; expiresOnTimestamp: number }> };
  clientOptions?: { tlsOptions?: { ca: string }; disableChallengeResourceVerification?: boolean };
}> {
  const caFile = io.env[AZURE_TEST_ONLY.ca];
  const token = io.env[AZURE_TEST_ONLY.token];
  const skip = io.env[AZURE_TEST_ONLY.skipChallengeCheck];
  const used = Object.values(AZURE_TEST_ONLY).filter((name) => io.env[name]);
  if (used.length === 0) return {};
  io.stderr(
    `warning: test-only Azure Key Vault settings in use (${used.join(', ')}); never set them in production\n`,
  );
  if (skip !== undefined && skip !== '' && !/^(1|true)$/i.test(skip)) {
    throw new SecretError('ERR_USAGE', `${AZURE_TEST_ONLY.skipChallengeCheck} must be 1 or true`);
  }
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = await readFile(resolvePath(io.cwd, caFile), 'utf8');
    } catch (err) {
      throw new SecretError(
        'ERR_SOURCE_MISCONFIGURED',
        `${AZURE_TEST_ONLY.ca} names a file that cannot be read`,
        {
          source: 'azure-kv',
          cause: err,
        },
      );
    }
  }
  const clientOptions = {
    ...(ca === undefined ? {} : { tlsOptions: { ca } }),
    ...(skip ? { disableChallengeResourceVerification: true } : {}),
  };
  return {
    ...(token
      ? { credential: { getToken: async () => ({ token, expiresOnTimestamp: Date.now() + 3_600_000 }) } }
      : {}),
    ...(Object.keys(clientOptions).length > 0 ? { clientOptions } : {}),
  };
}
