// Vault stalls mid-body (1.5 s between bytes) under a 1 s timeout: is the timeout coded as a timeout,
// or as ERR_SOURCE_UNAVAILABLE?
import { vaultTimeoutCase } from '../lib/shapes.mjs';

await vaultTimeoutCase('vault-timeout-mid-body-code', 1500);
