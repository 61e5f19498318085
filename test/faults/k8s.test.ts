/** The fault suite on k8s: its real client, the run's shared emulator, the fault proxy between them. */

import { k8sStore } from './stores.js';
import { runFaultSuite } from './suite.js';

runFaultSuite(k8sStore);
