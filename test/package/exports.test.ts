/** Every `exports` entry and the bin resolve to built files with types, and `npm pack` ships them. */
import { execFileSync } from 'node:child_process';
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
        ...['env', 'dotenv', 'memory', 'file', 'aws-sm', 'aws-ssm', 'azure-kv', 'vault'].map(
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
    // dotenv-expand (copy --expand) and jsonc-parser (non-string #field) load on first use only.
    expect(Object.keys(pkg.dependencies).sort()).toEqual([
      'cli-progress',
      'commander',
      'dotenv-expand',
      'jsonc-parser',
      'zod',
    ]);
  });

  it('npm pack ships every export target, the data files and the notice', () => {
    const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    const files = new Set(
      (JSON.parse(out) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((f) => f.path),
    );
    for (const [, t] of entries) {
      expect(files.has(t.default.replace(/^\.\//, '')), t.default).toBe(true);
      expect(files.has(t.types.replace(/^\.\//, '')), t.types).toBe(true);
    }
    expect(files.has('README.md')).toBe(true);
    expect(files.has('NOTICE')).toBe(true);
    expect(files.has('data/known-jwt-secrets.bin')).toBe(true);
    expect(files.has('data/words.txt')).toBe(true);
    expect([...files].some((f) => f.startsWith('test/'))).toBe(false);
  });
});
