// Vault over https answers 307 to a plain-http origin: do the token or a written value travel in clear,
// and does a read return the http origin's answer as the secret?
import { redirectCase } from '../lib/shapes.mjs';

await redirectCase('vault-redirect-https-to-http', { tls: true });
