import { awsSsm } from '../../providers/aws-ssm.js';
import { runConformance } from './suite.js';

// Runs against moto or the endpoint in LOCALSTACK_ENDPOINT/AWS_ENDPOINT_URL (test/emulators/moto.start.ts).
// `overwrite: true` because the contract's plain `set` adds a version; Parameter Store refuses by default.
runConformance({
  name: 'aws-ssm',
  namePrefix: '/conf/',
  create: async (initial) => {
    const source = awsSsm({ overwrite: true });
    await Promise.all(Object.entries(initial).map(([name, value]) => source.set(name, value)));
    return {
      source,
      cleanup: async () => {
        await Promise.all(Object.keys(initial).map((name) => source.delete(name)));
      },
    };
  },
});
