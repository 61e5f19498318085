import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, it } from 'vitest';
import { fileSource } from '../../providers/file.js';
import { runConformance } from '../../src/testing/conformance.js';

await runConformance(
  {
    name: 'file',
    create: async (initial) => {
      const dir = await mkdtemp(join(tmpdir(), 'ss-file-'));
      for (const [name, value] of Object.entries(initial)) {
        const path = join(dir, ...name.split('/'));
        await mkdir(dirname(path), { recursive: true });
        await writeFile(path, value);
      }
      return { source: fileSource({ dir }), cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  { describe, it },
);
