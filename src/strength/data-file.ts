/**
 * What the three shipped lookup files (known JWT secrets, known-defaults values, known digests)
 * share: one read with a coded error, one "corrupt" error, and one binary search over sorted
 * records whose first 8 bytes are the key. Each table keeps only its own layout.
 */
import { nodeFs } from '../core/builtins.js';
import { SecretError } from '../core/errors.js';

/** Reads a shipped lookup file; a missing or unreadable one is ERR_CONFIG_INVALID naming it. */
export function readDataFile(path: string, what: string, rebuild: string): Buffer {
  try {
    return nodeFs().readFileSync(path);
  } catch (err) {
    throw new SecretError('ERR_CONFIG_INVALID', `the ${what} lookup file could not be read`, {
      cause: err,
      hint: `reinstall secretsource, or rebuild it with: tsx ${rebuild}`,
    });
  }
}

/** The error for a lookup file whose header or length does not hold. */
export function corruptDataFile(what: string, rebuild: string): SecretError {
  return new SecretError('ERR_CONFIG_INVALID', `the ${what} lookup file is corrupt`, {
    hint: `rebuild it with: tsx ${rebuild}`,
  });
}

/**
 * Index of the record (of `count`, `width` bytes each, from `start`) whose first 8 bytes equal the
 * first 8 bytes of `key`, or -1. Records are sorted by those 8 bytes as two big-endian words.
 */
export function findPrefix(
  buf: Buffer,
  start: number,
  count: number,
  width: number,
  key: Uint8Array,
): number {
  const hi = ((key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!) >>> 0;
  const lo = ((key[4]! << 24) | (key[5]! << 16) | (key[6]! << 8) | key[7]!) >>> 0;
  let a = 0;
  let b = count - 1;
  while (a <= b) {
    const mid = (a + b) >>> 1;
    const off = start + mid * width;
    const h = buf.readUInt32BE(off);
    const l = buf.readUInt32BE(off + 4);
    if (h === hi && l === lo) return mid;
    if (h < hi || (h === hi && l < lo)) a = mid + 1;
    else b = mid - 1;
  }
  return -1;
}
