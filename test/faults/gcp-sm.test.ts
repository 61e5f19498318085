/** The fault suite on gcp-sm: its real client, the run's shared emulator, the fault proxy between them. */

import { gcpSmStore } from './stores.js';
import { runFaultSuite } from './suite.js';

runFaultSuite(gcpSmStore);
