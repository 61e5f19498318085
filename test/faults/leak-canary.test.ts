/**
 * The leak scan's two halves. The sentinel planted by test/emulators/sentinel.start.ts is really in
 * every store and comes out only as a redacted Secret (library and CLI, outputs captured for the
 * final scan); and the scanner (scripts/leak-scan.ts) finds the value in every form it claims to,
 * while honouring its exclusions.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { afterAll, describe, expect, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { awsSsm } from '../../providers/aws/ssm.js';
import { azureKeyVault } from '../../providers/azure-kv/index.js';
import { hashicorpVault } from '../../providers/vault/index.js';
import { scanForSentinel, sentinelForms } from '../../scripts/leak-scan.js';
import { memoryIo } from '../../src/cli/io.js';
import { runCli } from '../../src/cli/program.js';
import type { SecretEvent } from '../../src/core/events.js';
import type { SecretSource } from '../../src/core/source.js';
import { createResolver } from '../../src/resolver/resolver.js';
import { SENTINEL_NAMES } from '../emulators/sentinel.start.js';
import { capture } from '../helpers/capture.js';

const env = process.env;
const sentinel = env.SECRETSOURCE_TEST_SENTINEL ?? '';
const aws = { endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION || 'us-east-1' };

const sources: Array<[keyof typeof SENTINEL_NAMES, () => SecretSource]> = [
  ['aws-sm', () => awsSecretsManager(aws)],
  ['aws-ssm', () => awsSsm(aws)],
  [
    'vault',
    () =>
      hashicorpVault({
        endpoint: env.SECRETSOURCE_TEST_VAULT_ADDR,
        token: env.SECRETSOURCE_TEST_VAULT_TOKEN,
      }),
  ],
  [
    'azure-kv',
    () =>
      azureKeyVault({
        vaultUrl: env.SECRETSOURCE_TEST_AZURE_KV_URL,
        credential: {
          getToken: async () => ({
            token: env.SECRETSOURCE_TEST_AZURE_KV_TOKEN ?? '',
            expiresOnTimestamp: Date.now() + 3_600_000,
          }),
        },
        clientOptions: {
          disableChallengeResourceVerification: true,
          tlsOptions: { ca: readFileSync(env.SECRETSOURCE_TEST_AZURE_KV_CA ?? '', 'utf8') },
          retryOptions: { maxRetries: 0 },
        } as SecretClientOptions,
      }),
  ],
];

/** Planting runs in the background of the global setup: give it a bounded moment. */
async function readPlanted(source: SecretSource, name: string) {
  for (let i = 0; i < 150; i++) {
    const rec = await source.get(name);
    if (rec?.value.reveal() === sentinel) return rec;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the sentinel never appeared in ${source.id}`);
}

describe('the planted sentinel', () => {
  it('is a fresh, scan-safe value handed to the workers', () => {
    expect(sentinel).toMatch(/^[A-Za-z0-9-]{16,}$/);
  });

  it.each(sources)('is in %s, and leaves it only as a redacted Secret', async (id, make) => {
    const name = SENTINEL_NAMES[id];
    await readPlanted(make(), name);
    const events: SecretEvent[] = [];
    const resolver = createResolver({ sources: [make()], onEvent: (e) => events.push(e) });
    const secret = await resolver.get(`${id}:${name}`);
    expect(secret.reveal()).toBe(sentinel);
    const shown = [
      String(secret),
      `${secret}`,
      JSON.stringify({ secret }),
      inspect(secret, { showHidden: true }),
    ];
    for (const s of shown) expect(s).not.toContain(sentinel);
    // A field of a non-JSON value fails without quoting it.
    const err = await resolver.get(`${id}:${name}#field`).catch((e: unknown) => e);
    expect((err as { code?: string }).code).toBe('ERR_SECRET_MALFORMED');
    capture(`leak-canary-${id}.log`, ...shown, err, events);
    expect(inspect(err, { depth: 10, showHidden: true })).not.toContain(sentinel);
    expect(JSON.stringify(events)).not.toContain(sentinel);
    await resolver.close();
  });

  it('through the CLI: get prints ref, fingerprint and size, never the value', async () => {
    const cliEnv = {
      VAULT_ADDR: env.SECRETSOURCE_TEST_VAULT_ADDR,
      VAULT_TOKEN: env.SECRETSOURCE_TEST_VAULT_TOKEN,
      AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL,
      AWS_REGION: aws.region,
      AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
      AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
    };
    await readPlanted(sources[2]![1](), SENTINEL_NAMES.vault);
    for (const argv of [
      ['get', `vault:${SENTINEL_NAMES.vault}`],
      ['get', `vault:${SENTINEL_NAMES.vault}`, '--format', 'json'],
      ['get', `aws-ssm:${SENTINEL_NAMES['aws-ssm']}`, '--format', 'json'],
      ['get', `aws-sm:${SENTINEL_NAMES['aws-sm']}#nofield`],
      ['check', `vault:${SENTINEL_NAMES.vault}`, '--environment', 'production'],
    ]) {
      const io = memoryIo({ env: cliEnv });
      const code = await runCli(argv, io);
      capture(
        'leak-canary-cli.log',
        `$ secretsource ${argv.join(' ')} -> ${code}`,
        io.stdoutText,
        io.stderrText,
      );
      expect(io.stdoutText + io.stderrText).not.toContain(sentinel);
      expect([0, 1, 3]).toContain(code);
    }
  });
});

describe('the leak scanner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'secretsource-leak-scan-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // A stand-in sentinel: the real one must never be written by a test.
  const fake = 'SENTINEL-selftest-0123456789abcdef';

  it('finds the value raw, in hex and in base64 at every alignment, in nested files', () => {
    mkdirSync(join(dir, 'a', 'b'), { recursive: true });
    writeFileSync(join(dir, 'a', 'raw.log'), `before ${fake} after`);
    writeFileSync(join(dir, 'a', 'b', 'hex.txt'), Buffer.from(`x${fake}y`).toString('hex'));
    for (const pad of ['', 'p', 'pp']) {
      writeFileSync(
        join(dir, 'a', `b64-${pad.length}.txt`),
        Buffer.from(`${pad}${fake}!`).toString('base64'),
      );
      writeFileSync(
        join(dir, 'a', `b64url-${pad.length}.txt`),
        Buffer.from(`${pad}${fake}?>`).toString('base64url'),
      );
    }
    writeFileSync(join(dir, 'clean.txt'), 'nothing here SENTINEL-selftest-');
    const r = scanForSentinel(fake, [dir]);
    const found = new Set(r.hits.map((h) => h.file.slice(dir.length)));
    expect(found).toEqual(
      new Set([
        '/a/raw.log',
        '/a/b/hex.txt',
        '/a/b64-0.txt',
        '/a/b64-1.txt',
        '/a/b64-2.txt',
        '/a/b64url-0.txt',
        '/a/b64url-1.txt',
        '/a/b64url-2.txt',
      ]),
    );
    expect(r.hits.find((h) => h.file.endsWith('raw.log'))?.offset).toBe(7);
  });

  it('skips the excluded definition file, and reports no hit in clean trees', () => {
    const clean = mkdtempSync(join(dir, 'clean-'));
    writeFileSync(join(clean, 'planted.json'), JSON.stringify({ sentinel: fake }));
    writeFileSync(join(clean, 'out.log'), 'ok');
    expect(scanForSentinel(fake, [clean], [join(clean, 'planted.json')]).hits).toEqual([]);
    expect(scanForSentinel(fake, [clean]).hits).toHaveLength(1);
  });

  it('every base64 form it looks for is long enough to mean something', () => {
    for (const f of sentinelForms(fake)) expect(f.bytes.length).toBeGreaterThanOrEqual(12);
  });
});
