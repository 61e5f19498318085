import { Buffer } from 'node:buffer';
import { describe, it } from 'vitest';
import { envSource } from '../../providers/env.js';
import { runConformance } from '../../src/testing/conformance.js';

await runConformance(
  {
    name: 'env',
    create: async (initial) => {
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(initial))
        env[k] = typeof v === 'string' ? v : Buffer.from(v).toString('utf8');
      return { source: envSource({ env }) };
    },
  },
  { describe, it },
);
