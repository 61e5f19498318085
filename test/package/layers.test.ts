/**
 * The source tree's import graph, type-only imports included: no file imports itself through a
 * cycle, `src/` holds only entry files at its root, and every layer imports only the layers that
 * docs/architecture.md allows. The graph is read with TypeScript's own `preProcessFile` (already a
 * dependency; it reports `import type`, `export … from` and `import()` alike), not a bundler.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return walk(path);
    return /\.ts$/.test(name) && !/\.d\.ts$/.test(name) ? [path] : [];
  });
}

const files = [...walk(join(root, 'src')), ...walk(join(root, 'providers'))].map((f) =>
  relative(root, f).split(sep).join('/'),
);
const known = new Set(files);

/** Relative imports of one file, resolved to repository paths (`.js` specifiers name `.ts` files). */
function importsOf(file: string): string[] {
  const info = ts.preProcessFile(readFileSync(join(root, file), 'utf8'), true, true);
  return info.importedFiles
    .map((i) => i.fileName)
    .filter((s) => s.startsWith('.'))
    .map((s) => {
      const base = relative(root, resolve(root, dirname(file), s))
        .split(sep)
        .join('/');
      const candidates = [base.replace(/\.js$/, '.ts'), `${base}.ts`, `${base}/index.ts`];
      const hit = candidates.find((c) => known.has(c));
      if (!hit) throw new Error(`${file}: cannot resolve ${s}`);
      return hit;
    });
}

const graph = new Map(files.map((f) => [f, importsOf(f)]));

/** The layer a file belongs to, as docs/architecture.md names them. */
function layerOf(file: string): string {
  const parts = file.split('/');
  if (parts[0] === 'src') return parts.length === 2 ? 'entry' : `src/${parts[1]}`;
  if (parts[1] === 'kit') return 'providers/kit';
  return 'providers/store';
}

/** What each layer may import besides itself (docs/architecture.md, "What each layer may import"). */
const ALLOWED: Record<string, readonly string[]> = {
  'src/core': [],
  'src/internal': ['src/core'],
  'src/dotenv': ['src/core', 'src/internal'],
  'src/strength': ['src/core', 'src/internal'],
  'src/keys': ['src/core', 'src/internal', 'src/strength'],
  'src/resolver': ['src/core', 'src/internal', 'src/strength', 'src/keys'],
  'src/scan': ['src/core', 'src/internal', 'src/strength', 'src/dotenv'],
  'src/copy': ['src/core', 'src/internal', 'src/resolver', 'src/strength', 'src/dotenv'],
  'providers/kit': ['src/core', 'src/internal'],
  'providers/store': ['providers/kit', 'src/core', 'src/internal', 'src/dotenv'],
  'src/testing': ['src/core', 'src/internal', 'providers/kit', 'providers/store'],
  'src/cli': [
    'src/core',
    'src/internal',
    'src/dotenv',
    'src/strength',
    'src/keys',
    'src/resolver',
    'src/copy',
    'src/scan',
    'providers/kit',
    'providers/store',
  ],
};

describe('source layers', () => {
  it('reads a real graph (control)', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(graph.get('src/index.ts')?.length).toBeGreaterThan(5);
    expect(importsOf('src/core/events.ts')).toContain('src/core/issues.ts');
  });

  it('src/ holds only entry files at its root, each named in package.json exports', () => {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
      exports: Record<string, unknown>;
    };
    const exported = JSON.stringify(pkg.exports);
    const rootFiles = files.filter((f) => layerOf(f) === 'entry');
    expect(rootFiles.length).toBeGreaterThan(0);
    for (const f of rootFiles) expect(exported, f).toContain(f.replace(/^src\//, '').replace(/\.ts$/, '.js'));
  });

  it('every file is in a layer the rules know', () => {
    const unknown = files.map(layerOf).filter((l) => l !== 'entry' && !(l in ALLOWED));
    expect([...new Set(unknown)]).toEqual([]);
  });

  it('every layer imports only what docs/architecture.md allows (type-only imports included)', () => {
    const wrong: string[] = [];
    for (const [file, deps] of graph) {
      const from = layerOf(file);
      if (from === 'entry') continue;
      for (const dep of deps) {
        const to = layerOf(dep);
        if (to !== from && !ALLOWED[from]?.includes(to)) wrong.push(`${file} -> ${dep}`);
      }
    }
    expect(wrong).toEqual([]);
  });

  it('no file reaches itself through its imports (type-only imports included)', () => {
    expect(findCycles(graph)).toEqual([]);
  });

  it('the cycle finder does find a cycle (control)', () => {
    const g = new Map([
      ['a', ['b']],
      ['b', ['c', 'd']],
      ['c', ['a']],
      ['d', []],
    ]);
    expect(findCycles(g)).toEqual(['a -> b -> c -> a']);
  });
});

/** Every back edge of a depth-first walk, as the path it closes. */
function findCycles(g: ReadonlyMap<string, readonly string[]>): string[] {
  const cycles: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): void => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of g.get(f) ?? []) {
      if (state.get(d) === 'open') cycles.push([...stack.slice(stack.indexOf(d)), d].join(' -> '));
      else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of g.keys()) if (!state.has(f)) visit(f);
  return cycles;
}
