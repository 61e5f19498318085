/**
 * The leak canary's source kinds: every way a value can reach secretsource, each holding the run's
 * sentinel as plain text, as a JSON field and across lines (test/emulators/sentinel.start.ts plants
 * the cloud stores; the local kinds are planted here, under reports/leak-scan/planted/, the one
 * place the final scan skips).
 *
 * To add a kind (a new provider): write a `CanaryKind` and add it to `KINDS` below. Every door in
 * doors.ts then runs against it, and the final scan checks what they printed.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SecretClientOptions } from '@azure/keyvault-secrets';
import { awsSecretsManager } from '../../../providers/aws/sm.js';
import { awsSsm } from '../../../providers/aws/ssm.js';
import { azureKeyVault } from '../../../providers/azure-kv/index.js';
import { dotenvSource } from '../../../providers/dotenv.js';
import { envSource } from '../../../providers/env.js';
import { fileSource } from '../../../providers/file.js';
import { gcpSecretManager } from '../../../providers/gcp-sm/index.js';
import { kubernetesSecrets } from '../../../providers/k8s/index.js';
import { memorySource } from '../../../providers/memory.js';
import { hashicorpVault } from '../../../providers/vault/index.js';
import type { SecretSource } from '../../../src/core/source.js';
import {
  type SENTINEL_NAMES,
  SENTINEL_SHAPES,
  sentinelGcpOptions,
  sentinelK8sOptions,
  sentinelName,
} from '../../emulators/sentinel.start.js';

/** The one directory where the canary writes the sentinel itself (skipped by the final scan). */
export const PLANTED_DIR = fileURLToPath(new URL('../../../reports/leak-scan/planted/', import.meta.url));

/** A source kind holding the sentinel, as the doors see it. */
export interface PlantedKind {
  /** e.g. `env`, `dotenv-unclosed-quote`, `aws-sm`. */
  id: string;
  /** A fresh source over the planted values; the door closes the resolver it builds on it. */
  source(): SecretSource;
  /** Refs to the planted shapes (source id included). Absent shapes are not planted in this kind. */
  refs: { plain?: string; json?: string; lines?: string };
  /** A ref whose read fails in this kind (e.g. every read of a broken .env file), if any. */
  failing?: string;
  /** How the CLI reaches the same values: its environment and extra arguments; absent when it cannot. */
  cli?: { env: Record<string, string | undefined>; args: string[] };
  /** The source keeps versions and can be written (rotate, key rings with history). */
  writable?: boolean;
  /** Planted by test/emulators/sentinel.start.ts in the background of the global setup: the canary waits for it. */
  seeded?: boolean;
}

/** A registered kind: plants the sentinel and describes where. */
export interface CanaryKind {
  id: string;
  plant(sentinel: string): PlantedKind[];
}

const shape = (s: string, k: keyof typeof SENTINEL_SHAPES) => SENTINEL_SHAPES[k].value(s);

function write(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const env = process.env;
const awsEnv = () => ({
  AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL,
  AWS_REGION: env.AWS_REGION || 'us-east-1',
  AWS_ACCESS_KEY_ID: env.AWS_ACCESS_KEY_ID,
  AWS_SECRET_ACCESS_KEY: env.AWS_SECRET_ACCESS_KEY,
});
const aws = () => ({ endpoint: env.AWS_ENDPOINT_URL, region: env.AWS_REGION || 'us-east-1' });

/** The three shapes under one store's names. */
function cloudRefs(store: keyof typeof SENTINEL_NAMES) {
  return {
    plain: `${store}:${sentinelName(store, 'plain')}`,
    json: `${store}:${sentinelName(store, 'json')}#password`,
    lines: `${store}:${sentinelName(store, 'lines')}`,
  };
}

/** Every kind the canary plants in. Later providers add theirs here. */
export const KINDS: CanaryKind[] = [
  {
    id: 'env',
    plant: (s) => {
      const vars = { CANARY: s, CANARY_JSON: shape(s, 'json'), CANARY_LINES: shape(s, 'lines') };
      return [
        {
          id: 'env',
          source: () => envSource({ env: vars }),
          refs: { plain: 'env:CANARY', json: 'env:CANARY_JSON#password', lines: 'env:CANARY_LINES' },
          cli: { env: vars, args: [] },
        },
      ];
    },
  },
  {
    id: 'env-name-file',
    plant: (s) => {
      const dir = join(PLANTED_DIR, 'name-file');
      const vars = {
        CANARY_FILE: write(dir, 'canary', `${s}\n`),
        CANARY_JSON_FILE: write(dir, 'canary-json', shape(s, 'json')),
        CANARY_LINES_FILE: write(dir, 'canary-lines', shape(s, 'lines')),
      };
      return [
        {
          id: 'env-name-file',
          source: () => envSource({ env: vars }),
          refs: { plain: 'env:CANARY', json: 'env:CANARY_JSON#password', lines: 'env:CANARY_LINES' },
          cli: { env: vars, args: [] },
        },
      ];
    },
  },
  {
    id: 'dotenv',
    plant: (s) => {
      const dir = join(PLANTED_DIR, 'dotenv');
      const half = s.length >> 1;
      const good = write(
        dir,
        'good.env',
        [
          `CANARY=${s}`,
          `CANARY_SQ='${s}'`,
          `CANARY_DQ="${s}"`,
          `CANARY_JSON='${shape(s, 'json')}'`,
          `CANARY_LINES="${shape(s, 'lines')}"`,
          '',
        ].join('\n'),
      );
      // Broken files: every read fails, and the parse error must not quote the lines it read.
      const broken: Array<[string, string]> = [
        ['unclosed-quote', `A=1\nCANARY="${s.slice(0, half)}\n${s.slice(half)}\nB=2\n`],
        [
          'unquoted-pem',
          `A=1\nKEY=-----BEGIN PRIVATE KEY-----\n${s.slice(0, half)}\n${s.slice(half)}\n-----END PRIVATE KEY-----\n`,
        ],
        ['pasted-token', `A=1\n${s}\nB=2\n`],
        ['single-quote-lines', `A=1\nCANARY='${s}\n`],
      ];
      const kinds: PlantedKind[] = [
        {
          id: 'dotenv',
          source: () => dotenvSource({ path: good }),
          refs: { plain: 'dotenv:CANARY', json: 'dotenv:CANARY_JSON#password', lines: 'dotenv:CANARY_LINES' },
          cli: { env: {}, args: ['--env-file', good] },
        },
      ];
      for (const [id, text] of broken) {
        const path = write(dir, `${id}.env`, text);
        kinds.push({
          id: `dotenv-${id}`,
          source: () => dotenvSource({ path }),
          refs: {},
          failing: 'dotenv:A',
          cli: { env: {}, args: ['--env-file', path] },
        });
      }
      return kinds;
    },
  },
  {
    id: 'file',
    plant: (s) => {
      const dir = join(PLANTED_DIR, 'files');
      write(dir, 'CANARY', `${s}\n`);
      write(dir, 'CANARY_JSON', shape(s, 'json'));
      write(dir, 'CANARY_LINES', shape(s, 'lines'));
      return [
        {
          id: 'file',
          source: () => fileSource({ dir }),
          refs: { plain: 'file:CANARY', json: 'file:CANARY_JSON#password', lines: 'file:CANARY_LINES' },
          cli: { env: { SECRETSOURCE_FILE_DIR: dir }, args: [] },
        },
      ];
    },
  },
  {
    id: 'memory',
    plant: (s) => [
      {
        id: 'memory',
        source: () =>
          memorySource({
            initial: { CANARY: s, CANARY_JSON: shape(s, 'json'), CANARY_LINES: shape(s, 'lines') },
          }),
        refs: { plain: 'memory:CANARY', json: 'memory:CANARY_JSON#password', lines: 'memory:CANARY_LINES' },
        writable: true,
      },
    ],
  },
  {
    id: 'aws-sm',
    plant: () => [
      {
        id: 'aws-sm',
        source: () => awsSecretsManager(aws()),
        refs: cloudRefs('aws-sm'),
        seeded: true,
        cli: { env: awsEnv(), args: [] },
        writable: true,
      },
    ],
  },
  {
    id: 'aws-ssm',
    plant: () => [
      {
        id: 'aws-ssm',
        source: () => awsSsm(aws()),
        refs: cloudRefs('aws-ssm'),
        seeded: true,
        cli: { env: awsEnv(), args: [] },
        writable: true,
      },
    ],
  },
  {
    id: 'vault',
    plant: () => [
      {
        id: 'vault',
        source: () =>
          hashicorpVault({
            endpoint: env.SECRETSOURCE_TEST_VAULT_ADDR,
            token: env.SECRETSOURCE_TEST_VAULT_TOKEN,
          }),
        refs: cloudRefs('vault'),
        seeded: true,
        cli: {
          env: {
            VAULT_ADDR: env.SECRETSOURCE_TEST_VAULT_ADDR,
            VAULT_TOKEN: env.SECRETSOURCE_TEST_VAULT_TOKEN,
          },
          args: [],
        },
        writable: true,
      },
    ],
  },
  {
    id: 'azure-kv',
    plant: () => [
      {
        id: 'azure-kv',
        source: () =>
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
        refs: cloudRefs('azure-kv'),
        seeded: true,
        // The CLI reaches the emulator through its test-only settings (it prints a warning for them).
        cli: {
          env: {
            AZURE_KEY_VAULT_URL: env.SECRETSOURCE_TEST_AZURE_KV_URL,
            SECRETSOURCE_TEST_ONLY_AZURE_KV_CA: env.SECRETSOURCE_TEST_AZURE_KV_CA,
            SECRETSOURCE_TEST_ONLY_AZURE_KV_TOKEN: env.SECRETSOURCE_TEST_AZURE_KV_TOKEN,
            SECRETSOURCE_TEST_ONLY_AZURE_KV_SKIP_CHALLENGE_CHECK: '1',
          },
          args: [],
        },
        writable: true,
      },
    ],
  },
  {
    id: 'k8s',
    plant: () => {
      // The CLI reaches the emulator as a user's shell does: through a kubeconfig (no sentinel in it).
      const o = sentinelK8sOptions();
      const ca = write(join(PLANTED_DIR, 'k8s'), 'ca.crt', o.ca);
      const kubeconfig = write(
        join(PLANTED_DIR, 'k8s'),
        'kubeconfig',
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'emulator', cluster: { server: o.server, 'certificate-authority': ca } }],
          users: [{ name: 'canary', user: { token: o.token } }],
          contexts: [{ name: 'canary', context: { cluster: 'emulator', user: 'canary' } }],
          'current-context': 'canary',
        }),
      );
      return [
        {
          id: 'k8s',
          source: () => kubernetesSecrets(o),
          refs: cloudRefs('k8s'),
          seeded: true,
          cli: { env: { KUBECONFIG: kubeconfig }, args: [] },
        },
      ];
    },
  },
  {
    id: 'gcp-sm',
    // No cli: the CLI reaches Secret Manager with Application Default Credentials only.
    plant: () => [
      {
        id: 'gcp-sm',
        source: () => gcpSecretManager(sentinelGcpOptions()),
        refs: cloudRefs('gcp-sm'),
        seeded: true,
        writable: true,
      },
    ],
  },
];
