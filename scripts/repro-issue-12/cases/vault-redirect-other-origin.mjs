// Vault answers 307 to another host: does that origin get X-Vault-Token or a written value, and does
// a read return its answer as the secret?
import { redirectCase } from '../lib/shapes.mjs';

await redirectCase('vault-redirect-other-origin', { tls: false });
