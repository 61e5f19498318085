/** Finds this package's root (where package.json is) from src/ under tsx/vitest and dist/src/ when built. */
import { dirname, join } from 'node:path';
import { nodeFs } from '../core/builtins.js';

let cached: string | undefined;

/** Absolute path of the directory holding secretsource's package.json. */
export function packageRoot(): string {
  if (cached) return cached;
  let dir = import.meta.dirname;
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (
      nodeFs().existsSync(pkg) &&
      (JSON.parse(nodeFs().readFileSync(pkg, 'utf8')) as { name?: string }).name === 'secretsource'
    ) {
      cached = dir;
      return dir;
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('secretsource: package.json not found above the module');
    dir = up;
  }
}

/** The package version from package.json. */
export function packageVersion(): string {
  return (
    JSON.parse(nodeFs().readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }
  ).version;
}
