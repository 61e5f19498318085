/**
 * A cheap check of the tarball's file list, without installing it: every shipped module imports
 * only shipped files, Node built-ins, dependencies and declared peers, and no source map or map
 * link points at a file the package does not ship.
 */
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join, posix } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packageJson, packedFiles, root } from './pack.js';

const pkg = packageJson();
const files = packedFiles();
const builtins = new Set(builtinModules);

/** The package a bare specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Every module specifier a shipped JavaScript or declaration file names, static, dynamic or type-only. */
function specifiersOf(path: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, path), 'utf8'), true, true);
  return [...info.importedFiles, ...info.referencedFiles].map((f) => f.fileName);
}

/** What a relative specifier of `from` can be, as paths in the tarball. */
function candidates(from: string, specifier: string): string[] {
  const target = posix.normalize(posix.join(posix.dirname(from), specifier));
  if (!from.endsWith('.d.ts')) return [target];
  // A declaration file names the module (`./x.js`); its types are `./x.d.ts`.
  return [target.replace(/\.js$/, '.d.ts'), target, `${target}.d.ts`, `${target}/index.d.ts`];
}

const modules = [...files].filter((f) => /\.(m?js|d\.ts)$/.test(f));

describe('the packed file list', () => {
  it('ships built modules and their declarations', () => {
    expect(modules.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(10);
    expect(modules.filter((f) => f.endsWith('.d.ts')).length).toBeGreaterThan(10);
  });

  it('every relative import of a shipped file is shipped', () => {
    const missing: string[] = [];
    for (const from of modules) {
      for (const spec of specifiersOf(from)) {
        if (!spec.startsWith('.')) continue;
        if (!candidates(from, spec).some((c) => files.has(c))) missing.push(`${from} -> ${spec}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('every bare import is a built-in, a dependency or a declared peer', () => {
    const allowed = new Set([...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
    const undeclared: string[] = [];
    for (const from of modules) {
      for (const spec of specifiersOf(from)) {
        if (spec.startsWith('.') || spec.startsWith('node:') || builtins.has(spec)) continue;
        if (!allowed.has(packageOf(spec))) undeclared.push(`${from} -> ${spec}`);
      }
    }
    expect(undeclared).toEqual([]);
  });

  it('the declarations an app type-checks never name an SDK whose own types need more than the app has', () => {
    // Each of these type-checks only with extra lib or @types packages (installed.test.ts's
    // consumer check finds it in 150 s; this finds it in one): keep them in internal files.
    const kept = new Map([
      ['@kubernetes/client-node', "isomorphic-ws's types need @types/ws"],
      ['@azure/identity', "MSAL's types need the DOM lib"],
    ]);
    const seen = new Set<string>();
    const named: string[] = [];
    const walk = (file: string) => {
      if (seen.has(file) || !files.has(file)) return;
      seen.add(file);
      for (const spec of specifiersOf(file)) {
        if (spec.startsWith('.')) candidates(file, spec).forEach(walk);
        else if (kept.has(packageOf(spec))) named.push(`${file} -> ${spec} (${kept.get(packageOf(spec))})`);
      }
    };
    for (const t of Object.values(pkg.exports)) if (typeof t !== 'string') walk(t.types.replace(/^\.\//, ''));
    expect(seen.size).toBeGreaterThan(10);
    expect(named).toEqual([]);
  });

  it('source maps point at shipped files, or none is shipped', () => {
    const broken: string[] = [];
    for (const map of [...files].filter((f) => f.endsWith('.map'))) {
      const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] };
      for (const s of sources) {
        const target = posix.normalize(posix.join(posix.dirname(map), s));
        if (!files.has(target)) broken.push(`${map} -> ${s}`);
      }
    }
    for (const js of modules) {
      const link = /\/\/# sourceMappingURL=(\S+)\s*$/.exec(readFileSync(join(root, js), 'utf8'))?.[1];
      if (link !== undefined && !link.startsWith('data:')) {
        const target = posix.normalize(posix.join(posix.dirname(js), link));
        if (!files.has(target)) broken.push(`${js} -> ${link}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it('ships every export target and its types, and the bin', () => {
    for (const t of Object.values(pkg.exports)) {
      for (const target of typeof t === 'string' ? [t] : [t.default, t.types]) {
        expect(files.has(target.replace(/^\.\//, '')), target).toBe(true);
      }
    }
    for (const bin of Object.values(pkg.bin)) expect(files.has(bin.replace(/^\.\//, '')), bin).toBe(true);
  });

  it('every file the package reads at run time is shipped (data/, NOTICE)', () => {
    for (const f of ['data/known-jwt-secrets.bin', 'data/words.txt', 'NOTICE', 'README.md']) {
      expect(files.has(f), f).toBe(true);
    }
    // Sources, tests and the raw list behind data/known-jwt-secrets.bin stay in the repository.
    expect(
      [...files].filter((f) => /^(test|src|providers|examples|scripts|data\/jwt-secrets)\//.test(f)),
    ).toEqual([]);
  });
});
