/**
 * UUIDs in a key, counted for the randomness they carry rather than their 128 bits: a random
 * (v4) or custom (v8) UUID carries 122 bits, a time-based one only its random part (v7: 74 bits;
 * v1, v2, v6: the 14-bit clock sequence, plus 48 node bits when the node is random rather than a
 * MAC address). Name-based UUIDs (v3, v5) hash a name: they are counted as 122 bits at most.
 */

/** What {@link parseUuidKey} found: how many UUIDs make up the value and the bits they carry. */
export interface UuidKey {
  uuids: number;
  bits: number;
  /** Hex digits of the UUIDs, for the decoded size. */
  hexDigits: number;
}

const SEPARATORS = new Set([45, 95, 46, 58, 44, 59, 124, 43, 47, 32]); // - _ . : , ; | + / space

function hexAt(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** The 32 hex digits of a UUID at `i` (dashed: 36 characters, or undashed: 32), or undefined. */
function uuidAt(s: string, i: number, dashed: boolean): string | undefined {
  const len = dashed ? 36 : 32;
  if (i + len > s.length) return undefined;
  // Version and variant first: most random text fails here before any other character is read.
  const version = hexAt(s, i + (dashed ? 14 : 12));
  const variant = hexAt(s, i + (dashed ? 19 : 16));
  if (version < 1 || version > 8 || variant < 8 || variant > 11) return undefined;
  for (let k = 0; k < len; k++) {
    if (dashed && (k === 8 || k === 13 || k === 18 || k === 23)) {
      if (s.charCodeAt(i + k) !== 45) return undefined;
    } else if (hexAt(s, i + k) < 0) return undefined;
  }
  const chunk = s.slice(i, i + len);
  return dashed ? chunk.replace(/-/g, '') : chunk;
}

/** Milliseconds since 1970 that a time-based UUID's timestamp says, or undefined for other versions. */
function timestampMs(d: string): number | undefined {
  const version = hexAt(d, 12);
  if (version === 7) return Number.parseInt(d.slice(0, 12), 16);
  let ticks: bigint;
  if (version === 1 || version === 2) ticks = BigInt(`0x${d.slice(13, 16)}${d.slice(8, 12)}${d.slice(0, 8)}`);
  else if (version === 6) ticks = BigInt(`0x${d.slice(0, 12)}${d.slice(13, 16)}`);
  else return undefined;
  // 100 ns ticks since 1582-10-15; 12219292800000 ms separate that day from 1970-01-01.
  return Number(ticks / 10_000n) - 12_219_292_800_000;
}

const PLAUSIBLE_FROM = Date.UTC(2015, 0, 1);
const PLAUSIBLE_TO = Date.UTC(2040, 0, 1);

/** Bits of randomness one UUID (32 hex digits) carries. */
export function uuidRandomBits(d: string): number {
  const version = hexAt(d, 12);
  if (version === 7) return 74;
  if (version === 1 || version === 2 || version === 6) {
    // The node's multicast bit is set for a random node (RFC 9562 §6.10), clear for a MAC address.
    const multicast = (hexAt(d, 21) & 1) === 1;
    return 14 + (multicast ? 48 : 0);
  }
  return 122;
}

/**
 * Reads a value made only of UUIDs, dashed or not, joined by nothing or by one separator each
 * (`-_.:,;|+/` or a space). Linear, no backtracking. Undashed UUIDs run together with nothing
 * between them are only taken when each is time-based with a plausible timestamp: a random hex
 * key has a v4 version and variant nibble in place by chance once in 64 per 32 digits, far too
 * often to call random hex keys UUIDs (two v4 UUIDs run together stay counted as 64 hex digits);
 * two time-based UUIDs of one version with timestamps between 2015 and 2040 happen by chance
 * about once in 3 × 10^7 random 64-digit keys.
 */
export function parseUuidKey(body: string): UuidKey | undefined {
  if (body.length < 36 || body.length > 4096) return undefined;
  let i = 0;
  let bits = 0;
  const found: Array<{ digits: string; dashed: boolean; joined: boolean }> = [];
  while (i < body.length) {
    const dashed = uuidAt(body, i, true);
    const digits = dashed ?? uuidAt(body, i, false);
    if (digits === undefined) return undefined;
    i += dashed ? 36 : 32;
    bits += uuidRandomBits(digits);
    const separated = i < body.length && SEPARATORS.has(body.charCodeAt(i));
    if (separated) i++;
    if (separated && i === body.length) return undefined;
    found.push({ digits, dashed: dashed !== undefined, joined: i < body.length && !separated });
  }
  // An undashed UUID that touches another with nothing between must prove itself time-based.
  for (let k = 0; k < found.length; k++) {
    const u = found[k]!;
    const touches = u.joined || (k > 0 && found[k - 1]!.joined);
    if (u.dashed || !touches) continue;
    const t = timestampMs(u.digits);
    if (t === undefined || t < PLAUSIBLE_FROM || t > PLAUSIBLE_TO) return undefined;
    // One generator makes a run: every UUID of it has the same version.
    if (k > 0 && found[k - 1]!.joined && hexAt(found[k - 1]!.digits, 12) !== hexAt(u.digits, 12))
      return undefined;
  }
  const uuids = found.length;
  // A lone undashed UUID is only 32 hex digits: leave it to the hex count (128 bits is short anyway).
  if (uuids === 1 && body.length === 32) return undefined;
  return { uuids, bits, hexDigits: uuids * 32 };
}
