/**
 * Lookup of publicly known JWT secrets (Wallarm's jwt.secrets.list, MIT, see NOTICE), shipped as
 * `data/known-jwt-secrets.bin`: sorted 8-byte SHA-256 prefixes of the normalised entries, rebuilt by
 * `scripts/build-known-keys.ts`. Loaded on the first lookup, never at import time.
 */
import { join } from 'node:path';
import { packageRoot } from '../internal/package-root.js';
import { corruptDataFile, findPrefix, readDataFile } from './data-file.js';
import { sha256Of } from './digest-cache.js';

const MAGIC = 'SSJWTK01';
const HEADER = 16;

/** The loaded lookup: the raw file and its entry count. */
interface KnownKeysTable {
  buf: Buffer;
  count: number;
  width: number;
}

let table: KnownKeysTable | undefined;

/** Path of the shipped lookup file, found from the package root (works from src/ and dist/src/). */
export function knownKeysPath(): string {
  return join(packageRoot(), 'data', 'known-jwt-secrets.bin');
}

/** Loads the lookup now (idempotent). Exposed so the benchmark can time it; checks call it lazily. */
export function loadKnownKeys(path: string = knownKeysPath()): { count: number } {
  if (table) return { count: table.count };
  const buf = readDataFile(path, 'known JWT secrets', 'scripts/build-known-keys.ts');
  const count = buf.length >= HEADER ? buf.readUInt32BE(8) : 0;
  const width = buf.length >= HEADER ? buf.readUInt32BE(12) : 0;
  if (buf.toString('ascii', 0, 8) !== MAGIC || width !== 8 || buf.length !== HEADER + count * width) {
    throw corruptDataFile('known JWT secrets', 'scripts/build-known-keys.ts');
  }
  table = { buf, count, width };
  return { count };
}

/** Forgets the loaded table (tests and the benchmark measure a cold load). */
export function unloadKnownKeys(): void {
  table = undefined;
}

/** True when `normalized` (already through `normalizeForMatch`) is on the public list. */
export function isKnownLeaked(normalized: string): boolean {
  if (normalized.length === 0) return false;
  if (!table) loadKnownKeys();
  const t = table!;
  return findPrefix(t.buf, HEADER, t.count, t.width, sha256Of(normalized)) >= 0;
}
