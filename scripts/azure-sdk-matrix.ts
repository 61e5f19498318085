/**
 * `tsx scripts/azure-sdk-matrix.ts 4.9.0 4.11.2 4.12.0`: runs every Azure test of this repository
 * against each given `@azure/keyvault-secrets` version, installed by npm in a throwaway directory
 * outside the repository, and prints one line per version (passed, failed, and the failing tests).
 * docs/providers/azure-kv.md#install quotes its results. Not part of `npm test`: it installs.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const TESTS = [
  'test/providers/azure-kv.test.ts',
  'test/conformance/azure-kv.test.ts',
  'test/faults/azure-kv.test.ts',
  'test/faults/list-garbage.test.ts',
  'test/emulators/azure-kv.test.ts',
  'test/copy/azure-kv.test.ts',
  'test/cli/azure-kv.test.ts',
  'examples/docs/azure-kv.test.ts',
  'examples/testing-locally/emulators.test.ts',
];

const versions = process.argv.slice(2);
if (versions.length === 0) {
  process.stderr.write('usage: tsx scripts/azure-sdk-matrix.ts VERSION...\n');
  process.exit(2);
}
const scratch = mkdtempSync(join(tmpdir(), 'secretsource-azure-sdk-'));
mkdirSync(join(root, '.tmp'), { recursive: true });
try {
  for (const version of versions) {
    const dir = join(scratch, version);
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), '{"private":true}\n');
    execFileSync(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        '--ignore-scripts',
        `@azure/keyvault-secrets@${version}`,
      ],
      { cwd: dir, stdio: 'ignore' },
    );
    const sdk = join(dir, 'node_modules', '@azure', 'keyvault-secrets');
    const config = join(root, '.tmp', `vitest.azure-${version}.config.ts`);
    writeFileSync(
      config,
      `import { mergeConfig } from 'vitest/config';
import base from '../vitest.config.js';
export default mergeConfig(base, {
  root: ${JSON.stringify(root)},
  resolve: { alias: [{ find: /^@azure\\/keyvault-secrets$/, replacement: ${JSON.stringify(sdk)} }] },
});
`,
    );
    const report = join(dir, 'report.json');
    spawnSync(
      process.execPath,
      [
        join(root, 'node_modules', 'vitest', 'vitest.mjs'),
        'run',
        '--config',
        config,
        '--reporter=json',
        `--outputFile=${report}`,
        ...TESTS,
      ],
      { cwd: root, stdio: 'ignore' },
    );
    rmSync(config);
    const r = JSON.parse(readFileSync(report, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: Array<{ assertionResults: Array<{ status: string; fullName: string }> }>;
    };
    const installed = (JSON.parse(readFileSync(join(sdk, 'package.json'), 'utf8')) as { version: string })
      .version;
    const failed = r.testResults.flatMap((f) =>
      f.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
    );
    process.stdout.write(
      `${installed}: ${r.numPassedTests} passed, ${r.numFailedTests} failed${failed.length ? `\n  - ${failed.join('\n  - ')}` : ''}\n`,
    );
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
