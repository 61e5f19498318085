/** The copy suite into `k8s`: every key lands in one Secret (`copy/<random>` is namespace/secret). */
import { randomBytes } from 'node:crypto';
import { k8sTestSource } from '../helpers/k8s.js';
import { runCopySuite } from './suite.js';

runCopySuite({
  name: 'k8s',
  // The suite reads back prefix + name, so the prefix names the Secret with its "/" (the CLI test
  // test/cli/copy-k8s.test.ts covers `k8s:prod/app` without it).
  create: async () => ({ source: k8sTestSource(), prefix: `copy/s${randomBytes(5).toString('hex')}/` }),
});
