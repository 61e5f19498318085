/**
 * Lookup of the mined known-defaults corpus as text, shipped as `data/known-defaults.bin` and
 * rebuilt from `data/known-defaults/provenance.jsonl` by `scripts/known-defaults.ts` (the format is
 * described there): sorted 8-byte SHA-256 prefixes of normalised published values, the product
 * names, and the words published defaults are made of. The same values' digests and bytes in other
 * encodings are in the one digest table (`digests.ts`). Loaded on the first lookup, never at import
 * time; a lookup is one hash (shared with the leaked-JWT list) and a binary search.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretError } from '../core/errors.js';
import { packageRoot } from '../internal/package-root.js';
import { sha256Of } from './digest-cache.js';

const MAGIC = 'SSKDEF02';
const HEADER = 32;
const RECORD = 12;

interface Table {
  buf: Buffer;
  values: number;
  products: string[];
  vocab: ReadonlySet<string>;
}

let table: Table | undefined;

/** Path of the shipped lookup file, found from the package root (works from src/ and dist/src/). */
export function knownDefaultsPath(): string {
  return join(packageRoot(), 'data', 'known-defaults.bin');
}

/** Loads the lookup now (idempotent). Exposed so the benchmark can time it; checks call it lazily. */
export function loadKnownDefaults(path: string = knownDefaultsPath()): {
  values: number;
  products: number;
} {
  if (!table) table = readTable(path);
  return { values: table.values, products: table.products.length };
}

/** Forgets the loaded table (tests and the benchmark measure a cold load). */
export function unloadKnownDefaults(): void {
  table = undefined;
}

function readTable(path: string): Table {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (err) {
    throw new SecretError('ERR_CONFIG_INVALID', 'the known-defaults lookup file could not be read', {
      cause: err,
      hint: 'reinstall secretsource, or rebuild it with: tsx scripts/known-defaults.ts',
    });
  }
  const ok = buf.length >= HEADER && buf.toString('ascii', 0, 8) === MAGIC;
  const values = ok ? buf.readUInt32BE(8) : 0;
  const productCount = ok ? buf.readUInt32BE(12) : 0;
  const productBytes = ok ? buf.readUInt32BE(16) : 0;
  const vocabBytes = ok ? buf.readUInt32BE(20) : 0;
  const productsAt = HEADER + values * RECORD;
  const products = ok ? buf.toString('utf8', productsAt, productsAt + productBytes).split('\n') : [];
  const vocabAt = productsAt + productBytes;
  const vocab = new Set(ok ? buf.toString('ascii', vocabAt, vocabAt + vocabBytes).split('\n') : []);
  if (!ok || buf.length !== vocabAt + vocabBytes || products.length !== productCount) {
    throw new SecretError('ERR_CONFIG_INVALID', 'the known-defaults lookup file is corrupt', {
      hint: 'rebuild it with: tsx scripts/known-defaults.ts',
    });
  }
  return { buf, values, products, vocab };
}

/** Offset of the record whose 8-byte key equals `key`'s first 8 bytes, or -1. */
function search(t: Table, start: number, count: number, key: Uint8Array): number {
  const hi = ((key[0]! << 24) | (key[1]! << 16) | (key[2]! << 8) | key[3]!) >>> 0;
  const lo = ((key[4]! << 24) | (key[5]! << 16) | (key[6]! << 8) | key[7]!) >>> 0;
  let a = 0;
  let b = count - 1;
  while (a <= b) {
    const mid = (a + b) >>> 1;
    const off = start + mid * RECORD;
    const h = t.buf.readUInt32BE(off);
    const l = t.buf.readUInt32BE(off + 4);
    if (h === hi && l === lo) return off;
    if (h < hi || (h === hi && l < lo)) a = mid + 1;
    else b = mid - 1;
  }
  return -1;
}

/** A published value: which product publishes it, and how many projects do. */
export interface KnownValueHit {
  product: string;
  projects: number;
}

/** Looks a value (already through `normalizeForMatch`) up in the corpus. */
export function lookupKnownValue(normalized: string): KnownValueHit | undefined {
  if (normalized.length === 0) return undefined;
  loadKnownDefaults();
  const t = table!;
  const off = search(t, HEADER, t.values, sha256Of(normalized));
  if (off < 0) return undefined;
  return { product: t.products[t.buf.readUInt16BE(off + 8)]!, projects: t.buf.readUInt16BE(off + 10) };
}

/** The words published defaults are made of (see `known-words.ts`). */
export function defaultsVocabulary(): ReadonlySet<string> {
  loadKnownDefaults();
  return table!.vocab;
}
