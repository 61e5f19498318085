/**
 * Lookup of publicly known JWT secrets (Wallarm's jwt.secrets.list, MIT, see NOTICE), shipped as
 * `data/known-jwt-secrets.bin`: sorted 8-byte SHA-256 prefixes of the normalised entries, rebuilt by
 * `scripts/build-known-keys.ts`. Loaded on the first lookup, never at import time.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretError } from '../core/errors.js';
import { packageRoot } from '../internal/package-root.js';
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
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new SecretError('ERR_CONFIG_INVALID', 'the known JWT secrets lookup file could not be read', {
      cause: err,
      hint: 'reinstall secretsource, or rebuild it with: tsx scripts/build-known-keys.ts',
    });
  }
  const count = buf.length >= HEADER ? buf.readUInt32BE(8) : 0;
  const width = buf.length >= HEADER ? buf.readUInt32BE(12) : 0;
  if (buf.toString('ascii', 0, 8) !== MAGIC || width !== 8 || buf.length !== HEADER + count * width) {
    throw new SecretError('ERR_CONFIG_INVALID', 'the known JWT secrets lookup file is corrupt', {
      hint: 'rebuild it with: tsx scripts/build-known-keys.ts',
    });
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
  const d = sha256Of(normalized);
  const hi = d.readUInt32BE(0);
  const lo = d.readUInt32BE(4);
  let a = 0;
  let b = t.count - 1;
  while (a <= b) {
    const mid = (a + b) >>> 1;
    const off = HEADER + mid * t.width;
    const h = t.buf.readUInt32BE(off);
    const l = t.buf.readUInt32BE(off + 4);
    if (h === hi && l === lo) return true;
    if (h < hi || (h === hi && l < lo)) a = mid + 1;
    else b = mid - 1;
  }
  return false;
}
