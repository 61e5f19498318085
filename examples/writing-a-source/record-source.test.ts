import { runConformance } from 'secretsource/testing';
import { describe, it } from 'vitest';
import { recordSource } from './record-source.js';

await runConformance(
  {
    name: 'record',
    create: async (initial) => ({ source: recordSource(initial) }),
  },
  { describe, it },
);
