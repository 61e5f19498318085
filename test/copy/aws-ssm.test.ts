import { randomBytes } from 'node:crypto';
import { awsSsm } from '../../providers/aws/ssm.js';
import { runCopySuite } from './suite.js';

// On moto (or LOCALSTACK_ENDPOINT), started by test/global-setup.ts; one fresh path per test.
runCopySuite({
  name: 'aws-ssm',
  create: async () => ({ source: awsSsm(), prefix: `/copy/${randomBytes(5).toString('hex')}/` }),
});
