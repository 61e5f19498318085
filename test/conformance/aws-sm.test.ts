import { describe, it } from 'vitest';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { runConformance } from '../../src/testing/conformance.js';

// Runs against moto or the endpoint in LOCALSTACK_ENDPOINT/AWS_ENDPOINT_URL (test/emulators/moto.start.ts).
for (const includeMetadata of [false, true]) {
  await runConformance(
    {
      name: includeMetadata ? 'aws-sm (includeMetadata)' : 'aws-sm',
      create: async (initial) => {
        const source = awsSecretsManager({ includeMetadata });
        await Promise.all(Object.entries(initial).map(([name, value]) => source.set(name, value)));
        return {
          source,
          cleanup: async () => {
            await Promise.all(Object.keys(initial).map((name) => source.delete(name, { force: true })));
          },
        };
      },
    },
    { describe, it },
  );
}
