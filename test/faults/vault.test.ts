/** The fault suite on vault: its real client, the run's shared emulator, the fault proxy between them. */

import { vaultStore } from './stores.js';
import { runFaultSuite } from './suite.js';

runFaultSuite(vaultStore);
