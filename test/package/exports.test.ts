/** Every `exports` entry and the bin resolve to built files with types (packed-files.test.ts checks they ship). */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { types: string; default: string }>;
  bin: Record<string, string>;
  engines: { node: string };
  dependencies: Record<string, string>;
};

describe('package', () => {
  const entries = Object.entries(pkg.exports).filter(([k]) => k !== './package.json') as Array<
    [string, { types: string; default: string }]
  >;

  it('declares the entry, testing and one subpath per provider', () => {
    expect(entries.map(([k]) => k).sort()).toEqual(
      [
        '.',
        './testing',
        './scan',
        ...['env', 'dotenv', 'memory', 'file', 'aws-sm', 'aws-ssm', 'azure-kv', 'vault', 'k8s', 'gcp-sm'].map(
          (p) => `./providers/${p}`,
        ),
      ].sort(),
    );
  });

  it.each(entries)('%s resolves to a built module and its types', (_, target) => {
    expect(existsSync(join(root, target.default)), target.default).toBe(true);
    expect(existsSync(join(root, target.types)), target.types).toBe(true);
  });

  it('the bin is built and starts with a node shebang', () => {
    const bin = join(root, pkg.bin.secretsource!);
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
  });

  it('supports Node 20 and has only the expected packages at run time', () => {
    expect(pkg.engines.node).toMatch(/^>=20/);
    // dotenv-expand (copy --expand), jsonc-parser (non-string #field) and ignore (scan's .gitignore) load on first use only.
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      'cli-progress',
      'commander',
      'dotenv-expand',
      'ignore',
      'jsonc-parser',
      'zod',
    ]);
  });
});
