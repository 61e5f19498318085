/**
 * WEAK_KNOWN_DEFAULT: a default or example key printed in public docs (the curated list of
 * `known-defaults.ts`, then the user's lists and the mined corpus of `known-lookup.ts`), matched
 * after normalisation, affixes, quotes and `KEY=` prefixes, and through hex and base64 encodings of
 * the text. Digests of known values and published keys in other encodings are the `known-digest`
 * rule's.
 */
import { type Candidate, matchCandidates } from '../candidates.js';
import { defineRule } from '../context.js';
import { KNOWN_DEFAULTS, KNOWN_PREFIXES } from '../known-defaults.js';
import { findInCorpus } from '../known-lookup.js';
import { normalizeForMatch } from '../normalize.js';
import type { KnownValueList } from '../user-known.js';

/** Normalised value -> source, built on first use. */
let index: Map<string, string> | undefined;

function buildIndex(): Map<string, string> {
  const values = new Map<string, string>();
  for (const { value, source } of KNOWN_DEFAULTS) {
    const norm = normalizeForMatch(value);
    if (!values.has(norm)) values.set(norm, source);
  }
  return values;
}

/** Looks the candidates up in the user lists and the mined corpus after the curated list; the first match. Exported for the deploy rules. */
export function findKnownDefault(
  value: string,
  candidates: readonly Candidate[] = matchCandidates(value),
  knownValues?: KnownValueList,
): { source: string; via: string } | undefined {
  return findCuratedDefault(candidates) ?? findInCorpus(value, candidates, knownValues);
}

/** Looks the candidates up in the curated list only (the benchmark's baseline for the corpus). */
export function findCuratedDefault(
  candidates: readonly Candidate[],
): { source: string; via: string } | undefined {
  index ??= buildIndex();
  for (const c of candidates) {
    const source = index.get(c.text);
    if (source) return { source, via: c.via };
  }
  const first = candidates[0]?.text;
  if (first) {
    for (const p of KNOWN_PREFIXES) if (first.startsWith(p.value)) return { source: p.source, via: 'prefix' };
  }
  return undefined;
}

/** Raises WEAK_KNOWN_DEFAULT when any lookup form of the value is a documented default. */
export const knownDefaultRule = defineRule({
  id: 'known-default',
  codes: ['WEAK_KNOWN_DEFAULT'],
  check(ctx) {
    if (ctx.text.length === 0 || ctx.binary) return [];
    const hit = findKnownDefault(ctx.text, ctx.candidates(), ctx.knownValues);
    if (!hit) return [];
    const how = hit.via === 'normalized' ? '' : ` (matched via ${hit.via})`;
    return [
      {
        code: 'WEAK_KNOWN_DEFAULT',
        message: `the value is a publicly documented default or example: ${hit.source}${how}`,
        source: hit.source,
        via: hit.via,
      },
    ];
  },
});
