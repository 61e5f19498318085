/**
 * The Node built-ins that modules of the core entry use, each loaded when first asked for.
 *
 * Why not `import { createHash } from 'node:crypto'` there: an ES import of a built-in makes Node
 * build that module's ES facade at import time, and the facade reads every export. For `node:crypto`
 * that loads crypto's twenty internal modules and WebCrypto (about 7 ms on Node 20); for `node:fs`
 * it loads the fs streams, for `node:module` source maps (about 4 ms more). `import('secretsource')`
 * has a 25 ms budget (`npm run bench`) and most apps hash nothing at boot, so these modules ask
 * `process.getBuiltinModule` (Node >= 20.16), which returns the CommonJS module itself, at the call.
 * `test/package/import-graph.test.ts` fails if importing the core entry loads any of them again.
 * Modules outside the core entry's static graph (CLI, providers, copy, scan) import built-ins as usual.
 */

/** `node:crypto`, loaded on the first call. */
export function nodeCrypto(): typeof import('node:crypto') {
  return process.getBuiltinModule('node:crypto');
}

/** `node:fs`, without building its ES facade (which would load the fs streams). */
export function nodeFs(): typeof import('node:fs') {
  return process.getBuiltinModule('node:fs');
}

/** `node:module`, without building its ES facade (which would load source maps). */
export function nodeModule(): typeof import('node:module') {
  return process.getBuiltinModule('node:module');
}
