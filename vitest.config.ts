import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const pkg = JSON.parse(readFileSync(here('./package.json'), 'utf8')) as {
  exports: Record<string, string | { default: string }>;
};

// `secretsource/<subpath>` resolves to its TypeScript source: the built path with `dist/` and
// `.js` swapped for the source tree, so the alias list can never drift from package.json.
const alias = Object.entries(pkg.exports).flatMap(([subpath, target]) =>
  typeof target === 'string'
    ? []
    : [
        {
          find: new RegExp(`^secretsource${subpath.slice(1).replace(/[/.-]/g, '\\$&')}$`),
          replacement: here(target.default.replace(/^\.\/dist\//, './').replace(/\.js$/, '.ts')),
        },
      ],
);

export default defineConfig({
  resolve: { alias },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    // Vitest's default is one worker per core minus one: a single fork on a 2-core CI machine, where
    // most files wait on emulators, child processes and timers rather than the CPU. Three forks
    // overlap that waiting; every test is written to hold under load (no wall-clock assertions).
    maxWorkers: 3,
    unstubEnvs: true,
    // Store calls are bounded by default (10 s); moto's first SecureString write alone takes ~13 s on
    // a loaded machine. Tests of the bounds pass their own short timeouts.
    env: { SECRETSOURCE_TIMEOUT_MS: '60000' },
  },
});
