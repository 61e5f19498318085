/** The conformance suite on `gcp-sm`: the real @google-cloud/secret-manager (REST) against the emulator. */
import { describe, it } from 'vitest';
import { runConformance } from '../../src/testing/conformance.js';
import { gcpTestSource } from '../helpers/gcp-sm.js';

for (const includeMetadata of [false, true]) {
  await runConformance(
    {
      name: includeMetadata ? 'gcp-sm (with labels)' : 'gcp-sm',
      async create(initial) {
        // A project per source: the shared emulator needs no cleanup between tests.
        const source = gcpTestSource({ includeMetadata });
        // Side by side: each name is a secret of its own (the list test plants 27).
        await Promise.all(Object.entries(initial).map(([name, value]) => source.set(name, value)));
        return { source };
      },
    },
    { describe, it },
  );
}
