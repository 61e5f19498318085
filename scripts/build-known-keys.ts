/**
 * Rebuilds data/known-jwt-secrets.bin from the public list of leaked JWT secrets
 * (data/jwt-secrets/jwt.secrets.list, Wallarm, MIT: see NOTICE).
 *
 * Usage: tsx scripts/build-known-keys.ts [path/to/jwt.secrets.list] [out.bin]
 *
 * Normalisation of each line (the same function the checker applies to a value,
 * src/strength/normalize.ts): strip the trailing CR of the list's CRLF line ends, NFKC, remove
 * zero-width characters, trim, lower-case. Empty lines are dropped. Each normalised entry is
 * hashed with SHA-256 (UTF-8) and the first 8 bytes kept. The file is those digests, sorted as
 * unsigned big-endian 64-bit numbers, de-duplicated, after a 16-byte header:
 *   bytes 0-7  ASCII "SSJWTK01" (format tag)
 *   bytes 8-11 uint32 BE entry count
 *   bytes 12-15 uint32 BE digest length (8)
 * With about 1e5 entries, a 64-bit digest gives a false match about once in 1.8e14 lookups.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeForMatch } from '../src/strength/normalize.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const input = process.argv[2] ?? join(root, 'data', 'jwt-secrets', 'jwt.secrets.list');
const output = process.argv[3] ?? join(root, 'data', 'known-jwt-secrets.bin');

const DIGEST_BYTES = 8;
const lines = readFileSync(input, 'utf8').split('\n');
const digests: bigint[] = [];
for (const raw of lines) {
  const entry = normalizeForMatch(raw.endsWith('\r') ? raw.slice(0, -1) : raw);
  if (entry.length === 0) continue;
  digests.push(createHash('sha256').update(entry, 'utf8').digest().readBigUInt64BE(0));
}
digests.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
const unique = digests.filter((d, i) => i === 0 || d !== digests[i - 1]);

const out = Buffer.alloc(16 + unique.length * DIGEST_BYTES);
out.write('SSJWTK01', 0, 'ascii');
out.writeUInt32BE(unique.length, 8);
out.writeUInt32BE(DIGEST_BYTES, 12);
unique.forEach((d, i) => {
  out.writeBigUInt64BE(d, 16 + i * DIGEST_BYTES);
});
writeFileSync(output, out);
console.log(
  `${lines.length} lines -> ${unique.length} distinct normalised entries -> ${output} (${out.length} bytes)`,
);
