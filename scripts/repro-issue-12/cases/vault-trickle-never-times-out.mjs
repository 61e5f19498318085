// Vault trickles one byte every 200 ms: node-vault's requestOptions.timeout is an idle timeout, so
// does a read with a 1 s timeout ever end, and as a timeout?
import { vaultTimeoutCase } from '../lib/shapes.mjs';

await vaultTimeoutCase('vault-trickle-never-times-out', 200);
