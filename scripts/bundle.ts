/**
 * Build step after `tsc`: bundles each public entry (package.json `exports` and `bin`) with esbuild,
 * sharing code between entries through chunks, so `import('secretsource')` reads a few files
 * instead of ~60 (about 28 ms down to about 11 ms on our machines). Packages stay external.
 * tsc's declaration files are kept as they are; its per-module .js files are removed afterwards.
 */
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const dist = join(root, 'dist');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  exports: Record<string, string | { default: string }>;
  bin: Record<string, string>;
};
const entries = [
  ...Object.values(pkg.exports).flatMap((t) => (typeof t === 'string' ? [] : [t.default])),
  ...Object.values(pkg.bin),
].map((p) => join(root, p));

const result = await build({
  entryPoints: entries,
  outdir: dist,
  outbase: dist,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  chunkNames: 'chunks/[name]-[hash]',
  // No source maps: they would point at src/ and providers/, which the package does not ship.
  sourcemap: false,
  allowOverwrite: true,
  metafile: true,
  logLevel: 'warning',
});

const keep = new Set(Object.keys(result.metafile.outputs).map((p) => join(root, p)));
function prune(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) prune(path);
    else if (/\.js(\.map)?$/.test(name) && !keep.has(path)) rmSync(path);
  }
}
prune(dist);
const outputs = [...keep].filter((p) => p.endsWith('.js'));
process.stdout.write(
  `bundled ${entries.length} entries into ${outputs.length} files under ${relative(root, dist)}/\n`,
);
