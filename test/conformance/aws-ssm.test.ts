import { describe, it } from 'vitest';
import { awsSsm } from '../../providers/aws/ssm.js';
import { runConformance } from '../../src/testing/conformance.js';

// Runs against moto or the endpoint in LOCALSTACK_ENDPOINT/AWS_ENDPOINT_URL (test/emulators/moto.start.ts).
await runConformance(
  {
    name: 'aws-ssm',
    namePrefix: '/conf/',
    create: async (initial) => {
      const source = awsSsm();
      await Promise.all(Object.entries(initial).map(([name, value]) => source.set(name, value)));
      return {
        source,
        cleanup: async () => {
          await Promise.all(Object.keys(initial).map((name) => source.delete(name)));
        },
      };
    },
  },
  { describe, it },
);
