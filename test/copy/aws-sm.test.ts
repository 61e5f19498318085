import { randomBytes } from 'node:crypto';
import { awsSecretsManager } from '../../providers/aws/sm.js';
import { runCopySuite } from './suite.js';

// On moto (or LOCALSTACK_ENDPOINT), started by test/global-setup.ts; one fresh prefix per test.
runCopySuite({
  name: 'aws-sm',
  create: async () => ({ source: awsSecretsManager(), prefix: `copy/${randomBytes(5).toString('hex')}/` }),
});
