import { memorySource } from '../../providers/memory.js';
import { runCopySuite } from './suite.js';

runCopySuite({
  name: 'memory',
  create: async () => ({ source: memorySource(), prefix: 'app/prod/' }),
});
