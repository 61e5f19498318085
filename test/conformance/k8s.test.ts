/** The conformance suite on `k8s`: the real @kubernetes/client-node against the Kubernetes emulator. */
import { randomBytes } from 'node:crypto';
import { describe, it } from 'vitest';
import { runConformance } from '../../src/testing/conformance.js';
import { k8sTestSource } from '../helpers/k8s.js';

// Names are keys of one Secret per file run: namespace/secret/key.
const prefix = `conformance/c${randomBytes(4).toString('hex')}/`;

await runConformance(
  {
    name: 'k8s',
    namePrefix: prefix,
    async create(initial) {
      const source = k8sTestSource();
      for (const [name, value] of Object.entries(initial)) await source.set(name, value);
      return { source };
    },
  },
  { describe, it },
);
