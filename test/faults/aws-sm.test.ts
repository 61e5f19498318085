/** The fault suite on aws-sm: its real client, the run's shared emulator, the fault proxy between them. */

import { awsSmStore } from './stores.js';
import { runFaultSuite } from './suite.js';

runFaultSuite(awsSmStore);
