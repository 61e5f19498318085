/** The fault suite on aws-ssm: its real client, the run's shared emulator, the fault proxy between them. */

import { awsSsmStore } from './stores.js';
import { runFaultSuite } from './suite.js';

runFaultSuite(awsSsmStore);
