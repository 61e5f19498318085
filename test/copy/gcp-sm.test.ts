/** The copy suite into `gcp-sm`: a project of its own per test on the shared emulator. */
import { gcpTestSource } from '../helpers/gcp-sm.js';
import { runCopySuite } from './suite.js';

runCopySuite({
  name: 'gcp-sm',
  create: async () => ({ source: gcpTestSource(), prefix: 'app_' }),
});
