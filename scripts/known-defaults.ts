/**
 * Maintainer script: checks the shape of the known-defaults provenance file and rebuilds the two
 * lookup files the strength checks ship from it: data/known-defaults.bin (the values as text) and
 * data/known-digests.bin (the one encoding and digest table: digests of every known default and
 * common word, and the bytes of published keys; its format is described in src/strength/digests.ts).
 *
 * Usage: tsx scripts/known-defaults.ts [--check]
 *   (no flag)  validate data/known-defaults/provenance.jsonl and held-out.jsonl, rebuild both files
 *   --check    validate, rebuild in memory and fail when a shipped file differs
 *
 * data/known-defaults.bin (format "SSKDEF02", all integers big-endian):
 *   header 32 bytes: magic(8) valueCount(u32) productCount(u32) productBytes(u32) vocabBytes(u32)
 *            reserved(8)
 *   values:  valueCount records of 12 bytes, sorted by their first 8: sha256(normalised value)[0..8],
 *            product index (u16), number of projects that publish the value (u16)
 *   products: productBytes of UTF-8, the product names joined by "\n" (index = line number)
 *   vocab:   vocabBytes of ASCII, sorted "\n"-joined words that published defaults are made of (the
 *            words of values from at least VOCAB_MIN_PROJECTS projects, see placeholderWords)
 * Values are normalised with the checker's own normalizeForMatch.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { COMMON_WORDS } from '../src/strength/common-words.js';
import { knownDigestInputs } from '../src/strength/digest-inputs.js';
import { buildDigestTable, knownDigestsPath } from '../src/strength/digests.js';
import { valueWords } from '../src/strength/known-words.js';
import { normalizeForMatch } from '../src/strength/normalize.js';
import { type ProvenanceRow, readProvenance } from './known-defaults/provenance.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const provenancePath = join(root, 'data', 'known-defaults', 'provenance.jsonl');
const heldOutPath = join(root, 'data', 'known-defaults', 'held-out.jsonl');
const binPath = join(root, 'data', 'known-defaults.bin');

/** Builds the lookup file's bytes from provenance rows (pure: same rows, same bytes). */
export function buildKnownDefaults(rows: readonly ProvenanceRow[]): {
  bin: Buffer;
  values: number;
  products: number;
} {
  // Per normalised value: the projects that publish it, and the first product seen (rows are sorted).
  const byValue = new Map<string, { product: string; projects: Set<string> }>();
  for (const r of rows) {
    const norm = normalizeForMatch(r.value);
    if (norm.length === 0) continue;
    let e = byValue.get(norm);
    if (!e) {
      e = { product: r.product, projects: new Set() };
      byValue.set(norm, e);
    }
    e.projects.add(r.repo ?? r.product);
  }
  const products = [...new Set([...byValue.values()].map((e) => e.product))].sort();
  const productIndex = new Map(products.map((p, i) => [p, i]));
  if (products.length >= 0xffff) throw new Error('too many products for a u16 index');

  const valueRecs: Buffer[] = [];
  for (const [norm, e] of byValue) {
    const rec = Buffer.alloc(12);
    createHash('sha256').update(norm, 'utf8').digest().copy(rec, 0, 0, 8);
    rec.writeUInt16BE(productIndex.get(e.product)!, 8);
    rec.writeUInt16BE(Math.min(e.projects.size, 0xffff), 10);
    valueRecs.push(rec);
  }
  const sortRecs = (a: Buffer, b: Buffer) => a.compare(b, 0, 8, 0, 8);
  const values = dedupe(valueRecs.sort(sortRecs));
  const productBytes = Buffer.from(products.join('\n'), 'utf8');
  const vocab = Buffer.from(defaultWords(rows).join('\n'), 'ascii');
  const header = Buffer.alloc(32);
  header.write('SSKDEF02', 0, 'ascii');
  header.writeUInt32BE(values.length, 8);
  header.writeUInt32BE(products.length, 12);
  header.writeUInt32BE(productBytes.length, 16);
  header.writeUInt32BE(vocab.length, 20);
  return {
    bin: Buffer.concat([header, ...values, productBytes, vocab]),
    values: values.length,
    products: products.length,
  };
}

/** Builds data/known-digests.bin's bytes: curated defaults, the rows and common words (pure). */
export function buildKnownDigests(rows: readonly ProvenanceRow[]): Buffer {
  return buildDigestTable(knownDigestInputs(rows));
}

/** A word must appear in the published defaults of this many projects to join the vocabulary. */
const VOCAB_MIN_PROJECTS = 3;

/** The words (see `valueWords`) that the published values of at least VOCAB_MIN_PROJECTS projects use. */
function defaultWords(rows: readonly ProvenanceRow[]): string[] {
  // Only real words: camelCase splits of random strings and JWTs make letter runs shared by chance.
  const dictionary = new Set(readFileSync(join(root, 'data', 'words.txt'), 'utf8').split('\n'));
  const isWord = (w: string) =>
    w.length <= 3 ? COMMON_WORDS.includes(w) : dictionary.has(w) || COMMON_WORDS.includes(w);
  const projects = new Map<string, Set<string>>();
  for (const r of rows) {
    for (const w of valueWords(r.value) ?? []) {
      if (!/^[a-z]{2,20}$/.test(w) || !isWord(w)) continue;
      let set = projects.get(w);
      if (!set) {
        set = new Set();
        projects.set(w, set);
      }
      set.add(r.repo ?? r.product);
    }
  }
  return [...projects]
    .filter(([, p]) => p.size >= VOCAB_MIN_PROJECTS)
    .map(([w]) => w)
    .sort();
}

/** Drops records whose 8-byte key repeats (two values with one truncated hash: keep the first). */
function dedupe(sorted: Buffer[]): Buffer[] {
  return sorted.filter((r, i) => i === 0 || r.compare(sorted[i - 1]!, 0, 8, 0, 8) !== 0);
}

function main(): void {
  const check = process.argv.includes('--check');
  const rows = readProvenance(provenancePath);
  const held = readProvenance(heldOutPath);
  const built = buildKnownDefaults(rows);
  const digests = buildKnownDigests(rows);
  const summary = `${rows.length} rows, ${built.values} distinct values from ${new Set(rows.map((r) => r.repo ?? r.product)).size} projects, ${built.products} products, ${digests.readUInt32BE(8)} digest and key entries; held-out ${held.length} rows`;
  if (check) {
    const stale = [
      [binPath, built.bin],
      [knownDigestsPath(), digests],
    ].filter(([path, bytes]) => !readFileSync(path as string).equals(bytes as Buffer));
    if (stale.length > 0) {
      process.stderr.write(
        `${stale.map(([p]) => p).join(', ')} stale: run tsx scripts/known-defaults.ts\n${summary}\n`,
      );
      process.exit(1);
    }
    process.stdout.write(`ok: ${summary}\n`);
    return;
  }
  writeFileSync(binPath, built.bin);
  writeFileSync(knownDigestsPath(), digests);
  process.stdout.write(
    `${summary} -> ${binPath} (${built.bin.length} bytes), ${knownDigestsPath()} (${digests.length} bytes)\n`,
  );
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) main();
