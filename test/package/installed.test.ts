/**
 * The package as a user installs it: packed, installed by npm with its dependencies into a
 * throwaway app outside the repository, then imported, run and type-checked there. Nothing here
 * reads the repository's sources: every import resolves inside the app's own node_modules.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publicApi } from '../../scripts/public-api.js';
import { type Consumer, installConsumer, repoVersion } from './consumer.js';
import { cleanEnv, type PackageJson, packageJson, root } from './pack.js';

const run = promisify(execFile);
const pkg = packageJson();
const subpaths = Object.keys(pkg.exports).filter((s) => s !== './package.json');
const specifier = (subpath: string) => (subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`);

/** A file that touches every entry: a namespace import of each, and typed calls that must check. */
const everyEntry = `${subpaths.map((s, i) => `import * as entry${i} from '${specifier(s)}';`).join('\n')}
import { createResolver, isSecretError, type Secret, type SecretSource } from 'secretsource';
import { dotenvSource } from 'secretsource/providers/dotenv';
import { envSource } from 'secretsource/providers/env';
import { memorySource } from 'secretsource/providers/memory';
import { awsSecretsManager } from 'secretsource/providers/aws-sm';
import { azureKeyVault } from 'secretsource/providers/azure-kv';
import { hashicorpVault } from 'secretsource/providers/vault';
import { localAwsOptions, seedSecrets } from 'secretsource/testing';

export const entries = [${subpaths.map((_, i) => `entry${i}`).join(', ')}];
const sources: SecretSource[] = [envSource(), dotenvSource(), memorySource({ initial: { A: 'x' } })];
export const cloud: SecretSource[] = [
  awsSecretsManager({ ...localAwsOptions() }),
  azureKeyVault({ vaultUrl: 'https://example.vault.azure.net' }),
  hashicorpVault({ endpoint: 'http://127.0.0.1:8200', token: 't' }),
];
const resolver = createResolver({ sources, cache: { ttlMs: 1000 } });
export async function read(): Promise<string> {
  const secret: Secret = await resolver.get('memory:A');
  await seedSecrets(memorySource(), { B: 'y' });
  return secret.reveal();
}
export const coded = (e: unknown): string | undefined => (isSecretError(e) ? e.code : undefined);
// The declarations are real types, not any: each line below must be an error.
// @ts-expect-error sources must be an array of SecretSource
createResolver({ sources: 42 });
// @ts-expect-error reveal() returns a string
export const n: number = memorySource().capabilities.read && (await resolver.get('A')).reveal();
`;

const tsconfig = (compilerOptions: Record<string, unknown>) =>
  JSON.stringify({
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      strict: true,
      exactOptionalPropertyTypes: true,
      noEmit: true,
      skipLibCheck: false,
      types: ['node'],
      ...compilerOptions,
    },
    files: ['every-entry.ts'],
  });

/** Prints `{ subpath: [runtime export names] }` for every `exports` entry of the installed package. */
const importAll = `
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const pkg = JSON.parse(readFileSync(require.resolve('${pkg.name}/package.json'), 'utf8'));
const out = {};
for (const subpath of Object.keys(pkg.exports).filter((s) => s !== './package.json')) {
  const spec = subpath === '.' ? pkg.name : pkg.name + '/' + subpath.slice(2);
  out[subpath] = Object.keys(await import(spec)).sort();
}
process.stdout.write(JSON.stringify(out));
`;

const strongKey = randomBytes(48).toString('base64url');

/** The test files docs/testing-locally.md and docs/writing-a-source.md show, run in the app as a user would. */
const consumerTests = ['examples/testing-locally', 'examples/writing-a-source'].flatMap((dir) =>
  readdirSync(join(root, dir)).map((name) => `${dir}/${name}`),
);

let consumer: Consumer;
beforeAll(async () => {
  const peers = Object.keys(pkg.peerDependencies);
  consumer = await installConsumer({
    dependencies: {
      ...Object.fromEntries(peers.map((p) => [p, repoVersion(p)])),
      '@types/node': repoVersion('@types/node'),
    },
    files: {
      'every-entry.ts': everyEntry,
      'tsconfig.nodenext.json': tsconfig({ module: 'nodenext', moduleResolution: 'nodenext' }),
      'tsconfig.bundler.json': tsconfig({ module: 'esnext', moduleResolution: 'bundler' }),
      'import-all.mjs': importAll,
      'strong.env': `JWT_SECRET_KEY=${strongKey}\n`,
      'weak.env': 'JWT_SECRET_KEY=changeme\n',
      ...Object.fromEntries(consumerTests.map((f) => [f, readFileSync(join(root, f), 'utf8')])),
    },
    // The test runner the docs' tests use: a tool of the app, not what is under test.
    links: ['vitest'],
  });
}, 300_000);
afterAll(() => consumer?.remove());

/** Runs the installed bin the way a shell does: the file itself, through its shebang. */
async function bin(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(join(consumer.dir, 'node_modules', '.bin', 'secretsource'), args, {
      cwd: consumer.dir,
      env: cleanEnv({ NODE_ENV: 'production' }),
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('the installed package', () => {
  it('is the tarball, installed outside the repository', () => {
    const installed = JSON.parse(
      readFileSync(join(consumer.installed, 'package.json'), 'utf8'),
    ) as PackageJson;
    expect(installed.version).toBe(pkg.version);
    expect(consumer.dir.startsWith(join(import.meta.dirname, '..', '..'))).toBe(false);
  });

  it('imports every exports subpath, each with the value exports its declarations name', async () => {
    const { stdout } = await run(process.execPath, ['import-all.mjs'], {
      cwd: consumer.dir,
      env: cleanEnv(),
    });
    const runtime = JSON.parse(stdout) as Record<string, string[]>;
    expect(Object.keys(runtime).sort()).toEqual([...subpaths].sort());
    const declared = publicApi();
    for (const subpath of subpaths) {
      const values = declared[subpath]!.filter((n) => /\((value|value\+type)\)$/.test(n)).map(
        (n) => n.split(' ')[0],
      );
      expect(runtime[subpath], subpath).toEqual([...values].sort());
    }
  }, 120_000);

  describe('the secretsource bin', () => {
    it('--version prints the package version (exit 0)', async () => {
      expect(await bin(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    });

    it('generate prints a 64-byte base64url key (exit 0); a bad --bytes is a usage error (exit 2)', async () => {
      const ok = await bin(['generate', '--quiet']);
      expect(ok.code).toBe(0);
      expect(ok.stdout).toMatch(/^[A-Za-z0-9_-]{86}\n$/);
      const bad = await bin(['generate', '--bytes', '8']);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('ERR_USAGE');
      expect(bad.stdout).toBe('');
    });

    it('check: a strong .env passes (0), a weak one fails (1) without printing the value', async () => {
      expect(await bin(['check', '--dotenv', 'strong.env'])).toMatchObject({ code: 0 });
      const weak = await bin(['check', '--dotenv', 'weak.env']);
      expect(weak.code).toBe(1);
      expect(weak.stdout).toMatch(/^JWT_SECRET_KEY {2}WEAK_/m);
      expect(weak.stdout + weak.stderr).not.toContain('changeme');
      expect((await bin(['check', '--env-file', 'strong.env'])).code).toBe(0);
    });

    it('check with a missing .env file is a usage error: exit 2 with ERR_USAGE, on this Node too', async () => {
      const r = await bin(['check', '--dotenv', 'absent.env']);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('ERR_USAGE');
    });
  });

  it('the vitest tests of docs/testing-locally.md and docs/writing-a-source.md pass on the installed package', async () => {
    const report = join(consumer.dir, 'vitest-report.json');
    const vitest = join(consumer.dir, 'node_modules', 'vitest', 'vitest.mjs');
    // Generous timeouts: the emulators and moto share this machine with the rest of the suite.
    const args = [
      'run',
      '--reporter=json',
      `--outputFile=${report}`,
      '--testTimeout=60000',
      '--hookTimeout=60000',
    ];
    const env = cleanEnv();
    for (const k of Object.keys(env)) if (/^VITEST/.test(k)) delete env[k];
    const r = await run(process.execPath, [vitest, ...args], { cwd: consumer.dir, env }).then(
      () => 0,
      (e: { code: number; stderr: string }) => `exit ${e.code}: ${e.stderr.slice(-2000)}`,
    );
    expect(r).toBe(0);
    const json = JSON.parse(readFileSync(report, 'utf8')) as {
      numTotalTests: number;
      numPassedTests: number;
      testResults: Array<{ name: string }>;
    };
    expect(json.testResults.map((t) => t.name.slice(consumer.dir.length + 1)).sort()).toEqual(
      consumerTests.filter((f) => f.endsWith('.test.ts')).sort(),
    );
    expect(json.numPassedTests).toBe(json.numTotalTests);
    expect(json.numTotalTests).toBeGreaterThanOrEqual(10);
  }, 180_000);

  it('a file touching every entry type-checks under module: nodenext and moduleResolution: bundler, skipLibCheck: false', async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    // Both checks at once: each reads every store SDK's declarations (about 1,000 files).
    const results = await Promise.all(
      ['tsconfig.nodenext.json', 'tsconfig.bundler.json'].map((config) =>
        run(process.execPath, [tsc, '-p', config], { cwd: consumer.dir, env: cleanEnv() }).then(
          (x) => ({ config, code: 0, out: x.stdout }),
          (e: { code: number; stdout: string }) => ({ config, code: e.code, out: e.stdout }),
        ),
      ),
    );
    expect(results).toEqual([
      { config: 'tsconfig.nodenext.json', code: 0, out: '' },
      { config: 'tsconfig.bundler.json', code: 0, out: '' },
    ]);
  }, 180_000);
});
