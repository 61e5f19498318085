/** The fault suite on azure-kv: its real client, the run's shared emulator, the fault proxy between them. */

import { azureKvStore } from './stores.js';
import { runFaultSuite } from './suite.js';

runFaultSuite(azureKvStore);
