import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { dotenvSource } from '../../providers/dotenv.js';
import { formatDotenvLine } from '../../src/dotenv/parse.js';
import { runConformance } from '../../src/testing/conformance.js';

await runConformance(
  {
    name: 'dotenv',
    create: async (initial) => {
      const dir = await mkdtemp(join(tmpdir(), 'ss-dotenv-'));
      const lines = Object.entries(initial).map(([k, v]) =>
        formatDotenvLine(k, typeof v === 'string' ? v : Buffer.from(v).toString('utf8')),
      );
      await writeFile(join(dir, '.env'), `${lines.join('\n')}\n`);
      return {
        source: dotenvSource({ cwd: dir, environment: 'test' }),
        cleanup: () => rm(dir, { recursive: true, force: true }),
      };
    },
  },
  { describe, it },
);
