/**
 * Lookup of the mined known-defaults corpus as text, shipped as `data/known-defaults.bin` and
 * rebuilt from `data/known-defaults/provenance.jsonl` by `scripts/known-defaults.ts` (the format is
 * described there): sorted 8-byte SHA-256 prefixes of normalised published values, the product
 * names, and the words published defaults are made of. The same values' digests and bytes in other
 * encodings are in the one digest table (`digests.ts`). Loaded on the first lookup, never at import
 * time; a lookup is one hash (shared with the leaked-JWT list) and a binary search.
 */
import { join } from 'node:path';
import { packageRoot } from '../internal/package-root.js';
import { corruptDataFile, findPrefix, readDataFile } from './data-file.js';
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
  const buf = readDataFile(path, 'known-defaults', 'scripts/known-defaults.ts');
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
    throw corruptDataFile('known-defaults', 'scripts/known-defaults.ts');
  }
  return { buf, values, products, vocab };
}

/** Offset of the record whose 8-byte key equals `key`'s first 8 bytes, or -1. */
function search(t: Table, start: number, count: number, key: Uint8Array): number {
  const i = findPrefix(t.buf, start, count, RECORD, key);
  return i < 0 ? -1 : start + i * RECORD;
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
