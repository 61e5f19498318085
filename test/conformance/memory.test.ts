import { memorySource } from '../../providers/memory.js';
import { runConformance } from './suite.js';

runConformance({
  name: 'memory',
  create: async (initial) => ({ source: memorySource({ initial }) }),
});
