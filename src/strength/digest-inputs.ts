/**
 * What `data/known-digests.bin` is built from: every curated known default (with its source), every
 * value of the mined corpus (named by its product), and every common word. The build script
 * (`scripts/known-defaults.ts`) and the freshness test both call this, so the shipped table can
 * never drift from the lists. To add a hash family, extend `DIGEST_ALGORITHMS`; to add values,
 * extend the lists or the provenance file; then run `tsx scripts/known-defaults.ts`.
 */
import { COMMON_WORDS } from './common-words.js';
import type { DigestInput } from './digests.js';
import { KNOWN_DEFAULTS } from './known-defaults.js';
import { publishedBy } from './known-lookup.js';
import { normalizeForMatch } from './normalize.js';

/** One mined value: who publishes it, and the project it was read from. */
export interface CorpusValue {
  value: string;
  product: string;
  repo?: string | undefined;
}

/** The values whose digests (and, for keys, bytes) are looked up, each with who publishes it. */
export function knownDigestInputs(corpus: readonly CorpusValue[] = []): DigestInput[] {
  // A mined value is named by the first product that publishes it and how many projects do.
  const byValue = new Map<string, { product: string; projects: Set<string>; raw: string[] }>();
  for (const r of corpus) {
    const norm = normalizeForMatch(r.value);
    if (norm.length === 0) continue;
    let e = byValue.get(norm);
    if (!e) {
      e = { product: r.product, projects: new Set(), raw: [] };
      byValue.set(norm, e);
    }
    e.projects.add(r.repo ?? r.product);
    if (!e.raw.includes(r.value)) e.raw.push(r.value);
  }
  const mined: DigestInput[] = [];
  for (const e of byValue.values()) {
    const source = publishedBy(e.product, e.projects.size);
    for (const value of e.raw) mined.push({ value, source });
  }
  return [
    ...KNOWN_DEFAULTS.map(({ value, source }) => ({ value, source })),
    ...mined,
    ...COMMON_WORDS.map((value) => ({ value, source: 'a common word (src/strength/common-words.ts)' })),
  ];
}
