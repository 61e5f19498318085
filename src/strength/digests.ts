/**
 * The one encoding and digest lookup: the digests under {@link DIGEST_ALGORITHMS} (md5, sha1, sha2,
 * sha3, blake2) of every known default (the curated list and the mined corpus of
 * `data/known-defaults/provenance.jsonl`) and common word, and the bytes of every published key,
 * shipped as `data/known-digests.bin` and rebuilt by `scripts/known-defaults.ts`. A value is decoded
 * once (hex of either case, base64, base64url, padded or not, with or without a `0x`, `hex:` or
 * `base64:` prefix) and its first 8 bytes are binary-searched: the cost per check does not grow with
 * the number of entries or hash families, so more families and more mined defaults are a rebuild of
 * the data, not a change of code.
 *
 * File layout (big-endian): `SSDIGT01`, entry count (u32), prefix width (u32, 8), meta length
 * (u32), reserved (u32); the sorted 8-byte prefixes; one u32 tag per entry (source index << 8 |
 * algorithm index); the meta as UTF-8 JSON `{ algorithms: string[], sources: string[] }`.
 */
import { join } from 'node:path';
import { nodeCrypto } from '../core/builtins.js';
import { packageRoot } from '../internal/package-root.js';
import { corruptDataFile, findPrefix, readDataFile } from './data-file.js';
import { normalizeForMatch } from './normalize.js';

/** Hash families whose digests of known values are looked up (Node `createHash` names). */
export const DIGEST_ALGORITHMS: readonly string[] = [
  'md5',
  'sha1',
  'sha224',
  'sha256',
  'sha384',
  'sha512',
  'sha512-224',
  'sha512-256',
  'sha3-224',
  'sha3-256',
  'sha3-384',
  'sha3-512',
  'blake2b512',
  'blake2s256',
];

/** The pseudo-algorithm of a public key's own bytes (a published key re-encoded is still published). */
export const KEY_BYTES = 'key';

const MAGIC = 'SSDIGT01';
const HEADER = 24;
const WIDTH = 8;
/** Decoded values shorter than this are not looked up (the shortest digest, md5, is 16 bytes). */
const MIN_BYTES = 16;

/** One known value and who publishes it. */
export interface DigestInput {
  value: string;
  source: string;
}

/** A match: which family (or `key`) and whose value. */
export interface DigestHit {
  algorithm: string;
  source: string;
}

interface Table {
  buf: Buffer;
  count: number;
  tags: number;
  algorithms: string[];
  sources: string[];
}

let table: Table | undefined;

/** Path of the shipped table (works from src/ and dist/src/). */
export function knownDigestsPath(): string {
  return join(packageRoot(), 'data', 'known-digests.bin');
}

/**
 * The forms of a known value that are hashed: as written and normalised, each with and without
 * the newline `echo` adds (`echo secret | sha256sum`).
 */
export function digestForms(value: string): string[] {
  const forms = new Set([value, normalizeForMatch(value)]);
  for (const f of [...forms]) forms.add(`${f}\n`);
  return [...forms].filter((f) => f.trim().length > 0);
}

/** Builds the table file for `inputs` under `algorithms`. Deterministic: the same inputs give the same bytes. */
export function buildDigestTable(
  inputs: Iterable<DigestInput>,
  algorithms: readonly string[] = DIGEST_ALGORITHMS,
): Buffer {
  const algs = [...algorithms, KEY_BYTES];
  const sources: string[] = [];
  const sourceIndex = new Map<string, number>();
  const entries = new Map<string, number>();
  const add = (prefix: Buffer, source: string, alg: number): void => {
    const key = prefix.toString('hex');
    if (entries.has(key)) return;
    let s = sourceIndex.get(source);
    if (s === undefined) {
      s = sources.length;
      sources.push(source);
      sourceIndex.set(source, s);
    }
    entries.set(key, (s << 8) | alg);
  };
  for (const { value, source } of inputs) {
    for (const form of digestForms(value)) {
      for (let i = 0; i < algorithms.length; i++) {
        add(
          nodeCrypto().createHash(algorithms[i]!).update(form, 'utf8').digest().subarray(0, WIDTH),
          source,
          i,
        );
      }
    }
    const key = keyBytes(value.trim());
    if (key) add(key.subarray(0, WIDTH), source, algs.length - 1);
  }
  if (sources.length >= 1 << 24 || algs.length > 255) throw new RangeError('too many sources or algorithms');
  const sorted = [...entries].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const meta = Buffer.from(JSON.stringify({ algorithms: algs, sources }), 'utf8');
  const out = Buffer.alloc(HEADER + sorted.length * (WIDTH + 4) + meta.length);
  out.write(MAGIC, 0, 'ascii');
  out.writeUInt32BE(sorted.length, 8);
  out.writeUInt32BE(WIDTH, 12);
  out.writeUInt32BE(meta.length, 16);
  const tags = HEADER + sorted.length * WIDTH;
  sorted.forEach(([hex, tag], i) => {
    out.write(hex, HEADER + i * WIDTH, 'hex');
    out.writeUInt32BE(tag >>> 0, tags + i * 4);
  });
  meta.copy(out, tags + sorted.length * 4);
  return out;
}

/** Loads the table now (idempotent); exposed for the benchmark. Checks load it on first use. */
export function loadKnownDigests(path: string = knownDigestsPath()): { count: number } {
  if (table) return { count: table.count };
  const buf = readDataFile(path, 'known digests', 'scripts/known-defaults.ts');
  const count = buf.length >= HEADER ? buf.readUInt32BE(8) : 0;
  const width = buf.length >= HEADER ? buf.readUInt32BE(12) : 0;
  const metaLength = buf.length >= HEADER ? buf.readUInt32BE(16) : 0;
  const tags = HEADER + count * WIDTH;
  let meta: { algorithms?: unknown; sources?: unknown } | undefined;
  if (
    buf.toString('ascii', 0, 8) === MAGIC &&
    width === WIDTH &&
    buf.length === tags + count * 4 + metaLength
  ) {
    try {
      meta = JSON.parse(buf.toString('utf8', tags + count * 4));
    } catch {
      meta = undefined;
    }
  }
  if (!meta || !Array.isArray(meta.algorithms) || !Array.isArray(meta.sources)) {
    throw corruptDataFile('known digests', 'scripts/known-defaults.ts');
  }
  table = { buf, count, tags, algorithms: meta.algorithms as string[], sources: meta.sources as string[] };
  return { count };
}

/** Forgets the loaded table (the benchmark measures a cold load). */
export function unloadKnownDigests(): void {
  table = undefined;
}

/** The known value whose digest (or key bytes) `bytes` starts with, if any. */
export function lookupDigest(bytes: Uint8Array): DigestHit | undefined {
  if (bytes.length < MIN_BYTES) return undefined;
  if (!table) loadKnownDigests();
  const t = table!;
  const i = findPrefix(t.buf, HEADER, t.count, WIDTH, bytes);
  if (i < 0) return undefined;
  const tag = t.buf.readUInt32BE(t.tags + i * 4);
  return { algorithm: t.algorithms[tag & 0xff] ?? 'unknown', source: t.sources[tag >>> 8] ?? 'unknown' };
}

/** How a value is written when it decodes to bytes (`base64:` and `hex:` name their prefix). */
export type DigestEncoding = 'hex' | 'base64' | 'base64url' | 'base64:' | 'hex:';

const HEX = /^[0-9a-fA-F]+$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;
const BASE64URL = /^[A-Za-z0-9_-]+={0,2}$/;

/** The value without a `0x`, `hex:` or `base64:` prefix (either case), and the prefix it had. */
function stripPrefix(text: string): { body: string; prefix?: 'hex' | 'hex:' | 'base64:' } {
  const c0 = text.charCodeAt(0);
  if (c0 === 48 && (text[1] === 'x' || text[1] === 'X')) return { body: text.slice(2), prefix: 'hex' };
  if (c0 === 104 || c0 === 72) {
    if (text.slice(0, 4).toLowerCase() === 'hex:') return { body: text.slice(4), prefix: 'hex:' };
  } else if (c0 === 98 || c0 === 66) {
    if (text.slice(0, 7).toLowerCase() === 'base64:') return { body: text.slice(7), prefix: 'base64:' };
  }
  return { body: text };
}

/**
 * The bytes a hex (either case; optional `0x` or `hex:`), base64 or base64url (padded or not;
 * optional `base64:`, as Laravel's APP_KEY writes it) value decodes to, when there are at least 16
 * of them; else undefined. Hex wins when an unprefixed value is both.
 */
export function decodeBytes(text: string): { bytes: Buffer; encoding: DigestEncoding } | undefined {
  const stripped = stripPrefix(text);
  let { body: t, prefix } = stripped;
  // 1024 characters is far above any digest or key; longer values are not looked up.
  if (t.length < 22 || t.length > 1024) return undefined;
  if (prefix !== 'base64:' && t.length % 2 === 0 && HEX.test(t)) {
    return { bytes: Buffer.from(t, 'hex'), encoding: prefix === 'hex:' ? 'hex:' : 'hex' };
  }
  if (prefix === 'hex:') return undefined;
  // Base64 may start with "0x" by chance (1 in 4,096): then the prefix was part of the text.
  if (prefix === 'hex') {
    t = text;
    prefix = undefined;
  }
  const unpadded = t.endsWith('=') ? t.replace(/=+$/, '') : t;
  // Base64 of n bytes has no length of 1 (mod 4); padding, when present, must be exact.
  if (unpadded.length % 4 === 1 || (t !== unpadded && t.length % 4 !== 0)) return undefined;
  const encoding: DigestEncoding | undefined = BASE64.test(t)
    ? 'base64'
    : BASE64URL.test(t)
      ? 'base64url'
      : undefined;
  if (!encoding) return undefined;
  const bytes = Buffer.from(unpadded, encoding === 'base64' ? 'base64' : 'base64url');
  if (bytes.length < MIN_BYTES) return undefined;
  return { bytes, encoding: prefix ?? encoding };
}

/**
 * The encoding-independent form of a key's bytes (`bytes:` and their base64url), for in-memory
 * lists: the same bytes written in hex, HEX, base64, base64url or with a prefix give one form.
 */
export function canonicalBytes(text: string): string | undefined {
  const d = decodeBytes(text.trim());
  return d ? `bytes:${d.bytes.toString('base64url')}` : undefined;
}

/** Digest lengths of the families above: only decoded values of these lengths are digests. */
const DIGEST_LENGTHS: ReadonlySet<number> = new Set([16, 20, 28, 32, 48, 64]);

/** A match of a value against the table, with how the value was written. */
export interface KnownDigestMatch extends DigestHit {
  encoding: DigestEncoding | 'bytes' | `${DigestEncoding} of ${DigestEncoding}`;
}

/**
 * Looks a value up: its decoded bytes as a digest or a published key, and once more when those
 * bytes are themselves the text of a hex or base64 digest (`base64(hex(md5(x)))`).
 */
export function findKnownDigest(text: string): KnownDigestMatch | undefined {
  const decoded = decodeBytes(text);
  if (!decoded) return undefined;
  const hit = lookupDigest(decoded.bytes);
  if (hit) return { ...hit, encoding: decoded.encoding };
  // A hex digest written again in base64: the decoded bytes are printable digest text.
  const b = decoded.bytes;
  if (b.length < 32 || b.length > 128) return undefined;
  for (let i = 0; i < b.length; i++) {
    const c = b[i]!;
    if (c < 43 || c > 122) return undefined;
  }
  const inner = decodeBytes(b.toString('latin1'));
  if (!inner || !DIGEST_LENGTHS.has(inner.bytes.length)) return undefined;
  const innerHit = lookupDigest(inner.bytes);
  return innerHit && innerHit.algorithm !== KEY_BYTES
    ? { ...innerHit, encoding: `${inner.encoding} of ${decoded.encoding}` }
    : undefined;
}

/** A published key's bytes, when the value looks like a random key in hex or base64 (not words). */
function keyBytes(value: string): Buffer | undefined {
  const decoded = decodeBytes(value);
  if (!decoded) return undefined;
  // Words that happen to be valid base64 are text, not key material.
  if (
    !decoded.encoding.startsWith('hex') &&
    !(/[0-9]/.test(value) && /[a-z]/.test(value) && /[A-Z]/.test(value))
  ) {
    return undefined;
  }
  return decoded.bytes;
}
