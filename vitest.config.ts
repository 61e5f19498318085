import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  resolve: {
    alias: [
      { find: /^secretsource$/, replacement: here('./src/index.ts') },
      { find: /^secretsource\/testing$/, replacement: here('./src/testing.ts') },
      { find: /^secretsource\/providers\/(.*)$/, replacement: here('./providers/$1.ts') },
    ],
  },
  test: {
    include: ['test/**/*.test.ts', 'examples/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    unstubEnvs: true,
  },
});
