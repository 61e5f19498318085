import { describe, it } from 'vitest';
import { memorySource } from '../../providers/memory.js';
import { runConformance } from '../../src/testing/conformance.js';

await runConformance(
  {
    name: 'memory',
    create: async (initial) => ({ source: memorySource({ initial }) }),
  },
  { describe, it },
);
